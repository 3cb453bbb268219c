import FleetLintCore
import FleetLintSyntax
import Foundation

/// A credential in a tracked file. The secret never leaves the rule: findings carry its kind, a
/// redacted prefix and a hash, and reporters never print the source line.
public struct CommittedSecretRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "committed-secret",
        summary: "A credential is committed in a tracked file",
        category: .secrets,
        defaultSeverity: .error,
        inputs: [.text],
        rationale: """
            ## What it does
            Scans every tracked text file for credentials (one finding per secret per file; repeats of the
            same secret are related locations): 30 built-in kinds a GCP/Python shop meets (GCP
            service-account keys, Google API keys, OAuth client secrets, AWS keys, GitHub/GitLab/Slack/Stripe/
            Twilio/SendGrid/Mailgun/OpenAI/Anthropic/npm/PyPI tokens, Docker `auths`, Discord/Telegram bot
            tokens, Azure connection strings, JWTs, private keys, passwords in URLs) and a generic rule for
            secret-named keys assigned a high-entropy literal in Python, `.env`, YAML, JSON, TOML, INI, shell and
            Dockerfile syntax. A single keyword pass decides which patterns run, and only on the lines that
            contain a keyword. Placeholders (`YOUR_API_KEY`, `<token>`, `${VAR}`, `changeme`), environment
            lookups, hashes next to `sha256`/`etag`, UUIDs, `--hash=` pins and AWS's documented example keys are
            not secrets. Binary files, lock files and files over `max-file-size` (2 MiB) are skipped and counted.
            Findings show the kind and the first characters only (`ghp_…`). `# pragma: allowlist secret` and
            `gitleaks:allow` are honoured so teams can migrate; allowlists in config need both a path glob and a
            content regex.

            ## Why is this bad?
            A committed credential is in every clone, fork, CI cache and backup, forever: deleting the line
            does not remove it from history. Attackers scan public and leaked repositories for these shapes
            within minutes.

            ## Example
            ```python
            SENDGRID_API_KEY = "SG.<22 characters>.<43 characters>"
            ```

            ## Use instead
            ```python
            SENDGRID_API_KEY = os.environ["SENDGRID_API_KEY"]  # injected from Secret Manager at deploy time
            ```
            """,
        options: [
            "allowlists": "array of tables `{paths = [globs], regexes = [regexes], target = \"secret\"|\"match\"|\"line\"}`; both paths and regexes are required",
            "extra-patterns": "array of tables `{id, description, regex, secret-group, keywords, min-entropy}` added to the built-in catalogue",
            "allow-hashes": "secrets to accept everywhere and in every commit, by hash: `sha256:` + the first 16 (or more) hex digits of the secret's SHA-256 (the `secretHash` of a finding)",
            "disabled-kinds": "built-in kind ids to turn off (see `fleetlint rule committed-secret`)",
            "max-file-size": "files larger than this many bytes are skipped (default 2097152)",
        ],
        triggering: [
            Example(path: "svc/settings.py", "# fake, for the rule's example\nGITHUB_TOKEN = \"↓ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO\"\n"),
            Example(path: "svc/.env.example", "# fake\nDATABASE_URL=postgresql://app:↓Vq7rT2xK9pLm4sWz@db.internal:5432/app\n"),
            Example(path: "deploy/values.yaml", "# fake\napi:\n  client_secret: \"↓h3Kp9Qx2Lm7Vt4Rz8Wn5Bc1Yd6\"\n"),
            // A Django key: `(`, `)` and `=` inside a quoted value belong to it.
            Example(path: "svc/settings.py", "# fake\nSECRET_KEY = '↓django-insecure-7h#x(w)9=kq2@v!m4r$z^8n&p1l*t0(b)c3y+e'\n"),
            // A secret word glued to a prefix.
            Example(path: "scripts/dump.sh", "# fake\nexport PGPASSWORD=↓Xq7Lm2Vt9Rk4Wz8\npg_dump -h db orders\n"),
            // A signed JWT alone on its line.
            Example(path: "tests/fixtures/token.txt", "↓eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.Rk3mQ9xL2vT8pZ5wN1cB7yH4dJ6fG0aS\n"),
            // One finding per secret per file; the repeats are related locations.
            Example(path: "svc/clients.py", "# fake\nPRIMARY = {\"token\": \"↓ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO\"}\nBACKUP = {\"token\": \"ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO\"}\n"),
        ],
        nonTriggering: [
            Example(path: "svc/settings.py", "import os\nGITHUB_TOKEN = os.environ[\"GITHUB_TOKEN\"]\nAPI_KEY = \"YOUR_API_KEY\"\nSECRET_NAME = \"projects/p/secrets/api-key\"\n"),
            Example(path: "svc/requirements.txt", "flask==3.0.0 --hash=sha256:9d8f8b8e1a2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd\n"),
            Example(path: "svc/app.py", "# fake\nTOKEN = \"ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO\"  # pragma: allowlist secret\n"),
            // A quoted format string or call text is not a secret; neither is a CSRF token name glued to its prefix.
            Example(path: "svc/config.py", "PASSWORD = \"{user}:{pw}@db\".format(user=u, pw=p)\nCSRFTOKEN = request.cookies.get(\"csrftoken\")\nNEXTTOKEN = resp.json()[\"next\"]\n"),
        ]
    )

    /// The scanner of non-default options (compiled here, so a bad pattern is a configuration error); nil for the
    /// default options, whose process-wide scanner is compiled on first use (a run answered by the run memo
    /// never needs it: ~13 M instructions saved on every warm run).
    let customScanner: SecretScanner?
    var scanner: SecretScanner { customScanner ?? SecretScanner.sharedDefault }

    /// Prepares the catalogue this rule scans with: a configuration's own (allowlists) here, the built-in one usually
    /// already at start-up (`StartUpWarmUp`): its keyword automaton and database, ~5 M instructions during which every
    /// analysis worker would wait at its first text file (its regexes are compiled when a line first needs one).
    public func warmUp() { _ = scanner }
    /// Lowercase hex prefixes of SHA-256 hashes of accepted secrets (`allow-hashes`).
    let allowedHashes: [String]

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.description.options.keys)
        var scannerOptions = SecretScannerOptions()
        for entry in try options.tableArray("allowlists") ?? [] {
            try entry.validateKeys(["paths", "regexes", "target", "description"])
            guard let paths = try entry.stringArray("paths"), !paths.isEmpty,
                  let regexes = try entry.stringArray("regexes"), !regexes.isEmpty else {
                throw options.error("allowlists", "each `allowlists` entry needs both `paths` (globs) and `regexes`; a path-only allowlist would hide every future secret in those files")
            }
            let targetText = try entry.string("target") ?? "secret"
            guard let target = SecretAllowlistTarget(rawValue: targetText) else {
                throw options.error("allowlists", "`target` must be \"secret\", \"match\" or \"line\", not \"\(targetText)\"")
            }
            scannerOptions.allowlists.append(SecretAllowlist(
                description: try entry.string("description") ?? "", paths: paths, regexes: regexes, regexTarget: target))
        }
        for entry in try options.tableArray("extra-patterns") ?? [] {
            try entry.validateKeys(["id", "description", "regex", "secret-group", "keywords", "min-entropy"])
            guard let id = try entry.string("id"), let regex = try entry.string("regex"),
                  let keywords = try entry.stringArray("keywords"), !keywords.isEmpty else {
                throw options.error("extra-patterns", "each `extra-patterns` entry needs `id`, `regex` and non-empty `keywords`")
            }
            let minEntropy: Double
            switch entry.values["min-entropy"] {
            case .int(let i)?: minEntropy = Double(i)
            case .double(let d)?: minEntropy = d
            case nil: minEntropy = 0
            default: throw options.error("extra-patterns", "`min-entropy` must be a number")
            }
            scannerOptions.extraPatterns.append(SecretPattern(
                id: id, description: try entry.string("description") ?? id, regex: regex,
                secretGroup: try entry.int("secret-group") ?? 1, keywords: keywords, minEntropy: minEntropy))
        }
        allowedHashes = try (options.stringArray("allow-hashes") ?? []).map { entry throws(ConfigurationError) in
            try Self.parseAllowedHash(entry, options: options)
        }
        scannerOptions.disabledKinds = try options.stringArray("disabled-kinds") ?? []
        if let size = try options.int("max-file-size") { scannerOptions.maxFileSize = size }
        do {
            // Default options share the process-wide scanner: its regexes are compiled once, when first used.
            customScanner = scannerOptions == SecretScannerOptions() ? nil : try SecretScanner(options: scannerOptions)
        } catch {
            throw options.error(nil, "\(error)")
        }
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        // The engine read the file once (binary check included).
        let scanner = self.scanner
        let result = scanner.scan(path: file.path, text: file.bytes) { file.secretKeywordHits = SecretKeywordHits(scanner: ObjectIdentifier(scanner), hits: $0) }
        if let skipped = result.skipped {
            switch skipped {
            case .binary: break  // already counted by the engine
            case .lockFile: context.recordSkip("lock file")
            case .tooLarge: context.recordSkip("over the secret-scan size limit")
            }
            return []
        }
        // One finding per secret per file, at its first occurrence; the others are related locations.
        var occurrences: [String: [SecretMatch]] = [:]
        var order: [String] = []
        for m in result.matches where !m.isLineAllowlisted && !allowedHashes.contains(where: { m.secretHash.hasPrefix($0) }) {
            if occurrences[m.secretHash] == nil { order.append(m.secretHash) }
            occurrences[m.secretHash, default: []].append(m)
        }
        return order.compactMap { hash in
            guard let all = occurrences[hash], let m = all.first else { return nil }
            var metadata: [String: MetadataValue] = [
                "kind": .string(m.kindId), "redacted": .string(m.redacted), "secretHash": .string(String(m.secretHash.prefix(16))),
            ]
            if all.count > 1 { metadata["occurrences"] = .int(all.count) }
            return context.finding(
                path: file.path, range: m.range,
                message: "\(m.kindDescription) `\(m.redacted)` is committed in plain text"
                    + (all.count > 1 ? " (\(all.count) times in this file)" : ""),
                help: "rotate it now (it stays in git history), then load it at runtime from the secret manager or an environment variable",
                related: all.dropFirst().map { RelatedLocation(path: file.path, range: $0.range, note: "the same secret again") },
                metadata: metadata,
                anchor: "secret:" + m.secretHash,
                showsSource: false)
        }
    }
}

extension CommittedSecretRule {
    /// `sha256:0123456789abcdef…` (or the bare digits, as `secretHash` shows them) → the hex prefix; 16 to 64 hex digits, so that an entry can never
    /// match most secrets by accident.
    static func parseAllowedHash(_ entry: String, options: OptionsTable) throws(ConfigurationError) -> String {
        let hex = (entry.hasPrefix("sha256:") ? String(entry.dropFirst(7)) : entry).lowercased()
        guard (16...64).contains(hex.count), hex.allSatisfy({ $0.isHexDigit }) else {
            throw options.error("allow-hashes", "`\(entry)` is not a secret hash; write `sha256:` followed by 16 to 64 hex digits (the `secretHash` of the finding in the JSON report)")
        }
        return hex
    }
}

/// The engine's line-level secret finder, backed by the built-in catalogue.
public struct CatalogueSecretFinder: SecretFinder {
    /// The scanner of the rule's non-default options (extra patterns, allowlists, disabled kinds), if any: what
    /// it finds is redacted too, on top of what the built-in catalogue finds (a secret only a user's pattern
    /// knows must not reach another rule's source line either).
    private let custom: SecretScanner?

    /// Whether a keyword of the custom scanner holds U+FFFD (see `candidateLines`).
    private let customKeywordHoldsReplacement: Bool

    public init() throws { self.init(custom: nil) }
    init(custom: SecretScanner?) {
        self.custom = custom
        customKeywordHoldsReplacement = custom.map(Self.keywordHoldsReplacement) ?? false
    }

    /// Whether a keyword of the built-in catalogue holds U+FFFD (decided when first asked: the catalogue compiles on first use).
    private static let defaultKeywordHoldsReplacement = keywordHoldsReplacement(SecretScanner.sharedDefault)

    private static func keywordHoldsReplacement(_ scanner: SecretScanner) -> Bool {
        scanner.automaton.keywords.contains { $0.unicodeScalars.contains("\u{FFFD}") }
    }

    public func secrets(inLine line: String, path: String) -> [String] {
        // The process-wide scanner is compiled when a finding is first redacted (never in a run answered by the
        // run memo).
        var found = Self.secrets(inLine: line, path: path, scanner: SecretScanner.sharedDefault)
        if let custom {
            for s in Self.secrets(inLine: line, path: path, scanner: custom) where !found.contains(s) { found.append(s) }
        }
        return found
    }

    /// The lines holding a keyword of the built-in catalogue or of the custom scanner. `secrets(inLine:)` scans
    /// a line alone and returns before any regex when the line holds no keyword of a scanner; the automaton
    /// restarts at every line break (`\n`, `\r`: the ends of `LineStarts`' lines), so the keywords found on a
    /// line of the file are those found in the line alone. The line it is given is the line's bytes decoded as
    /// UTF-8: equal to them when they are valid, and otherwise only a keyword holding U+FFFD (the replacement
    /// character) could occur in the decoded line and not in the bytes — then the answer is nil (every line).
    ///
    /// `known`: the hits of a scan of these bytes; used in place of a scanner's own pass when that scanner
    /// found them (the same automaton over the same bytes).
    public func candidateLines(in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts, path: String, known: SecretKeywordHits?) -> [Int]? {
        let scanners = [SecretScanner.sharedDefault] + (custom.map { [$0] } ?? [])
        if (Self.defaultKeywordHoldsReplacement || customKeywordHoldsReplacement), SourceText.firstInvalidUTF8Offset(Array(bytes)) != nil {
            return nil
        }
        var lines: [Int] = []
        for scanner in scanners {
            // `hit >> 16` is the offset of the keyword's last byte; hits come in order of it, so a line is
            // looked up once (the hits up to the next line's start are on it).
            var nextStart = Int.min
            let hits = known.flatMap { $0.scanner == ObjectIdentifier(scanner) ? $0.hits : nil } ?? scanner.automaton.hits(bytes)
            for hit in hits where hit >> 16 >= nextStart {
                let line = lineIndex.line(ofByteOffset: hit >> 16)
                lines.append(line)
                nextStart = line < lineIndex.lineCount ? lineIndex.lineStarts[line] : Int.max
            }
        }
        return lines
    }

    static func secrets(inLine line: String, path: String, scanner: SecretScanner) -> [String] {
        // The redaction pass asks for every line a finding sits on: most hold no keyword, and the scan
        // returns before any regex; the line's scalars are decoded only when it found something.
        let matches = scanner.scan(path: path, bytes: Array(line.utf8)).matches
        if matches.isEmpty { return [] }
        let scalars = Array(line.unicodeScalars)
        return matches.compactMap { m in
            guard m.range.start.line == 1 else { return nil }
            let lo = max(0, m.range.start.column - 1)
            let hi = m.range.end.line == 1 ? min(scalars.count, m.range.end.column - 1) : scalars.count
            guard lo < hi else { return nil }
            return String(scalars: scalars[lo..<hi])
        }
    }
}
