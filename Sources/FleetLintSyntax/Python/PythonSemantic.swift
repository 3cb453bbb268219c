// Scopes, bindings and qualified-name resolution for Python, after ruff_python_semantic.
// Scoping rules: https://docs.python.org/3/reference/executionmodel.html#resolution-of-names

/// Kinds of Python scopes.
public enum PyScopeKind: Sendable { case module, function, `class`, lambda, comprehension }

/// What a name is bound to.
public enum PyBindingKind: Sendable {
    /// An import; `qualifiedName` is the fully qualified target (`import a.b as c` -> `a.b`).
    case `import`(qualifiedName: String)
    case functionDef(PyFunctionDef)
    case classDef(PyClassDef)
    case parameter
    /// Assignment-like binding (`=`, `+=`, `for`, `with ... as`, walrus, `except ... as`, `del`); `value` when known.
    case assignment(value: PyExpr?)
    case annotation
}

/// One binding of a name in a scope.
/// Stored in 56 bytes instead of 88 (32-bit offset and positions, like the syntax tree's): a file that rebinds one
/// name a million times keeps every binding.
public struct PyBinding: Sendable {
    public let name: String
    public let kind: PyBindingKind
    /// True when bound inside an `except` handler (e.g. an `ImportError` fallback).
    public let inExceptHandler: Bool
    private let offset32: Int32
    private let range16: PyRange16
    /// Byte offset from which the binding is in effect (end of the binding statement).
    public var offset: Int { Int(offset32) }
    public var range: SourceRange { range16.range }
    public init(name: String, kind: PyBindingKind, offset: Int, range: SourceRange, inExceptHandler: Bool) {
        self.name = name; self.kind = kind; self.inExceptHandler = inExceptHandler
        offset32 = Int32(truncatingIfNeeded: offset); range16 = PyRange16(range)
    }
}

/// A scope with its bindings. Built once by `PythonSemanticModel`; read-only afterwards.
public final class PyScope: @unchecked Sendable {
    public let kind: PyScopeKind
    public let parent: PyScope?
    // `@exclusivity(unchecked)`: the scopes are built by one thread and only read afterwards; the runtime's dynamic
    // exclusivity check cost ~80 instructions per access on the binder's and lookup's hot paths.
    @exclusivity(unchecked) public internal(set) var bindings: [String: [PyBinding]] = [:]
    @exclusivity(unchecked) public internal(set) var globals: Set<String> = []
    @exclusivity(unchecked) public internal(set) var nonlocals: Set<String> = []
    public internal(set) var hasStarImport = false
    init(kind: PyScopeKind, parent: PyScope?) { self.kind = kind; self.parent = parent }
    /// A scope whose body has `statements` statements (and `parameters` parameters): most of them bind a name, so
    /// the table is sized once instead of growing (and rehashing) from empty.
    init(kind: PyScopeKind, parent: PyScope?, statements: Int, parameters: Int = 0) {
        self.kind = kind; self.parent = parent
        bindings.reserveCapacity(min(statements + parameters, 1 << 12))
    }

    /// Drops the spare capacity of very long binding lists (a name rebound thousands of times).
    func trim() {
        for (name, bs) in bindings where bs.count >= 4096 && bs.capacity - bs.count > bs.count / 8 {
            bindings[name] = bs.withUnsafeBufferPointer { Array($0) }
        }
    }

    func add(_ b: PyBinding) {
        // Most scopes declare no `global`/`nonlocal` names: skip hashing the name twice for nothing.
        if !globals.isEmpty && globals.contains(b.name) || !nonlocals.isEmpty && nonlocals.contains(b.name) { return }
        bindings[b.name, default: []].append(b)
    }
}

/// Where a definition or import sits.
public enum PyDefinitionContext: String, Sendable { case module, function, `class` }

/// One name of an import statement.
public struct PyImportedName: Sendable {
    /// Name as written (`a.b` for `import a.b`, `x` for `from m import x`, `*`).
    public let name: String
    public let asName: String?
    public let range: SourceRange
    /// Fully qualified target (relative imports resolved when the module name is known).
    public let qualifiedName: String
}

/// An `import` or `from ... import` statement.
public struct PyImportRecord: Sendable {
    public let statement: PyStmt
    /// True for `from ... import`.
    public let isFrom: Bool
    /// Module as written without leading dots: `a.b` for `import a.b` (one record per statement; see `names`),
    /// `x` for `from ..x import y`, empty for `from . import y`.
    public let module: String
    public let names: [PyImportedName]
    /// Number of leading dots of a relative import.
    public let level: Int
    public let range: SourceRange
    public let context: PyDefinitionContext
    /// Not inside any `def`/`class` (may be inside `if`/`try`).
    public var isTopLevel: Bool { context == .module }
    /// Inside the body of a `try` with an `except ImportError/ModuleNotFoundError/Exception/BaseException` or bare `except`.
    public let isGuardedByTry: Bool
    /// Under `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`.
    public let isTypeCheckingOnly: Bool
    /// What the innermost guarding `try` catches (the first of its handlers that does): `ImportError`,
    /// `ModuleNotFoundError`, `Exception`, `BaseException`, or `except` for a bare handler. Nil when not guarded.
    public var guardedBy: String? = nil
}

/// A call expression with its context.
public struct PyCallRecord: Sendable {
    public let call: PyExpr
    public let callee: PyExpr
    public let args: [PyExpr]
    public let keywords: [PyKeyword]
    public var calleeRange: SourceRange { callee.range }
    /// The file's bytes (shared, not copied), for `calleeText`.
    let source: [UInt8]
    /// Source text of the callee, made on demand (rules read it for the calls they report only).
    public var calleeText: String {
        let r = callee.byteRange
        let lo = max(0, min(r.lowerBound, source.count)), hi = max(lo, min(r.upperBound, source.count))
        return String(decoding: source[lo..<hi], as: UTF8.self)
    }
    /// Canonical qualified name of the callee, or nil when it cannot be resolved statically.
    public let qualifiedName: String?
    /// Enclosing `def`s, outermost first.
    public let enclosingFunctions: [PyFunctionDef]
    /// True when inside a lambda body.
    public let inLambda: Bool
    /// Enclosing `for`/`while` statements, outermost first (loops of enclosing functions excluded).
    public let enclosingLoops: [PyStmt]
    /// Inside an `except` handler body (of the current function).
    public let inExceptHandler: Bool
    /// Executed at import time: not inside a `def` or `lambda` (class bodies at module level count).
    public let isModuleLevel: Bool
    public let scope: PyScope
}

/// A `class` statement with resolved base-class names.
public struct PyClassRecord: Sendable {
    public let statement: PyStmt
    public let def: PyClassDef
    /// Qualified name per base expression (nil when unresolvable).
    public let baseQualifiedNames: [String?]
    public let context: PyDefinitionContext
    public let enclosingFunctions: [PyFunctionDef]
}

/// A `def` statement.
public struct PyFunctionRecord: Sendable {
    public let statement: PyStmt
    public let def: PyFunctionDef
    public let context: PyDefinitionContext
    public let enclosingFunctions: [PyFunctionDef]
    /// The class whose body directly contains this def (a method), if any.
    public let enclosingClass: PyClassDef?
    /// The function's own scope (parameters and locals).
    public let scope: PyScope
}

/// Semantic model of one module: scopes, imports, calls, classes and functions, and name resolution.
public final class PythonSemanticModel: @unchecked Sendable {
    /// Default canonical aliases (re-exported names mapped to their public spelling).
    public static let defaultCanonicalAliases: [String: String] = {
        var m: [String: String] = [
            "google.cloud.bigquery.client.Client": "google.cloud.bigquery.Client",
            "google.cloud.storage.client.Client": "google.cloud.storage.Client",
            "requests.sessions.Session": "requests.Session",
            "requests.sessions.session": "requests.session",
        ]
        for v in ["request", "get", "options", "head", "post", "put", "patch", "delete"] { m["requests.api.\(v)"] = "requests.\(v)" }
        return m
    }()

    static let builtinNames: Set<String> = ["abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip", "__import__", "Exception", "BaseException", "ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError", "ImportError", "ModuleNotFoundError", "OSError", "IOError", "AttributeError", "NotImplementedError", "StopIteration", "TimeoutError", "ConnectionError", "AssertionError", "LookupError", "ArithmeticError", "ZeroDivisionError", "PermissionError", "FileNotFoundError", "KeyboardInterrupt", "SystemExit", "UnicodeDecodeError", "UnicodeEncodeError", "Warning", "DeprecationWarning", "UserWarning", "NotImplemented", "Ellipsis", "exit", "quit"]

    public let module: PyModule
    /// Dotted name of this module (for relative imports and local definitions), if known.
    public let moduleName: String?
    public let isPackage: Bool
    public let canonicalAliases: [String: String]
    public let moduleScope: PyScope
    // `@exclusivity(unchecked)`: filled by `init` alone, read-only afterwards (see `PyScope.bindings`).
    @exclusivity(unchecked) public private(set) var imports: [PyImportRecord] = []
    @exclusivity(unchecked) public private(set) var calls: [PyCallRecord] = []
    @exclusivity(unchecked) public private(set) var classes: [PyClassRecord] = []
    @exclusivity(unchecked) public private(set) var functions: [PyFunctionRecord] = []

    @exclusivity(unchecked) private var scopeOfNode: [ObjectIdentifier: PyScope] = [:]

    /// Builds the model. `moduleName` (e.g. `pkg.sub.mod`) enables relative-import resolution; `isPackage` means the
    /// file is `pkg/sub/mod/__init__.py`.
    public init(module: PyModule, moduleName: String? = nil, isPackage: Bool = false,
                canonicalAliases: [String: String] = PythonSemanticModel.defaultCanonicalAliases) {
        self.module = module
        self.moduleName = moduleName
        self.isPackage = isPackage
        self.canonicalAliases = canonicalAliases
        self.moduleScope = PyScope(kind: .module, parent: nil, statements: module.body.count)
        var b = Binder(model: self)
        b.collect(module.body, scope: moduleScope)
        moduleScope.trim()
        for s in scopeOfNode.values { s.trim() }
        var r = Recorder(model: self)
        r.visitBody(module.body, scope: moduleScope)
    }

    /// The scope of a function definition's body.
    public func scope(of def: PyFunctionDef) -> PyScope? { scopeOfNode[ObjectIdentifier(def)] }
    /// The scope of a class body.
    public func scope(of def: PyClassDef) -> PyScope? { scopeOfNode[ObjectIdentifier(def)] }

    func setScope(_ s: PyScope, for o: AnyObject) { scopeOfNode[ObjectIdentifier(o)] = s }
    func scope(for o: AnyObject) -> PyScope? { scopeOfNode[ObjectIdentifier(o)] }

    /// Resolves a relative module reference (`level` dots + `module`) against `moduleName`.
    public func absoluteModule(_ module: String?, level: Int) -> String {
        Self.absoluteModule(module, level: level, moduleName: moduleName, isPackage: isPackage)
    }

    static func absoluteModule(_ module: String?, level: Int, moduleName: String?, isPackage: Bool) -> String {
        guard level > 0 else { return module ?? "" }
        if let me = moduleName {
            var parts = me.asciiSplit(0x2E).map(String.init)
            let drop = isPackage ? level - 1 : level
            if drop <= parts.count {
                parts.removeLast(drop)
                if let m = module, !m.isEmpty { parts.append(m) }
                return parts.joined(separator: ".")
            }
        }
        return String(repeating: ".", count: level) + (module ?? "")
    }

    /// The binding a name refers to at byte offset `offset` in `scope`, following Python's scoping rules.
    public func lookup(_ name: String, at offset: Int, in scope: PyScope) -> PyBinding? {
        var s: PyScope? = scope
        var deferred = false
        var first = true
        while let sc = s {
            defer { first = false }
            if sc.kind == .class && !first { s = sc.parent; continue }
            if !sc.globals.isEmpty && sc.globals.contains(name) { return pick(moduleScope.bindings[name], offset: offset, deferred: true) }
            if !sc.nonlocals.isEmpty && sc.nonlocals.contains(name) {
                if sc.kind == .function || sc.kind == .lambda { deferred = true }
                s = sc.parent; continue
            }
            if let bs = sc.bindings[name], !bs.isEmpty {
                if let b = pick(bs, offset: offset, deferred: deferred) { return b }
                if sc.kind == .function || sc.kind == .lambda || sc.kind == .module { return nil }
            }
            if sc.kind == .function || sc.kind == .lambda { deferred = true }
            s = sc.parent
        }
        return nil
    }

    private func pick(_ bs: [PyBinding]?, offset: Int, deferred: Bool) -> PyBinding? {
        guard let bs, !bs.isEmpty else { return nil }
        if deferred {
            return bs.last(where: { !$0.inExceptHandler }) ?? bs.last
        }
        var best: PyBinding? = nil
        for b in bs where b.offset <= offset { best = b }
        return best
    }

    /// Qualified name of an expression (`Name` or attribute chain on a name) at `offset` in `scope`, canonicalised.
    public func qualifiedName(of e: PyExpr, in scope: PyScope, at offset: Int? = nil) -> String? {
        guard let q = rawQualifiedName(of: e, in: scope, at: offset ?? e.byteRange.lowerBound) else { return nil }
        return canonicalAliases[q] ?? q
    }

    func rawQualifiedName(of e: PyExpr, in scope: PyScope, at offset: Int) -> String? {
        // Walk down the attribute chain in a loop (chains can be a thousand levels tall), then resolve its base name;
        // the attribute names are collected only when it resolves (most callees are methods of local objects).
        var base = e
        var depth = 0
        while case .attribute(let v, _) = base.kind { base = v; depth += 1 }
        guard case .name(let n) = base.kind, let q = qualifiedName(ofName: n, in: scope, at: offset) else { return nil }
        if depth == 0 { return q }
        var attrs: [String] = []
        attrs.reserveCapacity(depth)
        var length = q.utf8.count
        var x = e
        while case .attribute(let v, let attr) = x.kind { attrs.append(attr); length += 1 + attr.utf8.count; x = v }
        var out = q
        out.reserveCapacity(length)
        for a in attrs.reversed() { out += "."; out += a }
        return out
    }

    private func qualifiedName(ofName n: String, in scope: PyScope, at offset: Int) -> String? {
        if let b = lookup(n, at: offset, in: scope) {
            switch b.kind {
            case .import(let q): return q
            case .functionDef, .classDef:
                if let mn = moduleName, moduleScope.bindings[n]?.contains(where: { $0.offset == b.offset }) == true { return "\(mn).\(n)" }
                return nil
            default: return nil
            }
        }
        if PythonSemanticModel.builtinNames.contains(n) { return n }
        return nil
    }
}

/// Pass 1: creates scopes and collects bindings.
struct Binder {
    unowned let model: PythonSemanticModel
    var inExcept = false

    mutating func collect(_ body: [PyStmt], scope: PyScope) {
        for s in body { stmt(s, scope) }
    }

    func bindTarget(_ e: PyExpr, _ scope: PyScope, offset: Int, value: PyExpr?) {
        switch e.kind {
        case .name(let n): scope.add(PyBinding(name: n, kind: .assignment(value: value), offset: offset, range: e.range, inExceptHandler: inExcept))
        case .tuple(let xs), .list(let xs): for x in xs { bindTarget(x, scope, offset: offset, value: nil) }
        case .starred(let x): bindTarget(x, scope, offset: offset, value: nil)
        default: break
        }
    }

    mutating func stmt(_ s: PyStmt, _ scope: PyScope) {
        let end = s.byteRange.upperBound
        switch s.kind {
        case .expr(let e): expr(e, scope)
        case .assign(let ts, let v):
            expr(v, scope)
            for t in ts { expr(t, scope); bindTarget(t, scope, offset: end, value: ts.count == 1 ? v : nil) }
        case .augAssign(let t, _, let v):
            expr(v, scope); expr(t, scope); bindTarget(t, scope, offset: end, value: nil)
        case .annAssign(let t, let a, let v):
            expr(a, scope)
            if let v { expr(v, scope); bindTarget(t, scope, offset: end, value: v) }
            else if case .name(let n) = t.kind, scope.kind != .module {
                scope.add(PyBinding(name: n, kind: .annotation, offset: end, range: t.range, inExceptHandler: inExcept))
            }
        case .import(let names):
            for a in names {
                let bound = a.asName ?? String(a.name.asciiSplit(0x2E).first ?? "")
                let q = a.asName != nil ? a.name : bound
                scope.add(PyBinding(name: bound, kind: .import(qualifiedName: q), offset: end, range: a.range, inExceptHandler: inExcept))
            }
        case .importFrom(let m, let names, let level):
            let base = model.absoluteModule(m, level: level)
            for a in names {
                if a.name == "*" { scope.hasStarImport = true; continue }
                let q = base.isEmpty ? a.name : (base.hasSuffix(".") ? base + a.name : base + "." + a.name)
                scope.add(PyBinding(name: a.asName ?? a.name, kind: .import(qualifiedName: q), offset: end, range: a.range, inExceptHandler: inExcept))
            }
        case .functionDef(let f):
            for d in f.decorators { expr(d, scope) }
            for e in PyWalker.argExprs(f.args) { expr(e, scope) }
            if let r = f.returns { expr(r, scope) }
            let fs = PyScope(kind: .function, parent: scope, statements: f.body.count, parameters: f.args.count)
            model.setScope(fs, for: f)
            for p in f.args.all { fs.add(PyBinding(name: p.name, kind: .parameter, offset: 0, range: p.range, inExceptHandler: false)) }
            var inner = Binder(model: model)
            inner.collect(f.body, scope: fs)
            scope.add(PyBinding(name: f.name, kind: .functionDef(f), offset: end, range: f.nameRange, inExceptHandler: inExcept))
        case .classDef(let c):
            for d in c.decorators { expr(d, scope) }
            for e in c.bases { expr(e, scope) }
            for k in c.keywords { expr(k.value, scope) }
            let cs = PyScope(kind: .class, parent: scope, statements: c.body.count)
            model.setScope(cs, for: c)
            var inner = Binder(model: model)
            inner.collect(c.body, scope: cs)
            scope.add(PyBinding(name: c.name, kind: .classDef(c), offset: end, range: c.nameRange, inExceptHandler: inExcept))
        case .return(let v): if let v { expr(v, scope) }
        case .delete(let xs): for x in xs { bindTarget(x, scope, offset: end, value: nil) }
        case .raise(let e, let c): if let e { expr(e, scope) }; if let c { expr(c, scope) }
        case .assert(let t, let m): expr(t, scope); if let m { expr(m, scope) }
        case .global(let ns): for n in ns { scope.globals.insert(n); scope.bindings[n] = nil }
        case .nonlocal(let ns): for n in ns { scope.nonlocals.insert(n); scope.bindings[n] = nil }
        case .if:
            // An `elif` chain is a nested `if` in `orElse`; follow it in a loop (chains can be thousands long).
            var cur = s
            while case .if(let t, let b, let o) = cur.kind {
                expr(t, scope); collect(b, scope: scope)
                if o.count == 1, case .if = o[0].kind { cur = o[0]; continue }
                collect(o, scope: scope)
                break
            }
        case .while(let t, let b, let o): expr(t, scope); collect(b, scope: scope); collect(o, scope: scope)
        case .for(let t, let i, let b, let o, _):
            expr(i, scope); bindTarget(t, scope, offset: t.byteRange.upperBound, value: nil)
            collect(b, scope: scope); collect(o, scope: scope)
        case .with(let items, let b, _):
            for it in items {
                expr(it.contextExpr, scope)
                if let v = it.optionalVars { bindTarget(v, scope, offset: v.byteRange.upperBound, value: it.contextExpr) }
            }
            collect(b, scope: scope)
        case .try(let b, let hs, let o, let f, _):
            collect(b, scope: scope)
            let saved = inExcept
            for h in hs {
                if let t = h.type { expr(t, scope) }
                inExcept = true
                if let n = h.name { scope.add(PyBinding(name: n, kind: .assignment(value: nil), offset: h.body.first?.byteRange.lowerBound ?? 0, range: h.range, inExceptHandler: true)) }
                collect(h.body, scope: scope)
                inExcept = saved
            }
            collect(o, scope: scope); collect(f, scope: scope)
        case .match(let subj, let cases):
            expr(subj, scope)
            for c in cases { if let g = c.guardExpr { expr(g, scope) }; collect(c.body, scope: scope) }
        case .typeAlias(let n, _, let v):
            expr(v, scope); bindTarget(n, scope, offset: end, value: nil)
        case .pass, .break, .continue, .invalid: break
        }
    }

    /// Recursion depth of `expr`; deeper subtrees go to `exprIteratively`.
    var exprDepth = 0
    /// Recursing is faster than an explicit stack, and ordinary code nests a few levels; the parser lets a tree grow
    /// to `PythonParser.maxTreeDepth`, whose frames would not fit a worker thread's stack.
    static let recursionLimit = 48

    /// Creates scopes for lambdas/comprehensions and binds walrus targets (a subtree with none of them is skipped).
    mutating func expr(_ e: PyExpr, _ scope: PyScope) {
        guard e.holdsScopeOrWalrus else { return }
        if exprDepth >= Binder.recursionLimit { exprIteratively(e, scope); return }
        exprDepth += 1; defer { exprDepth -= 1 }
        switch e.kind {
        case .lambda(let a, let body):
            for x in PyWalker.argExprs(a) { expr(x, scope) }
            let ls = PyScope(kind: .lambda, parent: scope)
            model.setScope(ls, for: e)
            for p in a.all { ls.add(PyBinding(name: p.name, kind: .parameter, offset: 0, range: p.range, inExceptHandler: false)) }
            expr(body, ls)
        case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
            if let g0 = gens.first { expr(g0.iter, scope) }
            let cs = PyScope(kind: .comprehension, parent: scope)
            model.setScope(cs, for: e)
            for (k, g) in gens.enumerated() {
                if k > 0 { expr(g.iter, cs) }
                bindTarget(g.target, cs, offset: 0, value: nil)
                for i in g.ifs { expr(i, cs) }
            }
            switch e.kind {
            case .listComp(let elt, _), .setComp(let elt, _), .generator(let elt, _): expr(elt, cs)
            case .dictComp(let k, let v, _): expr(k, cs); expr(v, cs)
            default: break
            }
        case .namedExpr(let t, let v):
            expr(v, scope)
            var s = scope
            while s.kind == .comprehension, let p = s.parent { s = p }
            bindTarget(t, s, offset: e.byteRange.upperBound, value: v)
        default:
            PyWalker.forEachChild(e) { expr($0, scope) }
        }
    }

    /// One step of the expression walk: visit an expression, or bind a target once the expressions before it are done.
    enum Work {
        case expr(PyExpr, PyScope)
        case bind(PyExpr, PyScope, offset: Int, value: PyExpr?)
    }

    /// `expr` below a depth of `recursionLimit`: the same steps in the same order with an explicit stack, so a tall
    /// expression cannot overflow the thread's stack.
    mutating func exprIteratively(_ root: PyExpr, _ rootScope: PyScope) {
        var work: [Work] = [.expr(root, rootScope)]
        while let w = work.popLast() {
            let e: PyExpr, scope: PyScope
            switch w {
            case .bind(let t, let s, let offset, let value): bindTarget(t, s, offset: offset, value: value); continue
            case .expr(let x, let s): e = x; scope = s
            }
            guard e.holdsScopeOrWalrus else { continue }
            // Steps are pushed in reverse so they run in source order.
            switch e.kind {
            case .lambda(let a, let body):
                let ls = PyScope(kind: .lambda, parent: scope)
                model.setScope(ls, for: e)
                for p in a.all { ls.add(PyBinding(name: p.name, kind: .parameter, offset: 0, range: p.range, inExceptHandler: false)) }
                work.append(.expr(body, ls))
                for x in PyWalker.argExprs(a).reversed() { work.append(.expr(x, scope)) }
            case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
                let cs = PyScope(kind: .comprehension, parent: scope)
                model.setScope(cs, for: e)
                switch e.kind {
                case .listComp(let elt, _), .setComp(let elt, _), .generator(let elt, _): work.append(.expr(elt, cs))
                case .dictComp(let k, let v, _): work.append(.expr(v, cs)); work.append(.expr(k, cs))
                default: break
                }
                for (k, g) in gens.enumerated().reversed() {
                    for i in g.ifs.reversed() { work.append(.expr(i, cs)) }
                    work.append(.bind(g.target, cs, offset: 0, value: nil))
                    work.append(.expr(g.iter, k == 0 ? scope : cs))
                }
            case .namedExpr(let t, let v):
                var s = scope
                while s.kind == .comprehension, let p = s.parent { s = p }
                work.append(.bind(t, s, offset: e.byteRange.upperBound, value: v))
                work.append(.expr(v, scope))
            default:
                let first = work.count
                PyWalker.forEachChild(e) { work.append(.expr($0, scope)) }
                work[first...].reverse()
            }
        }
    }
}

/// Pass 2: records imports, calls, classes and functions with context and resolved names.
struct Recorder {
    unowned let model: PythonSemanticModel
    var functions: [PyFunctionDef] = []
    var loops: [PyStmt] = []
    var inExcept = false
    var inLambda = 0
    var classDepth = 0
    var guardDepth = 0
    /// `Recorder.importGuard` of each enclosing guarding `try`, innermost last.
    var guards: [String] = []
    var typeChecking = 0
    var currentClass: PyClassDef? = nil

    var context: PyDefinitionContext {
        if !functions.isEmpty || inLambda > 0 { return .function }
        return classDepth > 0 ? .class : .module
    }

    mutating func visitBody(_ body: [PyStmt], scope: PyScope) {
        for s in body { stmt(s, scope) }
    }

    static func catchesImportError(_ hs: [PyExceptHandler]) -> Bool { importGuard(hs) != nil }

    /// The exception by which the first handler that catches a failed import does so (`except` when bare).
    static func importGuard(_ hs: [PyExceptHandler]) -> String? {
        func caught(_ e: PyExpr) -> String? {
            switch e.kind {
            case .name(let n): return catchesImport(n) ? n : nil
            case .attribute(_, let a): return catchesImport(a) ? a : nil
            case .tuple(let xs):
                for x in xs { if let c = caught(x) { return c } }
                return nil
            default: return nil
            }
        }
        for h in hs {
            guard let t = h.type else { return "except" }
            if let c = caught(t) { return c }
        }
        return nil
    }

    /// The exceptions a failed import raises or derives from.
    static func catchesImport(_ n: String) -> Bool {
        n == "ImportError" || n == "ModuleNotFoundError" || n == "Exception" || n == "BaseException"
    }

    static func isTypeChecking(_ e: PyExpr) -> Bool {
        switch e.kind {
        case .name(let n): return n == "TYPE_CHECKING"
        case .attribute(_, let a): return a == "TYPE_CHECKING"
        default: return false
        }
    }

    mutating func recordImport(_ s: PyStmt, _ scope: PyScope) {
        Recorder.importRecords(s, context: context, guardDepth: guardDepth, guardedBy: guards.last, typeChecking: typeChecking,
                               absoluteModule: model.absoluteModule) { model.appendImport($0) }
    }

    /// The records of one `import`/`from … import` statement (shared with `PyImportCollector`).
    @inline(__always)
    static func importRecords(_ s: PyStmt, context ctx: PyDefinitionContext, guardDepth: Int, guardedBy: String?, typeChecking: Int,
                              absoluteModule: (String?, Int) -> String, _ append: (PyImportRecord) -> Void) {
        switch s.kind {
        case .import(let names):
            for a in names {
                let q = a.name
                append(PyImportRecord(statement: s, isFrom: false, module: a.name,
                    names: [PyImportedName(name: a.name, asName: a.asName, range: a.range, qualifiedName: q)],
                    level: 0, range: s.range, context: ctx, isGuardedByTry: guardDepth > 0, isTypeCheckingOnly: typeChecking > 0,
                    guardedBy: guardedBy))
            }
        case .importFrom(let m, let names, let level):
            let base = absoluteModule(m, level)
            let ns = names.map { a in
                PyImportedName(name: a.name, asName: a.asName, range: a.range,
                               qualifiedName: base.isEmpty ? a.name : (base.hasSuffix(".") ? base + a.name : base + "." + a.name))
            }
            append(PyImportRecord(statement: s, isFrom: true, module: m ?? "", names: ns, level: level, range: s.range,
                                  context: ctx, isGuardedByTry: guardDepth > 0, isTypeCheckingOnly: typeChecking > 0,
                                  guardedBy: guardedBy))
        default: break
        }
    }

    mutating func stmt(_ s: PyStmt, _ scope: PyScope) {
        switch s.kind {
        case .import, .importFrom: recordImport(s, scope)
        case .functionDef(let f):
            for d in f.decorators { expr(d, scope) }
            for e in PyWalker.argExprs(f.args) { expr(e, scope) }
            if let r = f.returns { expr(r, scope) }
            guard let fs = model.scope(for: f) else { return }
            model.appendFunction(PyFunctionRecord(statement: s, def: f, context: context, enclosingFunctions: functions,
                                                  enclosingClass: scope.kind == .class ? currentClass : nil, scope: fs))
            var inner = self
            inner.functions.append(f)
            inner.loops = []; inner.inExcept = false; inner.guardDepth = 0; inner.guards = []; inner.typeChecking = 0
            inner.visitBody(f.body, scope: fs)
        case .classDef(let c):
            for d in c.decorators { expr(d, scope) }
            for e in c.bases { expr(e, scope) }
            for k in c.keywords { expr(k.value, scope) }
            let bases = c.bases.map { model.qualifiedName(of: $0, in: scope, at: $0.byteRange.lowerBound) }
            model.appendClass(PyClassRecord(statement: s, def: c, baseQualifiedNames: bases, context: context, enclosingFunctions: functions))
            guard let cs = model.scope(for: c) else { return }
            var inner = self
            inner.classDepth += 1
            inner.currentClass = c
            inner.visitBody(c.body, scope: cs)
        case .for(let t, let i, let b, let o, _):
            expr(i, scope); expr(t, scope)
            loops.append(s); visitBody(b, scope: scope); loops.removeLast()
            visitBody(o, scope: scope)
        case .while(let t, let b, let o):
            loops.append(s); expr(t, scope); visitBody(b, scope: scope); loops.removeLast()
            visitBody(o, scope: scope)
        case .try(let b, let hs, let o, let f, _):
            let guardKind = Recorder.importGuard(hs)
            if let g = guardKind { guardDepth += 1; guards.append(g) }
            visitBody(b, scope: scope)
            if guardKind != nil { guardDepth -= 1; guards.removeLast() }
            for h in hs {
                if let t = h.type { expr(t, scope) }
                let saved = inExcept
                inExcept = true
                visitBody(h.body, scope: scope)
                inExcept = saved
            }
            visitBody(o, scope: scope); visitBody(f, scope: scope)
        case .if:
            // `elif` chains are followed in a loop (see `Binder`).
            var cur = s
            while case .if(let t, let b, let o) = cur.kind {
                expr(t, scope)
                let tc = Recorder.isTypeChecking(t)
                if tc { typeChecking += 1 }
                visitBody(b, scope: scope)
                if tc { typeChecking -= 1 }
                if o.count == 1, case .if = o[0].kind { cur = o[0]; continue }
                visitBody(o, scope: scope)
                break
            }
        default:
            PyWalker.forEachChild(s) { c in
                switch c {
                case .stmt(let x): stmt(x, scope)
                case .expr(let x): expr(x, scope)
                case .handler: break
                }
            }
        }
    }

    var exprDepth = 0

    /// Records calls in an expression, in source order (recursing up to `Binder.recursionLimit`, like `Binder.expr`);
    /// a subtree without calls is skipped.
    mutating func expr(_ e: PyExpr, _ scope: PyScope) {
        guard e.holdsCall else { return }
        if exprDepth >= Binder.recursionLimit { exprIteratively(e, scope); return }
        exprDepth += 1; defer { exprDepth -= 1 }
        switch e.kind {
        case .call(let f, let args, let kws):
            let q = model.qualifiedName(of: f, in: scope, at: e.byteRange.lowerBound)
            model.appendCall(PyCallRecord(call: e, callee: f, args: args, keywords: kws, source: model.module.source, qualifiedName: q,
                                          enclosingFunctions: functions, inLambda: inLambda > 0, enclosingLoops: loops,
                                          inExceptHandler: inExcept, isModuleLevel: functions.isEmpty && inLambda == 0, scope: scope))
            PyWalker.forEachChild(e) { expr($0, scope) }
        case .lambda(let a, let body):
            for x in PyWalker.argExprs(a) { expr(x, scope) }
            let ls = model.scope(for: e) ?? scope
            inLambda += 1
            expr(body, ls)
            inLambda -= 1
        case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
            let cs = model.scope(for: e) ?? scope
            switch e.kind {
            case .listComp(let elt, _), .setComp(let elt, _), .generator(let elt, _): expr(elt, cs)
            case .dictComp(let k, let v, _): expr(k, cs); expr(v, cs)
            default: break
            }
            for (k, g) in gens.enumerated() {
                expr(g.target, cs)
                expr(g.iter, k == 0 ? scope : cs)
                for i in g.ifs { expr(i, cs) }
            }
        default:
            PyWalker.forEachChild(e) { expr($0, scope) }
        }
    }

    /// `expr` below a depth of `Binder.recursionLimit`, with an explicit stack; each step carries the lambda nesting
    /// it runs under.
    mutating func exprIteratively(_ root: PyExpr, _ rootScope: PyScope) {
        let savedLambda = inLambda
        defer { inLambda = savedLambda }
        var work: [(e: PyExpr, scope: PyScope, lambda: Int)] = [(root, rootScope, inLambda)]
        while let (e, scope, lambda) = work.popLast() {
            guard e.holdsCall else { continue }
            inLambda = lambda
            switch e.kind {
            case .call(let f, let args, let kws):
                let q = model.qualifiedName(of: f, in: scope, at: e.byteRange.lowerBound)
                model.appendCall(PyCallRecord(call: e, callee: f, args: args, keywords: kws, source: model.module.source, qualifiedName: q,
                                              enclosingFunctions: functions, inLambda: inLambda > 0, enclosingLoops: loops,
                                              inExceptHandler: inExcept, isModuleLevel: functions.isEmpty && inLambda == 0, scope: scope))
                let first = work.count
                PyWalker.forEachChild(e) { work.append(($0, scope, lambda)) }
                work[first...].reverse()
            case .lambda(let a, let body):
                let ls = model.scope(for: e) ?? scope
                work.append((body, ls, lambda + 1))
                for x in PyWalker.argExprs(a).reversed() { work.append((x, scope, lambda)) }
            case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
                let cs = model.scope(for: e) ?? scope
                for (k, g) in gens.enumerated().reversed() {
                    for i in g.ifs.reversed() { work.append((i, cs, lambda)) }
                    work.append((g.iter, k == 0 ? scope : cs, lambda))
                    work.append((g.target, cs, lambda))
                }
                switch e.kind {
                case .listComp(let elt, _), .setComp(let elt, _), .generator(let elt, _): work.append((elt, cs, lambda))
                case .dictComp(let k, let v, _): work.append((v, cs, lambda)); work.append((k, cs, lambda))
                default: break
                }
            default:
                let first = work.count
                PyWalker.forEachChild(e) { work.append(($0, scope, lambda)) }
                work[first...].reverse()
            }
        }
    }
}

extension PythonSemanticModel {
    func appendImport(_ r: PyImportRecord) { imports.append(r) }
    func appendCall(_ r: PyCallRecord) { calls.append(r) }
    func appendClass(_ r: PyClassRecord) { classes.append(r) }
    func appendFunction(_ r: PyFunctionRecord) { functions.append(r) }
}

/// The import records of a tree — `PythonSemanticModel(module:…).imports`, in the same order and with the same
/// context, `try` guards and `TYPE_CHECKING` — from a walk over statements only: no scopes, bindings or calls. It
/// follows `Recorder.stmt`'s statement visits (`PythonImportScannerTests` checks that the two agree).
struct PyImportCollector {
    let moduleName: String?
    let isPackage: Bool
    var records: [PyImportRecord] = []
    var functionDepth = 0
    var classDepth = 0
    var guardDepth = 0
    var guards: [String] = []
    var typeChecking = 0

    static func imports(of body: [PyStmt], moduleName: String?, isPackage: Bool) -> [PyImportRecord] {
        var c = PyImportCollector(moduleName: moduleName, isPackage: isPackage)
        c.visit(body)
        return c.records
    }

    var context: PyDefinitionContext { functionDepth > 0 ? .function : (classDepth > 0 ? .class : .module) }

    mutating func visit(_ body: [PyStmt]) { for s in body { stmt(s) } }

    mutating func stmt(_ s: PyStmt) {
        switch s.kind {
        case .import, .importFrom:
            let (name, pkg) = (moduleName, isPackage)
            Recorder.importRecords(s, context: context, guardDepth: guardDepth, guardedBy: guards.last, typeChecking: typeChecking,
                                   absoluteModule: { PythonSemanticModel.absoluteModule($0, level: $1, moduleName: name, isPackage: pkg) }) {
                records.append($0)
            }
        case .functionDef(let f):
            // A function body starts afresh: no enclosing `try` guards or `TYPE_CHECKING` (as in `Recorder`).
            let saved = (guardDepth, guards, typeChecking)
            functionDepth += 1; guardDepth = 0; guards = []; typeChecking = 0
            visit(f.body)
            functionDepth -= 1; (guardDepth, guards, typeChecking) = saved
        case .classDef(let c):
            classDepth += 1; visit(c.body); classDepth -= 1
        case .for(_, _, let b, let o, _), .while(_, let b, let o):
            visit(b); visit(o)
        case .try(let b, let hs, let o, let f, _):
            let guardKind = Recorder.importGuard(hs)
            if let g = guardKind { guardDepth += 1; guards.append(g) }
            visit(b)
            if guardKind != nil { guardDepth -= 1; guards.removeLast() }
            for h in hs { visit(h.body) }
            visit(o); visit(f)
        case .if:
            var cur = s
            while case .if(let t, let b, let o) = cur.kind {
                let tc = Recorder.isTypeChecking(t)
                if tc { typeChecking += 1 }
                visit(b)
                if tc { typeChecking -= 1 }
                if o.count == 1, case .if = o[0].kind { cur = o[0]; continue }
                visit(o)
                break
            }
        case .with(_, let b, _): visit(b)
        case .match(_, let cases): for c in cases { visit(c.body) }
        case .expr, .assign, .augAssign, .annAssign, .return, .delete, .pass, .break, .continue, .raise, .assert, .global,
             .nonlocal, .typeAlias, .invalid:
            break
        }
    }
}
