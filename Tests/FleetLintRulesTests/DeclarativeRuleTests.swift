import FleetLintCore
import FleetLintRules
import Foundation
import Testing
import TestSupport

@Suite("Declarative rules")
struct DeclarativeRuleTests {
    func error(_ yaml: String, file: String = "rules/demo.yaml") -> ConfigurationError? {
        do { _ = try DeclarativeRuleLoader.parse(yaml: yaml, file: file); return nil } catch { return error }
    }

    let valid = """
        id: demo
        message: "found {match}"
        kind: regex
        regex: 'TODO\\((\\w+)\\)'
        capture-group: 1
        examples:
          triggering: ["# TODO(↓bob)"]
        """

    /// A regex that backtracks exponentially (`(a+)+$` on sixty `a`s and a `!`: 2^60 steps) stops at the file's time
    /// budget, inside the match: the file is reported over budget and the run goes on (it ran without bound). A
    /// regression hangs this test.
    @Test("a catastrophic regex stops at the file's time budget")
    func catastrophicRegexStopsAtTheBudget() throws {
        let rule = try DeclarativeRuleLoader.parse(yaml: """
            id: redos
            message: "found {match}"
            kind: regex
            regex: '(a+)+$'
            examples:
              triggering: ["↓aaa"]
            """, file: "rules/redos.yaml")
        var config = Configuration()
        config.fileTimeBudget = 0.2
        let linter = try FleetLintSetup.makeLinter(configuration: config, extraRules: [rule])
        let report = linter.lint(virtualFiles: [("svc/x.py", "x = '" + String(repeating: "a", count: 60) + "!'\n"), ("svc/y.py", "aaa\n")])
        #expect(report.findings.contains { $0.path == "svc/x.py" && $0.ruleID == "parse-error" && $0.message.contains("budget exceeded") })
        #expect(report.findings.contains { $0.path == "svc/y.py" && $0.ruleID == "redos" })
    }

    /// A catastrophic pattern that met every file used up every file's budget: 10 s a file by default. Once it has used
    /// up the budget of `filesBeforeStop` (3) files, the run stops it: later files skip it (a rule skip each), and the
    /// stop is one finding at the rule's pattern, listing the files whose budget it used up. Files analysed while the
    /// rule was stopped can hit the budget too (one per other worker), so the count of budget findings is bounded by
    /// 3 + workers - 1; against the code without the stop it was one per file.
    @Test("a declarative rule that used up the budget of 3 files is stopped for the run and reported once")
    func catastrophicRegexIsStoppedForTheRun() throws {
        let rule = try DeclarativeRuleLoader.parse(yaml: """
            id: redos
            message: "found {match}"
            kind: regex
            regex: '(a+)+$'
            paths:
              include: ["svc/**"]
            examples:
              triggering: ["↓aaa"]
            """, file: "rules/redos.yaml")
        var config = Configuration()
        config.fileTimeBudget = 0.05
        let linter = try FleetLintSetup.makeLinter(configuration: config, extraRules: [rule])
        let workers = ProcessInfo.processInfo.activeProcessorCount
        let n = 3 + workers + 6
        let line = "x = '" + String(repeating: "a", count: 60) + "!'\n"
        // So few files go to the workers in path order (not reordered by size): `svc/ok.py`, last, comes after the
        // stop. `other/x.py` is outside the rule's `paths`.
        let files = (0..<n).map { (path: "svc/m\(String(format: "%03d", $0)).py", contents: line) } + [("svc/ok.py", "aaa\n"), ("other/x.py", "x = 1\n")]
        let report = linter.lint(virtualFiles: files)
        let budget = report.findings.filter { $0.ruleID == "parse-error" && $0.message.contains("budget exceeded") }
        #expect(budget.count >= 3 && budget.count <= 3 + workers - 1, "\(budget.count) files over budget")
        let stops = report.findings.filter { $0.ruleID == "redos" && $0.path == "rules/redos.yaml" }
        #expect(stops.count == 1)
        let stop = try #require(stops.first)
        #expect(stop.range.start.line == 4)  // the `regex` line
        #expect(stop.message == "`redos` used up the time budget (0.05 s) of 3 files, so this run stopped it: "
                + "the files analysed after that were not checked with it")
        #expect(stop.related.map(\.path) == budget.map(\.path).sorted { $0.utf8Precedes($1) })
        let reason = "`redos` stopped for this run: it used up the time budget of 3 files"
        let skipped = report.summary.skipped[reason] ?? 0
        #expect(budget.count + skipped + (report.findings.contains { $0.path == "svc/ok.py" && $0.ruleID == "redos" } ? 1 : 0) == n + 1)
        let skippedPaths = Set(report.summary.skippedFiles.filter { $0.reason == reason }.map(\.path))
        #expect(skippedPaths.isDisjoint(with: budget.map(\.path)))
        #expect(skippedPaths.contains("svc/ok.py") && !skippedPaths.contains("other/x.py"), "a file the rule does not check is not skipped")
    }

    /// Nothing of a run that stopped a rule is kept for the next one: the files that skipped it and the files whose budget
    /// it used up are not cached, and the run is not memoized. So the next run, with nothing changed or with an
    /// unrelated change, analyses them again and stops the rule on the same files, as a cold run does. (Cached, the
    /// files over budget did not count against the rule in the next run, which ran it on three more files; memoized,
    /// an unchanged tree replayed the stopped run without checking anything.)
    @Test("after a run that stopped a rule, the next run checks the same files again and stops it on them")
    func stoppedRunIsNotKept() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-stop-\(UUID().uuidString)")
        // The cache outside the tree: inside it, its own files would be analysed on the second run.
        let cacheDir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-stop-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: cacheDir) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("rules"), withIntermediateDirectories: true)
        let yaml = "id: redos\nmessage: \"found {match}\"\nkind: regex\nregex: '(a+)+$'\nexamples:\n  triggering: [\"↓aaa\"]\n"
        try Data(yaml.utf8).write(to: root.appendingPathComponent("rules/redos.yaml"))
        let n = 3 + ProcessInfo.processInfo.activeProcessorCount + 6
        for i in 0..<n {
            try Data(("x = '" + String(repeating: "a", count: 60) + "!'\n").utf8).write(to: root.appendingPathComponent("m\(i).py"))
        }
        try Data("y = 1\n".utf8).write(to: root.appendingPathComponent("zz.py"))
        let rules = try DeclarativeRuleLoader.load(["rules/redos.yaml"], root: root)
        var config = Configuration()
        config.fileTimeBudget = 0.05
        let linter = try FleetLintSetup.makeLinter(configuration: config, extraRules: rules)
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        func run(_ reportOnly: [String]? = nil) -> LintRun {
            linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: reportOnly, cache: AnalysisCache(directory: cacheDir))
        }
        func stop(_ r: LintRun) -> Finding? { r.report.findings.first { $0.ruleID == "redos" && $0.path == "rules/redos.yaml" } }
        let first = run()
        let reason = "`redos` stopped for this run: it used up the time budget of 3 files"
        let skipped = first.report.summary.skipped[reason] ?? 0
        #expect(skipped > 0)
        let firstStop = try #require(stop(first))
        #expect(firstStop.range.start.line == 4)
        // Nothing changed: not replayed from a memo, every file over budget or skipped is analysed again.
        let second = run()
        #expect(second.statistics.analysed >= skipped + 3, "\(second.statistics.analysed) analysed, \(skipped) skipped before")
        let secondStop = try #require(stop(second))
        // Files go to the workers in path order: the first one used up its budget in both runs (a cached verdict of it
        // would not have counted, and the stop would have named three later files).
        let firstHit = try #require(firstStop.related.map(\.path).sorted { $0.utf8Precedes($1) }.first)
        #expect(secondStop.related.map(\.path).contains(firstHit), "\(firstStop.related.map(\.path)) then \(secondStop.related.map(\.path))")
        // A scoped run (a path argument that is none of those files) still reports the stop: it is about the whole run.
        let scoped = run(["zz.py"])
        #expect(stop(scoped) != nil)
    }

    /// Redaction keeps the secrets it found on each line per path. Keyed by String, of an NFC and an NFD `café.py`
    /// (equal Strings, two files) the second reused the first one's answer for its line 1: none, so the secret a
    /// rule's message quoted from it reached the report.
    @Test("a secret quoted in a finding of one of NFC/NFD twins is redacted")
    func redactionTwins() throws {
        let rule = try DeclarativeRuleLoader.parse(yaml: """
            id: quoted-token
            message: "found {match}"
            kind: regex
            regex: 'TOKEN = \\S+'
            examples:
              triggering: ["↓TOKEN = x"]
            """, file: "rules/quoted-token.yaml")
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration(), extraRules: [rule])
        let secret = "ghp_" + "Zq8Xw2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0UyVa2R"
        // NFD sorts first (e + U+0301 before é): its line holds a placeholder, the NFC file's the token.
        let report = linter.lint(virtualFiles: [
            ("svc/caf\u{E9}.py", "TOKEN = \"\(secret)\"\n"),
            ("svc/cafe\u{301}.py", "TOKEN = \"placeholder-value\"\n"),
        ])
        let quoted = report.findings.filter { $0.ruleID == "quoted-token" }
        #expect(quoted.count == 2)
        #expect(!quoted.contains { $0.message.contains(secret) }, "\(quoted.map(\.message))")
    }

    @Test("a rule's definition is a clean repository path")
    func definitionPathIsClean() throws {
        let yaml = "id: redos\nmessage: \"found {match}\"\nkind: regex\nregex: 'a+'\nexamples:\n  triggering: [\"↓aaa\"]\n"
        #expect(try DeclarativeRuleLoader.parse(yaml: yaml, file: "./rules//x/../redos.yaml").definition.path == "rules/redos.yaml")
        #expect(try DeclarativeRuleLoader.parse(yaml: yaml, file: "rules/redos.yaml").definition == ("rules/redos.yaml", 4))
    }

    @Test("the repository's rules/ all load")
    func repositoryRules() {
        #expect(!ExampleRunner.declarativeRules.isEmpty)
    }

    @Test("a valid rule loads with its examples")
    func validRule() throws {
        let rule = try DeclarativeRuleLoader.parse(yaml: valid, file: "rules/demo.yaml")
        #expect(rule.ruleDescription.id == "demo")
        #expect(rule.ruleDescription.triggering.count == 1)
    }

    /// An entry of `rule-files` that does not exist is an error at the configuration's `rule-files` line (it named the
    /// entry alone, with no file or line to fix).
    @Test("a missing rule-files entry names the configuration file and line")
    func missingRuleFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "[tool.fleetlint]\nselect = [\"ALL\"]\nrule-files = [\"rules/nope.yaml\"]\n"
        do {
            _ = try FleetLintSetup.parseConfiguration(text: text, path: "pyproject.toml", table: ["tool", "fleetlint"], root: dir)
            Issue.record("a missing rule file was accepted")
        } catch {
            #expect(error.file == "pyproject.toml" && error.line == 3, "\(error)")
            #expect(error.message.contains("`rules/nope.yaml`"))
        }
    }

    @Test("load errors name the file and line", arguments: [
        ("id: demo\nkind: regex\nregex: x\nexamples:\n  triggering: [x]\n", "missing required key `message`", nil as Int?),
        ("id: demo\nmessage: m\nkind: regex\nregex: '(x'\nexamples:\n  triggering: [x]\n", "invalid regex", 4),
        ("id: demo\nmessage: m\nkind: regex\nregex: 'x'\ncapture-group: 2\nexamples:\n  triggering: [x]\n", "`capture-group: 2` but the regex has only 0 groups", 5),
        ("id: demo\nmessage: m\nkind: regex\nregex: 'x'\nregexp: 'y'\nexamples:\n  triggering: [x]\n", "unknown key `regexp`", 5),
        ("id: demo\nmessage: m\nkind: semgrep\nexamples:\n  triggering: [x]\n", "unknown kind `semgrep`", 3),
        ("id: other\nmessage: m\nkind: regex\nregex: x\nexamples:\n  triggering: [x]\n", "must match the file name", 1),
        ("id: demo\nmessage: m\nseverity: fatal\nkind: regex\nregex: x\nexamples:\n  triggering: [x]\n", "`severity` must be", 3),
        ("id: demo\nmessage: m\nkind: regex\nregex: x\n", "needs at least one `examples.triggering`", nil),
    ])
    func loadErrors(_ yaml: String, _ expected: String, _ line: Int?) throws {
        let e = try #require(error(yaml))
        #expect(e.file == "rules/demo.yaml")
        #expect(e.message.contains(expected), "\(e.message)")
        if let line { #expect(e.line == line, "\(e)") }
    }

    @Test("duplicate ids across files are errors")
    func duplicates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("b"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(valid.utf8).write(to: dir.appendingPathComponent("a/demo.yaml"))
        try Data(valid.utf8).write(to: dir.appendingPathComponent("b/demo.yaml"))
        #expect(throws: ConfigurationError.self) { try DeclarativeRuleLoader.load(["a", "b"], root: dir) }
    }

    @Test("a rule file loaded again is parsed again only when its bytes changed")
    func reloadsEditedFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("demo.yaml")
        try Data(valid.utf8).write(to: file)
        let first = try DeclarativeRuleLoader.load(["demo.yaml"], root: dir)
        let again = try DeclarativeRuleLoader.load(["demo.yaml"], root: dir)
        #expect(first.map(\.sourceHash) == again.map(\.sourceHash))
        let edited = valid.replacingOccurrences(of: "message: ", with: "message: edited ")
        #expect(edited != valid)
        try Data(edited.utf8).write(to: file)
        let reloaded = try #require(try DeclarativeRuleLoader.load(["demo.yaml"], root: dir).first)
        #expect(reloaded.sourceHash != first.first?.sourceHash)
        #expect(reloaded.messageTemplate.hasPrefix("edited"))
        try Data("id: demo\n? x\n: y\n".utf8).write(to: file)
        #expect(throws: ConfigurationError.self) { try DeclarativeRuleLoader.load(["demo.yaml"], root: dir) }
    }
}

/// The pre-scan before Yams (issue 15): hostile shapes are errors with a line; ordinary rule files,
/// whatever their examples contain, are not.
@Suite("Declarative rule pre-scan")
struct DeclarativeRulePreflightTests {
    func error(_ yaml: String) -> ConfigurationError? {
        do { _ = try DeclarativeRuleLoader.parse(yaml: yaml, file: "rules/demo.yaml"); return nil } catch { return error }
    }

    @Test("non-scalar keys and deep nesting are errors naming the line", arguments: [
        ("id: demo\n? x\n: y\n", "explicit key", 2),
        ("id: demo\nmessage: m\n[a, b]: c\n", "collection", 3),
        ("id: demo\nmessage: &a m\n*a : c\n", "alias", 3),
        ("id: demo\nx: {a: 1, {b: 2}: 3}\n", "collection", 2),
        ("id: demo\nexamples:\n  triggering:\n" + String(repeating: "  - ", count: 70) + "x\n", "more than 64 levels", 4),
        ("id: demo\nregex: " + String(repeating: "[", count: 65) + "\n", "more than 64 levels", 2),
    ] as [(String, String, Int)])
    func rejected(_ yaml: String, _ expected: String, _ line: Int) throws {
        let e = try #require(error(yaml))
        #expect(e.file == "rules/demo.yaml")
        #expect(e.message.contains(expected), "\(e.message)")
        #expect(e.line == line, "\(e)")
    }

    @Test("indicators inside scalars, block scalars and comments do not count")
    func ordinaryRule() throws {
        let yaml = """
            # ? - [a]: b
            id: demo
            message: "found {match} ? - [x]: y"
            kind: regex
            regex: 'a? (b)'
            metadata: &meta
              note: 'x ? y: *z'
              list: [a, "b: c"]
            paths: {include: ["**/*.py", '[x]: y'], exclude: []}
            examples:
              triggering:
                - |
                  ? - a? x
                  [a]: b
                  *a: b
                  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
                  ↓a? b
                - >-
                  ? folded
              non-triggering:
                - &plain 'plain'
                - "[a]: b"
                - *plain
            """
        let rule = try DeclarativeRuleLoader.parse(yaml: yaml, file: "rules/demo.yaml")
        #expect(rule.ruleDescription.triggering.count == 2)
    }
}
