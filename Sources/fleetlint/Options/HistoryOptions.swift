import ArgumentParser
import FleetLintCore
import FleetLintRules
import Foundation

/// `check --history [REV-RANGE]`: secrets in git history instead of the working tree.
struct HistoryOptions: ParsableArguments {
    @Flag(name: .long, help: ArgumentHelp(
        "Scan git history for committed-secret and committed-env-file: every blob reachable from any ref, or only the blobs new in a revision range given as the argument (`--history origin/main..HEAD`).",
        discussion: "Each distinct blob is scanned once; one finding per secret, at the commit that introduced it."))
    var history = false

    /// The repository and the range from the positional arguments: an existing directory is the
    /// repository (default: the one around the current directory), anything else the revision range.
    func resolve(_ arguments: [String]) throws -> (repository: GitRepository, display: String, range: HistoryRange) {
        var directory: String?
        var revisions: [String] = []
        for a in arguments {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: a, isDirectory: &isDir), isDir.boolValue, directory == nil {
                directory = a
            } else {
                revisions.append(a)
            }
        }
        guard revisions.count <= 1 else {
            throw ValidationError("--history takes one revision range (`A..B`), not \(revisions.joined(separator: " "))")
        }
        if let r = revisions.first, r.hasPrefix("-") { throw ValidationError("`\(r)` is not a revision range") }
        let start = directory ?? FileManager.default.currentDirectoryPath
        switch GitRepository.discover(at: start) {
        case .success(let repository)?:
            return (repository, directory ?? ".", revisions.first.map { .revisions($0) } ?? .all)
        case .failure(let error)?:
            throw ValidationError("git cannot read \(start): \(error)")
        case nil:
            throw ValidationError("\(start) is not inside a git repository; --history scans git history")
        }
    }
}

extension CheckCommand {
    /// `check --history`: the same configuration, rule selection, baseline and reporters as a
    /// working-tree check.
    func runHistory() throws {
        if changes.isActive { throw ValidationError("--history scans commits; it does not go with --staged or --changed-since") }
        if strictBaseline { throw ValidationError("--strict-baseline does not apply to --history (history findings never make an entry stale)") }
        let loadedBaseline = try baseline.map { path in
            do { return try Baseline.load(path) } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
        }
        let (repository, display, range) = try historyOptions.resolve(scope.paths)
        let root = URL(fileURLWithPath: repository.root)
        let split = { (values: [String]) in values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty } }
        let selected = split(rules.select), ignored = split(rules.ignore)
        let linter = try withConfigurationErrors {
            var configuration = try FleetLintSetup.loadConfiguration(
                root: root, explicit: scope.config.map { URL(fileURLWithPath: $0) })
            configuration.applyCommandLine(select: selected.isEmpty ? nil : selected, ignore: ignored, failOn: rules.failOn)
            return try FleetLintSetup.makeLinter(configuration: configuration, root: root)
        }
        let known = Set(linter.rules.map(\.ruleDescription.id))
        for id in selected + ignored where id != "ALL" && !known.contains(id) {
            printError("error: unknown rule id `\(id)`; run `fleetlint rules` to list the valid ids")
            throw ExitCode(2)
        }
        let run: HistoryRun
        do {
            run = try linter.scanHistory(
                repository, range: range, rootDisplay: display, cache: engine.cacheDirectory(root: root).map(AnalysisCache.init),
                extraExcludes: scope.exclude.map(Glob.init))
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if engine.verbose {
            let s = run.statistics
            let mib = Double(s.bytes) / 1_048_576
            printError(String(
                format: "fleetlint: history (%@): %d commits, %d blobs, %d scanned (%.1f MiB), %d from the cache, %d missing; %.2f s (%.2f s reading and scanning, %.0f MiB/s)",
                range.description, s.commits, s.blobs, s.scanned, mib, s.cached, s.missing,
                s.seconds, s.scanSeconds, s.scanSeconds > 0 ? mib / s.scanSeconds : 0))
        }
        var report = run.report
        let failOn = linter.configuration.failOn
        if let loadedBaseline {
            let result = HistoryBaseline.apply(report.findings.array, baseline: loadedBaseline)
            report = report.replacingFindings(result.new)
            if !quiet { printError("fleetlint: baseline \(baseline!): \(result.matched) accepted finding\(result.matched == 1 ? "" : "s") hidden") }
        }
        try emit(report, failOn: failOn)
    }
}
