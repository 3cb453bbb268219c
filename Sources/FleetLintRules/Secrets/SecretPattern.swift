// Secret patterns as data, modelled on gitleaks rules (https://github.com/gitleaks/gitleaks,
// `config/gitleaks.toml`): id, regex with a secret capture group, keyword prefilter, minimum
// Shannon entropy, allowlists. Regexes use ICU syntax (NSRegularExpression).

import FleetLintSyntax

/// How serious a leaked secret of this kind is.
public enum SecretSeverity: String, Codable, Hashable, Sendable {
    case error, warning, info
}

/// Extra, hand-written validation a pattern's candidate must pass (beyond entropy and placeholders).
public enum SecretCheck: String, Codable, Hashable, Sendable {
    /// Nothing beyond the shared filters.
    case none
    /// `key = value` assignment: capture group 1 is the key name (must be secret-like and not an
    /// id/reference), `secretGroup` the value (must be a literal, not a call/lookup/template/hash/UUID).
    case assignment
    /// The match is a private-key header; the body (same line after `\n` escapes, or the following
    /// lines) must hold at least 64 base64 characters. The body is the secret; the finding is on the header.
    case privateKeyBody
    /// The secret is base64 of `user:password` (Docker `auths`).
    case base64Credentials
    /// The secret is a JWT whose header decodes to JSON with an `alg` other than `none`.
    case jwt
    /// The secret is the password of a URL; word-like or default passwords are dropped.
    case urlPassword
}

/// How candidates are found on a keyword line.
public enum SecretEngine: String, Codable, Hashable, Sendable {
    /// Run `regex` (ICU) on the line.
    case regex
    /// Hand-written `key <op> value` scanner (`=`, `:`, `:=`, `=>`, Dockerfile `ENV K V`), equivalent to the
    /// built-in generic regex but linear-time; group 1 = key, secret = value. The regex is kept for documentation.
    case assignmentScanner
}

/// What an allowlist regex is matched against.
public enum SecretAllowlistTarget: String, Codable, Hashable, Sendable {
    case secret, match, line
}

/// Silences candidates whose path matches one of `paths` (globs) AND whose text matches one of `regexes`.
public struct SecretAllowlist: Codable, Hashable, Sendable {
    /// Why this is allowed (shown in configuration errors).
    public var description: String
    /// Path globs relative to the repo root: `*`, `?`, `**`; a glob without `/` matches the basename;
    /// a glob ending in `/` matches everything below that directory. `**` matches every path.
    public var paths: [String]
    /// ICU regexes; at least one must be found in `regexTarget`.
    public var regexes: [String]
    public var regexTarget: SecretAllowlistTarget

    public init(description: String = "", paths: [String], regexes: [String], regexTarget: SecretAllowlistTarget = .secret) {
        self.description = description
        self.paths = paths
        self.regexes = regexes
        self.regexTarget = regexTarget
    }

    enum CodingKeys: String, CodingKey { case description, paths, regexes, regexTarget }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        paths = try c.decodeIfPresent([String].self, forKey: .paths) ?? []
        regexes = try c.decodeIfPresent([String].self, forKey: .regexes) ?? []
        regexTarget = try c.decodeIfPresent(SecretAllowlistTarget.self, forKey: .regexTarget) ?? .secret
    }
}

/// One kind of secret: how to find it and how to tell it from noise.
public struct SecretPattern: Codable, Hashable, Sendable {
    /// Stable kind id, e.g. `github-token` (several patterns may share one id; disabling the id disables all).
    public var id: String
    /// Human description, e.g. "GitHub personal access token".
    public var description: String
    /// ICU regex run on single lines that contain one of `keywords`.
    public var regex: String
    /// Capture group holding the secret (0 = the whole match).
    public var secretGroup: Int
    /// Case-insensitive literals; the regex only runs on lines containing one of them. Must not be empty.
    public var keywords: [String]
    /// Case-insensitive literals that must all occur somewhere in the file for the pattern to apply.
    public var fileKeywords: [String]
    /// Minimum Shannon entropy (bits per character) of the secret.
    public var minEntropy: Double
    /// Candidate silencers (each needs a path AND a content match).
    public var allowlists: [SecretAllowlist]
    public var severity: SecretSeverity
    /// When several candidates overlap on a line, the highest specificity wins (generic = 10, prefix ≈ 50).
    public var specificity: Int
    public var check: SecretCheck
    /// Candidate finder (default `regex`).
    public var engine: SecretEngine

    public init(
        id: String, description: String, regex: String, secretGroup: Int = 1, keywords: [String],
        fileKeywords: [String] = [], minEntropy: Double = 0, allowlists: [SecretAllowlist] = [],
        severity: SecretSeverity = .error, specificity: Int = 50, check: SecretCheck = .none, engine: SecretEngine = .regex
    ) {
        self.engine = engine
        self.id = id
        self.description = description
        self.regex = regex
        self.secretGroup = secretGroup
        self.keywords = keywords
        self.fileKeywords = fileKeywords
        self.minEntropy = minEntropy
        self.allowlists = allowlists
        self.severity = severity
        self.specificity = specificity
        self.check = check
    }

    enum CodingKeys: String, CodingKey {
        case id, description, regex, secretGroup, keywords, fileKeywords, minEntropy, allowlists, severity, specificity, check, engine
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? id
        regex = try c.decode(String.self, forKey: .regex)
        secretGroup = try c.decodeIfPresent(Int.self, forKey: .secretGroup) ?? 0
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        fileKeywords = try c.decodeIfPresent([String].self, forKey: .fileKeywords) ?? []
        minEntropy = try c.decodeIfPresent(Double.self, forKey: .minEntropy) ?? 0
        allowlists = try c.decodeIfPresent([SecretAllowlist].self, forKey: .allowlists) ?? []
        severity = try c.decodeIfPresent(SecretSeverity.self, forKey: .severity) ?? .error
        specificity = try c.decodeIfPresent(Int.self, forKey: .specificity) ?? 50
        check = try c.decodeIfPresent(SecretCheck.self, forKey: .check) ?? .none
        engine = try c.decodeIfPresent(SecretEngine.self, forKey: .engine) ?? .regex
    }
}

/// Scanner configuration: plain values, decodable from the project config.
public struct SecretScannerOptions: Codable, Hashable, Sendable {
    /// Global allowlists (path globs AND content regexes, both required).
    public var allowlists: [SecretAllowlist]
    /// Project-specific patterns, same shape as the built-ins (ids must not collide with built-ins).
    public var extraPatterns: [SecretPattern]
    /// Built-in kind ids to turn off.
    public var disabledKinds: [String]
    /// Files larger than this many bytes are skipped.
    public var maxFileSize: Int

    public static let defaultMaxFileSize = 2 * 1024 * 1024

    public init(allowlists: [SecretAllowlist] = [], extraPatterns: [SecretPattern] = [], disabledKinds: [String] = [], maxFileSize: Int = SecretScannerOptions.defaultMaxFileSize) {
        self.allowlists = allowlists
        self.extraPatterns = extraPatterns
        self.disabledKinds = disabledKinds
        self.maxFileSize = maxFileSize
    }

    enum CodingKeys: String, CodingKey { case allowlists, extraPatterns, disabledKinds, maxFileSize }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowlists = try c.decodeIfPresent([SecretAllowlist].self, forKey: .allowlists) ?? []
        extraPatterns = try c.decodeIfPresent([SecretPattern].self, forKey: .extraPatterns) ?? []
        disabledKinds = try c.decodeIfPresent([String].self, forKey: .disabledKinds) ?? []
        maxFileSize = try c.decodeIfPresent(Int.self, forKey: .maxFileSize) ?? SecretScannerOptions.defaultMaxFileSize
    }
}

/// A configuration problem; `description` says what to fix.
public enum SecretScannerError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidRegex(patternId: String, regex: String, reason: String)
    case captureGroupOutOfRange(patternId: String, group: Int, groupCount: Int)
    case missingKeywords(patternId: String)
    case duplicateId(String)
    case unknownDisabledKind(String)
    case allowlistWithoutPaths(description: String)
    case allowlistWithoutRegexes(description: String)
    case invalidMaxFileSize(Int)

    public var description: String {
        switch self {
        case let .invalidRegex(id, regex, reason):
            return "secret pattern `\(id)`: invalid regex `\(regex)` (\(reason)); fix the regex (ICU syntax)"
        case let .captureGroupOutOfRange(id, group, count):
            return "secret pattern `\(id)`: secretGroup \(group) but the regex has only \(count) capture group(s); use 0...\(count)"
        case let .missingKeywords(id):
            return "secret pattern `\(id)`: `keywords` is empty; add at least one literal that every match contains"
        case let .duplicateId(id):
            return "secret pattern `\(id)`: id already used by a built-in or another extra pattern; choose a new id"
        case let .unknownDisabledKind(id):
            return "disabled secret kind `\(id)` does not exist; see the built-in catalogue ids"
        case let .allowlistWithoutPaths(d):
            return "secret allowlist `\(d)`: `paths` is empty; give path globs (use `**` for everywhere)"
        case let .allowlistWithoutRegexes(d):
            return "secret allowlist `\(d)`: `regexes` is empty; path-only allowlists are not allowed, add a content regex"
        case let .invalidMaxFileSize(n):
            return "secret maxFileSize \(n) must be positive"
        }
    }
}

/// Why a file was not scanned.
public enum SecretSkipReason: Hashable, Sendable, CustomStringConvertible {
    case binary
    case lockFile(String)
    case tooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .binary: return "binary file (NUL byte in the first 8 KiB)"
        case let .lockFile(name): return "lock file `\(name)`"
        case let .tooLarge(size, limit): return "file too large (\(size) bytes > \(limit))"
        }
    }
}

/// One detected secret; never carries the secret itself.
public struct SecretMatch: Hashable, Sendable {
    public var kindId: String
    public var kindDescription: String
    public var severity: SecretSeverity
    /// 1-based line of the finding.
    public var line: Int
    /// Columns (Unicode scalars, half-open) covering the secret on `line` (for private keys: the BEGIN header).
    public var range: SourceRange
    /// First characters of the secret then `…` (at most 4, never more than half the secret).
    public var redacted: String
    /// Lowercase hex SHA-256 of the secret (a stable fingerprint for baselines).
    public var secretHash: String
    /// The line carries `pragma: allowlist secret` or `gitleaks:allow` (or the previous line `pragma: allowlist nextline secret`).
    public var isLineAllowlisted: Bool
}

/// Result of scanning one file.
public struct SecretScanResult: Hashable, Sendable {
    public var matches: [SecretMatch]
    /// Set when the file was not scanned at all.
    public var skipped: SecretSkipReason?
}

