// Model for pip requirements files: https://pip.pypa.io/en/stable/reference/requirements-file-format/

/// What one logical line of a requirements file does.
public enum RequirementsEntryKind: String, Hashable, Sendable {
    /// A PEP 508 requirement (`name[extras]specifier; marker` or `name @ url`).
    case requirement
    /// `-e path-or-url`.
    case editable
    /// A bare URL, VCS reference, local path or archive/wheel file.
    case urlOrPath
    /// `-r FILE`.
    case include
    /// `-c FILE`.
    case constraintInclude
    /// A line of global options only (`-i`, `--pre`, `--only-binary`, …).
    case globalOption
}

/// One option as pip's option parser read it (long name, value or nil for flags).
public struct RequirementsOption: Hashable, Sendable {
    /// Canonical long name, e.g. `--index-url`, `--hash`, `--pre`.
    public var name: String
    public var value: String?
    public init(name: String, value: String?) { self.name = name; self.value = value }
}

/// One logical line (after continuation joining, comment stripping and `${VAR}` expansion).
public struct RequirementsEntry: Hashable, Sendable {
    public var kind: RequirementsEntryKind
    /// 1-based physical line where the logical line starts (pip's line number) and where it ends.
    public var line: Int
    public var lastLine: Int
    /// Range of the logical line's text in the file.
    public var range: SourceRange
    /// The logical line as pip saw it.
    public var rawText: String
    /// pip's requirement string (the args part, or the `-e` value), nil for option/include lines.
    public var requirementText: String?
    /// The parsed PEP 508 requirement, when the requirement string is (or names) one.
    public var requirement: Requirement?
    /// For `urlOrPath`/`editable`: the URL or path (without marker), and the name pip derives
    /// (`#egg=` fragment or wheel file name), if any.
    public var location: String?
    public var derivedName: String?
    /// `-r`/`-c` target as written.
    public var includePath: String?
    /// Every option on the line, in order.
    public var options: [RequirementsOption]
    /// `--hash` values by algorithm (per requirement).
    public var hashes: [String: [String]]
    /// `--config-settings KEY=VAL` pairs in order.
    public var configSettings: [RequirementsOption]
    /// Positional words pip's option parser silently discards.
    public var droppedWords: [String]

    /// True when this entry came from a constraints file (set by the resolver; false from the parser).
    public var isConstraint: Bool = false
}

/// A parsed requirements file.
public struct RequirementsDocument: Hashable, Sendable {
    /// Repo-relative path given to the parser.
    public var path: String
    public var entries: [RequirementsEntry]
    public var problems: [ParseProblem]
    /// Encoding used to decode the file (`utf-8`, `utf-16`, `latin-1`, …).
    public var encoding: String

    /// Entries that install something (requirement, editable, url-or-path).
    public var requirements: [RequirementsEntry] {
        entries.filter { $0.kind == .requirement || $0.kind == .editable || $0.kind == .urlOrPath }
    }
}
