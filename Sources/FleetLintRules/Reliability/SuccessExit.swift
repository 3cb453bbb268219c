import FleetLintSyntax

/// Where a retry loop's success exit is: whether a block leaves the loop when the attempt in it
/// succeeds, however deeply the `return`/`break` is nested (`if resp.status_code == 200: return
/// resp.json()` inside the `try`, the `else:` of a `try`, a `with` block), and which way a check
/// reads (`resp.ok` is true on success, `job is None` on failure). Iterative and bounded: nothing here
/// recurses over the tree.
enum SuccessExit {
    /// What a test being true says about the attempt it checks.
    enum Polarity: Equatable {
        /// True when the attempt succeeded: `resp.ok`, `resp.status_code == 200`, `data is not None`.
        case success
        /// True when it failed or came back empty: `not resp`, `job is None`, `status_code >= 500`.
        case failure
        /// A state compared with a string (`state == "DONE"`): polling, not an attempt. A string
        /// that names an error (`message == "Endpoint request timed out"`) is a failure instead.
        case state
        /// Anything else (`attempt > 2`, `time.time() > deadline`).
        case unknown

        var flipped: Polarity {
            switch self {
            case .success: .failure
            case .failure: .success
            default: self
            }
        }
    }

    /// Calls that only report progress or compute a value to report; they do no work of their own.
    static let reportingFunctions: Set<String> = [
        "print", "str", "repr", "len", "int", "float", "bool", "type", "isinstance", "hasattr", "getattr",
        "min", "max", "round", "abs", "dict", "list", "tuple", "set", "sorted", "format",
    ]
    /// Methods that format or read a clock for a report.
    static let reportingMethods: Set<String> = [
        "format", "lower", "upper", "strip", "isoformat", "total_seconds", "time", "monotonic", "perf_counter",
        "now", "utcnow",
    ]

    /// The block leaves the loop when what it attempts succeeds: a `return`/`break` at its top level,
    /// or in the success branch of its last statement that does work — an `if` on the result
    /// (`if resp.status_code == 200: return resp.json()`, either branch by the check's polarity), a
    /// `with` block, a nested `try` (its body or `else:`). Statements after that one may only report
    /// or record the failure (logging, `last_error = RuntimeError(...)`, `raise`): reaching the end of
    /// the block then means the attempt failed. An exit on an empty or missing result (`if job is
    /// None: return`) or work after the check ends a drain or worker loop, not a retry.
    static func leavesOnSuccess(_ body: PyList<PyStmt>) -> Bool {
        var stack: [PyList<PyStmt>] = [body]
        var budget = 256
        while let block = stack.popLast(), budget > 0 {
            budget -= 1
            if block.contains(where: isSuccessExit) { return true }
            guard let last = block.lastIndex(where: { !isReporting($0) }) else { continue }
            switch block[last].kind {
            case .if(let test, let then, let orElse):
                switch polarity(of: test) {
                case .success: stack.append(then)
                case .failure: stack.append(orElse)
                case .state, .unknown: break
                }
            case .with(_, let b, _):
                stack.append(b)
            case .try(let b, _, let o, _, _):
                stack.append(o)
                stack.append(b)
            default:
                break
            }
        }
        return false
    }

    @inline(__always)
    static func isSuccessExit(_ s: PyStmt) -> Bool {
        switch s.kind {
        case .break, .return: true
        default: false
        }
    }

    /// What `test` being true says about the result it checks.
    static func polarity(of test: PyExpr) -> Polarity {
        // `not` flips, `and`/`or` agree on their known parts: a walk with a flip flag per node.
        var stack: [(PyExpr, Bool)] = [(test, false)]
        var result: Polarity? = nil
        var budget = 64
        while let (e, flip) = stack.popLast() {
            budget -= 1
            guard budget > 0 else { return .unknown }
            let p: Polarity
            switch e.kind {
            case .unaryOp(.not, let x):
                stack.append((x, !flip))
                continue
            case .boolOp(_, let xs):
                for x in xs.reversed() { stack.append((x, flip)) }
                continue
            case .compare(let left, let ops, let comparators):
                guard ops.count == 1, let op = ops.first, let right = comparators.first else { p = .unknown; break }
                p = comparison(left, op, right)
            case .call(let fn, _, _):
                // `job.done()`, `stop.is_set()`: a state or a signal, not an attempt's result.
                if case .attribute(_, let method) = fn.kind, stateMethods.contains(method) { p = .state } else { p = truthiness(e) }
            case .name, .attribute, .subscript, .await:
                p = truthiness(e)
            case .namedExpr(_, let value):
                stack.append((value, flip))
                continue
            default:
                p = .unknown
            }
            let q = flip ? p.flipped : p
            switch q {
            case .state: return .state
            case .unknown: continue
            default:
                if let r = result, r != q { return .unknown }
                result = q
            }
        }
        return result ?? .unknown
    }

    /// Methods that read a state or a signal (futures, threads, events): a loop that checks them polls.
    static let stateMethods: Set<String> = ["done", "is_set", "is_alive", "cancelled", "running", "exists", "is_file", "is_dir"]

    /// Words of an error message compared with a result (`resp.json()["message"] == "Rate limit exceeded"`).
    static let errorWords = words(["error", "fail", "timed out", "timeout", "throttl", "unavailable", "too many", "rate limit", "exceeded", "refused"])

    /// A string literal compared with a result: an error message is a failure, anything else a state.
    private static func literal(_ e: PyExpr) -> Polarity? {
        guard case .constant(.string(let literal)) = e.kind else { return nil }
        return mentions(literal.raw, errorWords) ? .failure : .state
    }

    /// Words of a value named for a failure (`errors`, `data["error"]`, `resp.json().get("failed")`).
    static let failureNameWords = words(["error", "fail", "exception", "timeout", "timed_out", "throttl", "unavailable", "exceeded", "refused", "rate_limit", "ratelimit", "retry"])
    /// Words that name a success outright (`retry_successful`, `ok`), before the failure words.
    static let successNameWords = words(["success", "succeeded"])

    /// A value tested for truth: true on success (`resp.ok`, `rows`), unless it is named for a
    /// failure (`if errors:`, `if data["error"]:`, `if body.get("failed"):`, `if should_retry:`).
    private static func truthiness(_ e: PyExpr) -> Polarity {
        var x = e
        if case .await(let v) = x.kind { x = v }
        let name: String?
        switch x.kind {
        case .name(let n): name = n
        case .attribute(_, let attr): name = attr
        case .subscript(_, let key):
            if case .constant(.string(let literal)) = key.kind { name = literal.raw } else { name = nil }
        case .call(let fn, let args, _):
            switch fn.kind {
            case .attribute(_, "get"):
                if let key = args.first, case .constant(.string(let literal)) = key.kind { name = literal.raw } else { name = nil }
            case .attribute(_, let method): name = method
            case .name(let n): name = n
            default: name = nil
            }
        default: name = nil
        }
        guard let name else { return .success }
        if mentions(name, successNameWords) { return .success }
        return mentions(name, failureNameWords) ? .failure : .success
    }

    private static func words(_ list: [String]) -> [[UInt8]] { list.map { Array($0.utf8) } }

    /// Whether `text`, with ASCII letters lowered, contains one of `words` (lowercase ASCII): a byte
    /// search (`RegexMatcher.containsLowercased`), without Foundation's `range(of:)` (thousands of
    /// instructions a call).
    static func mentions(_ text: String, _ words: [[UInt8]]) -> Bool {
        func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
            words.contains { RegexMatcher.containsLowercased(buf, $0) }
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(scan) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(scan)
    }

    /// `x is None`, `x == 200`, `code in (429, 503)`, `len(x) == 0`, `x > 0`, `state == "DONE"`.
    private static func comparison(_ left: PyExpr, _ op: PyCmpOp, _ right: PyExpr) -> Polarity {
        if op != .in, op != .notIn, let p = literal(right) ?? literal(left) {
            switch op {
            case .eq, .is: return p
            case .notEq, .isNot: return p.flipped
            default: return .state
            }
        }
        switch op {
        case .is, .eq: return equality(left, right)
        case .isNot, .notEq: return equality(left, right).flipped
        case .in, .notIn:
            var p: Polarity = .success
            switch right.kind {
            case .tuple(let xs), .list(let xs), .set(let xs):
                let codes = xs.map(statusCode)
                if !codes.isEmpty, codes.allSatisfy({ $0 == .success }) { p = .success }
                else if !codes.isEmpty, codes.allSatisfy({ $0 == .failure }) { p = .failure }
                else if let p = xs.first.flatMap(literal), xs.allSatisfy({ literal($0) == p }) { return op == .in ? p : p.flipped }
                else if xs.contains(where: { literal($0) != nil }) { return .state }
                else { p = .unknown }
            default:
                // `'events' in data`: the result holds what was asked for; `code in RETRYABLE` can be either.
                guard case .constant(.string) = left.kind else { return .unknown }
                p = .success
            }
            return op == .in ? p : p.flipped
        case .lt, .ltE, .gt, .gtE:
            guard let n = integer(right) else { return .unknown }
            switch (op, n) {
            // `count > 0`, `len(rows) >= 1`: something came back.
            case (.gt, 0), (.gtE, 1): return .success
            // `status_code < 400`, `>= 500`: the boundary of the HTTP error classes.
            case (.lt, 300...500), (.ltE, 299...499): return .success
            case (.gtE, 300...600), (.gt, 299...599): return .failure
            default: return .unknown
            }
        }
    }

    /// `x == value`/`x is value`, true when ...
    private static func equality(_ left: PyExpr, _ right: PyExpr) -> Polarity {
        switch right.kind {
        case .constant(.none), .constant(.false): return .failure
        case .constant(.true): return .success
        case .constant(.number):
            guard let n = integer(right) else { return .unknown }
            if n == 0 {
                // `len(rows) == 0` is empty; `returncode == 0` / `exit_code == 0` is success.
                if case .call(let fn, _, _) = left.kind, case .name("len") = fn.kind { return .failure }
                if case .attribute(_, let attr) = left.kind, attr.hasSuffix("code") { return .success }
                if case .name(let n) = left.kind, n.hasSuffix("code") { return .success }
                return .unknown
            }
            return statusCode(right)
        default:
            return .unknown
        }
    }

    /// A status code: 2xx success, 4xx/5xx failure.
    private static func statusCode(_ e: PyExpr) -> Polarity {
        guard let n = integer(e) else { return .unknown }
        switch n {
        case 200..<300: return .success
        case 400..<600: return .failure
        default: return .unknown
        }
    }

    private static func integer(_ e: PyExpr) -> Int? {
        guard case .constant(.number(let text)) = e.kind else { return nil }
        return Int(TreeWalk.digits(text))
    }

    // MARK: Reporting statements

    /// The statement only reports or records the outcome (logging, `last_error = e`,
    /// `errors.append(...)`, `raise`, an `if` that does only that, also waiting and going round:
    /// `if resp.status_code == 429: sleep(5); continue`): it does no work of its own, so what came
    /// before it decides whether the attempt succeeded.
    static func isReporting(_ s: PyStmt) -> Bool {
        var stack = [s]
        var budget = 128
        while let s = stack.popLast() {
            budget -= 1
            guard budget > 0 else { return false }
            switch s.kind {
            case .pass, .import, .importFrom, .global, .nonlocal, .raise, .assert, .continue:
                // `raise`/`continue` give up or go round: they handle a failure, not a success.
                continue
            case .expr(let e):
                if case .constant = e.kind { continue }
                let call = unawaited(e)
                guard case .call(let fn, _, _) = call.kind, isReportingCall(fn), !doesWork(call) else { return false }
            case .assign(_, let v), .augAssign(_, _, let v), .annAssign(_, _, let v?):
                if doesWork(v) { return false }
            case .annAssign(_, _, nil):
                continue
            case .if(let test, let then, let orElse):
                if doesWork(test) { return false }
                stack.append(contentsOf: then)
                stack.append(contentsOf: orElse)
            case .break, .return:
                return false
            default:
                return false
            }
        }
        return true
    }

    private static func unawaited(_ e: PyExpr) -> PyExpr {
        if case .await(let x) = e.kind { return x }
        return e
    }

    /// A call that only reports: logging (`logger.warning`, `print`), formatting, recording in a
    /// collection, an exception being built (`RuntimeError(...)`).
    private static func isReportingCall(_ fn: PyExpr) -> Bool {
        switch fn.kind {
        case .name(let n):
            return reportingFunctions.contains(n) || n.hasSuffix("Error") || n.hasSuffix("Exception")
        case .attribute(_, let attr):
            return RetryLoopAnalyzer.loggingMethods.contains(attr) || RetryLoopAnalyzer.collectionMethods.contains(attr)
                || reportingMethods.contains(attr) || attr.hasSuffix("Error") || attr.hasSuffix("Exception")
        default:
            return false
        }
    }

    /// The expression calls something that is not a reporting call.
    private static func doesWork(_ e: PyExpr) -> Bool {
        var work = false
        TreeWalk.expressions(e) { x in
            guard !work else { return false }
            switch x.kind {
            case .call(let fn, _, _):
                if !isReportingCall(fn) { work = true; return false }
                return true
            case .lambda:
                return false
            case .await, .yield, .yieldFrom:
                work = true
                return false
            default:
                return true
            }
        }
        return work
    }
}
