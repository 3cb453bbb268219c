import FleetLintCore
@testable import FleetLintRules
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

/// Redaction looks only at the findings whose logical line holds a line the secret finder may find a secret on
/// (`SecretLines`, recorded by the analysis or computed when the passes read a file). These tests fail if a
/// finding that the finder would redact is left alone: a secret would reach the output.
@Suite("Redaction from secret-line facts")
struct SecretLineFactTests {
    // Fake credentials, for the tests only.
    static let token = "Vq7rT2xK9pLm4sWzh3Kp"
    static let ghToken = "ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO"

    static func linter(select: [String], toml: String = "") throws -> Linter {
        var config = try FleetLintSetup.parseConfiguration(text: toml, path: "fleetlint.toml", table: [])
        config.applyCommandLine(select: select, ignore: [], failOn: nil)
        return try FleetLintSetup.makeLinter(configuration: config)
    }

    static func outputs(_ report: LintReport) -> String {
        ReportFormat.allCases.map { $0.reporter().render(report) }.joined(separator: "\n")
    }

    /// Services that pin `flask==3.0.0`, so that the one pinning 2.3.3 drifts.
    static let majority: [(path: String, contents: String)] = [
        ("svc-b/requirements.txt", "flask==3.0.0\nrequests==2.31.0\n"),
        ("svc-c/Dockerfile", "FROM python:3.12\nRUN pip install flask==3.0.0\n"),
    ]

    @Test("a project rule's finding on a requirements line with a token in a URL hides the line", arguments: [
        ["dependency-version-drift"], ["dependency-version-drift", "committed-secret"],
    ])
    func projectFindingOnRequirementsLine(select: [String]) throws {
        let files = Self.majority + [
            ("svc-a/requirements.txt", "flask @ https://ci:\(Self.token)@pypi.internal/packages/flask-2.3.3-py3-none-any.whl\n"),
        ]
        let report = try Self.linter(select: select).lint(virtualFiles: files)
        let drift = report.findings.filter { $0.ruleID == "dependency-version-drift" && $0.path == "svc-a/requirements.txt" }
        #expect(drift.count == 1)
        #expect(drift.allSatisfy { !$0.showsSource && $0.sourceLine == nil }, "the token's line is printed")
        #expect(!Self.outputs(report).contains(Self.token))
    }

    @Test("a finding on a continued Dockerfile RUN line is redacted for the token on the line before", arguments: [
        ["dependency-version-drift"], ["dependency-version-drift", "committed-secret"],
    ])
    func continuedRunLine(select: [String]) throws {
        let files = Self.majority + [
            ("svc-a/requirements.txt", "flask==3.0.0\n"),
            ("svc-d/Dockerfile", "FROM python:3.12\n# fake token\nRUN pip install --index-url https://ci:\(Self.token)@pypi.internal/simple \\\n    \\\n    flask==2.3.3\n"),
        ]
        let report = try Self.linter(select: select).lint(virtualFiles: files)
        let drift = report.findings.filter { $0.ruleID == "dependency-version-drift" && $0.path == "svc-d/Dockerfile" }
        #expect(drift.map(\.range.start.line) == [5])
        #expect(drift.allSatisfy { !$0.showsSource && $0.sourceLine == nil }, "the finding's logical line holds a token")
        #expect(!Self.outputs(report).contains(Self.token))
    }

    @Test("with committed-secret disabled, a file rule's finding on a continued line is redacted")
    func committedSecretDisabled() throws {
        let source = "import requests\n\ndef f():\n    return requests.get(\"https://x\", \\\n        headers={\"t\": \"\(Self.ghToken)\"})\n"
        let report = try Self.linter(select: ["unpooled-client"]).lint(virtualFiles: [("svc/app.py", source)])
        #expect(report.findings.map(\.ruleID) == ["unpooled-client"])
        #expect(report.findings.allSatisfy { !$0.showsSource && $0.sourceLine == nil })
        #expect(!Self.outputs(report).contains(Self.ghToken))
        // The same line without the token keeps its source line (the facts do not hide everything).
        let clean = try Self.linter(select: ["unpooled-client"]).lint(virtualFiles: [("svc/app.py", source.replacingOccurrences(of: Self.ghToken, with: "x"))])
        #expect(clean.findings.map(\.sourceLine) == ["    return requests.get(\"https://x\", \\"])
    }

    @Test("a secret only an allowlisted or extra pattern knows is still redacted from other findings")
    func customScanner() throws {
        let secret = "acme_live_Q8v7Z2xL9pKm4WtR3bYc"
        let toml = """
            [committed-secret]
            extra-patterns = [{ id = "acme-key", regex = "(acme_live_[A-Za-z0-9]{20})", keywords = ["acme_live_"] }]
            disabled-kinds = ["github-token"]
            """
        let source = "import requests\nrequests.get(\"u\", headers={\"a\": \"\(secret)\", \"b\": \"\(Self.ghToken)\"})\n"
        let report = try Self.linter(select: ["unpooled-client"], toml: toml).lint(virtualFiles: [("svc/app.py", source)])
        #expect(!report.findings.isEmpty)
        #expect(report.findings.allSatisfy { $0.sourceLine == nil })
        let out = Self.outputs(report)
        #expect(!out.contains(secret))
        #expect(!out.contains(Self.ghToken))
    }

    @Test("a warm run (analyses from the cache, not the run memo) redacts as the cold run did")
    func warmRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-secretlines-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let linter = try Self.linter(select: ["unpooled-client", "dependency-version-drift"])
        var files = Self.majority + [
            ("svc-a/requirements.txt", "flask @ https://ci:\(Self.token)@pypi.internal/packages/flask-2.3.3-py3-none-any.whl\n"),
            ("svc-a/app.py", "import requests\n\ndef f():\n    return requests.get(\"https://x\", \\\n        headers={\"t\": \"\(Self.ghToken)\"})\n"),
            ("svc-a/other.py", "x = 1\n"),
        ]
        func run(_ files: [(path: String, contents: String)], cache: AnalysisCache?) -> LintRun {
            linter.run(MemorySnapshot(files: files), rootDisplay: ".", reportOnly: nil, cache: cache)
        }
        let cold = run(files, cache: AnalysisCache(directory: dir))
        // Another file changes: the run memo does not answer, the unchanged files come from the cache.
        files[files.count - 1].contents = "x = 2\n"
        let warm = run(files, cache: AnalysisCache(directory: dir))
        #expect(warm.statistics.cached >= 4)
        let reference = run(files, cache: nil)
        for r in [cold.report, warm.report] {
            #expect(r.findings.count == 2)
            #expect(r.findings.allSatisfy { $0.sourceLine == nil && !$0.showsSource })
            #expect(!Self.outputs(r).contains(Self.token) && !Self.outputs(r).contains(Self.ghToken))
        }
        #expect(Self.outputs(warm.report) == Self.outputs(reference.report))
        #expect(JSONReporter().render(cold.report) == JSONReporter().render(reference.report))
    }

    @Test("the catalogue finder's candidate lines hold every line it finds a secret on (secrets fixture)")
    func candidatesCoverFinder() throws {
        let root = RepositoryPaths.fixtures.appendingPathComponent("committed-secret")
        let finder = try #require(try Self.linter(select: ["committed-secret"]).secretFinder)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path).sorted()
        var linesWithSecrets = 0
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map(Array.init),
                  !bytes.isEmpty, !bytes.prefix(8192).contains(0) else { continue }
            let index = LineStarts(bytes)
            let candidates = try #require(bytes.withUnsafeBufferPointer { finder.candidateLines(in: $0, lineIndex: index, path: path, known: nil) })
            // The hits committed-secret's scan records give the same lines; another scanner's are not used.
            let scanner = SecretScanner.sharedDefault
            let hits = bytes.withUnsafeBufferPointer { scanner.automaton.hits($0) }
            for known in [SecretKeywordHits(scanner: ObjectIdentifier(scanner), hits: hits),
                          SecretKeywordHits(scanner: ObjectIdentifier(try SecretScanner()), hits: [])] {
                #expect(bytes.withUnsafeBufferPointer { finder.candidateLines(in: $0, lineIndex: index, path: path, known: known) } == candidates)
            }
            let set = Set(candidates)
            for line in 1...index.lineCount {
                let text = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[index.byteRange(ofLine: line, in: $0)]), as: UTF8.self) }
                guard !finder.secrets(inLine: text, path: path).isEmpty else { continue }
                linesWithSecrets += 1
                #expect(set.contains(line), "\(path):\(line) holds a secret but is not a candidate line")
            }
        }
        #expect(linesWithSecrets >= 60)
    }

    /// The redaction walk before the facts: from a finding's lines, over `\` continuations (at most 200 lines
    /// back, to 400 lines after its first).
    static func referenceWindow(start: Int, end: Int, continues: (Int) -> Bool) -> ClosedRange<Int> {
        var first = start, last = max(start, end)
        last = min(last, first + 200)
        while first > 1, first > start - 200, continues(first - 1) { first -= 1 }
        while last < start + 400, continues(last) { last += 1 }
        return first...last
    }

    @Test("the candidate lines a finding reaches are those the continuation walk reaches", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func windowMatchesWalk(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let lineCount = Int.random(in: 1...900, using: &rng)
        let continuedShare = [0.0, 0.3, 0.9, 1.0][Int(seed) % 4]
        var text = ""
        var isContinued = [Bool](repeating: false, count: lineCount + 2)
        for line in 1...lineCount {
            let c = Double.random(in: 0..<1, using: &rng) < continuedShare
            isContinued[line] = c
            let trailing = ["", " ", "\t ", "\u{00A0}"].randomElement(using: &rng)!
            text += "x\(line)" + (c ? "\\" + (trailing == "\u{00A0}" ? " " : trailing) : trailing)
            if line < lineCount || Bool.random(using: &rng) { text += ["\n", "\r\n", "\r"].randomElement(using: &rng)! }
        }
        let bytes = Array(text.utf8)
        let index = LineStarts(bytes)
        #expect(index.lineCount >= lineCount)
        // The same lines as `LineIndex` (which the rules and reporters use).
        let full = LineIndex(bytes)
        #expect(index.lineStarts == full.lineStarts)
        bytes.withUnsafeBufferPointer { buf in
            for line in 0...(index.lineCount + 1) { #expect(index.byteRange(ofLine: line, in: buf) == full.byteRange(ofLine: line, in: buf)) }
        }
        let candidates = (0..<Int.random(in: 0...60, using: &rng)).map { _ in Int.random(in: 1...lineCount, using: &rng) }
        let facts = bytes.withUnsafeBufferPointer { SecretLines(candidates: candidates, bytes: $0, lineIndex: index) }
        let continues = { (n: Int) in n >= 1 && n <= lineCount && isContinued[n] }
        for _ in 0..<300 {
            let start = Int.random(in: 1...lineCount, using: &rng)
            let end = Bool.random(using: &rng) ? start : Int.random(in: start...min(lineCount + 3, start + 300), using: &rng)
            let window = Self.referenceWindow(start: start, end: end, continues: continues)
            let expected = Set(candidates).filter { window.contains($0) }.sorted()
            #expect(facts.lines(forStart: start, end: end) == expected, "finding \(start)...\(end), window \(window)")
        }
    }
}
