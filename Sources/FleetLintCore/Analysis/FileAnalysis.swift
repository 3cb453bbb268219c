import FleetLintSyntax

/// Everything the engine keeps of one file after analysing it: a small Codable value, cached by blob
/// id. Syntax trees never leave the analyser; project rules and adoption read these facts.
public struct FileAnalysis: Sendable, Codable {
    public var path: String
    /// The kind by name, or `.binary` when the content is binary.
    public var kind: FileKind
    public var blob: BlobID?
    /// Why the file was not analysed (`binary`, `too large`), counted in the summary.
    public var skipped: String?
    /// Problems met while reading, decoding or parsing (reported by `parse-error`).
    public var problems: [ParseProblem] = []
    /// Suppression directives (in Python only those inside real comments).
    public var suppressions: [SuppressionComment] = []
    /// Lines that end with a backslash, when the file has suppressions and `\` continues a line.
    public var continuedLines: [Int] = []
    /// File-rule findings, before the severity, suppression and redaction passes.
    public var findings: [Finding] = []
    /// Files a rule deliberately did not analyse, by reason (lock files, size limits).
    public var ruleSkips: [String] = []
    public var python: PythonFacts?

    /// Parsed manifests handed from the analyser to the project in the same run (never cached: the
    /// project re-parses manifests of cached files from their bytes, which costs milliseconds).
    public var documents: [String: any Sendable] = [:]
    /// The bytes, kept for the passes when the file has findings or problems (never cached).
    public var retainedBytes: [UInt8]?

    enum CodingKeys: String, CodingKey {
        case path, kind, blob, skipped, problems, suppressions, continuedLines, findings, ruleSkips, python
    }

    public init(path: String, kind: FileKind, blob: BlobID?) {
        self.path = path
        self.kind = kind
        self.blob = blob
    }
}

/// The Python facts the project rules and adoption need.
public struct PythonFacts: Sendable, Codable {
    /// `svc/app.py` → `svc.app`; `pkg/__init__.py` → `pkg`.
    public var moduleName: String
    public var isPackage: Bool
    public var imports: [ImportFact]
    /// Classes with their bases resolved through imports (inheritance credit in adoption).
    public var classes: [ClassFact]
    /// Resolved call sites and decorators of the configured callee patterns.
    public var calls: [CallFact]
    /// False when only imports were scanned (no enabled Python rule's keyword occurs in the file).
    public var fullParse: Bool
}

/// One `import` / `from … import` statement.
public struct ImportFact: Sendable, Codable, Hashable {
    public struct Name: Sendable, Codable, Hashable {
        public var name: String
        public var asName: String?
        public var qualifiedName: String
    }
    public var isFrom: Bool
    /// Module as written without leading dots.
    public var module: String
    public var names: [Name]
    public var level: Int
    public var range: SourceRange
    public var context: String
    public var isGuardedByTry: Bool
    public var isTypeCheckingOnly: Bool

    public init(isFrom: Bool, module: String, names: [Name], level: Int, range: SourceRange, context: String,
                isGuardedByTry: Bool, isTypeCheckingOnly: Bool) {
        self.isFrom = isFrom
        self.module = module
        self.names = names
        self.level = level
        self.range = range
        self.context = context
        self.isGuardedByTry = isGuardedByTry
        self.isTypeCheckingOnly = isTypeCheckingOnly
    }

    public init(_ r: PyImportRecord) {
        isFrom = r.isFrom
        module = r.module
        names = r.names.map { Name(name: $0.name, asName: $0.asName, qualifiedName: $0.qualifiedName) }
        level = r.level
        range = r.range
        context = r.context.rawValue
        isGuardedByTry = r.isGuardedByTry
        isTypeCheckingOnly = r.isTypeCheckingOnly
    }
}

/// A class definition.
public struct ClassFact: Sendable, Codable, Hashable {
    public var name: String
    /// Dotted name within the module (`Outer.Inner`).
    public var qualifiedName: String
    public var line: Int
    /// Bases resolved to qualified names (nil where a base is not a resolvable name).
    public var bases: [String?]
    /// The last line of the class body (attributes call sites and findings to classes in adoption).
    public var endLine: Int? = nil
}

/// A resolved call (or decorator) of a configured callee.
public struct CallFact: Sendable, Codable, Hashable {
    public var callee: String
    public var range: SourceRange
    /// Enclosing `Class.method` / function, or `<module>`.
    public var scope: String
    /// The enclosing class's name within the module, if any.
    public var enclosingClass: String?
    public var isDecorator: Bool
}
