import FleetLintCore
import FleetLintSyntax

/// A retry loop whose wait between attempts is the same for every client (a constant, or a backoff with
/// no random jitter), and retry decorators configured the same way.
public struct FixedSleepRetryRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "fixed-sleep-retry",
        summary: "Retry loop waits a constant interval, or backs off without jitter",
        category: .reliability,
        defaultSeverity: .warning,
        inputs: [.python],
        rationale: """
            ## What it does
            Finds retry loops — a `for`/`while` loop that goes round again after a failure (a `try` whose
            `except` does not unconditionally leave the loop, a loop bounded by an attempt counter, or one that
            re-checks a failed result) — and flags the `time.sleep(...)`/`asyncio.sleep(...)` between attempts
            when its delay is a constant (a literal, a module constant, a constant expression, a default
            parameter never changed) or a deterministic backoff (`2 ** attempt`, `base * attempt`,
            `min(cap, ...)`) with no randomness. The delay is traced through local assignments and helper
            functions in the same file; anything from `random`, `numpy.random` or `secrets` counts as jitter.
            Also flags tenacity `wait_fixed`/`wait_exponential` not combined with a random wait, and
            `backoff.on_exception(..., jitter=None)`. Pacing loops over different items, polling loops and
            waits the server asks for (`Retry-After`) are not retries.

            ## Why is this bad?
            When a dependency blips, every client fails at the same moment and, with the same delay, retries
            at the same moment too: the herd arrives in lockstep, the dependency falls over again, and the
            outage lasts as long as the retries do. Random jitter spreads the retries out.

            ## Example
            ```python
            for attempt in range(5):
                try:
                    return session.get(url, timeout=10)
                except ConnectionError:
                    time.sleep(2 ** attempt)
            ```

            ## Use instead
            ```python
            for attempt in range(5):
                try:
                    return session.get(url, timeout=10)
                except ConnectionError:
                    time.sleep(random.uniform(0, min(30, 2 ** attempt)))  # full jitter
            ```
            """,
        options: [
            "jittered-helpers": "glob patterns of function names that implement jittered retries (default `*retry_with_jitter*`)",
            "helper": "the repository's jittered retry helper to recommend in `help` (e.g. `shared.retry.retry_with_jitter`)",
        ],
        triggering: [
            Example(path: "svc/poll.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            ↓time.sleep(2)
                """),
            Example(path: "svc/backoff.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            ↓time.sleep(min(30, 2 ** attempt))
                """),
            Example(path: "svc/status.py", """
                from time import sleep
                RETRY_DELAY = 5
                def fetch(session, url):
                    retries = 0
                    while retries < 3:
                        resp = session.get(url)
                        if resp.status_code == 200:
                            break
                        retries += 1
                        ↓sleep(RETRY_DELAY)
                """),
            Example(path: "svc/helper.py", """
                import time
                def delay_for(n):
                    return 2 ** n
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except OSError:
                            wait = delay_for(attempt)
                            ↓time.sleep(wait)
                """),
            Example(path: "svc/tasks.py", """
                from tenacity import retry, wait_fixed
                @retry(wait=↓wait_fixed(2))
                def publish(message):
                    return message
                """),
            Example(path: "svc/send.py", """
                import backoff
                @↓backoff.on_exception(backoff.expo, OSError, jitter=None)
                def send(payload):
                    return payload
                """),
        ],
        nonTriggering: [
            Example(path: "svc/jitter.py", """
                import random, time
                def fetch(session, url):
                    for attempt in range(5):
                        try:
                            return session.get(url)
                        except TimeoutError:
                            time.sleep(random.uniform(0, 2 ** attempt))
                """),
            Example(path: "svc/pacing.py", """
                import time
                def crawl(session, urls):
                    for url in urls:
                        session.get(url)
                        time.sleep(1)
                """),
            Example(path: "svc/polling.py", """
                import time
                def wait(job):
                    while not job.done():
                        time.sleep(5)
                """),
            Example(path: "svc/server.py", """
                import time
                def fetch(session, url):
                    for attempt in range(5):
                        resp = session.get(url)
                        if resp.status_code != 429:
                            return resp
                        time.sleep(int(resp.headers["Retry-After"]))
                """),
            Example(path: "svc/tenacity_ok.py", """
                from tenacity import retry, wait_exponential, wait_random
                @retry(wait=wait_exponential(max=30) + wait_random(0, 2))
                def publish(message):
                    return message
                """),
            Example(path: "svc/dates.py", """
                import time
                def backfill(session, day, end):
                    while day <= end:
                        try:
                            session.get(f"/games/{day}")
                        except OSError:
                            pass
                        time.sleep(0.5)
                        day += 1
                """),
            Example(path: "svc/gives_up.py", """
                import time
                def fetch(session, urls):
                    for url in urls:
                        try:
                            session.get(url)
                        except TimeoutError:
                            raise
                        time.sleep(1)
                """),
        ]
    )

    let jitteredHelpers: [String]
    let helper: String?

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.description.options.keys)
        jitteredHelpers = try options.stringArray("jittered-helpers") ?? ["*retry_with_jitter*"]
        helper = try options.string("helper")
    }

    static let sleepCallees: Set<String> = ["time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"]
    static let randomPrefixes = ["random.", "numpy.random.", "secrets.", "np.random."]
    static let fixedWaits: Set<String> = [
        "tenacity.wait_fixed", "tenacity.wait_exponential", "tenacity.wait_incrementing",
        "tenacity.wait.wait_fixed", "tenacity.wait.wait_exponential", "tenacity.wait.wait_incrementing",
    ]

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        guard let python = file.python else { return [] }
        var analyzer = DelayAnalyzer(python: python, jitteredHelpers: jitteredHelpers.map(Glob.init))
        var out: [Finding] = []
        let helpText = helper.map { "use `\($0)`, or " } ?? ""
        let help = helpText + "sleep a random amount: full jitter `random.uniform(0, min(cap, base * 2 ** attempt))` or decorrelated jitter"

        for call in python.semantic.calls {
            guard let name = call.qualifiedName else { continue }
            if Self.sleepCallees.contains(name) {
                guard let loop = call.enclosingLoops.last, RetryLoop.isRetryLoop(loop, python: python) else { continue }
                guard let arg = call.args.first ?? call.keywords.first(where: { $0.name == "seconds" || $0.name == "delay" })?.value else { continue }
                let delay = analyzer.classify(arg, scope: call.scope, loop: loop, depth: 0)
                let text = python.module.text(of: arg)
                let message: String
                switch delay {
                case .constant(let seconds):
                    let amount = seconds.map { "a fixed \(Self.format($0)) s" } ?? "a fixed `\(text)`"
                    message = "retry loop sleeps \(amount) between attempts"
                case .deterministic:
                    message = "backoff `\(text)` has no jitter, so failing clients retry in lockstep"
                default:
                    continue
                }
                out.append(context.finding(
                    path: file.path, range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                    message: message, help: help,
                    metadata: ["callee": .string(name), "delay": .string(text), "kind": .string(delay.kindName)],
                    anchor: (call.enclosingFunctions.map(\.name) + [call.calleeText, text]).joined(separator: "."),
                    scope: python.semantic.scopeName(of: call)))
            } else if Self.fixedWaits.contains(name) || Self.fixedWaits.contains("tenacity." + name.split(separator: ".").last!) && name.hasPrefix("tenacity") {
                if TenacityWaits.isCombinedWithRandom(call.call, in: python) { continue }
                let short = name.split(separator: ".").last.map(String.init) ?? name
                let message = short == "wait_fixed"
                    ? "tenacity `wait_fixed(...)` waits the same interval for every client"
                    : "tenacity `\(short)(...)` has no jitter, so failing clients retry in lockstep"
                out.append(context.finding(
                    path: file.path, range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                    message: message,
                    help: "use `wait_random_exponential(...)` or add `+ wait_random(0, 1)`",
                    metadata: ["callee": .string(name), "kind": .string("decorator")],
                    anchor: (call.enclosingFunctions.map(\.name) + [python.module.text(of: call.call)]).joined(separator: "."),
                    scope: python.semantic.scopeName(of: call)))
            } else if name == "backoff.on_exception" || name == "backoff.on_predicate" {
                guard let jitter = call.keywords.first(where: { $0.name == "jitter" }),
                      case .constant(.none) = jitter.value.kind else { continue }
                out.append(context.finding(
                    path: file.path, range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                    message: "`\(name)(..., jitter=None)` retries without jitter, so failing clients retry in lockstep",
                    help: "drop `jitter=None` (backoff's default is full jitter) or pass `jitter=backoff.full_jitter`",
                    metadata: ["callee": .string(name), "kind": .string("decorator")],
                    anchor: python.module.text(of: call.call), scope: python.semantic.scopeName(of: call)))
            }
        }
        return out
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e12 ? String(Int(seconds)) : String(seconds)
    }
}

/// Decides whether a loop is a retry loop.
enum RetryLoop {
    static let counterWords = ["attempt", "retr", "tries", "try_", "_try", "tri"]

    static func isCounterName(_ s: String) -> Bool {
        let l = s.lowercased()
        return counterWords.contains { l.contains($0) }
    }

    static func names(in e: PyExpr) -> [String] {
        var out: [String] = []
        PyWalker.walk(e) { node, _ in
            if case .expr(let x) = node {
                if case .name(let n) = x.kind { out.append(n) }
                if case .attribute(_, let attr, _) = x.kind { out.append(attr) }
            }
            return true
        }
        return out
    }

    static func isRetryLoop(_ loop: PyStmt, python: PythonFile) -> Bool {
        let body: [PyStmt]
        var repeatsSameWork = false
        switch loop.kind {
        case .for(let target, let iter, let b, _, _):
            body = b
            // `for attempt in range(n)`, `for _ in range(MAX_RETRIES)`, `itertools.count()`.
            if case .call(let fn, let args, _) = iter.kind {
                let fname = python.module.text(of: fn)
                if fname == "range" || fname.hasSuffix("count") || fname.hasSuffix("repeat") {
                    repeatsSameWork = true
                    if names(in: target).contains(where: isCounterName) || args.contains(where: { names(in: $0).contains(where: isCounterName) }) {
                        return true
                    }
                }
            }
            if names(in: target).contains(where: isCounterName) { repeatsSameWork = true }
        case .while(let test, let b, _):
            body = b
            repeatsSameWork = true
            let testNames = Set(names(in: test))
            if testNames.contains(where: isCounterName) { return true }
            // `while day <= end: …; day += step` walks through items whether an attempt failed or not:
            // it paces, it does not retry.
            for s in b {
                let assigned: [PyExpr]
                switch s.kind {
                case .augAssign(let target, _, _): assigned = [target]
                case .assign(let targets, _): assigned = targets
                default: assigned = []
                }
                if assigned.contains(where: { names(in: $0).contains(where: testNames.contains) }) { return false }
            }
        default:
            return false
        }
        guard repeatsSameWork else { return false }
        // A failure handler that lets the loop go round again.
        var retries = false
        walkLoopBody(body) { stmt in
            if case .try(_, let handlers, _, _, _) = stmt.kind,
               handlers.contains(where: { !leavesUnconditionally($0.body) }) {
                retries = true
            }
            // Re-checking a failed result: `if resp.status_code == 200: break` / `if ok: return`.
            if case .if(let test, let then, _) = stmt.kind, then.contains(where: isExit) {
                let words = names(in: test).map { $0.lowercased() }
                if words.contains(where: { $0.contains("status") || $0 == "ok" || $0.contains("success") }) { retries = true }
            }
        }
        return retries
    }

    /// Visits statements of a loop body, not descending into nested functions, classes or loops.
    static func walkLoopBody(_ body: [PyStmt], _ visit: (PyStmt) -> Void) {
        for s in body {
            visit(s)
            switch s.kind {
            case .if(_, let b, let o): walkLoopBody(b, visit); walkLoopBody(o, visit)
            case .with(_, let b, _): walkLoopBody(b, visit)
            case .try(let b, let hs, let o, let f, _):
                walkLoopBody(b, visit); for h in hs { walkLoopBody(h.body, visit) }; walkLoopBody(o, visit); walkLoopBody(f, visit)
            default: break
            }
        }
    }

    static func isExit(_ s: PyStmt) -> Bool {
        switch s.kind {
        case .break, .return, .raise: return true
        default: return false
        }
    }

    /// True when every path through `body` ends in `raise`/`return`/`break` at its top level.
    static func leavesUnconditionally(_ body: [PyStmt]) -> Bool {
        body.contains(where: isExit)
    }
}

/// Classifies a delay expression: constant, deterministic backoff, jittered, server-provided or unknown.
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

        static func combine(_ a: Delay, _ b: Delay, _ op: (Double, Double) -> Double) -> Delay {
            if case .constant(let x) = a, case .constant(let y) = b {
                if let x, let y { return .constant(op(x, y)) }
                return .constant(nil)
            }
            return a.rank >= b.rank ? a : b
        }
    }

    let python: PythonFile
    let jitteredHelpers: [Glob]
    var helperCache: [String: Delay] = [:]

    init(python: PythonFile, jitteredHelpers: [Glob]) {
        self.python = python
        self.jitteredHelpers = jitteredHelpers
    }

    mutating func classify(_ e: PyExpr, scope: PyScope, loop: PyStmt?, depth: Int) -> Delay {
        guard depth < 12 else { return .unknown }
        switch e.kind {
        case .constant(.number(let text)):
            return .constant(Double(text.replacingOccurrences(of: "_", with: "")))
        case .constant:
            return .unknown
        case .unaryOp(let op, let operand):
            let inner = classify(operand, scope: scope, loop: loop, depth: depth + 1)
            if case .constant(let v) = inner, op == .uSub { return .constant(v.map { -$0 }) }
            return inner
        case .binOp(let l, let op, let r):
            let a = classify(l, scope: scope, loop: loop, depth: depth + 1)
            let b = classify(r, scope: scope, loop: loop, depth: depth + 1)
            switch op {
            case .add: return .combine(a, b, +)
            case .sub: return .combine(a, b, -)
            case .mult: return .combine(a, b, *)
            case .div: return .combine(a, b) { $1 == 0 ? 0 : $0 / $1 }
            case .pow: return .combine(a, b) { pow($0, $1) }
            default: return .combine(a, b) { x, _ in x }
            }
        case .ifExp(_, let body, let orElse):
            let a = classify(body, scope: scope, loop: loop, depth: depth + 1)
            let b = classify(orElse, scope: scope, loop: loop, depth: depth + 1)
            if a == b { return a }
            return .combine(a, b) { x, _ in x }
        case .name(let n):
            return classifyName(n, at: e.byteRange.lowerBound, scope: scope, loop: loop, depth: depth)
        case .call(let fn, let args, let keywords):
            if let q = python.semantic.qualifiedName(of: fn, in: scope) {
                if FixedSleepRetryRule.randomPrefixes.contains(where: { q.hasPrefix($0) }) || q == "random" { return .random }
                if ["min", "max", "int", "float", "round", "abs", "pow", "math.pow", "math.ceil", "math.floor"].contains(q) {
                    var result: Delay? = nil
                    for a in args + keywords.map(\.value) {
                        let c = classify(a, scope: scope, loop: loop, depth: depth + 1)
                        result = result.map { .combine($0, c) { x, _ in x } } ?? c
                    }
                    if case .constant = result ?? .unknown { return .constant(nil) }
                    return result ?? .unknown
                }
                if let fnName = q.split(separator: ".").last, jitteredHelpers.contains(where: { $0.matchesWholePath(String(fnName)) }) {
                    return .random
                }
            }
            if containsRetryAfter(e) { return .server }
            // A helper function defined in this file: classify what it returns.
            if case .name(let n) = fn.kind, let binding = python.semantic.lookup(n, at: fn.byteRange.lowerBound, in: scope),
               case .functionDef(let def) = binding.kind {
                var argDelays: [String: Delay] = [:]
                for (i, p) in (def.args.posOnly + def.args.args).enumerated() {
                    if i < args.count { argDelays[p.name] = classify(args[i], scope: scope, loop: loop, depth: depth + 1) }
                }
                for k in keywords { if let name = k.name { argDelays[name] = classify(k.value, scope: scope, loop: loop, depth: depth + 1) } }
                return classifyHelper(def, arguments: argDelays, depth: depth + 1)
            }
            return .unknown
        case .subscript, .attribute:
            return containsRetryAfter(e) ? .server : .unknown
        default:
            return .unknown
        }
    }

    func containsRetryAfter(_ e: PyExpr) -> Bool {
        python.module.text(of: e).lowercased().contains("retry-after") || python.module.text(of: e).lowercased().contains("retry_after")
    }

    mutating func classifyHelper(_ def: PyFunctionDef, arguments: [String: Delay], depth: Int) -> Delay {
        guard let scope = python.semantic.scope(of: def) else { return .unknown }
        var result: Delay? = nil
        func returns(_ body: [PyStmt]) -> [PyExpr] {
            var out: [PyExpr] = []
            RetryLoop.walkLoopBody(body) { s in if case .return(let v?) = s.kind { out.append(v) } }
            for s in body {
                switch s.kind {
                case .for(_, _, let b, let o, _), .while(_, let b, let o): out += returns(b) + returns(o)
                default: break
                }
            }
            return out
        }
        for value in returns(def.body) {
            var copy = self
            copy.parameterOverrides = arguments
            let c = copy.classify(value, scope: scope, loop: nil, depth: depth + 1)
            result = result.map { $0.rank >= c.rank ? $0 : c } ?? c
        }
        return result ?? .unknown
    }

    /// Delays of the arguments a helper was called with, by parameter name.
    var parameterOverrides: [String: Delay] = [:]

    mutating func classifyName(_ n: String, at offset: Int, scope: PyScope, loop: PyStmt?, depth: Int) -> Delay {
        // The retry loop's own counter.
        if let loop, case .for(let target, _, _, _, _) = loop.kind, RetryLoop.names(in: target).contains(n) { return .deterministic }
        if let override = parameterOverrides[n], scope.bindings[n]?.contains(where: { if case .parameter = $0.kind { return true }; return false }) == true {
            return override
        }
        guard let binding = python.semantic.lookup(n, at: offset, in: scope) else { return .unknown }
        switch binding.kind {
        case .parameter:
            // A default that the function never changes is a constant.
            guard let def = enclosingFunction(of: scope),
                  let p = def.args.all.first(where: { $0.name == n }), let d = p.defaultValue else {
                return RetryLoop.isCounterName(n) ? .deterministic : .unknown
            }
            if (scope.bindings[n] ?? []).contains(where: { if case .assignment = $0.kind { return true }; return false }) {
                return .deterministic
            }
            return classify(d, scope: scope, loop: nil, depth: depth + 1)
        case .assignment(let value):
            // Every assignment of the name in this scope counts (`delay = 1` … `delay *= 2`).
            let all = scope.bindings[n] ?? [binding]
            var result: Delay? = nil
            var sawUnknownValue = false
            for b in all {
                guard case .assignment(let v) = b.kind else { continue }
                guard let v else { sawUnknownValue = true; continue }
                let c = classify(v, scope: scope, loop: loop, depth: depth + 1)
                result = result.map { .combine($0, c) { x, _ in x } } ?? c
            }
            if hasAugmentedAssignment(n, in: scope) {
                if let r = result, r.rank > Delay.deterministic.rank { return r }
                return .deterministic
            }
            if sawUnknownValue && result == nil {
                return RetryLoop.isCounterName(n) ? .deterministic : .unknown
            }
            _ = value
            return result ?? .unknown
        default:
            return .unknown
        }
    }

    func enclosingFunction(of scope: PyScope) -> PyFunctionDef? {
        python.semantic.functions.first { python.semantic.scope(of: $0.def) === scope }?.def
    }

    func hasAugmentedAssignment(_ n: String, in scope: PyScope) -> Bool {
        guard let def = enclosingFunction(of: scope) else { return false }
        var found = false
        PyWalker.walk(def.body) { node, _ in
            if case .stmt(let s) = node, case .augAssign(let t, _, _) = s.kind, case .name(let tn) = t.kind, tn == n { found = true }
            if case .stmt(let s) = node, case .functionDef = s.kind { return false }
            return !found
        }
        return found
    }
}

/// tenacity waits combined with `+ wait_random*(…)` / `wait_*jitter*` are jittered.
enum TenacityWaits {
    static func isCombinedWithRandom(_ call: PyExpr, in python: PythonFile) -> Bool {
        var combined = false
        PyWalker.walk(python.module.body) { node, parents in
            guard !combined, case .expr(let e) = node, e === call else { return true }
            // Walk up through `+` chains and look for a random wait in them.
            for p in parents.reversed() {
                guard case .expr(let pe) = p, case .binOp(_, .add, _) = pe.kind else { break }
                let text = python.module.text(of: pe)
                if text.contains("wait_random") || text.contains("jitter") { combined = true }
            }
            return false
        }
        return combined
    }
}

import Foundation
