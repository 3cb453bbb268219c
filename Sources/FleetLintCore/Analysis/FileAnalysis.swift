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

/// One `import` / `from … import` statement. Every Python file's imports live until the project rules
/// are done, so the layout is compact: positions as 32-bit numbers and the single imported name of most
/// statements stored inline (no array of its own).
public struct ImportFact: Sendable, Hashable {
    public struct Name: Sendable, Codable, Hashable {
        public var name: String
        public var asName: String?
        public var qualifiedName: String
    }
    public var isFrom: Bool
    public var isGuardedByTry: Bool
    public var isTypeCheckingOnly: Bool
    private var storedLevel: Int32
    /// Module as written without leading dots.
    public var module: String
    private var storedNames: Names
    private var storedRange: CompactRange
    public var context: String

    private enum Names: Sendable, Hashable {
        case one(Name)
        case many([Name])
    }

    /// 1-based lines and columns of a file of at most a few GiB.
    private struct CompactRange: Sendable, Hashable {
        var startLine, startColumn, endLine, endColumn: Int32
    }

    public var names: [Name] {
        get {
            switch storedNames {
            case .one(let n): [n]
            case .many(let ns): ns
            }
        }
        set { storedNames = newValue.count == 1 ? .one(newValue[0]) : .many(newValue) }
    }

    public var level: Int {
        get { Int(storedLevel) }
        set { storedLevel = Int32(clamping: newValue) }
    }

    public var range: SourceRange {
        get {
            SourceRange(
                start: SourceLocation(line: Int(storedRange.startLine), column: Int(storedRange.startColumn)),
                end: SourceLocation(line: Int(storedRange.endLine), column: Int(storedRange.endColumn)))
        }
        set {
            storedRange = CompactRange(
                startLine: Int32(clamping: newValue.start.line), startColumn: Int32(clamping: newValue.start.column),
                endLine: Int32(clamping: newValue.end.line), endColumn: Int32(clamping: newValue.end.column))
        }
    }

    public init(isFrom: Bool, module: String, names: [Name], level: Int, range: SourceRange, context: String,
                isGuardedByTry: Bool, isTypeCheckingOnly: Bool) {
        self.isFrom = isFrom
        self.isGuardedByTry = isGuardedByTry
        self.isTypeCheckingOnly = isTypeCheckingOnly
        storedLevel = 0
        self.module = module
        storedNames = .many([])
        storedRange = CompactRange(startLine: 0, startColumn: 0, endLine: 0, endColumn: 0)
        self.context = context
        self.names = names
        self.level = level
        self.range = range
    }

    public init(_ r: PyImportRecord) {
        self.init(
            isFrom: r.isFrom, module: r.module,
            names: r.names.map { Name(name: $0.name, asName: $0.asName, qualifiedName: $0.qualifiedName) },
            level: r.level, range: r.range, context: r.context.rawValue,
            isGuardedByTry: r.isGuardedByTry, isTypeCheckingOnly: r.isTypeCheckingOnly)
    }
}

extension ImportFact: Codable {
    enum CodingKeys: String, CodingKey {
        case isFrom, module, names, level, range, context, isGuardedByTry, isTypeCheckingOnly
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            isFrom: try c.decode(Bool.self, forKey: .isFrom), module: try c.decode(String.self, forKey: .module),
            names: try c.decode([Name].self, forKey: .names), level: try c.decode(Int.self, forKey: .level),
            range: try c.decode(SourceRange.self, forKey: .range), context: try c.decode(String.self, forKey: .context),
            isGuardedByTry: try c.decode(Bool.self, forKey: .isGuardedByTry),
            isTypeCheckingOnly: try c.decode(Bool.self, forKey: .isTypeCheckingOnly))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isFrom, forKey: .isFrom)
        try c.encode(module, forKey: .module)
        try c.encode(names, forKey: .names)
        try c.encode(level, forKey: .level)
        try c.encode(range, forKey: .range)
        try c.encode(context, forKey: .context)
        try c.encode(isGuardedByTry, forKey: .isGuardedByTry)
        try c.encode(isTypeCheckingOnly, forKey: .isTypeCheckingOnly)
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
