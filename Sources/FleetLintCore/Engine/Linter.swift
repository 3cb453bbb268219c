import Foundation
import FleetLintSyntax
#if canImport(Glibc)
import Glibc
#endif

/// What to lint and how.
public struct LintOptions: Sendable {
    /// The repository root to scan.
    public var root: URL
    /// How the root is shown in reports (never an absolute path unless the user gave one).
    public var rootDisplay: String
    /// When set, only findings whose primary or related location is one of these repository-relative
    /// paths (or lies under one of these directories) are reported; the analysis still sees the whole
    /// repository (pre-commit batches).
    public var reportOnly: [String]?
    /// `--exclude` globs from the command line (added to the configuration's).
    public var extraExcludes: [Glob] = []
    public var useGit = true
    /// Files larger than this are not read at all.
    public var maxFileSize = 16 * 1024 * 1024
    /// Where analyses are cached between runs (nil: no cache).
    public var cacheDirectory: URL?

    public init(root: URL, rootDisplay: String, reportOnly: [String]? = nil) {
        self.root = root
        self.rootDisplay = rootDisplay
        self.reportOnly = reportOnly
    }
}

/// Counts of one run that are not part of the report (so that a warm run's report equals a cold one's).
public struct RunStatistics: Sendable {
    /// Entries of the snapshot.
    public var files = 0
    /// Files analysed in this run (parsed, rules run).
    public var analysed = 0
    /// Files whose analysis came from the cache.
    public var cached = 0
    /// Cache entries that failed their checksum and were recomputed.
    public var corruptCacheEntries = 0
    /// Each step of the run, in order (for `--verbose`; never in a report).
    public var phases: [Phase] = []
    /// Project-memo answers reused (see `ProjectMemo`).
    public var projectMemoHits = 0
    /// Files the passes read for their findings' lines (those the analysis had not kept: project-rule
    /// findings, analyses from the cache).
    public var passReads = 0

    public init() {}

    /// One step of the run, measured when it ends.
    public struct Phase: Sendable {
        public var name: String
        /// Wall time.
        public var seconds: Double
        /// The process's peak resident memory (KiB) at the end of the step.
        public var peakKiB: Int
        /// The process's CPU time (user + system, seconds, all threads) at the end of the step: a step's CPU
        /// time (this total less the previous step's) against its wall time shows how well it uses the cores.
        public var cpuTotal: Double
        /// The allocator's live heap and resident pages (KiB) at the end of the step, when `heapProbe` can tell:
        /// what the run still holds, where `peakKiB` is the most it ever held (code and libraries included).
        public var heap: (liveKiB: Int, residentKiB: Int)? = nil
    }

    /// Reads the allocator's statistics (bytes live, bytes resident). The executable sets it once, with `--verbose`,
    /// before any step is timed (it links the allocator: jemalloc on Linux, where the probe answers; elsewhere it
    /// answers nil); unset (tests, runs without `--verbose`), steps record no heap. Live counts the blocks the program
    /// holds plus freed small blocks waiting in the threads' caches.
    nonisolated(unsafe) public static var heapProbe: (@Sendable () -> (live: Int, resident: Int)?)?

    /// Records the time since `start` as phase `name` and restarts the clock; `heap` reads the allocator's statistics
    /// (`heapProbe` unless a test passes its own).
    public mutating func lap(
        _ name: String, since start: inout ContinuousClock.Instant,
        heap: (() -> (live: Int, resident: Int)?)? = RunStatistics.heapProbe
    ) {
        let now = ContinuousClock.now
        let d = now - start
        var usage = rusage()
        let ok = getrusage(RUSAGE_SELF_WHO, &usage) == 0
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        phases.append(Phase(
            name: name, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18,
            peakKiB: ok ? Int(usage.ru_maxrss) : 0, cpuTotal: ok ? seconds(usage.ru_utime) + seconds(usage.ru_stime) : 0,
            heap: heap?().map { ($0.live / 1024, $0.resident / 1024) }))
        start = now
    }
}

#if canImport(Glibc)
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// One run's results.
public struct LintRun: Sendable {
    public var report: LintReport
    public var project: Project
    public var statistics: RunStatistics
    /// The cache writes still under way when `run` returned (the run memo: see `PendingWrites`).
    public var pendingWrites = PendingWrites()
}

/// The run memo on its way to the writer thread: taken once, so that no reference to the findings outlives the write.
private final class MemoBox: @unchecked Sendable {
    private var memo: RunMemo?
    init(_ memo: RunMemo) { self.memo = memo }
    func take() -> RunMemo? {
        defer { memo = nil }
        return memo
    }
}

/// Cache writes that go on after `Linter.run` has returned its report (`writesBehind: true`), so that they overlap
/// with writing the report out: encoding and saving a cold run's memo (every finding) was ~36 M instructions on the
/// main thread of a 1x run, after the passes and before the first byte of the report. `wait()` returns once they are
/// done; the last release waits too, so a caller that drops its `LintRun` (or never asks) still finds the cache
/// written. The CLI calls `wait()` before it exits: the writes are atomic, an interrupted one is lost, never
/// half-written. Without `writesBehind` the cache is complete when `run` returns.
public final class PendingWrites: @unchecked Sendable {
    private var work: BackgroundWork<Void>?

    public init() {}
    init(_ body: @escaping @Sendable () -> Void) { work = BackgroundWork(body) }
    deinit { work?.result() }

    public func wait() { work?.result() }
}

/// Runs rules over a snapshot and produces a `LintReport`:
/// snapshot → per-file analysis (cached by blob) → project rules over facts → passes → report.
/// Holds no global state, so tests can run several in parallel.
public struct Linter: Sendable {
    public let configuration: Configuration
    public let rules: [any Rule]
    public let parsers: [any FileParser]
    public let classifier: FileClassifier
    /// Finds secrets on the lines that findings are reported on, so that no output (source lines,
    /// messages quoting a line) ever carries one, whichever rule reported and whatever was selected.
    public let secretFinder: (any SecretFinder)?
    /// Identifies everything besides a file's own bytes that changes its analysis (configuration text,
    /// rule files, command-line selection); part of every cache key.
    public var settingsFingerprint: String
    /// Qualified callee patterns whose call sites the analysis records as facts (adoption).
    public var callPatterns: [DottedNamePattern] = []
    /// Returns the memory freed so far to the system at once (`Linter.returnsFreedMemory`, which the executable sets to
    /// its allocator's purge), where a run has just let go of much and allocates more: after the project rules'
    /// shared values are built (the parsed manifests let go), and after the facts and the index are let go, before
    /// the findings are expanded for the passes. Freed pages otherwise stay resident for the allocator's decay time
    /// (0.1 s), beside the new ones: 16x synthetic tree, cold, five runs each, peak RSS ~97 -> ~92 MiB, nba 51.5 ->
    /// 49.2, 4x 52.6 -> 48.7, 1x 35.1 -> 34.5, at no time we could measure. nil: the run leaves it to the allocator.
    public var returnFreedMemory: (@Sendable () -> Void)? = Linter.returnsFreedMemory
    /// The default of `returnFreedMemory` for the linters made afterwards; set once by the executable, at start-up.
    nonisolated(unsafe) public static var returnsFreedMemory: (@Sendable () -> Void)?

    public init(configuration: Configuration, rules: [any Rule], parsers: [any FileParser],
                classifier: FileClassifier = FileClassifier(), secretFinder: (any SecretFinder)? = nil,
                settingsFingerprint: String = "") {
        self.secretFinder = secretFinder
        self.configuration = configuration
        self.rules = rules + EngineRule.all.filter { e in !rules.contains { $0.ruleDescription.id == e.ruleDescription.id } }
        self.parsers = parsers
        self.classifier = classifier
        self.settingsFingerprint = settingsFingerprint
    }

    var defaults: [String: (enabled: Bool, severity: Severity)] {
        var d: [String: (enabled: Bool, severity: Severity)] = [:]
        for r in rules { d[r.ruleDescription.id] = (r.ruleDescription.isEnabledByDefault, r.ruleDescription.defaultSeverity) }
        if !configuration.reportUnusedSuppressions { d["unused-suppression"]?.enabled = false }
        return d
    }

    /// The configuration's settings for a path, plus `unused-suppression` whenever
    /// `--report-unused-suppressions` asked for it (unless the rule is ignored explicitly).
    func settings(for path: String, defaults: [String: (enabled: Bool, severity: Severity)]) -> EffectiveSettings {
        var s = configuration.settings(for: path, defaults: defaults)
        if configuration.reportUnusedSuppressions && !configuration.ignore.contains("unused-suppression")
            && !configuration.commandLineIgnore.contains("unused-suppression") {
            s.enabledRules.insert("unused-suppression")
        }
        return s
    }

    /// The working tree of `options.root`.
    public func workingTree(_ options: LintOptions) -> WorkingTreeSnapshot {
        WorkingTreeSnapshot(
            root: options.root, excludes: configuration.exclude + options.extraExcludes, classifier: classifier,
            useGit: options.useGit, maxFileSize: options.maxFileSize)
    }

    /// Lints a repository on disk.
    public func lint(_ options: LintOptions) -> LintReport { analyze(options).report }

    /// Lints a repository on disk and also returns the project (for `fleetlint deps`).
    public func analyze(_ options: LintOptions) -> (report: LintReport, project: Project) {
        let r = run(workingTree(options), rootDisplay: options.rootDisplay, reportOnly: options.reportOnly,
                    cache: options.cacheDirectory.map(AnalysisCache.init))
        return (r.report, r.project)
    }

    /// Lints an in-memory repository (rule examples, tests).
    public func lint(virtualFiles: [(path: String, contents: String)], rootDisplay: String = ".") -> LintReport {
        let snapshot = MemorySnapshot(files: virtualFiles, excludes: configuration.exclude, classifier: classifier)
        return run(snapshot, rootDisplay: rootDisplay, reportOnly: nil, cache: nil).report
    }

    /// The whole pipeline over one snapshot. `releasesRuleInputs`: the returned project keeps no Python facts and no
    /// dependency index (`Project.releaseRuleInputs`), for a caller that reads only its paths and bytes afterwards.
    public func run(_ snapshot: any Snapshot, rootDisplay: String, reportOnly: [String]?, cache: AnalysisCache?,
                    changes: ChangeSet? = nil, allLines: Bool = false, sourceLines: Bool = true,
                    writesBehind: Bool = false, releasesRuleInputs: Bool = false) -> LintRun {
        var clock = ContinuousClock.now
        var phases = RunStatistics()
        let defaults = self.defaults
        let settings = SettingsMemo(pathDependent: !configuration.overrides.isEmpty) { [self] in self.settings(for: $0, defaults: defaults) }
        let globalSettings = settings("")
        let anyEnabled = Set(rules.map(\.ruleDescription.id)).filter { id in
            globalSettings.enabledRules.contains(id)
                || configuration.commandLineSelect == nil && !configuration.commandLineIgnore.contains(id)
                && configuration.overrides.contains { o in
                    let added = (o.select ?? []) + o.extendSelect
                    return added.contains(id) || added.contains("ALL")
                }
        }
        let activeRules = rules.filter { anyEnabled.contains($0.ruleDescription.id) }
        // Parse a kind only when a rule asks for that kind itself; `.text` (every text file, e.g. for
        // secret scanning) means "read it", not "parse it".
        let parsedKinds = Set(activeRules.flatMap(\.ruleDescription.inputs))
        var neededKinds = parsedKinds
        if neededKinds.contains(.text) { neededKinds.formUnion([.python, .requirements, .pyproject, .dockerfile, .envFile]) }
        let projectRules = activeRules.compactMap(\.asProjectRule)
        let wantsPythonFacts = projectRules.contains { $0.ruleDescription.inputs.contains(.python) } || !callPatterns.isEmpty
        if wantsPythonFacts { neededKinds.insert(.python) }
        var severity: [String: Severity] = [:]
        for r in rules { severity[r.ruleDescription.id] = globalSettings.severity[r.ruleDescription.id] ?? r.ruleDescription.defaultSeverity }
        var analyzer = FileAnalyzer(
            fileRules: activeRules.compactMap(\.asFileRule),
            parsers: parsers.filter { !$0.kinds.isDisjoint(with: parsedKinds.union(wantsPythonFacts ? [.python] : [])) },
            parsedKinds: parsedKinds, neededKinds: neededKinds, wantsPythonFacts: wantsPythonFacts,
            callPatterns: callPatterns, severity: severity, settings: { settings($0) })
        analyzer.timeBudget = configuration.fileTimeBudget
        analyzer.stopsUnboundedRules = true
        let (bytes, overflow) = configuration.fileMemoryBudget.multipliedReportingOverflow(by: 1_048_576)
        analyzer.memoryBudget = overflow ? Int.max : bytes
        analyzer.secretFinder = secretFinder
        analyzer.capturesFindingLines = sourceLines

        // How the project (and the passes' source lines) read a file's bytes.
        let read: @Sendable (String) -> [UInt8]? = { snapshot.read($0).textBytes }

        // 0. Nothing changed since the last run with these settings: its findings, without analysis.
        let knownKey = cache != nil && changes == nil ? runMemoKey(snapshot, analyzer: analyzer, settings: settings, cache: cache!) : nil
        if let cache, let memoKey = knownKey, let memo = cache.loadMemo(key: memoKey),
           memo.reads.allSatisfy({ r in
               let outcome = snapshot.read(r.path)
               if case .text(let bytes) = outcome { return BlobID.of(bytes).hex == r.id }
               return r.id == "-"
           }) {
            // The memo's findings stay encoded (each decoded as the report is written) unless a pass changes them.
            var findings = memo.findings
            let project = Project(analyses: [], allPaths: snapshot.allPaths, reader: read)
            var pendingWrites = PendingWrites()
            // The text report's source lines: those saved with the memo, set as each finding is decoded (a scoped
            // report keeps the findings in scope, each with its line); else read from the files (every finding decoded
            // into an array), and saved for the next run.
            if sourceLines, let saved = cache.loadSourceLines(key: memoKey, count: findings.count) {
                findings = reportOnly.map { FindingList(Passes.scope(findings, to: $0, lines: saved)) } ?? findings.withSourceLines(saved)
            } else if reportOnly != nil || sourceLines {
                var array = Passes.scope(findings.array, to: reportOnly)
                if sourceLines {
                    let lines = LineStore(project: project, secretFinder: nil)
                    lines.prepare(array, onlyShown: true)
                    Passes.sourceLines(&array, lines: lines)
                    if reportOnly == nil { pendingWrites = Self.saveSourceLines(array, key: memoKey, cache: cache, behind: writesBehind) }
                }
                findings = FindingList(array)
            }
            var summary = memo.summary
            summary.findingsByRule = [:]
            summary.parseErrors = 0
            let report = Self.report(
                sorted: findings, summary: summary, rules: activeRules, rootDisplay: rootDisplay, reportOnly: reportOnly,
                suppressions: memo.suppressions.filter { Passes.inScope($0.path, reportOnly) })
            var statistics = phases
            statistics.lap("run memo", since: &clock)
            statistics.files = snapshot.entries.count
            statistics.cached = memo.analysed
            return LintRun(report: report, project: project, statistics: statistics, pendingWrites: pendingWrites)
        }

        // 1. Per-file analysis, in parallel, from the cache where the blob was seen before.
        // With a change set, files outside it are analysed only when a project rule needs their kind
        // (their own file-rule findings could not be reported anyway).
        let projectKinds = Set(projectRules.flatMap(\.ruleDescription.inputs))
        let needed: ((SnapshotEntry) -> Bool)? = changes.map { c in
            { entry in c.touches(entry.path) || projectKinds.contains(entry.kind) || (wantsPythonFacts && entry.kind == .python) }
        }
        // The file rules' findings come out of the analyses here, into the run's one array (`RunFindings`), with the
        // lines the analysis kept for the passes: the project holds no findings. Moved at the end of the project rules
        // instead, the array was allocated while the project rules' structures were alive and the per-file arrays it
        // replaced could not yet be reused: ~17 MiB on top of the 16x tree's peak.
        let (analyses, fileFindings, captured, stats, cacheWrites) = analyzeFiles(
            snapshot, analyzer: analyzer, settings: settings, cache: cache, needed: needed,
            reportable: changes.map { c in { c.touches($0.path) } })
        phases.lap("analysis", since: &clock)

        // 2. Project rules over facts.
        let project = Project(analyses: consume analyses, allPaths: snapshot.allPaths, reader: read,
                              readMany: { snapshot.readMany($0)?.map(\.textBytes) })
        // As Strings: an NFC/NFD twin of a changed path only widens the units checked; the passes pick by bytes.
        project.focus = changes.map { Set($0.paths) }
        if changes != nil {
            // Files a changed-files run does not analyse still have blob ids in git snapshots (for the project memo).
            // Built apart and stored once (sized up front; each insertion into the project's own table was checked for
            // exclusivity and the table rehashed as it grew).
            var known: [UTF8Key: BlobID] = [:]
            known.reserveCapacity(snapshot.entries.count)
            for entry in snapshot.entries { if let b = entry.blob { known[UTF8Key(entry.path)] = b } }
            project.knownBlobs = known
        }
        project.memo = cache?.projectMemo
        // The cache's writes (new entries, the stat table) and, once the stat table knows every blob id the next
        // run can trust, the run memo's key: on a thread of their own while the project rules run.
        let cacheSave: BackgroundWork<String?>? = cache.map { cache in
            let memoKey: @Sendable () -> String? = { [self, analyzer] in
                knownKey ?? (changes == nil ? runMemoKey(snapshot, analyzer: analyzer, settings: settings, cache: cache) : nil)
            }
            return BackgroundWork {
                cacheWrites?.write(to: cache, analysis: { project.analysis($0) }, findings: fileFindings)
                let key = memoKey()
                cache.save()
                return key
            }
        }
        // With a change set, a project rule runs only when a changed file is of a kind it reads: its findings
        // lie in those files, and only findings on changed lines (or naming a changed file) are reported.
        var runnable = projectRules
        if let changes {
            let changedKinds = Set(changes.paths.map { classifier.kind(of: $0) })
            runnable = projectRules.filter { !changedKinds.isDisjoint(with: $0.ruleDescription.inputs) }
        }
        let projectFindings = runProjectRules(runnable, project: project, severity: severity, settings: settings)
        // Declarative rules the analysis stopped for using up files' time budgets: one finding each.
        let budgetStops = analyzer.budgetStopFindings()
        // The writer reads the file findings: done before the passes change them.
        let memoKey = cacheSave?.result() ?? nil
        // The facts and the index are let go before the findings are expanded for the passes (see the parameter).
        if releasesRuleInputs { project.releaseRuleInputs() }
        returnFreedMemory?()
        // Room for the project rules' findings too: appended to a full array, the whole array would be copied.
        var findings = fileFindings.take(reserving: projectFindings.count + budgetStops.count)
        findings += projectFindings
        findings += budgetStops
        project.memo?.save()
        phases.lap("project rules", since: &clock)

        // 3. Passes: severity → suppressions → redaction → sort + fingerprints → scope. The lines they read come
        // from the analysis (files with file-rule findings) or are read once here (`LineStore.prepare`).
        findings = Passes.severity(findings, global: globalSettings.severity, settings: settings)
        let applied = Passes.suppressions(
            &findings, analyses: Self.withSuppressions(project.files), knownIDs: Set(rules.map(\.ruleDescription.id)),
            settings: settings)
        findings = Passes.changedFiles(findings, changes)
        // Kept past the passes only for source lines (the text report). Any other report is done with the store here:
        // it is let go before the run memo is encoded (every finding at once), so it is not alive with the memo's
        // buffer at the end of a cold run (the captured lines and those read: ~9 MiB on the 16x tree).
        var lines: LineStore?
        var passReads: Int
        do {
            let store = LineStore(project: project, captured: consume captured, secretFinder: secretFinder)
            store.prepare(findings, everyStartLine: sourceLines)
            Passes.redaction(&findings, lines: store, secretFinder: secretFinder)
            Passes.fingerprints(&findings, lines: store)
            passReads = store.reads
            if sourceLines { lines = store }
        }
        var pendingWrites = PendingWrites()
        // A run that stopped a rule for using up files' time budgets is not memoized: the next run, even with nothing
        // changed, analyses again the files that skipped it (their analyses are not cached either).
        if let cache, let memoKey, budgetStops.isEmpty {
            var unscopedSummary = Self.skips(in: project.files)
            unscopedSummary.files = snapshot.entries.count
            // Encoded and saved on a thread of its own while the caller writes the report (`PendingWrites`). It
            // shares the findings' storage, held only by the box, which the writer empties before it finishes: a
            // pass that changes a finding in place after `wait()` copies nothing.
            let box = MemoBox(RunMemo(
                key: memoKey, reads: project.readLog.snapshot, findings: FindingList(findings), suppressions: applied,
                summary: unscopedSummary, analysed: stats.analysed + stats.cached))
            pendingWrites = PendingWrites { if let memo = box.take() { cache.saveMemo(memo) } }
            // Unless the caller asked to overlap it with its own work, the cache is complete when `run` returns. The
            // text report's source lines are set on every finding in place: the memo must have let go of them first
            // (else the whole array is copied, ~17 MB on the 16x tree).
            if !writesBehind || sourceLines { pendingWrites.wait() }
        }
        findings = Passes.scope(findings, to: reportOnly)
        findings = Passes.changed(findings, changes, allLines: allLines)
        // Last, and never in the run memo: only the text report prints them (one String per line with a finding).
        if sourceLines, let lines {
            Passes.sourceLines(&findings, lines: lines)
            passReads = lines.reads
            // Saved with the memo for the next warm text run, when these findings are the memo's (nothing scoped out).
            if let cache, let memoKey, budgetStops.isEmpty, reportOnly == nil {
                pendingWrites = Self.saveSourceLines(findings, key: memoKey, cache: cache, behind: writesBehind)
            }
        }

        var summary = Self.skips(in: project.files.lazy.filter { changes?.touches($0.path) ?? true })
        summary.files = changes.map { c in snapshot.entries.filter { c.touches($0.path) }.count } ?? snapshot.entries.count
        let report = Self.report(
            findings: findings, summary: summary, rules: activeRules, rootDisplay: rootDisplay, reportOnly: reportOnly,
            suppressions: applied.filter { Passes.inScope($0.path, reportOnly) && (changes?.touches($0.path) ?? true) })
        var statistics = stats
        statistics.corruptCacheEntries = cache?.corrupt ?? 0
        phases.lap("passes", since: &clock)
        statistics.phases = phases.phases
        statistics.projectMemoHits = project.memo?.hits ?? 0
        statistics.passReads = passReads
        return LintRun(report: report, project: project, statistics: statistics, pendingWrites: pendingWrites)
    }

    /// Saves the source lines of `findings` (the memo `key`'s, with their lines set) beside the memo, on a thread of
    /// its own while the report is written when `behind`, else before this returns.
    private static func saveSourceLines(_ findings: [Finding], key: String, cache: AnalysisCache, behind: Bool) -> PendingWrites {
        let writes = PendingWrites { cache.saveSourceLines(key: key, findings) }
        if !behind { writes.wait() }
        return writes
    }

    /// The analyses of the files that hold suppression comments (few), for the suppression pass: the others are
    /// passed over in place (iterating `Project.analyses` copied every file's analysis, a retain and a release of
    /// each of its fields, once per pass over it).
    static func withSuppressions(_ files: [ProjectFile]) -> LazyMapSequence<LazyFilterSequence<[ProjectFile]>, FileAnalysis> {
        files.lazy.filter { !$0.analysis.suppressions.isEmpty }.map(\.analysis)
    }

    /// Files not analysed, counted by reason and listed one by one: the fields read in place (see `withSuppressions`).
    static func skips(in files: some Sequence<ProjectFile>) -> LintSummary {
        var summary = LintSummary()
        for f in files where f.analysis.skipped != nil || !f.analysis.ruleSkips.isEmpty {
            for reason in (f.analysis.skipped.map { [$0] } ?? []) + f.analysis.ruleSkips {
                summary.skipped[reason, default: 0] += 1
                summary.skippedFiles.append(SkippedFile(path: f.path, reason: reason))
            }
        }
        return summary
    }

    /// The report: findings by rule counted, skipped files scoped.
    static func report(
        findings: [Finding], summary: LintSummary, rules: [any Rule], rootDisplay: String, reportOnly: [String]?,
        suppressions: [AppliedSuppression]
    ) -> LintReport {
        var sorted = findings
        Finding.sortInReportOrder(&sorted)
        return report(sorted: FindingList(sorted), summary: summary, rules: rules, rootDisplay: rootDisplay,
                      reportOnly: reportOnly, suppressions: suppressions)
    }

    /// `report` of findings already in report order (a run memo's, still encoded: their counts are known).
    static func report(
        sorted findings: FindingList, summary: LintSummary, rules: [any Rule], rootDisplay: String, reportOnly: [String]?,
        suppressions: [AppliedSuppression]
    ) -> LintReport {
        var summary = summary
        summary.skippedFiles = summary.skippedFiles.filter { Passes.inScope($0.path, reportOnly) }
        var counts = summary.findingsByRule
        for (rule, n) in findings.tally.countsByRule { counts[rule, default: 0] += n }
        summary.parseErrors += (counts["parse-error"] ?? 0) - (summary.findingsByRule["parse-error"] ?? 0)
        summary.findingsByRule = counts
        return LintReport(
            toolVersion: FleetLintVersion.current, root: rootDisplay, sorted: findings,
            rules: rules.map(\.ruleDescription), summary: summary, suppressions: suppressions)
    }

    /// The run memo's key: the settings and every needed entry's blob id, known without reading (git,
    /// or the stat table); nil when some blob id is unknown (a new or just-modified file).
    private func runMemoKey(_ snapshot: any Snapshot, analyzer: FileAnalyzer, settings: SettingsMemo, cache: AnalysisCache) -> String? {
        var key = ContentHash.Builder()
        for p in [AnalysisCache.buildIdentity, settingsFingerprint, String(snapshot.entries.count), String(snapshot.allPaths.count)] {
            key.part(p)
        }
        for entry in snapshot.entries where analyzer.reads(entry.kind) {
            var blob = entry.blob
            if blob == nil, let stamp = entry.stamp { blob = cache.blob(forPath: entry.path, stamp: stamp) }
            guard let blob else { return nil }
            key.append(entry.path); key.append(byte: 0x09); key.append(entry.kind.rawValue); key.append(byte: 0x09)
            key.append(blob); key.endPart()
        }
        for p in snapshot.problems { key.part("problem\t\(p.path)\t\(p.message)") }
        key.part(ContentHash.sha256(snapshot.allPaths))
        return key.finish()
    }

    private func analyzeFiles(
        _ snapshot: any Snapshot, analyzer: FileAnalyzer, settings: SettingsMemo, cache: AnalysisCache?,
        needed: ((SnapshotEntry) -> Bool)?, reportable: ((SnapshotEntry) -> Bool)? = nil
    ) -> ([FileAnalysis], RunFindings, [CapturedFile], RunStatistics, CacheWrites?) {
        let entries = snapshot.entries
        let count = entries.count
        // One slot per entry, written by the worker that analyses it: the analysis, whether it came from the cache, and
        // what the cache is told afterwards (see `CacheWrites`): the blob id of a read file (for the stat table), and
        // whether its analysis is new (to be stored) with the key when a lookup already hashed it.
        var slots = [AnalysisSlot](repeating: AnalysisSlot(), count: count)
        // A cold run (an empty or missing pack) looks nothing up: no key is hashed on the workers.
        let canHit = cache?.mayHaveEntries ?? false
        // Classes and call sites are facts only with callee patterns (adoption): they are part of the key.
        let fingerprint = callPatterns.isEmpty
            ? settingsFingerprint : settingsFingerprint + "\u{1F}calls:" + callPatterns.map(\.pattern).joined(separator: ",")
        let interner = FactInterner()
        // The Python facts take their import targets from the interner as they are made (`FactInterner.target(of:)`).
        let analyzer = { var a = analyzer; a.interner = interner; return a }()
        // The settings part of every key (often kilobytes) hashed once per distinct rule set, not once per file.
        let settingsDigests = SettingsDigests(fingerprint: fingerprint)
        let order = Self.largestFirst(entries)
        // Each file's findings go into the run's store as soon as its analysis is done (see `RunFindings`).
        let findings = RunFindings()
        slots.withUnsafeMutableBufferPointer { out in
                let slot = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: count) { k in
                    let i = order.isEmpty ? k : Int(order[k])
                    let entry = entries[i]
                    guard analyzer.reads(entry.kind), needed?(entry) ?? true else { return }
                    // The key of the last blob asked for, kept: looking up and storing the same blob hash it once.
                    var lastKey: (blob: BlobID, key: String)? = nil
                    func key(_ blob: BlobID) -> String {
                        if let lastKey, lastKey.blob == blob { return lastKey.key }
                        let k = AnalysisCache.key(
                            blob: blob, kind: entry.kind, path: entry.path, settings: settingsDigests.digest(settings.ruleKey(entry.path)))
                        lastKey = (blob, k)
                        return k
                    }
                    var blob = entry.blob
                    if blob == nil, let stamp = entry.stamp, let cache { blob = cache.blob(forPath: entry.path, stamp: stamp) }
                    /// The analysis, compacted, into its slot, and its findings into the run's store.
                    func settle(_ analysis: consuming FileAnalysis) {
                        var compacted = interner.compact(consume analysis)
                        slot[i].findings = findings.append(&compacted.findings)
                        slot[i].analysis = compacted
                    }
                    // A file whose findings the run cannot report (outside a change set): its cached ones are not built. Those
                    // of a file analysed here are kept, for the cache's entry.
                    let findingsWanted = reportable?(entry) ?? true
                    if canHit, let blob, let cache,
                       let cached = cache.lookup(key(blob), path: entry.path, kind: entry.kind, blob: blob, findings: findingsWanted) {
                        settle(cached)
                        slot[i].fromCache = true
                        return
                    }
                    // Without a cache a working-tree file's blob id is never needed: do not hash it.
                    let (outcome, computed) = blob.map { known -> (ReadOutcome, BlobID?) in
                        let read = snapshot.read(entry)
                        // An id known without reading (git's index, the stat table) names the bytes of the stamp the
                        // scan saw: a file changed since then is hashed as read, never stored under the old id.
                        if snapshot.unchanged(entry) { return (read, known) }
                        if case .text(let bytes) = read { return (read, BlobID.of(bytes)) }
                        return (read, nil)
                    } ?? (cache == nil ? (snapshot.read(entry), nil) : snapshot.load(entry))
                    // Binary and oversize files have no blob id of their own (they are not read in full):
                    // their verdict is cached under the path and stat alone.
                    var id = computed
                    if id == nil, entry.stamp != nil {
                        if case .binary = outcome { id = AnalysisCache.binarySentinel }
                        if case .tooLarge = outcome { id = AnalysisCache.tooLargeSentinel }
                    }
                    if let cache, let id {
                        slot[i].id = id  // recorded in the stat table afterwards
                        if canHit, blob == nil,  // known content under a new stat
                           let cached = cache.lookup(key(id), path: entry.path, kind: entry.kind, blob: computed, findings: findingsWanted) {
                            settle(cached)
                            slot[i].fromCache = true
                            return
                        }
                    }
                    var uncacheable = false
                    let analysis = analyzer.analyze(
                        path: entry.path, kind: entry.kind, outcome: outcome, blob: computed, uncacheable: &uncacheable)
                    // An analysis that lacks a stopped rule, or whose budget such a rule used up, is this run's only: a later
                    // run checks the file again.
                    if cache != nil, let id, !uncacheable {
                        // Stored afterwards, under the key a lookup hashed (or hashed then).
                        slot[i].store = true
                        if let lastKey, lastKey.blob == id { slot[i].key = lastKey.key }
                    }
                    settle(analysis)
                }
        }
        var analyses: [FileAnalysis] = []
        analyses.reserveCapacity(count)
        var stats = RunStatistics()
        stats.files = count
        var stored: [(entry: Int, key: String?, findings: Range<Int>)] = []
        var captured: [CapturedFile] = []
        // The lines an analysis kept for its findings move into `captured`.
        func moveLines(_ analysis: inout FileAnalysis) {
            if let lines = analysis.capturedLines {
                captured.append(CapturedFile(key: UTF8Key(analysis.path), lines: lines, secrets: analysis.secretLines))
                analysis.capturedLines = nil
                analysis.dropEmptyExtras()
            }
        }
        for i in slots.indices {
            // Moved out of the slot (`take`), not copied and then cleared: a retain and a release of every field, on the
            // main thread while no worker runs.
            guard var analysis = slots[i].analysis.take() else { continue }
            moveLines(&analysis)
            analyses.append(consume analysis)
            if slots[i].fromCache { stats.cached += 1 } else { stats.analysed += 1 }
            if slots[i].store { stored.append((i, slots[i].key, slots[i].findings)) }
        }
        let writes = cache == nil ? nil : CacheWrites(
            entries: entries, listsTree: snapshot is WorkingTreeSnapshot, ids: slots.map(\.id), stored: stored,
            key: { i, blob in
                AnalysisCache.key(blob: blob, kind: entries[i].kind, path: entries[i].path,
                                  settings: settingsDigests.digest(settings.ruleKey(entries[i].path)))
            })
        for problem in snapshot.problems {
            var analysis = analyzer.analyzeUnusable(path: problem.path, message: problem.message)
            _ = findings.append(&analysis.findings)
            moveLines(&analysis)
            analyses.append(analysis)
        }
        // Entries come in path order (`Snapshot.entries`): only unreadable files (snapshot problems) are out of place.
        // With some, checked in one pass before sorting (the sort's buffer was half the array, ~4.6 MiB on the 16x tree,
        // at the analysis's peak); without, not checked (a pass over every path on the main thread: ~2 ms on the 16x tree).
        let sorted = snapshot.problems.isEmpty || analyses.withUnsafeBufferPointer { a in
            a.indices.dropFirst().allSatisfy { a[$0 - 1].path.utf8.lexicographicallyPrecedes(a[$0].path.utf8) }
        }
        if !sorted { analyses.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) } }
        return (analyses, findings, captured, stats, writes)
    }

    /// The order files are analysed in: the few costliest first (by size, a Python file's byte weighing like
    /// eight of another file's: it is parsed), then the rest in snapshot order. A large file taken last
    /// would keep one core busy while the other has nothing left (longest-processing-time-first scheduling).
    /// Empty when sizes are unknown (snapshot order).
    static func largestFirst(_ entries: [SnapshotEntry]) -> [Int32] {
        let top = 32
        guard entries.count > top else { return [] }
        func cost(_ e: SnapshotEntry) -> Int {
            let size = e.stamp?.size ?? e.size ?? 0
            return e.kind == .python ? size * 8 : size
        }
        // The `top` costliest, kept sorted (costliest first) in a small array.
        var best: [(cost: Int, index: Int32)] = []
        best.reserveCapacity(top + 1)
        for (i, e) in entries.enumerated() {
            let c = cost(e)
            guard best.count < top || c > best[best.count - 1].cost else { continue }
            let at = best.firstIndex { $0.cost < c } ?? best.count
            best.insert((c, Int32(i)), at: at)
            if best.count > top { best.removeLast() }
        }
        guard let heaviest = best.first, heaviest.cost > 0 else { return [] }
        var chosen = [Bool](repeating: false, count: entries.count)
        var order: [Int32] = []
        order.reserveCapacity(entries.count)
        for b in best { order.append(b.index); chosen[Int(b.index)] = true }
        for i in entries.indices where !chosen[i] { order.append(Int32(i)) }
        return order
    }

    /// Independent project rules run in parallel; each rule's findings are kept where the rule is
    /// enabled for the finding's path.
    private func runProjectRules(
        _ projectRules: [any ProjectRule], project: Project, severity: [String: Severity], settings: SettingsMemo
    ) -> [Finding] {
        // Shared values (the dependency index) are built first, here: built inside one rule's check, its
        // parallel walks found every worker thread taken (the other checks waiting for it) and ran on one
        // core. Then each rule runs as a task of its own, not as an iteration of `concurrentPerform`,
        // whose nested loops (missing-dependency's units) libdispatch would run serially.
        for rule in projectRules { rule.prepare(project) }
        returnFreedMemory?()
        let results = RuleResults(count: projectRules.count)
        let group = DispatchGroup()
        for (i, rule) in projectRules.enumerated() {
            DispatchQueue.global().async(group: group) {
                let d = rule.ruleDescription
                let context = RuleContext(ruleID: d.id, severity: severity[d.id] ?? d.defaultSeverity)
                results.set(i, rule.check(project, in: context).filter { settings($0.path).enabledRules.contains(d.id) })
            }
        }
        group.wait()
        return results.all.flatMap { $0 }
    }
}

/// One entry's result in `analyzeFiles`, filled by the worker that analyses it.
private struct AnalysisSlot {
    var analysis: FileAnalysis?
    var fromCache = false
    /// The blob id (or binary/oversize sentinel) of a file read in this run, for the stat table.
    var id: BlobID?
    /// Whether the analysis is new (stored afterwards), and its key when a lookup already hashed it.
    var store = false
    var key: String?
    /// Where the analysis's findings are in the run's store (`RunFindings`).
    var findings: Range<Int> = 0..<0
}

/// What a run tells the cache once the analysis is done, from a thread of its own (`BackgroundWork`): the blob id
/// of every file read (into the stat table) and every new analysis (into the pack, in snapshot order). The
/// workers only note them: hashing keys, encoding entries and locking the cache cost the analysis a tenth.
struct CacheWrites: @unchecked Sendable {
    let entries: [SnapshotEntry]
    /// The entries are a whole working tree's: the stat table keeps records of their paths only
    /// (`AnalysisCache.noteListing`).
    let listsTree: Bool
    /// By entry: the blob id (or binary/oversize sentinel) of a file read in this run.
    let ids: [BlobID?]
    /// New analyses by entry, with the key when a worker's lookup already hashed it, and where the analysis's
    /// findings are in the run's array. The analyses themselves are read from the project when they are written (a
    /// copy of each here was ~15 MiB of the 16x tree's peak), their findings from `RunFindings`.
    let stored: [(entry: Int, key: String?, findings: Range<Int>)]
    /// The cache key of an entry's analysis under a blob id.
    let key: @Sendable (Int, BlobID) -> String

    func write(to cache: AnalysisCache, analysis: (String) -> FileAnalysis?, findings: RunFindings) {
        // The stat table's records are read from the run's own arrays, in snapshot order: a cold run's table is
        // those arrays (`StatBatch`), not a copy of them.
        let (entries, ids) = (entries, ids)
        cache.record(StatBatch(count: ids.count) { i in
            guard let id = ids[i], let stamp = entries[i].stamp else { return nil }
            return (entries[i].path, stamp, id)
        })
        if listsTree { cache.noteListing(StatBatch.Listing(count: entries.count) { entries[$0].path }) }
        for s in stored {
            guard let id = ids[s.entry], var a = analysis(entries[s.entry].path) else { continue }
            if !s.findings.isEmpty { a.findings = findings.read(s.findings) }
            cache.store(s.key ?? key(s.entry, id), a)
        }
    }
}

/// The file rules' findings of a run, from the analysis to the passes. Each file's findings come in as soon as its
/// analysis is done, from the worker that made it, as one run of indexes; the cache's writer reads them by those
/// ranges while the project rules run; then the linter takes them as one array, uniquely referenced, so the passes
/// change it in place (a reference left behind would copy all of it on the first change).
///
/// Until `take`, a finding is kept in a compact form (`Stored`, 48 bytes instead of a `Finding`'s 192): its rule id,
/// help text, anchor and scope, which repeat across thousands of findings, as indexes into one table of distinct
/// strings (not its message: built per finding, each one a storage of its own, comparing and hashing them to intern
/// them cost ~7 M instructions on the 1x tree, for 16 bytes a finding); its path once per file (`runs`: every finding
/// of one `append` that names the file's path); its related locations, which few findings have, in a side table by
/// the finding's index; its range in one word (`PackedRange`: four 32-bit numbers and an index into a table of related
/// lists made it 64 bytes, 1.4 MiB more on the 16x tree). A finding that does not fit (a fingerprint or source line
/// already set, another path, a number past 32 bits) is kept whole beside them. The findings live through the whole
/// project phase, whose structures (and, in a cold run, the cache's writer) make the run's peak: on the 16x tree's
/// ~90,000 findings the stored form was 10.0 MiB at 104 bytes (message, path, anchor and scope as strings, 16 bytes
/// each). They are kept in chunks of at least 1 MiB (jemalloc's oversize arena,
/// whose freed pages go back at once) until `take` expands them into the array chunk by chunk. Collected at the
/// analysis's end into one array instead, every file's own array and the run's were alive together at the analysis's
/// peak: ~18 MiB more on the 16x tree. Files come in the order the workers finish them: only the order within a path
/// matters to the passes, whose sort is stable, and a file's findings are one run.
final class RunFindings: @unchecked Sendable {
    /// A finding until `take` (see the type's comment). `rule == .max`: kept whole, at `help` in `whole`.
    private struct Stored {
        var message: String
        var metadata: [String: MetadataValue]
        /// Its 32-bit lines and columns in one word: the finding's own (`Finding.packedRange`), copied as it is.
        var range: PackedRange
        /// Indexes into `strings`, plus one (0: none).
        var help: UInt32
        var anchor: UInt32
        var scope: UInt32
        /// An index into `strings`.
        var rule: UInt16
        var severity: Severity
        /// `showsSource`, and whether `related` holds related locations for the finding's index.
        var flags: UInt8
        static let showsSource: UInt8 = 1, hasRelated: UInt8 = 2
    }
    private struct Chunk {
        let base: UnsafeMutablePointer<Stored>
        let capacity: Int
        /// The index of its first finding in the run.
        let start: Int
        var count = 0
    }
    /// 21,846 findings of 48 bytes: over 1 MiB.
    static let chunkCapacity = 21_846
    /// The bytes of a stored finding (for the tests).
    static var storedStride: Int { MemoryLayout<Stored>.stride }
    @exclusivity(unchecked) private var chunks: [Chunk] = []
    /// Findings appended so far (the next one's index).
    @exclusivity(unchecked) private(set) var count = 0
    /// The path of the findings from `start` on (until the next run's start), one per `append`.
    @exclusivity(unchecked) private var runs: [(start: Int, path: String)] = []
    /// Held by `append` (the only writer while the analysis runs; `read` and `take` come after every `append`): the
    /// tables below are never accessed at once, so their dynamic exclusivity checks are off (`@exclusivity(unchecked)`:
    /// interning a finding's rule, help, anchor and scope made a dozen of them per finding, ~2 M instructions on 1x).
    private let lock = NSLock()
    /// The distinct rule ids, help texts, anchors and scopes, by index (`ids` finds them; the last few found
    /// are remembered, as one file's findings cycle through a few rules: a comparison of two strings with one storage,
    /// where hashing a help text was most of `append`).
    @exclusivity(unchecked) private var strings: [String] = []
    /// `strings`' indexes by the strings' bytes (`FactInterner.Table`, hashed as the fact interner hashes them: a
    /// `[String: UInt32]` hashed each string with SipHash, ~500 instructions a lookup).
    @exclusivity(unchecked) private var ids = FactInterner.Table<UInt32>()
    @exclusivity(unchecked) private var recent = (rule: Recent(), help: Recent(), anchor: Recent(), scope: Recent())
    /// The findings' related locations (few have any), by the finding's index in the run.
    @exclusivity(unchecked) private var related: [Int: [RelatedLocation]] = [:]

    /// The last four strings `id` found, the most recent first.
    private struct Recent {
        var a, b, c, d: (String, UInt32)?

        mutating func find(_ s: String) -> UInt32? {
            if let x = a, x.0.utf8Equals(s) { return x.1 }
            if let x = b, x.0.utf8Equals(s) { swap(&a, &b); return x.1 }
            if let x = c, x.0.utf8Equals(s) { (a, b, c) = (c, a, b); return x.1 }
            if let x = d, x.0.utf8Equals(s) { (a, b, c, d) = (d, a, b, c); return x.1 }
            return nil
        }

        mutating func add(_ s: String, _ i: UInt32) { (a, b, c, d) = ((s, i), a, b, c) }
    }
    /// The findings kept whole.
    @exclusivity(unchecked) private var whole: [Finding] = []

    init() {}
    deinit {
        for c in chunks {
            c.base.deinitialize(count: c.count)
            c.base.deallocate()
        }
    }

    /// The index of `s` in `strings` (callers hold `lock`); nil when the table is full. Strings are the same when their
    /// UTF-8 bytes are: a finding is expanded with its own spelling of a canonically equivalent anchor or scope.
    private func id(_ s: String, _ recent: inout Recent) -> UInt32? {
        if let known = recent.find(s) { return known }
        let found: UInt32
        let h = FindingCodec.Interner.hash(s)
        if let known = ids.find(h, where: { strings[Int($0)].utf8Equals(s) }) {
            found = known
        } else {
            guard strings.count < Int(UInt32.max - 1) else { return nil }
            found = UInt32(strings.count)
            strings.append(s)
            ids.insert(found, hash: h)
        }
        recent.add(s, found)
        return found
    }

    /// The compact form of `f`, a finding of the file `path` at `index` in the run, or nil when it does not fit
    /// (callers hold `lock`).
    private func stored(_ f: UnsafePointer<Finding>, path: String, index: Int) -> Stored? {
        // Read field by field in place (a copy of the finding retained and released every field once more).
        guard f.pointee.fingerprint.isEmpty, f.pointee.sourceLine == nil, f.pointee.path.utf8Equals(path),
              !f.pointee.packedRange.isWide, let rule = id(f.pointee.ruleID, &recent.rule), rule < UInt32(UInt16.max)
        else { return nil }
        // An optional string's index plus one (0: nil); nil when the table is full.
        func optional(_ s: String?, _ recent: inout Recent) -> UInt32? {
            guard let s else { return 0 }
            return id(s, &recent).map { $0 + 1 }
        }
        guard let help = optional(f.pointee.help, &recent.help), let anchor = optional(f.pointee.anchor, &recent.anchor),
              let scope = optional(f.pointee.scope, &recent.scope) else { return nil }
        var flags = f.pointee.showsSource ? Stored.showsSource : 0
        if !f.pointee.related.isEmpty {
            related[index] = f.pointee.related
            flags |= Stored.hasRelated
        }
        return Stored(
            message: f.pointee.message, metadata: f.pointee.metadata, range: f.pointee.packedRange, help: help, anchor: anchor,
            scope: scope, rule: UInt16(rule), severity: f.pointee.severity, flags: flags)
    }

    /// The finding a stored one (at `index` in the run) stands for (equal to the one appended; `take` builds the same
    /// in place).
    private func finding(_ s: borrowing Stored, path: String, index: Int) -> Finding {
        if s.rule == .max { return whole[Int(s.help)] }
        func optional(_ i: UInt32) -> String? { i == 0 ? nil : strings[Int(i - 1)] }
        return Finding(
            ruleID: strings[Int(s.rule)], severity: s.severity, message: s.message, help: optional(s.help),
            path: path, range: s.range.sourceRange,
            related: s.flags & Stored.hasRelated == 0 ? [] : related[index] ?? [], metadata: s.metadata,
            anchor: optional(s.anchor), scope: optional(s.scope), showsSource: s.flags & Stored.showsSource != 0)
    }

    /// Takes one file's findings (leaving `fs` empty) and returns their indexes in the run.
    func append(_ fs: inout [Finding]) -> Range<Int> {
        guard !fs.isEmpty else { return 0..<0 }
        let n = fs.count
        lock.lock()
        defer { lock.unlock() }
        if chunks.isEmpty || chunks[chunks.count - 1].count + n > chunks[chunks.count - 1].capacity {
            let capacity = max(Self.chunkCapacity, n)
            chunks.append(Chunk(base: .allocate(capacity: capacity), capacity: capacity, start: count))
        }
        let c = chunks.count - 1
        let to = chunks[c].base + chunks[c].count
        let path = fs[0].path
        runs.append((count, path))
        // Read in place (a copy of each finding retained and released every field once more).
        fs.withUnsafeBufferPointer { fs in
            for k in 0..<n {
                let f = fs.baseAddress! + k
                if let s = stored(f, path: path, index: count + k) {
                    (to + k).initialize(to: s)
                } else {
                    (to + k).initialize(to: Stored(
                        message: "", metadata: [:], range: PackedRange(bits: 0), help: UInt32(whole.count), anchor: 0,
                        scope: 0, rule: .max, severity: f.pointee.severity, flags: 0))
                    whole.append(f.pointee)
                }
            }
        }
        chunks[c].count += n
        let range = count..<count + n
        count += n
        fs = []
        return range
    }

    /// The findings at `range` (one file's run, as `append` returned it): by the writer only, after every `append`
    /// and before `take`.
    func read(_ range: Range<Int>) -> [Finding] {
        // The last chunk, and the last run, that start at or before the range.
        let c = chunks[chunks.partitioningIndex { $0.start <= range.lowerBound } - 1]
        let path = runs[runs.partitioningIndex { $0.start <= range.lowerBound } - 1].path
        precondition(range.upperBound <= c.start + c.count, "a file's findings are one run in one chunk")
        let from = c.base + (range.lowerBound - c.start)
        return (0..<range.count).map { finding(from[$0], path: path, index: range.lowerBound + $0) }
    }

    /// All the findings in one array with room for `extra` more, expanded chunk by chunk (each chunk is freed as
    /// soon as it is read); this object holds none afterwards.
    func take(reserving extra: Int = 0) -> [Finding] {
        var run = 0
        let all = [Finding](unsafeUninitializedCapacity: count + extra) { buf, initialized in
            for c in chunks {
                let to = buf.baseAddress! + c.start
                for k in 0..<c.count {
                    // Runs start in index order, as chunks do: the run of index `c.start + k` is the current one
                    // or a later one.
                    while run + 1 < runs.count && runs[run + 1].start <= c.start + k { run += 1 }
                    let s = (c.base + k).move()
                    (to + k).initialize(to: finding(s, path: runs[run].path, index: c.start + k))
                }
                c.base.deallocate()
            }
            initialized = count
        }
        chunks = []
        count = 0
        runs = []
        strings = []
        ids = FactInterner.Table<UInt32>()
        recent = (Recent(), Recent(), Recent(), Recent())
        related = [:]
        whole = []
        return all
    }
}

/// SHA-256 of the settings fingerprint and a rule set, per distinct rule set (the per-file cache key then hashes
/// 64 hex digits instead of the whole settings text).
private final class SettingsDigests: @unchecked Sendable {
    private let fingerprint: String
    private var digests: [String: String] = [:]
    /// The last rule set asked for: without per-path overrides every file has the same one (the same storage, so
    /// comparing is a pointer check), and hashing a rule set of a few kilobytes per file was most of the lookup.
    private var last: (ruleKey: String, digest: String)?
    private let lock = NSLock()
    init(fingerprint: String) { self.fingerprint = fingerprint }
    func digest(_ ruleKey: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if let last, last.ruleKey == ruleKey { return last.digest }
        let d: String
        if let known = digests[ruleKey] {
            d = known
        } else {
            d = ContentHash.sha256([fingerprint, ruleKey])
            digests[ruleKey] = d
        }
        last = (ruleKey, d)
        return d
    }
}

/// The findings of each project rule, filled in from the rules' tasks.
private final class RuleResults: @unchecked Sendable {
    private var slots: [[Finding]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ findings: [Finding]) {
        lock.lock()
        slots[i] = findings
        lock.unlock()
    }
    var all: [[Finding]] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
