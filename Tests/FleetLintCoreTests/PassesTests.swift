@testable import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

/// The passes' fast paths against the plain forms they replace (fingerprints must not change).
@Suite("Passes: line normalisation, fingerprints, line store")
struct PassesTests {
    static func randomLine(_ rng: inout SeededGenerator) -> String {
        let pieces = [" ", "\t", "  ", "a", "b=1", "requests.get(", "é", "\u{00A0}", "x\u{0301}", " \u{0301}", "\\", "#", "日本"]
        return (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    @Test("a line is normalised as splitting at spaces and tabs and joining with one space")
    func normalisation() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            let line = Self.randomLine(&rng)
            #expect(Passes.normalized(line) == line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "), "\(line.debugDescription)")
        }
        #expect(Passes.normalized("\t  a  \tb ") == "a b")
        #expect(Passes.normalized(" \t ") == "")
    }

    @Test("line starts are LineIndex's, with and without carriage returns", arguments: [0, 1, 2, 3])
    func lineStarts(seed: UInt64) {
        var rng = SeededGenerator(seed: 100 + seed)
        for _ in 0..<300 {
            let pieces = ["\n", "\n\n", "a", "abcdefghij", "é", "日本語", "\t", " "] + (seed == 3 ? ["\r", "\r\n"] : [])
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let fast = LineStarts(bytes), full = LineIndex(bytes)
            #expect(fast.lineStarts == full.lineStarts, "\(text.debugDescription)")
            bytes.withUnsafeBufferPointer { buf in
                for line in 0...(full.lineCount + 1) { #expect(fast.byteRange(ofLine: line, in: buf) == full.byteRange(ofLine: line, in: buf)) }
                for offset in 0..<bytes.count { #expect(fast.line(ofByteOffset: offset) == full.line(ofByteOffset: offset)) }
            }
        }
    }

    /// The fingerprint as first written (FNV-1a over the parts' UTF-8 and a 0x1F after each, `String(radix:)`).
    static func referenceFingerprint(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for b in Array(part.utf8) + [0x1F] { h ^= UInt64(b); h = h &* 0x0000_0100_0000_01B3 }
        }
        let s = String(h, radix: 16)
        return "fl1:" + String(repeating: "0", count: 16 - s.count) + s
    }

    @Test("fingerprints and hex digits are those of the plain form")
    func fingerprints() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let parts = (0..<4).map { _ in Self.randomLine(&rng) }
            #expect(StableHash.fingerprint(parts) == Self.referenceFingerprint(parts))
        }
        // A bridged (non-native) string takes the other path.
        let bridged = NSString(string: "requests.get(url)  # é") as String
        #expect(StableHash.fingerprint([bridged, "p"]) == Self.referenceFingerprint([bridged, "p"]))
        for v: UInt64 in [0, 1, 0xF, 0x10, 0xdead_beef, .max] {
            let s = String(v, radix: 16)
            #expect(StableHash.hex16(v) == String(repeating: "0", count: 16 - s.count) + s)
        }
    }

    @Test("a cold run reads no file again for its file rules' findings; project findings read each file once")
    func lineStoreReads() throws {
        let rule = TextFileRule.lineQuoting
        let linter = Linter(configuration: Configuration(), rules: [rule], parsers: [], secretFinder: NoSecrets())
        let files = [(path: "a.txt", contents: "one\ntwo  \tthree\n"), (path: "b.txt", contents: "x\ny\n"), (path: "c.txt", contents: "only the project\n")]
        let snapshot = MemorySnapshot(files: files)
        let run = linter.run(snapshot, rootDisplay: ".", reportOnly: nil, cache: nil)
        let findings = run.report.findings.array
        #expect(findings.map(\.path) == ["a.txt", "a.txt", "b.txt", "b.txt", "c.txt"])
        #expect(findings.filter { $0.path == "a.txt" }.compactMap(\.sourceLine) == ["two  \tthree", "two  \tthree"])
        // a.txt and b.txt were captured by the analysis, c.txt (a project finding only) is read once.
        #expect(run.statistics.passReads == 1)
        let store = LineStore(project: run.project, secretFinder: NoSecrets())
        store.prepare(findings)
        #expect(store.reads == 3)  // nothing captured in this store: every file is read, once
        #expect(store.misses == 0)
        for f in findings { _ = store.line(f.path, f.range.start.line) }
        #expect(store.misses == 0)
        #expect(store.line("c.txt", 1) == "only the project")
        #expect(store.line("c.txt", 7) == "")  // past the end: empty, and a miss (not prepared)
        #expect(store.misses == 1)
    }

    @Test("without source lines (every report but text) only the lines a pass reads are held: no anchored finding's")
    func lineStoreWithoutSourceLines() throws {
        let files = [(path: "a.txt", contents: "one\ntwo  \tthree\n"), (path: "b.txt", contents: "x\ny\n"),
                     (path: "c.txt", contents: "only the project\n")]
        let snapshot = MemorySnapshot(files: files)
        for finder: (any SecretFinder)? in [nil, NoSecrets()] {
            let linter = Linter(configuration: Configuration(), rules: [TextFileRule.anchoredLines], parsers: [], secretFinder: finder)
            let shown = linter.run(snapshot, rootDisplay: ".", reportOnly: nil, cache: nil)
            let plain = linter.run(snapshot, rootDisplay: ".", reportOnly: nil, cache: nil, sourceLines: false)
            // The same findings and fingerprints (the unanchored ones hash their line); only the source lines are left out.
            var expected = shown.report.findings.array
            for i in expected.indices { expected[i].sourceLine = nil }
            #expect(plain.report.findings.array == expected)
            #expect(Set(plain.report.findings.map(\.fingerprint)).count == plain.report.findings.count)
            #expect(shown.report.findings.filter { $0.path == "a.txt" }.compactMap(\.sourceLine) == ["one", "two  \tthree"])
            // c.txt has only an anchored project finding: read for its source line, and without source lines only
            // when the secret finder has to look at it (the analysis did not, it had no file-rule finding there).
            #expect(shown.statistics.passReads == 1)
            #expect(plain.statistics.passReads == (finder == nil ? 0 : 1))
        }
    }
}

/// Finds nothing, but says which lines it would look at (every line holding `secret`).
private struct NoSecrets: SecretFinder {
    func secrets(inLine line: String, path: String) -> [String] { [] }
    func candidateLines(in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts, path: String, known: SecretKeywordHits?) -> [Int]? { [] }
}

/// Reports line 2 of every text file twice (file rule), and line 1 of `c.txt` (project rule).
/// Many findings on a few lines, by two rules, some with anchors of their own: the fingerprint pass hashes each line
/// (and each rule's prefix on it) once, and must give every finding the plain form's fingerprint, its occurrence index
/// counted per rule and anchor in report order.
@Suite struct ManyFindingsOnALineTests {
    private struct Burst: FileRule {
        let id: String
        var ruleDescription: RuleDescription {
            RuleDescription(id: id, summary: "test rule", category: .custom, defaultSeverity: .warning, inputs: [.text], rationale: "test")
        }
        func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
            (0..<300).map { k in
                var f = context.finding(path: file.path, range: SourceRange(line: 1 + k % 3, column: 1 + k, length: 1), message: "m")
                if k % 7 == 0 { f.anchor = "anchor \(k % 2)" }
                return f
            }
        }
    }

    @Test func fingerprintsOfThePlainForm() {
        let linter = Linter(configuration: Configuration(), rules: [Burst(id: "burst-a"), Burst(id: "burst-b")], parsers: [],
                            secretFinder: NoSecrets())
        let lines = [String(repeating: "x =  1 ", count: 2_000), "\t y", "z"]
        let run = linter.run(MemorySnapshot(files: [(path: "a.txt", contents: lines.joined(separator: "\n") + "\n")]),
                             rootDisplay: ".", reportOnly: nil, cache: nil)
        var seen: [String: Int] = [:]
        #expect(run.report.findings.count == 600)
        for f in run.report.findings {
            let anchor = f.anchor ?? Passes.normalized(lines[f.range.start.line - 1])
            let key = f.ruleID + "\u{1}" + anchor
            let n = seen[key, default: 0]
            seen[key] = n + 1
            #expect(f.fingerprint == PassesTests.referenceFingerprint([f.ruleID, f.path, anchor, String(n)]))
        }
    }
}

/// A test rule over text files: its file findings in every file but `c.txt`, and one project finding on line 1 of `c.txt`
/// (a file no analysis captured lines of).
private struct TextFileRule: FileRule, ProjectRule {
    let id: String
    let fileFindings: @Sendable (_ path: String, RuleContext) -> [Finding]
    let projectAnchor: String?

    var ruleDescription: RuleDescription {
        RuleDescription(id: id, summary: "test rule", category: .custom, defaultSeverity: .warning, inputs: [.text], rationale: "test")
    }

    func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        file.path == "c.txt" ? [] : fileFindings(file.path, context)
    }

    func check(_ project: Project, in context: RuleContext) -> [Finding] {
        [context.finding(path: "c.txt", range: SourceRange(line: 1, column: 1), message: "project", anchor: projectAnchor)]
    }

    /// An anchored finding on line 1 and an unanchored one on line 2 of each file; the project finding anchored.
    static let anchoredLines = TextFileRule(id: "anchored-lines", fileFindings: { path, context in
        [context.finding(path: path, range: SourceRange(line: 1, column: 1), message: "anchored", anchor: "first"),
         context.finding(path: path, range: SourceRange(line: 2, column: 1), message: "by its line")]
    }, projectAnchor: "project")

    /// Two findings on line 2 of each file, none anchored.
    static let lineQuoting = TextFileRule(id: "line-quoting", fileFindings: { path, context in
        let range = SourceRange(start: SourceLocation(line: 2, column: 1), end: SourceLocation(line: 2, column: 2))
        return [context.finding(path: path, range: range, message: "a"), context.finding(path: path, range: range, message: "b")]
    }, projectAnchor: nil)
}

/// The passes read a parsed Python file's lines through the lexer's line starts (`LineStarts(positions:byteCount:)`),
/// not a second scan of the bytes: both must give the same lines, BOM, CR and CRLF included.
@Suite struct LexerLineStartsTests {
    @Test(arguments: ["", "a", "a\n", "a\nb", "a\r\nb\rc\n\n", "\u{FEFF}x = 1\ny = 2\n", "\u{FEFF}", "\r\r\n\n", "é\nß\r\n€"])
    func sameAsAScanOfTheBytes(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buf in
            let scanned = LineStarts(buf)
            let lexed = LineStarts(positions: PyPositionMap(buf), byteCount: buf.count)
            #expect(lexed.lineStarts == scanned.lineStarts)
            #expect(lexed.byteCount == scanned.byteCount)
        }
    }
}
