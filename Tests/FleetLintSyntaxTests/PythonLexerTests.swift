import Testing
import TestSupport
@testable import FleetLintSyntax

struct PythonLexerTests {
    /// `PyPositionMap` (memchr for line starts, per-line ASCII flags) against a byte-by-byte reference: every offset of
    /// random buffers mixing LF, CR, CRLF, a BOM and multi-byte UTF-8 maps to the same line and column.
    @Test func positionMapMatchesAByteByByteReference() {
        var rng = SeededGenerator(seed: 11)
        let pieces: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A], [0x61], [0x20], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0x23], [0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A]]
        for round in 0..<400 {
            var b: [UInt8] = round % 5 == 0 ? [0xEF, 0xBB, 0xBF] : []
            let parts = Int(rng.next() % 60)
            for _ in 0..<parts {
                let p = pieces[Int(rng.next() % UInt64(pieces.count))]
                // Mostly ASCII lines, so both the all-ASCII and the per-line paths run.
                if p.first! >= 0x80, round % 3 != 0 { b += [0x78] } else { b += p }
            }
            // Reference: lines end at LF, CRLF or a lone CR; a column counts scalars from the line start.
            let bom = b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
            var starts = [bom]
            var i = bom
            while i < b.count {
                if b[i] == 0x0A { starts.append(i + 1) } else if b[i] == 0x0D {
                    if i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
            b.withUnsafeBufferPointer { buf in
                let map = PyPositionMap(buf)
                #expect(map.lineStarts == starts, "round \(round)")
                #expect(map.isASCII == !b[bom...].contains { $0 >= 0x80 })
                for off in 0...b.count {
                    var line = 0
                    while line + 1 < starts.count, starts[line + 1] <= off { line += 1 }
                    var col = 1
                    var k = starts[line]
                    while k < min(off, b.count) { if b[k] & 0xC0 != 0x80 { col += 1 }; k += 1 }
                    if off <= starts[line] { col = 1 }
                    let got = map.location(of: off, in: buf)
                    if got.line != line + 1 || got.column != col {
                        Issue.record("round \(round) offset \(off): \(got) != \(line + 1):\(col)")
                        return
                    }
                }
            }
        }
    }

    static func lex(_ s: String) -> PyLexResult {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { buf in PyLexer.tokenize(buf, map: PyPositionMap(buf)) }
    }
    static func kinds(_ s: String) -> [PyTokenKind] { lex(s).tokens.map(\.kind) }

    @Test(arguments: [
        ("x = 1\n", [PyTokenKind.name, .equal, .number, .newline, .endMarker]),
        ("if a:\n    b\n", [.kwIf, .name, .colon, .newline, .indent, .name, .newline, .dedent, .endMarker]),
        ("if a:\n\tb\n        c\n", [.kwIf, .name, .colon, .newline, .indent, .name, .newline, .name, .newline, .dedent, .endMarker]),
        ("f(a,\n  b)\n", [.name, .lpar, .name, .comma, .name, .rpar, .newline, .endMarker]),
        ("x = 1 + \\\n  2\n", [.name, .equal, .number, .plus, .number, .newline, .endMarker]),
        ("# only comment\n\nx\n", [.name, .newline, .endMarker]),
        ("a **= b // c -> d := e ... @ f != g\n", [.name, .doubleStarEqual, .name, .doubleSlash, .name, .rarrow, .name, .colonEqual, .name, .ellipsis, .at, .name, .notEqual, .name, .newline, .endMarker]),
        ("async def f(): await x\n", [.kwAsync, .kwDef, .name, .lpar, .rpar, .colon, .kwAwait, .name, .newline, .endMarker]),
        ("match x:\n", [.name, .name, .colon, .newline, .endMarker]),
        ("x = 1\n\u{0C}y = 2\n", [.name, .equal, .number, .newline, .name, .equal, .number, .newline, .endMarker]),
    ])
    func tokenKinds(_ input: String, _ expected: [PyTokenKind]) {
        #expect(Self.kinds(input) == expected)
    }

    @Test(arguments: ["'a'", "\"a\"", "r'a'", "b'a'", "u'a'", "f'a'", "rb'a'", "br'a'", "fr'a'", "rf'a'", "Rb'a'", "bR'a'", "FR'a'",
                      "'''a\n'b'\n'''", "\"\"\"x\"\"\"", "'it\\'s'", "r'\\\\'", "f'{x}'", "f\"{x['k']}\"", "f\"{x[\"k\"]}\"",
                      "f'{a:{b}}'", "f'{{}}'", "f'''{\n x }'''", "f'{f\"{g(\"a\")}\"}'", "rf'\\{{x}}'", "f'\\N{BULLET}'"])
    func stringIsOneToken(_ literal: String) {
        let t = Self.lex(literal + "\n").tokens
        #expect(t.count == 3, "\(t.map(\.kind))")
        #expect(t.first.map { $0.kind == .string || $0.kind == .fstring } == true)
        #expect(t.first?.end == literal.utf8.count)
    }

    @Test(arguments: ["1", "1_000", "0x_FF", "0o17", "0b1010", "1.5", "1.5e-3", "1e10", ".5", "5.", "2j", "1.5J", "1_0.0_1e+1_0"])
    func numberIsOneToken(_ literal: String) {
        let t = Self.lex(literal + "\n").tokens
        #expect(t.map(\.kind) == [.number, .newline, .endMarker])
        #expect(t[0].end == literal.utf8.count)
    }

    @Test func columnsAreUnicodeScalars() {
        let t = Self.lex("s = \"é😀\"; f(x)\n").tokens
        let f = t.first { $0.kind == .name && $0.range.start.column > 5 }
        #expect(f?.range.start == SourceLocation(line: 1, column: 11))
    }

    @Test func bomIsIgnoredForColumns() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x = f()\n".utf8)
        let r = bytes.withUnsafeBufferPointer { PyLexer.tokenize($0, map: PyPositionMap($0)) }
        #expect(r.tokens[0].range.start == SourceLocation(line: 1, column: 1))
        #expect(r.tokens[2].range.start == SourceLocation(line: 1, column: 5))
    }

    @Test func commentsAreKept() {
        let r = Self.lex("x = 1  # noqa: E501\n# top\n")
        #expect(r.comments.count == 2)
        #expect(r.comments[0].range.start == SourceLocation(line: 1, column: 8))
    }

    /// Matches CPython: tabs go to the next multiple of 8, and a line whose indentation equals another only under one
    /// of the tab sizes (8 vs 1) is a TabError.
    @Test(arguments: [
        ("if a:\n\tb\n\tc\n", nil),
        ("if a:\n        b\n        c\n", nil),
        ("if a:\n  \tb\n  \tc\n", nil),
        ("if a:\n\tb\n        c\n", "inconsistent use of tabs"),
        ("if a:\n    \tb\n\tc\n", "inconsistent use of tabs"),
        ("if a:\n        b\n    c\n", "unindent does not match"),
    ] as [(String, String?)])
    func indentation(_ input: String, _ problem: String?) {
        let r = Self.lex(input)
        if let problem {
            #expect(r.problems.contains { $0.message.contains(problem) && $0.range.start.line == 3 }, "\(r.problems)")
        } else {
            #expect(r.problems.isEmpty)
        }
    }

    @Test func unterminatedStringsAreProblems() {
        #expect(Self.lex("x = 'abc\ny = 1\n").problems.first?.range.start.line == 1)
        #expect(Self.lex("x = 1\ny = \"\"\"abc\n\n").problems.first?.message.contains("triple-quoted") == true)
    }

    @Test func runawayBracketIsClosedAtStatementKeyword() {
        let r = Self.lex("x = foo(1,\ndef g():\n    pass\n")
        #expect(r.problems.contains { $0.message.contains("was never closed") && $0.range.start.line == 1 })
        #expect(r.tokens.contains { $0.kind == .indent })
    }

    @Test func crlfAndCRLineEndings() {
        #expect(Self.kinds("a\r\nb\rc\n") == [.name, .newline, .name, .newline, .name, .newline, .endMarker])
        #expect(Self.lex("a\r\nb\n").tokens[2].range.start == SourceLocation(line: 2, column: 1))
    }
}

/// `PyLexer.scanString` skips eight bytes at a time past those that mean nothing in a literal's body: it must end
/// every literal where a byte-by-byte scan ends it.
@Suite("string literal scan")
struct StringScanTests {
    /// The scan as it was, one byte at a time, with the field scan as it was (so that strings nested in f-string fields
    /// are scanned byte by byte too).
    static func reference(_ b: UnsafeBufferPointer<UInt8>, from q: Int, limit: Int, isF: Bool, raw: Bool, fields: inout [Range<Int>]?,
                          level: Int = 0, tooDeep: inout Bool) -> (Int, Bool) {
        if level > PyLexer.maxFStringNesting { tooDeep = true; return (limit, false) }
        let quote = b[q]
        var i = q + 1
        let triple = i + 1 < limit && b[i] == quote && b[i + 1] == quote
        if triple { i += 2 }
        while i < limit {
            let c = b[i]
            if c == 0x5C {
                if isF, i + 1 < limit {
                    let n = b[i + 1]
                    if n == 0x7B || n == 0x7D { i += 1; continue }
                    if !raw, n == 0x4E, i + 2 < limit, b[i + 2] == 0x7B {
                        i += 3
                        while i < limit, b[i] != 0x7D, b[i] != quote, b[i] != 0x0A { i += 1 }
                        if i < limit, b[i] == 0x7D { i += 1 }
                        continue
                    }
                }
                i += 2; continue
            }
            if c == quote {
                if !triple { return (i + 1, true) }
                if i + 2 < limit, b[i + 1] == quote, b[i + 2] == quote { return (i + 3, true) }
                i += 1; continue
            }
            if (c == 0x0A || c == 0x0D) && !triple { return (i, false) }
            if isF && c == 0x7B {
                if i + 1 < limit, b[i + 1] == 0x7B { i += 2; continue }
                i = referenceField(b, from: i + 1, limit: limit, fields: &fields, level: level + 1, tooDeep: &tooDeep)
                if tooDeep { return (limit, false) }
                continue
            }
            i += 1
        }
        return (limit, false)
    }

    static func referenceField(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int, fields: inout [Range<Int>]?, level: Int,
                               tooDeep: inout Bool) -> Int {
        if level > PyLexer.maxFStringNesting { tooDeep = true; return limit }
        var i = start, depth = 0, exprEnd = -1
        while i < limit {
            switch b[i] {
            case 0x28, 0x5B, 0x7B: depth += 1; i += 1
            case 0x29, 0x5D: depth -= 1; i += 1
            case 0x7D:
                if depth == 0 {
                    if exprEnd < 0 { exprEnd = i }
                    if fields != nil { fields!.append(start..<exprEnd) } else { fields = [start..<exprEnd] }
                    return i + 1
                }
                depth -= 1; i += 1
            case 0x22, 0x27:
                var j = i - 1
                var nestedF = false, nestedRaw = false
                while j >= start, (b[j] | 0x20) == 0x66 || (b[j] | 0x20) == 0x72 || (b[j] | 0x20) == 0x62 || (b[j] | 0x20) == 0x75 {
                    if b[j] | 0x20 == 0x66 { nestedF = true }
                    if b[j] | 0x20 == 0x72 { nestedRaw = true }
                    j -= 1
                }
                if j >= start, (b[j] >= 0x30 && b[j] <= 0x39) || (b[j] >= 0x41 && b[j] <= 0x5A) || (b[j] >= 0x61 && b[j] <= 0x7A) || b[j] == 0x5F { nestedF = false }
                var ignored: [Range<Int>]? = nil
                let (e, _) = reference(b, from: i, limit: limit, isF: nestedF, raw: nestedRaw, fields: &ignored, level: level, tooDeep: &tooDeep)
                if tooDeep { return limit }
                i = e
            case 0x21:
                if depth == 0, i + 1 < limit, b[i + 1] != 0x3D, exprEnd < 0 { exprEnd = i }
                i += 1
            case 0x3A:
                if depth == 0 {
                    if exprEnd < 0 { exprEnd = i }
                    i += 1
                    while i < limit {
                        let d = b[i]
                        if d == 0x7B {
                            i = referenceField(b, from: i + 1, limit: limit, fields: &fields, level: level + 1, tooDeep: &tooDeep)
                            if tooDeep { return limit }
                            continue
                        }
                        if d == 0x7D {
                            if fields != nil { fields!.append(start..<exprEnd) } else { fields = [start..<exprEnd] }
                            return i + 1
                        }
                        if d == 0x5C { i += 2; continue }
                        if d == 0x22 || d == 0x27 || d == 0x0A { break }
                        i += 1
                    }
                    return i
                }
                i += 1
            case 0x23:
                while i < limit, b[i] != 0x0A { i += 1 }
            default:
                i += 1
            }
        }
        return limit
    }

    @Test func bytesEqualFindsExactlyTheEqualBytes() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<20_000 {
            // Bytes drawn mostly near the tested value, so that equal and off-by-one bytes (and carries) are common.
            let c = UInt8(truncatingIfNeeded: rng.next())
            var w: UInt64 = 0
            for k in 0..<8 {
                let r = rng.next()
                let byte: UInt8 = r % 3 == 0 ? c : r % 3 == 1 ? c &+ UInt8(truncatingIfNeeded: r >> 8) % 3 &- 1 : UInt8(truncatingIfNeeded: r >> 16)
                w |= UInt64(byte) << (8 * k)
            }
            var expected: UInt64 = 0
            for k in 0..<8 where UInt8(truncatingIfNeeded: w >> (8 * k)) == c { expected |= 0x80 << (8 * k) }
            #expect(PyLexer.bytesEqual(w, c) == expected, "w=\(String(w, radix: 16)) c=\(c)")
        }
    }

    @Test func endsEveryLiteralWhereTheByteByByteScanDoes() {
        var rng = SeededGenerator(seed: 22)
        let pieces: [[UInt8]] = [
            Array("abcdefgh".utf8), [0x61], [0x20], [0x22], [0x27], [0x5C], [0x5C, 0x22], [0x5C, 0x27], [0x5C, 0x5C], [0x0A], [0x0D],
            [0x7B], [0x7D], [0x7B, 0x7B], [0x7D, 0x7D], [0x5C, 0x4E, 0x7B], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], Array("x}".utf8),
            Array("{f'a{b}c'}".utf8), Array(#"{"s\"q"}"#.utf8), Array("{x:>{w}}".utf8), Array("{a!r}".utf8), Array("{'''t'''}".utf8), Array("abcdefghijklmnopq".utf8),
        ]
        for round in 0..<6_000 {
            let quote: UInt8 = round % 2 == 0 ? 0x22 : 0x27
            let triple = round % 3 == 0
            let isF = round % 4 < 2, raw = round % 5 == 0
            var b: [UInt8] = Array(repeating: quote, count: triple ? 3 : 1)
            for _ in 0..<Int(rng.next() % 40) { b += pieces[Int(rng.next() % UInt64(pieces.count))] }
            if rng.next() % 2 == 0 { b += Array(repeating: quote, count: triple ? 3 : 1) + Array("tail".utf8) }
            b.withUnsafeBufferPointer { buf in
                var f1: [Range<Int>]? = nil, f2: [Range<Int>]? = nil
                let got = PyLexer.scanString(buf, from: 0, limit: buf.count, isF: isF, raw: raw, fields: &f1)
                var tooDeep = false
                let want = Self.reference(buf, from: 0, limit: buf.count, isF: isF, raw: raw, fields: &f2, tooDeep: &tooDeep)
                #expect(got == want, "\(Array(b)) isF=\(isF) raw=\(raw)")
                #expect(f1 == f2)
            }
        }
    }
}
