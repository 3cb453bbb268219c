@testable import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

/// The baseline pass on its own: keys, matching, renames, stale entries, the file format.
@Suite("Baseline pass")
struct BaselineTests {
    /// A file's lines, and findings on them (rule `r`, scope optional).
    struct Source {
        var files: [String: [String]]
        func line(_ f: Finding) -> String? {
            guard let lines = files[f.path], f.range.start.line <= lines.count else { return nil }
            return lines[f.range.start.line - 1]
        }
    }

    func finding(_ path: String, _ line: Int, rule: String = "unpooled-client", scope: String? = nil) -> Finding {
        Finding(ruleID: rule, severity: .warning, message: "m", path: path, range: SourceRange(line: line, column: 1), scope: scope)
    }

    /// `café.py` spelled with a precomposed é (NFC) and with e + U+0301 (NFD): equal Strings, two files to git.
    static let (nfc, nfd) = ("caf\u{E9}.py", "cafe\u{301}.py")

    @Test("codes read from files' bytes on every core are the codes of their lines: CRLF, invalid UTF-8, ranges, past the end, secrets")
    func codesFromBytes() {
        var files: [String: [UInt8]] = [:]
        var findings: [Finding] = []
        // Enough files for several tasks of runs; each with a variety of line shapes.
        for n in 0..<150 {
            let path = String(format: "svc%03d/m.py", n)
            var bytes = Array("import requests\r\nx = requests.get(u)  \t# one\r\n\tif a:\n        requests.post(v,\n".utf8)
            bytes += [0x79, 0x20, 0xE2, 0x82, 0x0A]  // a truncated UTF-8 sequence before a line break
            bytes += Array((0..<12).map { "    w\($0) = 1\n" }.joined().utf8) + Array("last line, no break\r".utf8)
            if n % 5 != 4 { files[path] = bytes }  // every fifth file cannot be read
            for (start, end) in [(1, 1), (2, 2), (4, 6), (5, 5), (6, 30), (7, 3), (19, 19), (20, 20), (21, 25), (0, 0)] {
                findings.append(Finding(ruleID: "unpooled-client", severity: .warning, message: "m", path: path,
                                        range: SourceRange(start: SourceLocation(line: start, column: 1), end: SourceLocation(line: end, column: 1))))
            }
            var secret = finding(path, 2, rule: "committed-secret")
            secret.showsSource = false
            secret.anchor = "hash-of-the-secret"
            findings.append(secret)
        }
        // The reference: every line of the file a String (a `\r` before its break dropped), the finding's joined; a
        // file that cannot be read one empty line (so a finding on its line 1 hashes "", as it always did).
        let reference = BaselineEntry.entries(for: findings) { f in
            guard f.range.start.line >= 1 else { return nil }
            let bytes = files[f.path] ?? []
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
            }
            guard f.range.start.line >= 1, f.range.start.line <= lines.count else { return nil }
            let last = min(max(f.range.end.line, f.range.start.line), f.range.start.line + 9, lines.count)
            return lines[(f.range.start.line - 1)..<last].joined(separator: "\n")
        }
        final class Reads: @unchecked Sendable {
            private let lock = NSLock()
            private var counts: [String: Int] = [:]
            func note(_ path: String) { lock.lock(); counts[path, default: 0] += 1; lock.unlock() }
            var all: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
        }
        let reads = Reads()
        let frozen = files
        let fromBytes = BaselineEntry.entries(for: findings) { path in
            reads.note(path)
            return frozen[path]
        }
        #expect(fromBytes == reference)
        // Six codes of lines, the empty line 1 of an unreadable file, past the end or line 0 (the message), the secret's anchor.
        #expect(Set(fromBytes.map(\.code)).count == 9)
        #expect(reads.all.values.allSatisfy { $0 == 1 })  // each file read once
        #expect(reads.all.count == 150)
    }

    /// Equal Strings but two files: keyed one after the other, the line cache this replaced once gave the second the
    /// first one's lines, and its baseline entries hashed the other file's code.
    @Test("an NFC and an NFD spelling of one name, side by side, each keyed by its own bytes")
    func normalisationTwinsReadApart() {
        let bytes = [Array(Self.nfd.utf8): Array("requests.get(a)\n".utf8), Array(Self.nfc.utf8): Array("requests.post(b)\r\n".utf8)]
        let findings = [finding(Self.nfd, 1), finding(Self.nfc, 1)]
        let fromBytes = BaselineEntry.entries(for: findings) { path in bytes[Array(path.utf8)] }
        let lines = [Array(Self.nfd.utf8): "requests.get(a)", Array(Self.nfc.utf8): "requests.post(b)"]
        #expect(fromBytes == BaselineEntry.entries(for: findings) { lines[Array($0.path.utf8)] })
        #expect(fromBytes[0].code != fromBytes[1].code)
    }

    @Test("an NFC and an NFD spelling of one name are two files: each numbers its own occurrences")
    func normalisationTwinsNumberApart() {
        let source = Source(files: [Self.nfc: ["requests.get(u)"]])
        let entries = BaselineEntry.entries(for: [finding(Self.nfc, 1), finding(Self.nfd, 1)], sourceLine: source.line)
        #expect(entries.map(\.occurrence) == [0, 0])
        #expect(entries.map { Array($0.path.utf8) } == [Array(Self.nfc.utf8), Array(Self.nfd.utf8)])
        // Ordered by bytes (NFC's 0xC3 after NFD's 'e'), whichever order they come in.
        let sorted = Baseline(entries: entries.reversed()).entries
        #expect(sorted.map { Array($0.path.utf8) } == [Array(Self.nfd.utf8), Array(Self.nfc.utf8)])
        #expect(entries[0] != entries[1])
    }

    @Test("a baseline entry of the NFC file does not accept the NFD file's finding")
    func normalisationTwinsMatchApart() {
        let source = Source(files: [Self.nfc: ["requests.get(u)"]])
        let baseline = Baseline(findings: [finding(Self.nfc, 1)], sourceLine: source.line)
        // Both files still there; only the NFD one has the finding now (the NFC one's was fixed).
        let r = BaselinePass.match([finding(Self.nfd, 1)], baseline: baseline, currentPaths: [Self.nfc, Self.nfd], sourceLine: source.line)
        #expect(r.matched.isEmpty)
        #expect(r.new.map { Array($0.path.utf8) } == [Array(Self.nfd.utf8)])
        #expect(r.stale.map { Array($0.path.utf8) } == [Array(Self.nfc.utf8)])
        // Both have it: each file's entry is its own.
        let both = BaselinePass.match(
            [finding(Self.nfc, 1), finding(Self.nfd, 1)], baseline: baseline, currentPaths: [Self.nfc, Self.nfd], sourceLine: source.line)
        #expect(both.matched.map { Array($0.finding.path.utf8) } == [Array(Self.nfc.utf8)])
        #expect(both.new.map { Array($0.path.utf8) } == [Array(Self.nfd.utf8)])
    }

    @Test("inserting lines above a finding keeps it matched")
    func insertAbove() {
        let before = Source(files: ["a.py": ["import requests", "requests.get(u)"]])
        let baseline = Baseline(findings: [finding("a.py", 2)], sourceLine: before.line)
        let after = Source(files: ["a.py": ["import requests", "", "# new comment", "requests.get(u)"]])
        let r = BaselinePass.apply([finding("a.py", 4)], baseline: baseline, sourceLine: after.line)
        #expect(r.new.isEmpty)
        #expect(r.matched == 1)
        #expect(r.stale.isEmpty)
    }

    @Test("whitespace changes keep a finding matched; other edits of its line make it new")
    func normalisation() {
        let before = Source(files: ["a.py": ["x = requests.get(u)"]])
        let baseline = Baseline(findings: [finding("a.py", 1)], sourceLine: before.line)
        let spaced = Source(files: ["a.py": ["  x  =  requests.get(u)\t"]])
        #expect(BaselinePass.apply([finding("a.py", 1)], baseline: baseline, sourceLine: spaced.line).matched == 1)
        let edited = Source(files: ["a.py": ["x = requests.get(u, timeout=3)"]])
        let r = BaselinePass.apply([finding("a.py", 1)], baseline: baseline, sourceLine: edited.line)
        #expect(r.new.count == 1)
        #expect(r.stale.count == 1)
    }

    @Test("fixing one finding and adding another of the same rule in the same file reports the new one")
    func fixOneAddOne() {
        let before = Source(files: ["a.py": ["def f():", "    requests.get(a)", "def g():", "    requests.get(b)"]])
        let baseline = Baseline(
            findings: [finding("a.py", 2, scope: "f"), finding("a.py", 4, scope: "g")], sourceLine: before.line)
        // f's call is fixed; h gets a new one. A count per file and rule would still say "2 = 2".
        let after = Source(files: ["a.py": ["def f():", "    pass", "def g():", "    requests.get(b)", "def h():", "    requests.get(c)"]])
        let r = BaselinePass.apply(
            [finding("a.py", 4, scope: "g"), finding("a.py", 6, scope: "h")], baseline: baseline, sourceLine: after.line)
        #expect(r.new.map(\.range.start.line) == [6])
        #expect(r.matched == 1)
        #expect(r.stale.map(\.scope) == ["f"])
    }

    @Test("identical code twice in one scope: the second occurrence is its own entry")
    func occurrences() {
        let src = Source(files: ["a.py": ["def f():", "    requests.get(a)", "    requests.get(a)"]])
        let baseline = Baseline(findings: [finding("a.py", 2, scope: "f")], sourceLine: src.line)
        let r = BaselinePass.apply(
            [finding("a.py", 2, scope: "f"), finding("a.py", 3, scope: "f")], baseline: baseline, sourceLine: src.line)
        #expect(r.new.map(\.range.start.line) == [3])
    }

    @Test("a renamed file keeps its entries; a copy next to the original does not")
    func renames() {
        let before = Source(files: ["old/a.py": ["requests.get(u)"]])
        let baseline = Baseline(findings: [finding("old/a.py", 1)], sourceLine: before.line)
        let moved = Source(files: ["new/a.py": ["requests.get(u)"]])
        let r = BaselinePass.apply([finding("new/a.py", 1)], baseline: baseline, currentPaths: ["new/a.py"], sourceLine: moved.line)
        #expect(r.new.isEmpty && r.stale.isEmpty)
        // The original still exists (its finding fixed): the copy's finding is new.
        let copied = Source(files: ["old/a.py": ["pass"], "new/a.py": ["requests.get(u)"]])
        let c = BaselinePass.apply(
            [finding("new/a.py", 1)], baseline: baseline, currentPaths: ["old/a.py", "new/a.py"], sourceLine: copied.line)
        #expect(c.new.count == 1)
        #expect(c.stale.count == 1)
    }

    @Test("a finding whose line may hold a secret is keyed by its anchor, and the secret is never written")
    func secrets() {
        let secret = "AKIAIOSFODNN7EXAMPLE"  // fake: AWS's documented example key
        var f = finding("a.env", 1, rule: "committed-secret")
        f.showsSource = false
        f.anchor = "secret:0123abcd"
        let baseline = Baseline(findings: [f], sourceLine: { _ in "KEY=\(secret)" })
        #expect(!baseline.serialized().contains(secret))
        #expect(!baseline.serialized().contains("KEY"))
        #expect(BaselinePass.apply([f], baseline: baseline, sourceLine: { _ in "KEY=\(secret)" }).matched == 1)
    }

    @Test("the file is sorted, one entry per line, stable, and reads back")
    func format() throws {
        let src = Source(files: ["b.py": ["x"], "a.py": ["y", "z"]])
        let baseline = Baseline(findings: [finding("b.py", 1), finding("a.py", 2), finding("a.py", 1)], sourceLine: src.line)
        let text = baseline.serialized()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[3].contains("\"path\": \"a.py\""))
        #expect(lines[5].contains("\"path\": \"b.py\""))
        #expect(!text.contains("\"line\""))
        let back = try Baseline.parse(Data(text.utf8), path: "b.json")
        #expect(back == baseline)
        #expect(back.serialized() == text)
        #expect(throws: Baseline.LoadError.self) { try Baseline.parse(Data("{\"entries\": 3}".utf8), path: "x") }
    }

    @Test("a file as written is read without JSONDecoder; escapes, other layouts and versions still go through it")
    func formatFastPath() throws {
        let entries = [
            BaselineEntry(rule: "unpooled-client", path: "svc/a.py", scope: "Job.run", code: "00112233aabbccdd", occurrence: 0),
            BaselineEntry(rule: "unpooled-client", path: "svc/a.py", scope: "Job.run", code: "00112233aabbccdd", occurrence: 12),
            BaselineEntry(rule: "missing-dependency", path: "svc/caf\u{E9} \u{1F600}.py", scope: "", code: "ffff", occurrence: 3),
        ]
        let written = Baseline(entries: entries)
        let text = written.serialized()
        #expect(Baseline.parseWritten(Array(text.utf8)) == written.entries)
        #expect(Baseline.parseWritten(Array("{\n  \"fleetlint-baseline\": 1,\n  \"entries\": []\n}\n".utf8)) == [])
        #expect(try Baseline.parse(Data(Baseline(entries: []).serialized().utf8), path: "e") == Baseline(entries: []))
        // A quote, a backslash and a control character are escaped in the file: read by JSONDecoder, the same entries.
        let odd = Baseline(entries: entries + [BaselineEntry(rule: "r", path: "we\"ird\\pa\tth.py", scope: "", code: "1", occurrence: 0)])
        #expect(Baseline.parseWritten(Array(odd.serialized().utf8)) == nil)
        #expect(try Baseline.parse(Data(odd.serialized().utf8), path: "o") == odd)
        // Another layout (compact, keys reordered), a second version, a truncated file, trailing text: not the fast path.
        let compact = "{\"entries\":[{\"occurrence\":0,\"code\":\"1\",\"scope\":\"\",\"path\":\"a.py\",\"rule\":\"r\"}],\"fleetlint-baseline\":1}"
        #expect(Baseline.parseWritten(Array(compact.utf8)) == nil)
        #expect(try Baseline.parse(Data(compact.utf8), path: "c").entries == [BaselineEntry(rule: "r", path: "a.py", scope: "", code: "1", occurrence: 0)])
        let v2 = text.replacingOccurrences(of: "\"fleetlint-baseline\": 1", with: "\"fleetlint-baseline\": 2")
        #expect(Baseline.parseWritten(Array(v2.utf8)) == nil)
        #expect(throws: Baseline.LoadError.self) { try Baseline.parse(Data(v2.utf8), path: "v2") }
        for broken in [String(text.dropLast(5)), text + "x", text.replacingOccurrences(of: "\"occurrence\": 12", with: "\"occurrence\": 1x2")] {
            #expect(Baseline.parseWritten(Array(broken.utf8)) == nil)
            #expect(throws: Baseline.LoadError.self) { try Baseline.parse(Data(broken.utf8), path: "b") }
        }
        // Out of order (hand-edited): sorted as it is read.
        let shuffled = Baseline(entries: entries.reversed())
        #expect(shuffled.entries == written.entries)
    }
}

@Suite("Triage and CI reporters")
struct TriageReporterTests {
    func report(_ findings: [Finding]) -> LintReport {
        var summary = LintSummary()
        summary.files = 2
        return LintReport(toolVersion: "0.0.0", root: ".", findings: findings, rules: [], summary: summary)
    }

    func finding(_ rule: String, _ severity: Severity, _ message: String = "m", line: Int = 1) -> Finding {
        var f = Finding(ruleID: rule, severity: severity, message: message, path: "a.py", range: SourceRange(line: line, column: 1))
        f.fingerprint = "fl1:00000000000000\(line < 10 ? "0" : "")\(line)"
        return f
    }

    @Test("JUnit: findings below --fail-on are passing test cases carrying the finding as system-out")
    func junitFailOn() {
        let r = report([finding("r-info", .info, line: 1), finding("r-err", .error, line: 2)])
        let xml = JUnitReporter(failOn: .error).render(r)
        #expect(SchemaValidation.validateXML(xml).isEmpty, "\(SchemaValidation.validateXML(xml))")
        #expect(xml.components(separatedBy: "<failure").count == 2)
        #expect(xml.contains("<system-out>a.py:1:1: info[r-info]"))
        #expect(xml.contains("failures=\"1\""))
        #expect(!xml.contains("failures=\"2\""))
    }

    @Test("per-rule statistics are worst first")
    func statistics() {
        let r = report([finding("b-warn", .warning), finding("b-warn", .warning, line: 2), finding("a-err", .error, line: 3)])
        #expect(TextReporter.statistics(r) == "  1  error    a-err\n  2  warning  b-warn\n")
        #expect(TextReporter().render(r).hasSuffix("  1  error    a-err\n  2  warning  b-warn\nFound 3 findings (1 error, 2 warnings) in 2 files.\n"))
    }

    @Test("a rule whose findings have several severities has a row for each: the rows add up to the summary's counts")
    func statisticsPerSeverity() {
        let r = report([finding("mixed", .info, line: 1), finding("mixed", .error, line: 2), finding("mixed", .info, line: 3),
                        finding("other", .warning, line: 4), finding("mixed", .warning, line: 5)])
        #expect(TextReporter.statistics(r) == "  1  error    mixed\n  1  warning  mixed\n  1  warning  other\n  2  info     mixed\n")
        #expect(TextReporter().render(r).hasSuffix("Found 5 findings (1 error, 2 warnings, 2 infos) in 2 files.\n"))
        let md = MarkdownReporter().render(r)
        #expect(md.contains("| `mixed` | error | 1 |\n| `mixed` | warning | 1 |\n| `other` | warning | 1 |\n| `mixed` | info | 2 |\n"), "\(md)")
    }

    @Test("markdown: totals, per-rule table, top findings worst first, cells escaped")
    func markdown() {
        let r = report([finding("w", .warning, "a | b\nc", line: 1), finding("e", .error, "<script>", line: 2)])
        let md = MarkdownReporter(limit: 1).render(r)
        #expect(md.contains("**2 findings** (1 error, 1 warning) in 2 files."))
        #expect(md.contains("| `e` | error | 1 |"))
        #expect(md.contains("### Top 1 findings"))
        #expect(md.contains("| error | `e` | `a.py:2` | &lt;script> |"))
        #expect(md.contains("…and 1 more"))
        let all = MarkdownReporter().render(r)
        #expect(all.contains("a \\| b c"))
        #expect(MarkdownReporter().render(report([])).contains("No findings in 2 files."))
    }
}
