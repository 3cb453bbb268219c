import Foundation
import Testing
import TestSupport
@testable import FleetLintSyntax

/// Hostile Python input (issue 15): no input may overflow a stack, go super-linear or vanish without a problem.
/// Every case runs the whole front end (lexer, parser, semantic model, generic walk, deallocation) on a thread with
/// a small stack, so a recursion that only fits the main thread's 8 MiB fails here: 512 KiB (a Dispatch worker
/// thread's size) in an optimised build. Unoptimised frames are several times larger (the parser's ~1.5 KiB instead
/// of ~200 bytes), so a debug build of the tests gets 4 MiB.
struct PythonHardeningTests {
    #if DEBUG
    static let stackSize = 4 * 1024 * 1024
    #else
    static let stackSize = 512 * 1024
    #endif

    /// Runs `body` on a thread with a small stack and waits for it.
    static func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let t = Thread { body(); done.signal() }
        t.stackSize = stackSize
        t.start()
        done.wait()
    }

    struct Outcome: Sendable {
        var problems: [ParseProblem]
        var calls: Int
        var imports: [String]
        var walked: Int
    }

    /// Lexes, parses, builds the semantic model and walks the tree on a small stack; the tree is freed there too.
    static func frontEnd(_ src: [UInt8]) -> Outcome {
        nonisolated(unsafe) var out = Outcome(problems: [], calls: 0, imports: [], walked: 0)
        onSmallStack {
            let m = PythonParser.parse(src)
            let sem = PythonSemanticModel(module: m)
            var n = 0
            PyWalker.walk(m.body) { _, _ in n += 1; return true }
            out = Outcome(problems: m.problems, calls: sem.calls.count, imports: sem.imports.map { $0.module }, walked: n)
        }
        return out
    }

    /// CPU time of the thread that runs the front end (other tests and processes do not count).
    static func cpuSeconds(_ src: [UInt8]) -> Double {
        nonisolated(unsafe) var spent = 0.0
        onSmallStack {
            func now() -> Double {
                var ts = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
                return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
            }
            let t = now()
            let m = PythonParser.parse(src)
            let sem = PythonSemanticModel(module: m)
            var n = 0
            PyWalker.walk(m.body) { _, _ in n += 1; return true }
            _ = (sem.calls.count, n)
            spent = now() - t
        }
        return spent
    }

    /// `large` is 8× `small`: linear work takes ~8× the time, quadratic ~64×. The runs alternate and the best of
    /// five of each counts, as the machine is shared with the other tests.
    static func expectLinear(small: [UInt8], large: [UInt8]) {
        var t1 = Double.infinity, t8 = Double.infinity
        for _ in 0..<5 {
            t1 = min(t1, cpuSeconds(small))
            t8 = min(t8, cpuSeconds(large))
        }
        #expect(t8 < max(t1, 0.005) * 32, "n: \(t1)s, 8n: \(t8)s")
    }

    static func chain(_ kind: String, _ n: Int) -> String {
        switch kind {
        case "add": return "x = " + Array(repeating: "1", count: n).joined(separator: "+") + "\n"
        case "attr": return "x = a" + String(repeating: ".b", count: n) + "\n"
        case "call": return "x = f" + String(repeating: "()", count: n) + "\n"
        case "subscript": return "x = a" + String(repeating: "[0]", count: n) + "\n"
        case "compare-in-parens": return "x = " + String(repeating: "(a + ", count: 40) + "b" + String(repeating: ")", count: 40) + String(repeating: " + c", count: n) + "\n"
        default: fatalError(kind)
        }
    }

    static let chainKinds = ["add", "attr", "call", "subscript", "compare-in-parens"]

    @Test("a 14,000-term flat chain is a syntax error at the term that is too deep, and the file goes on", arguments: chainKinds)
    func longFlatChains(kind: String) {
        let src = "import os\n" + Self.chain(kind, 14_000) + "ok()\n"
        let o = Self.frontEnd(Array(src.utf8))
        let deep = o.problems.filter { $0.message.contains("nested too deeply") }
        #expect(deep.count == 1)
        #expect(deep.first?.range.start.line == 2)
        #expect(o.imports == ["os"])
        #expect(o.calls >= 1) // `ok()` on the next line is still analysed
    }

    @Test("chains below the limit parse without a problem", arguments: chainKinds)
    func chainsBelowTheLimit(kind: String) {
        let o = Self.frontEnd(Array(Self.chain(kind, 800).utf8))
        #expect(o.problems.isEmpty, "\(o.problems.map(\.message))")
    }

    @Test("flat chains take linear time", arguments: ["add", "attr", "call"])
    func chainsAreLinear(kind: String) {
        // Many independent statements, each too deep: time at n and 4n.
        func src(_ n: Int) -> [UInt8] { Array((0..<n).map { _ in Self.chain(kind, 1_500) }.joined().utf8) }
        Self.expectLinear(small: src(2), large: src(16))
    }

    @Test func longElifChainIsCappedAndKeepsTheFileGoing() {
        let src = "if x == 0:\n    pass\n" + (1..<9_600).map { "elif x == \($0):\n    f\($0)()\n" }.joined() + "else:\n    g()\nimport os\n"
        let o = Self.frontEnd(Array(src.utf8))
        let deep = o.problems.filter { $0.message.contains("elif") }
        #expect(deep.count == 1)
        #expect(o.problems.count == 1)
        #expect(o.imports == ["os"])
        // Branches up to the limit are kept and analysed.
        #expect(o.calls >= PythonParser.maxTreeDepth - PythonParser.elifReserve - 10)
    }

    @Test func elifChainsBelowTheLimitAreNestedLikeCPython() {
        let src = "if a:\n    pass\n" + (0..<500).map { "elif b\($0):\n    pass\n" }.joined() + "else:\n    c()\n"
        let o = Self.frontEnd(Array(src.utf8))
        #expect(o.problems.isEmpty)
        let m = PythonParser.parse(src)
        var depth = 0
        var s = m.body[0]
        while case .if(_, _, let orElse) = s.kind, orElse.count == 1, case .if = orElse[0].kind { s = orElse[0]; depth += 1 }
        #expect(depth == 500)
        #expect(s.range.end == m.body[0].range.end)
    }

    @Test func elifChainTimeIsLinear() {
        func src(_ n: Int) -> [UInt8] { Array(("if x:\n    pass\n" + (0..<n).map { "elif x == \($0):\n    pass\n" }.joined()).utf8) }
        Self.expectLinear(small: src(1_000), large: src(8_000))
    }

    @Test func deeplyNestedFStrings() {
        for quote in ["\"", "'"] {
            for n in [100, 3_000, 20_000] {
                var s = "x"
                for _ in 0..<n { s = "f\(quote){" + s + "}\(quote)" }
                let o = Self.frontEnd(Array(("y = " + s + "\nimport os\n").utf8))
                if n > PyLexer.maxFStringNesting {
                    #expect(o.problems.contains { $0.message.contains("nested too deeply") && $0.range.start.line == 1 })
                }
            }
        }
        // Format specs nest fields too.
        let spec = "f'{x:" + String(repeating: "{y:", count: 5_000) + String(repeating: "}", count: 5_001) + "'\n"
        #expect(!Self.frontEnd(Array(spec.utf8)).problems.isEmpty)
    }

    @Test func deepBracketsAndBlocksOnAWorkerStack() {
        for depth in [10_000, 100_000] {
            let o = Self.frontEnd(Array((String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth) + "\nok()\n").utf8))
            #expect(!o.problems.isEmpty)
            #expect(o.calls == 1)
        }
        let blocks = (0..<5_000).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 5_000) + "pass\n"
        #expect(!Self.frontEnd(Array(blocks.utf8)).problems.isEmpty)
        for prefix in ["not ", "-", "lambda: ", "await ", "a if b else ", "a ** ", "[", "{", "f(", "a["] {
            _ = Self.frontEnd(Array(("x = " + String(repeating: prefix, count: 20_000) + "c\n").utf8))
        }
    }

    @Test func nulAfterTheFirst8KiBIsOneSyntaxError() {
        let head = String(repeating: "x = 1\n", count: 2_000) // 12,000 bytes
        var bytes = Array(head.utf8) + Array("y = 2".utf8) + [0x00, 0x00] + Array(" + 3\n".utf8) + [UInt8](repeating: 0, count: 60_000) + Array("\nz()\n".utf8)
        let o = Self.frontEnd(bytes)
        let nul = o.problems.filter { $0.message.contains("null bytes") }
        #expect(nul.count == 1)
        #expect(nul.first?.range.start == SourceLocation(line: 2_001, column: 6))
        bytes = Array("a = 1\n".utf8)
        #expect(Self.frontEnd(bytes).problems.isEmpty)
    }

    @Test func aFileFullOfBadCharactersGivesABoundedNumberOfProblems() {
        let o = Self.frontEnd(Array(String(repeating: "$", count: 60_000).utf8))
        #expect(o.problems.count == PythonParser.maxProblems + 1)
        #expect(o.problems.last?.message.contains("more syntax errors") == true)
    }

    @Test func nodesStayCompact() {
        // The lambda's parameter list is boxed; every other payload is at most four handles (16 bytes each: the tree
        // and an index) and a flag. A record in the arena is its payload, its ranges and (expressions) its summary.
        #expect(MemoryLayout<PyExpr>.size <= 16 && MemoryLayout<PyList<PyExpr>>.size == 16)
        #expect(MemoryLayout<PyExprKind>.size <= 64)
        #expect(MemoryLayout<PyStmtKind>.size <= 72)
        #expect(MemoryLayout<PyExprNode>.stride <= 96)
        #expect(MemoryLayout<PyStmtNode>.stride <= 96)
    }

    /// `PyArenaArray.clearHoldingReferencesOnly` destroys only the expression records that hold a string or a box; it
    /// relies on every other payload type being plain data (a reference added to one of them would leak).
    @Test func exprKindPayloadsArePlainData() {
        #expect(_isPOD(PyExpr.self) && _isPOD(PyExpr?.self))
        #expect(_isPOD(PyList<PyExpr>.self) && _isPOD(PyList<PyExpr?>.self) && _isPOD(PyList<PyKeyword>.self))
        #expect(_isPOD(PyList<PyCmpOp>.self) && _isPOD(PyList<PyComprehension>.self))
        #expect(_isPOD(PyStringLiteral.self) && _isPOD(PyBinOp.self) && _isPOD(PyUnaryOp.self) && _isPOD(PyBoolOp.self))
        #expect(_isPOD(PyCompactRange.self))
        // A tree with every kind of expression is freed without a leak or a double free (run under ASan/valgrind
        // to see either; here it must at least not crash).
        for _ in 0..<3 {
            let m = PythonParser.parse("x = lambda a, b=1: (a.b, 10, 'text', f'{a}', [i for i in b], {k: v}, a < b <= c, -a, not a)\n")
            #expect(m.problems.isEmpty)
        }
        #expect(MemoryLayout<PyCompactRange>.size == 24)
        #expect(MemoryLayout<PyTok>.stride == 12)
    }
}

extension PythonHardeningTests {
    @Test func forEachChildVisitsWhatChildrenLists() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/python/corpus")
        let files = (FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "py" }
        var checked = 0
        for f in files {
            let m = PythonParser.parse([UInt8](try Data(contentsOf: f)))
            PyWalker.walk(m.body) { node, _ in
                if case .expr(let e) = node {
                    var seen: [PyExpr] = []
                    PyWalker.forEachChild(e) { seen.append($0) }
                    #expect(seen == PyWalker.children(e))
                    checked += 1
                }
                return true
            }
        }
        #expect(checked > 10_000)
    }
}

extension PythonHardeningTests {
    /// Below `Binder.recursionLimit` the semantic walks switch to an explicit stack; the result must not change.
    @Test func tallExpressionsAreAnalysedLikeShallowOnes() {
        let segment = ".m(lambda q: g(q), [h(v) for v in r if k(v)], (w := n()))"
        func facts(_ repeats: Int) -> (calls: [String], inLambda: Int, walrus: Bool, leaked: Bool) {
            let src = "import mod\nx = mod.start()" + String(repeating: segment, count: repeats) + "\n"
            let m = PythonParser.parse(src)
            #expect(m.problems.isEmpty)
            let sem = PythonSemanticModel(module: m)
            let names = sem.calls.map { $0.qualifiedName ?? $0.calleeText.split(separator: "(").first.map(String.init) ?? "" }
            return (names.filter { ["g", "h", "k", "n"].contains($0) }.sorted(), sem.calls.filter(\.inLambda).count,
                    sem.moduleScope.bindings["w"] != nil, sem.moduleScope.bindings["v"] != nil || sem.moduleScope.bindings["q"] != nil)
        }
        let shallow = facts(1), tall = facts(150)
        #expect(tall.calls.count == 150 * shallow.calls.count)
        #expect(Set(tall.calls) == Set(shallow.calls))
        #expect(shallow.inLambda == 1 && tall.inLambda == 150)
        #expect(tall.walrus && !tall.leaked)
        let m = PythonParser.parse("import mod\nx = mod" + String(repeating: ".a", count: 900) + ".run()\n")
        let sem = PythonSemanticModel(module: m)
        #expect(sem.calls.first?.qualifiedName == "mod" + String(repeating: ".a", count: 900) + ".run")
    }
}

extension PythonHardeningTests {
    /// The position map skips 8 bytes at a time; it must find every line start and non-ASCII line as a byte loop does.
    @Test func positionMapAgreesWithAByteLoop() {
        var rng = SeededGenerator(seed: 99)
        let alphabet: [UInt8] = Array("ab =\t#".utf8) + [0x0A, 0x0D, 0xC3, 0xA9, 0x00]
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 500] {
            for _ in 0..<40 {
                let bytes = (0..<len).map { _ in rng.next() % 3 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : 0x61 }
                var starts = [0], i = 0
                while i < bytes.count {
                    if bytes[i] == 0x0A { starts.append(i + 1) }
                    else if bytes[i] == 0x0D { if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }; starts.append(i + 1) }
                    i += 1
                }
                bytes.withUnsafeBufferPointer { buf in
                    let map = PyPositionMap(buf)
                    #expect(map.lineStarts == starts)
                    #expect(map.isASCII == !bytes.contains { $0 >= 0x80 })
                    for off in stride(from: 0, through: bytes.count, by: 3) {
                        let l = map.line(of: off)
                        var col = 1, j = starts[l - 1]
                        while j < off { if bytes[j] & 0xC0 != 0x80 { col += 1 }; j += 1 }
                        #expect(map.location(of: off, in: buf) == SourceLocation(line: l, column: col))
                    }
                }
            }
        }
    }
}
