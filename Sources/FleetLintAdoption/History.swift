import FleetLintCore
import FleetLintSyntax
import Foundation

/// The figures of one tree: per migration, and the vendored copies (copy directory → the directory it duplicates).
public typealias PointFigures = (migrations: [MigrationFigures], vendoredCopies: [String: String])

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
                figures: PointFigures) {
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
///
/// Kept in `adoption.memo`, a `ProjectMemo` (entries read one at a time, pruned by count and bytes, written atomically):
/// it was one JSON object read whole by every run, 187 MB and 6.9 s for a history of every commit of the real monorepo.
public final class FiguresCache: @unchecked Sendable {
    static let fileName = "adoption.memo"
    /// The JSON file of the versions before `adoption.memo`, deleted when the memo is written.
    static let oldFileName = "adoption-figures.json"
    private let memo: ProjectMemo
    private let directory: URL
    private let lock = NSLock()
    private var stored = 0
    private var storedBytes = 0
    private var full = false
    /// Points kept (each a few KB to a few tens of KB: a point lists every file with legacy sites): the memo's bound.
    public var maxEntries: Int {
        get { memo.maxEntries }
        set { memo.maxEntries = newValue }
    }
    /// And at most this many bytes.
    public var maxBytes: Int {
        get { memo.maxBytes }
        set { memo.maxBytes = newValue }
    }

    public init(directory: URL) {
        self.directory = directory
        memo = ProjectMemo(directory: directory, fileName: Self.fileName)
        memo.maxEntries = 1_000
        memo.maxBytes = 48 * 1024 * 1024
    }

    public static func key(commit: String, fingerprint: String, options: FigureOptions) -> String {
        ContentHash.sha256([commit, fingerprint, String(options.depth), String(options.includeTests)])
    }

    /// The figures stored under `key`; nil when there are none, or they do not decode.
    public func lookup(_ key: String) -> AdoptionPoint? {
        memo.value(key).flatMap { try? JSONDecoder().decode(AdoptionPoint.self, from: Data($0)) }
    }

    /// Stores a point; past `maxEntries` or `maxBytes` stored by this run, the rest are not (they would not be kept).
    public func store(_ key: String, _ point: AdoptionPoint) {
        lock.lock()
        defer { lock.unlock() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same point, the same bytes
        // Within what the memo keeps (its entries' framing counted generously): past it, the memo would drop entries by
        // key order, not the oldest.
        guard !full, stored < maxEntries, let data = try? encoder.encode(point) else { return }
        guard storedBytes + data.count + 256 <= maxBytes else {
            full = true  // the points come newest first: the rest are older (and encoding them cost ~3 ms each)
            return
        }
        stored += 1
        storedBytes += data.count + 256
        memo.store(key, Array(data))
    }

    public func save() {
        memo.save()
        unlink(directory.appendingPathComponent(Self.oldFileName).path)
    }
}

/// Runs adoption over the working tree, one commit, or a history.
public final class AdoptionRunner: @unchecked Sendable {
    public let engine: AdoptionEngine
    public let repository: GitRepository?
    public let options: FigureOptions
    let paths: SnapshotPaths
    let figuresCache: FiguresCache?
    /// Files larger than this are left out of a commit's tree and not read (the check's default `LintOptions.maxFileSize`).
    public static let maxFileSize = 16 * 1024 * 1024
    /// Histories of more points than this neither read nor write the figures cache (see `history`).
    public var figuresCachePoints = 256
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
            guard e.kind == .python, let blob = e.blob, (e.size ?? 0) <= Self.maxFileSize else { return nil }
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

    /// The figures at each point; each (path, blob) analysed once. One point not in the figures cache is listed
    /// (`ls-tree`); more are replayed from one `git log --raw` of the first-parent history (`FirstParentTrees`), which
    /// holds changes, not trees, and computes figures again only where the Python files changed.
    public func history(_ points: [(time: Int, commit: HistoryCommit)], progress: Progress?) throws(GitError) -> [AdoptionPoint] {
        let fingerprint = engine.fingerprint
        // A long history does without the figures cache: once the history is replayed, a point's figures cost ~2 ms on
        // every core, decoding them from the cache ~3 ms on one (real monorepo, every commit: 7.7 s without it, 8.8 s
        // with 760 points from it), and encoding them for it made a cold run 8 -> 13 s.
        let figuresCache = points.count <= figuresCachePoints ? self.figuresCache : nil
        var byCommit: [String: AdoptionPoint] = [:]
        var missing: [HistoryCommit] = []
        var listed = Set<String>()
        for p in points where byCommit[p.commit.id] == nil && !listed.contains(p.commit.id) {
            if let cached = figuresCache?.lookup(FiguresCache.key(commit: p.commit.id, fingerprint: fingerprint, options: options)) {
                byCommit[p.commit.id] = cached
                engine.noteCachedPoint()
                continue
            }
            listed.insert(p.commit.id)
            missing.append(p.commit)
        }
        func computed(_ commit: HistoryCommit, _ figures: PointFigures) {
            let point = AdoptionPoint(date: nil, commit: commit.id, commitDate: AdoptionHistory.iso(commit.time), figures: figures)
            byCommit[commit.id] = point
        }
        if missing.count == 1 {
            computed(missing[0], try listedFigures(missing[0].id, progress: progress))
            engine.save()
        } else if !missing.isEmpty {
            guard let repository else { throw GitError(message: "not a git repository") }
            try replay(missing, repository: repository, progress: progress, computed)
        }
        // Newest first (`missing` is in history order): past the cache's bounds the oldest points are the ones left out
        // (a `--no-regression` base is a recent commit).
        for commit in missing.reversed() {
            if let point = byCommit[commit.id] {
                figuresCache?.store(FiguresCache.key(commit: commit.id, fingerprint: fingerprint, options: options), point)
            }
        }
        figuresCache?.save()
        progress?.finish()
        return points.map { p in
            var point = byCommit[p.commit.id]!
            point.date = AdoptionHistory.day(p.time)
            return point
        }
    }

    /// The figures of one commit, its tree listed (`ls-tree`) and its files analysed.
    private func listedFigures(_ commit: String, progress: Progress?) throws(GitError) -> PointFigures {
        let tree = try tree(commit: commit)
        engine.noteDistinct(tree.count, pointFiles: tree.count)
        engine.ensure(tree, reader: try sharedReader()) { done, total in progress?.update("analysing files", done, total) }
        return engine.figures(tree, options: options)
    }

    /// The blobs larger than `limit` bytes (`git cat-file --batch-check`, sizes only).
    static func blobs(of ids: Set<BlobID>, over limit: Int, in repository: GitRepository) throws(GitError) -> Set<BlobID> {
        guard !ids.isEmpty else { return [] }
        let request = ids.map(\.hex).sorted().joined(separator: "\n") + "\n"
        let r = GitRepository.run(["-C", repository.root, "cat-file", "--batch-check=%(objectname) %(objectsize)"], stdin: Array(request.utf8))
        guard r.status == 0 else { throw GitError(message: "git cat-file --batch-check failed: status \(r.status)") }
        var out = Set<BlobID>()
        for line in r.stdout.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: " "))
            guard parts.count == 2, let size = Int(String(decoding: parts[1], as: UTF8.self)), size > limit else { continue }
            out.insert(BlobID(hex: String(decoding: parts[0], as: UTF8.self)))
        }
        return out
    }

    /// Figures of many commits of the first-parent history: a replay to find the files present at any of them,
    /// their analysis, then a second replay computing the figures at each (again only where Python files changed).
    private func replay(_ wanted: [HistoryCommit], repository: GitRepository, progress: Progress?,
                        _ computed: (HistoryCommit, PointFigures) -> Void) throws(GitError) {
        progress?.update("reading history", 0, 1)
        let trees = try FirstParentTrees(repository: repository, tip: try repository.resolve("HEAD"), paths: paths,
                                         wanted: Set(wanted.map(\.id)))
        var byID: [String: HistoryCommit] = [:]
        for c in wanted { byID[c.id] = c }
        let positions = trees.commits.indices.filter { byID[trees.commits[$0].id] != nil }
        let found = Set(positions.map { trees.commits[$0].id })
        // Not on HEAD's first-parent line (a history of another revision): listed alone.
        for c in wanted where !found.contains(c.id) { computed(c, try listedFigures(c.id, progress: nil)) }
        var cursor = trees.start()
        var distinct = Set<PathBlob>()
        var pointFiles = 0
        for p in positions {
            trees.advance(&cursor, through: p)
            distinct.formUnion(trees.takeChanged(&cursor))
            pointFiles += cursor.present
        }
        // Blobs over the size limit are left out of the trees, as a listing's sizes leave them out (and are not read).
        let oversized = try Self.blobs(of: Set(distinct.map(\.blob)), over: Self.maxFileSize, in: repository)
        if !oversized.isEmpty { distinct = distinct.filter { !oversized.contains($0.blob) } }
        engine.noteDistinct(distinct.count, pointFiles: pointFiles)
        // In path order, as a listing gives them (the analysis cache is written in the order analysed).
        let files = distinct.sorted { $0.path != $1.path ? $0.path.utf8Precedes($1.path) : $0.blob.hex < $1.blob.hex }
        distinct = []
        engine.ensure(files, reader: try sharedReader()) { done, total in progress?.update("analysing files", done, total) }
        engine.save()

        // The figures where the Python files changed, a batch of trees at a time on every core.
        let table = FigureTable(trees.paths, migrations: engine.migrations, depth: options.depth)
        cursor = trees.start()
        var batch: [[(file: Int32, blob: BlobID)]] = []
        /// Each position of the batch with the tree it takes (an index into `batch`).
        var waiting: [(commit: HistoryCommit, tree: Int)] = []
        var version = -1
        var done = 0
        func flush() {
            var results = [PointFigures?](repeating: nil, count: batch.count)
            let engine = self.engine, options = self.options, pending = batch
            results.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: pending.count) { i in base[i] = engine.figures(pending[i], table: table, options: options) }
            }
            for w in waiting { computed(w.commit, results[w.tree]!) }
            done += waiting.count
            progress?.update("computing figures", done, positions.count)
            batch = []
            waiting = []
        }
        for p in positions {
            trees.advance(&cursor, through: p)
            if cursor.version != version {
                if batch.count == 64 { flush() }
                version = cursor.version
                batch.append(oversized.isEmpty ? trees.tree(cursor) : trees.tree(cursor).filter { !oversized.contains($0.blob) })
            }
            waiting.append((byID[trees.commits[p].id]!, batch.count - 1))
        }
        flush()
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
