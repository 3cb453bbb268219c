// Python syntax tree, modelled on CPython's `ast` module (https://docs.python.org/3/library/ast.html).
// A file's nodes live in one arena (`PyTree`): flat arrays of node records, lists as ranges of one array. A node is a
// handle, the tree and an index (`PyExpr`, `PyStmt`, `PyFunctionDef`, ...), compared and hashed by that index; its
// payload is an enum for pattern matching, read from the arena. See docs/ARCHITECTURE.md, "The Python syntax tree".

/// Binary operators.
public enum PyBinOp: String, Sendable { case add = "+", sub = "-", mult = "*", matMult = "@", div = "/", mod = "%", pow = "**", lShift = "<<", rShift = ">>", bitOr = "|", bitXor = "^", bitAnd = "&", floorDiv = "//" }
/// Unary operators.
public enum PyUnaryOp: String, Sendable { case invert = "~", not = "not", uAdd = "+", uSub = "-" }
/// Boolean operators.
public enum PyBoolOp: String, Sendable { case and, or }
/// Comparison operators.
public enum PyCmpOp: String, Sendable { case eq = "==", notEq = "!=", lt = "<", ltE = "<=", gt = ">", gtE = ">=", `is` = "is", isNot = "is not", `in` = "in", notIn = "not in" }

/// A literal constant.
public enum PyConstant: Sendable, Equatable {
    case none, `true`, `false`, ellipsis
    /// Number literal source text (e.g. `0x1F`, `1_000`, `2.5j`).
    case number(String)
    /// String literal(s), possibly implicitly concatenated; `raw` is their source text, made when read.
    case string(PyStringLiteral)
    /// Bytes literal(s), as `string`.
    case bytes(PyStringLiteral)
}

/// The source of a string or bytes literal (possibly implicitly concatenated): its tree (which holds the file's
/// bytes; valid while the tree is, as every node) and the literal's byte range. Its text is made only when a rule
/// reads it: a file's literals (docstrings above all) are many and long, and few are ever read.
public struct PyStringLiteral: @unchecked Sendable, Equatable {
    unowned(unsafe) let tree: PyTree
    let lower: Int32, upper: Int32
    init(tree: PyTree, _ r: Range<Int>) {
        self.tree = tree
        lower = Int32(truncatingIfNeeded: r.lowerBound); upper = Int32(truncatingIfNeeded: r.upperBound)
    }
    var source: [UInt8] { tree.source }
    /// The literal's raw source: prefixes and quotes included, as are the parts of an implicit concatenation and
    /// what lies between them (`'a' "b"`).
    public var raw: String {
        let lo = max(0, min(Int(lower), source.count)), hi = max(lo, min(Int(upper), source.count))
        return String(decoding: source[lo..<hi], as: UTF8.self)
    }
    public static func == (a: Self, b: Self) -> Bool { a.raw == b.raw }
}

/// A `SourceRange` in 16 bytes instead of 32 (32-bit lines and columns), for ranges stored in every parameter,
/// keyword, alias and binding.
@usableFromInline struct PyRange16: Sendable {
    let startLine: Int32, startColumn: Int32, endLine: Int32, endColumn: Int32
    @inline(__always) init(_ r: SourceRange) {
        startLine = Int32(truncatingIfNeeded: r.start.line); startColumn = Int32(truncatingIfNeeded: r.start.column)
        endLine = Int32(truncatingIfNeeded: r.end.line); endColumn = Int32(truncatingIfNeeded: r.end.column)
    }
    @inline(__always) var range: SourceRange {
        SourceRange(start: SourceLocation(line: Int(startLine), column: Int(startColumn)), end: SourceLocation(line: Int(endLine), column: Int(endColumn)))
    }
}

/// One keyword argument `name=value`, or `**value` when `name` is nil.
public struct PyKeyword: Sendable {
    public let name: String?
    public let value: PyExpr
    let range16: PyRange16
    public var range: SourceRange { range16.range }
    public init(name: String?, value: PyExpr, range: SourceRange) { self.name = name; self.value = value; range16 = PyRange16(range) }
}

/// One `for ... in ... if ...` clause of a comprehension.
public struct PyComprehension: Sendable {
    public let target: PyExpr
    public let iter: PyExpr
    public let ifs: PyList<PyExpr>
    public let isAsync: Bool
}

/// A function or lambda parameter.
public struct PyParameter: Sendable {
    public let name: String
    let range16: PyRange16
    public let annotation: PyExpr?
    public let defaultValue: PyExpr?
    public var range: SourceRange { range16.range }
    public init(name: String, range: SourceRange, annotation: PyExpr?, defaultValue: PyExpr?) {
        self.name = name; range16 = PyRange16(range); self.annotation = annotation; self.defaultValue = defaultValue
    }
}

/// A parameter list: `posonly, /, args, *vararg, kwonly, **kwarg`.
public struct PyArguments: Sendable {
    public var posOnly: [PyParameter] = []
    public var args: [PyParameter] = []
    public var vararg: PyParameter?
    public var kwOnly: [PyParameter] = []
    public var kwarg: PyParameter?
    public init() {}
    /// Every parameter in order.
    public var all: [PyParameter] { posOnly + args + (vararg.map { [$0] } ?? []) + kwOnly + (kwarg.map { [$0] } ?? []) }
}

/// Expression payload.
public enum PyExprKind: Sendable {
    case name(String)
    case constant(PyConstant)
    /// An f-string (possibly concatenated with plain strings); `values` are the replacement-field expressions.
    case fstring(values: PyList<PyExpr>)
    /// `value.attr`; the name's position is `PyExpr.attrRange` (computed, not stored).
    case attribute(value: PyExpr, attr: String)
    case `subscript`(value: PyExpr, slice: PyExpr)
    case slice(lower: PyExpr?, upper: PyExpr?, step: PyExpr?)
    case call(func: PyExpr, args: PyList<PyExpr>, keywords: PyList<PyKeyword>)
    case binOp(left: PyExpr, op: PyBinOp, right: PyExpr)
    case unaryOp(op: PyUnaryOp, operand: PyExpr)
    case boolOp(op: PyBoolOp, values: PyList<PyExpr>)
    case compare(left: PyExpr, ops: PyList<PyCmpOp>, comparators: PyList<PyExpr>)
    /// `indirect`: the parameter list is large and lambdas are rare, so it is boxed to keep every other node small.
    indirect case lambda(args: PyArguments, body: PyExpr)
    case ifExp(test: PyExpr, body: PyExpr, orElse: PyExpr)
    case dict(keys: PyList<PyExpr?>, values: PyList<PyExpr>)
    case set(PyList<PyExpr>)
    case list(PyList<PyExpr>)
    case tuple(PyList<PyExpr>)
    case listComp(elt: PyExpr, generators: PyList<PyComprehension>)
    case setComp(elt: PyExpr, generators: PyList<PyComprehension>)
    case dictComp(key: PyExpr, value: PyExpr, generators: PyList<PyComprehension>)
    case generator(elt: PyExpr, generators: PyList<PyComprehension>)
    case await(PyExpr)
    case yield(PyExpr?)
    case yieldFrom(PyExpr)
    case namedExpr(target: PyExpr, value: PyExpr)
    case starred(PyExpr)
    /// Placeholder for an expression that failed to parse.
    case invalid
}

/// A source range and byte range in 24 bytes instead of 48 (32-bit lines, columns and offsets; the parser refuses
/// files of 2 GiB or more).
@usableFromInline struct PyCompactRange: Sendable {
    let startLine: Int32, startColumn: Int32, endLine: Int32, endColumn: Int32
    let lower: Int32, upper: Int32
    @inline(__always) init(_ r: SourceRange, _ b: Range<Int>) {
        startLine = Int32(truncatingIfNeeded: r.start.line); startColumn = Int32(truncatingIfNeeded: r.start.column)
        endLine = Int32(truncatingIfNeeded: r.end.line); endColumn = Int32(truncatingIfNeeded: r.end.column)
        lower = Int32(truncatingIfNeeded: b.lowerBound); upper = Int32(truncatingIfNeeded: b.upperBound)
    }
    @inline(__always) var range: SourceRange {
        SourceRange(start: SourceLocation(line: Int(startLine), column: Int(startColumn)), end: SourceLocation(line: Int(endLine), column: Int(endColumn)))
    }
    @inline(__always) var byteRange: Range<Int> { Int(lower)..<Int(upper) }
}

/// An expression node's record in the arena.
@usableFromInline struct PyExprNode {
    let kind: PyExprKind
    let span: PyCompactRange
    /// Low 24 bits: the subtree's height; bit 24: it holds a call; bit 25: it holds a lambda, comprehension or `:=`
    /// (what the semantic model's passes look for: they skip subtrees without them).
    let summary: UInt32
}

/// A statement node's record in the arena.
@usableFromInline struct PyStmtNode {
    let kind: PyStmtKind
    let span: PyCompactRange
}

@usableFromInline struct PyFunctionDefNode {
    let name: String
    let nameRange16: PyRange16
    let args: PyArguments
    let returns: PyExpr?
    let body: PyList<PyStmt>
    let decorators: PyList<PyExpr>
    let isAsync: Bool
    let typeParams: PyList<PyExpr>
}

@usableFromInline struct PyClassDefNode {
    let name: String
    let nameRange16: PyRange16
    let bases: PyList<PyExpr>
    let keywords: PyList<PyKeyword>
    let body: PyList<PyStmt>
    let decorators: PyList<PyExpr>
    let typeParams: PyList<PyExpr>
}

@usableFromInline struct PyExceptHandlerNode {
    let type: PyExpr?
    let name: String?
    let body: PyList<PyStmt>
    let range16: PyRange16
}

/// A growable array for the arena: a buffer, its count and capacity, read through a pointer (no uniqueness, bounds or
/// exclusivity check per access, and an element's field is read in place, not copied with the element). Its owner
/// frees it (`clear(free: true)`); it is never copied while it grows (it lives in `PyTree.Storage`, behind a pointer).
@usableFromInline struct PyArenaArray<T> {
    @usableFromInline var base: UnsafeMutablePointer<T>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    /// An empty array allocates nothing: its `base` is a dangling, aligned address that is never read, written or freed
    /// (nothing is read at an index below `count`, and `grow` and `clear` free a buffer only when `capacity > 0`). A tree
    /// has thirteen of these arrays and most stay empty in a file (matches, comprehensions, handlers): allocated at
    /// capacity 0 each, every parse paid thirteen `malloc`/`free` pairs (~60 M instructions on a tree of 9,200 small
    /// files, whose two parses each made a tree).
    @usableFromInline init() { capacity = 0; base = Self.unallocated }

    @usableFromInline static var unallocated: UnsafeMutablePointer<T> { UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)! }

    @inlinable subscript(i: Int) -> T {
        unsafeAddress {
            assert(i >= 0 && i < count, "arena index out of range")
            return UnsafePointer(base + i)
        }
    }

    /// The address of a stored property of the element at `i` (for addressors that return a part of a record in place).
    @inlinable func field<F>(_ i: Int, _ property: KeyPath<T, F>) -> UnsafePointer<F> {
        assert(i >= 0 && i < count, "arena index out of range")
        return UnsafePointer(base + i).pointer(to: property)!
    }

    @inline(__always) mutating func append(_ x: consuming T) {
        if count == capacity { grow(to: Swift.max(16, capacity * 2)) }
        (base + count).initialize(to: x)
        count += 1
    }

    mutating func append(contentsOf xs: some Collection<T>) {
        let n = xs.count
        if count + n > capacity { grow(to: Swift.max(16, capacity * 2, count + n)) }
        var p = base + count
        for x in xs { p.initialize(to: x); p += 1 }
        count += n
    }

    /// Appends `n` elements moved from `from` (which is left uninitialized).
    @inline(__always) mutating func moveAppend(from: UnsafeMutablePointer<T>, count n: Int) {
        if count + n > capacity { grow(to: Swift.max(16, capacity * 2, count + n)) }
        (base + count).moveInitialize(from: from, count: n)
        count += n
    }

    mutating func reserveCapacity(_ n: Int) { if n > capacity { grow(to: n) } }

    mutating func grow(to n: Int) {
        let nb = UnsafeMutablePointer<T>.allocate(capacity: n)
        if capacity > 0 {
            nb.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = nb
        capacity = n
    }

    /// Frees the buffer (the elements already destroyed or moved out) and leaves the array empty, allocating nothing.
    @inline(__always) mutating func release() {
        if capacity > 0 { base.deallocate() }
        base = Self.unallocated
        capacity = 0
    }

    /// Destroys the elements; with `free`, frees the buffer too (else its capacity is kept for reuse).
    mutating func clear(free: Bool) {
        if count > 0 { base.deinitialize(count: count) }
        count = 0
        if free { release() }
    }
}

extension PyArenaArray where T == PyExprNode {
    /// `clear`, destroying only the records whose payload holds a reference (a string, or a lambda's boxed parameters):
    /// every other payload is handles and numbers (`PythonHardeningTests.exprKindPayloadsArePlainData` checks that
    /// those types are plain data; a new case holding a string or a box must be added to the `switch` here, or it leaks),
    /// and the standard library's destroy of each record through its type's value witness was ~80 instructions a
    /// node, ~2 % of a cold run.
    mutating func clearHoldingReferencesOnly(free: Bool) {
        for i in 0..<count {
            switch base[i].kind {
            case .name, .attribute, .constant(.number), .lambda: (base + i).deinitialize(count: 1)
            default: break
            }
        }
        count = 0
        if free { release() }
    }
}

/// The arena of one parsed file: every node and list of its syntax tree, in flat arrays that are freed together
/// when the last `PyModule` holding the tree goes (a tree of classes cost an allocation and a free per node and a
/// retain and release per child visited; its teardown alone was ~10 % of a cold run).
///
/// Handles (`PyExpr`, `PyStmt`, `PyList`, ...) hold the tree `unowned(unsafe)`: they are only valid while the
/// `PyModule` (or another owner of the tree) is alive, which is the analysis of the file. Nothing that outlives a
/// file's analysis (facts, findings, caches) may hold a handle.
public final class PyTree: @unchecked Sendable {
    @usableFromInline struct Storage {
        @usableFromInline init() {}
        @usableFromInline var exprs = PyArenaArray<PyExprNode>()
        @usableFromInline var stmts = PyArenaArray<PyStmtNode>()
        /// The elements of expression lists (node indices; -1 for the absent keys of a dict).
        @usableFromInline var exprItems = PyArenaArray<Int32>()
        @usableFromInline var stmtItems = PyArenaArray<Int32>()
        @usableFromInline var keywords = PyArenaArray<PyKeyword>()
        @usableFromInline var comprehensions = PyArenaArray<PyComprehension>()
        @usableFromInline var aliases = PyArenaArray<PyAlias>()
        @usableFromInline var withItems = PyArenaArray<PyWithItem>()
        @usableFromInline var matchCases = PyArenaArray<PyMatchCase>()
        @usableFromInline var handlers = PyArenaArray<PyExceptHandlerNode>()
        @usableFromInline var functions = PyArenaArray<PyFunctionDefNode>()
        @usableFromInline var classes = PyArenaArray<PyClassDefNode>()
        @usableFromInline var cmpOps = PyArenaArray<PyCmpOp>()

        /// Destroys every record (see `PyArenaArray.clear`); the one list of the arrays.
        mutating func clear(free: Bool) {
            exprs.clearHoldingReferencesOnly(free: free); stmts.clear(free: free)
            exprItems.clear(free: free); stmtItems.clear(free: free)
            keywords.clear(free: free); comprehensions.clear(free: free)
            aliases.clear(free: free); withItems.clear(free: free)
            matchCases.clear(free: free); handlers.clear(free: free)
            functions.clear(free: free); classes.clear(free: free)
            cmpOps.clear(free: free)
        }
    }
    /// Behind a `let` pointer: a class's `var` properties are checked for exclusive access at run time on every use.
    @usableFromInline let s: UnsafeMutablePointer<Storage>
    /// The file's bytes (string literals are ranges of them).
    public let source: [UInt8]

    /// An empty arena for a tree of `source`, sized for a file of `tokens` tokens: real code has about one expression
    /// per two tokens (0.47 on 200 files of the large real tree, CPython's `ast` and `tokenize`), so 5/8 of a node per
    /// token holds most files' expressions without growing the array and leaves little of it unused.
    public init(source: [UInt8] = [], tokens: Int = 0) {
        self.source = source
        s = .allocate(capacity: 1)
        s.initialize(to: Storage())
        if tokens > 0 {
            s.pointee.exprs.reserveCapacity(tokens * 5 / 8 + 16)
            s.pointee.exprItems.reserveCapacity(tokens / 2)
            s.pointee.stmts.reserveCapacity(tokens / 8)
            s.pointee.stmtItems.reserveCapacity(tokens / 8)
        }
    }
    deinit {
        s.pointee.clear(free: true)
        s.deinitialize(count: 1)
        s.deallocate()
    }

    /// Empties the arena, keeping its capacity (the problems-only parse drops each top-level statement once parsed).
    func removeAll() { s.pointee.clear(free: false) }

    // MARK: building (the parser)

    @inline(__always) func addExpr(_ kind: consuming PyExprKind, _ span: PyCompactRange, summary: UInt32) -> PyExpr {
        let i = Int32(truncatingIfNeeded: s.pointee.exprs.count)
        s.pointee.exprs.append(PyExprNode(kind: kind, span: span, summary: summary))
        return PyExpr(self, i)
    }
    @inline(__always) func addStmt(_ kind: consuming PyStmtKind, _ span: PyCompactRange) -> PyStmt {
        let i = Int32(truncatingIfNeeded: s.pointee.stmts.count)
        s.pointee.stmts.append(PyStmtNode(kind: kind, span: span))
        return PyStmt(self, i)
    }
    /// A new expression node (for tests and tools that build trees by hand; the parser adds nodes directly).
    public func expr(_ kind: PyExprKind, _ range: SourceRange, _ byteRange: Range<Int>) -> PyExpr {
        addExpr(kind, PyCompactRange(range, byteRange), summary: PyExpr.summary(of: kind))
    }
    /// A new statement node (as `expr`).
    public func stmt(_ kind: PyStmtKind, _ range: SourceRange, _ byteRange: Range<Int>) -> PyStmt {
        addStmt(kind, PyCompactRange(range, byteRange))
    }

    /// A list of the given expressions.
    public func list<C: Collection>(_ xs: C) -> PyList<PyExpr> where C.Element == PyExpr {
        let start = s.pointee.exprItems.count
        for x in xs { s.pointee.exprItems.append(x.index) }
        return PyList(self, start, s.pointee.exprItems.count - start)
    }
    func list<C: Collection>(_ xs: C) -> PyList<PyExpr?> where C.Element == PyExpr? {
        let start = s.pointee.exprItems.count
        for x in xs { s.pointee.exprItems.append(x?.index ?? -1) }
        return PyList(self, start, s.pointee.exprItems.count - start)
    }
    public func list<C: Collection>(_ xs: C) -> PyList<PyStmt> where C.Element == PyStmt {
        let start = s.pointee.stmtItems.count
        for x in xs { s.pointee.stmtItems.append(x.index) }
        return PyList(self, start, s.pointee.stmtItems.count - start)
    }
    @inline(__always) private func append<E>(_ xs: some Collection<E>, to a: WritableKeyPath<Storage, PyArenaArray<E>>) -> (Int, Int) {
        let start = s.pointee[keyPath: a].count
        s.pointee[keyPath: a].append(contentsOf: xs)
        return (start, xs.count)
    }
    func list(_ xs: some Collection<PyKeyword>) -> PyList<PyKeyword> { let (a, n) = append(xs, to: \.keywords); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyComprehension>) -> PyList<PyComprehension> { let (a, n) = append(xs, to: \.comprehensions); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyAlias>) -> PyList<PyAlias> { let (a, n) = append(xs, to: \.aliases); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyWithItem>) -> PyList<PyWithItem> { let (a, n) = append(xs, to: \.withItems); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyMatchCase>) -> PyList<PyMatchCase> { let (a, n) = append(xs, to: \.matchCases); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyExceptHandlerNode>) -> PyList<PyExceptHandler> { let (a, n) = append(xs, to: \.handlers); return PyList(self, a, n) }
    func list(_ xs: some Collection<PyCmpOp>) -> PyList<PyCmpOp> { let (a, n) = append(xs, to: \.cmpOps); return PyList(self, a, n) }
}

/// What a `PyList` can hold: a type that knows where its elements live in the arena.
public protocol PyTreeElement {
    /// The element at `i` of the element type's list array.
    static func element(_ tree: PyTree, _ i: Int) -> Self
}

/// A list of nodes or node parts in a `PyTree` (a range of one of its arrays): a collection like an array, made
/// without an allocation of its own. Valid while the tree is alive (see `PyTree`).
public struct PyList<Element: PyTreeElement>: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let start: Int32
    @usableFromInline let length: Int32
    @inlinable init(_ tree: PyTree, _ start: Int, _ count: Int) {
        self.tree = tree; self.start = Int32(truncatingIfNeeded: start); self.length = Int32(truncatingIfNeeded: count)
    }
    /// An empty list of `tree`.
    @inlinable init(empty tree: PyTree) { self.init(tree, 0, 0) }
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { Int(length) }
    @inlinable public var count: Int { Int(length) }
    @inlinable public var isEmpty: Bool { length == 0 }
    @inlinable public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < Int(length), "PyList index out of range")
        return Element.element(tree, Int(start) &+ i)
    }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }
}

extension PyExpr: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyExpr { PyExpr(tree, tree.s.pointee.exprItems[i]) }
}
extension Optional: PyTreeElement where Wrapped == PyExpr {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyExpr? {
        let k = tree.s.pointee.exprItems[i]
        return k < 0 ? nil : PyExpr(tree, k)
    }
}
extension PyStmt: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyStmt { PyStmt(tree, tree.s.pointee.stmtItems[i]) }
}
extension PyKeyword: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyKeyword { tree.s.pointee.keywords[i] }
}
extension PyComprehension: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyComprehension { tree.s.pointee.comprehensions[i] }
}
extension PyAlias: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyAlias { tree.s.pointee.aliases[i] }
}
extension PyWithItem: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyWithItem { tree.s.pointee.withItems[i] }
}
extension PyMatchCase: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyMatchCase { tree.s.pointee.matchCases[i] }
}
extension PyCmpOp: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyCmpOp { tree.s.pointee.cmpOps[i] }
}
extension PyExceptHandler: PyTreeElement {
    @inlinable public static func element(_ tree: PyTree, _ i: Int) -> PyExceptHandler { PyExceptHandler(tree, Int32(truncatingIfNeeded: i)) }
}

/// An expression node: a handle to its record in the tree (see `PyTree`). Two handles are equal when they name the
/// same node of the same tree.
public struct PyExpr: Hashable, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let index: Int32
    @inlinable init(_ tree: PyTree, _ index: Int32) { self.tree = tree; self.index = index }

    /// An addressor: a `switch` over the kind borrows it in the arena (a copy retained its strings). `_read` borrowed it
    /// too, but held a strong reference to `tree` across the yield (a retain and a release per read); an address is
    /// worked out and returned, nothing is held.
    public var kind: PyExprKind { unsafeAddress { tree.s.pointee.exprs.field(Int(index), \.kind) } }
    var span: PyCompactRange { tree.s.pointee.exprs[Int(index)].span }
    var summary: UInt32 { tree.s.pointee.exprs[Int(index)].summary }
    public var range: SourceRange { span.range }
    /// Byte offsets of the node in the source buffer.
    public var byteRange: Range<Int> { span.byteRange }
    /// Position of the attribute name of an `.attribute` node (its last token, always on one line), else nil.
    public var attrRange: SourceRange? {
        guard case .attribute(_, let attr) = kind else { return nil }
        let end = span.range.end
        return SourceRange(start: SourceLocation(line: end.line, column: end.column - attr.unicodeScalars.count), end: end)
    }
    /// Height of the subtree rooted here (1 for a leaf). The parser keeps it below `PythonParser.maxTreeDepth`, so
    /// recursive walks over a tree stay within a thread's stack.
    public var height: Int { Int(summary & PyExpr.heightMask) }
    /// The subtree holds a `.call`.
    public var holdsCall: Bool { summary & PyExpr.callBit != 0 }
    /// The subtree holds a `.lambda`, a comprehension or a `.namedExpr`.
    var holdsScopeOrWalrus: Bool { summary & PyExpr.scopeBit != 0 }
    /// A number unique to the node within its tree (expressions only).
    public var id: Int { Int(index) }

    static let heightMask: UInt32 = 0xFF_FFFF, callBit: UInt32 = 1 << 24, scopeBit: UInt32 = 1 << 25

    @inlinable public static func == (a: PyExpr, b: PyExpr) -> Bool { a.index == b.index && a.tree === b.tree }
    @inlinable public func hash(into h: inout Hasher) { h.combine(index) }

    /// 1 + the height of the tallest child, with the flags of the node and its children, without allocating.
    static func summary(of kind: PyExprKind) -> UInt32 {
        var m: UInt32 = 0, f: UInt32 = 0
        @inline(__always) func e(_ x: PyExpr) { let s = x.summary; m = max(m, s & heightMask); f |= s }
        @inline(__always) func o(_ x: PyExpr?) { if let x { e(x) } }
        @inline(__always) func es(_ xs: PyList<PyExpr>) { for x in xs { e(x) } }
        @inline(__always) func gs(_ g: PyList<PyComprehension>) { for c in g { e(c.target); e(c.iter); es(c.ifs) } }
        switch kind {
        case .name, .constant, .invalid: break
        case .fstring(let vs), .set(let vs), .list(let vs), .tuple(let vs), .boolOp(_, let vs): es(vs)
        case .attribute(let v, _), .unaryOp(_, let v), .await(let v), .yieldFrom(let v), .starred(let v): e(v)
        case .subscript(let v, let s): e(v); e(s)
        case .slice(let a, let b, let c): o(a); o(b); o(c)
        case .call(let fn, let args, let kws):
            f |= callBit
            e(fn); es(args)
            for kw in kws { e(kw.value) }
        case .binOp(let l, _, let r): e(l); e(r)
        case .compare(let l, _, let cs): e(l); es(cs)
        case .lambda(let a, let b):
            f |= scopeBit
            a.forEachParameterExpression(e)  // not `a.all`, which builds an array
            e(b)
        case .ifExp(let t, let b, let x): e(t); e(b); e(x)
        case .dict(let ks, let vs):
            es(vs)
            for k in ks { o(k) }
        case .listComp(let x, let g), .setComp(let x, let g), .generator(let x, let g): f |= scopeBit; e(x); gs(g)
        case .dictComp(let k, let v, let g): f |= scopeBit; e(k); e(v); gs(g)
        case .yield(let v): o(v)
        case .namedExpr(let t, let v): f |= scopeBit; e(t); e(v)
        }
        return (f & ~heightMask) | min(m + 1, heightMask)
    }
}

/// `import a.b as c` / `from m import a as c` entry.
public struct PyAlias: Sendable {
    public let name: String
    public let asName: String?
    let range16: PyRange16
    public var range: SourceRange { range16.range }
    public init(name: String, asName: String?, range: SourceRange) { self.name = name; self.asName = asName; range16 = PyRange16(range) }
}

/// `with` item.
public struct PyWithItem: Sendable {
    public let contextExpr: PyExpr
    public let optionalVars: PyExpr?
}

/// `except` clause.
public struct PyExceptHandler: Hashable, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let index: Int32
    @inlinable init(_ tree: PyTree, _ index: Int32) { self.tree = tree; self.index = index }
    public var type: PyExpr? { tree.s.pointee.handlers[Int(index)].type }
    public var name: String? { tree.s.pointee.handlers[Int(index)].name }
    public var body: PyList<PyStmt> { tree.s.pointee.handlers[Int(index)].body }
    public var range: SourceRange { tree.s.pointee.handlers[Int(index)].range16.range }
    @inlinable public static func == (a: Self, b: Self) -> Bool { a.index == b.index && a.tree === b.tree }
    @inlinable public func hash(into h: inout Hasher) { h.combine(index) }
}

/// `case` clause of a `match` statement; the pattern is kept only as source bytes.
public struct PyMatchCase: Sendable {
    public let patternByteRange: Range<Int>
    public let guardExpr: PyExpr?
    public let body: PyList<PyStmt>
}

/// `def` / `async def`.
public struct PyFunctionDef: Hashable, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let index: Int32
    @inlinable init(_ tree: PyTree, _ index: Int32) { self.tree = tree; self.index = index }
    public var name: String { tree.s.pointee.functions[Int(index)].name }
    public var nameRange: SourceRange { tree.s.pointee.functions[Int(index)].nameRange16.range }
    /// An addressor, as `PyExpr.kind`: read in place, not copied.
    public var args: PyArguments { unsafeAddress { tree.s.pointee.functions.field(Int(index), \.args) } }
    public var returns: PyExpr? { tree.s.pointee.functions[Int(index)].returns }
    public var body: PyList<PyStmt> { tree.s.pointee.functions[Int(index)].body }
    public var decorators: PyList<PyExpr> { tree.s.pointee.functions[Int(index)].decorators }
    public var isAsync: Bool { tree.s.pointee.functions[Int(index)].isAsync }
    public var typeParams: PyList<PyExpr> { tree.s.pointee.functions[Int(index)].typeParams }
    /// A number unique to the definition within its tree (functions only).
    public var id: Int { Int(index) }
    @inlinable public static func == (a: Self, b: Self) -> Bool { a.index == b.index && a.tree === b.tree }
    @inlinable public func hash(into h: inout Hasher) { h.combine(index) }
}

/// `class`.
public struct PyClassDef: Hashable, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let index: Int32
    @inlinable init(_ tree: PyTree, _ index: Int32) { self.tree = tree; self.index = index }
    public var name: String { tree.s.pointee.classes[Int(index)].name }
    public var nameRange: SourceRange { tree.s.pointee.classes[Int(index)].nameRange16.range }
    public var bases: PyList<PyExpr> { tree.s.pointee.classes[Int(index)].bases }
    public var keywords: PyList<PyKeyword> { tree.s.pointee.classes[Int(index)].keywords }
    public var body: PyList<PyStmt> { tree.s.pointee.classes[Int(index)].body }
    public var decorators: PyList<PyExpr> { tree.s.pointee.classes[Int(index)].decorators }
    public var typeParams: PyList<PyExpr> { tree.s.pointee.classes[Int(index)].typeParams }
    /// A number unique to the definition within its tree (classes only).
    public var id: Int { Int(index) }
    @inlinable public static func == (a: Self, b: Self) -> Bool { a.index == b.index && a.tree === b.tree }
    @inlinable public func hash(into h: inout Hasher) { h.combine(index) }
}

/// Statement payload.
public enum PyStmtKind: Sendable {
    case expr(PyExpr)
    case assign(targets: PyList<PyExpr>, value: PyExpr)
    case augAssign(target: PyExpr, op: PyBinOp, value: PyExpr)
    case annAssign(target: PyExpr, annotation: PyExpr, value: PyExpr?)
    case `import`(PyList<PyAlias>)
    /// `from <level dots><module> import names`.
    case importFrom(module: String?, names: PyList<PyAlias>, level: Int)
    case functionDef(PyFunctionDef)
    case classDef(PyClassDef)
    case `return`(PyExpr?)
    case delete(PyList<PyExpr>)
    case pass, `break`, `continue`
    case raise(exc: PyExpr?, cause: PyExpr?)
    case assert(test: PyExpr, msg: PyExpr?)
    case global([String]), nonlocal([String])
    case `if`(test: PyExpr, body: PyList<PyStmt>, orElse: PyList<PyStmt>)
    case `while`(test: PyExpr, body: PyList<PyStmt>, orElse: PyList<PyStmt>)
    case `for`(target: PyExpr, iter: PyExpr, body: PyList<PyStmt>, orElse: PyList<PyStmt>, isAsync: Bool)
    case with(items: PyList<PyWithItem>, body: PyList<PyStmt>, isAsync: Bool)
    case `try`(body: PyList<PyStmt>, handlers: PyList<PyExceptHandler>, orElse: PyList<PyStmt>, finalBody: PyList<PyStmt>, isStar: Bool)
    case match(subject: PyExpr, cases: PyList<PyMatchCase>)
    case typeAlias(name: PyExpr, typeParams: PyList<PyExpr>, value: PyExpr)
    /// A statement that failed to parse (a `ParseProblem` was recorded).
    case invalid
}

/// A statement node (a handle, as `PyExpr`). `range` starts at the statement keyword (`def`/`class`, not the
/// decorator, like CPython).
public struct PyStmt: Hashable, @unchecked Sendable {
    @usableFromInline unowned(unsafe) let tree: PyTree
    @usableFromInline let index: Int32
    @inlinable init(_ tree: PyTree, _ index: Int32) { self.tree = tree; self.index = index }
    /// An addressor, as `PyExpr.kind`.
    public var kind: PyStmtKind { unsafeAddress { tree.s.pointee.stmts.field(Int(index), \.kind) } }
    var span: PyCompactRange { tree.s.pointee.stmts[Int(index)].span }
    public var range: SourceRange { span.range }
    public var byteRange: Range<Int> { span.byteRange }
    /// A number unique to the statement within its tree (statements only).
    public var id: Int { Int(index) }
    @inlinable public static func == (a: Self, b: Self) -> Bool { a.index == b.index && a.tree === b.tree }
    @inlinable public func hash(into h: inout Hasher) { h.combine(index) }
}

/// A parsed file. It owns its tree: the nodes it hands out are valid while it (or a copy) is alive.
public struct PyModule: Sendable {
    public let tree: PyTree
    public let body: PyList<PyStmt>
    /// Comment tokens (for suppression comments etc.).
    public let comments: [PyToken]
    public let problems: [ParseProblem]
    public let source: [UInt8]
    public let positions: PyPositionMap
    /// Encoding named by a PEP 263 declaration in the first two lines, if any.
    public let declaredEncoding: String?

    /// Source text of a byte range.
    public func text(_ r: Range<Int>) -> String {
        let lo = max(0, min(r.lowerBound, source.count)), hi = max(lo, min(r.upperBound, source.count))
        return String(decoding: source[lo..<hi], as: UTF8.self)
    }
    /// Source text of an expression.
    public func text(of e: PyExpr) -> String { text(e.byteRange) }
}
