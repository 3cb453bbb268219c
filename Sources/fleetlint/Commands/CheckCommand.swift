import ArgumentParser
import FleetLintAllocator
import FleetLintCore
import FleetLintSyntax
import FleetLintRules
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct CheckCommand: ParsableCommand {
    /// With its super-command's name: `FleetLintCommand.parseCheckDirectly` parses it as its own root, and a root
    /// with a super-command is not searched for a completion-script request (two more parsers of the command line,
    /// each reflecting over its type: ~8 % of a check of an almost empty tree). Such requests take the root's parse
    /// (`asksForRootText`). As a subcommand of `fleetlint`, only the root's super-command name is ever read.
    static let configuration = CommandConfiguration(
        commandName: "check",
        _superCommandName: "fleetlint",
        abstract: "Lint a repository (the default command).",
        discussion: """
            The repository root is the git top level (or the directory holding the configuration), \
            whatever directory is named; path arguments limit the report, not the analysis.

            Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it (or stale \
            baseline entries with --strict-baseline), 2 usage, configuration, rule-file or git error.
            """
    )

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var changes: ChangeOptions
    @OptionGroup var rules: RuleSelectionOptions
    @OptionGroup var historyOptions: HistoryOptions

    @Option(name: .long, help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Also write a JUnit XML report to this file (findings below --fail-on pass).")
    var junit: String?

    @Option(name: .long, help: "Show only findings at or above this severity: error, warning or info.")
    var severity: Severity?

    @Option(name: .long, help: "Report only findings that this baseline file does not accept.")
    var baseline: String?

    @Flag(name: .long, help: "With --baseline: exit 1 when baseline entries are stale (their findings are fixed).")
    var strictBaseline = false

    @Flag(name: .long, help: "Print the number of findings per rule instead of the findings.")
    var statistics = false

    @Flag(name: [.short, .long], help: "Print findings only, no summary.")
    var quiet = false

    @Flag(name: .long, help: "Never colour the output (also NO_COLOR; FORCE_COLOR colours it off a terminal).")
    var noColor = false

    func validate() throws {
        if strictBaseline && baseline == nil { throw ValidationError("--strict-baseline needs --baseline FILE") }
    }

    func run() throws {
        if historyOptions.history { return try runHistory() }
        let loadedBaseline = try baseline.map { path in
            do { return try Baseline.load(path) } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
        // Only the text report prints source lines (`--junit` and the other formats never do).
        let analysis = try Analysis.run(scope: scope, rules: rules, engine: engine, changes: changes,
                                        sourceLines: format == .text && !statistics)
        // The run memo is saved while the report is written; the process exits (or throws its exit code) after.
        defer { analysis.pendingWrites.wait() }
        var report = analysis.report
        let failOn = analysis.linter.configuration.failOn

        var staleCount = 0
        if let loadedBaseline {
            let result = analysis.applyBaseline(loadedBaseline)
            report = report.replacingFindings(result.new)
            staleCount = result.stale.count
            var note = "fleetlint: baseline \(baseline!): \(result.matched.count) accepted finding\(result.matched.count == 1 ? "" : "s") hidden"
            if staleCount > 0 {
                note += "; \(staleCount) entr\(staleCount == 1 ? "y is" : "ies are") stale (fixed) — "
                    + "run `fleetlint baseline update\(baseline == Baseline.defaultPath ? "" : " -o \(baseline!)")` to drop them"
            }
            if !quiet || (strictBaseline && staleCount > 0) { printError(note) }
        }
        try emit(report, failOn: failOn)
        if strictBaseline && staleCount > 0 { throw ExitCode(1) }
    }

    /// Whether the report on stdout is coloured: never with `--no-color`, into a file, or with `NO_COLOR` set to anything
    /// but the empty string (no-color.org); always with `FORCE_COLOR` set so (a CI log that renders colour, as ruff and
    /// many tools read it); otherwise on a terminal only.
    static func colors(noColor: Bool, toFile: Bool, terminal: Bool, environment: [String: String]) -> Bool {
        if noColor || toFile || !(environment["NO_COLOR"] ?? "").isEmpty { return false }
        if let force = environment["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
        return terminal
    }

    /// Filters by `--severity`, writes the report (or `--statistics`) and `--junit`, and exits 1 on
    /// findings at or above `failOn`: the tail of a working-tree and of a history check alike.
    func emit(_ report: LintReport, failOn: Severity) throws {
        var report = report
        // `array`: an encoded list decoded with one decoder (filtered through the subscript, each finding was decoded
        // alone, its metadata tables again).
        if let severity { report = report.replacingFindings(report.findings.array.filter { $0.severity >= severity }) }
        if statistics {
            try write(TextReporter.statistics(report), to: output)
        } else {
            let useColor = Self.colors(noColor: noColor, toFile: output != nil, terminal: isatty(STDOUT_FILENO) != 0,
                                       environment: ProcessInfo.processInfo.environment)
            try writeReport(format.reporter(color: useColor, quiet: quiet, failOn: failOn), report, to: output)
        }
        if let junit { try writeReport(ReportFormat.junit.reporter(failOn: failOn), report, to: junit) }
        if report.hasFindings(atOrAbove: failOn) { throw ExitCode(1) }
    }
}

/// `--select`, `--ignore`, `--fail-on`, `--report-unused-suppressions`: shared by `check` and `baseline`.
struct RuleSelectionOptions: ParsableArguments {
    @Option(name: .long, parsing: .singleValue, help: "Run only these rules (comma-separated, repeatable).")
    var select: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Do not run these rules (comma-separated, repeatable).")
    var ignore: [String] = []

    @Option(name: .long, help: "Lowest severity that makes the exit code 1: error, warning or info.")
    var failOn: Severity?

    @Flag(name: .long, help: "Report suppression comments that silence nothing.")
    var reportUnusedSuppressions = false
}

/// One analysis of the repository, as `check` and `baseline` run it.
struct Analysis {
    var report: LintReport
    var project: Project
    var linter: Linter
    var root: URL
    var reportOnly: [String]?
    /// `--staged`/`--changed-since`: only findings on changed lines were reported, so no entry can be
    /// judged stale.
    var changedOnly = false
    /// The cache writes that go on while the report is written (`LintRun.pendingWrites`).
    var pendingWrites = PendingWrites()

    static func run(scope: ScopeOptions, rules: RuleSelectionOptions, engine: EngineOptions,
                    changes: ChangeOptions? = nil, sourceLines: Bool = false) throws -> Analysis {
        var clock = ContinuousClock.now
        // `--verbose` gives each step's live and resident heap from the allocator's statistics (set once, before
        // any step is timed; without `--verbose` the steps read none).
        if engine.verbose {
            RunStatistics.heapProbe = {
                var live = 0, resident = 0
                return fleetlint_allocator_heap(&live, &resident) == 1 ? (live, resident) : nil
            }
        }
        let (root, display, reportOnly) = try scope.resolve()
        let split = { (values: [String]) in values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty } }
        let selected = split(rules.select), ignored = split(rules.ignore)
        var setup = RunStatistics()
        setup.lap("root", since: &clock)
        let linter = try withConfigurationErrors {
            var configuration = try FleetLintSetup.loadConfiguration(
                root: root, explicit: scope.config.map { URL(fileURLWithPath: $0) })
            configuration.applyCommandLine(select: selected.isEmpty ? nil : selected, ignore: ignored, failOn: rules.failOn)
            if rules.reportUnusedSuppressions { configuration.reportUnusedSuppressions = true }
            return try FleetLintSetup.makeLinter(configuration: configuration, root: root)
        }
        let known = Set(linter.rules.map(\.ruleDescription.id))
        for id in selected + ignored where id != "ALL" && !known.contains(id) {
            printError("error: unknown rule id `\(id)`; run `fleetlint rules` to list the valid ids")
            throw ExitCode(2)
        }
        var options = LintOptions(root: root, rootDisplay: display, reportOnly: reportOnly)
        options.extraExcludes = scope.exclude.map(Glob.init)
        options.useGit = !scope.noGit
        setup.lap("configuration and rules", since: &clock)
        let cache = engine.cacheDirectory(root: root).map(AnalysisCache.init)
        // A run that will analyse files (no cache, no run memo yet, or only changed files) builds what rules build on
        // first use while the files are listed.
        let changesActive = changes?.isActive ?? false
        if cache.map({ !$0.hasRunMemo }) ?? true || changesActive { linter.startWarmUp() }
        let snapshot: any Snapshot
        let changeSet: ChangeSet?
        if let changes, changesActive {
            (snapshot, changeSet) = try changes.snapshot(linter: linter, options: options)
        } else {
            snapshot = linter.workingTree(options)
            changeSet = nil
        }
        setup.lap("snapshot", since: &clock)
        var run = linter.run(snapshot, rootDisplay: display, reportOnly: reportOnly,
                             cache: cache, changes: changeSet, allLines: changes?.allLines ?? false, sourceLines: sourceLines,
                             writesBehind: true, releasesRuleInputs: true)
        run.statistics.phases = setup.phases + run.statistics.phases
        engine.report(run.statistics, label: snapshot.label)
        // Freeing the project's objects one by one at exit is wasted work; the process is about to end.
        ProcessLifetime.keep(run.project)
        return Analysis(report: run.report, project: run.project, linter: linter, root: root,
                        reportOnly: reportOnly, changedOnly: changeSet != nil, pendingWrites: run.pendingWrites)
    }

    /// A file's bytes for baseline keys, from the analysed snapshot (any thread).
    var fileBytes: @Sendable (String) -> [UInt8]? {
        let project = self.project
        return { path in project.contents(path) }
    }

    /// Matches the report against a baseline. Stale entries are only those this run could have
    /// matched: of a rule that ran, in a path the report covers.
    func applyBaseline(_ baseline: Baseline) -> BaselinePass.Match {
        var match = BaselinePass.match(
            report.findings.array, baseline: baseline, currentPaths: project.allPaths, fileBytes: fileBytes)
        match.stale = match.stale.filter(covers)
        return match
    }

    /// Whether this run could have reported the entry's finding (its rule ran, its path is in scope).
    func covers(_ e: BaselineEntry) -> Bool {
        // Changed-file modes report only findings on changed lines: nothing else can be judged fixed.
        if changedOnly { return false }
        return report.rules.contains { $0.id == e.rule }
            && (reportOnly.map { $0.contains { e.path.utf8IsSameOrUnder($0) } } ?? true)
    }
}

extension LintReport {
    /// The same report with these findings (a subset, in report order) and its counts redone.
    func replacingFindings(_ findings: [Finding]) -> LintReport {
        var r = self
        r.findings = FindingList(findings)
        r.summary.findingsByRule = [:]
        r.summary.parseErrors = 0
        for f in findings {
            r.summary.findingsByRule[f.ruleID, default: 0] += 1
            if f.ruleID == "parse-error" { r.summary.parseErrors += 1 }
        }
        return r
    }
}

func write(_ text: String, to path: String?) throws {
    guard let path else {
        _ = writeAll(STDOUT_FILENO, Array(text.utf8))  // a closed pipe (`| head`): the rest is not wanted
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
        printError("error: cannot write \(path): \(error.localizedDescription)")
        throw ExitCode(2)
    }
}

/// Writes a report to stdout (or a file) as the reporter makes it, in pieces of about 64 KiB: the
/// whole report never exists in memory as one string.
func writeReport(_ reporter: any Reporter, _ report: LintReport, to path: String?) throws {
    let fd = path.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) } ?? STDOUT_FILENO
    var failed = fd < 0
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 17)
    func flush() {
        // stdout: a closed pipe (`| head`) wants no more.
        if !failed && !writeAll(fd, buffer) { failed = true }
        buffer.removeAll(keepingCapacity: true)
    }
    reporter.renderBytes(report) { piece in
        // A large piece (a chunk of the JSON report's findings) is written as it is, not copied.
        if piece.count >= 1 << 16 {
            flush()
            if !failed && !writeAll(fd, piece) { failed = true }
            return
        }
        buffer.append(contentsOf: piece)
        if buffer.count >= 1 << 16 { flush() }
    }
    flush()
    guard let path else { return }
    if fd >= 0 && close(fd) != 0 { failed = true }
    if failed {
        printError("error: cannot write \(path): \(String(cString: strerror(errno)))")
        throw ExitCode(2)
    }
}

/// The lines of the file last asked for, split once (findings come in path order, so a baseline asks
/// for many findings of one file in a row; keeping one file bounds the memory).
/// Holds objects until the process exits, so their (single-threaded) deallocation is skipped.
enum ProcessLifetime {
    nonisolated(unsafe) private static var kept: [AnyObject] = []
    static func keep(_ object: AnyObject) { kept.append(object) }
}
