@testable import FleetLintCore
import FleetLintSyntax
import Testing
import TestSupport
@testable import FleetLintRules

private func parse(_ source: String, path: String = "svc/m.py") throws -> PythonFile {
    let file = AnalyzedFile(path: path, kind: .python, bytes: Array(source.utf8))
    return try #require(PythonFileParser().parse(file).artifact as? PythonFile)
}

/// Names that stress the byte-level shortcuts: empty pieces, no dot, non-ASCII, and canonically
/// equivalent spellings (a precomposed and a decomposed `é`, the Kelvin sign that normalises to `K`).
private let awkwardNames = [
    "", ".", "..", "a", "a.", ".a", "a..b", "a.b.", "requests.get", "requests.gets", "requests.ge",
    "google.cloud.bigquery.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "requests.session",
    "requests.Session", "x.Client.", "x.Clien", "Client", "caf\u{E9}.get", "cafe\u{301}.get", "pkg.\u{E9}",
    "pkg.e\u{301}", "pkg.K", "pkg.\u{212A}", "time.sleep", "time.sleeps", "tenacity.wait_fixed", "b", "t",
    // A prepended mark joins the dot into its Character, a combining mark joins the dot to the next one.
    "x\u{600}.Client", "caf\u{E9}.Client", "cafe\u{301}.Session", "a.\u{301}Client", "\u{E9}Client", ".Client",
    "httpx.Client", "a.b.ClientSession", "requests.Sessions", "Session.get", "\u{212A}pkg", "Kpkg",
]

@Suite("Reliability rule internals")
struct ReliabilityInternalsTests {
    @Test("QualifiedNameSet answers exactly as Set<String>.contains, canonical equivalence included",
          arguments: [
              ["requests.get", "requests.post", "google.cloud.bigquery.Client"],
              // ASCII members a non-ASCII name is canonically equal to (at either end): the byte check must hash them.
              ["pkg.K", "Kpkg"],
              ["caf\u{E9}.get"],
              ["pkg.e\u{301}"],
              [""],
              [],
          ])
    func nameSetMatchesSet(_ members: [String]) {
        let set = Set(members)
        let names = QualifiedNameSet(members)
        for name in awkwardNames + members {
            #expect(names.contains(name) == set.contains(name), "\(members) ∋ \(name.unicodeScalars.map(\.value))")
            if let last = name.utf8.last {
                #expect(names.contains(name, endingIn: last) == set.contains(name))
            }
        }
    }

    @Test("a library's family is the dotted pieces but the last, as before the byte shortcut")
    func familyMatchesPieces() {
        for name in awkwardNames {
            #expect(ClientCaching.family(of: name) == name.asciiSplit(0x2E).dropLast().joined(separator: "."), "\(name)")
        }
        #expect(ClientCaching.family(of: "google.cloud.bigquery.Client") == "google.cloud.bigquery")
        #expect(ClientCaching.family(of: "requests") == "")
    }

    @Test("the constructor check's last-byte shortcut agrees with the last piece")
    func constructorShortcut() {
        let constructors: Set<Substring> = ["Client", "AsyncClient", "Session", "session", "ClientSession"]
        for name in awkwardNames {
            let expected = name.asciiLastComponent(0x2E).map(constructors.contains) ?? false
            #expect(ClientCaching.isClientConstructor(name) == expected, "\(name)")
        }
    }

    @Test("every name the sleep rule looks at passes its byte pre-check")
    func sleepRulePreCheck() {
        for name in FixedSleepRetryRule.sleepCallees.union(FixedSleepRetryRule.fixedWaits)
            .union(["backoff.on_exception", "backoff.on_predicate", "tenacity.wait.wait_fixed", "tenacitywait_fixed"]) {
            #expect(FixedSleepRetryRule.mayConcern(name), "\(name)")
        }
        for name in ["requests.get", "print", "json.dumps", ""] {
            #expect(!FixedSleepRetryRule.mayConcern(name), "\(name)")
        }
    }

    @Test("the statement walk visits the statements of the node walk, in the same order, and skips alike")
    func statementWalkMatchesNodeWalk() throws {
        let python = try parse("""
            import time
            @decorator(lambda: 1)
            def f(a, b=2):
                x = 1
                for i in range(3):
                    if i:
                        y = 2
                    elif a:
                        pass
                    else:
                        z = 3
                else:
                    w = 4
                while x:
                    x -= 1
                try:
                    t = 1
                except (OSError, ValueError) as e:
                    u = 2
                except Exception:
                    def inner():
                        return 5
                else:
                    v = 3
                finally:
                    q = 4
                with open("p") as h, open("q"):
                    r = 5
                match x:
                    case 1 if a:
                        s = 1
                    case _:
                        class C:
                            k = 1
                return [n for n in range(2)]
            y = f(1)
            """)
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        func stmts(skipping skip: (PyStmt) -> Bool) -> ([Int], [Int]) {
            var viaNodes: [Int] = []
            TreeWalk.nodes(python.module.body) { node in
                switch node {
                case .stmt(let s):
                    viaNodes.append(s.id)
                    return !skip(s)
                case .handler: return true
                case .expr: return false
                }
            }
            var viaStatements: [Int] = []
            TreeWalk.statements(python.module.body) { s in
                viaStatements.append(s.id)
                return !skip(s)
            }
            return (viaNodes, viaStatements)
        }
        let all = stmts(skipping: { _ in false })
        #expect(all.0 == all.1)
        #expect(all.0.count == 27)
        let noDefs = stmts(skipping: { s in
            switch s.kind {
            case .functionDef, .classDef: return true
            default: return false
            }
        })
        #expect(noDefs.0 == noDefs.1)
        #expect(noDefs.0.count == 3)
    }

    @Test("a call's anchor is its enclosing functions and the last piece, joined by dots")
    func anchorMatchesJoined() throws {
        let python = try parse("""
            import requests
            requests.get("a")
            def outer():
                def inner():
                    return requests.get("b")
            """)
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        let calls = python.semantic.calls.filter { $0.qualifiedName == "requests.get" }
        #expect(calls.count == 2)
        for call in calls {
            #expect(call.anchor(ending: call.calleeText) == (call.enclosingFunctions.map(\.name) + [call.calleeText]).joined(separator: "."))
        }
        #expect(calls.last?.anchor(ending: "x") == "outer.inner.x")
        #expect(calls.first?.anchor(ending: "x") == "x")
    }

    @Test("the retry facts' statement tables hold every augmented assignment and for target, nested ones too")
    func retryFactsTables() throws {
        let source = """
            import time
            delay = 1
            delay += 1
            def f():
                for attempt in range(3):
                    try:
                        pass
                    except OSError:
                        wait = 2
                        wait *= 2
                        time.sleep(wait)
            class K:
                def m(self):
                    for a, b in enumerate([1, 2]):
                        pass
            """
        let python = try parse(source)
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        let facts = RetryFileFacts(python: python)
        func text(_ e: PyExpr) -> String { python.module.text(of: e) }
        #expect(facts.augmentedAssignments.values.map(text).sorted() == ["1", "2"])
        let targets = facts.forByTargetEnd.values.compactMap { s -> String? in
            if case .for(let t, _, _, _, _) = s.kind { return text(t) }
            return nil
        }
        #expect(targets.sorted() == ["a, b", "attempt"])
        #expect(facts.functionByScope.count == 2)
        #expect(facts.methodsByClass.values.map(\.count) == [1])
    }

    @Test("the descents find exactly what the whole-file statement tables hold, at every offset", arguments: [
        """
        import time
        delay = 1
        delay += 1
        def f():
            for attempt in range(3):
                try:
                    pass
                except OSError:
                    wait = 2
                    wait *= 2; n -= 1
                    time.sleep(wait)
                else:
                    if attempt: x += 1
            async def g():
                async for item in stream():
                    with lock: y **= 2
            while True:
                for a, (b, c) in pairs:
                    match a:
                        case 1: z |= 4
                        case _: pass
        class K:
            n = 0
            n += 1
            def m(self):
                for a, b in enumerate([1, 2]): self.k += a
                vals = [i for i in range(3)]
        if x: q += 1
        else: q -= 1
        """,
        "x += 1",
        "for i in range(2): pass\nfor j in (1,): j += i\n",
        "def broken(:\n    x += 1\nfor k in :\n",
    ])
    func retryFactsDescents(_ source: String) throws {
        let python = try parse(source)
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        let facts = RetryFileFacts(python: python)
        for offset in 0...(source.utf8.count + 1) {
            #expect(facts.augmentedAssignment(endingAt: offset) == facts.augmentedAssignments[offset], "augmented at \(offset)")
            #expect(facts.forStatement(targetEndingAt: offset) == facts.forByTargetEnd[offset], "for at \(offset)")
        }
    }

    @Test("iterationStatements visits what a walk over blocks(of:) visits, in the same order")
    func iterationOrder() throws {
        let python = try parse("""
            for attempt in range(3):
                try:
                    a = 1
                    if a: b = 2
                    else:
                        with x: c = 3
                except OSError:
                    d = 4
                except ValueError:
                    e = 5
                else:
                    f = 6
                finally:
                    g = 7
                match h:
                    case 1: i = 8
                    case _: j = 9
                for k in l: m = 10
                def n(): o = 11
            """)
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        guard case .for(_, _, let body, _, _)? = python.module.body.first?.kind else { Issue.record("no loop"); return }
        var reference: [Int] = []
        var stack: [PyStmt] = body.reversed()
        while let s = stack.popLast() {
            reference.append(s.id)
            for block in TreeWalk.blocks(of: s).reversed() { stack.append(contentsOf: block.body.reversed()) }
        }
        var seen: [Int] = []
        TreeWalk.iterationStatements(body) { seen.append($0.id) }
        #expect(seen == reference)
        #expect(seen.count == 15)  // not the bodies of the nested loop and `def`
    }

    @Test("a check reads by its polarity", arguments: [
        ("resp.ok", SuccessExit.Polarity.success), ("not resp", .failure), ("resp.status_code == 200", .success),
        ("resp.status_code != 200", .failure), ("resp.status_code in (429, 503)", .failure),
        ("resp.status_code not in (200, 201)", .failure), ("data is not None", .success), ("job is None", .failure),
        ("resp.status_code >= 500", .failure), ("resp.status_code < 400", .success), ("len(rows) == 0", .failure),
        ("len(rows) > 0", .success), ("proc.returncode == 0", .success), ("count == 0", .unknown),
        ("state == \"DONE\"", .state), ("status in (\"PENDING\", \"RUNNING\")", .state),
        ("body[\"message\"] == \"Rate limit exceeded\"", .failure), ("resp.text != \"Endpoint request timed out\"", .success), ("\"events\" in data", .success), ("code in RETRYABLE", .unknown),
        ("result and \"events\" in result", .success), ("self.model is None and attempt < 3", .failure),
        ("resp.ok and resp.status_code == 503", .unknown), ("attempt > 2", .unknown), ("not (a or b)", .failure),
        ("data.get(\"errors\")", .failure), ("not errors", .success), ("resp.json()[\"error\"]", .failure),
        ("self.rate_limited()", .failure), ("resp.json()", .success), ("result.failed", .failure), ("should_retry", .failure), ("retry_successful", .success), ("job.done()", .state), ("not stop.is_set()", .state), ("client.ping()", .success),
    ])
    func polarity(_ test: String, _ expected: SuccessExit.Polarity) throws {
        let python = try parse("if \(test):\n    pass\n")
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        guard case .if(let e, _, _)? = python.module.body.first?.kind else { Issue.record("no if"); return }
        #expect(SuccessExit.polarity(of: e) == expected, "\(test)")
    }

    @Test("a block leaves on success when its last working statement is a check whose success branch leaves", arguments: [
        ("resp = get()\nif resp.status_code == 200:\n    return resp.json()\n", true),
        ("resp = get()\nif resp.status_code != 200:\n    log.warning('bad')\nelse:\n    return resp\n", true),
        ("resp = get()\nif resp.ok:\n    return resp\nlog.warning('no: %s', resp.status_code)\nlast = RuntimeError(str(resp))\n", true),
        ("with pool.get() as c:\n    if c.ping():\n        break\n", true),
        ("resp = get()\nif resp.ok:\n    return resp\nif resp.status_code == 429:\n    time.sleep(5)\n    continue\n", true),
        ("job = q.get()\nif job is None:\n    return\nrun(job)\n", false),
        ("job = q.get()\nif job is None:\n    return\n", false),
        ("resp = get()\nif resp.ok:\n    return resp\nresp.close()\n", false),
        ("state = job.state\nif state == 'DONE':\n    return\n", false),
        ("publish()\n", false),
        ("publish()\nreturn\n", true),
    ])
    func leavesOnSuccess(_ block: String, _ expected: Bool) throws {
        let indented = block.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n")
        let python = try parse("def f():\n    while True:\n" + indented + "\n")
        defer { withExtendedLifetime(python) {} }  // its tree: the nodes read below
        guard case .functionDef(let f)? = python.module.body.first?.kind, case .while(_, let body, _)? = f.body.first?.kind else {
            Issue.record("no loop"); return
        }
        #expect(SuccessExit.leavesOnSuccess(body) == expected, "\(block)")
    }

    @Test("the byte search for words agrees with lowercased().contains")
    func mentionsAgrees() {
        let words = ["error", "timed out", "rate_limit", "fail"]
        let bytes = words.map { Array($0.utf8) }
        for text in ["", "e", "ERROR", "an Error occurred", "errr", "Timed Out", "timed  out", "RATE_LIMITED", "caf\u{E9} fail",
                     "\u{E9}rror", "fai", "xfailx", "\"Endpoint request timed out\"", "rate-limit"] {
            #expect(SuccessExit.mentions(text, bytes) == words.contains(where: text.lowercased().contains), "\(text)")
        }
    }

    @Test("success-exit analysis is bounded on a 100,000-deep chain of checks")
    func deepChecksAreBounded() {
        let r = SourceRange(line: 1, column: 1)
        let tree = PyTree()
        defer { withExtendedLifetime(tree) {} }
        let test = tree.expr(.attribute(value: tree.expr(.name("resp"), r, 0..<4), attr: "ok"), r, 0..<7)
        let empty = tree.list([PyStmt]())
        var block = tree.list([tree.stmt(.pass, r, 0..<1)])
        for _ in 0..<100_000 { block = tree.list([tree.stmt(.if(test: test, body: block, orElse: empty), r, 0..<1)]) }
        #expect(!SuccessExit.leavesOnSuccess(block))
        #expect(!SuccessExit.isReporting(block[0]))
    }

    @Test("RangeUnion answers as a search of every range added, for ranges that nest or lie apart, added parents first")
    func rangeUnionMatchesBruteForce() {
        var rng = SeededGenerator(state: 20_261_202)
        for _ in 0..<200 {
            // A random tree of ranges within 0..<400, visited parents first (children in a random order).
            var added: [Range<Int>] = []
            var union = RangeUnion()
            // An empty range first (it covers nothing, wherever it lies).
            union.insert(50..<50)
            func visit(_ r: Range<Int>, depth: Int) {
                added.append(r)
                union.insert(r)
                guard depth < 5, r.count >= 4 else { return }
                var children: [Range<Int>] = []
                var at = r.lowerBound + Int.random(in: 0...1, using: &rng)
                while at < r.upperBound - 1 {
                    let end = min(r.upperBound, at + Int.random(in: 0...max(1, r.count / 2), using: &rng))
                    if Bool.random(using: &rng) { children.append(at..<end) }
                    at = end + 1
                }
                for c in children.shuffled(using: &rng) { visit(c, depth: depth + 1) }
            }
            for root in [0..<100, 120..<300, 310..<400].shuffled(using: &rng) where Bool.random(using: &rng) {
                visit(root, depth: 0)
            }
            for offset in -1...401 {
                #expect(union.contains(offset) == added.contains { $0.contains(offset) }, "offset \(offset) in \(added)")
            }
        }
    }

    @Test("the reliability rules stop when the file's time budget is used up, and only then")
    func rulesStopOverBudget() throws {
        let source = """
            import time
            import requests


            def go(url):
                while True:
                    try:
                        return requests.get(url, timeout=5)
                    except requests.RequestException:
                        time.sleep(2)
            """
        let file = AnalyzedFile(path: "svc/m.py", kind: .python, bytes: Array(source.utf8))
        file.artifacts["python"] = try parse(source)
        // A budget of one second that started a minute ago, by both clocks; and the same budget starting now.
        let spent = FileAnalyzer.BudgetClock(cpu: FileAnalyzer.threadCPUTime() - 60, wall: FileAnalyzer.BudgetClock.monotonic() - 60)
        func context(_ id: String, _ started: FileAnalyzer.BudgetClock?) -> RuleContext {
            RuleContext(ruleID: id, severity: .warning, skips: nil, budget: started.map { ($0, 1) })
        }
        #expect(context("x", spent).isOverBudget)
        #expect(!context("x", .start()).isOverBudget)
        #expect(!context("x", nil).isOverBudget)
        let sleeps = try FixedSleepRetryRule(options: OptionsTable(section: "fixed-sleep-retry"))
        let clients = try UnpooledClientRule(options: OptionsTable(section: "unpooled-client"))
        #expect(sleeps.check(file, in: context("fixed-sleep-retry", .start())).count == 1)
        #expect(clients.check(file, in: context("unpooled-client", .start())).count == 1)
        #expect(sleeps.check(file, in: context("fixed-sleep-retry", spent)).isEmpty)
        #expect(clients.check(file, in: context("unpooled-client", spent)).isEmpty)
    }

    @Test("PathSpans answers as the statement-by-statement search it replaced, on random nested blocks")
    func pathSpansMatchesTheScan() throws {
        // The search PathSpans replaced (RetryLoopAnalyzer.isOnPath before ffd4f3d), kept here as the reference.
        func reference(_ offset: Int, _ steps: [RetryLoopAnalyzer.Step]) -> Bool {
            for step in steps where step.block[..<step.index].contains(where: { $0.byteRange.contains(offset) }) { return true }
            for step in steps.reversed() {
                for s in step.block[(step.index + 1)...] {
                    if s.byteRange.contains(offset) { return true }
                    switch s.kind {
                    case .continue, .break, .return, .raise: return false
                    default: continue
                    }
                }
            }
            return false
        }
        var rng = SeededGenerator(state: 42)
        // A random loop body: simple statements, exits, and nested if/else, try/except/else/finally and with blocks.
        func block(_ indent: String, depth: Int) -> String {
            var out = ""
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                switch Int.random(in: 0..<(depth < 3 ? 9 : 5), using: &rng) {
                case 0: out += indent + "x = f(x)\n"
                case 1: out += indent + "continue\n"
                case 2: out += indent + "break\n"
                case 3: out += indent + "return (y := g())\n"
                case 4: out += indent + "a = 1; b = 2\n"
                case 5: out += indent + "if c:\n" + block(indent + "    ", depth: depth + 1) + indent + "else:\n" + block(indent + "    ", depth: depth + 1)
                case 6:
                    out += indent + "try:\n" + block(indent + "    ", depth: depth + 1) + indent + "except E:\n"
                        + block(indent + "    ", depth: depth + 1) + indent + "finally:\n" + block(indent + "    ", depth: depth + 1)
                case 7: out += indent + "with m:\n" + block(indent + "    ", depth: depth + 1)
                default: out += indent + "raise E\n"
                }
            }
            return out
        }
        var compared = 0
        for _ in 0..<60 {
            let source = "def f(x):\n    while x:\n" + block("        ", depth: 0)
            let python = try parse(source)
            guard case .functionDef(let def) = python.module.body[0].kind, case .while(_, let body, _) = def.body[0].kind else {
                Issue.record("unexpected tree for \(source)")
                continue
            }
            // The offsets that matter: every statement's bounds and their neighbours, in any block.
            var offsets: Set<Int> = [0, source.utf8.count]
            TreeWalk.statements(python.module.body) { s in
                for o in [s.byteRange.lowerBound, s.byteRange.upperBound] { offsets.formUnion([o - 1, o, o + 1]) }
                return true
            }
            // Every statement of the loop body, with the steps down to it (as `path(to:in:)` makes them).
            var work: [[RetryLoopAnalyzer.Step]] = body.indices.map { [RetryLoopAnalyzer.Step(block: body, index: $0, parent: nil, role: .body)] }
            while let steps = work.popLast() {
                let last = steps[steps.count - 1]
                let statement = last.block[last.index]
                let spans = RetryLoopAnalyzer.PathSpans(steps)
                for offset in offsets {
                    #expect(spans.contains(offset) == reference(offset, steps), "offset \(offset), \(steps.count) steps in \(source)")
                    compared += 1
                }
                for sub in TreeWalk.blocks(of: statement) {
                    for i in sub.body.indices { work.append(steps + [RetryLoopAnalyzer.Step(block: sub.body, index: i, parent: statement, role: sub.role)]) }
                }
            }
        }
        #expect(compared > 10_000)
    }
}

