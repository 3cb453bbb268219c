import FleetLintSyntax
// Noise filters for secret candidates. Ideas from detect-secrets' filters/heuristic.py
// (sequential strings, UUIDs, id-like names, templates, indirect references) and the gitleaks
// global allowlist (templates, repeated characters, letters-only generic values); see
// docs/reference/secrets.md §1. All functions are pure.

import Foundation

/// Pure helpers that decide whether a candidate string looks like a real secret.
public enum SecretHeuristics {
    /// Shannon entropy in bits per character (over Unicode scalars).
    public static func shannonEntropy(_ s: String) -> Double {
        var counts: [UInt32: Int] = [:]
        var n = 0
        for u in s.unicodeScalars { counts[u.value, default: 0] += 1; n += 1 }
        guard n > 0 else { return 0 }
        var h = 0.0
        for (_, c) in counts {
            let p = Double(c) / Double(n)
            h -= p * log2(p)
        }
        return h
    }

    static let placeholderFragments = [
        "example", "your_", "your-", "yourkey", "yourtoken", "yoursecret", "changeme", "change_me", "change-me",
        "placeholder", "dummy", "redacted", "replace", "insert", "xxxx", "****", "...", "…", "<", ">", "${", "{{", "}}",
        "%(", "todo", "fixme", "notreal", "not-real", "not_real", "sample", "secrets.", "foobar",
    ]

    static let placeholderFragmentBytes = placeholderFragments.map { Array($0.utf8) }

    /// Whether `needle` occurs in `haystack` (bytes; both short).
    static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// A template, placeholder, masked or synthetic value (`YOUR_API_KEY`, `xxxx`, `<token>`, `${VAR}`, `{{ x }}`,
    /// `changeme`, long runs of one character, ascending runs such as `abcdef`/`123456`).
    public static func isPlaceholder(_ secret: String) -> Bool {
        let lower = secret.lowercased()
        let bytes = Array(lower.utf8)
        // Foundation's `contains` costs thousands of instructions a call; it runs only when the fragment's
        // bytes occur (no fragment character has a canonically equivalent spelling in other bytes, so a
        // match needs them).
        for (fragment, needle) in zip(placeholderFragments, placeholderFragmentBytes)
        where containsBytes(bytes, needle) && lower.contains(fragment) { return true }
        guard !bytes.isEmpty else { return true }
        // Runs of one repeated character (≥ 5) and ascending sequences (≥ 6).
        var same = 1, ascending = 1
        for i in 1..<bytes.count {
            same = bytes[i] == bytes[i - 1] ? same + 1 : 1
            let isAlnum = (bytes[i] >= 0x30 && bytes[i] <= 0x39) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A)
            ascending = (isAlnum && bytes[i] == bytes[i - 1] &+ 1) ? ascending + 1 : 1
            if same >= 5 || ascending >= 6 { return true }
        }
        // Few distinct characters for the length (e.g. `abababab`).
        if Set(bytes).count <= 3 { return true }
        return false
    }

    /// Made only of letters and `_ . -` (words, identifiers, dotted names): never a generic secret.
    public static func isWordLike(_ s: String) -> Bool {
        s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }
    }

    /// Words and short numbers joined by punctuation: `invalid-key-12345`, `username:password`, `new_key_123`.
    public static func isWordsAndSmallNumbers(_ s: String) -> Bool {
        var letters = 0, digits = 0
        func partOK() -> Bool { (letters > 0 && digits == 0) || (letters == 0 && digits <= 6) }
        for b in s.utf8 {
            let isLetter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
            let isDigit = b >= 0x30 && b <= 0x39
            if isLetter { letters += 1 } else if isDigit { digits += 1 } else {
                guard partOK() else { return false }
                letters = 0; digits = 0
            }
        }
        return partOK()
    }

    static let secretNameWords: Set<String> = ["key", "keys", "secret", "secrets", "token", "password", "passwd", "pass", "pwd", "credentials", "credential", "api", "apikey", "dsn", "webhook"]

    /// A value that is itself the *name* of a secret (`phase3-api-key`, `ODDS_API_KEY:latest`, `SENTRY_DSN_V2`),
    /// e.g. a Secret Manager reference: its words include `key`/`secret`/`token`/…, or it is an UPPER_SNAKE constant.
    public static func namesASecret(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: a Character is a letter or number exactly when its byte is `[A-Za-z0-9]` (`\r\n`, the one
            // two-byte Character, is neither), so the words are the runs of those bytes.
            if asciiWordsNameASecret(s.utf8) { return true }
        } else {
            let words = s.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { $0.lowercased() }
            if words.count >= 2, words.contains(where: secretNameWords.contains) { return true }
        }
        let isUpperSnake = s.contains("_") && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        return isUpperSnake
    }

    static let secretNameWordBytes = secretNameWords.sorted().map { Array($0.utf8) }

    /// At least two `[A-Za-z0-9]` runs in `utf8` (ASCII), one of them (lowercased) a `secretNameWords` word.
    static func asciiWordsNameASecret(_ utf8: String.UTF8View) -> Bool {
        var count = 0, named = false
        var word: [UInt8] = []
        word.reserveCapacity(16)
        func endWord() {
            guard !word.isEmpty else { return }
            count += 1
            if !named, word.count <= 11, secretNameWordBytes.contains(word) { named = true }
            word.removeAll(keepingCapacity: true)
        }
        for b in utf8 {
            let lower = b &- 0x41 < 26 ? b | 0x20 : b
            if (lower &- 0x61 < 26) || (b &- 0x30 < 10) { word.append(lower) } else { endWord() }
        }
        endWord()
        return count >= 2 && named
    }

    /// `8-4-4-4-12` hex.
    public static func isUUID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 { if c != 0x2D { return false } } else if !isHex(c) { return false }
        }
        return true
    }

    static func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }

    /// All hex digits (a digest, a commit, an id).
    public static func isHexString(_ s: String) -> Bool { !s.isEmpty && s.utf8.allSatisfy(isHex) }

    static let hashContextWords = ["sha", "md5", "checksum", "etag", "digest", "hash", "integrity", "commit", "fingerprint", "crc"]

    /// The line talks about hashes (`sha256`, `checksum`, `etag`, …).
    public static func hasHashContext(_ lowerLine: String) -> Bool {
        // Foundation's `contains` only where the word's bytes occur (no character canonically equivalent to an
        // ASCII letter has other bytes in a lowercased string, so a match needs them).
        let bytes = Array(lowerLine.utf8)
        return zip(hashContextWords, hashContextWordBytes).contains { word, needle in
            containsBytes(bytes, needle) && lowerLine.contains(word)
        }
    }

    static let hashContextWordBytes = hashContextWords.map { Array($0.utf8) }

    // MARK: Key names

    /// Splits `fooBarBaz`, `FOO_BAR`, `foo-bar.baz` into lowercase words.
    public static func keyWords(_ key: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousLower = false
        for b in key.utf8 {
            let isUpper = b >= 0x41 && b <= 0x5A
            let isLower = (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            if isUpper || isLower {
                if isUpper && previousLower && !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current = [] }
                current.append(isUpper ? b | 0x20 : b)
                previousLower = isLower
            } else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current = [] }
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    static let secretWords: Set<String> = [
        "password", "passwd", "passphrase", "pwd", "secret", "token", "credential", "credentials", "apikey", "accesskey",
        "authkey", "privatekey", "secretkey", "authtoken", "accesstoken", "refreshtoken", "clientsecret", "signingkey",
        "masterkey", "encryptionkey",
    ]
    /// Secret words that also count when glued to a prefix (`pgpassword`); longest first.
    static let gluedSecretWords = ["password", "passwd", "secret", "token", "apikey"]
    /// Prefixes that make a glued name something else (`csrftoken`, `nexttoken`, `maxtoken`).
    static let gluedPrefixStopWords: Set<String> = [
        "csrf", "xsrf", "next", "page", "max", "min", "num", "is", "has", "no", "reset", "refresh", "id", "sub", "de", "re",
        "public", "pub", "continuation", "cursor", "sync", "bearer", "access",
    ]
    static let keyQualifiers: Set<String> = ["api", "access", "auth", "private", "secret", "signing", "master", "encryption", "client", "account", "service", "db", "database"]
    /// Last words that make the name an id, reference or metadata rather than the secret itself.
    static let referenceLastWords: Set<String> = [
        "id", "ids", "name", "names", "path", "paths", "file", "files", "filename", "url", "urls", "uri", "env", "type", "types",
        "length", "len", "count", "size", "ttl", "expiry", "expires", "expiration", "timeout", "header", "headers", "prefix",
        "suffix", "field", "fields", "version", "hash", "hashed", "digest", "pattern", "regex", "re", "dir", "endpoint",
        "format", "mode", "label", "kind", "ref", "arn", "param", "params", "var", "variable", "location", "store", "manager",
        "provider", "class", "cls", "service", "policy", "enabled", "required", "min", "max", "limit", "rotation", "at",
        "usage", "cache", "source", "backend", "index", "idx", "scope", "scopes", "input", "form", "validator", "hint",
        "help", "placeholder", "description", "message", "msg", "error", "reset", "confirm", "confirmation", "strength",
        "salt", "tokens", "secrets", "keys", "key_name", "exists", "set", "present", "flag", "template", "secret_name",
        "mount", "volume", "ver", "version_id", "account", "email", "user", "username", "login", "method", "algorithm",
        "alg", "generator", "factory", "class_name", "attribute", "attr", "option", "lifetime", "refresh_interval", "bucket",
        "project", "region", "display", "column", "table", "key_id", "keyid", "policy_name", "handler", "callback", "fn",
        "func", "function", "module", "loader", "reader", "schema", "model", "serializer",
    ]
    /// Last words allowed after the secret word (`DB_PASSWORD_PROD`, `API_KEY_B64`); built once (building this set on
    /// every call cost ~12,000 instructions a key name).
    static let secretKeyNameTail: Set<String> = [
        "password", "passwd", "passphrase", "pwd", "pass", "secret", "token", "key", "credential",
        "credentials", "apikey", "accesskey", "authkey", "privatekey", "secretkey", "authtoken",
        "base", "value", "prod", "production", "staging", "dev", "test", "live", "raw", "b64", "base64",
        "plain", "plaintext", "str", "string", "bytes", "default", "encoded", "old", "new", "current",
        "v1", "v2", "1", "2",
    ]
    static let referenceAnyWords: Set<String> = ["csrf", "xsrf", "public", "pub", "page", "next", "is", "has", "use", "get", "set", "num", "max", "min", "tokenizer", "placeholder", "example"]

    static let keyNameStems: [[UInt8]] = ["key", "pass", "pwd", "secret", "token", "credential"].map { Array($0.utf8) }

    /// `utf8`, with A–Z lowercased, contains one of `keyNameStems`.
    static func containsKeyNameStem(_ utf8: String.UTF8View) -> Bool {
        func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Bool { keyNameStems.contains { RegexMatcher.containsLowercased(buf, $0) } }
        if let found = utf8.withContiguousStorageIfAvailable(scan) { return found }
        return Array(utf8).withUnsafeBufferPointer(scan)
    }

    /// A key name that names a secret (`password`, `API_KEY`, `clientSecret`, `DB_PASS`) and not an id,
    /// reference or metadata (`*_id`, `key_name`, `secret_name`, `*_path`, `*_file`, `public_key`,
    /// `csrf_token`, `token_url`, `*_env`, `max_tokens`, …).
    public static func isSecretKeyName(_ key: String) -> Bool {
        // Every name this accepts has, lowercased, one of `keyNameStems` in its bytes: each `secretWords` word
        // holds one, as do `key`, `pass` and the glued words (and `keyWords` makes its words of consecutive bytes,
        // lowercasing only A–Z). Most keys on a keyword line have none: no words, no set lookups.
        guard containsKeyNameStem(key.utf8) else { return false }
        // `self.password`, `settings.SECRET_KEY`, `os.environ.token` → the last component.
        let last = key.asciiLastComponent(0x2E).map(String.init) ?? key
        let words = keyWords(last)
        guard let lastWord = words.last else { return false }
        if referenceLastWords.contains(lastWord) { return false }
        if words.contains(where: referenceAnyWords.contains) { return false }
        if words.count >= 2, referenceLastWords.contains(words[words.count - 2] + "_" + lastWord) { return false }
        var found = false
        for (i, w) in words.enumerated() {
            if secretWords.contains(w) { found = true }
            if w == "key", i > 0, keyQualifiers.contains(words[i - 1]) { found = true }
            if w == "pass", i == words.count - 1 { found = true }
            if w == "token" || w == "secret" { found = true }
        }
        // A secret word glued to a short prefix (`PGPASSWORD`, `MYSQLPWD`, `GHTOKEN`), as the last word.
        if !found, let glued = gluedSecretWords.first(where: { lastWord.hasSuffix($0) && lastWord.count > $0.count }) {
            let prefix = lastWord.dropLast(glued.count)
            if prefix.count <= 8, prefix.allSatisfy({ $0.isLetter }), !gluedPrefixStopWords.contains(String(prefix)) { return true }
        }
        // The secret word must be the last word or followed only by environment-ish qualifiers.
        if found { return secretKeyNameTail.contains(lastWord) || secretWords.contains(lastWord) }
        return false
    }

    // MARK: Values

    /// A generic value that is a literal secret candidate (not a call, subscript, attribute chain, lookup,
    /// template, path, URL, number, UUID or word). `after` is the line text following the value;
    /// `lowerLine` is the whole line lowercased (made only for an all-hex value).
    /// `quoted`: the value is a whole string literal, so `(`, `[` and `=` in it are characters, not code.
    public static func isLiteralSecretValue(_ value: String, after: Substring, lowerLine: @autoclosure () -> String, quoted: Bool = false) -> Bool {
        let u = value.utf8
        guard u.count >= 8, value.unicodeScalars.count >= 8, let first = u.first else { return false }
        // Templates, references, YAML tags/anchors, paths.
        switch first {
        case UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "{"), UInt8(ascii: "<"), UInt8(ascii: "!"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "#"),
             UInt8(ascii: "["):
            return false
        default: break
        }
        // Each Character test below runs only where its byte occurs (a Character equal to `(` holds the byte `(`):
        // the answers are the Character tests' answers, without their cost on the common value that lacks the byte.
        // Calls, subscripts, attribute access.
        if !quoted {
            if (u.contains(0x28) && value.contains("(")) || (u.contains(0x5B) && value.contains("[")) { return false }
            if let next = after.first, next == "(" || next == "[" { return false }
        } else if (u.contains(0x7B) && value.contains("{")) || (u.contains(0x7D) && value.contains("}")) {
            return false  // a format string
        }
        if containsValueLookup(value) { return false }
        if isWordLike(value) || isWordsAndSmallNumbers(value) || namesASecret(value) { return false }
        // `a=b` inside an unquoted value is another assignment, not a secret (base64 padding only at the end).
        if !quoted, u.contains(0x3D), let eq = value.firstIndex(of: "="), value[eq...].contains(where: { $0 != "=" }) { return false }
        // Dotted identifiers with digits (`settings.v2_key`, `module.Class1`).
        if u.contains(0x2E), value.contains("."), value.asciiSplit(0x2E).allSatisfy({ part in
            guard let f = part.utf8.first else { return false }
            return !(f >= 0x30 && f <= 0x39) && part.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        }) { return false }
        // Numbers, versions, dates.
        if u.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x3A || $0 == 0x5F }) { return false }
        if isUUID(value) { return false }
        if isHexString(value), hasHashContext(lowerLine()) { return false }
        return true
    }

    static let valueLookups = ["environ", "getenv", "env.", "env(", "secretmanager", "secrets/", "versions/", "projects/", "vault:", "://", "ssm:", "arn:"]
    static let valueLookupBytes = valueLookups.map { Array($0.utf8) }

    /// The lowercased value contains an environment or secret-manager lookup (`environ`, `secrets/`, `://`, …).
    /// An ASCII value is searched with A–Z lowered byte by byte and Foundation's `contains` runs only where the
    /// lookup's bytes occur; any other value takes Foundation's path for every lookup.
    static func containsValueLookup(_ value: String) -> Bool {
        let u = value.utf8
        guard u.allSatisfy({ $0 < 0x80 }) else {
            let lowerValue = value.lowercased()
            return valueLookups.contains { lowerValue.contains($0) }
        }
        func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
            zip(valueLookups, valueLookupBytes).contains { lookup, needle in
                RegexMatcher.containsLowercased(buf, needle) && value.lowercased().contains(lookup)
            }
        }
        if let found = u.withContiguousStorageIfAvailable(scan) { return found }
        return Array(u).withUnsafeBufferPointer(scan)
    }

    // MARK: Decoding

    /// Standard or URL-safe base64 decoding (padding optional); nil on invalid input.
    public static func base64Decode(_ s: Substring) -> [UInt8]? {
        var text = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return [UInt8](data)
    }

    /// Docker `auth`: base64 of `user:password` with a non-placeholder password.
    public static func isBase64Credentials(_ secret: String) -> Bool {
        guard let decoded = base64Decode(Substring(secret)), let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
              colon > 0, colon < decoded.count - 1 else { return false }
        guard decoded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        let password = String(decoding: decoded[(colon + 1)...], as: UTF8.self)
        return password.count >= 6 && !isPlaceholder(password) && !isWordLike(password)
    }

    /// A JWT whose header is JSON with `alg` other than `none`.
    public static func isSignedJWT(_ secret: String) -> Bool {
        let parts = secret.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64Decode(parts[0]) else { return false }
        let text = String(decoding: header, as: UTF8.self).lowercased()
        guard text.hasPrefix("{"), text.contains("\"alg\"") else { return false }
        return !text.contains("\"none\"")
    }

    // MARK: Paths

    /// Path glob match (the shared `Glob`): a glob with no `/` matches a file or directory name anywhere,
    /// one with `/` is anchored at the root, and a directory match covers everything below it.
    public static func globMatches(_ glob: String, path: String) -> Bool {
        Glob(glob).matches(path)
    }

}
