// Generic tree walk over the Python syntax tree (like ruff's `Visitor`/`walk_*` helpers).

/// Any node of the tree, for generic walks.
public enum PyNode: Sendable {
    case stmt(PyStmt)
    case expr(PyExpr)
    case handler(PyExceptHandler)
}

/// Walks statements/expressions depth-first in source order with the parent chain.
public enum PyWalker {
    /// Calls `visit(node, parents)` for every node; returning false skips the node's children.
    public static func walk(_ body: some Sequence<PyStmt>, _ visit: (PyNode, [PyNode]) -> Bool) {
        var parents: [PyNode] = []
        for s in body { walk(.stmt(s), &parents, visit) }
    }

    /// Walks one expression tree.
    public static func walk(_ e: PyExpr, _ visit: (PyNode, [PyNode]) -> Bool) {
        var parents: [PyNode] = []
        walk(.expr(e), &parents, visit)
    }

    /// Iterative depth-first walk (an explicit stack, so a tall tree cannot overflow the thread's stack).
    static func walk(_ root: PyNode, _ parents: inout [PyNode], _ visit: (PyNode, [PyNode]) -> Bool) {
        guard visit(root, parents) else { return }
        let base = parents.count
        parents.append(root)
        // One frame per node on the parent chain: its children and the index of the next one to visit.
        var frames: [(children: [PyNode], next: Int)] = [(children(root), 0)]
        while !frames.isEmpty {
            let k = frames.count - 1
            let i = frames[k].next
            if i == frames[k].children.count {
                frames.removeLast(); parents.removeLast()
                continue
            }
            frames[k].next = i + 1
            let c = frames[k].children[i]
            if visit(c, parents) {
                parents.append(c)
                frames.append((children(c), 0))
            }
        }
        precondition(parents.count == base)
    }

    /// Direct children of a node, in source order (decorators and defaults before bodies).
    public static func children(_ n: PyNode) -> [PyNode] {
        switch n {
        case .stmt(let s): return children(s)
        case .expr(let e): return children(e).map { .expr($0) }
        case .handler(let h): return (h.type.map { [PyNode.expr($0)] } ?? []) + h.body.map { .stmt($0) }
        }
    }

    /// Calls `body` for each direct child of a node, in the order of `children(_:)`, without building an array.
    public static func forEachChild(_ n: PyNode, _ body: (PyNode) -> Void) {
        switch n {
        case .stmt(let s): forEachChild(s, body)
        case .expr(let e): forEachChild(e) { body(.expr($0)) }
        case .handler(let h):
            if let t = h.type { body(.expr(t)) }
            for s in h.body { body(.stmt(s)) }
        }
    }

    /// Pushes a node's children on a depth-first stack so that they pop in source order (the reverse of
    /// `children(_:)`, without an array per node).
    public static func pushChildren(_ n: PyNode, on stack: inout [PyNode]) {
        let mark = stack.count
        forEachChild(n) { stack.append($0) }
        reverseTail(&stack, from: mark)
    }

    /// Reverses `array[from...]` in place (a slice's `reverse()` copied the whole array). `@inlinable`, so that
    /// other modules (`TreeWalk`) specialise it too.
    @inlinable @inline(__always) public static func reverseTail<T>(_ array: inout [T], from: Int) {
        var i = from, j = array.count - 1
        while i < j {
            array.swapAt(i, j)
            i += 1
            j -= 1
        }
    }

    static func argExprs(_ a: PyArguments) -> [PyExpr] {
        var out: [PyExpr] = []
        a.forEachParameterExpression { out.append($0) }
        return out
    }

    /// A statement's direct children, in source order (`forEachChild` is the one list of them).
    static func children(_ s: PyStmt) -> [PyNode] {
        var out: [PyNode] = []
        forEachChild(s) { out.append($0) }
        return out
    }

    /// Calls `body` for each direct child of a statement, in source order, without building an array.
    @inline(__always)
    static func forEachChild(_ s: PyStmt, _ body: (PyNode) -> Void) {
        @inline(__always) func E(_ e: PyExpr?) { if let e { body(.expr(e)) } }
        @inline(__always) func S(_ b: PyList<PyStmt>) { for x in b { body(.stmt(x)) } }
        switch s.kind {
        case .expr(let e): E(e)
        case .assign(let t, let v): for x in t { body(.expr(x)) }; E(v)
        case .augAssign(let t, _, let v): E(t); E(v)
        case .annAssign(let t, let a, let v): E(t); E(a); E(v)
        case .import, .importFrom, .pass, .break, .continue, .global, .nonlocal, .invalid: return
        case .functionDef(let f):
            for x in f.decorators { body(.expr(x)) }
            for x in f.typeParams { body(.expr(x)) }
            f.args.forEachParameterExpression { body(.expr($0)) }
            E(f.returns); S(f.body)
        case .classDef(let c):
            for x in c.decorators { body(.expr(x)) }
            for x in c.typeParams { body(.expr(x)) }
            for x in c.bases { body(.expr(x)) }
            for k in c.keywords { body(.expr(k.value)) }
            S(c.body)
        case .return(let v): E(v)
        case .delete(let xs): for x in xs { body(.expr(x)) }
        case .raise(let e, let c): E(e); E(c)
        case .assert(let t, let m): E(t); E(m)
        case .if(let t, let b, let o): E(t); S(b); S(o)
        case .while(let t, let b, let o): E(t); S(b); S(o)
        case .for(let t, let i, let b, let o, _): E(t); E(i); S(b); S(o)
        case .with(let items, let b, _):
            for it in items { E(it.contextExpr); E(it.optionalVars) }
            S(b)
        case .try(let b, let hs, let o, let f, _): S(b); for h in hs { body(.handler(h)) }; S(o); S(f)
        case .match(let subj, let cases):
            E(subj)
            for c in cases { E(c.guardExpr); S(c.body) }
        case .typeAlias(let n, let tps, let v): E(n); for x in tps { body(.expr(x)) }; E(v)
        }
    }

    static func genExprs(_ gens: PyList<PyComprehension>) -> [PyExpr] {
        var out: [PyExpr] = []
        for g in gens { out.append(g.target); out.append(g.iter); out += g.ifs }
        return out
    }

    /// Calls `body` for each direct sub-expression, in the order of `children(_:)`, without allocating an array.
    @inline(__always)
    public static func forEachChild(_ e: PyExpr, _ body: (PyExpr) -> Void) {
        @inline(__always) func gens(_ g: PyList<PyComprehension>) { for c in g { body(c.target); body(c.iter); for i in c.ifs { body(i) } } }
        switch e.kind {
        case .name, .constant, .invalid: return
        case .fstring(let vs), .boolOp(_, let vs), .set(let vs), .list(let vs), .tuple(let vs): for v in vs { body(v) }
        case .attribute(let v, _), .unaryOp(_, let v), .await(let v), .yieldFrom(let v), .starred(let v): body(v)
        case .subscript(let v, let s): body(v); body(s)
        case .slice(let a, let b, let c): if let a { body(a) }; if let b { body(b) }; if let c { body(c) }
        case .call(let f, let args, let kws):
            body(f)
            // Positional and keyword arguments interleave in source order (`f(a, k=1, *b)`): merge the two lists
            // (on a tie the positional one first, as the stable sort in `children(_:)` orders them).
            var i = 0, k = 0
            while i < args.count || k < kws.count {
                if k == kws.count || (i < args.count && args[i].byteRange.lowerBound <= kws[k].value.byteRange.lowerBound) { body(args[i]); i += 1 }
                else { body(kws[k].value); k += 1 }
            }
        case .binOp(let l, _, let r): body(l); body(r)
        case .compare(let l, _, let cs): body(l); for c in cs { body(c) }
        case .lambda(let a, let b): a.forEachParameterExpression(body); body(b)
        case .ifExp(let t, let b, let o): body(b); body(t); body(o)
        case .dict(let ks, let vs): for (k, v) in zip(ks, vs) { if let k { body(k) }; body(v) }
        case .listComp(let elt, let g), .setComp(let elt, let g), .generator(let elt, let g): body(elt); gens(g)
        case .dictComp(let k, let v, let g): body(k); body(v); gens(g)
        case .yield(let v): if let v { body(v) }
        case .namedExpr(let t, let v): body(t); body(v)
        }
    }

    /// Direct sub-expressions of an expression, in source order.
    public static func children(_ e: PyExpr) -> [PyExpr] {
        switch e.kind {
        case .name, .constant, .invalid: return []
        case .fstring(let vs): return Array(vs)
        case .attribute(let v, _): return [v]
        case .subscript(let v, let s): return [v, s]
        case .slice(let a, let b, let c): return [a, b, c].compactMap { $0 }
        case .call(let f, let args, let kws):
            var out = [f] + args
            out += kws.map { $0.value }
            if !kws.isEmpty && !args.isEmpty { out.sort { $0.byteRange.lowerBound < $1.byteRange.lowerBound } }
            return out
        case .binOp(let l, _, let r): return [l, r]
        case .unaryOp(_, let v): return [v]
        case .boolOp(_, let vs): return Array(vs)
        case .compare(let l, _, let cs): return [l] + cs
        case .lambda(let a, let b): return argExprs(a) + [b]
        case .ifExp(let t, let b, let o): return [b, t, o]
        case .dict(let ks, let vs):
            var out: [PyExpr] = []
            for (k, v) in zip(ks, vs) { if let k { out.append(k) }; out.append(v) }
            return out
        case .set(let xs), .list(let xs), .tuple(let xs): return Array(xs)
        case .listComp(let elt, let g), .setComp(let elt, let g), .generator(let elt, let g): return [elt] + genExprs(g)
        case .dictComp(let k, let v, let g): return [k, v] + genExprs(g)
        case .await(let v), .yieldFrom(let v), .starred(let v): return [v]
        case .yield(let v): return v.map { [$0] } ?? []
        case .namedExpr(let t, let v): return [t, v]
        }
    }
}
