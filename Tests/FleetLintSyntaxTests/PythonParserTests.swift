import Foundation
import Testing
import TestSupport
@testable import FleetLintSyntax

struct PythonParserTests {
    static func calls(_ src: String) -> [String] {
        let m = PythonParser.parse(src)
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        return PythonSemanticModel(module: m).calls.map { "\($0.call.range.start)-\($0.call.range.end) \($0.calleeText)" }
    }

    /// Python 3.12/3.13 syntax (CPython 3.11 here cannot produce vectors for it).
    @Test(arguments: [
        ("type Alias = dict[str, int]\n", [String]()),
        ("type Pair[T] = tuple[T, T]\n", []),
        ("def first[T: Hashable, *Ts, **P](xs: list[T]) -> T:\n    return pick(xs)\n", ["2:12-2:20 pick"]),
        ("class Box[T]:\n    def get(self) -> T: return load()\n", ["2:32-2:38 load"]),
        ("x = f\"{d[\"key\"]} {g(\"a\")}\"\n", ["1:19-1:25 g"]),
        ("x = f\"{f\"{inner()}\"}\"\n", ["1:11-1:18 inner"]),
        ("x = f'{a:{w()}.{p()}}'\n", ["1:11-1:14 w", "1:17-1:20 p"]),
        ("x = f\"{'\\n'.join(xs)}\"\n", ["1:8-1:21 '\\n'.join"]),
        ("x = f\"\"\"{\n    call(1)  # comment\n}\"\"\"\n", ["2:5-2:12 call"]),
        ("try:\n    a()\nexcept* ValueError:\n    b()\n", ["2:5-2:8 a", "4:5-4:8 b"]),
        ("match p:\n    case Point(x=0):\n        hit()\n    case [a, *_] if ok(a):\n        miss()\n", ["3:9-3:14 hit", "4:21-4:26 ok", "5:9-5:15 miss"]),
        ("with (open('a') as f, open('b') as g):\n    f.write(g.read())\n", ["1:7-1:16 open", "1:23-1:32 open", "2:5-2:22 f.write", "2:13-2:21 g.read"]),
        ("@functools.cache\n@app.route('/x')\ndef h(): ...\n", ["2:2-2:17 app.route"]),
    ])
    func modernSyntax(_ src: String, _ expected: [String]) {
        let m = PythonParser.parse(src)
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        #expect(m.problems.isEmpty, "\(m.problems)")
        #expect(Self.calls(src).sorted() == expected.sorted())
    }

    @Test func statementKinds() {
        let src = """
        import a.b as c
        from ..x import (y as z, w)
        x = y = 1
        x += 2
        n: int = 3
        del x
        assert x, "m"
        raise E from e
        global g
        for i in r: pass
        while 0: break
        if a: pass
        elif b: pass
        else: pass
        type T = int
        async def f(): await g()
        class C(B, metaclass=M): pass
        lambda: 0
        """
        let m = PythonParser.parse(src + "\n")
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        #expect(m.problems.isEmpty, "\(m.problems)")
        let kinds = m.body.map { s -> String in
            switch s.kind {
            case .import: return "import"; case .importFrom(_, _, let level): return "from\(level)"
            case .assign(let t, _): return "assign\(t.count)"; case .augAssign: return "aug"; case .annAssign: return "ann"
            case .delete: return "del"; case .assert: return "assert"; case .raise: return "raise"; case .global: return "global"
            case .for: return "for"; case .while: return "while"; case .if(_, _, let o): return "if\(o.count)"
            case .typeAlias: return "type"; case .functionDef(let f): return f.isAsync ? "asyncdef" : "def"
            case .classDef(let c): return "class\(c.bases.count)\(c.keywords.count)"; case .expr: return "expr"
            default: return "other"
            }
        }
        #expect(kinds == ["import", "from2", "assign2", "aug", "ann", "del", "assert", "raise", "global", "for", "while", "if1", "type", "asyncdef", "class11", "expr"])
    }

    @Test func parametersAreClassified() throws {
        let m = PythonParser.parse("def f(a, b=1, /, c=2, *args, d, e=3, **kw): pass\n")
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        guard case .functionDef(let f) = m.body.first?.kind else { Issue.record("no def"); return }
        #expect(f.args.posOnly.map(\.name) == ["a", "b"])
        #expect(f.args.args.map(\.name) == ["c"])
        #expect(f.args.vararg?.name == "args")
        #expect(f.args.kwOnly.map(\.name) == ["d", "e"])
        #expect(f.args.kwarg?.name == "kw")
    }

    @Test func operatorPrecedence() {
        let m = PythonParser.parse("r = a or b and not c < d | e ^ f & g << h + i * -j ** k\n")
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        guard case .assign(_, let v) = m.body.first?.kind, case .boolOp(.or, let vs) = v.kind,
              case .boolOp(.and, let ands) = vs[1].kind, case .unaryOp(.not, let cmp) = ands[1].kind,
              case .compare(_, let ops, let cs) = cmp.kind, case .binOp(_, .bitOr, let xorE) = cs[0].kind,
              case .binOp(_, .bitXor, let andE) = xorE.kind, case .binOp(_, .bitAnd, let sh) = andE.kind,
              case .binOp(_, .lShift, let add) = sh.kind, case .binOp(_, .add, let mul) = add.kind,
              case .binOp(_, .mult, let neg) = mul.kind, case .unaryOp(.uSub, let pw) = neg.kind,
              case .binOp(_, .pow, _) = pw.kind else { Issue.record("unexpected tree"); return }
        #expect(Array(ops) == [.lt])
        let m2 = PythonParser.parse("r = a not in b is not c\n")
        defer { withExtendedLifetime(m2) {} }  // its tree: the nodes read below
        guard case .assign(_, let v2) = m2.body.first?.kind, case .compare(_, let ops2, _) = v2.kind else { Issue.record("no compare"); return }
        #expect(Array(ops2) == [.notIn, .isNot])
    }

    /// Syntax errors are reported at CPython's line and parsing resumes at the next statement.
    @Test(arguments: [
        ("x = (1,\ndef later():\n    ok()\n", 1, ["ok"]),
        ("def broken(:\n    inside()\ndef after():\n    x()\n", 1, ["x"]),
        ("def broken(x:\n    pass\nafter()\n", 1, ["after"]),
        ("def broken(:\n    inside()\nafter()\n", 1, ["inside", "after"]),
        ("class K(Base:\n    def m(self):\n        body()\n", 1, ["body"]),
        ("a = 1 +\nb = work()\n", 1, ["work"]),
        ("f() = 3\ng()\n", 1, ["f", "g"]),
        ("if x\n    y()\nz()\n", 1, ["y", "z"]),
        ("  x = 1\ny()\n", 1, ["y"]),
        ("print 'x'\nrun()\n", 1, ["run"]),
        ("class :\n    pass\nk()\n", 1, ["k"]),
        ("for x in :\n    body()\n", 1, ["body"]),
        ("x = [1, 2\ny = q()\n", 1, []),
        ("s = 'unterminated\nt = u()\n", 1, ["u"]),
        ("try:\n    a()\nb()\n", 3, ["a", "b"]),
        ("f(**kw, *a)\nnext_one()\n", 1, ["next_one"]),
        ("call(a=1 b=2)\nrest()\n", 1, ["rest"]),
        ("x = 1\ny = 0377\nz()\n", 2, ["z"]),
    ] as [(String, Int, [String])])
    func recovery(_ src: String, _ line: Int, _ laterCalls: [String]) {
        let m = PythonParser.parse(src)
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        #expect(m.problems.contains { $0.range.start.line == line && $0.code == "syntax-error" }, "\(m.problems)")
        #expect(m.problems.allSatisfy { $0.message.hasPrefix("`syntax-error`") })
        let names = Set(PythonSemanticModel(module: m).calls.map(\.calleeText))
        for c in laterCalls { #expect(names.contains(c), "\(c) missing in \(names)") }
    }

    @Test func encodingProblems() {
        #expect(PythonParser.parse([UInt8]("x = 1\n".utf8) + [0x79, 0x3D, 0xF6, 0x0A]).problems.first?.range.start.line == 2)
        #expect(PythonParser.parse([0xEF, 0xBB, 0xBF] + [UInt8]("#coding: latin-1\nx = 1\n".utf8)).problems.count == 1)
        #expect(PythonParser.parse([UInt8]("# -*- coding: latin-1 -*-\nx = '".utf8) + [0xF6, 0x27, 0x0A]).problems.isEmpty)
        #expect(PythonParser.parse("# vim: set fileencoding=utf-8 :\nx = 1\n").declaredEncoding == "utf-8")
        #expect(PythonParser.parse("x = 00 + 0_0 + 0.5 + 0e1 + 0j + 007.5\n").problems.isEmpty)
    }

    @Test func decoratedDefStartsAtDef() {
        let m = PythonParser.parse("@dec\n@other(1)\nasync def f():\n    pass\n")
        defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
        #expect(m.body.first?.range.start == SourceLocation(line: 3, column: 1))
    }

    @Test func callRangeStartsAtParenthesisedCallee() {
        #expect(Self.calls("(f)(x)\n") == ["1:1-1:7 f"])
        #expect(Self.calls("a.b(c)(d)\n").sorted() == ["1:1-1:10 a.b(c)", "1:1-1:7 a.b"])
        #expect(Self.calls("sum(x for x in y)\n") == ["1:1-1:18 sum"])
    }

    @Test func deepNestingIsBounded() {
        for depth in [50, 200, 5000] {
            let src = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth) + "\nok()\n"
            let m = PythonParser.parse(src)
            defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
            if depth > PythonParser.maxDepth { #expect(!m.problems.isEmpty) }
            #expect(PythonSemanticModel(module: m).calls.contains { $0.calleeText == "ok" })
        }
        let blocks = (0..<300).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 300) + "pass\n"
        _ = PythonParser.parse(blocks)
        _ = PythonParser.parse(String(repeating: "-", count: 10000) + "x\n")
        _ = PythonParser.parse(String(repeating: "[", count: 10000))
        _ = PythonParser.parse(String(repeating: "f'{", count: 3000))
        _ = PythonParser.parse(String(repeating: "not ", count: 10000) + "x\n")
        _ = PythonParser.parse(String(repeating: "lambda: ", count: 10000) + "x\n")
        _ = PythonParser.parse("x = " + String(repeating: "a if b else ", count: 5000) + "c\n")
        _ = PythonParser.parse("x = " + String(repeating: "a ** ", count: 5000) + "c\n")
        _ = PythonParser.parse("x = " + String(repeating: "await ", count: 5000) + "c\n")
        _ = PythonParser.parse("x = " + String(repeating: "a.b(", count: 5000) + "\n")
    }

    /// Random truncations and byte mutations of the corpus: never crash, never hang.
    @Test func fuzzCorpusMutations() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/python/corpus/hand")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".py") }.sorted()
        #expect(files.count >= 10)
        var rng = SeededGenerator(seed: 42)
        let alphabet: [UInt8] = Array("()[]{}:'\"\\\n\t =#f@*,.".utf8) + [0xC3, 0xA9, 0x0C, 0x0D, 0x00]
        let start = Date()
        var runs = 0
        for f in files {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(f)))
            for _ in 0..<60 {
                var b = bytes
                switch rng.next() % 4 {
                case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
                case 1: for _ in 0..<(1 + rng.next() % 5) where !b.isEmpty { b[Int(rng.next() % UInt64(b.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                case 2: for _ in 0..<(1 + rng.next() % 5) { b.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: Int(rng.next() % UInt64(b.count + 1))) }
                default: if b.count > 2 { let i = Int(rng.next() % UInt64(b.count - 1)); b.remove(at: i); b.remove(at: i) }
                }
                let m = PythonParser.parse(b)
                defer { withExtendedLifetime(m) {} }  // its tree: the nodes read below
                _ = PythonSemanticModel(module: m)
                for p in m.problems { #expect(p.range.start.line >= 1 && p.range.start.column >= 1) }
                runs += 1
            }
        }
        #expect(runs >= 600)
        #expect(Date().timeIntervalSince(start) < 60)
    }
}

