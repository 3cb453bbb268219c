import FleetLintSyntax
import Testing
import TestSupport
@testable import FleetLintRules


struct SparseLinesTests {
    /// Random buffers of LF, CRLF, lone CR, runs of breaks, non-ASCII bytes and text.
    private static func buffer(_ rng: inout SeededGenerator) -> [UInt8] {
        let pieces: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0D, 0x0D], [0x0A, 0x0D], Array("ab".utf8), Array("x y".utf8), [0xC3, 0xA9], Array("token".utf8)]
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: 0..<60, using: &rng) { out += pieces.randomElement(using: &rng)! }
        return out
    }

    @Test("line numbers, next line starts and line ranges equal LineIndex's on random LF/CRLF/CR buffers")
    func agreesWithLineIndex() {
        var rng = SeededGenerator(state: 42)
        for trial in 0..<500 {
            let bytes = Self.buffer(&rng)
            bytes.withUnsafeBufferPointer { buf in
                let index = LineIndex(buf)
                var lines = SparseLines(buf)
                // Increasing offsets (the hit pass), then every line by number, then random lines (allowlist look-behind).
                for offset in 0..<bytes.count where Int.random(in: 0..<3, using: &rng) == 0 {
                    let (line, next) = lines.locate(offset)
                    #expect(line == index.line(ofByteOffset: offset), "trial \(trial) offset \(offset)")
                    #expect(next == (line < index.lineCount ? index.lineStarts[line] : nil), "trial \(trial) offset \(offset)")
                }
                for line in 0...(index.lineCount + 2) {
                    #expect(lines.byteRange(ofLine: line) == index.byteRange(ofLine: line, in: buf), "trial \(trial) line \(line)")
                }
                var fresh = SparseLines(buf)
                for _ in 0..<5 {
                    let line = Int.random(in: 0...(index.lineCount + 1), using: &rng)
                    #expect(fresh.byteRange(ofLine: line) == index.byteRange(ofLine: line, in: buf), "trial \(trial) line \(line)")
                }
            }
        }
    }

    @Test("newlines counted sixteen bytes at a time past 255 blocks (a lane's byte count would wrap), at any alignment")
    func longRunsOfLines() {
        for lineLength in [1, 2, 17, 40] {
            let line = [UInt8](repeating: 0x61, count: lineLength - 1) + [0x0A]
            let bytes = [UInt8]((0..<20_000).flatMap { _ in line })
            bytes.withUnsafeBufferPointer { buf in
                for start in [0, 1, 7, 15] where start < buf.count {
                    let count = buf.count - start
                    let expected = buf[start...].filter { $0 == 0x0A }.count
                    #expect(SparseLines.newlines(buf.baseAddress! + start, count: count) == expected, "lines of \(lineLength), from \(start)")
                }
                var lines = SparseLines(buf)
                let last = buf.count - 1
                #expect(lines.locate(last).line == 20_000, "lines of \(lineLength)")
            }
        }
    }

    @Test("on LF-only buffers (the counting path) line numbers and next starts equal LineIndex's")
    func lfOnlyAgreesWithLineIndex() {
        var rng = SeededGenerator(state: 7)
        let pieces: [[UInt8]] = [[0x0A], [0x0A, 0x0A], Array("ab".utf8), Array("x y".utf8), [0xC3, 0xA9], Array("token".utf8)]
        for trial in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<400, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            bytes.withUnsafeBufferPointer { buf in
                let index = LineIndex(buf)
                var lines = SparseLines(buf)
                let step = Int.random(in: 1..<40, using: &rng)
                for offset in stride(from: Int.random(in: 0..<step, using: &rng), to: bytes.count + 2, by: step) {
                    let (line, next) = lines.locate(offset)
                    guard offset < bytes.count else { continue }
                    #expect(line == index.line(ofByteOffset: offset), "trial \(trial) offset \(offset)")
                    #expect(next == (line < index.lineCount ? index.lineStarts[line] : nil), "trial \(trial) offset \(offset)")
                }
                for line in 0...(index.lineCount + 2) {
                    #expect(lines.byteRange(ofLine: line) == index.byteRange(ofLine: line, in: buf), "trial \(trial) line \(line)")
                }
            }
        }
    }

    @Test("on long LF-only buffers, far-apart offsets (the lines between them counted in bulk) equal LineIndex's")
    func lfOnlyFarApart() {
        var rng = SeededGenerator(state: 0x5A5)
        for trial in 0..<60 {
            var bytes: [UInt8] = []
            let lineLength = [1, 5, 40, 300, 5000][trial % 5]
            while bytes.count < 20_000 {
                bytes += [UInt8](repeating: UInt8(ascii: "k"), count: Int.random(in: 0...lineLength, using: &rng))
                bytes += Bool.random(using: &rng) ? [0x0A] : [0x0A, 0x0A, 0xC3, 0xA9]
            }
            bytes.withUnsafeBufferPointer { buf in
                let index = LineIndex(buf)
                var lines = SparseLines(buf)
                var offset = Int.random(in: 0..<100, using: &rng)
                while offset < bytes.count {
                    let (line, next) = lines.locate(offset)
                    #expect(line == index.line(ofByteOffset: offset), "trial \(trial) offset \(offset)")
                    #expect(next == (line < index.lineCount ? index.lineStarts[line] : nil), "trial \(trial) offset \(offset)")
                    offset += Int.random(in: 1..<4000, using: &rng)
                }
            }
        }
    }

    @Test("a private key body is read over CRLF and lone-CR lines as over LF lines")
    func privateKeyBodyOverLineEndings() throws {
        let scanner = try SecretScanner()
        // Obviously fake: a header and a made-up base64 body.
        let body = (0..<4).map { _ in String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3", count: 1) + "Kz9x" }
        let header = "-----BEGIN RSA PRIVATE " + "KEY-----"
        var results: [[String]] = []
        for eol in ["\n", "\r\n", "\r"] {
            let text = "x = 1" + eol + header + eol + body.joined(separator: eol) + eol + "-----END RSA PRIVATE KEY-----" + eol + "token = \"abc\"" + eol
            let matches = scanner.scan(path: "keys/id_rsa", text: Array(text.utf8)).matches
            results.append(matches.map { "\($0.kindId)@\($0.line):\($0.range.start.column)" })
        }
        #expect(results[0] == ["private-key@2:1"])
        #expect(results[1] == results[0])
        #expect(results[2] == results[0])
    }
}
