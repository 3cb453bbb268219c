// Scopes, bindings and qualified-name resolution for Python, after ruff_python_semantic.
// Scoping rules: https://docs.python.org/3/reference/executionmodel.html#resolution-of-names

import Foundation

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
/// Its bindings live in the model's `PyBindingStore` (one flat array for every scope, a name's bindings linked from
/// the newest): a scope holds no table of its own.
public final class PyScope: @unchecked Sendable {
    public let kind: PyScopeKind
    public let parent: PyScope?
    /// Index of the scope in its model (`PythonSemanticModel.scopes`); with an interned name, the key of its bindings.
    let index: Int32
    let store: PyBindingStore
    // `@exclusivity(unchecked)`: the scopes are built by one thread and only read afterwards; the runtime's dynamic
    // exclusivity check cost ~80 instructions per access on the binder's and lookup's hot paths.
    @exclusivity(unchecked) public internal(set) var globals: Set<String> = []
    @exclusivity(unchecked) public internal(set) var nonlocals: Set<String> = []
    public internal(set) var hasStarImport = false
    init(kind: PyScopeKind, parent: PyScope?, index: Int32, store: PyBindingStore) {
        self.kind = kind; self.parent = parent; self.index = index; self.store = store
    }

    /// The bindings of each name in this scope, oldest first: `scope.bindings[name]` (nil when the name has none).
    public var bindings: PyScopeBindings { PyScopeBindings(scope: self) }

    /// Adds a binding, unless the name is declared `global` or `nonlocal` here.
    func add(_ b: consuming PyBinding) {
        // Most scopes declare no `global`/`nonlocal` names: skip hashing the name twice for nothing.
        if !globals.isEmpty && globals.contains(b.name) || !nonlocals.isEmpty && nonlocals.contains(b.name) { return }
        store.add(consume b, scope: index)
    }

    /// `global n` / `nonlocal n`: forgets the name's earlier bindings here, and later ones are not added.
    func declare(_ n: String, global: Bool) {
        if global { globals.insert(n) } else { nonlocals.insert(n) }
        store.forget(n, scope: index)
    }
}

/// The bindings of one scope by name (`PyScope.bindings`), read from the model's binding store.
public struct PyScopeBindings: Sendable {
    let scope: PyScope
    /// The bindings of `name` in the scope, in the order they were bound; nil when there are none.
    public subscript(name: String) -> [PyBinding]? {
        let store = scope.store
        guard let id = store.names.find(name) else { return nil }
        var i = store.head(scope: scope.index, name: id)
        guard i >= 0 else { return nil }
        var out: [PyBinding] = []
        while i >= 0 { out.append(store.bindings[Int(i)]); i = store.previous[Int(i)] }
        out.reverse()
        return out
    }
}

/// Interns names: one id per distinct name, found by one cheap hash of its UTF-8 bytes (FNV-1a) instead of Swift's
/// seeded hasher for every scope a lookup visits.
struct PyNameTable {
    private(set) var names: [String] = []
    private var hashes: [UInt32] = []
    /// Open addressing: each slot holds an id + 1 (0: empty); a power-of-two count at most half full.
    private var slots: [Int32]

    init(capacity: Int = 8) {
        var n = 16
        while n < capacity * 2 && n < 1 << 30 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        names.reserveCapacity(capacity); hashes.reserveCapacity(capacity)
    }

    /// Canonically equivalent names (which `==` finds equal, and Python's NFKC makes one identifier: `é` precomposed or
    /// decomposed, `K` or the Kelvin sign) hash alike: the hash is a function of the name's NFC bytes. Most names are
    /// ASCII and at most 15 bytes, which Swift stores inline in the string's two words (bytes in order, zero padding,
    /// then a byte of 0xE0 | count): those two words are hashed as they are, without a loop over the bytes; the same
    /// bytes in any other representation (a string with spare capacity) are packed into the same two words first.
    @inline(__always) static func hash(_ s: String) -> UInt32 {
        let (w0, w1) = unsafeBitCast(s, to: (UInt64, UInt64).self)
        if w1 >> 60 == 0xE { return mix(w0, w1) }
        return slowHash(s)
    }

    @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (((a &* 0x9E37_79B9_7F4A_7C15) ^ b) &* 0xC2B2_AE3D_27D4_EB4F) >> 32)
    }

    /// `hash` of a name that is not an inline ASCII string.
    static func slowHash(_ s: String) -> UInt32 {
        if let r = s.utf8.withContiguousStorageIfAvailable({ buf -> UInt32? in
            for b in buf where b >= 0x80 { return nil }
            return asciiHash(buf)
        }), let r { return r }
        let nfc = Array(s.precomposedStringWithCanonicalMapping.utf8)
        return nfc.withUnsafeBufferPointer { buf in
            if !buf.contains(where: { $0 >= 0x80 }) { return asciiHash(buf) }
            var h: UInt32 = 2_166_136_261
            for b in buf { h = (h ^ UInt32(b)) &* 16_777_619 }
            return h
        }
    }

    /// `hash` of ASCII bytes: up to 15 packed as an inline string holds them, longer ones by FNV-1a.
    static func asciiHash(_ buf: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if buf.count <= 15 {
            var w0: UInt64 = 0, w1: UInt64 = (0xE0 | UInt64(buf.count)) << 56
            for (i, b) in buf.enumerated() {
                if i < 8 { w0 |= UInt64(b) << (8 * UInt64(i)) } else { w1 |= UInt64(b) << (8 * UInt64(i - 8)) }
            }
            return mix(w0, w1)
        }
        var h: UInt32 = 2_166_136_261
        for b in buf { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    /// The id of `s`, if interned.
    @inline(__always) func find(_ s: String) -> Int32? { find(s, hash: Self.hash(s)) }

    func find(_ s: String, hash h: UInt32) -> Int32? {
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let v = slots[i]
            if v == 0 { return nil }
            let id = Int(v - 1)
            if hashes[id] == h && names[id] == s { return Int32(id) }
            i = (i + 1) & mask
        }
    }

    /// The id of `s`, interning it if new.
    mutating func intern(_ s: String) -> Int32 {
        let h = Self.hash(s)
        var mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let v = slots[i]
            if v == 0 { break }
            let id = Int(v - 1)
            if hashes[id] == h && names[id] == s { return Int32(id) }
            i = (i + 1) & mask
        }
        let id = Int32(names.count)
        names.append(s); hashes.append(h)
        if names.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            i = Int(h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
        }
        slots[i] = id + 1
        return id
    }

    private mutating func grow() {
        let n = slots.count * 2
        var fresh = [Int32](repeating: 0, count: n)
        let mask = n - 1
        for id in 0..<(names.count - 1) {
            var i = Int(hashes[id]) & mask
            while fresh[i] != 0 { i = (i + 1) & mask }
            fresh[i] = Int32(id + 1)
        }
        slots = fresh
    }
}

/// A hash map from 64-bit keys to indices (open addressing, linear probing, a multiplicative hash): the heads of the
/// binding chains keyed by (scope, name id), and the scopes keyed by their node's identity.
struct PyIndexMap {
    private var keys: [UInt64]
    private var values: [Int32]
    private var count = 0
    private static let empty = UInt64.max

    init(capacity: Int = 8) {
        var n = 16
        while n < capacity * 2 && n < 1 << 30 { n <<= 1 }
        keys = Array(repeating: Self.empty, count: n)
        values = Array(repeating: -1, count: n)
    }

    @inline(__always) private static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value of `k`, or -1. (Slots are masked into the tables, which are never empty: read without bounds checks.)
    @inline(__always) func get(_ k: UInt64) -> Int32 {
        keys.withUnsafeBufferPointer { ks in
            let mask = ks.count - 1
            var i = Self.slot(k, mask)
            while true {
                let x = ks[i]
                if x == k { return values.withUnsafeBufferPointer { $0[i] } }
                if x == Self.empty { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets the value of `k` and returns the previous one (-1 when there was none).
    @discardableResult
    mutating func set(_ k: UInt64, _ v: Int32) -> Int32 {
        let mask = keys.count - 1
        var i = Self.slot(k, mask)
        let existing: Bool = keys.withUnsafeBufferPointer { ks in
            while true {
                let x = ks[i]
                if x == k { return true }
                if x == Self.empty { return false }
                i = (i + 1) & mask
            }
        }
        if existing { return values.withUnsafeMutableBufferPointer { vs in let old = vs[i]; vs[i] = v; return old } }
        keys.withUnsafeMutableBufferPointer { $0[i] = k }
        values.withUnsafeMutableBufferPointer { $0[i] = v }
        count += 1
        if count * 2 > keys.count { grow() }
        return -1
    }

    private mutating func grow() {
        let n = keys.count * 2
        var nk = [UInt64](repeating: Self.empty, count: n), nv = [Int32](repeating: -1, count: n)
        let mask = n - 1
        for j in keys.indices where keys[j] != Self.empty {
            var i = Self.slot(keys[j], mask)
            while nk[i] != Self.empty { i = (i + 1) & mask }
            nk[i] = keys[j]; nv[i] = values[j]
        }
        keys = nk; values = nv
    }
}

/// The bindings of every scope of one model, and the chain of enclosing functions and loops its call records point
/// into. Filled by the model's `init` alone; read-only afterwards.
final class PyBindingStore: @unchecked Sendable {
    /// Every binding of the module, in the order they were bound.
    @exclusivity(unchecked) private(set) var bindings: [PyBinding] = []
    /// Per binding: the index of the previous binding of the same name in the same scope, or -1.
    @exclusivity(unchecked) private(set) var previous: [Int32] = []
    @exclusivity(unchecked) private(set) var names: PyNameTable
    /// (scope index, name id) → index of the name's newest binding in the scope (-1 once forgotten).
    @exclusivity(unchecked) private var heads: PyIndexMap
    /// Enclosing `def`s and loops of the call records: each frame links to the one around it.
    @exclusivity(unchecked) private(set) var frames: [PyFrame] = []
    /// The file's bytes (shared, not copied), for `PyCallRecord.calleeText`.
    let source: [UInt8]

    /// Tables sized from the file (about one binding per 48 bytes of ordinary code, so they rarely grow); capped, as a
    /// file of long literals binds little.
    init(source: [UInt8], statements: Int) {
        self.source = source
        let guess = min(max(16, statements * 2, source.count / 48), 1 << 16)
        names = PyNameTable(capacity: guess)
        heads = PyIndexMap(capacity: guess)
        bindings.reserveCapacity(guess); previous.reserveCapacity(guess)
    }

    @inline(__always) static func key(_ scope: Int32, _ name: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: scope)) << 32 | UInt64(UInt32(bitPattern: name))
    }

    /// `consuming`, and the binding moved into `bindings`: an `__owned` parameter was optimised into a borrowed one,
    /// and appending it then copied the binding (retaining its name and payload) for the caller to release.
    func add(_ b: consuming PyBinding, scope: Int32) {
        let id = names.intern(b.name)
        let i = Int32(bindings.count)
        bindings.append(consume b)
        previous.append(heads.set(Self.key(scope, id), i))
    }

    func forget(_ name: String, scope: Int32) {
        guard let id = names.find(name), heads.get(Self.key(scope, id)) >= 0 else { return }
        heads.set(Self.key(scope, id), -1)
    }

    /// Index of the newest binding of name `id` in `scope`, or -1.
    @inline(__always) func head(scope: Int32, name id: Int32) -> Int32 { heads.get(Self.key(scope, id)) }

    func reserveFrames(_ n: Int) { frames.reserveCapacity(n) }

    func pushFrame(_ f: PyFrame.Node, parent: Int32) -> Int32 {
        frames.append(PyFrame(node: f, parent: parent))
        return Int32(frames.count - 1)
    }

    /// The `def`s around frame `k`, outermost first.
    func enclosingFunctions(_ k: Int32) -> [PyFunctionDef] {
        var out: [PyFunctionDef] = []
        var i = k
        while i >= 0 {
            if case .function(let f) = frames[Int(i)].node { out.append(f) }
            i = frames[Int(i)].parent
        }
        out.reverse()
        return out
    }

    /// The loops around frame `k` inside its innermost `def`, outermost first.
    func enclosingLoops(_ k: Int32) -> [PyStmt] {
        var out: [PyStmt] = []
        var i = k
        while i >= 0, case .loop(let s) = frames[Int(i)].node { out.append(s); i = frames[Int(i)].parent }
        out.reverse()
        return out
    }
}

/// One enclosing `def` or loop of a call (see `PyBindingStore.frames`).
struct PyFrame {
    enum Node { case function(PyFunctionDef), loop(PyStmt) }
    let node: Node
    /// The frame around this one, or -1.
    let parent: Int32
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
/// Three references and a few bytes (the callee, arguments, source and enclosing definitions are read through the
/// call and its scope on demand): a record is made for every call of a file, and most are never looked at again.
public struct PyCallRecord: Sendable {
    public let call: PyExpr
    /// Canonical qualified name of the callee, or nil when it cannot be resolved statically.
    public let qualifiedName: String?
    /// Strong: a record may outlive its model (`PythonSemanticModel(module: m).calls`, with the tree kept alive), and
    /// reads the source through its scope. Held `unowned(unsafe)` it saved a retain and a release per call record,
    /// and such a use read freed memory.
    public let scope: PyScope
    /// Innermost enclosing `def` or loop in `scope.store.frames`, or -1.
    let frame: Int32
    let flags: UInt8
    static let inLambdaFlag: UInt8 = 1, inExceptFlag: UInt8 = 2, moduleLevelFlag: UInt8 = 4

    public var callee: PyExpr {
        if case .call(let f, _, _) = call.kind { return f }
        return call
    }
    public var args: PyList<PyExpr> {
        if case .call(_, let a, _) = call.kind { return a }
        return PyList(empty: call.tree)
    }
    public var keywords: PyList<PyKeyword> {
        if case .call(_, _, let k) = call.kind { return k }
        return PyList(empty: call.tree)
    }
    public var calleeRange: SourceRange { callee.range }
    /// Source text of the callee, made on demand (rules read it for the calls they report only).
    public var calleeText: String {
        let source = scope.store.source
        let r = callee.byteRange
        let lo = max(0, min(r.lowerBound, source.count)), hi = max(lo, min(r.upperBound, source.count))
        return String(decoding: source[lo..<hi], as: UTF8.self)
    }
    /// Enclosing `def`s, outermost first.
    public var enclosingFunctions: [PyFunctionDef] { scope.store.enclosingFunctions(frame) }
    /// True when inside a lambda body.
    public var inLambda: Bool { flags & Self.inLambdaFlag != 0 }
    /// Enclosing `for`/`while` statements, outermost first (loops of enclosing functions excluded).
    public var enclosingLoops: [PyStmt] { scope.store.enclosingLoops(frame) }
    /// Inside an `except` handler body (of the current function).
    public var inExceptHandler: Bool { flags & Self.inExceptFlag != 0 }
    /// Executed at import time: not inside a `def` or `lambda` (class bodies at module level count).
    public var isModuleLevel: Bool { flags & Self.moduleLevelFlag != 0 }
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

    /// `builtinNames` interned, so that an unbound name is checked with the hash already computed for the lookup.
    static let builtinTable: PyNameTable = {
        var t = PyNameTable(capacity: builtinNames.count)
        for n in builtinNames.sorted() { _ = t.intern(n) }
        return t
    }()

    /// Dotted name of this module (for relative imports and local definitions), if known.
    public let moduleName: String?
    public let isPackage: Bool
    public let moduleScope: PyScope
    // `@exclusivity(unchecked)`: filled by `init` alone, read-only afterwards (see `PyScope.globals`).
    @exclusivity(unchecked) public private(set) var imports: [PyImportRecord] = []
    @exclusivity(unchecked) public private(set) var calls: [PyCallRecord] = []
    @exclusivity(unchecked) public private(set) var classes: [PyClassRecord] = []
    @exclusivity(unchecked) public private(set) var functions: [PyFunctionRecord] = []
    /// Each `def` node's (`PyFunctionDef.index`) position in `functions`, -1 for none: `function(_:)` searched
    /// `functions` for every call's enclosing defs, quadratic in a module's size (a 200,000-line module of 100,000
    /// defs with a call each: 77 % of a 6.3 s run).
    @exclusivity(unchecked) private var recordOfFunctionNode: [Int32] = []

    /// Bindings of every scope, interned names and the enclosing-definition frames of the calls.
    let store: PyBindingStore
    /// The defs, classes and loops the binder saw, so the recorder's arrays are allocated once at their size.
    @exclusivity(unchecked) var counts = (functions: 0, classes: 0, loops: 0)
    /// Every scope, parents before children (`PyScope.index`); `scopes[0]` is `moduleScope`.
    @exclusivity(unchecked) private(set) var scopes: [PyScope] = []
    /// The identity of a `def`, `class`, lambda or comprehension node → the index of its scope.
    @exclusivity(unchecked) private var scopeOfNode: PyIndexMap
    /// `aliases` of `defaultCanonicalAliases`, made once.
    static let defaultAliases = PyAliasTable(defaultCanonicalAliases)
    /// The canonical aliases the model resolves names through (`init`'s `canonicalAliases`).
    private let aliases: PyAliasTable
    /// The syntax tree: its arena lives as long as the model, whose bindings and records hold handles to its nodes.
    public let module: PyModule

    /// Builds the model. `moduleName` (e.g. `pkg.sub.mod`) enables relative-import resolution; `isPackage` means the
    /// file is `pkg/sub/mod/__init__.py`. `canonicalAliases` nil: `defaultCanonicalAliases` (with its filter made once,
    /// not per file).
    public init(module: PyModule, moduleName: String? = nil, isPackage: Bool = false,
                canonicalAliases: [String: String]? = nil) {
        self.module = module
        self.moduleName = moduleName
        self.isPackage = isPackage
        self.aliases = canonicalAliases.map { PyAliasTable($0) } ?? Self.defaultAliases
        let store = PyBindingStore(source: module.source, statements: module.body.count)
        self.store = store
        self.moduleScope = PyScope(kind: .module, parent: nil, index: 0, store: store)
        // About one scope per 200 bytes and one call per 48 (ordinary code), capped: a table that grows rehashes and
        // an array that grows copies its records (each copy retains their references).
        let n = module.source.count
        scopeOfNode = PyIndexMap(capacity: min(max(8, n / 100), 1 << 12))
        scopes.reserveCapacity(min(max(4, n / 200), 1 << 12)); scopes.append(moduleScope)
        calls.reserveCapacity(min(max(8, n / 48), 1 << 16))
        // Most imports are statements of the module's body: their records are counted before they are made.
        var moduleImports = 0
        for s in module.body {
            switch s.kind {
            case .import(let names): moduleImports += names.count
            case .importFrom: moduleImports += 1
            default: break
            }
        }
        imports.reserveCapacity(moduleImports)
        var b = Binder(model: self)
        b.collect(module.body, scope: moduleScope)
        // The binder counted the defs, classes and loops: the records and frames the recorder makes of them.
        functions.reserveCapacity(counts.functions)
        classes.reserveCapacity(counts.classes)
        store.reserveFrames(counts.functions + counts.loops)
        var r = Recorder(model: self)
        r.visitBody(module.body, scope: moduleScope)
    }

    deinit {
        // A scope holds its parent: dropping the records, then the scopes innermost first, frees each scope on its own
        // instead of in a chain of releases as deep as the nesting.
        calls = []; functions = []
        while !scopes.isEmpty { scopes.removeLast() }
    }

    /// The scope of a function definition's body.
    public func scope(of def: PyFunctionDef) -> PyScope? { scope(for: def) }
    /// The scope of a class body.
    public func scope(of def: PyClassDef) -> PyScope? { scope(for: def) }

    /// A node that opens a scope, as a key of `scopeOfNode`: its index in the tree, tagged with its kind.
    @inline(__always) private static func key(_ f: PyFunctionDef) -> UInt64 { UInt64(UInt32(bitPattern: f.index)) | 1 << 40 }
    @inline(__always) private static func key(_ c: PyClassDef) -> UInt64 { UInt64(UInt32(bitPattern: c.index)) | 2 << 40 }
    @inline(__always) private static func key(_ e: PyExpr) -> UInt64 { UInt64(UInt32(bitPattern: e.index)) | 3 << 40 }

    /// A new scope, registered for `node` (the `def`, `class`, lambda or comprehension that opens it).
    func makeScope(_ kind: PyScopeKind, parent: PyScope, for node: PyFunctionDef) -> PyScope { makeScope(kind, parent: parent, key: Self.key(node)) }
    func makeScope(_ kind: PyScopeKind, parent: PyScope, for node: PyClassDef) -> PyScope { makeScope(kind, parent: parent, key: Self.key(node)) }
    func makeScope(_ kind: PyScopeKind, parent: PyScope, for node: PyExpr) -> PyScope { makeScope(kind, parent: parent, key: Self.key(node)) }

    private func makeScope(_ kind: PyScopeKind, parent: PyScope, key: UInt64) -> PyScope {
        let s = PyScope(kind: kind, parent: parent, index: Int32(scopes.count), store: store)
        scopeOfNode.set(key, s.index)
        scopes.append(s)
        return s
    }

    func scope(for f: PyFunctionDef) -> PyScope? { scope(key: Self.key(f)) }
    func scope(for c: PyClassDef) -> PyScope? { scope(key: Self.key(c)) }
    func scope(for e: PyExpr) -> PyScope? { scope(key: Self.key(e)) }

    private func scope(key: UInt64) -> PyScope? {
        let i = scopeOfNode.get(key)
        return i >= 0 ? scopes[Int(i)] : nil
    }

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
        guard let id = store.names.find(name) else { return nil }  // bound nowhere in the file
        let i = lookup(id: id, name, at: offset, in: scope)
        return i >= 0 ? store.bindings[Int(i)] : nil
    }

    /// `lookup` of an interned name: the index of the binding in `store.bindings`, or -1.
    private func lookup(id: Int32, _ name: String, at offset: Int, in scope: PyScope) -> Int32 {
        // `unowned(unsafe)`: the chain of parents is kept alive by `scope` (held by the caller) and by `scopes`; the
        // walk takes no reference to each scope it passes.
        unowned(unsafe) var sc: PyScope = scope
        var deferred = false
        var first = true
        while true {
            let kind = sc.kind
            if kind == .class && !first {
                guard let p = sc.parent else { return -1 }
                sc = p; continue
            }
            first = false
            if !sc.globals.isEmpty && sc.globals.contains(name) {
                return pick(store.head(scope: moduleScope.index, name: id), offset: offset, deferred: true)
            }
            if !sc.nonlocals.isEmpty && sc.nonlocals.contains(name) {
                if kind == .function || kind == .lambda { deferred = true }
                guard let p = sc.parent else { return -1 }
                sc = p; continue
            }
            let head = store.head(scope: sc.index, name: id)
            if head >= 0 {
                let b = pick(head, offset: offset, deferred: deferred)
                if b >= 0 { return b }
                if kind == .function || kind == .lambda || kind == .module { return -1 }
            }
            if kind == .function || kind == .lambda { deferred = true }
            guard let p = sc.parent else { return -1 }
            sc = p
        }
    }

    /// The binding of a chain (newest at `head`) in effect at `offset`: the newest bound before it, or for a deferred
    /// read (from a nested function) the newest outside an `except` handler, else the newest.
    private func pick(_ head: Int32, offset: Int, deferred: Bool) -> Int32 {
        guard head >= 0 else { return -1 }
        let bindings = store.bindings, previous = store.previous
        var i = head
        if deferred {
            while i >= 0 {
                if !bindings[Int(i)].inExceptHandler { return i }
                i = previous[Int(i)]
            }
            return head
        }
        while i >= 0 {
            if bindings[Int(i)].offset <= offset { return i }
            i = previous[Int(i)]
        }
        return -1
    }

    /// Qualified name of an expression (`Name` or attribute chain on a name) at `offset` in `scope`, canonicalised.
    public func qualifiedName(of e: PyExpr, in scope: PyScope, at offset: Int? = nil) -> String? {
        guard let q = rawQualifiedName(of: e, in: scope, at: offset ?? e.byteRange.lowerBound) else { return nil }
        return aliases.canonical(q)
    }

    func rawQualifiedName(of e: PyExpr, in scope: PyScope, at offset: Int) -> String? {
        // Walk down the attribute chain in a loop (chains can be a thousand levels tall), then resolve its base name;
        // the attribute names are collected only when it resolves (most callees are methods of local objects).
        var base = e
        var depth = 0
        while case .attribute(let v, _) = base.kind { base = v; depth += 1 }
        guard case .name(let n) = base.kind, let q = qualifiedName(ofName: n, in: scope, at: offset) else { return nil }
        if depth == 0 { return q }
        if depth == 1, case .attribute(_, let attr) = e.kind { return PythonSemanticModel.dotted(q, attr) }
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

    /// `a + "." + b` in one allocation (none when it fits a small string), copying the bytes in two blocks.
    static func dotted(_ a: String, _ b: String) -> String {
        var a = a, b = b
        let na = a.utf8.count, nb = b.utf8.count
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                String(unsafeUninitializedCapacity: na + 1 + nb) { buf in
                    let raw = UnsafeMutableRawBufferPointer(buf)
                    raw.copyMemory(from: UnsafeRawBufferPointer(pa))
                    raw[na] = 0x2E
                    UnsafeMutableRawBufferPointer(rebasing: raw[(na + 1)...]).copyMemory(from: UnsafeRawBufferPointer(pb))
                    return na + 1 + nb
                }
            }
        }
    }

    /// `from base import name`: the qualified name of `name` (`base.hasSuffix(".")` for a relative base of dots only).
    @inline(__always) static func member(_ name: String, of base: String) -> String {
        if base.isEmpty { return name }
        return endsWithDot(base) ? base + name : dotted(base, name)
    }

    /// `s.hasSuffix(".")`, from the last bytes when they decide it (a `.` after an ASCII byte is its own character).
    static func endsWithDot(_ s: String) -> Bool {
        let u = s.utf8
        guard let last = u.last, last == 0x2E else { return false }
        if u.count == 1 || u[u.index(u.endIndex, offsetBy: -2)] < 0x80 { return true }
        return s.hasSuffix(".")
    }

    private func qualifiedName(ofName n: String, in scope: PyScope, at offset: Int) -> String? {
        let h = PyNameTable.hash(n)
        if let id = store.names.find(n, hash: h) {
            let i = lookup(id: id, n, at: offset, in: scope)
            if i >= 0 {
                // The binding's fields are read in place: copying the whole binding retained and released its name.
                switch store.bindings[Int(i)].kind {
                case .import(let q): return q
                case .functionDef, .classDef:
                    let boundAt = store.bindings[Int(i)].offset
                    guard let mn = moduleName else { return nil }
                    // Defined at module level (the binding is one of the module scope's)?
                    var j = store.head(scope: moduleScope.index, name: id)
                    while j >= 0 {
                        if store.bindings[Int(j)].offset == boundAt { return PythonSemanticModel.dotted(mn, n) }
                        j = store.previous[Int(j)]
                    }
                    return nil
                default: return nil
                }
            }
        }
        if PythonSemanticModel.builtinTable.find(n, hash: h) != nil { return n }
        return nil
    }
}

/// Canonical aliases (`canonicalAliases`) as a name table and the names they map to: the table's hash is the model's
/// own (a `[String: String]` lookup cost 500 to 1,600 instructions, by the process's hash seed), and most qualified
/// names are not looked up at all: the filter of (length, last byte) pairs says they are no alias.
struct PyAliasTable: Sendable {
    private let filter: PyAliasFilter
    private let names: PyNameTable
    private let targets: [String]

    init(_ aliases: [String: String]) {
        filter = PyAliasFilter(aliases.keys)
        var names = PyNameTable(capacity: aliases.count)
        var targets: [String] = []
        for (k, v) in aliases.sorted(by: { $0.key < $1.key }) {
            let id = Int(names.intern(k))
            // Canonically equivalent keys are one key of the table (as of a dictionary): the first in order wins.
            if id == targets.count { targets.append(v) }
        }
        self.names = names; self.targets = targets
    }

    /// The canonical spelling of `q`: its alias target, or `q`.
    @inline(__always) func canonical(_ q: String) -> String {
        guard filter.mayContain(q), let id = names.find(q) else { return q }
        return targets[Int(id)]
    }
}

/// A 256-bit set of (UTF-8 length, last byte) pairs of some strings: `mayContain` is false for most others.
struct PyAliasFilter {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init<S: Sequence>(_ keys: S) where S.Element == String {
        for k in keys {
            let b = Self.bit(k)
            switch b >> 6 {
            case 0: bits.0 |= 1 << UInt64(b & 63)
            case 1: bits.1 |= 1 << UInt64(b & 63)
            case 2: bits.2 |= 1 << UInt64(b & 63)
            default: bits.3 |= 1 << UInt64(b & 63)
            }
        }
    }

    @inline(__always) private static func bit(_ s: String) -> Int {
        let u = s.utf8
        let last = u.withContiguousStorageIfAvailable { $0.last } ?? u.last
        return (u.count &* 31 &+ Int(last ?? 0)) & 255
    }

    @inline(__always) func mayContain(_ s: String) -> Bool {
        let b = Self.bit(s)
        let w: UInt64
        switch b >> 6 {
        case 0: w = bits.0
        case 1: w = bits.1
        case 2: w = bits.2
        default: w = bits.3
        }
        return w & (1 << UInt64(b & 63)) != 0
    }
}

/// Pass 1: creates scopes and collects bindings.
struct Binder {
    // `unowned(unsafe)`: a binder lives inside the model's `init` only; a checked `unowned` reference cost an atomic
    // retain and release at every use.
    unowned(unsafe) let model: PythonSemanticModel
    var inExcept = false
    /// What an import record says of where its statement sits (the binder makes the import records, as it binds
    /// their names: the qualified names are made once for both). A def's body starts afresh (a new binder); a class
    /// body keeps the `try` guards and `TYPE_CHECKING` around it.
    var inFunction = false
    var classDepth = 0
    /// `Recorder.importGuard` of each enclosing guarding `try`, innermost last.
    var guards: [String] = []
    var typeChecking = 0

    var context: PyDefinitionContext { inFunction ? .function : (classDepth > 0 ? .class : .module) }

    /// The name `import a.b` binds: `a.b.asciiSplit(".").first`, without splitting when there is no dot.
    static func firstComponent(_ name: String) -> String {
        // Most imported names are ASCII without a dot: said from the string's own bytes (the generic search of the
        // UTF-8 view cost ~200 instructions a name).
        if name.utf8.withContiguousStorageIfAvailable({ !$0.contains(0x2E) }) == true { return name }
        let u = name.utf8
        if let dot = u.firstIndex(of: 0x2E) {
            if dot != u.startIndex && u.allSatisfy({ $0 < 0x80 }) { return String(name[..<dot]) }
            return String(name.asciiSplit(0x2E).first ?? "")
        }
        return name
    }

    mutating func collect(_ body: PyList<PyStmt>, scope: PyScope) {
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

    /// The records of an `import`/`from … import` statement (one per name of `import a, b`), made as
    /// `PyImportCollector` makes them, under this binder's context, `try` guards and `TYPE_CHECKING`.
    func appendImportRecords(_ s: PyStmt) {
        Recorder.importRecords(s, context: context, guardDepth: guards.count, guardedBy: guards.last, typeChecking: typeChecking,
                               absoluteModule: { model.absoluteModule($0, level: $1) }) { model.appendImport($0) }
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
            appendImportRecords(s)
            for a in names {
                let bound = a.asName ?? Binder.firstComponent(a.name)
                let q = a.asName != nil ? a.name : bound
                scope.add(PyBinding(name: bound, kind: .import(qualifiedName: q), offset: end, range: a.range, inExceptHandler: inExcept))
            }
        case .importFrom:
            appendImportRecords(s)
            // Bound under the qualified names its record holds (each worked out once, for both).
            for n in model.imports[model.imports.count - 1].names {
                if n.name == "*" { scope.hasStarImport = true; continue }
                scope.add(PyBinding(name: n.asName ?? n.name, kind: .import(qualifiedName: n.qualifiedName), offset: end, range: n.range,
                                    inExceptHandler: inExcept))
            }
        case .functionDef(let f):
            for d in f.decorators { expr(d, scope) }
            f.args.forEachParameterExpression { expr($0, scope) }
            if let r = f.returns { expr(r, scope) }
            let fs = model.makeScope(.function, parent: scope, for: f)
            f.args.forEachParameter { name, range in fs.add(PyBinding(name: name, kind: .parameter, offset: 0, range: range, inExceptHandler: false)) }
            model.counts.functions += 1
            var inner = Binder(model: model)
            inner.inFunction = true
            inner.collect(f.body, scope: fs)
            scope.add(PyBinding(name: f.name, kind: .functionDef(f), offset: end, range: f.nameRange, inExceptHandler: inExcept))
        case .classDef(let c):
            for d in c.decorators { expr(d, scope) }
            for e in c.bases { expr(e, scope) }
            for k in c.keywords { expr(k.value, scope) }
            let cs = model.makeScope(.class, parent: scope, for: c)
            model.counts.classes += 1
            // A class body binds outside any handler, but its imports keep the guards around the class.
            var inner = Binder(model: model)
            inner.inFunction = inFunction; inner.classDepth = classDepth + 1; inner.guards = guards; inner.typeChecking = typeChecking
            inner.collect(c.body, scope: cs)
            scope.add(PyBinding(name: c.name, kind: .classDef(c), offset: end, range: c.nameRange, inExceptHandler: inExcept))
        case .return(let v): if let v { expr(v, scope) }
        case .delete(let xs): for x in xs { bindTarget(x, scope, offset: end, value: nil) }
        case .raise(let e, let c): if let e { expr(e, scope) }; if let c { expr(c, scope) }
        case .assert(let t, let m): expr(t, scope); if let m { expr(m, scope) }
        case .global(let ns): for n in ns { scope.declare(n, global: true) }
        case .nonlocal(let ns): for n in ns { scope.declare(n, global: false) }
        case .if:
            // An `elif` chain is a nested `if` in `orElse`; follow it in a loop (chains can be thousands long).
            var cur = s
            while case .if(let t, let b, let o) = cur.kind {
                expr(t, scope)
                let tc = Recorder.isTypeChecking(t)
                if tc { typeChecking += 1 }
                collect(b, scope: scope)
                if tc { typeChecking -= 1 }
                if o.count == 1, case .if = o[0].kind { cur = o[0]; continue }
                collect(o, scope: scope)
                break
            }
        case .while(let t, let b, let o):
            model.counts.loops += 1
            expr(t, scope); collect(b, scope: scope); collect(o, scope: scope)
        case .for(let t, let i, let b, let o, _):
            model.counts.loops += 1
            expr(i, scope); bindTarget(t, scope, offset: t.byteRange.upperBound, value: nil)
            collect(b, scope: scope); collect(o, scope: scope)
        case .with(let items, let b, _):
            for it in items {
                expr(it.contextExpr, scope)
                if let v = it.optionalVars { bindTarget(v, scope, offset: v.byteRange.upperBound, value: it.contextExpr) }
            }
            collect(b, scope: scope)
        case .try(let b, let hs, let o, let f, _):
            let guardKind = Recorder.importGuard(hs)
            if let g = guardKind { guards.append(g) }
            collect(b, scope: scope)
            if guardKind != nil { guards.removeLast() }
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

    /// Creates scopes for lambdas/comprehensions and binds walrus targets (a subtree with none of them is skipped here,
    /// at the caller: most expressions hold none).
    @inline(__always) mutating func expr(_ e: PyExpr, _ scope: PyScope) {
        if e.holdsScopeOrWalrus { visit(e, scope) }
    }

    mutating func visit(_ e: PyExpr, _ scope: PyScope) {
        if exprDepth >= Binder.recursionLimit { exprIteratively(e, scope); return }
        exprDepth += 1; defer { exprDepth -= 1 }
        switch e.kind {
        case .lambda(let a, let body):
            a.forEachParameterExpression { expr($0, scope) }
            let ls = model.makeScope(.lambda, parent: scope, for: e)
            a.forEachParameter { name, range in ls.add(PyBinding(name: name, kind: .parameter, offset: 0, range: range, inExceptHandler: false)) }
            expr(body, ls)
        case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
            if let g0 = gens.first { expr(g0.iter, scope) }
            let cs = model.makeScope(.comprehension, parent: scope, for: e)
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
                let ls = model.makeScope(.lambda, parent: scope, for: e)
                a.forEachParameter { name, range in ls.add(PyBinding(name: name, kind: .parameter, offset: 0, range: range, inExceptHandler: false)) }
                work.append(.expr(body, ls))
                let first = work.count
                a.forEachParameterExpression { work.append(.expr($0, scope)) }
                PyWalker.reverseTail(&work, from: first)
            case .listComp(_, let gens), .setComp(_, let gens), .generator(_, let gens), .dictComp(_, _, let gens):
                let cs = model.makeScope(.comprehension, parent: scope, for: e)
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
                PyWalker.reverseTail(&work, from: first)
            }
        }
    }
}

/// Pass 2: records imports, calls, classes and functions with context and resolved names.
struct Recorder {
    /// `unowned(unsafe)`: see `Binder.model`.
    unowned(unsafe) let model: PythonSemanticModel
    /// `model` for the call records: each call through `model` retained and released it (twice a call), a reference
    /// from `Unmanaged._withUnsafeGuaranteedRef` does not.
    let modelRef: Unmanaged<PythonSemanticModel>

    init(model: PythonSemanticModel) {
        self.model = model
        modelRef = .passUnretained(model)
    }
    var functions: [PyFunctionDef] = []
    /// Innermost enclosing `def` or loop in `model.store.frames` (-1: none).
    var frame: Int32 = -1
    var inExcept = false
    var inLambda = 0
    var classDepth = 0
    var currentClass: PyClassDef? = nil

    /// `functions` for a record: a copy of its own (empty when there are none), so that the stack's buffer stays
    /// unshared and a later push does not copy it.
    var enclosingFunctions: [PyFunctionDef] { functions.isEmpty ? [] : functions.map { $0 } }

    var context: PyDefinitionContext {
        if !functions.isEmpty || inLambda > 0 { return .function }
        return classDepth > 0 ? .class : .module
    }

    mutating func visitBody(_ body: PyList<PyStmt>, scope: PyScope) {
        for s in body { stmt(s, scope) }
    }

    static func catchesImportError(_ hs: PyList<PyExceptHandler>) -> Bool { importGuard(hs) != nil }

    /// The exception by which the first handler that catches a failed import does so (`except` when bare).
    static func importGuard(_ hs: PyList<PyExceptHandler>) -> String? {
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

    /// The records of one `import`/`from … import` statement (`Binder` and `PyImportCollector` make them here).
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
                               qualifiedName: PythonSemanticModel.member(a.name, of: base))
            }
            append(PyImportRecord(statement: s, isFrom: true, module: m ?? "", names: ns, level: level, range: s.range,
                                  context: ctx, isGuardedByTry: guardDepth > 0, isTypeCheckingOnly: typeChecking > 0,
                                  guardedBy: guardedBy))
        default: break
        }
    }

    mutating func stmt(_ s: PyStmt, _ scope: PyScope) {
        switch s.kind {
        // The commonest simple statements visit their expressions directly, in `PyWalker.forEachChild`'s order.
        case .expr(let e): expr(e, scope)
        case .assign(let ts, let v):
            for t in ts { expr(t, scope) }
            expr(v, scope)
        case .augAssign(let t, _, let v): expr(t, scope); expr(v, scope)
        case .annAssign(let t, let a, let v):
            expr(t, scope); expr(a, scope)
            if let v { expr(v, scope) }
        case .return(let v): if let v { expr(v, scope) }
        case .with(let items, let b, _):
            for it in items {
                expr(it.contextExpr, scope)
                if let o = it.optionalVars { expr(o, scope) }
            }
            visitBody(b, scope: scope)
        case .import, .importFrom: break  // recorded by the binder
        case .functionDef(let f):
            for d in f.decorators { expr(d, scope) }
            f.args.forEachParameterExpression { expr($0, scope) }
            if let r = f.returns { expr(r, scope) }
            guard let fs = model.scope(for: f) else { return }
            model.appendFunction(PyFunctionRecord(statement: s, def: f, context: context, enclosingFunctions: enclosingFunctions,
                                                  enclosingClass: scope.kind == .class ? currentClass : nil, scope: fs))
            // The body starts afresh (no loops or handler); the state is saved and restored around it rather than
            // copied into a new recorder. `functions` is a stack whose buffer no record shares (see
            // `enclosingFunctions`), so pushing a def allocates nothing.
            let saved = (frame, inExcept)
            functions.append(f)
            frame = model.store.pushFrame(.function(f), parent: frame)
            inExcept = false
            visitBody(f.body, scope: fs)
            functions.removeLast()
            (frame, inExcept) = saved
        case .classDef(let c):
            for d in c.decorators { expr(d, scope) }
            for e in c.bases { expr(e, scope) }
            for k in c.keywords { expr(k.value, scope) }
            let bases = c.bases.map { model.qualifiedName(of: $0, in: scope, at: $0.byteRange.lowerBound) }
            model.appendClass(PyClassRecord(statement: s, def: c, baseQualifiedNames: bases, context: context, enclosingFunctions: enclosingFunctions))
            guard let cs = model.scope(for: c) else { return }
            let savedClass = currentClass
            classDepth += 1; currentClass = c
            visitBody(c.body, scope: cs)
            classDepth -= 1; currentClass = savedClass
        case .for(let t, let i, let b, let o, _):
            expr(i, scope); expr(t, scope)
            let outer = frame
            frame = model.store.pushFrame(.loop(s), parent: outer); visitBody(b, scope: scope); frame = outer
            visitBody(o, scope: scope)
        case .while(let t, let b, let o):
            let outer = frame
            frame = model.store.pushFrame(.loop(s), parent: outer); expr(t, scope); visitBody(b, scope: scope); frame = outer
            visitBody(o, scope: scope)
        case .try(let b, let hs, let o, let f, _):
            visitBody(b, scope: scope)
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
                visitBody(b, scope: scope)
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

    func recordCall(_ e: PyExpr, callee f: PyExpr, _ scope: PyScope) {
        var flags: UInt8 = 0
        if inLambda > 0 { flags |= PyCallRecord.inLambdaFlag }
        if inExcept { flags |= PyCallRecord.inExceptFlag }
        if functions.isEmpty && inLambda == 0 { flags |= PyCallRecord.moduleLevelFlag }
        let frame = self.frame
        modelRef._withUnsafeGuaranteedRef { model in
            let q = model.qualifiedName(of: f, in: scope, at: e.byteRange.lowerBound)
            model.appendCall(PyCallRecord(call: e, qualifiedName: q, scope: scope, frame: frame, flags: flags))
        }
    }

    /// Records calls in an expression, in source order (recursing up to `Binder.recursionLimit`, like `Binder.expr`);
    /// a subtree without calls is skipped (at the caller).
    @inline(__always) mutating func expr(_ e: PyExpr, _ scope: PyScope) {
        if e.holdsCall { visit(e, scope) }
    }

    mutating func visit(_ e: PyExpr, _ scope: PyScope) {
        if exprDepth >= Binder.recursionLimit { exprIteratively(e, scope); return }
        exprDepth += 1; defer { exprDepth -= 1 }
        switch e.kind {
        case .call(let f, _, _):
            recordCall(e, callee: f, scope)
            PyWalker.forEachChild(e) { expr($0, scope) }
        case .lambda(let a, let body):
            a.forEachParameterExpression { expr($0, scope) }
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
            case .call(let f, _, _):
                recordCall(e, callee: f, scope)
                let first = work.count
                PyWalker.forEachChild(e) { work.append(($0, scope, lambda)) }
                PyWalker.reverseTail(&work, from: first)
            case .lambda(let a, let body):
                let ls = model.scope(for: e) ?? scope
                work.append((body, ls, lambda + 1))
                let first = work.count
                a.forEachParameterExpression { work.append(($0, scope, lambda)) }
                PyWalker.reverseTail(&work, from: first)
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
                PyWalker.reverseTail(&work, from: first)
            }
        }
    }
}

extension PythonSemanticModel {
    func appendImport(_ r: consuming PyImportRecord) { imports.append(r) }
    func appendCall(_ r: __owned PyCallRecord) { calls.append(r) }
    func appendClass(_ r: PyClassRecord) { classes.append(r) }
    func appendFunction(_ r: PyFunctionRecord) {
        let node = Int(r.def.index)
        if node >= recordOfFunctionNode.count {
            recordOfFunctionNode.append(contentsOf: repeatElement(-1, count: node + 1 - recordOfFunctionNode.count))
        }
        recordOfFunctionNode[node] = Int32(functions.count)
        functions.append(r)
    }

    /// The record of a `def` of this module (nil for one of another tree's, or one the recorder did not reach).
    public func function(_ def: PyFunctionDef) -> PyFunctionRecord? {
        let node = Int(def.index)
        guard node < recordOfFunctionNode.count, recordOfFunctionNode[node] >= 0 else { return nil }
        let record = functions[Int(recordOfFunctionNode[node])]
        return record.def == def ? record : nil
    }
}

/// The import records of a tree — `PythonSemanticModel(module:…).imports`, in the same order and with the same
/// context, `try` guards and `TYPE_CHECKING` — from a walk over statements only: no scopes, bindings or calls. It
/// follows `Binder.stmt`'s statement visits (`PythonImportScannerTests` checks that the two agree).
struct PyImportCollector {
    let moduleName: String?
    let isPackage: Bool
    var records: [PyImportRecord] = []
    var functionDepth = 0
    var classDepth = 0
    var guardDepth = 0
    var guards: [String] = []
    var typeChecking = 0

    /// The import records of `module` (their `statement`s are nodes of its tree: valid while it is alive).
    static func imports(of module: PyModule, moduleName: String?, isPackage: Bool) -> [PyImportRecord] {
        var c = PyImportCollector(moduleName: moduleName, isPackage: isPackage)
        withExtendedLifetime(module) { c.visit(module.body) }
        return c.records
    }

    var context: PyDefinitionContext { functionDepth > 0 ? .function : (classDepth > 0 ? .class : .module) }

    mutating func visit(_ body: PyList<PyStmt>) { for s in body { stmt(s) } }

    mutating func stmt(_ s: PyStmt) {
        switch s.kind {
        case .import, .importFrom:
            let (name, pkg) = (moduleName, isPackage)
            Recorder.importRecords(s, context: context, guardDepth: guardDepth, guardedBy: guards.last, typeChecking: typeChecking,
                                   absoluteModule: { PythonSemanticModel.absoluteModule($0, level: $1, moduleName: name, isPackage: pkg) }) {
                records.append($0)
            }
        case .functionDef(let f):
            // A function body starts afresh: no enclosing `try` guards or `TYPE_CHECKING` (as in `Binder`).
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

extension PyArguments {
    /// Calls `body` with each parameter's name and range, in the order of `all`, without building that array or
    /// copying whole parameters (a copy retains the name, annotation and default value).
    @inline(__always) func forEachParameter(_ body: (String, SourceRange) -> Void) {
        @inline(__always) func each(_ ps: [PyParameter]) { for i in ps.indices { body(ps[i].name, ps[i].range) } }
        each(posOnly); each(args)
        if vararg != nil { body(vararg!.name, vararg!.range) }
        each(kwOnly)
        if kwarg != nil { body(kwarg!.name, kwarg!.range) }
    }

    /// Calls `body` for each parameter's annotation, then default value, in the order of `PyWalker.argExprs`, without
    /// building that array or copying whole parameters.
    @inline(__always) func forEachParameterExpression(_ body: (PyExpr) -> Void) {
        @inline(__always) func each(_ ps: [PyParameter]) {
            for i in ps.indices {
                if let x = ps[i].annotation { body(x) }
                if let x = ps[i].defaultValue { body(x) }
            }
        }
        each(posOnly); each(args)
        if let x = vararg?.annotation { body(x) }
        if let x = vararg?.defaultValue { body(x) }
        each(kwOnly)
        if let x = kwarg?.annotation { body(x) }
        if let x = kwarg?.defaultValue { body(x) }
    }
}
