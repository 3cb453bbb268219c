import Foundation
import FleetLintSyntax

/// Counts of one history scan that are not part of the report.
public struct HistoryStatistics: Sendable {
    /// Commits walked.
    public var commits = 0
    /// Distinct blobs in the range (after excludes).
    public var blobs = 0
    /// Blobs read from git and scanned in this run.
    public var scanned = 0
    /// Blobs whose every analysis came from the cache (not read at all).
    public var cached = 0
    /// Bytes of the blobs read.
    public var bytes = 0
    /// Objects the repository does not have (shallow or partial clones).
    public var missing = 0
    /// Wall time of the whole scan, and of reading + scanning blobs.
    public var seconds = 0.0
    public var scanSeconds = 0.0
}

/// One history scan's report and counts.
public struct HistoryRun: Sendable {
    public var report: LintReport
    public var statistics: HistoryStatistics
}

/// Secrets in git history: every distinct blob of a range scanned once with the same file rules as
/// `check` (`committed-secret`, `committed-env-file`), then one finding per secret (rule, kind, hash
/// of the secret) or per env-file path, placed at its first introduction and carrying the commit
/// that introduced it, every path it appeared under, whether the tip still holds it, and the commit
/// that removed it. See README, "Secrets in git history".
extension Linter {
    /// The rules a history scan runs.
    public static let historyRuleIDs: Set<String> = ["committed-secret", "committed-env-file"]

    /// One blob analysed under one path: its first path (every rule), or, for an env file name the blob
    /// also appeared under, that path (`committed-env-file` only: the finding is about the name).
    struct HistoryUnit {
        var blob: Int
        var path: String
        var kind: FileKind
        var envOnly: Bool
    }

    public func scanHistory(
        _ repository: GitRepository, range: HistoryRange, rootDisplay: String, cache: AnalysisCache?,
        extraExcludes: [Glob] = [], maxFileSize: Int = 16 * 1024 * 1024, reader sharedReader: GitObjectReader? = nil
    ) throws(GitError) -> HistoryRun {
        let clock = Date()
        let history = try GitHistory.walk(repository, range: range)
        var statistics = HistoryStatistics()
        statistics.commits = history.commits.count

        // Rules and settings exactly as `run` derives them.
        var defaults: [String: (enabled: Bool, severity: Severity)] = [:]
        for r in rules { defaults[r.ruleDescription.id] = (r.ruleDescription.isEnabledByDefault, r.ruleDescription.defaultSeverity) }
        let settings = SettingsMemo(pathDependent: !configuration.overrides.isEmpty) { [self] in self.settings(for: $0, defaults: defaults) }
        let globalSettings = settings("")
        let activeRules = rules.filter { rule in
            let id = rule.ruleDescription.id
            guard Self.historyRuleIDs.contains(id) else { return false }
            return globalSettings.enabledRules.contains(id)
                || configuration.commandLineSelect == nil && !configuration.commandLineIgnore.contains(id)
                && configuration.overrides.contains { o in
                    let added = (o.select ?? []) + o.extendSelect
                    return added.contains(id) || added.contains("ALL")
                }
        }
        var severity: [String: Severity] = [:]
        for r in rules { severity[r.ruleDescription.id] = globalSettings.severity[r.ruleDescription.id] ?? r.ruleDescription.defaultSeverity }
        func analyzer(_ fileRules: [any Rule]) -> FileAnalyzer {
            FileAnalyzer(
                fileRules: fileRules.compactMap(\.asFileRule), parsers: [], parsedKinds: [],
                neededKinds: Set(FileKind.allCases), wantsPythonFacts: false, callPatterns: [], severity: severity,
                settings: { settings($0) })
        }
        let fullAnalyzer = analyzer(activeRules)
        let envRule = activeRules.filter { $0.ruleDescription.id == "committed-env-file" }
        let envAnalyzer = analyzer(envRule)

        // 1. Units: each blob under its first path that is not excluded; env-file names besides.
        let excludes = configuration.exclude + extraExcludes
        let excluded = { (path: String) in excludes.contains { $0.matches(path) } }
        var units: [HistoryUnit] = []
        var unitsOfBlob: [[Int]] = []
        var firstPath: [String] = []
        for (b, blob) in history.blobsInOrder.enumerated() {
            unitsOfBlob.append([])
            let paths = (history.pathsOfBlob[blob] ?? [:]).sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            guard let path = paths.first(where: { !excluded($0.key) })?.key else { firstPath.append(""); continue }
            firstPath.append(path)
            unitsOfBlob[b].append(units.count)
            units.append(HistoryUnit(blob: b, path: path, kind: Self.historyKind(classifier.kind(of: path)), envOnly: false))
        }
        if !envRule.isEmpty {
            var indexOfBlob: [BlobID: Int] = [:]
            for (b, blob) in history.blobsInOrder.enumerated() { indexOfBlob[blob] = b }
            for (path, first) in history.firstOfPath.sorted(by: { $0.key < $1.key }) {
                guard let b = indexOfBlob[first.blob], firstPath[b] != path, !excluded(path),
                      classifier.kind(of: path) == .envFile else { continue }
                unitsOfBlob[b].append(units.count)
                units.append(HistoryUnit(blob: b, path: path, kind: .envFile, envOnly: true))
            }
        }
        statistics.blobs = unitsOfBlob.filter { !$0.isEmpty }.count

        // 2. Cached analyses; the rest is read once per blob and analysed on every core.
        let fingerprint = settingsFingerprint
        let key: @Sendable (HistoryUnit) -> String = { u in
            AnalysisCache.key(
                blob: history.blobsInOrder[u.blob], kind: u.kind, path: u.path,
                settings: fingerprint + "\u{1F}history\u{1F}" + (u.envOnly ? "env" : "all") + "\u{1F}"
                    + settings.ruleKey(u.path))
        }
        let slots = HistorySlots(count: units.count)
        let results = slots.results
        var toRead: [Int] = []
        for (b, us) in unitsOfBlob.enumerated() where !us.isEmpty {
            var complete = true
            for u in us {
                let unit = units[u]
                if let cache, let hit = cache.lookup(key(unit), path: unit.path, kind: unit.kind, blob: history.blobsInOrder[unit.blob]) {
                    results[u] = hit
                } else {
                    complete = false
                }
            }
            if complete { statistics.cached += 1 } else { toRead.append(b) }
        }
        let scanStart = Date()
        if !toRead.isEmpty {
            let reader: GitObjectReader
            if let sharedReader { reader = sharedReader } else { reader = try GitObjectReader(repository: repository) }
            let queue = DispatchQueue(label: "fleetlint.history", attributes: .concurrent)
            let group = DispatchGroup()
            let inFlight = DispatchSemaphore(value: 2 * max(1, ProcessInfo.processInfo.activeProcessorCount))
            var batch: [(blob: Int, bytes: [UInt8])] = []
            var batchBytes = 0
            let unitList = units
            let unitsByBlob = unitsOfBlob
            let out = slots
            func flush() {
                guard !batch.isEmpty else { return }
                let work = batch
                batch = []
                batchBytes = 0
                inFlight.wait()
                group.enter()
                queue.async {
                    for (b, bytes) in work {
                        let outcome = ReadOutcome.classify(bytes, limit: maxFileSize)
                        let blob = history.blobsInOrder[b]
                        for u in unitsByBlob[b] where out.results[u] == nil {
                            let unit = unitList[u]
                            switch outcome {
                            case .text:
                                out.results[u] = (unit.envOnly ? envAnalyzer : fullAnalyzer).analyze(
                                    path: unit.path, kind: unit.kind, outcome: outcome, blob: blob)
                            case .binary, .tooLarge, .failed:
                                var a = FileAnalysis(path: unit.path, kind: unit.kind, blob: blob)
                                if case .binary = outcome { a.skipped = "binary" } else { a.skipped = SkippedFile.tooLarge }
                                out.results[u] = a
                            }
                            if let cache, let a = out.results[u] { cache.store(key(unit), a) }
                        }
                    }
                    inFlight.signal()
                    group.leave()
                }
            }
            var next = 0
            reader.readAll(toRead.map { history.blobsInOrder[$0].hex }) { _, type, bytes in
                let b = toRead[next]
                next += 1
                guard let bytes, type == "blob" else { statistics.missing += 1; return }
                statistics.scanned += 1
                statistics.bytes += bytes.count
                batch.append((b, bytes))
                batchBytes += bytes.count
                if batchBytes >= 1 << 22 || batch.count >= 512 { flush() }
            }
            // A reader that broke (git died) stops early: what it never answered was not scanned.
            statistics.missing += toRead.count - next
            flush()
            group.wait()
        }
        statistics.scanSeconds = Date().timeIntervalSince(scanStart)
        cache?.save()

        // 3. One finding per secret / env-file path, after inline suppressions.
        struct Occurrence { var unit: Int; var finding: Finding }
        var groups: [String: [Occurrence]] = [:]
        var summary = LintSummary()
        for u in units.indices {
            guard let analysis = results[u] else { continue }
            if let reason = analysis.skipped { summary.skipped[reason, default: 0] += 1 }
            for reason in analysis.ruleSkips { summary.skipped[reason, default: 0] += 1 }
            let continued = Set(analysis.continuedLines)
            var suppressions = SuppressionSet(comments: analysis.suppressions, continuesOnNextLine: { continued.contains($0) })
            for f in analysis.findings where Self.historyRuleIDs.contains(f.ruleID) {
                if suppressions.suppresses(f) { continue }
                groups[Self.historyKey(f), default: []].append(Occurrence(unit: u, finding: f))
            }
        }
        if statistics.missing > 0 { summary.skipped["missing object", default: 0] += statistics.missing }
        summary.files = statistics.blobs

        // Which groups each blob holds, then a replay of the tip's first-parent line: the last commit
        // where a group's live occurrences dropped to zero is the one that removed it.
        var groupsOfBlob: [BlobID: Set<String>] = [:]
        for (k, occurrences) in groups where k.hasPrefix("committed-secret") {
            for o in occurrences { groupsOfBlob[history.blobsInOrder[units[o.unit].blob], default: []].insert(k) }
        }
        var live: [String: Int] = [:]
        var lastGone: [String: Int] = [:]
        var pathGone: [String: Int] = [:]
        for change in history.mainline {
            if let old = change.old {
                for k in groupsOfBlob[old] ?? [] {
                    live[k, default: 0] -= 1
                    if live[k]! <= 0 { lastGone[k] = change.commit }
                }
            }
            if let new = change.new { for k in groupsOfBlob[new] ?? [] { live[k, default: 0] += 1 } }
            if change.new == nil { pathGone[change.path] = change.commit }
        }

        let tipShort = history.tip.map { String($0.prefix(7)) } ?? "?"
        let tipName = range == .all ? "HEAD (\(tipShort))" : tipShort
        var findings: [Finding] = []
        for (k, occurrences) in groups {
            let isSecret = k.hasPrefix("committed-secret")
            // Every (blob, path) the group appeared under, with its first commit.
            var firstAt: [String: (commit: Int, occurrence: Occurrence)] = [:]
            for o in occurrences {
                let unit = units[o.unit]
                let blob = history.blobsInOrder[unit.blob]
                let paths = isSecret ? (history.pathsOfBlob[blob] ?? [:]).filter { !excluded($0.key) } : [unit.path: history.firstOfPath[unit.path]?.commit ?? 0]
                for (path, commit) in paths {
                    if let seen = firstAt[path], (seen.commit, seen.occurrence.finding.range.start) <= (commit, o.finding.range.start) { continue }
                    firstAt[path] = (commit, o)
                }
            }
            guard let (introPath, intro) = firstAt.min(by: { ($0.value.commit, $0.key) < ($1.value.commit, $1.key) }) else { continue }
            let paths = firstAt.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let presentAtHead: Bool
            let removedIn: Int?
            if isSecret {
                presentAtHead = occurrences.contains { history.tipTree[history.blobsInOrder[units[$0.unit].blob]] != nil }
                removedIn = presentAtHead ? nil : lastGone[k]
            } else {
                presentAtHead = history.tipPaths.contains(introPath)
                removedIn = presentAtHead ? nil : pathGone[introPath]
            }
            let commit = history.commits[intro.commit]
            var f = intro.occurrence.finding
            f.path = introPath
            var suffix = "; introduced in \(commit.short) (\(Self.day(commit.authorTime)))"
            if paths.count > 1 { suffix += " under \(paths.count) paths" }
            f.metadata["commit"] = .string(commit.id)
            f.metadata["commitDate"] = .string(Self.day(commit.authorTime))
            f.metadata["paths"] = .array(paths.map { .string($0) })
            f.metadata["presentAtHead"] = .bool(presentAtHead)
            if presentAtHead {
                suffix += ", still present at \(tipName)"
            } else if let removedIn {
                let removed = history.commits[removedIn]
                suffix += ", removed in \(removed.short) (\(Self.day(removed.authorTime))) but still in history"
                f.metadata["removedIn"] = .string(removed.id)
                f.metadata["removedDate"] = .string(Self.day(removed.authorTime))
            } else {
                suffix += ", only on commits off the first-parent line of \(tipName)"
            }
            f.message += suffix
            f.related = paths.filter { $0 != introPath }.map { p in
                let at = firstAt[p]!
                return RelatedLocation(path: p, range: at.occurrence.finding.range,
                                       note: "also committed under this path in \(history.commits[at.commit].short)")
            }
            f.sourceLine = nil
            f.showsSource = false
            // Keyed to the secret (or the env file's path), not to a commit or line: one baseline entry
            // covers the whole history.
            f.fingerprint = StableHash.fingerprint(k.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init))
            findings.append(f)
        }
        findings = Passes.severity(findings, global: globalSettings.severity, settings: settings)
        findings.sort(by: Finding.reportOrder)
        for f in findings { summary.findingsByRule[f.ruleID, default: 0] += 1 }
        let report = LintReport(
            toolVersion: FleetLintVersion.current, root: rootDisplay, findings: findings,
            rules: activeRules.map(\.ruleDescription), summary: summary)
        statistics.seconds = Date().timeIntervalSince(clock)
        return HistoryRun(report: report, statistics: statistics)
    }

    /// What makes two findings of history the same: rule, kind and secret hash (the rule's anchor,
    /// `secret:<sha256>`), or rule and path for env files. Never the secret itself.
    static func historyKey(_ f: Finding) -> String {
        if f.ruleID == "committed-secret" {
            return [f.ruleID, f.metadata["kind"]?.plainText ?? "", f.anchor ?? f.path].joined(separator: "\u{1F}")
        }
        return [f.ruleID, f.path].joined(separator: "\u{1F}")
    }

    /// No parser runs in a history scan, so Python, requirements and pyproject blobs are plain text: the
    /// UTF-8 validation the analyser does for parsed kinds only feeds `parse-error`, which history does
    /// not run. Env files keep their kind (`committed-env-file`), Dockerfiles theirs (`#` directives).
    static func historyKind(_ kind: FileKind) -> FileKind {
        switch kind {
        case .python, .requirements, .pyproject: return .text
        default: return kind
        }
    }

    /// `2024-03-01` (UTC) for an epoch time.
    static func day(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}

/// Per-unit results, written by the workers at disjoint indices (no lock on the hot path).
final class HistorySlots: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<FileAnalysis?>

    init(count: Int) {
        results = .allocate(capacity: count)
        results.initialize(repeating: nil)
    }

    deinit {
        results.deinitialize()
        results.deallocate()
    }
}
