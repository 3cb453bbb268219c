import FleetLintSyntax

/// Iterative walks over the Python syntax tree for the reliability rules. Nothing here recurses over
/// the tree: a file of deeply nested expressions or blocks must not overflow a worker thread's stack.
enum TreeWalk {
    /// Visits `root` and its sub-expressions depth-first in source order; returning false from `visit`
    /// skips a node's children.
    static func expressions(_ root: PyExpr, _ visit: (PyExpr) -> Bool) {
        var stack: [PyExpr] = [root]
        while let e = stack.popLast() {
            guard visit(e) else { continue }
            // Children pushed in reverse, so they pop in source order (no array per node).
            let mark = stack.count
            PyWalker.forEachChild(e) { stack.append($0) }
            PyWalker.reverseTail(&stack, from: mark)
        }
    }

    /// Visits every node under `body` depth-first in source order; returning false skips its children.
    static func nodes(_ body: PyList<PyStmt>, _ visit: (PyNode) -> Bool) {
        var stack: [PyNode] = body.reversed().map { .stmt($0) }
        while let n = stack.popLast() {
            guard visit(n) else { continue }
            PyWalker.pushChildren(n, on: &stack)
        }
    }

    /// Visits every statement under `body` depth-first in source order — the statements `nodes` visits,
    /// in the same order, without pushing their expressions; returning false skips a statement's blocks.
    static func statements(_ body: PyList<PyStmt>, _ visit: (PyStmt) -> Bool) {
        var stack: [PyStmt] = []
        stack.reserveCapacity(body.count + 16)
        for s in body.reversed() { stack.append(s) }
        while let s = stack.popLast() {
            guard visit(s) else { continue }
            let mark = stack.count
            forEachChildBlock(s) { stack.append(contentsOf: $0) }
            PyWalker.reverseTail(&stack, from: mark)
        }
    }

    /// Calls `body` for each block directly under a statement, in source order, loops, `def` and `class`
    /// bodies and `except` handlers included (the statement children of `PyWalker.forEachChild`).
    @inline(__always)
    static func forEachChildBlock(_ s: PyStmt, _ body: (PyList<PyStmt>) -> Void) {
        switch s.kind {
        case .if(_, let b, let o), .while(_, let b, let o), .for(_, _, let b, let o, _): body(b); body(o)
        case .with(_, let b, _): body(b)
        case .try(let b, let hs, let o, let f, _):
            body(b)
            for h in hs { body(h.body) }
            body(o); body(f)
        case .functionDef(let f): body(f.body)
        case .classDef(let c): body(c.body)
        case .match(_, let cases): for c in cases { body(c.body) }
        default: break
        }
    }

    /// How a nested block hangs off its statement.
    enum BlockRole {
        case body, orElse, finalBody
        case handler(PyExceptHandler)
        case matchCase
    }

    /// The blocks of a compound statement that run in the same loop iteration (`if`/`with`/`try`/
    /// `match`); loops, `def` and `class` bodies are not part of it.
    static func blocks(of s: PyStmt) -> [(role: BlockRole, body: PyList<PyStmt>)] {
        switch s.kind {
        case .if(_, let b, let o): return [(.body, b), (.orElse, o)]
        case .with(_, let b, _): return [(.body, b)]
        case .try(let b, let hs, let o, let f, _):
            return [(.body, b)] + hs.map { (.handler($0), $0.body) } + [(.orElse, o), (.finalBody, f)]
        case .match(_, let cases): return cases.map { (.matchCase, $0.body) }
        default: return []
        }
    }

    /// Calls `body` for each block of `blocks(of: s)`, in the same order, without building the list.
    @inline(__always)
    static func forEachIterationBlock(_ s: PyStmt, _ body: (PyList<PyStmt>) -> Void) {
        switch s.kind {
        case .if(_, let b, let o): body(b); body(o)
        case .with(_, let b, _): body(b)
        case .try(let b, let hs, let o, let f, _):
            body(b)
            for h in hs { body(h.body) }
            body(o); body(f)
        case .match(_, let cases): for c in cases { body(c.body) }
        default: break
        }
    }

    /// Statements of `body` and of the blocks nested in it that run in the same iteration.
    static func iterationStatements(_ body: PyList<PyStmt>, _ visit: (PyStmt) -> Void) {
        var stack: [PyStmt] = body.reversed()
        while let s = stack.popLast() {
            visit(s)
            // The blocks' statements pushed in order, then the pushed run reversed: they pop in source order.
            let mark = stack.count
            forEachIterationBlock(s) { stack.append(contentsOf: $0) }
            PyWalker.reverseTail(&stack, from: mark)
        }
    }

    /// `Name` nodes read in an expression (not in nested lambdas/comprehensions' own bindings), with offsets.
    static func names(in e: PyExpr) -> [(name: String, offset: Int)] {
        var out: [(String, Int)] = []
        expressions(e) { x in
            if case .name(let n) = x.kind { out.append((n, x.byteRange.lowerBound)) }
            return true
        }
        return out
    }

    /// The name at the root of an attribute/subscript/call chain (`resp` in `resp.json()["ok"]`).
    static func rootName(_ e: PyExpr) -> String? {
        var current = e
        for _ in 0..<64 {
            switch current.kind {
            case .name(let n): return n
            case .attribute(let v, _): current = v
            case .subscript(let v, _): current = v
            case .call(let f, _, _): current = f
            case .await(let v): current = v
            default: return nil
            }
        }
        return nil
    }

    /// A number literal's source text without its digit separators (`1_000` → `1000`), without
    /// Foundation's `replacingOccurrences` (thousands of instructions a call).
    static func digits(_ text: String) -> String {
        guard text.utf8.contains(0x5F) else { return text }
        return String(decoding: text.utf8.filter { $0 != 0x5F }, as: UTF8.self)
    }
}
