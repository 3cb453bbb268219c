import FleetLintCore
import FleetLintSyntax
import Foundation

/// The figures at one point: a commit (or the working tree when `commit` is nil).
public struct AdoptionPoint: Codable, Sendable, Equatable {
    /// The point's date (`YYYY-MM-DD`, UTC) in a history; the commit's date otherwise.
    public var date: String?
    public var commit: String?
    /// The commit's committer date (ISO 8601).
    public var commitDate: String?
    public var migrations: [MigrationFigures]
    /// Vendored copies (counted apart): copy directory → the directory it duplicates.
    public var vendoredCopies: [String: String]

    public init(date: String?, commit: String?, commitDate: String?,
                figures: (migrations: [MigrationFigures], vendoredCopies: [String: String])) {
        self.date = date
        self.commit = commit
        self.commitDate = commitDate
        self.migrations = figures.migrations
        self.vendoredCopies = figures.vendoredCopies
    }

    public func figures(_ id: String) -> MigrationFigures? { migrations.first { $0.id == id } }
}

/// How history points are spaced.
public enum HistoryStep: Sendable, Equatable {
    case day, week, month
    /// Every n-th first-parent commit.
    case commits(Int)
}

/// One first-parent commit.
public struct HistoryCommit: Sendable, Equatable {
    public var id: String
    /// Committer time, seconds since 1970.
    public var time: Int
    public init(id: String, time: Int) {
        self.id = id
        self.time = time
    }
}

public enum AdoptionHistory {
    /// First-parent history of `revision`, newest first.
    public static func firstParent(_ repository: GitRepository, revision: String = "HEAD") throws(GitError) -> [HistoryCommit] {
        let head = try repository.resolve(revision)
        let out = try repository.run(["rev-list", "--first-parent", "--no-commit-header", "--format=%H %ct", head])
        var commits: [HistoryCommit] = []
        for line in out.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: " "))
            guard parts.count == 2, let t = Int(String(decoding: parts[1], as: UTF8.self)) else { continue }
            commits.append(HistoryCommit(id: String(decoding: parts[0], as: UTF8.self), time: t))
        }
        return commits
    }

    /// The points of a history, oldest first: (point time, commit). Time steps are counted back from
    /// `until` (default: the newest commit's time) to `since` (default: the oldest commit's); each point
    /// takes the last first-parent commit at or before it; points before the first commit are dropped.
    public static func points(_ commits: [HistoryCommit], step: HistoryStep, since: Int?, until: Int?) -> [(time: Int, commit: HistoryCommit)] {
        guard let newest = commits.first, let oldest = commits.last else { return [] }
        let end = until ?? newest.time
        let start = since ?? oldest.time
        var out: [(time: Int, commit: HistoryCommit)] = []
        if case .commits(let n) = step {
            let every = max(1, n)
            var i = 0
            while i < commits.count {
                let c = commits[i]
                if c.time <= end && c.time >= start { out.append((c.time, c)) }
                i += every
            }
            return out.reversed()
        }
        var times: [Int] = []
        var t = end
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        while t >= start && times.count < 100_000 {
            times.append(t)
            switch step {
            case .day: t -= 86_400
            case .week: t -= 7 * 86_400
            case .month:
                t = Int(calendar.date(byAdding: .month, value: -1, to: Date(timeIntervalSince1970: TimeInterval(t)))!.timeIntervalSince1970)
            case .commits: break
            }
        }
        // Newest first, both lists: walk them together.
        var j = 0
        for time in times {
            while j < commits.count && commits[j].time > time { j += 1 }
            // First-parent order is not always time order: take the newest commit at or before `time`.
            guard j < commits.count else { break }
            out.append((time, commits[j]))
        }
        return out.reversed()
    }

    /// `YYYY-MM-DD` or an ISO 8601 date-time → seconds since 1970 (a bare date means its end, 23:59:59 UTC, for `until`).
    public static func parseDate(_ text: String, endOfDay: Bool) -> Int? {
        let iso = ISO8601DateFormatter()
        if let d = iso.date(from: text) { return Int(d.timeIntervalSince1970) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: text) else { return nil }
        return Int(d.timeIntervalSince1970) + (endOfDay ? 86_399 : 0)
    }

    public static func day(_ time: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }

    public static func iso(_ time: Int) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}

/// Figures per commit, persisted next to the analysis cache: a commit's content never changes, so its
/// figures under the same settings (migrations, configuration, breakdown options) never do either.
/// Lets `--no-regression REV` and warm histories skip listing and reading commits altogether.
public final class FiguresCache: @unchecked Sendable {
    let url: URL
    private var entries: [String: AdoptionPoint] = [:]
    private var changed = false
    private var used = Set<String>()
    private let lock = NSLock()
    /// Points kept (each a few KB to a few tens of KB); past this, entries this run did not use go.
    public var maxEntries = 1_000

    public init(directory: URL) {
        url = directory.appendingPathComponent("adoption-figures.json")
        if let data = FileManager.default.contents(atPath: url.path),
           let decoded = try? JSONDecoder().decode([String: AdoptionPoint].self, from: data) {
            entries = decoded
        }
    }

    public static func key(commit: String, fingerprint: String, options: FigureOptions) -> String {
        ContentHash.sha256([commit, fingerprint, String(options.depth), String(options.includeTests)])
    }

    public func lookup(_ key: String) -> AdoptionPoint? {
        lock.lock()
        defer { lock.unlock() }
        if entries[key] != nil { used.insert(key) }
        return entries[key]
    }

    public func store(_ key: String, _ point: AdoptionPoint) {
        lock.lock()
        defer { lock.unlock() }
        used.insert(key)
        guard entries[key] != point else { return }
        if entries.count >= maxEntries { entries = entries.filter { used.contains($0.key) } }
        entries[key] = point
        changed = true
    }

    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard changed else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(entries) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let tmp = url.path + ".tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: tmp, contents: data) else { return }
        if rename(tmp, url.path) != 0 { unlink(tmp) }
        changed = false
    }
}

/// Runs adoption over the working tree, one commit, or a history.
public final class AdoptionRunner: @unchecked Sendable {
    public let engine: AdoptionEngine
    public let repository: GitRepository?
    public let options: FigureOptions
    let paths: SnapshotPaths
    let figuresCache: FiguresCache?
    private var reader: GitObjectReader?

    public init(engine: AdoptionEngine, repository: GitRepository?, options: FigureOptions, cacheDirectory: URL?) {
        self.engine = engine
        self.repository = repository
        self.options = options
        paths = SnapshotPaths(excludes: engine.linter.configuration.exclude, classifier: engine.linter.classifier)
        figuresCache = cacheDirectory.map(FiguresCache.init)
    }

    func sharedReader() throws(GitError) -> GitObjectReader {
        if let reader { return reader }
        guard let repository else { throw GitError(message: "not a git repository") }
        let r = try GitObjectReader(repository: repository)
        reader = r
        return r
    }

    /// The figures of any snapshot (the working tree, the index).
    public func figures(snapshot: any Snapshot) -> AdoptionPoint {
        let tree = engine.ensure(snapshot: snapshot)
        engine.save()
        return AdoptionPoint(date: nil, commit: nil, commitDate: nil, figures: engine.figures(tree, options: options))
    }

    /// The Python files of a commit, through a commit snapshot sharing the one object reader.
    func tree(commit: String) throws(GitError) -> [PathBlob] {
        guard let repository else { throw GitError(message: "not a git repository") }
        let snapshot = try CommitSnapshot(repository: repository, revision: commit, paths: paths, reader: try sharedReader())
        return snapshot.entries.compactMap { e in
            guard e.kind == .python, let blob = e.blob, (e.size ?? 0) <= 16 * 1024 * 1024 else { return nil }
            return PathBlob(path: e.path, blob: blob)
        }
    }

    /// The figures at one revision (from the figures cache when they were computed before).
    public func figures(at revision: String) throws(GitError) -> AdoptionPoint {
        guard let repository else { throw GitError(message: "not a git repository") }
        let commit = try repository.resolve(revision)
        let time = Int(String(decoding: try repository.run(["show", "-s", "--format=%ct", commit]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return try history([(time, HistoryCommit(id: commit, time: time))], progress: nil)[0]
    }

    /// The figures at each point; each commit's tree is listed once, each (path, blob) analysed once.
    public func history(_ points: [(time: Int, commit: HistoryCommit)], progress: Progress?) throws(GitError) -> [AdoptionPoint] {
        let fingerprint = engine.fingerprint
        var byCommit: [String: AdoptionPoint] = [:]
        var trees: [String: [PathBlob]] = [:]
        var order: [String] = []
        for p in points where byCommit[p.commit.id] == nil && trees[p.commit.id] == nil {
            let key = FiguresCache.key(commit: p.commit.id, fingerprint: fingerprint, options: options)
            if let cached = figuresCache?.lookup(key) {
                byCommit[p.commit.id] = cached
                engine.noteCachedPoint()
                continue
            }
            trees[p.commit.id] = try tree(commit: p.commit.id)
            order.append(p.commit.id)
            progress?.update("listing commits", order.count, points.count)
        }
        if !order.isEmpty {
            var all: [PathBlob] = []
            var seen = Set<PathBlob>()
            for c in order { for k in trees[c]! where seen.insert(k).inserted { all.append(k) } }
            engine.noteDistinct(all.count, pointFiles: order.reduce(0) { $0 + trees[$1]!.count })
            engine.ensure(all, reader: try sharedReader()) { done, total in progress?.update("analysing files", done, total) }
            engine.save()
            for c in order {
                let time = points.first { $0.commit.id == c }!.commit.time
                let point = AdoptionPoint(
                    date: nil, commit: c, commitDate: AdoptionHistory.iso(time),
                    figures: engine.figures(trees[c]!, options: options))
                byCommit[c] = point
                figuresCache?.store(FiguresCache.key(commit: c, fingerprint: fingerprint, options: options), point)
            }
            figuresCache?.save()
        }
        progress?.finish()
        return points.map { p in
            var point = byCommit[p.commit.id]!
            point.date = AdoptionHistory.day(p.time)
            return point
        }
    }
}

/// A progress bar on stderr (only when stderr is a terminal).
public final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date.distantPast
    private var shown = false

    public init?() {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
    }

    public func update(_ label: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(last) > 0.1 else { return }
        last = now
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar) \(done)/\(total) \(label)".utf8))
        shown = true
    }

    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
