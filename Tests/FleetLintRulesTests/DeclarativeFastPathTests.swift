import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
@testable import FleetLintRules

/// The per-line answer the whole-file keyword search must reproduce: the non-empty lines whose text
/// holds a keyword (`containsLowercased`).
private func linesOneByOne(_ bytes: [UInt8], _ keywords: [[UInt8]]) -> [Int] {
    let index = LineIndex(bytes)
    return bytes.withUnsafeBufferPointer { buf in
        (1...max(1, index.lineCount)).filter { line in
            let r = index.byteRange(ofLine: line, in: buf)
            if r.isEmpty { return false }
            let slice = UnsafeBufferPointer(rebasing: buf[r])
            return keywords.contains { RegexMatcher.containsLowercased(slice, $0) }
        }
    }
}

private func linesAtOnce(_ bytes: [UInt8], _ keywords: [[UInt8]]) -> [Int]? {
    let index = LineIndex(bytes)
    return bytes.withUnsafeBufferPointer { RegexMatcher.keywordLines($0, keywords: keywords, lineIndex: { index }) }
}

@Suite("Declarative rules' per-file fast paths")
struct DeclarativeFastPathTests {
    @Test("the whole-file keyword search finds the lines the per-line search finds")
    func keywordLinesMatchPerLine() {
        let files = [
            "print(x)\nPRINT(y)\n  Print(z)\nprin\nt(\n",
            "a = 1\r\nprint(a)\rprint(b)\r\n\r\nxprint(print(\n",
            "print(", "", "\n\n\n", "pri\nnt(", "todo: fix\nTODO fix\nno\n# todo(x) todo(y)\n",
            "caf\u{E9} print(\u{2028}x)\nprint(\u{E9})",
        ]
        let keywordSets: [[String]] = [["print("], ["todo"], ["print(", "todo"], ["t("], ["("], ["print(", "print("], ["zzz"]]
        for file in files {
            let bytes = Array(file.utf8)
            for set in keywordSets {
                let keywords = set.map { Array($0.utf8) }
                #expect(linesAtOnce(bytes, keywords) == linesOneByOne(bytes, keywords), "\(set) in \(file.debugDescription)")
            }
        }
    }

    @Test("random buffers: the whole-file search agrees with the per-line one")
    func keywordLinesRandom() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAbB(\n\r x".utf8)
        let keywordSets: [[[UInt8]]] = [[Array("ab".utf8)], [Array("a(".utf8)], [Array("(".utf8), Array("ba".utf8)], [Array("b".utf8)]]
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            for keywords in keywordSets {
                #expect(linesAtOnce(bytes, keywords) == linesOneByOne(bytes, keywords), "\(keywords) in \(bytes)")
            }
        }
    }

    @Test("keywords the whole-file search cannot answer for go line by line")
    func keywordLinesFallBack() {
        let bytes = Array("a\nb\n".utf8)
        #expect(linesAtOnce(bytes, []) == nil)
        #expect(linesAtOnce(bytes, [[]]) == nil)
        #expect(linesAtOnce(bytes, [Array("a\nb".utf8)]) == nil)
        #expect(linesAtOnce(bytes, [Array("a\r".utf8)]) == nil)
        // An uppercase keyword byte never equals a lowered byte, in both searches.
        #expect(linesAtOnce(Array("PRINT(\nprint(\n".utf8), [Array("Print(".utf8)]) == [])
        #expect(linesOneByOne(Array("PRINT(\nprint(\n".utf8), [Array("Print(".utf8)]) == [])
    }

    @Test("a file without a keyword hit is answered without its line index")
    func noHitNoLineIndex() {
        var made = 0
        let bytes = Array("import os\nos.getcwd()\n".utf8)
        let lines = bytes.withUnsafeBufferPointer { buf in
            RegexMatcher.keywordLines(buf, keywords: [Array("print(".utf8)], lineIndex: { made += 1; return LineIndex(bytes) })
        }
        #expect(lines == [])
        #expect(made == 0)
    }

    @Test("a placeholder is replaced as Foundation replaces it", arguments: [
        ("`{callee}` is called without `timeout=`", "{callee}", "requests.get"),
        ("{callee}{callee} and {callee", "{callee}", "x"),
        ("no placeholder here", "{match}", "y"),
        ("{match}", "{match}", ""),
        ("{match} at the end {match}", "{match}", "caf\u{E9} {match}"),
        ("caf\u{E9} {match}", "{match}", "v"),
        ("e\u{301}{match}", "{match}", "v"),
    ])
    func placeholderReplacement(_ text: String, _ placeholder: String, _ value: String) {
        #expect(DeclarativeRule.replacing(placeholder, with: value, in: text) == text.replacingOccurrences(of: placeholder, with: value))
    }
}
