import ArgumentParser
import FleetLintAdoption
import FleetLintCore
import FleetLintRules
import Foundation

extension AdoptionFormat: ExpressibleByArgument {}

struct AdoptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adoption",
        abstract: "Migration percentages (legacy vs adopted call sites) per directory, at any commit or over history.",
        discussion: """
            Migrations come from [[tool.fleetlint.migrations]] (id, description, legacy, adopted, exclude, \
            enabled); without configuration: bigquery-pool, http-pool and retry-jitter.

            Exit codes: 0 fine, 1 a --no-regression or --fail-under check failed, 2 usage or configuration error.
            """
    )

    @Argument(help: "The repository directory.")
    var root: String = "."

    @Option(name: .long, help: "Use this configuration file instead of the one found at the root.")
    var config: String?

    @OptionGroup var engine: EngineOptions

    @Option(name: .long, help: "Output format: \(AdoptionFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: AdoptionFormat = .text

    @Option(name: [.short, .long], help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Figures at this commit (read from git, nothing checked out) instead of the working tree.")
    var at: String?

    @Flag(name: .long, help: "Figures over first-parent history.")
    var history = false

    @Option(name: .long, help: "History start (YYYY-MM-DD or ISO 8601; default: the first commit).")
    var since: String?

    @Option(name: .long, help: "History end (default: the last commit).")
    var until: String?

    @Option(name: .long, help: "History spacing: day, week or month (default: week).")
    var every: String?

    @Option(name: .long, help: "History spacing: every N first-parent commits.")
    var commits: Int?

    @Option(name: .long, help: "Directory breakdown depth.")
    var depth: Int = 2

    @Flag(name: .long, help: "Count test files with the rest (default: apart).")
    var includeTests = false

    @Option(name: .long, help: "Write an SVG chart of percent per migration over time (with --history).")
    var chart: String?

    @Option(name: .long, help: "Write a self-contained HTML report (chart, tables, remaining files).")
    var html: String?

    @Option(name: .long, help: "Exit 1 if any migration's percent fell or its legacy count rose since this revision (e.g. the merge base).")
    var noRegression: String?

    @Option(name: .long, parsing: .singleValue, help: "Exit 1 if a migration's percent is under PCT (`PCT` for all, `ID=PCT` for one; repeatable).")
    var failUnder: [String] = []

    @Option(name: .long, help: "Append one JSON line per point to this file.")
    var record: String?

    func validate() throws {
        if depth < 1 { throw ValidationError("--depth must be at least 1") }
        if let every, !["day", "week", "month"].contains(every) { throw ValidationError("--every must be day, week or month") }
        if every != nil && commits != nil { throw ValidationError("--every and --commits exclude each other") }
        if let commits, commits < 1 { throw ValidationError("--commits must be at least 1") }
        if !history && (since != nil || until != nil || every != nil || commits != nil || chart != nil) {
            throw ValidationError("--since, --until, --every, --commits and --chart need --history")
        }
        if history && at != nil { throw ValidationError("--at and --history exclude each other") }
        if let since, AdoptionHistory.parseDate(since, endOfDay: false) == nil { throw ValidationError("--since: not a date: \(since)") }
        if let until, AdoptionHistory.parseDate(until, endOfDay: true) == nil { throw ValidationError("--until: not a date: \(until)") }
    }

    func run() throws {
        let rootURL = URL(fileURLWithPath: root)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDir), isDir.boolValue else {
            printError("error: no such directory: \(root)")
            throw ExitCode(2)
        }
        let explicit = config.map { URL(fileURLWithPath: $0) }
        let (runner, repository) = try withConfigurationErrors { () throws -> (AdoptionRunner, GitRepository?) in
            let configuration = try FleetLintSetup.loadConfiguration(root: rootURL, explicit: explicit)
            let located = explicit.map { ($0, $0.lastPathComponent == "pyproject.toml" ? ["tool", "fleetlint"] : []) }
                ?? Configuration.locate(root: rootURL)
            let text = located.flatMap { FileManager.default.contents(atPath: $0.0.path) }.flatMap { String(data: $0, encoding: .utf8) }
            let migrations = try Migration.load(
                configuration: configuration, knownRules: FleetLintSetup.knownRuleIDs, text: text, table: located?.1 ?? ["tool", "fleetlint"])
            // Resolved once, so that an unusable directory is warned about once.
            let cacheDirectory = self.engine.cacheDirectory(root: rootURL)
            let engine = try AdoptionEngine(
                configuration: configuration, root: rootURL, migrations: migrations, cacheDirectory: cacheDirectory)
            var repository: GitRepository?
            switch GitRepository.discover(at: rootURL.path) {
            case .success(let r): repository = r
            case .failure(let e):
                if at != nil || history || noRegression != nil { throw ConfigurationError(file: root, message: "git: \(e.message)") }
            case nil:
                if at != nil || history || noRegression != nil { throw ConfigurationError(file: root, message: "not a git repository") }
            }
            let runner = AdoptionRunner(
                engine: engine, repository: repository, options: FigureOptions(depth: depth, includeTests: includeTests),
                cacheDirectory: cacheDirectory)
            return (runner, repository)
        }
        let started = Date()
        let display = root
        let points: [AdoptionPoint]
        do {
            points = try computePoints(runner: runner, repository: repository, rootURL: rootURL, display: display)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
        if engine.verbose {
            let s = runner.engine.statistics
            printError(String(format: "fleetlint: adoption: %d point(s), %d distinct files (of %d over all points), %d analysed, %d from the cache, %d point(s) from the figures cache, %.2f s",
                              points.count, s.distinctFiles, s.pointFiles, s.analysed, s.cached, s.cachedPoints, Date().timeIntervalSince(started)))
        }

        // What writes the report: a JSON history a point at a time (thousands of commits are hundreds of MB of JSON).
        let report: ((String) -> Void) -> Void
        switch (format, history) {
        case (.json, false): report = { $0(AdoptionJSON.render(points[0], root: display)) }
        case (.json, true): report = { AdoptionJSON.render(history: points, root: display, write: $0) }
        case (.markdown, false): report = { $0(AdoptionText.markdown(points[0])) }
        case (.markdown, true): report = { $0(AdoptionText.markdown(history: points)) }
        case (.csv, _): report = { $0(AdoptionText.csv(points)) }
        case (.text, false): report = { $0(AdoptionText.render(points[0])) }
        case (.text, true): report = { $0(AdoptionText.render(history: points)) }
        }
        try write(to: output, report)
        if let chart { try write(AdoptionChart.svg(points), to: chart) }
        if let html { try write(AdoptionChart.html(points, root: display), to: html) }
        if let record {
            let lines = points.map(AdoptionJSON.line).joined(separator: "\n") + "\n"
            do {
                // A file that cannot be created fails to open just below, which reports it.
                if !FileManager.default.fileExists(atPath: record) { _ = FileManager.default.createFile(atPath: record, contents: nil) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: record))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(lines.utf8))
                try handle.close()
            } catch {
                printError("error: cannot write \(record): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }

        // Checks on the current point: the working tree, --at, or the last point of a history.
        guard let current = points.last else { return }
        var failed = false
        if let noRegression {
            let base: AdoptionPoint
            do { base = try runner.figures(at: noRegression) } catch {
                printError("error: \(error.message)")
                throw ExitCode(2)
            }
            for r in Ratchet.regressions(base: base, current: current) {
                failed = true
                printError("adoption regression: \(r.migration): \(r.message) since \(noRegression)")
                for f in r.files { printError("  \(f.path): \(f.before) → \(f.after) legacy sites") }
            }
        }
        let floors = try withConfigurationErrors { try Ratchet.floors(failUnder, point: current) }
        for f in floors {
            failed = true
            printError("adoption under floor: \(f)")
        }
        if failed { throw ExitCode(1) }
    }

    private func computePoints(runner: AdoptionRunner, repository: GitRepository?, rootURL: URL, display: String) throws(GitError) -> [AdoptionPoint] {
        if history, let repository {
            let all = try AdoptionHistory.firstParent(repository)
            let step: HistoryStep = commits.map { .commits($0) } ?? (every == "day" ? .day : every == "month" ? .month : .week)
            let chosen = AdoptionHistory.points(
                all, step: step, since: since.flatMap { AdoptionHistory.parseDate($0, endOfDay: false) },
                until: until.flatMap { AdoptionHistory.parseDate($0, endOfDay: true) })
            return try runner.history(chosen, progress: Progress())
        }
        if let at { return [try runner.figures(at: at)] }
        var options = LintOptions(root: rootURL, rootDisplay: display)
        options.useGit = repository != nil
        return [runner.figures(snapshot: runner.engine.linter.workingTree(options))]
    }

    /// Writes what `body` gives its sink, piece by piece, to the file or to stdout; a failure exits 2.
    private func write(to path: String?, _ body: ((String) -> Void) -> Void) throws {
        let handle: FileHandle
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                printError("error: cannot write \(path): \(String(cString: strerror(errno)))")
                throw ExitCode(2)
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        var failed: Error?
        body { piece in
            guard failed == nil else { return }
            do { try handle.write(contentsOf: Data(piece.utf8)) } catch { failed = error }
        }
        if path != nil { try? handle.close() }
        if let failed {
            printError("error: cannot write \(path ?? "the report to standard output"): \(failed.localizedDescription)")
            throw ExitCode(2)
        }
    }

    private func write(_ text: String, to path: String?) throws {
        try write(to: path) { $0(text) }
    }
}
