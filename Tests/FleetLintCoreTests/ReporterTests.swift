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
        // locations now and then. The findings of every third chunk have long messages: a slot's buffer, kept from one
        // wave to the next, grows past its first size and then holds a shorter chunk (none of its old bytes may show).
        let n = JSONReporter.chunkedFrom + 2 * JSONReporter.chunkSize + 37
        let findings = (0..<n).map { i -> Finding in
            let long = (i / JSONReporter.chunkSize) % 3 == 2 ? String(repeating: "long ", count: 300) : ""
            var f = finding("message \(i) \"q\"\(long)", path: "svc/f\(i / 50).py", line: i % 50 + 1)
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

    @Test("text and Markdown summaries name the files over the size limit (the first ten), not the secret scan's skips")
    func skippedFiles() {
        var one = report([finding("m")])
        one.summary.skippedFiles = [
            SkippedFile(path: "data/dump\u{1B}.py", reason: SkippedFile.tooLarge), SkippedFile(path: "logo.png", reason: "binary"),
            SkippedFile(path: "package-lock.json", reason: "lock file"),
        ]
        #expect(TextReporter().render(one).hasSuffix(
            "Found 1 finding (1 warning) in 3 files.\nSkipped 1 file over the size limit, without analysing it:\n  data/dump\u{241B}.py\n"))
        #expect(TextReporter(showsSummary: false).render(one) == "svc/app.py:3:5: warning[demo-rule] m\n  help: do x\n",
                "--quiet prints findings only")
        var many = report([])
        many.summary.skippedFiles = (0..<12).map { SkippedFile(path: "big/\($0).py", reason: SkippedFile.tooLarge) }
        let text = TextReporter().render(many)
        #expect(text.hasPrefix("No findings in 3 files.\nSkipped 12 files over the size limit, without analysing them:\n  big/0.py\n"))
        #expect(text.contains("  big/9.py\n  …and 2 more (the JSON report lists every one)\n"))
        #expect(!text.contains("big/10.py"))
        var byDesign = report([])
        byDesign.summary.skippedFiles = [SkippedFile(path: "logo.png", reason: "binary")]
        #expect(TextReporter().render(byDesign) == "No findings in 3 files.\n", "binary and lock files are skipped by design")
        #expect(MarkdownReporter().render(byDesign) == "## fleetlint\n\nNo findings in 3 files.\n")
        let markdown = MarkdownReporter().render(one)
        #expect(markdown.contains("in 3 files.\n\n1 file was over the size limit and not analysed: `data/dump"))
        #expect(!markdown.contains("logo.png"))
        #expect(MarkdownReporter().render(many).contains("12 files were over the size limit and not analysed: `big/0.py`, `big/1.py`, "))
        #expect(MarkdownReporter().render(many).contains("`big/9.py`, …and 2 more.\n"))
    }

    /// A report that needs many pieces in every format: hostile text (quotes, markup, control characters,
    /// several lines), help and related locations now and then, metadata that changes, every severity, a rule
    /// the report does not describe, paths that need percent-encoding, test-case names repeated within a file
    /// and across files of one class name (`m/x.a`, `m/x.c`, with `m/x.b/c.py` between them), source lines
    /// short and long (a window of the long ones), skipped files and suppressions.
    func largeReport(_ n: Int = 4_000) -> LintReport {
        let rules = [
            RuleDescription(id: "demo-rule", summary: "Demo", category: .custom, defaultSeverity: .warning, inputs: [.python], rationale: "r"),
            RuleDescription(id: "leaked-key", summary: String(repeating: "long summary ", count: 100), category: .secrets,
                            defaultSeverity: .error, inputs: [.python], rationale: "## Why\n\nA \"key\" / <b>"),
            RuleDescription(id: "slow-call", summary: "Slow", category: .reliability, defaultSeverity: .info, inputs: [.python], rationale: "s"),
        ]
        let ids = ["demo-rule", "leaked-key", "slow-call", "unknown-rule"]
        let severities: [Severity] = [.error, .warning, .info, .warning]
        let specials = ["m/x.a", "m/x.b/c.py", "m/x.c", "svc/a b%20:#?.py", "z/ü 日本.py"]
        var findings: [Finding] = []
        for i in 0..<n {
            let path = i % 10 == 0 ? specials[(i / 10) % specials.count] : "pkg\(i / 60)/mod \(i % 3).py"
            var message = "message \(i % 40) \"q\" <tag> & ]]> é 日本 😀 \u{01}\u{1B}[31m " + String(repeating: "words ", count: 12)
            if i % 13 == 0 { message += "\nsecond line\r\nthird" }
            var f = Finding(ruleID: ids[i % 4], severity: severities[i % 3], message: message, help: i % 7 == 0 ? nil : "do \\ x/y",
                            path: path, range: SourceRange(line: i % 50 + 1, column: i % 9 + 1, length: i % 5 + 1))
            f.fingerprint = "fl1:\(String(i, radix: 16))"
            f.metadata = i % 5 == 0 ? [:] : ["k": .int(i / 9), "same": "x/y", "list": [.bool(i % 2 == 0), "\u{7F}"]]
            if i % 11 == 0 {
                f.related = [RelatedLocation(path: "req/a b.txt", range: SourceRange(line: i + 1, column: 2, length: 1), note: "n\t\"<>\""),
                             RelatedLocation(path: path, range: SourceRange(line: i % 3 + 1, column: 0, length: 0), note: "second")]
            }
            // A line's text is the same for every finding on it (the text report keeps the last line's scalars).
            if i % 4 == 0 { f.sourceLine = f.range.start.line % 2 == 0 ? "\tcall(x)  # é" : String(repeating: "long_line = 1; ", count: 30) }
            findings.append(f)
        }
        var summary = LintSummary()
        summary.files = 321
        summary.findingsByRule = ["demo-rule": n / 4]
        summary.skipped = ["binary": 2]
        summary.skippedFiles = [SkippedFile(path: "img/a b.png", reason: "binary"), SkippedFile(path: "ü/x", reason: "too \"large\"")]
        return LintReport(toolVersion: "1.2.3", root: "repo/root", findings: findings, rules: rules, summary: summary,
                          suppressions: [AppliedSuppression(rule: "demo-rule", path: "a.py", line: 2, reason: "ok")])
    }

    /// The reporter of a format as the CLI makes it (failures from warnings up), the Markdown table holding
    /// every finding so that its output is large too.
    func reporter(_ format: ReportFormat) -> any Reporter {
        format == .markdown ? MarkdownReporter(limit: 100_000) : format.reporter(failOn: .warning)
    }

    @Test("every format hands a large report over in bounded pieces that add up to the reference output", arguments: ReportFormat.allCases)
    func streamedInPieces(_ format: ReportFormat) {
        let r = largeReport()
        var pieces: [[UInt8]] = []
        reporter(format).renderBytes(r) { pieces.append($0) }
        let whole = String(decoding: pieces.joined(), as: UTF8.self)
        let bound = 256 << 10
        #expect(whole.utf8.count > 2 * bound, "the report is large enough for the bound to matter")
        #expect(pieces.count >= 8)
        #expect(pieces.allSatisfy { $0.count <= bound }, "largest piece \(pieces.map(\.count).max() ?? 0) bytes")
        #expect(Array(whole.utf8) == reporter(format).renderBytes(r))
        switch format {
        case .json: #expect(whole == JSONReporter().renderWithEncoder(r))
        case .sarif: #expect(whole == SARIFReporter().renderWithEncoder(r))
        case .gitlab: #expect(whole == GitLabReporter().renderWithEncoder(r))
        case .junit: #expect(whole == JUnitReporter(failOn: .warning).renderWithMemoryWriter(r))
        case .github:
            // Each finding's annotation stands alone.
            #expect(whole == r.findings.map { GitHubReporter().render(report([$0])) }.joined())
        case .text:
            // Each finding's lines stand alone; the statistics and the summary line follow.
            let findings = r.findings.map { TextReporter(showsSummary: false).render(report([$0])) }.joined()
            #expect(TextReporter(showsSummary: false).render(r) == findings)
            #expect(whole == findings + "\n" + TextReporter.statistics(r)
                + "Found 4000 findings (1334 errors, 1333 warnings, 1333 infos) in 321 files.\n")
        case .markdown:
            // Rows worst first, report order within a severity (a stable sort by severity).
            let sorted = r.findings.enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
            }.map(\.element)
            let rows = whole.split(separator: "\n").filter { $0.hasPrefix("| error |") || $0.hasPrefix("| warning |") || $0.hasPrefix("| info |") }
            #expect(rows.map(String.init) == sorted.map { "| \($0.severity.rawValue) | `\($0.ruleID)` | `\(MarkdownReporter.cell($0.path)):\($0.range.start.line)` | \(MarkdownReporter.cell($0.message)) |" })
            #expect(whole.contains("**4000 findings** (1334 errors, 1333 warnings, 1333 infos) in 321 files."))
            let top = MarkdownReporter(limit: 7).render(r)
            #expect(top.contains("### Top 7 findings") && top.hasSuffix("…and 3993 more; the full list is in the SARIF, JUnit or JSON report.\n"))
        }
    }

    @Test("the streamed SARIF and JUnit of hostile findings validate against their schemas")
    func streamedValidates() {
        let r = largeReport(60)
        let sarif = SARIFReporter().render(r)
        #expect(SchemaValidation.validateSARIF(sarif).isEmpty, "\(SchemaValidation.validateSARIF(sarif))")
        #expect(sarif.contains("\"uri\" : \"svc/a%20b%2520%3A%23%3F.py\""), "path segments are percent-encoded")
        #expect(sarif.contains("\"security-severity\" : \"8.0\"") && sarif.contains("\"invocations\""))
        let xml = JUnitReporter(failOn: .warning).render(largeReport(400))
        #expect(SchemaValidation.validateXML(xml).isEmpty, "\(SchemaValidation.validateXML(xml))")
    }

    @Test("JUnit test-case names stay unique across files of one class name that are not adjacent")
    func junitNamesAcrossFiles() {
        let r = report([finding("same", path: "m/x.a"), finding("same", path: "m/x.b/c.py"), finding("same", path: "m/x.c"),
                        finding("same", path: "m/x.c", line: 9), finding("same", path: "n/y.py")])
        let xml = JUnitReporter().render(r)
        // `classname/name` of each test case, in document order.
        func attribute(_ line: Substring, _ name: String) -> Substring {
            line.components(separatedBy: " \(name)=\"")[1].prefix { $0 != "\"" }
        }
        let names = xml.split(separator: "\n").filter { $0.contains("<testcase ") }.map { "\(attribute($0, "classname"))/\(attribute($0, "name"))" }
        #expect(names == ["m/x/demo-rule: same", "m/x.b/c/demo-rule: same", "m/x/demo-rule: same (2)", "m/x/demo-rule: same (3)", "n/y/demo-rule: same"])
        #expect(xml == JUnitReporter().renderWithMemoryWriter(r))
    }

    @Test("SARIF, GitLab and JUnit of an empty and of a one-finding report equal the reference output")
    func smallReportsMatchReference() {
        var one = finding("m")
        one.metadata = ["k": .object([:]), "e": .array([])]
        for r in [report([]), report([one]), report([finding("x")])] {
            #expect(SARIFReporter().render(r) == SARIFReporter().renderWithEncoder(r))
            #expect(GitLabReporter().render(r) == GitLabReporter().renderWithEncoder(r))
            #expect(JUnitReporter().render(r) == JUnitReporter().renderWithMemoryWriter(r))
        }
    }

    @Test("singleLine and withoutControlCharacters, which test bytes first, equal their scalar and Foundation forms")
    func singleLineMatchesReference() {
        func referenceWithout(_ s: String) -> String {
            guard s.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || (0x7F...0x9F).contains($0.value) }) else { return s }
            var out = String.UnicodeScalarView()
            for u in s.unicodeScalars {
                if u.value < 0x20 && u != "\t" { out.append(Unicode.Scalar(0x2400 + u.value)!) }
                else if u.value == 0x7F { out.append("\u{2421}") }
                else if (0x80...0x9F).contains(u.value) { out.append("\u{FFFD}") }
                else { out.append(u) }
            }
            return String(out)
        }
        func referenceSingleLine(_ s: String) -> String {
            // Every CR and LF scalar breaks the line, also the two of a CRLF (one Character).
            var out: [String] = [], current = String.UnicodeScalarView()
            for u in s.unicodeScalars {
                if u == "\n" || u == "\r" {
                    if !current.isEmpty { out.append(String(current)) }
                    current = String.UnicodeScalarView()
                } else {
                    current.append(u)
                }
            }
            if !current.isEmpty { out.append(String(current)) }
            return referenceWithout(out.joined(separator: " "))
        }
        // Every scalar below U+00A0 and a few past it, alone and between others, and line breaks of every kind.
        var samples = ["", "plain", "\r\n", "a\r\nb", "\r\n\r\n", "\na\n", "a\rb\nc\r\n", "\u{0085}x", "e\u{301}\n", "\n\u{301}", "\u{C2}\u{A0}é日😀"]
        for v in UInt32(0)..<0xA2 {
            let c = String(Unicode.Scalar(v)!)
            samples += [c, "a" + c + "b", c + c + "\u{301}", "é" + c]
        }
        // A CRLF breaks a message like an LF (it was kept as one Character and shown as control pictures).
        #expect("a\r\nb".singleLine == "a b")
        #expect("\r\nx\r\n\r\ny\r".singleLine == "x y")
        for s in samples {
            #expect(s.withoutControlCharacters == referenceWithout(s), "\(Array(s.unicodeScalars))")
            #expect(s.singleLine == referenceSingleLine(s), "\(Array(s.unicodeScalars))")
        }
    }

    @Test("SARIF URIs of plain paths are the paths themselves, and percent-encoded otherwise")
    func sarifURIs() {
        func reference(_ path: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~!$&'()*+,;=@")
            return path.split(separator: "/", omittingEmptySubsequences: false)
                .map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }.joined(separator: "/")
        }
        var paths = ["a/b_c-d.py", "/abs//x/", "", "a b/ü/日本.py", "100%/x:y#z?.py", "~!$&'()*+,;=@.-_/Z9"]
        for v in 0x20..<0x80 { paths.append("d/x" + String(Unicode.Scalar(UInt8(v))) + "y.py") }
        for p in paths { #expect(SARIFReporter.ArtifactLocation.uri(p) == reference(p), "\(p)") }
    }

    @Test("GitHub annotations equal those of the escaping of the whole text, for hostile messages")
    func githubMatchesReference() {
        func data(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A").withoutControlCharacters
        }
        func property(_ s: String) -> String { data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        let texts = ["plain", "50% done", "ends with %", "%\u{301} accent", "a\nb\r\nc", "\n\u{301}", "%0A", "é日😀\u{1B}", "a:b,c", "x%\n"]
        for message in texts {
            for help in [nil, "do x"] + texts {
                for path in ["a,b.py", "p:q/%.py"] {
                    var f = finding(message, path: path)
                    f.help = help
                    let props = [
                        "file=\(property(f.path))", "line=\(f.range.start.line)", "endLine=\(f.range.end.line)",
                        "col=\(f.range.start.column)", "endColumn=\(f.range.end.column)", "title=\(property(f.ruleID))",
                    ].joined(separator: ",")
                    var text = f.message.singleLine
                    if let help = f.help { text += "\nhelp: \(help.singleLine)" }
                    #expect(GitHubReporter().render(report([f])) == "::warning \(props)::\(data(text))\n", "\(message) \(help ?? "-")")
                }
            }
        }
    }
}
