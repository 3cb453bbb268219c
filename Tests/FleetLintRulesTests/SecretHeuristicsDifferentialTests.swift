import Foundation
import Testing
@testable import FleetLintRules

/// The byte-level shortcuts in `SecretHeuristics` and `SecretScanner.UTF16Line` against the implementations they
/// replaced (kept here verbatim as the reference), on hand-made and random inputs, ASCII and not.
struct SecretHeuristicsDifferentialTests {
    // MARK: References (the code before the byte shortcuts)

    static func referenceNamesASecret(_ s: String) -> Bool {
        let words = s.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
        if words.count >= 2, words.contains(where: SecretHeuristics.secretNameWords.contains) { return true }
        let isUpperSnake = s.contains("_") && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        return isUpperSnake
    }

    static func referenceHasHashContext(_ lowerLine: String) -> Bool {
        SecretHeuristics.hashContextWords.contains { lowerLine.contains($0) }
    }

    static func referenceIsLiteralSecretValue(_ value: String, after: Substring, lowerLine: String, quoted: Bool = false) -> Bool {
        guard value.unicodeScalars.count >= 8, let first = value.utf8.first else { return false }
        if [UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "{"), UInt8(ascii: "<"), UInt8(ascii: "!"),
            UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "@"),
            UInt8(ascii: "#"), UInt8(ascii: "[")].contains(first) { return false }
        if !quoted {
            if value.contains("(") || value.contains("[") { return false }
            if let next = after.first, next == "(" || next == "[" { return false }
        } else if value.contains("{") || value.contains("}") {
            return false
        }
        let lowerValue = value.lowercased()
        for lookup in ["environ", "getenv", "env.", "env(", "secretmanager", "secrets/", "versions/", "projects/", "vault:", "://", "ssm:", "arn:"]
        where lowerValue.contains(lookup) { return false }
        if SecretHeuristics.isWordLike(value) || SecretHeuristics.isWordsAndSmallNumbers(value) || referenceNamesASecret(value) { return false }
        if !quoted, let eq = value.firstIndex(of: "="), value[eq...].contains(where: { $0 != "=" }) { return false }
        if value.contains("."), value.asciiSplit(0x2E).allSatisfy({ part in
            guard let f = part.utf8.first else { return false }
            return !(f >= 0x30 && f <= 0x39) && part.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        }) { return false }
        if value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x3A || $0 == 0x5F }) { return false }
        if SecretHeuristics.isUUID(value) { return false }
        if SecretHeuristics.isHexString(value), referenceHasHashContext(lowerLine) { return false }
        return true
    }

    static func referenceIsSecretKeyName(_ key: String) -> Bool {
        let last = key.asciiLastComponent(0x2E).map(String.init) ?? key
        let words = SecretHeuristics.keyWords(last)
        guard let lastWord = words.last else { return false }
        if SecretHeuristics.referenceLastWords.contains(lastWord) { return false }
        if words.contains(where: SecretHeuristics.referenceAnyWords.contains) { return false }
        if words.count >= 2, SecretHeuristics.referenceLastWords.contains(words[words.count - 2] + "_" + lastWord) { return false }
        var found = false
        for (i, w) in words.enumerated() {
            if SecretHeuristics.secretWords.contains(w) { found = true }
            if w == "key", i > 0, SecretHeuristics.keyQualifiers.contains(words[i - 1]) { found = true }
            if w == "pass", i == words.count - 1 { found = true }
            if w == "token" || w == "secret" { found = true }
        }
        if !found, let glued = SecretHeuristics.gluedSecretWords.first(where: { lastWord.hasSuffix($0) && lastWord.count > $0.count }) {
            let prefix = lastWord.dropLast(glued.count)
            if prefix.count <= 8, prefix.allSatisfy({ $0.isLetter }), !SecretHeuristics.gluedPrefixStopWords.contains(String(prefix)) { return true }
        }
        if found {
            let tail: Set<String> = ["password", "passwd", "passphrase", "pwd", "pass", "secret", "token", "key", "credential",
                                     "credentials", "apikey", "accesskey", "authkey", "privatekey", "secretkey", "authtoken",
                                     "base", "value", "prod", "production", "staging", "dev", "test", "live", "raw", "b64", "base64",
                                     "plain", "plaintext", "str", "string", "bytes", "default", "encoded", "old", "new", "current",
                                     "v1", "v2", "1", "2"]
            return tail.contains(lastWord) || SecretHeuristics.secretWords.contains(lastWord)
        }
        return false
    }

    // MARK: Inputs

    /// Hand-made values: every early exit, lookups in both cases, combining marks on the tested bytes, the
    /// Kelvin sign (canonically `K`), `\r\n`, astral characters.
    static let handMade: [String] = [
        "", "a", "abcdefgh", "Xq7Lm2Vt9Rk4Wz8", "os.environ[\"X\"]", "ENVIRON_abc123", "GetEnv(x)1234", "my.env.value99",
        "ENV(abc)defgh", "SecretManager/xyz12", "projects/p/secrets/api-key", "Projects/P/Versions/1", "vault:kv/data#x9",
        "https://user:pw@host", "ssm:/prod/key123", "arn:aws:ssm:x:1:p", "phase3-api-key", "ODDS_API_KEY:latest", "SENTRY_DSN_V2",
        "abc(def)ghij", "abc[0]defgh", "abc{x}defgh", "a}bcdefghi", "k=v&x=yzzzz", "abcdefgh==", "abcd=efgh", "settings.v2_key",
        "module.Class1", "1.2.3-4:5_6", "123e4567-e89b-12d3-a456-426614174000", "deadbeefcafebabe0123", "DEADBEEF01234567",
        "(\u{301}abcdefgh1", "[\u{301}abcdefg12", "=\u{301}abcdefgh1", "a.\u{301}bcdefgh1", "env\u{301}.xyz1234", "\u{212A}ey_Secret_12",
        "p\u{212A}ey-api-key", "ключ_API_KEY", "пароль-secret-key", "éèêë12345678", "🔑🔑🔑🔑🔑🔑🔑🔑", "abc🔑def(ghi", "abc\r\ndefghij",
        "TOKEN_\u{0130}STANBUL", "api\u{00A0}key\u{00A0}value1", "Ⅻ_SECRET_KEY", "x٣y_key_token", "résumé-password-9",
        "django-insecure-7h#x(w)9=kq2@v!m4r$z^8n&p1l*t0(b)c3y+e", "Hx7qL2mZ9vK4tP8", "ghp_Zq8Xw2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0UyVa2R",
    ]

    static let lines: [String] = [
        "", "x = 1", "sha256 = deadbeef", "SHA256: abc", "the Checksum is", "etag: \"abc\"", "chec\u{212A}sum", "sha\u{301}256",
        "md5\u{0301}", "digest — é", "commit=abc", "FINGERPRINT", "crc32", "integrity: sha512-x", "has\u{301}h", "no context here 🔑",
    ]

    static let alphabet: [String] = [
        "a", "b", "e", "k", "n", "v", "x", "s", "h", "A", "E", "K", "S", "0", "1", "9", "_", "-", ".", ":", "/", "=", "(", ")", "[",
        "{", "}", "$", "@", "#", "&", "?", " ", "\u{301}", "é", "\u{212A}", "🔑", "\r\n", "İ", "ß", "env", "environ", "secret",
        "key", "token", "api", "sha", "md5", "://", "arn:", "ssm:", "vault:", "projects/", "versions/", "secrets/", "getenv",
        "SecretManager", "deadbeef", "PASSWORD", "Pass", "dsn", "webhook",
    ]

    /// Deterministic pseudo-random strings over `alphabet` (SplitMix64, so a failure reproduces).
    static func randomStrings(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<count).map { _ in
            let n = Int(next() % 12)
            return (0..<n).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }.joined()
        }
    }

    static var values: [String] { handMade + randomStrings(count: 4000, seed: 0x5EC2E7) }

    // MARK: Tests

    @Test("namesASecret agrees with the Character-split reference")
    func namesASecretAgrees() {
        for v in Self.values {
            #expect(SecretHeuristics.namesASecret(v) == Self.referenceNamesASecret(v), "\(v.debugDescription)")
        }
    }

    @Test("hasHashContext agrees with Foundation's contains on every word")
    func hasHashContextAgrees() {
        for line in Self.lines + Self.randomStrings(count: 2000, seed: 42) {
            for l in [line, line.lowercased()] {
                #expect(SecretHeuristics.hasHashContext(l) == Self.referenceHasHashContext(l), "\(l.debugDescription)")
            }
        }
    }

    @Test("isLiteralSecretValue agrees with the reference, quoted or not, for every following character and line")
    func isLiteralSecretValueAgrees() {
        let afters: [Substring] = ["", "(", "[", " ", "\u{301}", "(\u{301}"]
        for (i, v) in Self.values.enumerated() {
            // Hex values meet every line (the hash-context test); others a rotating few.
            let lineSet = SecretHeuristics.isHexString(v) ? Self.lines : [Self.lines[i % Self.lines.count]]
            for after in afters {
                for line in lineSet {
                    for quoted in [false, true] {
                        let lower = line.lowercased()
                        #expect(SecretHeuristics.isLiteralSecretValue(v, after: after, lowerLine: lower, quoted: quoted)
                            == Self.referenceIsLiteralSecretValue(v, after: after, lowerLine: lower, quoted: quoted),
                            "\(v.debugDescription) after \(after.debugDescription) quoted \(quoted)")
                    }
                }
            }
        }
    }

    @Test("hex values padded to length meet each hash word, in each case")
    func hexValuesAndHashWords() {
        for word in SecretHeuristics.hashContextWords {
            for line in ["x \(word) y", "x \(word.uppercased()) y", "x \(word)\u{301} y", "no"] {
                let lower = line.lowercased()
                for v in ["deadbeefcafe0123", "DEADBEEFCAFE0123", "deadbeefcafe012g"] {
                    #expect(SecretHeuristics.isLiteralSecretValue(v, after: "", lowerLine: lower)
                        == Self.referenceIsLiteralSecretValue(v, after: "", lowerLine: lower), "\(v) \(line.debugDescription)")
                }
            }
        }
    }

    @Test("isSecretKeyName agrees with the reference that built its tail set on every call")
    func isSecretKeyNameAgrees() {
        let keys = ["password", "DB_PASSWORD_PROD", "api_key_b64", "API_KEY", "clientSecret", "PGPASSWORD", "csrftoken", "max_tokens",
                    "secret_name", "self.password", "settings.SECRET_KEY", "token_url", "github_token_v2", "key", "service_key",
                    "MYSQLPWD", "GHTOKEN", "pass", "secret_new", "auth_token_current", "encryption_key_raw"]
        let words = ["api", "key", "secret", "token", "password", "pass", "db", "prod", "id", "name", "b64", "v2", "my", "pg",
                     "csrf", "next", "access", "private", "value", "old", "1", "url", "_", ".", "-", "X"]
        var state: UInt64 = 7
        var generated: [String] = []
        for _ in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let n = Int((state >> 33) % 5) + 1
            var parts: [String] = []
            for k in 0..<n {
                let w = words[Int((state >> UInt64(8 + 5 * k)) % UInt64(words.count))]
                parts.append(k % 2 == 0 ? w.uppercased() : w)
            }
            generated.append(parts.joined(separator: ["_", "", ".", "-"][Int((state >> 3) % 4)]))
        }
        for key in keys + generated + Self.handMade {
            #expect(SecretHeuristics.isSecretKeyName(key) == Self.referenceIsSecretKeyName(key), "\(key.debugDescription)")
        }
    }

    @Test("every word isSecretKeyName accepts holds one of the stems its byte gate looks for")
    func keyNameStemsCoverTheSecretWords() {
        for word in Array(SecretHeuristics.secretWords) + SecretHeuristics.gluedSecretWords + ["key", "pass", "token", "secret"] {
            #expect(SecretHeuristics.containsKeyNameStem(word.utf8), "\(word)")
        }
    }

    @Test("isEnvOrArg equals Foundation's uppercased string of the three units, for every unit in each place")
    func envOrArgAgrees() {
        func reference(_ u: [UInt16]) -> Bool {
            let word = String(utf16CodeUnits: u, count: 3).uppercased()
            return word == "ENV" || word == "ARG"
        }
        for base in [[0x65, 0x6E, 0x76], [0x41, 0x52, 0x47], [0x45, 0x4E, 0x56], [0x61, 0x72, 0x67]] as [[UInt16]] {
            for place in 0..<3 {
                for unit in UInt16.min...UInt16.max {
                    var u = base
                    u[place] = unit
                    if AssignmentScanner.isEnvOrArg(u[0], u[1], u[2]) != reference(u) {
                        Issue.record("\(u.map { String($0, radix: 16) })")
                    }
                }
            }
        }
    }

    @Test("UTF16Line's transcoding equals Array(text.utf16), from repaired bytes too")
    func utf16UnitsAgree() {
        var texts = Self.values + Self.lines
        // Invalid UTF-8 (lone continuation, truncated sequences, overlong, surrogates): String(decoding:) repairs it.
        let invalid: [[UInt8]] = [[0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x94], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                  [0x61, 0xFF, 0x62], [0xF0, 0x9F, 0x94, 0x91, 0x80]]
        texts += invalid.map { String(decoding: $0, as: UTF8.self) }
        for t in texts {
            #expect(SecretScanner.UTF16Line.utf16Units(t) == Array(t.utf16), "\(t.debugDescription)")
        }
    }
}
