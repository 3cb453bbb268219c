import Foundation
import FleetLintSyntax
import Testing
@testable import FleetLintRules

// Fake credentials assembled at run time so this file never holds a full token shape.
private func fake(_ prefix: String, _ body: String) -> String { prefix + body }
private let alnum36 = "Zq8Xw2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0UyVa2R"
private let ghp = fake("ghp_", alnum36)

private let scanner: SecretScanner = try! SecretScanner()

private func scan(_ text: String, path: String = "app/config.py", with s: SecretScanner = scanner) -> [SecretMatch] {
    s.scan(path: path, bytes: Array(text.utf8)).matches
}

struct SecretScannerDetectionTests {
    struct Case: CustomStringConvertible, Sendable {
        var path: String
        var text: String
        var kind: String?
        var description: String { "\(path): \(text.prefix(60))" }
    }

    static let positives: [Case] = [
        Case(path: "a.py", text: "TOKEN = \"\(ghp)\"", kind: "github-token"),
        Case(path: "a.py", text: "url = f\"https://x/?access_token=\(ghp)&page=2\"", kind: "github-token"),
        Case(path: "a.ipynb", text: "    \"h = {\\\"Authorization\\\": \\\"token \(ghp)\\\"}\\n\",", kind: "github-token"),
        Case(path: "a.py", text: "call(\(ghp))", kind: "github-token"),
        Case(path: "a.py", text: "k = \"\(fake("AIza", "SyB3kL9mN2pQ7rT5vW8xZ1cE4fG6hJ0aDsF"))\"", kind: "gcp-api-key"),
        Case(path: ".env", text: "GOOGLE_CLIENT_SECRET=\(fake("GOCSPX-", "k3Jd9fL2mQ8wZ5xR7tY1vB4nH6pA"))", kind: "gcp-oauth-client-secret"),
        Case(path: ".env", text: "AWS_ACCESS_KEY_ID=\(fake("AKIA", "Q3ZR7T2WXM4KLN6P"))", kind: "aws-access-key-id"),
        Case(path: ".env", text: "AWS_SECRET_ACCESS_KEY=\(fake("k9Xq2", "Lm5Nv7Bc9Df3Gh1Jk4Pr6St0Uy/Va2Wb8Ec"))", kind: "aws-secret-access-key"),
        Case(path: "a.py", text: "DB = \"postgresql://app:\(fake("Qz8r", "Lm2Xv9Tn4Kp"))@db:5432/app\"", kind: "url-with-password"),
        Case(path: "a.py", text: "password = \"\(fake("Tr0ub4", "dor&3xK9"))\"", kind: "generic-secret"),
        Case(path: "settings.yaml", text: "  db_password: \(fake("Hx7", "qL2mZ9vK4tP8"))", kind: "generic-secret"),
        Case(path: "Dockerfile", text: "ENV API_TOKEN \(fake("Hx7", "qL2mZ9vK4tP8"))", kind: "generic-secret"),
        Case(path: "a.toml", text: "apiKey = '\(fake("Hx7", "qL2mZ9vK4tP8"))'", kind: "generic-secret"),
        Case(path: "a.sh", text: "curl -H \"Authorization: Bearer \(fake("eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiJ1c2VyLTQyIn0.Rk3mQ9xL2vT8pZ5wN1cB7yH4dJ6fG0aS"))\"", kind: "jwt"),
        Case(path: "a.sh", text: "curl \"https://api.odds.io/v4/odds?apiKey=\(fake("6479e1937a40", "b5f11a222d3c9949a590"))&regions=us\"", kind: "generic-secret"),
        Case(path: "a.py", text: "s = \"\(fake("sk_live_", "51Hx7qL2mZ9vK4tP8wR3nB6yJ1cF5"))\"", kind: "stripe-secret-key"),
        Case(path: "settings.py", text: "SECRET_KEY = '\(fake("django-insecure-", "7h#x(w)9=kq2@v!m4r$z^8n&p1l*t0(b)c3y+e"))'", kind: "generic-secret"),
        Case(path: "settings.py", text: "SECRET_KEY = \"\(fake("k9(X)q2=Lm5", "Nv7Bc9Df3Gh1Jk4Pr6St0Uy"))\"", kind: "generic-secret"),
        Case(path: "dump.sh", text: "PGPASSWORD=\(fake("Xq7Lm2", "Vt9Rk4Wz8")) pg_dump -h db orders", kind: "generic-secret"),
        Case(path: "token.txt", text: "  \(fake("eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiJ1c2VyLTQyIn0.Rk3mQ9xL2vT8pZ5wN1cB7yH4dJ6fG0aS"))", kind: "jwt"),
        Case(path: "tokens.py", text: "    \"\(fake("eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiJ1c2VyLTQyIn0.Rk3mQ9xL2vT8pZ5wN1cB7yH4dJ6fG0aS"))\",", kind: "jwt"),
    ]

    @Test(arguments: positives)
    func findsSecret(_ c: Case) {
        let matches = scan(c.text, path: c.path)
        #expect(matches.map(\.kindId) == [c.kind!])
    }

    static let negatives: [Case] = [
        Case(path: "a.py", text: "api_key = os.environ[\"API_KEY\"]", kind: nil),
        Case(path: "a.py", text: "api_key = os.getenv(\"API_KEY\")", kind: nil),
        Case(path: "a.py", text: "password = settings.DB_PASSWORD", kind: nil),
        Case(path: "a.py", text: "token = make_token(user)", kind: nil),
        Case(path: "a.py", text: "secret = cfg[\"secret\"]", kind: nil),
        Case(path: "a.py", text: "API_KEY = \"YOUR_API_KEY\"", kind: nil),
        Case(path: "a.py", text: "password = \"changeme\"", kind: nil),
        Case(path: "a.py", text: "token = \"${TOKEN}\"", kind: nil),
        Case(path: "a.yaml", text: "password: \"{{ .Values.password }}\"", kind: nil),
        Case(path: "a.yaml", text: "token: ${{ secrets.DEPLOY_TOKEN }}", kind: nil),
        Case(path: "a.py", text: "token = \"<token>\"", kind: nil),
        Case(path: "a.py", text: "secret = \"xxxxxxxxxxxxxxxxxxxx\"", kind: nil),
        Case(path: "a.py", text: "password = \"abcdefgh12345678\"", kind: nil),
        Case(path: "a.py", text: "id = \"AKIAIOSFODNN7EXAMPLE\"", kind: nil),
        Case(path: "a.py", text: "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"", kind: nil),
        Case(path: "a.py", text: "client_id = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "secret_name = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "key_name = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "token_path = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "public_key = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "csrf_token = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "TOKEN_ENV = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "password_sha256 = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", kind: nil),
        Case(path: "a.py", text: "secret_checksum = \"5d41402abc4b2a76b9719d911017c592\"", kind: nil),
        Case(path: "a.py", text: "token = \"9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f\"", kind: nil),
        Case(path: "requirements.txt", text: "secret-lib==1.0 --hash=sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", kind: nil),
        Case(path: "a.py", text: "password = \"correct-horse-battery\"", kind: nil),
        Case(path: "a.sh", text: "--set-secrets=ODDS_API_KEY=odds-api-key:latest", kind: nil),
        Case(path: "a.py", text: "DB = \"postgresql://postgres:postgres@localhost/app\"", kind: nil),
        Case(path: "a.py", text: "DB = \"postgresql://user@localhost/app\"", kind: nil),
        Case(path: "a.py", text: "DB = f\"postgresql://{user}:{password}@{host}/app\"", kind: nil),
        Case(path: "a.md", text: "-----BEGIN PRIVATE KEY----- goes in the file", kind: nil),
        Case(path: "a.pem", text: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", kind: nil),
        Case(path: "a.md", text: "hooks: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", kind: nil),
        Case(path: "a.py", text: "jwt_token = \"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIn0.\"", kind: nil),
        Case(path: "a.py", text: "def get_token(self) -> str:", kind: nil),
        Case(path: "a.py", text: "max_tokens = 4096", kind: nil),
        Case(path: "a.py", text: "CSRFTOKEN = \"Hx7qL2mZ9vK4tP8wR3nB\"", kind: nil),
        Case(path: "a.py", text: "password = \"{user}:{Hx7qL2mZ9vK4tP8wR3nB}\".format(user=u)", kind: nil),
        Case(path: "a.env", text: "PASSWORD=Hx7qL2m=Z9vK4tP8wR3nB", kind: nil),
    ]

    @Test(arguments: negatives)
    func staysSilent(_ c: Case) {
        #expect(scan(c.text, path: c.path).map(\.kindId) == [])
    }

    @Test func privateKeyReportedOnceOnBeginLine() {
        let body = (0..<12).map { i in String(repeating: "", count: 0) + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC\(i)x7Lm9Qz2" }
        let text = (["x = 1", "-----BEGIN RSA PRIVATE KEY-----"] + body + ["-----END RSA PRIVATE KEY-----"]).joined(separator: "\n")
        let matches = scan(text, path: "keys/id_rsa")
        #expect(matches.map(\.kindId) == ["private-key"])
        #expect(matches.first?.line == 2)
        #expect(matches.first?.range.start.column == 1)
    }

    @Test func serviceAccountBeatsPrivateKey() {
        let body = String(repeating: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7x\\n", count: 4)
        let text = "{\n \"type\": \"service_account\",\n \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n\(body)-----END PRIVATE KEY-----\\n\",\n}"
        #expect(scan(text, path: "sa.json").map(\.kindId) == ["gcp-service-account-key"])
        // Without the service_account marker it is a plain private key.
        #expect(scan(text.replacingOccurrences(of: "service_account", with: "external_account"), path: "sa.json").map(\.kindId) == ["private-key"])
    }

    @Test func oneFindingPerSecretPerLineMostSpecificWins() {
        let pypi = fake("pypi-AgEIcHlwaS5vcmc", String(repeating: "Qz8rLm2Xv9Tn4Kp7", count: 4))
        let matches = scan("pip install --index-url https://__token__:\(pypi)@upload.pypi.org/legacy/ x", path: "a.sh")
        #expect(matches.map(\.kindId) == ["pypi-token"])
        let twice = scan("a = '\(ghp)'; b = '\(ghp)'")
        #expect(twice.count == 1)
    }

    @Test func columnsCountUnicodeScalars() throws {
        let text = "émoji = \"🔑\" ; token = \"\(ghp)\""
        let m = try #require(scan(text).first)
        let prefix = text.components(separatedBy: ghp)[0]
        #expect(m.range.start.column == prefix.unicodeScalars.count + 1)
        #expect(m.range.end.column == m.range.start.column + ghp.unicodeScalars.count)
        #expect(m.line == 1)
    }

    @Test func rawSecretNeverLeavesTheMatch() {
        let secrets = [ghp, fake("sk_live_", "51Hx7qL2mZ9vK4tP8wR3nB6yJ1cF5"), fake("Tr0ub4", "dor&3xK9")]
        for secret in secrets {
            for m in scan("password = \"\(secret)\"\nx = '\(secret)'") {
                let dump = "\(m)"
                #expect(!dump.contains(secret))
                #expect(m.redacted == String(secret.prefix(4)) + "…")
                #expect(m.secretHash == SHA256Digest.hex(secret))
            }
        }
        #expect(SecretScanner.redact("abcdef") == "abc…")
    }

    @Test(arguments: [
        ("x = '\(ghp)'  # pragma: allowlist secret", true),
        ("x = '\(ghp)'  # gitleaks:allow", true),
        ("# pragma: allowlist nextline secret\nx = '\(ghp)'", true),
        ("x = '\(ghp)'", false),
    ])
    func lineAllowlistFlag(_ text: String, _ allowlisted: Bool) {
        #expect(scan(text).map(\.isLineAllowlisted) == [allowlisted])
    }
}

struct SecretScannerSkipTests {
    @Test func skipsBinaryLockAndLargeFiles() throws {
        let secret = Array("t = '\(ghp)'".utf8)
        #expect(scanner.scan(path: "img/logo.png", bytes: [0x89, 0x50, 0x00] + secret).skipped == .binary)
        for lock in ["poetry.lock", "package-lock.json", "yarn.lock", "Pipfile.lock", "uv.lock", "pnpm-lock.yaml", "Cargo.lock", "composer.lock", "go.sum"] {
            #expect(scanner.scan(path: "svc/\(lock)", bytes: secret).skipped == .lockFile(lock))
        }
        let small = try SecretScanner(options: SecretScannerOptions(maxFileSize: 10))
        #expect(small.scan(path: "a.py", bytes: secret).skipped == .tooLarge(size: secret.count, limit: 10))
        let scanned = scanner.scan(path: "a.py", bytes: secret)
        #expect(scanned.skipped == nil && scanned.matches.count == 1)
    }
}

struct SecretScannerOptionsTests {
    static let extra = SecretPattern(id: "acme-token", description: "ACME internal token", regex: #"(acme_[a-z0-9]{20})"#, keywords: ["acme_"], minEntropy: 3)

    @Test func extraPatternsDisabledKindsAndAllowlists() throws {
        let token = fake("acme_", "k3j9x2m7q8z1w5v4b6n0")
        let s = try SecretScanner(options: SecretScannerOptions(extraPatterns: [Self.extra], disabledKinds: ["github-token"]))
        #expect(scan("a = '\(token)'", with: s).map(\.kindId) == ["acme-token"])
        #expect(scan("a = '\(ghp)'", with: s).isEmpty)
        let allow = SecretAllowlist(description: "test tokens", paths: ["tests/**"], regexes: ["^ghp_Zq8"])
        let a = try SecretScanner(options: SecretScannerOptions(allowlists: [allow]))
        #expect(scan("a = '\(ghp)'", path: "tests/unit/test_x.py", with: a).isEmpty)
        #expect(scan("a = '\(ghp)'", path: "src/x.py", with: a).count == 1)
        let lineAllow = SecretAllowlist(paths: ["**"], regexes: ["NOSONAR"], regexTarget: .line)
        let l = try SecretScanner(options: SecretScannerOptions(allowlists: [lineAllow]))
        #expect(scan("a = '\(ghp)' # NOSONAR", with: l).isEmpty)
    }

    @Test(arguments: [
        (SecretScannerOptions(extraPatterns: [SecretPattern(id: "bad", description: "", regex: "(unclosed", keywords: ["x"])]), "invalid regex"),
        (SecretScannerOptions(extraPatterns: [SecretPattern(id: "bad", description: "", regex: "(a)", secretGroup: 2, keywords: ["a"])]), "only 1 capture group"),
        (SecretScannerOptions(extraPatterns: [SecretPattern(id: "bad", description: "", regex: "(a)", keywords: [])]), "`keywords` is empty"),
        (SecretScannerOptions(extraPatterns: [SecretPattern(id: "github-token", description: "", regex: "(a)", keywords: ["a"])]), "already used"),
        (SecretScannerOptions(disabledKinds: ["no-such-kind"]), "does not exist"),
        (SecretScannerOptions(allowlists: [SecretAllowlist(description: "p", paths: ["**"], regexes: [])]), "path-only allowlists are not allowed"),
        (SecretScannerOptions(allowlists: [SecretAllowlist(description: "r", paths: [], regexes: ["x"])]), "`paths` is empty"),
        (SecretScannerOptions(maxFileSize: 0), "must be positive"),
    ])
    func validationErrorsSayWhatToFix(_ options: SecretScannerOptions, _ fragment: String) {
        do {
            _ = try SecretScanner(options: options)
            Issue.record("expected an error containing \(fragment)")
        } catch let error as SecretScannerError {
            #expect(error.description.contains(fragment), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func optionsDecodeFromJSON() throws {
        let json = #"{"disabledKinds": ["jwt"], "maxFileSize": 1024, "allowlists": [{"paths": ["docs/"], "regexes": ["^AKIA"]}], "extraPatterns": [{"id": "acme-token", "regex": "(acme_[a-z0-9]{20})", "secretGroup": 1, "keywords": ["acme_"]}]}"#
        let options = try JSONDecoder().decode(SecretScannerOptions.self, from: Data(json.utf8))
        #expect(options.disabledKinds == ["jwt"])
        #expect(options.maxFileSize == 1024)
        #expect(options.allowlists.first?.regexTarget == .secret)
        #expect(options.extraPatterns.first?.severity == .error)
        _ = try SecretScanner(options: options)
    }

    @Test func catalogueHasAtLeast25KindsAndValidates() throws {
        #expect(SecretCatalogue.kindIds.count >= 25)
        #expect(try SecretScanner().enabledPatterns.count == SecretCatalogue.builtIn.count)
    }

    /// The built-in regexes are compiled on first use, where a mistake in one would stop the run: each of them passes
    /// the checks a configured pattern gets when the configuration is read (regex, capture groups, allowlists).
    @Test(arguments: SecretCatalogue.builtIn.map(\.id))
    func builtInPatternCompilesAsAConfiguredOneWould(_ id: String) throws {
        let pattern = try #require(SecretCatalogue.builtIn.first { $0.id == id })
        let compiled = try SecretScanner.compile(pattern)
        #expect(compiled.compiledRegex.isCompiled)
        #expect(compiled.regex.pattern == pattern.regex)
        #expect(compiled.allowlists.allSatisfy { $0.regexes.allSatisfy(\.isCompiled) })
        #expect(compiled.allowlists.map(\.regexes.count) == pattern.allowlists.map(\.regexes.count))
    }

    @Test("a built-in pattern's regex is compiled when a line first needs it, and only then")
    func builtInRegexesCompileOnFirstUse() throws {
        let prepared = try SecretScanner.compiledBuiltIns.get()
        let github = try #require(prepared.firstIndex { $0.pattern.id == "github-token" })
        let fresh = try SecretScanner.compile(SecretCatalogue.builtIn[github], lazily: true)
        #expect(!fresh.compiledRegex.isCompiled)
        let withAllowlist = try #require(SecretCatalogue.builtIn.first { !$0.allowlists.isEmpty })
        let lazyAllowlists = try SecretScanner.compile(withAllowlist, lazily: true).allowlists
        #expect(!lazyAllowlists.isEmpty && lazyAllowlists.allSatisfy { $0.regexes.allSatisfy { !$0.isCompiled } })
        #expect(fresh.regex.firstMatch(in: ghp, range: NSRange(location: 0, length: ghp.utf16.count)) != nil)
        #expect(fresh.compiledRegex.isCompiled)
        // A scanner made from the built-ins (shared by the process: other tests may have compiled some of them) has
        // a pattern's regex compiled once a line holds one of its keywords, and finds with it.
        let own = try SecretScanner()
        #expect(scan("TOKEN = \"\(ghp)\"", with: own).map(\.kindId) == ["github-token"])
        #expect(own.patterns.first { $0.pattern.id == "github-token" }?.compiledRegex.isCompiled == true)
    }
}

struct SecretPrimitiveTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ])
    func sha256KnownVectors(_ input: String, _ hex: String) {
        #expect(SHA256Digest.hex(input) == hex)
    }

    @Test func automatonFindsOverlappingKeywordsCaseInsensitively() {
        let a = KeywordAutomaton(keywords: ["he", "she", "hers", "AKIA"])
        var hits: [(Int, String)] = []
        let text = Array("uSHErs\nakia".utf8)
        text.withUnsafeBufferPointer { buf in a.scan(buf) { hits.append(($0, a.keywords[$1])) } }
        #expect(hits.map(\.1).sorted() == ["akia", "he", "hers", "she"])
        #expect(hits.first { $0.1 == "hers" }?.0 == 5)
        // No match across a line break.
        var none = 0
        Array("sh\ne".utf8).withUnsafeBufferPointer { buf in a.scan(buf) { _, _ in none += 1 } }
        #expect(none == 0)
    }

    @Test(arguments: [
        ("**", "a/b/c.py", true), ("fixtures/committed-secret/", "fixtures/committed-secret/x/.env", true),
        ("tests/**/*.py", "tests/a/b/test_x.py", true), ("tests/**/*.py", "tests/test_x.py", true),
        ("*.lock", "svc/poetry.lock", true), ("src/*.py", "src/a/b.py", false), ("/docs/", "src/docs/x.md", false), ("docs/", "src/docs/x.md", true),
    ])
    func globs(_ glob: String, _ path: String, _ expected: Bool) {
        #expect(SecretHeuristics.globMatches(glob, path: path) == expected)
    }

    @Test func entropyAndKeyNames() {
        #expect(SecretHeuristics.shannonEntropy("aaaa") == 0)
        #expect(abs(SecretHeuristics.shannonEntropy("abcd") - 2) < 1e-9)
        for name in ["password", "DB_PASSWORD", "apiKey", "x-api-key", "client_secret", "SECRET_KEY", "_authToken", "self.token", "DB_PASS"] {
            #expect(SecretHeuristics.isSecretKeyName(name), "\(name)")
        }
        for name in ["user_id", "key_name", "secret_name", "token_path", "password_file", "public_key", "csrf_token", "token_url", "TOKEN_ENV", "max_tokens", "tokenizer", "keyboard"] {
            #expect(!SecretHeuristics.isSecretKeyName(name), "\(name)")
        }
    }
}

struct SecretFixtureCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/committed-secret")

    static func files() -> [String] {
        let e = FileManager.default.enumerator(atPath: root.path)
        var out: [String] = []
        while let rel = e?.nextObject() as? String {
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(rel).path, isDirectory: &dir), !dir.boolValue, rel != "EXPECTED.tsv" {
                out.append(rel)
            }
        }
        return out.sorted()
    }

    @Test func scannerFindsExactlyTheExpectedSecrets() throws {
        let tsv = try String(contentsOf: Self.root.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
        let expected = Set(tsv.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        #expect(expected.count >= 60)
        var found = Set<String>()
        var annotated = Set<String>()
        for rel in Self.files() {
            let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(rel)))
            for m in scanner.scan(path: rel, bytes: bytes).matches where !m.isLineAllowlisted {
                #expect(found.insert("\(rel)\t\(m.line)\t\(m.kindId)").inserted)
            }
            // The annotation convention: `expect:` exactly above each expected line.
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() where line.contains("expect: committed-secret") {
                annotated.insert("\(rel)\t\(i + 2)")
            }
        }
        #expect(found.subtracting(expected).sorted() == [], "unexpected findings")
        #expect(expected.subtracting(found).sorted() == [], "missed findings")
        let expectedLines = Set(expected.map { $0.split(separator: "\t").prefix(2).joined(separator: "\t") })
        #expect(expectedLines == annotated)
        #expect(Set(expected.map { String($0.split(separator: "\t")[2]) }).count >= 25)
    }
}

struct AssignmentScannerTests {
    // The hand-written scanner must agree with the documented generic regex on these shapes.
    @Test(arguments: [
        "password = \"Hx7qL2mZ9vK4\"", "DB_PASSWORD=Hx7qL2mZ9vK4", "export API_TOKEN='Hx7qL2mZ9vK4'", "  db-password: Hx7qL2mZ9vK4",
        "\"apiKey\": \"Hx7qL2mZ9vK4\",", "d[\"secret\"] = \"Hx7qL2mZ9vK4\"", "connect(password=\"Hx7qL2mZ9vK4\")",
        "    \"password = \\\"Hx7qL2mZ9vK4\\\"\\n\",", "token := \"Hx7qL2mZ9vK4\"", "secret => 'Hx7qL2mZ9vK4'", "ENV API_TOKEN=Hx7qL2mZ9vK4",
        "password = r\"Hx7qL2mZ9vK4\"", "if password == \"Hx7qL2mZ9vK4\":",
    ])
    func agreesWithGenericRegex(_ line: String) throws {
        let pattern = try #require(SecretCatalogue.builtIn.first { $0.engine == .assignmentScanner })
        let regex = try NSRegularExpression(pattern: pattern.regex)
        let viaRegex = regex.matches(in: line, range: NSRange(location: 0, length: (line as NSString).length)).map { [$0.range(at: 1), $0.range(at: 2)] }
        let viaScanner = AssignmentScanner.candidates(Array(line.utf16))
            .filter { SecretHeuristics.keyWords(($0.key.location, $0.key.length) == (0, 0) ? "" : (line as NSString).substring(with: $0.key)).contains { w in
                ["password", "secret", "token", "apikey"].contains(w) || w == "api" } }
            .map { [$0.key, $0.value] }
        #expect(viaScanner == viaRegex)
    }

    @Test func dockerLegacyEnv() throws {
        let line = "ENV DB_PASSWORD Hx7qL2mZ9vK4"
        let c = try #require(AssignmentScanner.candidates(Array(line.utf16)).first)
        #expect((line as NSString).substring(with: c.key) == "DB_PASSWORD")
        #expect((line as NSString).substring(with: c.value) == "Hx7qL2mZ9vK4")
    }
}
