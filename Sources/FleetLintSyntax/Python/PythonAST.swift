// Python syntax tree, modelled on CPython's `ast` module (https://docs.python.org/3/library/ast.html).
// Nodes are final classes (identity for loop/def references); their payload is an enum for pattern matching.

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

/// The source of a string or bytes literal (possibly implicitly concatenated): the file's bytes (shared, not
/// copied) and the literal's byte range. Its text is made only when a rule reads it: a file's literals (docstrings
/// above all) are many and long, and few are ever read.
public struct PyStringLiteral: Sendable, Equatable {
    let source: [UInt8]
    let lower: Int32, upper: Int32
    init(source: [UInt8], _ r: Range<Int>) {
        self.source = source
        lower = Int32(truncatingIfNeeded: r.lowerBound); upper = Int32(truncatingIfNeeded: r.upperBound)
    }
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
    public let ifs: [PyExpr]
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
    case fstring(values: [PyExpr])
    /// `value.attr`; the name's position is `PyExpr.attrRange` (computed: a stored range made every node 32 bytes larger).
    case attribute(value: PyExpr, attr: String)
    case `subscript`(value: PyExpr, slice: PyExpr)
    case slice(lower: PyExpr?, upper: PyExpr?, step: PyExpr?)
    case call(func: PyExpr, args: [PyExpr], keywords: [PyKeyword])
    case binOp(left: PyExpr, op: PyBinOp, right: PyExpr)
    case unaryOp(op: PyUnaryOp, operand: PyExpr)
    case boolOp(op: PyBoolOp, values: [PyExpr])
    case compare(left: PyExpr, ops: [PyCmpOp], comparators: [PyExpr])
    /// `indirect`: the parameter list is large and lambdas are rare, so it is boxed to keep every other node small.
    indirect case lambda(args: PyArguments, body: PyExpr)
    case ifExp(test: PyExpr, body: PyExpr, orElse: PyExpr)
    case dict(keys: [PyExpr?], values: [PyExpr])
    case set([PyExpr])
    case list([PyExpr])
    case tuple([PyExpr])
    case listComp(elt: PyExpr, generators: [PyComprehension])
    case setComp(elt: PyExpr, generators: [PyComprehension])
    case dictComp(key: PyExpr, value: PyExpr, generators: [PyComprehension])
    case generator(elt: PyExpr, generators: [PyComprehension])
    case await(PyExpr)
    case yield(PyExpr?)
    case yieldFrom(PyExpr)
    case namedExpr(target: PyExpr, value: PyExpr)
    case starred(PyExpr)
    /// Placeholder for an expression that failed to parse.
    case invalid
}

/// A source range and byte range in 24 bytes instead of 48 (32-bit lines, columns and offsets; the parser refuses
/// files of 2 GiB or more). Nodes are the bulk of a parsed file's memory.
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

/// An expression node with its exact source range.
public final class PyExpr: Sendable {
    public let kind: PyExprKind
    let span: PyCompactRange
    /// Low 24 bits: the subtree's height; bit 24: it holds a call; bit 25: it holds a lambda, comprehension or `:=`
    /// (what the semantic model's passes look for: they skip subtrees without them).
    let summary: UInt32
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
    /// recursive walks over a tree (and its deallocation, which also recurses) stay within a thread's stack.
    public var height: Int { Int(summary & PyExpr.heightMask) }
    /// The subtree holds a `.call`.
    public var holdsCall: Bool { summary & PyExpr.callBit != 0 }
    /// The subtree holds a `.lambda`, a comprehension or a `.namedExpr`.
    var holdsScopeOrWalrus: Bool { summary & PyExpr.scopeBit != 0 }

    static let heightMask: UInt32 = 0xFF_FFFF, callBit: UInt32 = 1 << 24, scopeBit: UInt32 = 1 << 25

    public init(_ kind: PyExprKind, _ range: SourceRange, _ byteRange: Range<Int>) {
        self.kind = kind; self.span = PyCompactRange(range, byteRange)
        self.summary = PyExpr.summary(of: kind)
    }

    /// A node with a given `summary`: the parser's problems-only mode builds stand-ins that keep a subtree's height
    /// and flags without holding the subtree.
    init(_ kind: PyExprKind, _ range: SourceRange, _ byteRange: Range<Int>, summary: UInt32) {
        self.kind = kind; self.span = PyCompactRange(range, byteRange); self.summary = summary
    }

    /// 1 + the height of the tallest child, with the flags of the node and its children, without allocating.
    static func summary(of kind: PyExprKind) -> UInt32 {
        var m: UInt32 = 0, f: UInt32 = 0
        @inline(__always) func e(_ x: PyExpr) { let s = x.summary; m = max(m, s & heightMask); f |= s }
        @inline(__always) func o(_ x: PyExpr?) { if let x { e(x) } }
        @inline(__always) func es(_ xs: [PyExpr]) { for x in xs { e(x) } }
        @inline(__always) func gs(_ g: [PyComprehension]) { for c in g { e(c.target); e(c.iter); es(c.ifs) } }
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
public final class PyExceptHandler: Sendable {
    public let type: PyExpr?
    public let name: String?
    public let body: [PyStmt]
    let range16: PyRange16
    public var range: SourceRange { range16.range }
    public init(type: PyExpr?, name: String?, body: [PyStmt], range: SourceRange) {
        self.type = type; self.name = name; self.body = body; self.range16 = PyRange16(range)
    }
}

/// `case` clause of a `match` statement; the pattern is kept only as source bytes.
public struct PyMatchCase: Sendable {
    public let patternByteRange: Range<Int>
    public let guardExpr: PyExpr?
    public let body: [PyStmt]
}

/// `def` / `async def`.
public final class PyFunctionDef: Sendable {
    public let name: String
    let nameRange16: PyRange16
    public var nameRange: SourceRange { nameRange16.range }
    public let args: PyArguments
    public let returns: PyExpr?
    public let body: [PyStmt]
    public let decorators: [PyExpr]
    public let isAsync: Bool
    public let typeParams: [PyExpr]
    public init(name: String, nameRange: SourceRange, args: PyArguments, returns: PyExpr?, body: [PyStmt], decorators: [PyExpr], isAsync: Bool, typeParams: [PyExpr]) {
        self.name = name; self.nameRange16 = PyRange16(nameRange); self.args = args; self.returns = returns; self.body = body
        self.decorators = decorators; self.isAsync = isAsync; self.typeParams = typeParams
    }
}

/// `class`.
public final class PyClassDef: Sendable {
    public let name: String
    let nameRange16: PyRange16
    public var nameRange: SourceRange { nameRange16.range }
    public let bases: [PyExpr]
    public let keywords: [PyKeyword]
    public let body: [PyStmt]
    public let decorators: [PyExpr]
    public let typeParams: [PyExpr]
    public init(name: String, nameRange: SourceRange, bases: [PyExpr], keywords: [PyKeyword], body: [PyStmt], decorators: [PyExpr], typeParams: [PyExpr]) {
        self.name = name; self.nameRange16 = PyRange16(nameRange); self.bases = bases; self.keywords = keywords; self.body = body
        self.decorators = decorators; self.typeParams = typeParams
    }
}

/// Statement payload.
public enum PyStmtKind: Sendable {
    case expr(PyExpr)
    case assign(targets: [PyExpr], value: PyExpr)
    case augAssign(target: PyExpr, op: PyBinOp, value: PyExpr)
    case annAssign(target: PyExpr, annotation: PyExpr, value: PyExpr?)
    case `import`([PyAlias])
    /// `from <level dots><module> import names`.
    case importFrom(module: String?, names: [PyAlias], level: Int)
    case functionDef(PyFunctionDef)
    case classDef(PyClassDef)
    case `return`(PyExpr?)
    case delete([PyExpr])
    case pass, `break`, `continue`
    case raise(exc: PyExpr?, cause: PyExpr?)
    case assert(test: PyExpr, msg: PyExpr?)
    case global([String]), nonlocal([String])
    case `if`(test: PyExpr, body: [PyStmt], orElse: [PyStmt])
    case `while`(test: PyExpr, body: [PyStmt], orElse: [PyStmt])
    case `for`(target: PyExpr, iter: PyExpr, body: [PyStmt], orElse: [PyStmt], isAsync: Bool)
    case with(items: [PyWithItem], body: [PyStmt], isAsync: Bool)
    case `try`(body: [PyStmt], handlers: [PyExceptHandler], orElse: [PyStmt], finalBody: [PyStmt], isStar: Bool)
    case match(subject: PyExpr, cases: [PyMatchCase])
    case typeAlias(name: PyExpr, typeParams: [PyExpr], value: PyExpr)
    /// A statement that failed to parse (a `ParseProblem` was recorded).
    case invalid
}

/// A statement node. `range` starts at the statement keyword (`def`/`class`, not the decorator, like CPython).
public final class PyStmt: Sendable {
    public let kind: PyStmtKind
    let span: PyCompactRange
    public var range: SourceRange { span.range }
    public var byteRange: Range<Int> { span.byteRange }
    public init(_ kind: PyStmtKind, _ range: SourceRange, _ byteRange: Range<Int>) {
        self.kind = kind; self.span = PyCompactRange(range, byteRange)
    }
}

/// A parsed file.
public struct PyModule: Sendable {
    public let body: [PyStmt]
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
