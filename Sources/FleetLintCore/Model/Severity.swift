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
}
