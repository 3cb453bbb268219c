import FleetLintCore
import FleetLintSyntax

/// Facts about one file that the retry analysis looks up repeatedly; built once per file, and only
/// when the file sleeps inside a loop. Each table is made on its first use: most files answer their
/// sleeps from the scopes alone.
final class RetryFileFacts {
    let python: PythonFile

    init(python: PythonFile) { self.python = python }

    /// Function record by the identity of its scope.
    private(set) lazy var functionByScope: [ObjectIdentifier: PyFunctionRecord] = {
        var byScope: [ObjectIdentifier: PyFunctionRecord] = [:]
        for f in python.semantic.functions { byScope[ObjectIdentifier(f.scope)] = f }
        return byScope
    }()

    /// Methods by the identity of the class that directly contains them.
    private(set) lazy var methodsByClass: [PyClassDef: [PyFunctionRecord]] = {
        var methods: [PyClassDef: [PyFunctionRecord]] = [:]
        for f in python.semantic.functions {
            if let c = f.enclosingClass { methods[c, default: []].append(f) }
        }
        return methods
    }()

    /// `x op= value` by the statement's end offset (the offset of the binding it creates).
    var augmentedAssignments: [Int: PyExpr] { statementTables.augmented }
    /// `for` statements by the end offset of their target (the offset of the bindings it creates).
    var forByTargetEnd: [Int: PyStmt] { statementTables.fors }

    /// The `x op= value` statement ending at `offset` (the offset of the binding it creates): what
    /// `augmentedAssignments[offset]` holds, found by descending through the statements that hold the
    /// offset instead of walking the whole file (a file asks once or twice).
    func augmentedAssignment(endingAt offset: Int) -> PyExpr? {
        guard let s = statement(at: offset, where: { s in
            if case .augAssign = s.kind { return s.byteRange.upperBound == offset }
            return false
        }), case .augAssign(_, _, let v) = s.kind else { return nil }
        return v
    }

    /// The `for` statement whose target ends at `offset`: what `forByTargetEnd[offset]` holds, by descent.
    func forStatement(targetEndingAt offset: Int) -> PyStmt? {
        statement(at: offset) { s in
            if case .for(let t, _, _, _, _) = s.kind { return t.byteRange.upperBound == offset }
            return false
        }
    }

    /// The first statement, going down from the module through the blocks that hold the byte before
    /// `offset`, that `matches`.
    private func statement(at offset: Int, where matches: (PyStmt) -> Bool) -> PyStmt? {
        @inline(__always) func holds(_ s: PyStmt) -> Bool { s.byteRange.lowerBound < offset && offset <= s.byteRange.upperBound }
        var block = python.module.body
        for _ in 0..<10_000 {
            guard let s = block.first(where: holds) else { return nil }
            if matches(s) { return s }
            var next: PyList<PyStmt>? = nil
            TreeWalk.forEachChildBlock(s) { b in if next == nil, b.contains(where: holds) { next = b } }
            guard let inner = next else { return nil }
            block = inner
        }
        return nil
    }

    /// Both statement tables, from one walk over the file's statements (the reference the descents are
    /// tested against).
    private lazy var statementTables: (augmented: [Int: PyExpr], fors: [Int: PyStmt]) = {
        var aug: [Int: PyExpr] = [:]
        var fors: [Int: PyStmt] = [:]
        TreeWalk.statements(python.module.body) { s in
            switch s.kind {
            case .augAssign(_, _, let v): aug[s.byteRange.upperBound] = v
            case .for(let t, _, _, _, _): fors[t.byteRange.upperBound] = s
            default: break
            }
            return true
        }
        return (aug, fors)
    }()

    /// The scope that holds the binding `name` resolves to from `scope` (mirrors `lookup`).
    func owningScope(of name: String, from scope: PyScope) -> PyScope? {
        var s: PyScope? = scope
        var first = true
        while let sc = s {
            defer { first = false }
            if sc.kind == .class && !first { s = sc.parent; continue }
            if sc.globals.contains(name) { return python.semantic.moduleScope }
            if !sc.nonlocals.contains(name), let bs = sc.bindings[name], !bs.isEmpty { return sc }
            s = sc.parent
        }
        return nil
    }

    /// `range(...)`, `itertools.count(...)`, `itertools.repeat(...)`: the same work, counted.
    func isCountingIterable(_ iter: PyExpr, scope: PyScope) -> Bool {
        guard case .call(let fn, _, _) = iter.kind, let q = python.semantic.qualifiedName(of: fn, in: scope) else { return false }
        return q == "range" || q == "itertools.count" || q == "itertools.repeat"
    }
}

/// Decides, from a loop's structure, whether a sleep in it waits between two attempts of the same
/// operation: the sleep must sit on a failure path (an `except` handler that lets the loop go round,
/// the failure branch of a check on the operation's result, or after a `try`/check whose success
/// leaves the loop), and the operation must not depend on anything that moves on to a new item.
struct RetryLoopAnalyzer {
    let facts: RetryFileFacts

    /// Calls that only report progress; their arguments say nothing about what is retried.
    /// (and the waits between attempts themselves).
    static let loggingMethods: Set<String> = ["debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print", "sleep"]

    /// Methods that record a value in a collection.
    static let collectionMethods: Set<String> = ["append", "extend", "add", "insert", "appendleft"]
    /// Up to this many names, `usesCursor` searches its lists; past it (thousands of names in one loop), hashed tables.
    static let linearLimit = 16
    /// A name by its representation (`String`'s two words).
    struct NameKey: Hashable {
        let a: UInt64, b: UInt64
        init(_ words: (UInt64, UInt64)) { a = words.0; b = words.1 }
    }

    /// One candidate operation that a failure path leads back to.
    enum Operation {
        case statements(PyList<PyStmt>)
        case expression(PyExpr)
    }

    /// An operation on a failure path, and whether its success leaves the loop (then a counting
    /// loop's variable numbers the attempts rather than the items).
    struct Retried {
        let operation: Operation
        let leavesOnSuccess: Bool
    }

    /// Whether `call` (a sleep whose innermost loop is `loop`) waits between retries.
    func isRetrySleep(_ call: PyCallRecord, in loop: PyStmt) -> Bool {
        let body: PyList<PyStmt>
        var targetNames: Set<String> = []
        var isOverItems = false
        switch loop.kind {
        case .for(let target, let iter, let b, _, _):
            body = b
            targetNames = Set(TreeWalk.names(in: target).map(\.name))
            isOverItems = !facts.isCountingIterable(iter, scope: call.scope)
        case .while(_, let b, _):
            body = b
        default:
            return false
        }
        let steps = path(to: call.call.byteRange, in: body)
        let operations = failurePaths(steps: steps, loop: loop, scope: call.scope)
        guard operations.contains(where: { retried in
            // `for attempt in range(3)` (or `retries += 1`) around an attempt whose success leaves: the
            // counter may feed the attempt (`run_id=f"...{attempt}"`, `timeout=10 * attempt`) unless
            // it indexes items.
            let counter = !isOverItems && retried.leavesOnSuccess
            return !usesCursor(retried.operation, loop: loop, scope: call.scope, targets: targetNames, steps: steps, countersCountAttempts: counter)
        }) else { return false }
        if isOverItems {
            // A pass over items retries only when success leaves the loop, or when the items are the
            // delays themselves (`for delay in (1, 2, 4)`).
            let delayNames = Set(call.args.flatMap { TreeWalk.names(in: $0).map(\.name) })
            if !Self.hasExit(body) && delayNames.isDisjoint(with: targetNames) { return false }
        }
        return true
    }

    // MARK: Failure paths

    struct Step {
        let block: PyList<PyStmt>
        let index: Int
        let parent: PyStmt?
        let role: TreeWalk.BlockRole
    }

    /// The statements from the loop body down to the one holding `range`, in the same iteration.
    private func path(to range: Range<Int>, in body: PyList<PyStmt>) -> [Step] {
        func holds(_ s: PyStmt) -> Bool { s.byteRange.lowerBound <= range.lowerBound && range.upperBound <= s.byteRange.upperBound }
        var steps: [Step] = []
        var block = body
        var parent: PyStmt? = nil
        var role = TreeWalk.BlockRole.body
        descend: while let i = block.firstIndex(where: holds) {
            let s = block[i]
            steps.append(Step(block: block, index: i, parent: parent, role: role))
            for sub in TreeWalk.blocks(of: s) where sub.body.contains(where: holds) {
                block = sub.body; parent = s; role = sub.role
                continue descend
            }
            break
        }
        return steps
    }

    /// The operations whose failure leads to the code at `range` (empty when, after it, the
    /// iteration leaves the loop instead of going round again).
    private func failurePaths(steps: [Step], loop: PyStmt, scope: PyScope) -> [Retried] {
        guard !steps.isEmpty, Self.goesRound(after: steps) else { return [] }
        var out: [Retried] = []
        /// A statement whose success leaves the loop and whose failure goes on: the operation retried.
        func attempt(_ s: PyStmt) -> Operation? {
            switch s.kind {
            case .try(let tryBody, let handlers, let orElse, _, _):
                // The success exit may be nested: `if resp.status_code == 200: return resp.json()`.
                if handlers.contains(where: { !Self.leavesUnconditionally($0.body) }),
                   SuccessExit.leavesOnSuccess(tryBody) || SuccessExit.leavesOnSuccess(orElse) {
                    return .statements(tryBody)
                }
            case .if(let test, let then, let orElse):
                // The branch taken on success leaves: `if resp.ok: break`, `if resp.status_code != 200:
                // log(...) else: return resp`. An exit on an empty result (`if not batch: break`) ends a
                // drain loop: what follows is work, not a retry; one on a state (`if job.done():`) polls.
                let polarity = SuccessExit.polarity(of: test)
                guard polarity != .state else { break }
                let leaves = polarity == .failure ? SuccessExit.leavesOnSuccess(orElse) : SuccessExit.leavesOnSuccess(then)
                if leaves, let op = checkedResult(test, loop: loop, scope: scope) { return op }
            case .with(_, let body, _):
                // `with pool.connection() as c: lease = c.acquire(); if lease: return lease`: a
                // conditional exit (an unconditional one leaves no failure to go round on).
                if !body.contains(where: SuccessExit.isSuccessExit), SuccessExit.leavesOnSuccess(body) { return .statements(body) }
            default:
                break
            }
            return nil
        }
        for (level, step) in steps.enumerated() {
            if let parent = step.parent {
                switch (parent.kind, step.role) {
                case (.try(let tryBody, _, let orElse, _, _), .handler):
                    let leaves = SuccessExit.leavesOnSuccess(tryBody) || SuccessExit.leavesOnSuccess(orElse)
                    out.append(Retried(operation: .statements(tryBody), leavesOnSuccess: leaves))
                case (.try(let tryBody, _, let orElse, _, _), .body):
                    // Going round from inside a `try` whose success leaves the loop (`if data.get("message")
                    // == "timed out": sleep(5); continue` before the `break` at its end): it did not
                    // succeed — unless a state check led there (`if job.state == "PENDING"`): polling.
                    let polling = steps[(level + 1)...].contains { inner in
                        if case .if(let test, _, _)? = inner.parent?.kind { return SuccessExit.polarity(of: test) == .state }
                        return false
                    }
                    if !polling, SuccessExit.leavesOnSuccess(tryBody) || SuccessExit.leavesOnSuccess(orElse) {
                        out.append(Retried(operation: .statements(tryBody), leavesOnSuccess: true))
                    }
                case (.if(let test, _, _), .body), (.if(let test, _, _), .orElse):
                    // The failure branch of a check on the result; the success branch (`if resp.ok:
                    // handle(resp); sleep(60)`) paces the next round instead.
                    let polarity = SuccessExit.polarity(of: test)
                    let onSuccess = if case .body = step.role { polarity == .success } else { polarity == .failure }
                    if !onSuccess, let op = checkedResult(test, loop: loop, scope: scope) { out.append(Retried(operation: op, leavesOnSuccess: false)) }
                default:
                    break
                }
            }
            // Earlier statements of the same block whose success leaves the loop: reaching this
            // point means they failed.
            for earlier in step.block[..<step.index] { if let op = attempt(earlier) { out.append(Retried(operation: op, leavesOnSuccess: true)) } }
            // A wait at the top of the loop body before the attempt (`sleep(backoff); try: …; break`)
            // runs between a failed attempt and the next one.
            if level == 0 {
                for later in step.block[(step.index + 1)...] { if let op = attempt(later) { out.append(Retried(operation: op, leavesOnSuccess: true)) } }
            }
        }
        return out
    }

    /// Whether a byte runs on the way to the statement at the end of `steps` (an earlier statement of a block on the
    /// path) or after it until the next iteration starts. Asked for every rebinding of every name a retried operation
    /// reads: each block's first exit after the path is found once, and the statements holding an offset by a binary
    /// search (a block's statements are in source order and apart). Searched statement by statement, a loop of
    /// thousands of names took time quadratic in its size.
    struct PathSpans {
        let steps: [Step]
        /// By step: the first `continue`/`break`/`return`/`raise` after the path's statement in its block, if any.
        let exits: [Int?]

        init(_ steps: [Step]) {
            self.steps = steps
            exits = steps.map { step in
                var i = step.index + 1
                while i < step.block.count {
                    switch step.block[i].kind {
                    case .continue, .break, .return, .raise: return i
                    default: i += 1
                    }
                }
                return nil
            }
        }

        /// Whether one of `block`'s statements at `indices` holds `offset`.
        static func holds(_ block: PyList<PyStmt>, _ indices: Range<Int>, _ offset: Int) -> Bool {
            let after = block.partitioningIndex(in: indices) { $0.byteRange.lowerBound <= offset }
            return after > indices.lowerBound && block[after - 1].byteRange.contains(offset)
        }

        func contains(_ offset: Int) -> Bool {
            for step in steps where Self.holds(step.block, 0..<step.index, offset) { return true }
            // After the path's statement, innermost block first, up to and with the first exit (which ends the search).
            for k in steps.indices.reversed() {
                let step = steps[k]
                let end = exits[k].map { $0 + 1 } ?? step.block.count
                if step.index + 1 < end, Self.holds(step.block, (step.index + 1)..<end, offset) { return true }
                if exits[k] != nil { return false }
            }
            return false
        }
    }

    /// After the statement at the end of `steps`, the iteration reaches the loop's next round: no
    /// `break`/`return`/`raise` comes before a `continue` or the end of the loop body.
    private static func goesRound(after steps: [Step]) -> Bool {
        for step in steps.reversed() {
            for s in step.block[(step.index + 1)...] {
                switch s.kind {
                case .continue: return true
                case .break, .return, .raise: return false
                default: continue
                }
            }
        }
        return true
    }

    /// The operation whose result a test checks: `not got`, `resp is None`, `resp.status_code == 200`,
    /// `resp.ok`, or a flag the attempt sets (`ok = resp.status_code == 200`, `success = True` at the
    /// end of a `try`). Comparisons with strings or other names check a state (`status == "DONE"`),
    /// which is polling, not a failed attempt.
    private func checkedResult(_ test: PyExpr, loop: PyStmt, scope: PyScope) -> Operation? {
        var stack = [test]
        var budget = 64
        while let e = stack.popLast(), budget > 0 {
            budget -= 1
            switch e.kind {
            case .unaryOp(.not, let x):
                stack.append(x)
            case .boolOp(_, let xs):
                stack.append(contentsOf: xs.reversed())
            case .compare(let left, _, let comparators):
                if comparators.allSatisfy(Self.isFailureValue), let v = resultValue(of: left, loop: loop, scope: scope) { return v }
            case .name, .attribute, .subscript, .call:
                if let v = resultValue(of: e, loop: loop, scope: scope) { return v }
            default:
                break
            }
        }
        return nil
    }

    /// Numbers (status codes), `None`, booleans, and tuples/lists/sets of them.
    private static func isFailureValue(_ e: PyExpr) -> Bool {
        switch e.kind {
        case .constant(.number), .constant(.none), .constant(.true), .constant(.false): return true
        case .unaryOp(.uSub, let x): if case .constant(.number) = x.kind { return true }; return false
        case .tuple(let xs), .list(let xs), .set(let xs):
            return xs.allSatisfy { if case .constant(.number) = $0.kind { return true }; return false }
        default: return false
        }
    }

    /// The operation that produced the value bound in this loop to the name at the root of `e`: the
    /// call-bearing value it was assigned, the result a flag was computed from (`ok = resp.status_code
    /// == 200`, one level), or the `try` body that ends by setting the flag (`success = True`).
    private func resultValue(of e: PyExpr, loop: PyStmt, scope: PyScope) -> Operation? {
        guard let name = TreeWalk.rootName(e) else { return nil }
        var names = [(name, 0)]
        var budget = 16
        while let (name, level) = names.popLast(), budget > 0 {
            budget -= 1
            guard let bindings = scope.bindings[name] else { continue }
            for b in bindings where loop.byteRange.lowerBound < b.offset && b.offset <= loop.byteRange.upperBound {
                guard case .assignment(let value?) = b.kind else { continue }
                var hasCall = false
                TreeWalk.expressions(value) { x in
                    if case .call = x.kind { hasCall = true }
                    return !hasCall
                }
                if hasCall { return .expression(value) }
                switch value.kind {
                case .constant(.true):
                    if let body = tryBody(setting: b.offset, in: loop) { return .statements(body) }
                case .compare, .boolOp, .unaryOp(.not, _):
                    if level == 0 { for (n, _) in TreeWalk.names(in: value) where n != name { names.append((n, 1)) } }
                default:
                    break
                }
            }
        }
        return nil
    }

    /// The body of the innermost `try` in the loop whose body sets a flag (the statement ending at
    /// `offset`) after what it attempts: `try: publish(); success = True`.
    private func tryBody(setting offset: Int, in loop: PyStmt) -> PyList<PyStmt>? {
        let body: PyList<PyStmt>
        switch loop.kind {
        case .for(_, _, let b, _, _), .while(_, let b, _): body = b
        default: return nil
        }
        var found: PyList<PyStmt>? = nil
        for step in path(to: (offset - 1)..<offset, in: body) {
            if case .try(let tryBody, _, _, _, _)? = step.parent?.kind, case .body = step.role, step.index > 0 { found = tryBody }
        }
        return found
    }

    static func isExit(_ s: PyStmt) -> Bool {
        switch s.kind {
        case .break, .return, .raise: return true
        default: return false
        }
    }

    /// The block always leaves the loop (a top-level `raise`/`return`/`break`).
    static func leavesUnconditionally(_ body: PyList<PyStmt>) -> Bool { body.contains(where: isExit) }

    /// Some statement of the loop body leaves the loop.
    static func hasExit(_ body: PyList<PyStmt>) -> Bool {
        var found = false
        TreeWalk.iterationStatements(body) { s in
            switch s.kind {
            case .break, .return: found = true
            default: break
            }
        }
        return found
    }

    // MARK: Cursors

    /// Whether the operation is fed something that moves on each iteration: the `for` target, or a
    /// name read before this iteration rebinds it (`day += 1`, `url = resp.next`) outside a failure
    /// handler — directly in a call's arguments or receiver, or through a local assigned from one.
    /// Then the next iteration does different work: a pass over items, not a retry. Comparisons
    /// (`attempt < max_retries`), logging and the sleeps themselves do not feed the operation.
    private func usesCursor(_ op: Operation, loop: PyStmt, scope: PyScope, targets: Set<String>, steps: [Step], countersCountAttempts: Bool) -> Bool {
        /// What `isCursor` needs of a name that does not depend on the read: whether it is a `for` target, and the
        /// offset of its last rebinding in the loop on the sleep's path (`Int.min` when none). Worked out once per
        /// name: a loop reads the same few names many times, and each read looked them up in two hashed tables
        /// and walked the path again. Found by the name's representation (`String`'s two words: the parser
        /// shares one storage per spelling, and short names are inline), held so that its storage stays alive;
        /// an equal name with another storage gets an equal entry of its own.
        struct NameFacts {
            let name: String
            let isTarget: Bool
            let lastRebinding: Int
            var isCounter: Bool?
        }
        var names: [NameFacts] = []
        /// Made when a name's rebindings are first looked at (most reads are of names with none in the loop).
        var path: PathSpans?
        func onPath(_ offset: Int) -> Bool {
            if path == nil { path = PathSpans(steps) }
            return path!.contains(offset)
        }
        /// `names` by representation, once there are more than a few (a loop that reads thousands of names, in
        /// generated or hostile code, searched the list for each read: quadratic).
        var nameIndex: [NameKey: Int] = [:]
        func nameFacts(_ name: String) -> Int {
            let words = unsafeBitCast(name, to: (UInt64, UInt64).self)
            if names.count <= Self.linearLimit {
                for k in names.indices {
                    let known = unsafeBitCast(names[k].name, to: (UInt64, UInt64).self)
                    if known.0 == words.0 && known.1 == words.1 { return k }
                }
            } else if let k = nameIndex[NameKey(words)] {
                return k
            }
            var last = Int.min
            let isTarget = targets.contains(name)
            if !isTarget, let bindings = scope.bindings[name] {
                // Reads are inside the loop: only its own rebindings can follow one.
                for b in bindings where b.offset > loop.byteRange.lowerBound && b.offset <= loop.byteRange.upperBound && b.offset > last && onPath(b.offset - 1) {
                    last = b.offset
                }
            }
            names.append(NameFacts(name: name, isTarget: isTarget, lastRebinding: last))
            if names.count == Self.linearLimit + 1 {
                for k in names.indices { nameIndex[NameKey(unsafeBitCast(names[k].name, to: (UInt64, UInt64).self))] = k }
            } else if names.count > Self.linearLimit + 1 {
                nameIndex[NameKey(words)] = names.count - 1
            }
            return names.count - 1
        }
        /// Read here, then rebound on the way from this read through the sleep to the next iteration:
        /// the value moves on (`day += 1; sleep(1)`). A rebinding that the sleep's path skips
        /// (`sleep(2); continue` before `cursor = page.next`) leaves the next attempt on the same item.
        /// An attempt counter numbers the attempts unless it indexes something (`urls[i]`).
        func isCursor(_ name: String, _ offset: Int, indexes: Bool) -> Bool {
            let k = nameFacts(name)
            if names[k].isTarget { return !countersCountAttempts || indexes }
            // Rebound after this read: the last on-path rebinding in the loop comes after it.
            guard names[k].lastRebinding > offset else { return false }
            guard countersCountAttempts && !indexes else { return true }
            if names[k].isCounter == nil { names[k].isCounter = isCounter(scope.bindings[name] ?? []) }
            return !names[k].isCounter!
        }
        /// Every rebinding in the loop steps the name by a number (`retries += 1`): it counts.
        func isCounter(_ bindings: some Sequence<PyBinding>) -> Bool {
            var steps = 0
            for b in bindings where loop.byteRange.lowerBound < b.offset && b.offset <= loop.byteRange.upperBound {
                guard let v = facts.augmentedAssignment(endingAt: b.offset), case .constant(.number) = v.kind else { return false }
                steps += 1
            }
            return steps > 0
        }
        func isIgnoredCall(_ fn: PyExpr) -> Bool {
            if case .attribute(_, let attr) = fn.kind { return Self.loggingMethods.contains(attr) }
            if case .name(let name) = fn.kind { return name == "print" || name == "sleep" }
            return false
        }
        /// Few names (mostly none).
        var tainted = SmallSet<String>()
        /// Whether a name the expression reads is tainted or a cursor (and whether it indexes a
        /// subscript), leaving out ignored calls, lambdas, and the plain names a collection records
        /// (`results.append(attempt)` keeps a value, it does not feed the work). Stops at the first such
        /// read, without listing the others.
        func feeds(_ e: PyExpr) -> Bool {
            var found = false
            // Offsets of the names a collection records.
            var recorded = SmallSet<Int>()
            var slices = RangeUnion()
            TreeWalk.expressions(e) { x in
                if found { return false }
                switch x.kind {
                case .name(let n):
                    let offset = x.byteRange.lowerBound
                    if !recorded.contains(offset), tainted.contains(n) || isCursor(n, offset, indexes: slices.contains(offset)) {
                        found = true
                    }
                    return false
                case .subscript(_, let slice):
                    slices.insert(slice.byteRange)
                    return true
                case .lambda: return false
                case .call(let fn, let args, _):
                    if isIgnoredCall(fn) { return false }
                    if case .attribute(_, let attr) = fn.kind, Self.collectionMethods.contains(attr) {
                        for a in args { if case .name = a.kind { recorded.insert(a.byteRange.lowerBound) } }
                    }
                    return true
                default: return true
                }
            }
            return found
        }
        // Locals the loop derives from a cursor (`url = build_url(day)`) are cursors too.
        if case .for(_, _, let body, _, _) = loop.kind { deriveTaint(body) } else if case .while(_, let body, _) = loop.kind { deriveTaint(body) }
        func deriveTaint(_ body: PyList<PyStmt>) {
            TreeWalk.iterationStatements(body) { s in
                switch s.kind {
                case .assign(let targets, let v):
                    if feeds(v) { for t in targets { for (name, _) in TreeWalk.names(in: t) { tainted.insert(name) } } }
                case .annAssign(let t, _, let v?):
                    if feeds(v) { for (name, _) in TreeWalk.names(in: t) { tainted.insert(name) } }
                default: break
                }
            }
        }

        var stack: [PyNode]
        switch op {
        case .statements(let b): stack = b.reversed().map { .stmt($0) }
        case .expression(let e): stack = [.expr(e)]
        }
        var budget = 20_000
        while let n = stack.popLast(), budget > 0 {
            budget -= 1
            switch n {
            case .stmt(let s):
                switch s.kind {
                case .functionDef, .classDef: continue
                case .assign(let targets, let v):
                    if feeds(v) { for t in targets { for (name, _) in TreeWalk.names(in: t) { tainted.insert(name) } } }
                case .augAssign(let t, _, let v), .annAssign(let t, _, let v?):
                    if feeds(v) { for (name, _) in TreeWalk.names(in: t) { tainted.insert(name) } }
                case .if(let test, let then, let orElse):
                    // Branches that leave the loop report success or give up; they are not the work retried.
                    var children: [PyNode] = [.expr(test)]
                    if !Self.leavesUnconditionally(then) { children += then.map { .stmt($0) } }
                    if !Self.leavesUnconditionally(orElse) { children += orElse.map { .stmt($0) } }
                    stack.append(contentsOf: children.reversed())
                    continue
                default: break
                }
                PyWalker.pushChildren(n, on: &stack)
            case .expr(let e):
                switch e.kind {
                case .lambda: continue
                case .call(let fn, _, _):
                    if isIgnoredCall(fn) { continue }
                    if feeds(e) { return true }
                    // Nested calls were read with this one.
                    continue
                default:
                    PyWalker.pushChildren(n, on: &stack)
                }
            case .handler:
                PyWalker.pushChildren(n, on: &stack)
            }
        }
        return false
    }
}

/// A set searched as a list while it holds up to `RetryLoopAnalyzer.linearLimit` elements (most loops read a few names,
/// and a `Set` hashes each), hashed past that (a loop of thousands of names searched its list for every read).
struct SmallSet<Element: Hashable> {
    private var list: [Element] = []
    private var hashed: Set<Element> = []

    func contains(_ e: Element) -> Bool {
        list.count <= RetryLoopAnalyzer.linearLimit ? list.contains(e) : hashed.contains(e)
    }

    mutating func insert(_ e: Element) {
        guard !contains(e) else { return }
        list.append(e)
        if list.count == RetryLoopAnalyzer.linearLimit + 1 { hashed = Set(list) } else if list.count > RetryLoopAnalyzer.linearLimit + 1 { hashed.insert(e) }
    }
}

/// A union of byte ranges that each lie inside an earlier one or apart from all of them (the ranges of a syntax tree's
/// nodes, added parents first): the outermost, in order, so that whether an offset lies in any of them is a binary
/// search, not a pass over every range added (an expression with thousands of subscripts was quadratic).
struct RangeUnion {
    private var ranges: [Range<Int>] = []

    /// The last range that starts at or before `offset`, if any.
    private func candidate(_ offset: Int) -> Int? {
        let after = ranges.partitioningIndex { $0.lowerBound <= offset }
        return after > 0 ? after - 1 : nil
    }

    func contains(_ offset: Int) -> Bool {
        guard let i = candidate(offset) else { return false }
        return ranges[i].contains(offset)
    }

    mutating func insert(_ r: Range<Int>) {
        if let i = candidate(r.lowerBound) {
            // Inside a range already there (nodes nest): nothing new. An empty range covers nothing.
            if ranges[i].lowerBound <= r.lowerBound && r.upperBound <= ranges[i].upperBound || r.isEmpty { return }
            ranges.insert(r, at: i + 1)
        } else if !r.isEmpty {
            ranges.insert(r, at: 0)
        }
    }
}
