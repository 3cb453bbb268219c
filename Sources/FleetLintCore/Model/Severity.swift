/// How serious a finding is. Ordered `info < warning < error`.
public enum Severity: String, Codable, Comparable, CaseIterable, Sendable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The family a rule belongs to, used for grouping in `fleetlint rules` and SARIF tags.
public enum RuleCategory: String, Codable, CaseIterable, Sendable {
    case dependencies, reliability, secrets, meta, custom
}

/// The kinds of file the scanner recognises. A rule lists the kinds it needs in `inputs`, and the
/// engine parses a kind only when an enabled rule needs it.
public enum FileKind: String, Codable, CaseIterable, Sendable, Comparable {
    case python, requirements, pyproject, dockerfile, envFile = "env", text, binary

    public static func < (lhs: FileKind, rhs: FileKind) -> Bool { lhs.rawValue < rhs.rawValue }

    /// One bit per kind, for masks made once and tested per file: a `Set<FileKind>` hashes the raw `String`
    /// of the kind (the standard library's hashing of raw-value enums), ~150 K times on a large repository.
    @inlinable public var bit: UInt8 {
        switch self {
        case .python: 1
        case .requirements: 2
        case .pyproject: 4
        case .dockerfile: 8
        case .envFile: 16
        case .text: 32
        case .binary: 64
        }
    }

    /// A requirements file, Dockerfile or pyproject file: parsed into a document the dependency index reads.
    @inlinable public var isManifest: Bool { self == .requirements || self == .dockerfile || self == .pyproject }

    /// The bits of `kinds`.
    public static func mask(_ kinds: some Sequence<FileKind>) -> UInt8 { kinds.reduce(0) { $0 | $1.bit } }
}
