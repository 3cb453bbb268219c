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
    /// Classes with their bases resolved through imports (inheritance credit in adoption); like `calls`,
    /// only when callee patterns are configured (no project rule reads them).
    public var classes: [ClassFact]
    /// Resolved call sites and decorators of the configured callee patterns.
    public var calls: [CallFact]
    /// False when only imports were scanned (no enabled Python rule's keyword occurs in the file).
    public var fullParse: Bool
    /// What `missing-dependency` reads besides the imports (dead fallbacks, `sys.path` edits), from the syntax tree.
    public var importContext = ImportContextFact()
}

/// What a file's imports do not say, read from its syntax tree while it is alive (`PythonFactsExtractor`): which
/// imports are the fallback branch of a `try` whose body imports other modules (`try: import zoneinfo` / `except
/// ImportError: import pytz` — dead code when the target Python has `zoneinfo`), and whether the file extends
/// `sys.path`. Which modules the target Python has is a setting: the rule decides, the fact lists the modules.
public struct ImportContextFact: Sendable, Codable, Hashable {
    /// A `try` whose own body imports modules, and the import statements anywhere inside its handlers.
    public struct Fallback: Sendable, Codable, Hashable {
        /// The modules the import statements of the `try` body import (`a.b` of `import a.b`, `m` of `from m import
        /// x`; relative imports name none), in order.
        public var guardedModules: [String]
        /// Start lines of the import statements (other than relative `from` imports) anywhere in its handlers.
        public var handlerImportLines: [Int]
        public init(guardedModules: [String], handlerImportLines: [Int]) {
            self.guardedModules = guardedModules
            self.handlerImportLines = handlerImportLines
        }
    }
    /// Only `try`s with both guarded modules and handler imports (the others cannot make an import dead).
    public var fallbacks: [Fallback] = []
    /// `sys.path.insert(…)`, `sys.path.append(…)`, `sys.path.extend(…)`, `sys.path = …`, `sys.path += …` or
    /// `site.addsitedir(…)` anywhere in the file.
    public var extendsSysPath = false

    public init(fallbacks: [Fallback] = [], extendsSysPath: Bool = false) {
        self.fallbacks = fallbacks
        self.extendsSysPath = extendsSysPath
    }

    /// Start lines of the imports that are dead on a target whose standard library has every module a fallback's
    /// `try` imports (`isStandardLibrary` answers for a module name).
    public func deadFallbackLines(isStandardLibrary: (String) -> Bool) -> Set<Int> {
        var dead = Set<Int>()
        for f in fallbacks where f.guardedModules.allSatisfy({ !$0.isEmpty && isStandardLibrary($0) }) {
            dead.formUnion(f.handlerImportLines)
        }
        return dead
    }
}

/// One `import` / `from … import` statement, as much of it as the project rules read. Every Python file's
/// imports live until the project rules are done (hundreds of thousands in a large repository), so a fact is
/// 32 bytes: what it imports (`ImportTarget`, one object shared by every equal statement — a repository has
/// a few thousand distinct ones among tens of thousands of statements, see `FactInterner`), 32-bit positions,
/// one byte of flags and one of context. The alias and the resolved target of each name stay in the syntax
/// layer (`PyImportFact`): no project rule reads them.
public struct ImportFact: Sendable, Hashable {
    /// One imported name as written (`a.b` of `import a.b as c`, `x` of `from m import x`, `*`).
    public struct Name: Sendable, Codable, Hashable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    /// The imported names, read in place (no array is made to read them).
    public struct Names: RandomAccessCollection, Sendable {
        fileprivate let target: ImportTarget
        public var startIndex: Int { 0 }
        public var endIndex: Int {
            switch target.names {
            case .one: 1
            case .many(let ns): ns.count
            }
        }
        public subscript(i: Int) -> Name {
            switch target.names {
            case .one(let n):
                precondition(i == 0, "index out of range")
                return Name(name: n)
            case .many(let ns): return Name(name: ns[i])
            }
        }
    }

    /// 1-based lines and columns of a file of at most a few GiB.
    private struct CompactRange: Sendable, Hashable {
        var startLine, startColumn, endLine, endColumn: Int32
    }

    private static let guardedFlag: UInt8 = 1, typeCheckingFlag: UInt8 = 2

    private(set) var target: ImportTarget
    private var storedRange: CompactRange
    private var flags: UInt8
    /// Where the statement is (an enum without payloads: one byte).
    private var storedContext: PyDefinitionContext

    /// Module as written without leading dots.
    public var module: String { target.module }
    public var names: Names { Names(target: target) }
    public var isFrom: Bool { target.isFrom }
    /// Leading dots of a relative import.
    public var level: Int { Int(target.level) }
    /// Inside the body of a `try` whose handlers catch the import failing.
    public var isGuardedByTry: Bool { flags & Self.guardedFlag != 0 }
    /// Under `if TYPE_CHECKING:`.
    public var isTypeCheckingOnly: Bool { flags & Self.typeCheckingFlag != 0 }
    /// `module`, `function` or `class` (`PyDefinitionContext`).
    public var context: String { storedContext.rawValue }

    public var range: SourceRange {
        SourceRange(
            start: SourceLocation(line: Int(storedRange.startLine), column: Int(storedRange.startColumn)),
            end: SourceLocation(line: Int(storedRange.endLine), column: Int(storedRange.endColumn)))
    }

    /// - Parameter context: a `PyDefinitionContext` raw value (anything else reads as `module`).
    public init(isFrom: Bool, module: String, names: [String], level: Int, range: SourceRange, context: String,
                isGuardedByTry: Bool, isTypeCheckingOnly: Bool) {
        target = ImportTarget(module: module, isFrom: isFrom, level: level, names: names)
        flags = (isGuardedByTry ? Self.guardedFlag : 0) | (isTypeCheckingOnly ? Self.typeCheckingFlag : 0)
        storedContext = PyDefinitionContext(rawValue: context) ?? .module
        storedRange = CompactRange(
            startLine: Int32(clamping: range.start.line), startColumn: Int32(clamping: range.start.column),
            endLine: Int32(clamping: range.end.line), endColumn: Int32(clamping: range.end.column))
    }

    public init(_ r: PyImportRecord) {
        self.init(
            isFrom: r.isFrom, module: r.module, names: r.names.map(\.name), level: r.level, range: r.range,
            context: r.context.rawValue, isGuardedByTry: r.isGuardedByTry, isTypeCheckingOnly: r.isTypeCheckingOnly)
    }

    /// The same fact importing an equal, shared target (`FactInterner`).
    func sharing(_ shared: ImportTarget) -> ImportFact {
        var copy = self
        copy.target = shared
        return copy
    }
}

/// What an import statement imports: the module as written, its level, and the names. Immutable and compared
/// by value; equal targets of different statements and files are one object (`FactInterner`).
public final class ImportTarget: Sendable, Hashable {
    enum StoredNames: Sendable, Hashable {
        case one(String)
        case many([String])
    }

    public let module: String
    public let isFrom: Bool
    let level: Int32
    let names: StoredNames

    init(module: String, isFrom: Bool, level: Int, names: [String]) {
        self.module = module
        self.isFrom = isFrom
        self.level = Int32(clamping: level)
        self.names = names.count == 1 ? .one(names[0]) : .many(names)
    }

    private init(module: String, isFrom: Bool, level: Int32, names: StoredNames) {
        self.module = module
        self.isFrom = isFrom
        self.level = level
        self.names = names
    }

    /// An equal target whose strings are the ones `string` gives.
    func withStrings(_ string: (String) -> String) -> ImportTarget {
        let shared: StoredNames = switch names {
        case .one(let n): .one(string(n))
        case .many(let ns): .many(ns.map(string))
        }
        return ImportTarget(module: string(module), isFrom: isFrom, level: level, names: shared)
    }

    public static func == (a: ImportTarget, b: ImportTarget) -> Bool {
        a === b || a.module == b.module && a.isFrom == b.isFrom && a.level == b.level && a.names == b.names
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(module)
        hasher.combine(isFrom)
        hasher.combine(level)
        hasher.combine(names)
    }
}

extension ImportFact: Codable {
    enum CodingKeys: String, CodingKey {
        case isFrom, module, names, level, range, context, isGuardedByTry, isTypeCheckingOnly
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let context = try c.decode(String.self, forKey: .context)
        guard PyDefinitionContext(rawValue: context) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .context, in: c, debugDescription: "unknown import context `\(context)`")
        }
        self.init(
            isFrom: try c.decode(Bool.self, forKey: .isFrom), module: try c.decode(String.self, forKey: .module),
            names: try c.decode([Name].self, forKey: .names).map(\.name), level: try c.decode(Int.self, forKey: .level),
            range: try c.decode(SourceRange.self, forKey: .range), context: context,
            isGuardedByTry: try c.decode(Bool.self, forKey: .isGuardedByTry),
            isTypeCheckingOnly: try c.decode(Bool.self, forKey: .isTypeCheckingOnly))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isFrom, forKey: .isFrom)
        try c.encode(module, forKey: .module)
        try c.encode(Array(names), forKey: .names)
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
