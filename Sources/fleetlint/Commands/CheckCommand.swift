import ArgumentParser
import FleetLintCore
import FleetLintRules
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint a repository (the default command).",
        discussion: """
            Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 usage,
            configuration or rule-file error.
            """
    )

    @OptionGroup var scope: ScopeOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var changes: ChangeOptions

    @Option(name: .long, help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Option(name: .long, parsing: .singleValue, help: "Run only these rules (comma-separated, repeatable).")
    var select: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Do not run these rules (comma-separated, repeatable).")
    var ignore: [String] = []

    @Option(name: .long, help: "Lowest severity that makes the exit code 1: error, warning or info.")
    var failOn: Severity?

    @Flag(name: .long, help: "Report suppression comments that silence nothing.")
    var reportUnusedSuppressions = false

    @Flag(name: [.short, .long], help: "Print findings only, no summary.")
    var quiet = false

    @Flag(name: .long, help: "Never colour the output.")
    var noColor = false

    func run() throws {
        let (root, display, reportOnly) = try scope.resolve()
        let split = { (values: [String]) in values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty } }
        let selected = split(select), ignored = split(ignore)
        let linter = try withConfigurationErrors {
            var configuration = try FleetLintSetup.loadConfiguration(
                root: root, explicit: scope.config.map { URL(fileURLWithPath: $0) })
            configuration.applyCommandLine(select: selected.isEmpty ? nil : selected, ignore: ignored, failOn: failOn)
            if reportUnusedSuppressions { configuration.reportUnusedSuppressions = true }
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
        let snapshot: any Snapshot
        let changeSet: ChangeSet?
        if changes.isActive {
            (snapshot, changeSet) = try changes.snapshot(linter: linter, options: options)
        } else {
            snapshot = linter.workingTree(options)
            changeSet = nil
        }
        let run = linter.run(snapshot, rootDisplay: display, reportOnly: reportOnly,
                             cache: engine.cacheDirectory(root: root).map(AnalysisCache.init),
                             changes: changeSet, allLines: changes.allLines)
        engine.report(run.statistics, label: snapshot.label)
        let report = run.report
        // Freeing the project's objects one by one at exit is wasted work; the process is about to end.
        ProcessLifetime.keep(run.project)

        let useColor = !noColor && output == nil && isatty(STDOUT_FILENO) != 0
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        try write(format.reporter(color: useColor, quiet: quiet).render(report), to: output)
        if let junit { try write(ReportFormat.junit.reporter().render(report), to: junit) }
        if report.hasFindings(atOrAbove: linter.configuration.failOn) { throw ExitCode(1) }
    }

    private func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            printError("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}

/// Holds objects until the process exits, so their (single-threaded) deallocation is skipped.
enum ProcessLifetime {
    nonisolated(unsafe) private static var kept: [AnyObject] = []
    static func keep(_ object: AnyObject) { kept.append(object) }
}
