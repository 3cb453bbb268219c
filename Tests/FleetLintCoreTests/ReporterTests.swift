@testable import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

@Suite("Reporters")
struct ReporterTests {
    func report(_ findings: [Finding]) -> LintReport {
        let rule = RuleDescription(id: "demo-rule", summary: "Demo", category: .custom, defaultSeverity: .warning, inputs: [.python], rationale: "r")
        var summary = LintSummary()
        summary.files = 3
        return LintReport(toolVersion: "0.0.0", root: ".", findings: findings, rules: [rule], summary: summary)
    }

    func finding(_ message: String, path: String = "svc/app.py", line: Int = 3) -> Finding {
        var f = Finding(ruleID: "demo-rule", severity: .warning, message: message, help: "do x", path: path, range: SourceRange(line: line, column: 5, length: 4))
        f.fingerprint = "fl1:0000000000000001"
        return f
    }

    @Test("the JSON writer's word test flags exactly the words that hold a byte needing an escape")
    func wordEscapeTest() {
        func reference(_ w: UInt64) -> Bool {
            (0..<8).contains { k in let b = UInt8(truncatingIfNeeded: w >> (8 * k)); return b < 0x20 || b == 0x22 || b == 0x5C }
        }
        // Every byte value in every position of a clean word (and of a word of high bytes).
        for base in [UInt64(0x6161_6161_6161_6161), 0xFFFF_FFFF_FFFF_FFFF, 0x2020_2020_2020_2020, 0x8080_8080_8080_8080] {
            for k in 0..<8 {
                for b in UInt64(0)...255 {
                    let w = base & ~(UInt64(0xFF) << (8 * k)) | b << (8 * k)
                    #expect(PrettyJSON.anyEscaped(w) == reference(w), "word \(String(w, radix: 16))")
                }
            }
        }
        var g = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let w = UInt64.random(in: .min ... .max, using: &g)
            #expect(PrettyJSON.anyEscaped(w) == reference(w))
        }
    }

    @Test("the JSON report is byte for byte what JSONEncoder writes, for hostile text, nesting and empty parts")
    func jsonMatchesEncoder() {
        var a = finding("quote \" backslash \\ slash / tab\t nl\n cr\r \u{08}\u{0C}\u{01}\u{1F}\u{7F} é 日本 😀")
        a.metadata = [
            "b": 1, "B": true, "a10": "x", "a9": ["nested", 2, false, .object(["k": .object(["deep": [1]]), "K": .object([:])])], "é": .array([]),
            "_": .object([:]),
        ]
        a.related = [RelatedLocation(path: "req/a b.txt", range: SourceRange(line: 2, column: 1, length: 3), note: "pinned \"here\"")]
        var b = finding("no help", path: "z/ü.py", line: 1)
        b.help = nil
        var withSkips = report([a, b, finding("m", path: "a.py")])
        withSkips.summary.findingsByRule = ["demo-rule": 3, "Z": 0, "a-b": 1]
        withSkips.summary.skipped = ["binary": 2, "too large": 1]
        withSkips.summary.skippedFiles = [SkippedFile(path: "img.png", reason: "binary"), SkippedFile(path: "ü/x", reason: "too large")]
        withSkips.suppressions = [
            AppliedSuppression(rule: "demo-rule", path: "a.py", line: 2, reason: "-- test \u{01}"),
            AppliedSuppression(rule: "demo-rule", path: "a.py", line: 1, reason: nil),
        ]
        // Consecutive findings with the same metadata (written once, then copied), a different one between.
        var a2 = a, a3 = a, c = b
        a2.message = "second"; a3.range = SourceRange(line: 9, column: 1, length: 2)
        c.metadata = ["b": 2]
        let repeated = report([a, a2, c, a3, b, b])
        for r in [withSkips, report([]), report([b]), repeated] {
            #expect(JSONReporter().render(r) == JSONReporter().renderWithEncoder(r))
        }
        #expect(JSONReporter().render(report([])).contains("\"findings\" : [\n\n  ]"), "an empty array is written as JSONEncoder writes it")
        // Deeper than the writer's table of indentation (126 levels): the rest is written space by space.
        var deep: MetadataValue = .array(["leaf", 1])
        for i in 0..<140 { deep = i % 2 == 0 ? .object(["k\(i)": deep, "z": true]) : .array([deep, "x"]) }
        // Escapes at every offset of an eight-byte word, and clean runs longer than one.
        let e = finding((0..<24).map { String(repeating: "é", count: $0 % 5) + String(repeating: "a", count: $0) + "\"\\\u{01}" }.joined())
        #expect(JSONReporter().render(report([e])) == JSONReporter().renderWithEncoder(report([e])))
        // Strings of 8 to 24 bytes, clean or with one escape in their last eight bytes (the writer's overlapping
        // last word), each as a message of its own.
        var tails: [Finding] = []
        for n in 8...24 {
            tails.append(finding(String(repeating: "a", count: n), path: "t\(n).py"))
            for k in 1...8 { tails.append(finding(String(repeating: "b", count: n - k) + "\n" + String(repeating: "c", count: k - 1), path: "t\(n).py")) }
        }
        #expect(JSONReporter().render(report(tails)) == JSONReporter().renderWithEncoder(report(tails)))
        var d = finding("deep")
        d.metadata = ["deep": deep]
        #expect(JSONReporter().render(report([d, b])) == JSONReporter().renderWithEncoder(report([d, b])))
    }

    @Test("a report large enough to be rendered in chunks on several threads is byte for byte JSONEncoder's")
    func jsonInChunks() {
        // Eighteen chunks and a part (an odd number of chunks: the last wave on two processors is one chunk), metadata
        // that changes every few findings (each chunk's cache of metadata bytes starts empty), help and related
        // locations now and then.
        let n = JSONReporter.chunkedFrom + 2 * JSONReporter.chunkSize + 37
        let findings = (0..<n).map { i -> Finding in
            var f = finding("message \(i) \"q\"", path: "svc/f\(i / 50).py", line: i % 50 + 1)
            f.metadata = ["k": .int(i / 3), "same": "x"]
            if i % 7 == 0 { f.help = nil }
            if i % 11 == 0 { f.related = [RelatedLocation(path: "r.txt", range: SourceRange(line: i, column: 2, length: 1), note: "n\t")] }
            return f
        }
        let r = report(findings)
        var pieces: [[UInt8]] = []
        JSONReporter().renderBytes(r) { pieces.append($0) }
        let whole = pieces.joined()
        #expect(String(decoding: whole, as: UTF8.self) == JSONReporter().renderWithEncoder(r))
        #expect(pieces.map(\.count).max()! < whole.count / 3, "the chunks are handed on as they are made, not held whole")
    }

    @Test("JUnit stays valid with control characters, markup and duplicate names")
    func junitHostileText() {
        let hostile = "form\u{0C}feed \u{1B}[31mred <tag> & \"quote\" ]]> \u{FFFE}"
        let xml = JUnitReporter().render(report([finding(hostile), finding(hostile, line: 9), finding("ok", path: "b.py")]))
        #expect(SchemaValidation.validateXML(xml).isEmpty, "\(SchemaValidation.validateXML(xml))")
        #expect(xml.contains("\u{240C}") && !xml.contains("\u{1B}"), "control characters are made visible before XML escaping")
        #expect(xml.contains("(2)"), "duplicate testcase names are made unique")
    }

    @Test("a clean run is one passing test case and validates")
    func junitClean() {
        let xml = JUnitReporter().render(report([]))
        #expect(SchemaValidation.validateXML(xml).isEmpty)
        #expect(xml.contains("name=\"no findings\""))
        #expect(!xml.contains("<failure"))
    }

    @Test("the XSD check itself rejects invalid JUnit")
    func junitNegative() {
        let bad = "<testsuites><testsuite name=\"x\"><testcase name=\"a\" line=\"3\"/></testsuite></testsuites>"
        #expect(!SchemaValidation.validateXML(bad).isEmpty)
    }

    @Test("SARIF validates against the 2.1.0 schema, and the check rejects a broken log")
    func sarif() {
        let json = SARIFReporter().render(report([finding("m")]))
        #expect(SchemaValidation.validateSARIF(json).isEmpty, "\(SchemaValidation.validateSARIF(json))")
        #expect(!SchemaValidation.validateSARIF("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {}}]}").isEmpty)
    }

    @Test("GitHub annotations escape data and properties")
    func github() {
        let out = GitHubReporter().render(report([finding("50% done, a:b\nnext", path: "a,b.py")]))
        #expect(out == "::warning file=a%2Cb.py,line=3,endLine=3,col=5,endColumn=9,title=demo-rule::50%25 done, a:b next%0Ahelp: do x\n")
    }

    @Test("GitLab Code Quality fields")
    func gitlab() throws {
        let out = GitLabReporter().render(report([finding("m")]))
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]
        #expect(obj.count == 1)
        #expect(obj[0]["check_name"] as? String == "demo-rule")
        #expect(obj[0]["severity"] as? String == "minor")
        #expect((obj[0]["location"] as? [String: Any])?["path"] as? String == "svc/app.py")
    }

    @Test("text report: location, caret, help and summary")
    func text() {
        var f = finding("m")
        f.sourceLine = "    café = 1"
        let out = TextReporter().render(report([f]))
        #expect(out == "svc/app.py:3:5: warning[demo-rule] m\n  3 |     café = 1\n    |     ^^^^\n  help: do x\n\n  1  warning  demo-rule\nFound 1 finding (1 warning) in 3 files.\n")
        #expect(TextReporter().render(report([])) == "No findings in 3 files.\n")
    }
}
