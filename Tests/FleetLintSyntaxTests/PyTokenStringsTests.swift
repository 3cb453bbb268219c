import Testing
@testable import FleetLintSyntax

/// The parser's shared token strings, and the trees built without per-use strings (names, dotted names, literals,
/// parameter and alias lists built on scratch stacks).
struct PyTokenStringsTests {
    static func string(_ table: PyTokenStrings, _ bytes: [UInt8], _ r: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { table.string($0, r.lowerBound, r.upperBound) }
    }

    @Test("a spelling read twice is the same string, and equals a fresh decoding")
    func sameSpelling() {
        let bytes = Array("logger = logger; loggerX".utf8)
        let t = PyTokenStrings()
        #expect(Self.string(t, bytes, 0..<6) == "logger")
        #expect(Self.string(t, bytes, 9..<15) == "logger")
        #expect(Self.string(t, bytes, 17..<24) == "loggerX")
        #expect(Self.string(t, bytes, 17..<23) == "logger")
        #expect(Self.string(t, bytes, 0..<0) == "")
    }

    @Test("many distinct spellings survive the table growing; long and invalid UTF-8 ones decode as String(decoding:)")
    func growthAndRepairs() {
        var text = ""
        for i in 0..<2_000 { text += "name_\(i)_with_a_long_enough_suffix_\(i % 7) " }
        var bytes = Array(text.utf8)
        let longStart = bytes.count
        bytes += Array(String(repeating: "z", count: 100).utf8)
        let badStart = bytes.count
        bytes += [0x61, 0xFF, 0x62, 0xC3, 0xA9]
        let t = PyTokenStrings(capacity: 4)
        for round in 0..<2 {
            var i = 0, k = 0
            while i < longStart {
                var j = i
                while bytes[j] != 0x20 { j += 1 }
                #expect(Self.string(t, bytes, i..<j) == "name_\(k)_with_a_long_enough_suffix_\(k % 7)", "round \(round)")
                i = j + 1; k += 1
            }
        }
        #expect(Self.string(t, bytes, longStart..<badStart) == String(repeating: "z", count: 100))
        let bad = Self.string(t, bytes, badStart..<bytes.count)
        #expect(bad == String(decoding: bytes[badStart...], as: UTF8.self))
        #expect(Self.string(t, bytes, badStart..<bytes.count) == bad)
    }

    @Test("string and bytes literals give their raw source on demand, the node's text")
    func literals() throws {
        let m = PythonParser.parse("a = 'x' \"y\"\nb = rb'\\x00' B\"z\"\nc = 12_000\n")
        #expect(m.problems.isEmpty)
        var values: [PyExpr] = []
        for s in m.body { if case .assign(_, let v) = s.kind { values.append(v) } }
        try #require(values.count == 3)
        guard case .constant(.string(let s)) = values[0].kind, case .constant(.bytes(let b)) = values[1].kind,
              case .constant(.number(let n)) = values[2].kind else { Issue.record("kinds: \(values.map(\.kind))"); return }
        #expect(s.raw == "'x' \"y\"" && m.text(of: values[0]) == s.raw)
        #expect(b.raw == "rb'\\x00' B\"z\"" && m.text(of: values[1]) == b.raw)
        #expect(n == "12_000")
    }

    @Test("dotted module names, written with or without spaces")
    func dottedNames() {
        let m = PythonParser.parse("import a.b.c as d, e\nimport a . b\nfrom x.y import (p as q, r)\nfrom .. z . w import t\nfrom . import u\n")
        #expect(m.problems.isEmpty, "\(m.problems)")
        var out: [String] = []
        for s in m.body {
            switch s.kind {
            case .import(let names): out.append(names.map { "\($0.name)>\($0.asName ?? "-")" }.joined(separator: ","))
            case .importFrom(let mod, let names, let level):
                out.append("\(level)\(mod ?? "-"):" + names.map { "\($0.name)>\($0.asName ?? "-")" }.joined(separator: ","))
            default: out.append("?")
            }
        }
        #expect(out == ["a.b.c>d,e>-", "a.b>-", "0x.y:p>q,r>-", "2z.w:t>-", "1-:u>-"])
    }

    @Test("parameter lists: positional-only, ordinary, keyword-only, with lambdas in defaults")
    func parameters() throws {
        let src = "def f(a, b=lambda x, *y, z: x, /, c=1, *args, d, e=lambda: 0, **kw): pass\ndef g(*, k): pass\ndef h(p, q): pass\n"
        let m = PythonParser.parse(src)
        #expect(m.problems.isEmpty, "\(m.problems)")
        var defs: [PyFunctionDef] = []
        for s in m.body { if case .functionDef(let d) = s.kind { defs.append(d) } }
        try #require(defs.count == 3)
        let f = defs[0].args
        #expect(f.posOnly.map(\.name) == ["a", "b"])
        #expect(f.args.map(\.name) == ["c"])
        #expect(f.vararg?.name == "args")
        #expect(f.kwOnly.map(\.name) == ["d", "e"])
        #expect(f.kwarg?.name == "kw")
        guard case .lambda(let la, _)? = f.posOnly[1].defaultValue?.kind else { Issue.record("no lambda"); return }
        #expect(la.args.map(\.name) == ["x"])
        #expect(la.vararg?.name == "y")
        #expect(la.kwOnly.map(\.name) == ["z"])
        #expect(defs[1].args.args.isEmpty && defs[1].args.kwOnly.map(\.name) == ["k"])
        #expect(defs[2].args.args.map(\.name) == ["p", "q"] && defs[2].args.kwOnly.isEmpty)
    }

    @Test("a bad parameter list is still a syntax error, and the parse goes on")
    func badParameters() {
        let m = PythonParser.parse("def f(a=1, b): pass\ndef g(/, a): pass\ndef h(x): return x\n")
        #expect(m.problems.map(\.message) == ["`syntax-error`: non-default argument follows default argument",
                                               "`syntax-error`: invalid syntax, invalid '/' in parameters"], "\(m.problems)")
        #expect(m.body.count == 1)  // the two bad definitions are dropped
        if case .functionDef(let h) = m.body.last?.kind { #expect(h.args.args.map(\.name) == ["x"]) } else { Issue.record("no h") }
    }
}

/// The token-string tables outlive a parse (a pool): a spelling is keyed by its bytes, never by where it lies in a
/// file, so a table that served one file answers for another.
struct PyTokenStringsPoolTests {
    @Test("a table used for one buffer gives the right strings for another: short, two-word and long spellings")
    func acrossBuffers() {
        let t = PyTokenStrings(capacity: 4)
        // Same length and same first and last 8 bytes, middles differ (over 16 bytes: compared byte by byte).
        let first = Array("logger abcdefgh_MIDDLE1_ijklmnop get_settings 12_000 abcdefghXjklmnop".utf8)
        let second = Array("x = 1; abcdefgh_MIDDLE2_ijklmnop logger get_settingz abcdefghYjklmnop 12_000".utf8)
        func words(_ b: [UInt8]) -> [(Range<Int>, String)] {
            var out: [(Range<Int>, String)] = [], i = 0
            while i < b.count {
                while i < b.count, b[i] == 0x20 { i += 1 }
                var j = i
                while j < b.count, b[j] != 0x20 { j += 1 }
                if j > i { out.append((i..<j, String(decoding: b[i..<j], as: UTF8.self))) }
                i = j
            }
            return out
        }
        for round in 0..<2 {
            for bytes in [first, second] {
                for (r, text) in words(bytes) {
                    #expect(PyTokenStringsTests.string(t, bytes, r) == text, "round \(round): \(text)")
                }
            }
        }
    }

    @Test("parses that share pooled tables give the trees of fresh ones")
    func pooledParses() {
        let a = PythonParser.parse("import requests_session_factory as f\nvalue = f.build(timeout_in_seconds=5)\n")
        let b = PythonParser.parse("import requests_session_factorz as g\nvalue = g.build(timeout_in_secondz=5)\n")
        func names(_ m: PyModule) -> [String] {
            var out: [String] = []
            for s in m.body {
                switch s.kind {
                case .import(let aliases): out += aliases.map { "\($0.name) as \($0.asName ?? "-")" }
                case .assign(let targets, let v):
                    for t in targets { if case .name(let n) = t.kind { out.append(n) } }
                    if case .call(let fn, _, let kws) = v.kind {
                        if case .attribute(let base, let attr) = fn.kind, case .name(let n) = base.kind { out.append("\(n).\(attr)") }
                        out += kws.compactMap(\.name)
                    }
                default: break
                }
            }
            return out
        }
        #expect(names(a) == ["requests_session_factory as f", "value", "f.build", "timeout_in_seconds"])
        #expect(names(b) == ["requests_session_factorz as g", "value", "g.build", "timeout_in_secondz"])
    }
}
