// Imports-only scan of a Python file: the facts `PythonSemanticModel.imports` gives, without the full syntax tree.
// The engine uses it for files that contain none of the enabled Python rules' keywords (design: docs/ARCHITECTURE.md).

/// One import statement as a plain, cacheable value. Built from a `PyImportRecord`, so the full front end and
/// `PythonImportScanner` produce the same value for the same statement.
public struct PyImportFact: Codable, Hashable, Sendable {
    /// One imported name (`a.b` of `import a.b as c`, `x` of `from m import x`, or `*`).
    public struct Name: Codable, Hashable, Sendable {
        public var name: String
        public var asName: String?
        /// Fully qualified target (relative imports resolved when the module name is known).
        public var qualifiedName: String
        public var line: Int, column: Int, endLine: Int, endColumn: Int

        public init(_ n: PyImportedName) {
            name = n.name; asName = n.asName; qualifiedName = n.qualifiedName
            line = n.range.start.line; column = n.range.start.column; endLine = n.range.end.line; endColumn = n.range.end.column
        }
        public var range: SourceRange {
            SourceRange(start: SourceLocation(line: line, column: column), end: SourceLocation(line: endLine, column: endColumn))
        }
    }

    /// Module as written without leading dots (see `PyImportRecord.module`).
    public var module: String
    /// True for `from … import`.
    public var isFrom: Bool
    public var names: [Name]
    /// Leading dots of a relative import.
    public var level: Int
    /// The statement's range.
    public var line: Int, column: Int, endLine: Int, endColumn: Int
    public var context: PyDefinitionContext
    /// Inside the body of a `try` whose handlers catch the import failing (see `guardedBy`).
    public var isGuardedByTry: Bool
    /// What the innermost such `try` catches: `ImportError`, `ModuleNotFoundError`, `Exception`, `BaseException`, or
    /// `except` for a bare handler. Nil when not guarded.
    public var guardedBy: String?
    /// Under `if TYPE_CHECKING:`.
    public var isTypeCheckingOnly: Bool

    public init(_ r: PyImportRecord) {
        module = r.module; isFrom = r.isFrom; names = r.names.map(Name.init); level = r.level
        line = r.range.start.line; column = r.range.start.column; endLine = r.range.end.line; endColumn = r.range.end.column
        context = r.context; isGuardedByTry = r.isGuardedByTry; guardedBy = r.guardedBy; isTypeCheckingOnly = r.isTypeCheckingOnly
    }

    public var range: SourceRange {
        SourceRange(start: SourceLocation(line: line, column: column), end: SourceLocation(line: endLine, column: endColumn))
    }
    public var isTopLevel: Bool { context == .module }
}

extension PyDefinitionContext: Codable {}

/// Finds the imports of a Python file without building its full syntax tree.
///
/// The file is tokenized as usual, then parsed in the parser's imports-only mode: a logical line without an
/// `import` keyword is skipped to its NEWLINE (exactly where error recovery would resume), while compound-statement
/// headers (`def`, `class`, `if`, `try`/`except`, `with`, …) are parsed in full. The semantic model then runs over
/// that small tree, so context, `try` guards, `TYPE_CHECKING` and relative-import resolution are the model's own.
/// `PythonImportScannerTests` checks that the result equals `PythonSemanticModel.imports` on every test corpus.
public enum PythonImportScanner {
    /// Import facts of `bytes`, in source order. `moduleName`/`isPackage` as for `PythonSemanticModel`.
    public static func scan(_ bytes: [UInt8], moduleName: String? = nil, isPackage: Bool = false) -> [PyImportFact] {
        let (records, tree) = recordsAndTree(bytes, moduleName: moduleName, isPackage: isPackage)
        return withExtendedLifetime(tree) { records.map(PyImportFact.init) }
    }

    /// The imports of `bytes` as `PyImportRecord`s, with the imports-only tree they come from (each record's
    /// `statement` is a node of it, valid while the returned module is alive): its imports and compound statements, and every
    /// line that names `sys` or `site` (what a `sys.path` edit needs), parsed in full (its module owns the nodes of the
    /// records' statements). Nil without any import.
    public static func recordsAndTree(_ bytes: [UInt8], moduleName: String? = nil, isPackage: Bool = false)
        -> (records: [PyImportRecord], tree: PyModule?) {
        // No `import` keyword anywhere: nothing to find (tokenizing would only confirm it).
        guard containsImportKeyword(bytes) else { return ([], nil) }
        let module = PythonParser.parseImportsOnly(bytes)
        return (PyImportCollector.imports(of: module, moduleName: moduleName, isPackage: isPackage), module)
    }

    /// `recordsAndTree(bytes, …)` together with the problems and comments of `PythonParser.parse(bytes)`, from one
    /// tokenization and without keeping the full tree: the parse that finds the problems drops each top-level
    /// statement once parsed, and the records come from the imports-only tree. `PythonImportScannerTests` checks
    /// both against the full front end.
    public static func recordsAndProblems(_ bytes: [UInt8], moduleName: String? = nil, isPackage: Bool = false)
        -> (records: [PyImportRecord], problems: [ParseProblem], comments: [PyToken], tree: PyModule?) {
        let (module, importsTree) = PythonParser.problemsAndImportsOnly(bytes, imports: containsImportKeyword(bytes))
        let records = importsTree.map { PyImportCollector.imports(of: $0, moduleName: moduleName, isPackage: isPackage) } ?? []
        return (records, module.problems, module.comments, importsTree)
    }

    /// True when `import` occurs in the bytes as a whole word.
    static func containsImportKeyword(_ bytes: [UInt8]) -> Bool {
        let n = bytes.count
        guard n >= 6 else { return false }
        return bytes.withUnsafeBufferPointer { b in
            @inline(__always) func isIdent(_ c: UInt8) -> Bool {
                (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
            }
            let start = SourceText.hasUTF8BOM(bytes) ? 3 : 0
            var i = start
            while i + 6 <= n {
                if b[i] == 0x69, b[i + 1] == 0x6D, b[i + 2] == 0x70, b[i + 3] == 0x6F, b[i + 4] == 0x72, b[i + 5] == 0x74,
                   i == start || !isIdent(b[i - 1]), i + 6 == n || !isIdent(b[i + 6]) {
                    return true
                }
                i += 1
            }
            return false
        }
    }
}
