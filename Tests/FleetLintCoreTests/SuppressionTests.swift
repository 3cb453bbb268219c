import FleetLintCore
import FleetLintRules
import FleetLintSyntax
import Testing

@Suite("Suppressions")
struct SuppressionTests {
    func parse(_ text: String) -> [SuppressionComment] {
        let bytes = Array(text.utf8)
        return SuppressionParser.parse(bytes, lineIndex: LineIndex(bytes))
    }

    func silenced(_ set: inout SuppressionSet, _ finding: Finding) -> Bool { set.suppresses(finding) }

    func finding(_ rule: String, line: Int) -> Finding {
        Finding(ruleID: rule, severity: .error, message: "m", path: "a.py", range: SourceRange(line: line, column: 1))
    }

    @Test("line directives with ids and a reason")
    func lineDirective() throws {
        let c = parse("x = 1  # fleetlint: ignore[a, b] -- legacy\n")
        let d = try #require(c.first)
        #expect(d.ruleIDs == ["a", "b"])
        #expect(d.reason == "legacy")
        #expect(!d.isStandalone)
        #expect(d.scope == .line)
    }

    /// A second directive on the line ends the first one's reason (it was the rest of the line, the second directive
    /// included, and read once per directive: a line of 5,000 directives took 19 s).
    @Test("directives on one line each have their own reason")
    func directivesOnOneLine() throws {
        let c = parse("x = 1  # fleetlint: ignore[a] -- first  # fleetlint: ignore[b] -- second # fleetlint: ignore-file[c]\n")
        #expect(c.map(\.ruleIDs) == [["a"], ["b"], ["c"]])
        #expect(c.map(\.reason) == ["first", "second", nil])
        #expect(c.map(\.scope) == [.line, .line, .file])
        // Prose that names the tool is not a directive and does not end one.
        let prose = parse("# fleetlint: ignore[a] -- see fleetlint: docs\n")
        #expect(prose.map(\.reason) == ["see fleetlint: docs"])
        let many = parse("x = 1  " + String(repeating: "# fleetlint: ignore[unpooled-client] ", count: 5_000) + "\n")
        #expect(many.count == 5_000 && many.allSatisfy { $0.reason == nil && $0.ruleIDs == ["unpooled-client"] })
    }

    @Test("a standalone directive covers the next line; a trailing one only its own")
    func coverage() {
        var set = SuppressionSet(comments: parse("# fleetlint: ignore[a]\nx = 1\ny = 2  # fleetlint: ignore[b]\nz = 3\n"))
        #expect(silenced(&set, finding("a", line: 2)))
        #expect(!silenced(&set, finding("a", line: 3)))
        #expect(silenced(&set, finding("b", line: 3)))
        #expect(!silenced(&set, finding("b", line: 4)))
    }

    @Test("a directive above a continued line covers the whole logical line")
    func continuation() {
        let text = "# fleetlint: ignore[a]\nRUN pip install \\\n    flask>=2 \\\n    gunicorn\nRUN true\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var set = SuppressionSet(comments: parse(text)) { n in n >= 1 && n <= lines.count && lines[n - 1].hasSuffix("\\") }
        #expect(silenced(&set, finding("a", line: 3)))
        #expect(silenced(&set, finding("a", line: 4)))
        #expect(!silenced(&set, finding("a", line: 5)))
    }

    @Test("stacked standalone directives all apply to the code below")
    func stacked() {
        var set = SuppressionSet(comments: parse("# fleetlint: ignore[a]\n# fleetlint: ignore[b]\nx = 1\n"))
        #expect(silenced(&set, finding("a", line: 3)))
        #expect(silenced(&set, finding("b", line: 3)))
    }

    @Test("ignore-file applies in the first 20 lines only")
    func fileScope() {
        var early = SuppressionSet(comments: parse("# fleetlint: ignore-file[a]\n"))
        #expect(silenced(&early, finding("a", line: 300)))
        var late = SuppressionSet(comments: parse(String(repeating: "\n", count: 25) + "# fleetlint: ignore-file[a]\n"))
        #expect(!silenced(&late, finding("a", line: 300)))
    }

    @Test("bare and malformed directives are recognised so they can be reported")
    func bare() {
        #expect(parse("x = 1  # fleetlint: ignore\n").first?.ruleIDs == [])
        #expect(parse("x = 1  # fleetlint: ignore[a\n").first?.isMalformed == true)
        #expect(parse("x = 1  # fleetlint: ignored by design\n").isEmpty)
        #expect(parse("x = \"fleetlint: ignore[a]\"\n").isEmpty)
    }

    @Test("works in requirements, Dockerfile, TOML, YAML and .env comments")
    func formats() {
        for text in ["flask==2.0  # fleetlint: ignore[a]\n", "RUN pip install x # fleetlint: ignore[a]\n",
                     "key = 1 # fleetlint: ignore[a]\n", "key: 1 # fleetlint: ignore[a]\n", "A=1 # fleetlint: ignore[a]\n"] {
            #expect(parse(text).first?.ruleIDs == ["a"], "\(text)")
        }
    }
}

@Suite("Suppressions in the engine")
struct EngineSuppressionTests {
    func lint(_ files: [(path: String, contents: String)], select: [String], unused: Bool) throws -> [Finding] {
        var config = Configuration()
        config.reportUnusedSuppressions = unused
        config.applyCommandLine(select: select, ignore: [], failOn: nil)
        return try FleetLintSetup.makeLinter(configuration: config).lint(virtualFiles: files).findings.array
    }

    @Test("a suppression silences its rule and is listed with its reason")
    func silencesWithReason() throws {
        let files = [(path: "svc/.env", contents: "# fleetlint: ignore-file[committed-env-file] -- dev defaults only\nA=1\n")]
        var config = Configuration()
        config.applyCommandLine(select: ["committed-env-file"], ignore: [], failOn: nil)
        let report = try FleetLintSetup.makeLinter(configuration: config).lint(virtualFiles: files)
        #expect(report.findings.isEmpty)
        #expect(report.suppressions.first?.reason == "dev defaults only")
    }

    @Test("unused suppressions are reported only on request, and only for rules that ran")
    func unused() throws {
        let files = [(path: "svc/app.py", contents: "x = 1  # fleetlint: ignore[unpooled-client]\ny = 2  # fleetlint: ignore[committed-secret]\n")]
        #expect(try lint(files, select: ["unpooled-client"], unused: false).isEmpty)
        let found = try lint(files, select: ["unpooled-client"], unused: true)
        #expect(found.map(\.ruleID) == ["unused-suppression"])
        #expect(found.first?.range.start.line == 1)
    }

    @Test("a directive after another comment still counts; the same text in a string does not")
    func afterAnotherComment() throws {
        let code = "import requests\n\ndef f(u):\n    return requests.get(u)  # type: ignore  # fleetlint: ignore[unpooled-client]\n"
        #expect(try lint([(path: "svc/app.py", contents: code)], select: ["unpooled-client"], unused: false).isEmpty)
        let inString = "import requests\nX = \"# fleetlint: ignore[unpooled-client]\"; requests.get('u')\n"
        #expect(try lint([(path: "svc/app.py", contents: inString)], select: ["unpooled-client"], unused: false).count == 1)
    }

    @Test("a bare ignore is itself a finding")
    func bare() throws {
        let found = try lint([(path: "svc/app.py", contents: "x = 1  # fleetlint: ignore\n")], select: ["blanket-suppression"], unused: false)
        #expect(found.map(\.ruleID) == ["blanket-suppression"])
    }
}
