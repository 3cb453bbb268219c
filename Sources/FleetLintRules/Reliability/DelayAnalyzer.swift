import FleetLintCore
import FleetLintSyntax
import Foundation

/// Classifies a delay expression: constant, deterministic backoff, jittered, server-provided or unknown.
/// The expression is traced through local and module assignments (every binding of a name counts), a
/// name re-assigned through itself (`wait = min(wait * 2, 60)`), parameter defaults of the enclosing
/// functions (closures and decorator factories), class and instance attributes (`self.BASE`), constant
/// tables indexed by the attempt (`DELAYS[attempt]`) and helper functions defined in the same file.
/// Every step is bounded (depth and a work budget), so hostile input cannot make it recurse deeply.
struct DelayAnalyzer {
    enum Delay: Equatable {
        case constant(Double?)
        case deterministic
        case random
        case server
        case unknown

        var rank: Int {
            switch self {
            case .constant: 0
            case .deterministic: 1
            case .unknown: 2
            case .server: 3
            case .random: 4
            }
        }

        var kindName: String {
            switch self {
            case .constant: "constant"
            case .deterministic: "deterministic-backoff"
            case .random: "jittered"
            case .server: "server"
            case .unknown: "unknown"
            }
        }

        var isConstant: Bool { if case .constant = self { true } else { false } }

        /// Arithmetic on two delays: constants fold, otherwise the less predictable side wins.
        static func combine(_ a: Delay, _ b: Delay, _ op: (Double, Double) -> Double) -> Delay {
            if case .constant(let x) = a, case .constant(let y) = b {
                if let x, let y { return .constant(op(x, y)) }
                return .constant(nil)
            }
            return a.rank >= b.rank ? a : b
        }

        /// Two values the same name may hold: the less predictable wins; equal constants stay known.
        static func either(_ a: Delay?, _ b: Delay) -> Delay {
            guard let a else { return b }
            if case .constant(let x) = a, case .constant(let y) = b { return .constant(x == y ? x : nil) }
            return a.rank >= b.rank ? a : b
        }
    }

    struct ResolveKey: Hashable {
        enum Owner: Hashable { case scope(ObjectIdentifier), classDef(PyClassDef) }
        let owner: Owner
        let name: String
        init(scope: PyScope, name: String) { owner = .scope(ObjectIdentifier(scope)); self.name = name }
        init(class cls: PyClassDef, name: String) { owner = .classDef(cls); self.name = name }
    }

    static let maxDepth = 12
    static let timeCallees: Set<String> = ["time.time", "time.monotonic", "time.perf_counter", "time.time_ns", "time.monotonic_ns"]
    static let arithmeticCallees: Set<String> = ["max", "int", "float", "round", "abs", "pow", "math.pow", "math.ceil", "math.floor"]

    let facts: RetryFileFacts
    let jitteredHelpers: [Glob]
    var python: PythonFile { facts.python }
    /// Delays of the arguments a helper was called with, by parameter name, for the helper's scope.
    var parameterOverrides: [String: Delay] = [:]
    var overridesScope: ObjectIdentifier? = nil
    /// Names and attributes being resolved (a reference back to one is the value re-assigned through itself).
    var resolving: Set<ResolveKey> = []
    /// Remaining work for one delay expression.
    var budget = 4_000

    init(facts: RetryFileFacts, jitteredHelpers: [Glob]) {
        self.facts = facts
        self.jitteredHelpers = jitteredHelpers
    }

    mutating func classify(_ e: PyExpr, scope: PyScope, depth: Int) -> Delay {
        guard depth < Self.maxDepth, budget > 0 else { return .unknown }
        budget -= 1
        switch e.kind {
        case .constant(.number(let text)):
            return .constant(Double(TreeWalk.digits(text)))
        case .constant:
            return .unknown
        case .unaryOp(let op, let operand):
            let inner = classify(operand, scope: scope, depth: depth + 1)
            if case .constant(let v) = inner, op == .uSub { return .constant(v.map { -$0 }) }
            return inner
        case .binOp(let l, let op, let r):
            let a = classify(l, scope: scope, depth: depth + 1)
            let b = classify(r, scope: scope, depth: depth + 1)
            switch op {
            case .add: return .combine(a, b, +)
            case .sub: return .combine(a, b, -)
            case .mult: return .combine(a, b, *)
            case .div: return .combine(a, b) { $1 == 0 ? 0 : $0 / $1 }
            case .pow: return .combine(a, b) { pow($0, $1) }
            default: return .combine(a, b) { x, _ in x }
            }
        case .ifExp(_, let body, let orElse):
            let a = classify(body, scope: scope, depth: depth + 1)
            return .either(a, classify(orElse, scope: scope, depth: depth + 1))
        case .boolOp(_, let values):
            var result: Delay? = nil
            for v in values { result = .either(result, classify(v, scope: scope, depth: depth + 1)) }
            return result ?? .unknown
        case .namedExpr(_, let value):
            return classify(value, scope: scope, depth: depth + 1)
        case .name(let n):
            return classifyName(n, at: e.byteRange.lowerBound, scope: scope, depth: depth)
        case .call(let fn, let args, let keywords):
            return classifyCall(e, fn: fn, args: args, keywords: keywords, scope: scope, depth: depth)
        case .attribute(let base, let attr):
            if containsRetryAfter(e) { return .server }
            if let cls = classOf(base, scope: scope) { return classAttribute(cls, attr, depth: depth + 1) ?? .unknown }
            return .unknown
        case .subscript(let value, let slice):
            if containsRetryAfter(e) { return .server }
            guard let (elements, tableScope) = tableElements(value, scope: scope, depth: depth + 1) else { return .unknown }
            if case .constant(.number(let text)) = slice.kind, let i = Int(text), i >= 0, i < elements.count {
                return classify(elements[i], scope: tableScope, depth: depth + 1)
            }
            return table(elements, scope: tableScope, depth: depth + 1)
        default:
            return .unknown
        }
    }

    private mutating func classifyCall(_ e: PyExpr, fn: PyExpr, args: PyList<PyExpr>, keywords: PyList<PyKeyword>, scope: PyScope, depth: Int) -> Delay {
        if let q = python.semantic.qualifiedName(of: fn, in: scope) {
            if FixedSleepRetryRule.randomPrefixes.contains(where: { q.hasPrefix($0) }) || q == "random" { return .random }
            if q == "min" { return classifyMin(Array(args) + keywords.map(\.value), scope: scope, depth: depth) }
            if Self.arithmeticCallees.contains(q) {
                var result: Delay? = nil
                for a in args + keywords.map(\.value) {
                    let c = classify(a, scope: scope, depth: depth + 1)
                    result = result.map { .combine($0, c) { x, _ in x } } ?? c
                }
                if case .constant = result ?? .unknown { return .constant(nil) }
                return result ?? .unknown
            }
            if let fnName = q.asciiLastComponent(0x2E), jitteredHelpers.contains(where: { $0.matchesWholePath(String(fnName)) }) {
                return .random
            }
        }
        if containsRetryAfter(e) { return .server }
        // `DELAYS.get(attempt, 60)`: a lookup in a constant table.
        if case .attribute(let receiver, "get") = fn.kind, let (elements, tableScope) = tableElements(receiver, scope: scope, depth: depth + 1) {
            let fallback = args.dropFirst().first.map { classify($0, scope: scope, depth: depth + 1) }
            let t = table(elements, scope: tableScope, depth: depth + 1)
            return fallback.map { Delay.either(t, $0) } ?? t
        }
        // A helper defined in this file (a function, or a method on `self`): classify what it returns.
        var helper: (def: PyFunctionDef, skipsSelf: Bool)? = nil
        if case .name(let n) = fn.kind, let binding = python.semantic.lookup(n, at: fn.byteRange.lowerBound, in: scope),
           case .functionDef(let def) = binding.kind {
            helper = (def, false)
        } else if case .attribute(let base, let attr) = fn.kind, let cls = classOf(base, scope: scope),
                  let def = method(attr, of: cls, depth: depth) {
            helper = (def, true)
        }
        guard let (def, skipsSelf) = helper else { return .unknown }
        var argDelays: [String: Delay] = [:]
        let positional = Array((def.args.posOnly + def.args.args).dropFirst(skipsSelf ? 1 : 0))
        for (i, p) in positional.enumerated() where i < args.count {
            argDelays[p.name] = classify(args[i], scope: scope, depth: depth + 1)
        }
        for k in keywords { if let name = k.name { argDelays[name] = classify(k.value, scope: scope, depth: depth + 1) } }
        return classifyHelper(def, arguments: argDelays, depth: depth + 1)
    }

    /// `min(...)` caps a delay: with a jitter-free term, the cap itself is what clients wait once the
    /// other terms grow, and a remaining time budget (`min(PAUSE, deadline - time.time())`) is not jitter.
    private mutating func classifyMin(_ operands: [PyExpr], scope: PyScope, depth: Int) -> Delay {
        var delays: [Delay] = []
        for a in operands { delays.append(classify(a, scope: scope, depth: depth + 1)) }
        guard !delays.isEmpty else { return .unknown }
        if delays.contains(.random) { return .random }
        if delays.contains(.server) { return .server }
        let constants = delays.compactMap { d -> Double?? in if case .constant(let v) = d { return v }; return nil }
        if !constants.isEmpty {
            let others = zip(operands, delays).filter { !$0.1.isConstant }
            if others.isEmpty {
                let known = constants.compactMap { $0 }
                return .constant(known.count == constants.count ? known.min() : nil)
            }
            if others.allSatisfy({ $0.1 == .deterministic }) { return .deterministic }
            if others.allSatisfy({ $0.1 == .deterministic || isTimeBudget($0.0, scope: scope) }) {
                if others.contains(where: { $0.1 == .deterministic }) { return .deterministic }
                let known = constants.compactMap { $0 }
                return .constant(known.count == constants.count ? known.min() : nil)
            }
        }
        var result: Delay? = nil
        for d in delays { result = result.map { .combine($0, d) { x, _ in x } } ?? d }
        return result ?? .unknown
    }

    /// An expression of parameters, constants and clock readings: what is left of a time budget.
    /// Names are followed through their assignments, three levels deep (`remaining = max_wait -
    /// (time.time() - start)` with `max_wait = max_wait_seconds or ATTEMPTS * DELAY` and `start =
    /// time.time()`); a default (`x or y`, `a if c else b`) is one of its values.
    private func isTimeBudget(_ e: PyExpr, scope: PyScope) -> Bool {
        var stack: [(PyExpr, Int, PyScope)] = [(e, 0, scope)]
        var visited = 0
        while let (x, level, scope) = stack.popLast() {
            visited += 1
            guard visited < 64 else { return false }
            switch x.kind {
            case .constant(.number):
                continue
            case .binOp(let l, _, let r):
                stack.append((r, level, scope)); stack.append((l, level, scope))
            case .unaryOp(_, let v):
                stack.append((v, level, scope))
            case .boolOp(_, let vs):
                for v in vs.reversed() { stack.append((v, level, scope)) }
            case .ifExp(_, let body, let orElse):
                stack.append((orElse, level, scope)); stack.append((body, level, scope))
            case .call(let fn, let args, let keywords):
                guard args.isEmpty, keywords.isEmpty, let q = python.semantic.qualifiedName(of: fn, in: scope),
                      Self.timeCallees.contains(q) else { return false }
            case .name(let n):
                guard let b = python.semantic.lookup(n, at: x.byteRange.lowerBound, in: scope) else { return false }
                switch b.kind {
                case .parameter:
                    continue
                case .assignment(let v?) where level < 3:
                    stack.append((v, level + 1, facts.owningScope(of: n, from: scope) ?? scope))
                default:
                    return false
                }
            default:
                return false
            }
        }
        return true
    }

    func containsRetryAfter(_ e: PyExpr) -> Bool {
        let text = python.module.text(of: e).lowercased()
        return text.contains("retry-after") || text.contains("retry_after")
    }

    // MARK: Names

    mutating func classifyName(_ n: String, at offset: Int, scope: PyScope, depth: Int) -> Delay {
        guard python.semantic.lookup(n, at: offset, in: scope) != nil, let owner = facts.owningScope(of: n, from: scope),
              let bindings = owner.bindings[n] else { return .unknown }
        let key = ResolveKey(scope: owner, name: n)
        // A name re-assigned through itself (`wait = min(wait * 2, 60)`, `delay *= 2`) grows each time.
        if resolving.contains(key) { return .deterministic }
        resolving.insert(key)
        defer { resolving.remove(key) }
        var result: Delay? = nil
        for b in bindings {
            let value: Delay
            switch b.kind {
            case .parameter:
                if overridesScope == ObjectIdentifier(owner), let override = parameterOverrides[n] {
                    value = override
                } else if let def = facts.functionByScope[ObjectIdentifier(owner)]?.def,
                          let d = def.args.all.first(where: { $0.name == n })?.defaultValue {
                    // A default evaluates in the scope around the function.
                    value = classify(d, scope: owner.parent ?? owner, depth: depth + 1)
                } else {
                    value = .unknown
                }
            case .assignment(let v?):
                value = classify(v, scope: owner, depth: depth + 1)
            case .assignment(nil):
                if let v = facts.augmentedAssignment(endingAt: b.offset) {
                    value = Delay.combine(.deterministic, classify(v, scope: owner, depth: depth + 1)) { x, _ in x }
                } else if let loop = facts.forStatement(targetEndingAt: b.offset) {
                    value = loopValue(n, of: loop, scope: owner, depth: depth + 1)
                } else {
                    value = .unknown
                }
            default:
                value = .unknown
            }
            result = .either(result, value)
            if result == .random { break }
        }
        return result ?? .unknown
    }

    /// The values a `for` target takes: an attempt counter over `range`/`count`, the entries of a
    /// constant delay table (`for delay in (1, 2, 4)`, `enumerate(DELAYS)`), or unknown.
    private mutating func loopValue(_ n: String, of loop: PyStmt, scope: PyScope, depth: Int) -> Delay {
        guard case .for(let target, let iter, _, _, _) = loop.kind else { return .unknown }
        if case .name = target.kind {
            if facts.isCountingIterable(iter, scope: scope) { return .deterministic }
            if let (elements, s) = tableElements(iter, scope: scope, depth: depth + 1) { return table(elements, scope: s, depth: depth + 1) }
            return .unknown
        }
        // `for attempt, delay in enumerate(DELAYS)`.
        if case .tuple(let parts) = target.kind, parts.count == 2, case .call(let fn, let args, _) = iter.kind,
           python.semantic.qualifiedName(of: fn, in: scope) == "enumerate", let inner = args.first {
            if case .name(n) = parts[0].kind { return .deterministic }
            if case .name(n) = parts[1].kind {
                if facts.isCountingIterable(inner, scope: scope) { return .deterministic }
                if let (elements, s) = tableElements(inner, scope: scope, depth: depth + 1) { return table(elements, scope: s, depth: depth + 1) }
            }
        }
        return .unknown
    }

    // MARK: Tables

    /// The entries of a constant table: a tuple/list/dict literal, or a name or class attribute bound
    /// to one exactly once.
    private func tableElements(_ e: PyExpr, scope: PyScope, depth: Int) -> (PyList<PyExpr>, PyScope)? {
        var current = e
        var currentScope = scope
        for _ in 0..<Self.maxDepth {
            switch current.kind {
            case .tuple(let xs), .list(let xs):
                return xs.isEmpty ? nil : (xs, currentScope)
            case .dict(_, let vs):
                return vs.isEmpty ? nil : (vs, currentScope)
            case .name(let n):
                guard let owner = facts.owningScope(of: n, from: currentScope), let bs = owner.bindings[n], bs.count == 1,
                      case .assignment(let v?) = bs[0].kind else { return nil }
                current = v; currentScope = owner
            case .attribute(let base, let attr):
                guard let cls = classOf(base, scope: currentScope), let cs = python.semantic.scope(of: cls),
                      let bs = cs.bindings[attr], bs.count == 1, case .assignment(let v?) = bs[0].kind else { return nil }
                current = v; currentScope = cs
            default:
                return nil
            }
        }
        return nil
    }

    /// A table of delays: one value if every entry is the same constant, a schedule if they differ.
    private mutating func table(_ elements: PyList<PyExpr>, scope: PyScope, depth: Int) -> Delay {
        var result: Delay? = nil
        for x in elements.prefix(256) { result = .either(result, classify(x, scope: scope, depth: depth + 1)) }
        if case .constant(nil)? = result, elements.count > 1 { return .deterministic }
        return result ?? .unknown
    }

    // MARK: Classes

    /// The class an attribute base refers to: `self`/`cls` (the first parameter of a method, also seen
    /// from a closure inside it) or a class defined in this file by name.
    func classOf(_ base: PyExpr, scope: PyScope) -> PyClassDef? {
        guard case .name(let n) = base.kind, let b = python.semantic.lookup(n, at: base.byteRange.lowerBound, in: scope) else { return nil }
        switch b.kind {
        case .classDef(let c):
            return c
        case .parameter:
            guard let owner = facts.owningScope(of: n, from: scope), let record = facts.functionByScope[ObjectIdentifier(owner)],
                  let cls = record.enclosingClass, (record.def.args.posOnly + record.def.args.args).first?.name == n,
                  !record.def.decorators.contains(where: { python.module.text(of: $0) == "staticmethod" }) else { return nil }
            return cls
        default:
            return nil
        }
    }

    /// A method defined in a class (or its in-file bases).
    private func method(_ name: String, of cls: PyClassDef, depth: Int) -> PyFunctionDef? {
        var current: PyClassDef? = cls
        for _ in 0..<Self.maxDepth {
            guard let c = current else { return nil }
            if let bs = python.semantic.scope(of: c)?.bindings[name], let last = bs.last, case .functionDef(let def) = last.kind { return def }
            current = inFileBase(of: c)
        }
        return nil
    }

    private func inFileBase(of cls: PyClassDef) -> PyClassDef? {
        for base in cls.bases {
            if case .name(let bn) = base.kind, let b = python.semantic.moduleScope.bindings[bn]?.last, case .classDef(let c) = b.kind, c != cls {
                return c
            }
        }
        return nil
    }

    /// Every value a class or instance attribute is given: in the class body, and `self.<attr> = …` in
    /// any method (an `__init__` that copies a defaulted parameter counts as that default). Falls back
    /// to in-file base classes. Nil when nothing assigns it.
    mutating func classAttribute(_ cls: PyClassDef, _ attr: String, depth: Int) -> Delay? {
        guard depth < Self.maxDepth else { return .unknown }
        let key = ResolveKey(class: cls, name: "." + attr)
        if resolving.contains(key) { return .deterministic }
        resolving.insert(key)
        defer { resolving.remove(key) }
        var result: Delay? = nil
        if let cs = python.semantic.scope(of: cls), let bs = cs.bindings[attr] {
            for b in bs {
                switch b.kind {
                case .assignment(let v?): result = .either(result, classify(v, scope: cs, depth: depth + 1))
                case .assignment(nil):
                    if let v = facts.augmentedAssignment(endingAt: b.offset) {
                        result = .either(result, Delay.combine(.deterministic, classify(v, scope: cs, depth: depth + 1)) { x, _ in x })
                    } else {
                        result = .either(result, .unknown)
                    }
                default: result = .either(result, .unknown)
                }
            }
        }
        for record in facts.methodsByClass[cls] ?? [] {
            guard let selfName = (record.def.args.posOnly + record.def.args.args).first?.name else { continue }
            func isSelfAttribute(_ t: PyExpr) -> Bool {
                if case .attribute(let b, attr) = t.kind, case .name(selfName) = b.kind { return true }
                return false
            }
            var values: [(PyExpr, augmented: Bool)] = []
            TreeWalk.statements(record.def.body) { s in
                switch s.kind {
                case .functionDef, .classDef: return false
                case .assign(let targets, let v):
                    if targets.contains(where: isSelfAttribute) { values.append((v, false)) }
                    // `self.a, self.b = …` and chained targets: unknown values.
                    for t in targets { if case .tuple(let xs) = t.kind, xs.contains(where: isSelfAttribute) { result = .either(result, .unknown) } }
                case .annAssign(let t, _, let v?):
                    if isSelfAttribute(t) { values.append((v, false)) }
                case .augAssign(let t, _, let v):
                    if isSelfAttribute(t) { values.append((v, true)) }
                default: break
                }
                return true
            }
            for (v, augmented) in values {
                let c = classify(v, scope: record.scope, depth: depth + 1)
                result = .either(result, augmented ? Delay.combine(.deterministic, c) { x, _ in x } : c)
            }
        }
        if result == nil, let base = inFileBase(of: cls) { return classAttribute(base, attr, depth: depth + 1) }
        return result
    }

    // MARK: Helpers

    mutating func classifyHelper(_ def: PyFunctionDef, arguments: [String: Delay], depth: Int) -> Delay {
        guard let scope = python.semantic.scope(of: def) else { return .unknown }
        var returned: [PyExpr] = []
        TreeWalk.statements(def.body) { s in
            switch s.kind {
            case .functionDef, .classDef: return false
            case .return(let v?): returned.append(v); return false
            default: return true
            }
        }
        var result: Delay? = nil
        for value in returned.prefix(64) {
            var copy = self
            copy.parameterOverrides = arguments
            copy.overridesScope = ObjectIdentifier(scope)
            let c = copy.classify(value, scope: scope, depth: depth + 1)
            budget = copy.budget
            result = result.map { $0.rank >= c.rank ? $0 : c } ?? c
        }
        return result ?? .unknown
    }
}
