import FleetLintCore
import FleetLintSyntax

/// Recognises a client that is built once and kept, by what the code does: an assignment guarded by
/// a check that the target is still unset (`if self._client is None:`, `if not _client:`,
/// `if key not in cache:`), `x = x or Client()`, a function cached by `functools.lru_cache`/`cache`,
/// or a module-level singleton that a function of the file returns. Every walk is iterative.
final class ClientCaching {
    let python: PythonFile
    /// Indices (in `python.semantic.calls`, ascending) of the constructions the rule asks about: calls to
    /// its callees and to client constructors.
    let candidates: [Int]
    /// What is known of each candidate: its `keeping`, once decided (the rule asks twice for a call:
    /// whether it makes the file a pool, and whether it is cached), and its `statementPath`, once made.
    private var memo: [(keeping: Keeping?, path: [PyStmt]?)]

    init(python: PythonFile, candidates: [Int]) {
        self.python = python
        self.candidates = candidates
        memo = Array(repeating: (nil, nil), count: candidates.count)
    }

    /// Where a call index sits in `candidates`.
    private func slot(of index: Int) -> Int? {
        var lo = 0, hi = candidates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if candidates[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < candidates.count && candidates[lo] == index ? lo : nil
    }

    static let cacheDecorators: Set<String> = ["functools.lru_cache", "functools.cache"]

    /// The library a callee belongs to: `requests` for `requests.get`, `google.cloud.bigquery` for
    /// `google.cloud.bigquery.Client` (the dotted pieces but the last, empty pieces left out).
    static func family(of name: String) -> String {
        // A dotted ASCII name without empty pieces (every resolved name) is cut at its last dot; anything
        // else goes through the pieces.
        let plain: String?? = name.utf8.withContiguousStorageIfAvailable { buf -> String? in
            var lastDot = -1
            var previous: UInt8 = 0x2E
            for i in 0..<buf.count {
                let b = buf[i]
                if b >= 0x80 || (b == 0x2E && previous == 0x2E) { return nil }
                if b == 0x2E { lastDot = i }
                previous = b
            }
            if previous == 0x2E { return nil }
            return lastDot < 0 ? "" : String(decoding: UnsafeBufferPointer(rebasing: buf[..<lastDot]), as: UTF8.self)
        }
        if let plain, let plain { return plain }
        return name.asciiSplit(0x2E).dropLast().joined(separator: ".")
    }

    /// Constructors of clients and sessions, beyond the rule's callees (`requests.Session`, `httpx.Client`).
    static func isClientConstructor(_ name: String) -> Bool {
        guard let end = name.utf8.last else { return false }
        return isClientConstructor(name, endingIn: end)
    }

    /// `isClientConstructor(name)` for a name whose last UTF-8 byte is `end`.
    @inline(__always)
    static func isClientConstructor(_ name: String, endingIn end: UInt8) -> Bool {
        // Every constructor name ends in `t` or `n`: any other last ASCII byte is not one (a trailing `.`
        // and non-ASCII text take the long way, as `asciiLastComponent` treats them).
        guard end == 0x74 || end == 0x6E || end == 0x2E || end >= 0x80 else { return false }
        if end < 0x80 && end != 0x2E {
            // The last piece compared as bytes when it is ASCII and so is the byte before its dot (then that
            // dot is a piece boundary for the Characters `asciiLastComponent` falls back to as well).
            let asBytes: Bool?? = name.utf8.withContiguousStorageIfAvailable { buf -> Bool? in
                var start = buf.count
                while start > 0, buf[start - 1] != 0x2E {
                    if buf[start - 1] >= 0x80 { return nil }
                    start -= 1
                }
                if start >= 2 && buf[start - 2] >= 0x80 { return nil }
                let piece = UnsafeBufferPointer(rebasing: buf[start...])
                return clientConstructorBytes.contains { $0.elementsEqual(piece) }
            }
            if let asBytes, let asBytes { return asBytes }
        }
        guard let last = name.asciiLastComponent(0x2E) else { return false }
        return clientConstructorNames.contains(last)
    }

    private static let clientConstructorNames: Set<Substring> = ["Client", "AsyncClient", "Session", "session", "ClientSession"]
    private static let clientConstructorBytes: [[UInt8]] = clientConstructorNames.map { Array($0.utf8) }

    /// Libraries whose client this file builds once and keeps: the file is their pool, and its other
    /// calls to them are the pool's business.
    /// `stop`: asked before each construction; when it says so, the families found so far.
    func pooledFamilies(until stop: () -> Bool = { false }) -> Set<String> {
        var out: Set<String> = []
        let calls = python.semantic.calls
        for i in candidates {
            if stop() { return out }
            guard let q = calls[i].qualifiedName else { continue }
            let family = Self.family(of: q)
            if !family.isEmpty, !out.contains(family), keeping(ofCall: i) == .handedOut { out.insert(family) }
        }
        return out
    }

    // MARK: Statements

    /// The statements from the module body down to the innermost one holding `range`.
    func statementPath(to range: Range<Int>) -> [PyStmt] {
        func holds(_ s: PyStmt) -> Bool { s.byteRange.lowerBound <= range.lowerBound && range.upperBound <= s.byteRange.upperBound }
        // Statements of a block are in source order: a binary search finds the one that can hold the
        // range, so a function with n calls costs n log n, not n² (many calls in one body).
        func find(_ block: PyList<PyStmt>) -> PyStmt? {
            var lo = 0, hi = block.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if block[mid].byteRange.upperBound < range.upperBound { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < block.count, block[i].byteRange.lowerBound <= range.lowerBound {
                if holds(block[i]) { return block[i] }
                i += 1
            }
            return nil
        }
        var path: [PyStmt] = []
        var next = find(python.module.body)
        while let s = next {
            path.append(s)
            // Into the first block under `s` that holds the range.
            next = nil
            TreeWalk.forEachChildBlock(s) { block in if next == nil { next = find(block) } }
        }
        return path
    }

    /// `statementPath` to the call at `index` of the file's calls, made once.
    func statementPath(ofCall index: Int) -> [PyStmt] {
        guard let slot = slot(of: index) else { return statementPath(to: python.semantic.calls[index].call.byteRange) }
        if let path = memo[slot].path { return path }
        let path = statementPath(to: python.semantic.calls[index].call.byteRange)
        memo[slot].path = path
        return path
    }

    // MARK: Caching

    /// How a construction is kept.
    enum Keeping {
        /// Made anew each time the code runs.
        case notKept
        /// Kept for later use by the code that made it.
        case kept
        /// Kept and handed out by a function of the file (`return self._client`): a pool.
        case handedOut
    }

    /// Whether the construction at `index` of the file's calls is kept for later calls instead of being
    /// made on every call.
    func isCached(call index: Int) -> Bool { keeping(ofCall: index) != .notKept }

    /// `keeping` of the call at `index` of the file's calls, decided once.
    func keeping(ofCall index: Int) -> Keeping {
        let slot = slot(of: index)
        if let slot, let known = memo[slot].keeping { return known }
        let call = python.semantic.calls[index]
        let result = keeping(call, path: { statementPath(ofCall: index) })
        if let slot { memo[slot].keeping = result }
        return result
    }

    private func keeping(_ call: PyCallRecord, path makePath: () -> [PyStmt]) -> Keeping {
        // `enclosingFunctions` builds its array on each read: read once.
        let function = call.enclosingFunctions.last
        if let fn = function, fn.decorators.contains(where: isCacheDecorator) {
            return moduleFunctions.contains(fn) ? .handedOut : .kept
        }
        let path = makePath()
        guard let statement = path.last else { return .notKept }
        let target: PyExpr
        let value: PyExpr
        switch statement.kind {
        case .assign(let targets, let v) where targets.count == 1: target = targets[0]; value = v
        case .annAssign(let t, _, let v?): target = t; value = v
        default: return .notKept
        }
        guard Self.holds(value, call.call) else { return .notKept }
        // Where the client is kept: the target itself when it outlives the call (an attribute, a
        // cache entry, a global), or where a local holding it is stored next (`cache[key] = client`).
        var kept = target
        if !outlivesCall(target, call: call) {
            guard let function, case .name(let local) = target.kind,
                  let stored = storeOf(local, after: statement.byteRange.upperBound, in: function),
                  outlivesCall(stored, call: call) else { return .notKept }
            kept = stored
        }
        let key = text(kept)
        func keptBy(_ function: PyFunctionDef?) -> Keeping {
            guard let function else { return .kept }
            let returned = returned(by: function)
            let returns = returned.contains(key) || returned.contains(text(target))
            // A pool is a module-level function that hands the client out; a method keeping its own
            // client (a lazy property) is just reuse within that object.
            return returns && moduleFunctions.contains(function) ? .handedOut : .kept
        }
        // `self._client = self._client or Client()`.
        if case .boolOp(.or, let values) = value.kind, let first = values.first, text(first) == key {
            return keptBy(function)
        }
        // Under `if self._client is None:`, or after `if key in cache: return cache[key]`, in the same function.
        for (i, s) in path.dropLast().enumerated().reversed() {
            if case .functionDef = s.kind { break }
            if case .classDef = s.kind { break }
            let next = path[i + 1]
            // `next` is a statement of one of `s`'s blocks: of `then` when it lies within the block's span.
            if case .if(let test, let then, _) = s.kind, let first = then.first, let last = then.last,
               first.byteRange.lowerBound <= next.byteRange.lowerBound, next.byteRange.upperBound <= last.byteRange.upperBound,
               checksUnset(test, target: kept, key: key) {
                return keptBy(function)
            }
            var checkedEarlier = false
            TreeWalk.forEachChildBlock(s) { block in
                guard !checkedEarlier, let index = Self.position(of: next, in: block) else { return }
                checkedEarlier = guards(of: block).checkSetBefore(index, target: kept, key: key, text: text)
            }
            if checkedEarlier { return keptBy(function) }
        }
        // A module-level singleton that a function returns.
        if call.isModuleLevel, call.enclosingLoops.isEmpty, path.count == 1, case .name(let n) = target.kind, returnedNames.contains(n) {
            return .handedOut
        }
        return .notKept
    }

    /// A target that keeps its value after the call returns: an attribute, a subscript (a cache
    /// entry), a module-level name, or a name the function declares `global`/`nonlocal`.
    private func outlivesCall(_ target: PyExpr, call: PyCallRecord) -> Bool {
        switch target.kind {
        case .attribute, .subscript: return true
        case .name(let n):
            if call.isModuleLevel { return true }
            var scope: PyScope? = call.scope
            while let s = scope, s.kind == .comprehension || s.kind == .lambda { scope = s.parent }
            return scope.map { $0.globals.contains(n) || $0.nonlocals.contains(n) } ?? false
        default: return false
        }
    }

    /// The first target a local is stored into after `offset` in a function (`_cache[key] = client`).
    private func storeOf(_ local: String, after offset: Int, in function: PyFunctionDef) -> PyExpr? {
        guard let stores = stores(in: function)[local] else { return nil }
        // In source order: the first that starts at or after `offset`.
        let first = stores.partitioningIndex { $0.start < offset }
        return first < stores.count ? stores[first].target : nil
    }

    // MARK: Per function and per block, worked out once
    //
    // A function or block with many constructions (generated code, a hostile file) is walked once, not once per
    // construction: every question `keeping` asks of them is a lookup.

    /// The `def`s of the module's body (and of its `if`/`try` blocks): their `return`s can hand a client out.
    private lazy var moduleFunctions: Set<PyFunctionDef> = Set(python.semantic.functions.lazy.filter { $0.context == .module }.map(\.def))

    /// By function: the text of every value it returns (`return self._client`), its own statements only (nested
    /// `def`s and classes left out). Asked only of a construction that is kept.
    private var returnedByFunction: [PyFunctionDef: Set<String>] = [:]
    /// By function, then by local name: the statements that store the local into a target other than a plain name
    /// (`cache[k] = client`), in source order: where each starts and its first such target. Asked of every
    /// construction assigned to a local.
    private var storesByFunction: [PyFunctionDef: [String: [(start: Int, target: PyExpr)]]] = [:]

    private func returned(by function: PyFunctionDef) -> Set<String> {
        if let known = returnedByFunction[function] { return known }
        var out: Set<String> = []
        TreeWalk.statements(function.body) { s in
            switch s.kind {
            case .functionDef, .classDef: return false
            case .return(let v?): out.insert(text(v))
            default: break
            }
            return true
        }
        returnedByFunction[function] = out
        return out
    }

    private func stores(in function: PyFunctionDef) -> [String: [(start: Int, target: PyExpr)]] {
        if let known = storesByFunction[function] { return known }
        var out: [String: [(start: Int, target: PyExpr)]] = [:]
        // In source order (`TreeWalk.statements` visits a statement before its blocks, the blocks in order).
        TreeWalk.statements(function.body) { s in
            switch s.kind {
            case .functionDef, .classDef: return false
            case .assign(let targets, let v):
                if case .name(let local) = v.kind,
                   let t = targets.first(where: { if case .name = $0.kind { return false }; return true }) {
                    out[local, default: []].append((s.byteRange.lowerBound, t))
                }
            default: break
            }
            return true
        }
        storesByFunction[function] = out
        return out
    }

    /// The position of a statement in a block (statements of a block are in source order), or nil.
    static func position(of statement: PyStmt, in block: PyList<PyStmt>) -> Int? {
        let i = block.partitioningIndex { $0.byteRange.lowerBound < statement.byteRange.lowerBound }
        return i < block.count && block[i] == statement ? i : nil
    }

    /// The `if` statements of a block that leave when their test says a client is already there (`if key in cache:
    /// return cache[key]`, `if x:`, `if x is not None:`, `if hasattr(obj, "attr"):`), by what the test checks: where
    /// the first of each is in the block.
    struct BlockGuards {
        struct Pair: Hashable { let a: String, b: String }
        /// `x` and `x is not None` / `x != None`: by the text of `x`.
        var set: [String: Int] = [:]
        /// `k in c`: by the texts of `c` and `k` (for a target `c[k]`).
        var contains: [Pair: Int] = [:]
        /// `hasattr(o, "a")`: by the text of `o` and `a` (for a target `o.a`).
        var hasAttribute: [Pair: Int] = [:]

        /// Whether a guard before `index` checks that `target` (whose text is `key`) is set.
        func checkSetBefore(_ index: Int, target: PyExpr, key: String, text: (PyExpr) -> String) -> Bool {
            if let i = set[key], i < index { return true }
            switch target.kind {
            case .subscript(let container, let slice):
                if let i = contains[Pair(a: text(container), b: text(slice))], i < index { return true }
            case .attribute(let obj, let attr):
                if let i = hasAttribute[Pair(a: text(obj), b: attr)], i < index { return true }
            default: break
            }
            return false
        }
    }
    private var blockGuards: [PyStmt: BlockGuards] = [:]

    private func guards(of block: PyList<PyStmt>) -> BlockGuards {
        guard let first = block.first else { return BlockGuards() }
        if let known = blockGuards[first] { return known }
        var g = BlockGuards()
        for (i, s) in block.enumerated() {
            guard case .if(let test, let then, _) = s.kind, then.contains(where: RetryLoopAnalyzer.isExit) else { continue }
            // The first guard of each kind is the one that matters (`i < index`).
            func note<K: Hashable>(_ table: inout [K: Int], _ key: K) { if table[key] == nil { table[key] = i } }
            note(&g.set, text(test))
            switch test.kind {
            case .compare(let left, let ops, let comparators) where ops.count == 1 && comparators.count == 1:
                let right = comparators[0]
                switch ops[0] {
                case .isNot, .notEq:
                    if case .constant(.none) = right.kind { note(&g.set, text(left)) }
                case .in:
                    note(&g.contains, BlockGuards.Pair(a: text(right), b: text(left)))
                default: break
                }
            case .call(let fn, let args, _):
                if case .name("hasattr") = fn.kind, args.count == 2, case .constant(.string(let literal)) = args[1].kind {
                    note(&g.hasAttribute, BlockGuards.Pair(a: text(args[0]), b: String(literal.raw.dropFirst().dropLast())))
                }
            default: break
            }
        }
        blockGuards[first] = g
        return g
    }

    /// Whether `value` is the call itself, or the call as one alternative of `a or b`.
    static func holds(_ value: PyExpr, _ call: PyExpr) -> Bool {
        if value == call { return true }
        if case .await(let inner) = value.kind, inner == call { return true }
        if case .boolOp(.or, let values) = value.kind { return values.contains { $0 == call } }
        return false
    }

    private func text(_ e: PyExpr) -> String { python.module.text(of: e) }

    /// `x is None`, `x == None`, `not x`, `not hasattr(obj, "attr")`, `key not in cache`, combined
    /// with `and`/`or`, where `x` is the assignment's target.
    private func checksUnset(_ test: PyExpr, target: PyExpr, key: String) -> Bool {
        var stack = [test]
        var budget = 64
        while let e = stack.popLast(), budget > 0 {
            budget -= 1
            switch e.kind {
            case .boolOp(_, let values):
                stack.append(contentsOf: values)
            case .unaryOp(.not, let x):
                if text(x) == key { return true }
                if case .call(let fn, let args, _) = x.kind, case .name("hasattr") = fn.kind, args.count == 2,
                   case .attribute(let obj, let attr) = target.kind, text(args[0]) == text(obj),
                   case .constant(.string(let literal)) = args[1].kind, literal.raw.dropFirst().dropLast() == attr {
                    return true
                }
            case .compare(let left, let ops, let comparators):
                guard ops.count == 1, comparators.count == 1 else { continue }
                let right = comparators[0]
                switch ops[0] {
                case .is, .eq:
                    if case .constant(.none) = right.kind, text(left) == key { return true }
                case .notIn:
                    if case .subscript(let container, let slice) = target.kind, text(right) == text(container), text(left) == text(slice) {
                        return true
                    }
                default:
                    break
                }
            default:
                break
            }
        }
        return false
    }

    private func isCacheDecorator(_ d: PyExpr) -> Bool {
        let e: PyExpr
        if case .call(let fn, _, _) = d.kind { e = fn } else { e = d }
        guard let q = python.semantic.qualifiedName(of: e, in: python.semantic.moduleScope) else { return false }
        return Self.cacheDecorators.contains(q)
    }

    /// Names some function of the file returns (`return _CLIENT`).
    private lazy var returnedNames: Set<String> = {
        var out: Set<String> = []
        for f in python.semantic.functions {
            TreeWalk.statements(f.def.body) { s in
                switch s.kind {
                case .functionDef, .classDef: return false
                case .return(let v?): if case .name(let n) = v.kind { out.insert(n) }; return false
                default: return true
                }
            }
        }
        return out
    }()

    // MARK: Scripts

    /// Inside `if __name__ == "__main__":` at module level.
    func isUnderMainGuard(call index: Int) -> Bool {
        for s in statementPath(ofCall: index) {
            guard case .if(let test, _, _) = s.kind, case .compare(let left, let ops, let comparators) = test.kind,
                  ops.count == 1, ops[0] == .eq, comparators.count == 1 else { continue }
            let sides = [left, comparators[0]]
            let hasName = sides.contains { if case .name("__name__") = $0.kind { return true }; return false }
            let hasMain = sides.contains { text($0) == "\"__main__\"" || text($0) == "'__main__'" }
            if hasName && hasMain { return true }
        }
        return false
    }
}
