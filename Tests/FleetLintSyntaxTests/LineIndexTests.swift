import Testing
import TestSupport
@testable import FleetLintSyntax

/// `LineIndex` (memchr line starts, word-at-a-time ASCII and continuation counts) against a naive
/// byte-by-byte model, on text mixing ASCII, multi-byte characters and all three line endings.
@Suite struct LineIndexTests {
    static func naive(_ bytes: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0, i = 0
        while i < offset {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 } else if bytes[i] == 0x0D {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                line += 1; lineStart = i + 1
            }
            i += 1
        }
        // Columns count scalars: every byte of the line before `offset` that is not a continuation byte.
        let column = bytes[lineStart..<max(lineStart, offset)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return (line, column)
    }

    @Test("positions agree with a byte-by-byte model", arguments: ["\n", "\r\n", "\r"])
    func agreesWithModel(_ newline: String) {
        let pieces = ["x = 1", "é", "→ arrow", "😀😀", "ascii only line of some length", "", "ü" + String(repeating: "a", count: 70) + "ö"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var text = ""
            for _ in 0..<40 { text += pieces.randomElement(using: &generator)! + newline }
            let bytes = Array(text.utf8)
            let index = LineIndex(bytes)
            var offset = 0
            while offset <= bytes.count {
                // Only offsets at scalar starts are asked for by the engine.
                // (Nor the `\n` of a `\r\n`, which belongs to neither line's text.)
                let insideCRLF = offset > 0 && offset < bytes.count && bytes[offset - 1] == 0x0D && bytes[offset] == 0x0A
                if !insideCRLF, offset == bytes.count || bytes[offset] & 0xC0 != 0x80 {
                    let got = index.location(ofByteOffset: offset, in: bytes)
                    let want = Self.naive(bytes, offset)
                    #expect(got.line == want.line && got.column == want.column, "offset \(offset) with \(newline.debugDescription)")
                }
                offset += 1
            }
        }
    }

    @Test("line starts (memchr) equal a byte-by-byte scan, from any offset, around lines of 0 to 1,000 bytes")
    func lineStartsAgreeWithScan() {
        var rng = SeededGenerator(seed: 0x11E5)
        let lengths = [0, 1, 2, 7, 8, 9, 15, 16, 17, 40, 63, 64, 65, 71, 72, 73, 200, 1_000]
        for trial in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<30, using: &rng) {
                let length = lengths.randomElement(using: &rng)!
                bytes += (0..<length).map { _ in [0x61, 0x20, 0xC3, 0xA9, 0x09, 0x0B].randomElement(using: &rng)! }
                bytes.append(0x0A)
            }
            if Bool.random(using: &rng) { bytes += [0x62, 0x63] }
            let from = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            var got: [Int] = [-1]
            bytes.withUnsafeBufferPointer { LineIndex.appendLineStarts($0, from: from, to: &got) }
            let want = [-1] + bytes.indices.filter { $0 >= from && bytes[$0] == 0x0A }.map { $0 + 1 }
            #expect(got == want, "trial \(trial), \(bytes.count) bytes from \(from)")
        }
    }

    @Test("UTF-8 validation finds the first invalid byte after long ASCII runs")
    func utf8Validation() {
        let ascii = Array(String(repeating: "abcdefgh", count: 5).utf8)
        #expect(SourceText.firstInvalidUTF8Offset(ascii) == nil)
        #expect(SourceText.firstInvalidUTF8Offset(ascii + Array("é".utf8) + ascii) == nil)
        #expect(SourceText.firstInvalidUTF8Offset(ascii + [0xC3]) == 40)
        #expect(SourceText.firstInvalidUTF8Offset(Array(ascii.prefix(13)) + [0xFF] + ascii) == 13)
        #expect(SourceText.firstInvalidUTF8Offset(Array(ascii.prefix(7)) + [0xE2, 0x28, 0xA1]) == 7)
    }

    @Test("lines split at LF with a CR before it dropped: CRLF, LF, a lone CR kept, a last line without a break")
    func lines() {
        #expect(SourceText.lines("a\r\nb\nc") == ["a", "b", "c"])
        #expect(SourceText.lines("a\r\n") == ["a", ""])
        #expect(SourceText.lines("") == [""])
        #expect(SourceText.lines("a\rb\r\n\r\n") == ["a\rb", "", ""])
        #expect(SourceText.lines("caf\u{E9}\r\ne\u{301}") == ["caf\u{E9}", "e\u{301}"])
    }
}
