import Foundation
import FleetLintSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Per-file analyses persisted between runs, keyed by (blob id, kind, path, fleetlint version, hash
/// of the settings that change per-file results). One pack file per build in the cache directory, and
/// beside it up to `maxDeltas` delta packs of the entries later runs added; a run that added a few entries
/// writes them as one new delta, and a run that would pass the limits (or found a corrupt entry) rewrites
/// the pack with every entry, used ones first, and removes the deltas it read. Every file is written
/// atomically (temp file + rename); a corrupt or truncated entry fails its checksum and is recomputed. Two
/// concurrent runs each write complete files; the last rename wins and nothing is ever half-written. See
/// docs/ARCHITECTURE.md, "Cache".
public final class AnalysisCache: @unchecked Sendable {
    public let directory: URL
    /// At most this many entries are kept (most recently used first).
    public var maxEntries = 200_000
    /// At most this many bytes of entries are kept.
    public var maxBytes = 512 * 1024 * 1024
    /// Files modified less than this many seconds before the run are not recorded in the stat table.
    public var racyWindow: Double = 2

    /// Stand-in blob ids for working-tree files that are not read in full.
    public static let binarySentinel = BlobID(hex: "binary")
    public static let tooLargeSentinel = BlobID(hex: "too-large")

    /// One pack per build (`buildIdentity`): a run reads and rewrites only its own build's entries. In one pack for
    /// every build, an upgraded or rebuilt fleetlint kept the old builds' entries (which no key can match again) up to
    /// the limits, and each save copied them again (the 16x tree: 45 MB of entries a build). `prunePacks` keeps the
    /// packs of the two builds used last besides this one (switching between two versions does not start cold).
    static let packName = "analyses-\(ContentHash.sha256([buildIdentity]).prefix(16)).pack"
    /// Packs of other builds kept besides this build's.
    static let otherPacksKept = 2
    /// A run's new entries go to a delta pack of their own while there are fewer than this many deltas and they all
    /// hold less than a `deltaShare`th of the pack's bytes; past that the pack is written again with every entry. A
    /// one-file edit of the 16x synthetic tree rewrote its whole 45 MB pack (~80 ms on the writer's core, while
    /// the project rules wanted it) to add one entry.
    static let maxDeltas = 8
    static let deltaShare = 4
    /// The name of this build's pack without `.pack`: its deltas are `<stem>-<pid>-<n>.delta`.
    static var packStem: String { String(packName.dropLast(".pack".count)) }
    static let statName = "stat.tsv"
    static let magic = Array("FLCACHE3\n".utf8)  // 3: word-wise entry checksums (`PackEntries.checksum`)

    /// The pack on disk, then its deltas (in name order), their entries read one at a time when looked up
    /// (`PackFile`): never held whole. `PackIndex.Row.file` is a position in this list.
    private var packs: [PackFile] = []
    /// The paths of the deltas read, the last `deltaPaths.count` of `packs`.
    private var deltaPaths: [String] = []
    /// Whether `packs` starts with the pack itself (not a delta).
    private var hasMainPack: Bool { packs.count > deltaPaths.count }
    /// key → entry range in the pack file (its length, checksum and payload), and which entries this run used.
    private var index = PackIndex()
    /// This run's new entries, written to the next pack's temp file as they are stored (never held).
    private var pending: PackWriter?
    private var pendingFailed = false
    /// A struct, not a tuple: a dictionary of tuples copied and destroyed its values through generic
    /// value witnesses on every update.
    private struct StatRecord { var stamp: FileStamp; var blob: BlobID }
    /// This run's records (and a cold run's batch once another record is made, `materializeBatch`): they win over
    /// `loaded`'s for their paths.
    private var stats: [String: StatRecord] = [:]
    /// The table as read from disk, read only (see `LoadedStats`), and where `blob(forPath:stamp:)` looks in it first.
    private var loaded = LoadedStats()
    private var loadedHint = 0
    /// A cold run's table: its one batch of records, in strictly increasing path order (snapshot order), kept as the
    /// batch gives it (the run's own arrays) instead of in `stats`: written in that order, looked up by binary
    /// search. The dictionary, built on the cache's writer while the project rules run, was ~6 MiB of the 16x
    /// tree's cold peak. Moved into `stats` (`materializeBatch`) as soon as any other record is made.
    private var statBatch: StatBatch?
    /// Where `blob(forPath:stamp:)` looks in `statBatch` first: after the record it found last.
    private var statHint = 0
    private var statsChanged = false
    /// By row of `loaded`: whether its path is still one of the working tree this run listed (`noteListing`); nil
    /// without a listing (every row is kept). The save drops the rows of paths that are gone (deleted, renamed, now
    /// excluded): without it the table kept them up to `maxEntries`, and every run read them again.
    private var loadedListed: [Bool]?
    private let lock = NSLock()
    /// The metadata tables of this run's new entries, encoded once (see `FindingCodec.MetadataBytes`).
    private let metadataBytes = FindingCodec.MetadataBytes()
    private let runStart = Date()
    public private(set) var hits = 0
    public private(set) var misses = 0
    public private(set) var corrupt = 0
    /// Project-level results (see `ProjectMemo`), in the same directory.
    public private(set) lazy var projectMemo = ProjectMemo(directory: directory)

    /// Opens (or creates on first write) the cache in `directory`; loading never fails: an unreadable
    /// pack is an empty cache.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The stat table is read on first use too (git snapshots know their blob ids without it).
    private var statsLoaded = false
    private func ensureStats() {
        // Callers hold `lock`.
        guard !statsLoaded else { return }
        statsLoaded = true
        loadStats()
    }

    /// The pack is read on first use: a run answered by the run memo never needs it.
    private var packLoaded = false
    private func ensurePack() {
        // Callers hold `lock`.
        guard !packLoaded else { return }
        packLoaded = true
        loadPack()
    }

    private var packURL: URL { directory.appendingPathComponent(Self.packName) }
    private var statURL: URL { directory.appendingPathComponent(Self.statName) }

    /// SHA-256 of the digest of (build identity, settings), the kind, the path and the blob id: the per-run
    /// part is hashed once per distinct settings, so a file's key hashes two blocks, not four.
    public static func key(blob: BlobID, kind: FileKind, path: String, settings: String) -> String {
        var b = ContentHash.Builder()
        b.bytes += settingsPrefixes.digest(settings)
        b.part(kind.rawValue)
        b.part(path)
        b.append(blob); b.endPart()
        return b.finish()
    }

    private static let settingsPrefixes = SettingsPrefixes()

    /// The raw SHA-256 of the build identity and a settings string, per distinct settings string (by bytes:
    /// canonically equivalent spellings are different settings).
    private final class SettingsPrefixes: @unchecked Sendable {
        private let lock = NSLock()
        private var digests: [UTF8Key: [UInt8]] = [:]
        private var last: (settings: UTF8Key, digest: [UInt8])?

        func digest(_ settings: String) -> [UInt8] {
            let key = UTF8Key(settings)
            lock.lock()
            defer { lock.unlock() }
            if let last, last.settings == key { return last.digest }
            let d: [UInt8]
            if let known = digests[key] {
                d = known
            } else {
                var b = ContentHash.Builder()
                b.part(buildIdentity)
                b.part(settings)
                d = b.finishRaw()
                digests[key] = d
            }
            last = (key, d)
            return d
        }
    }

    /// The version, the cache's schema and the running binary's size and modification time: any rebuild
    /// (a changed rule, a new fact) invalidates every entry, as a version bump alone would not in
    /// development builds.
    public static let buildIdentity: String = {
        var parts = [FleetLintVersion.current, "schema-4"]
        var st = stat()
        // The binary's path first, then its stat: the same file as `stat("/proc/self/exe")` in a normal run, and the
        // program's own under valgrind, which answers readlink of /proc/self/exe with it where the link itself leads to
        // valgrind's tool (so a warm or one-file-changed run can be profiled with callgrind: it analysed every file).
        // The link itself when the path cannot be read or stat'ed (a binary replaced while it runs).
        var path = [CChar](repeating: 0, count: 4096)  // zeros: the link read into it stays NUL-terminated
        let found = readlink("/proc/self/exe", &path, path.count - 1) > 0 && stat(path, &st) == 0
        if found || stat("/proc/self/exe", &st) == 0 {
            parts.append("\(st.st_size)-\(st.st_mtim.tv_sec)-\(st.st_mtim.tv_nsec)")
        }
        return parts.joined(separator: "/")
    }()

    private func loadPack() {
        // The pack was read whole into memory: at 16x (37,000 entries, 45 MB) a run that had changed one file held
        // 90 MiB of heap after its analysis, its peak 124-145 MiB against a cold run's 89, and a pack grown to its
        // limit (entries of other builds and settings) would have been held whole too. Now only its index is.
        var files: [PackFile] = []
        if let main = PackFile(path: packURL.path, magic: Self.magic) { files.append(main) }
        let stem = Self.packStem + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() where name.hasPrefix(stem) && name.hasSuffix(".delta") && files.count < Int(UInt16.max) {
            let path = directory.appendingPathComponent(name).path
            guard let delta = PackFile(path: path, magic: Self.magic) else { continue }
            files.append(delta)
            deltaPaths.append(path)
        }
        packs = files
        // Built in a local and stored once: each access to the object's own tables from the closure was checked for
        // exclusivity (three calls into the runtime an entry).
        var rows: [PackIndex.Row] = []
        for (n, file) in files.enumerated() {
            let truncated = file.scan { keyBytes, range in
                if let key = CacheKey(hex: keyBytes), range.count <= Int(UInt32.max) {
                    rows.append(PackIndex.Row(key: key, file: UInt16(n), start: range.lowerBound, count: UInt32(range.count)))
                }
            }
            if truncated { corrupt += 1 }
        }
        index = PackIndex(rows)
    }

    /// The bytes of the pack and of its deltas read by this run.
    private var packBytes: (main: Int, deltas: Int) {
        let main = hasMainPack ? packs[0].size : 0
        return (main, packs.reduce(0) { $0 + $1.size } - main)
    }

    private func loadStats() {
        guard let bytes = readWholeFile(statURL.path) else { return }
        loaded = Self.parseStats(bytes)
        loadedHint = 0
    }

    /// One pass over the stat table's bytes (`path\tsize\tmtime\tctime\tinode\tblob\n`); a malformed
    /// line is skipped, never trusted.
    static func parseStats(_ bytes: [UInt8]) -> LoadedStats {
        var table = LoadedStats()
        bytes.withUnsafeBufferPointer { buf in
            let n = buf.count
            var i = 0
            let base = buf.baseAddress
            // Sized first (the lines, and the bytes before each line's first tab): grown by doubling, the table held
            // up to twice its bytes and was copied at every step.
            do {
                var lines = 0, pathBytes = 0, k = 0
                while k < n, let start = base {
                    let end = memchr(start + k, 0x0A, n - k).map { UnsafeRawPointer($0) - UnsafeRawPointer(start) } ?? n
                    if let tab = memchr(start + k, 0x09, end - k) { pathBytes += UnsafeRawPointer(tab) - UnsafeRawPointer(start + k) }
                    lines += 1
                    k = end + 1
                }
                table.reserve(rows: lines, pathBytes: pathBytes)
            }
            /// The offset of the first `byte` in `from..<to`, or `to` (`memchr`: a byte-at-a-time loop with bounds
            /// checks was half of a warm run's ~9.6 M instructions reading the 1x tree's table).
            func find(_ byte: Int32, _ from: Int, _ to: Int) -> Int {
                guard from < to, let hit = memchr(base! + from, byte, to - from) else { return to }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(base!)
            }
            while i < n {
                let end = find(0x0A, i, n)
                defer { i = end + 1 }
                // Fields end at tabs (a path never contains one: `record` refuses it); the blob id ends the line.
                var k = i
                func field() -> Range<Int>? {
                    let start = k
                    k = find(0x09, k, end)
                    guard k < end else { return nil }
                    k += 1
                    return start..<(k - 1)
                }
                func number(_ r: Range<Int>) -> Int64? {
                    guard !r.isEmpty, r.count <= 18 || (r.count == 19 && buf[r.lowerBound] <= 0x38) else { return nil }
                    var v: Int64 = 0, k = r.lowerBound, negative = false
                    if buf[k] == 0x2D { negative = true; k += 1; guard k < r.upperBound else { return nil } }
                    while k < r.upperBound {
                        let d = buf[k] &- 0x30
                        guard d < 10 else { return nil }
                        v = v * 10 + Int64(d)
                        k += 1
                    }
                    return negative ? -v : v
                }
                guard let pathField = field(), let size = field().flatMap(number), size >= 0, let m = field().flatMap(number),
                      let c = field().flatMap(number), let ino = field().flatMap(number), ino >= 0 else { continue }
                // A blob id, or the sentinel of a binary or oversize file.
                let hex = UnsafeBufferPointer(rebasing: buf[k..<end])
                let blob: BlobID
                if let id = BlobID(hexBytes: UnsafeRawBufferPointer(hex)) {
                    blob = id
                } else if hex.elementsEqual(Self.binarySentinel.hex.utf8) {
                    blob = Self.binarySentinel
                } else if hex.elementsEqual(Self.tooLargeSentinel.hex.utf8) {
                    blob = Self.tooLargeSentinel
                } else {
                    continue
                }
                guard table.fits(pathField.count) else { return }
                table.append(path: UnsafeBufferPointer(rebasing: buf[pathField]),
                             stamp: FileStamp(size: Int(size), mtimeNanos: m, ctimeNanos: c, inode: UInt64(ino)), blob: blob)
            }
        }
        table.finish()
        return table
    }

    /// The blob id recorded for a working-tree file whose stat has not changed.
    public func blob(forPath path: String, stamp: FileStamp) -> BlobID? {
        lock.lock()
        defer { lock.unlock() }
        ensureStats()
        if let batch = statBatch {
            // The run memo's key asks for every entry in snapshot order, the batch's own: the record after the last
            // one found is tried first (one comparison of two strings with one storage), then a binary search.
            var r: StatBatch.Record?
            var next = statHint
            while next < batch.count, batch.at(next) == nil { next += 1 }  // files without a record are not asked for
            if next < batch.count, batch.at(next)!.path == path {
                r = batch.valid(next)
                statHint = next + 1
            } else if let i = batch.find(path) {
                r = batch.valid(i)
                statHint = i + 1
            }
            guard let r, r.stamp == stamp else { return nil }
            return r.blob
        }
        // This run's record first (a cold run has none: no need to hash the path), then the table read.
        if !stats.isEmpty, let s = stats[path] { return s.stamp == stamp ? s.blob : nil }
        guard !loaded.isEmpty, let i = loaded.find(path, hint: &loadedHint), loaded.rows[i].stamp == stamp else { return nil }
        return loaded.rows[i].blob
    }

    /// Records a working-tree file's blob id, unless its modification time is so recent that a later
    /// edit within the same clock tick could go unnoticed (git's "racy" rule).
    public func record(path: String, stamp: FileStamp, blob: BlobID) {
        lock.lock()
        ensureStats()
        materializeBatch()
        // A cold run records every file.
        if stats.isEmpty && loaded.isEmpty { stats.reserveCapacity(4096) }
        recordLocked(path: path, stamp: stamp, blob: blob, recent: racyLimit)
        lock.unlock()
    }

    /// `record` for many files under one lock.
    func record(_ records: [(path: String, stamp: FileStamp, blob: BlobID)]) {
        record(StatBatch(count: records.count) { records[$0] })
    }

    /// `record` for a batch of files under one lock. Into an empty table (a cold run), a batch whose paths strictly
    /// increase in UTF-8 byte order (the snapshot's order; checked in one pass) is kept as it is (`statBatch`);
    /// otherwise its records go into the dictionary, with room for all of them reserved first.
    func record(_ batch: StatBatch) {
        guard batch.count > 0 else { return }
        let recent = racyLimit
        lock.lock()
        defer { lock.unlock() }
        ensureStats()
        if stats.isEmpty && loaded.isEmpty && statBatch == nil && batch.isOrdered {
            var kept = batch
            kept.recent = recent
            if kept.anyValid { statBatch = kept; statHint = 0; statsChanged = true }
            return
        }
        materializeBatch()
        // Room for the batch's records, not its slots: a run that read a few files (one file changed) hands a slot
        // per entry of the snapshot, nil where it read nothing, and reserving for every slot rehashed the loaded
        // table into one twice its size while the project rules ran (~9 MiB on the 16x tree, its peak).
        var records = 0
        for i in 0..<batch.count where batch.at(i) != nil { records += 1 }
        stats.reserveCapacity(stats.count + records)
        for i in 0..<batch.count {
            if let r = batch.at(i) { recordLocked(path: r.path, stamp: r.stamp, blob: r.blob, recent: recent) }
        }
    }

    /// The paths of the whole working tree this run listed (every entry of its snapshot, in the snapshot's UTF-8 byte
    /// order): the table's records of other paths are dropped at the save, which then happens even when no record
    /// changed. A listing out of order is ignored (nothing is dropped). Runs over a git index or commit, and callers
    /// that record a few files (adoption), give none.
    func noteListing(_ listing: StatBatch.Listing) {
        lock.lock()
        defer { lock.unlock() }
        ensureStats()
        guard !loaded.isEmpty, listing.isOrdered else { return }
        // One walk of both in byte order.
        var listed = [Bool](repeating: false, count: loaded.count)
        var t = 0, dropped = false
        for row in 0..<loaded.count {
            while t < listing.count {
                var path = listing.path(t)
                let order = path.withUTF8 { key in loaded.withPath(row) { utf8Compare($0, key) } }
                if order > 0 { t += 1; continue }  // a listed path before the row's: no record
                if order == 0 { listed[row] = true; t += 1 }
                break
            }
            if !listed[row] { dropped = true }
        }
        loadedListed = listed
        if dropped { statsChanged = true }
    }

    /// Moves a kept batch's records into the dictionary (callers hold `lock`), before any other record or change.
    private func materializeBatch() {
        guard let batch = statBatch else { return }
        statBatch = nil
        stats.reserveCapacity(stats.count + batch.count)
        for i in 0..<batch.count {
            if let r = batch.valid(i) { stats[r.path] = StatRecord(stamp: r.stamp, blob: r.blob) }
        }
    }

    /// Modification and change times at or after this (nanoseconds) are too recent to trust (git's "racy" rule).
    private var racyLimit: Int64 { Int64((runStart.timeIntervalSince1970 - racyWindow) * 1_000_000_000) }

    /// Whether the record was made (not racy, a path the table can hold).
    @discardableResult
    private func recordLocked(path: String, stamp: FileStamp, blob: BlobID, recent: Int64) -> Bool {
        // Bytes, not `contains("\t")`: Foundation's string search cost ~13,000 instructions a path.
        guard stamp.mtimeNanos < recent, stamp.ctimeNanos < recent, !Self.hasTabOrNewline(path) else { return false }
        // One hash of the path (the same entry written again is harmless).
        var old = stats.updateValue(StatRecord(stamp: stamp, blob: blob), forKey: path)
        if old == nil, !loaded.isEmpty, let i = loaded.find(path, hint: &loadedHint) {
            old = StatRecord(stamp: loaded.rows[i].stamp, blob: loaded.rows[i].blob)
        }
        if old?.stamp != stamp || old?.blob != blob { statsChanged = true }
        return true
    }

    /// Whether a path holds a byte the stat table cannot store (over the contiguous bytes: iterating the
    /// `utf8` view cost ~1,800 instructions a path).
    static func hasTabOrNewline(_ path: String) -> Bool {
        if let found = path.utf8.withContiguousStorageIfAvailable({ buf in buf.contains { $0 == 0x09 || $0 == 0x0A } }) { return found }
        return path.utf8.contains { $0 == 0x09 || $0 == 0x0A }
    }

    /// Most files have nothing to say (no findings, problems, suppressions or facts): their entry is one
    /// byte, so a warm run decodes JSON only for the files that matter.
    static let emptyMarker: UInt8 = 0x45  // "E"

    static func payload(_ analysis: FileAnalysis, metadata: FindingCodec.MetadataBytes? = nil) -> [UInt8]? {
        if analysis.findings.isEmpty && analysis.problems.isEmpty && analysis.suppressions.isEmpty
            && analysis.ruleSkips.isEmpty && analysis.python == nil && analysis.skipped == nil {
            return [emptyMarker, analysis.kind == .binary ? 1 : 0]
        }
        if FactsCodec.applies(to: analysis), let facts = analysis.python { return FactsCodec.encode(facts) }
        return FactsCodec.encodeMixed(analysis, metadata: metadata)
    }

    /// Whether the pack on disk holds any entry (reading it now if it was not read): when it holds none, a
    /// run's workers need neither hash keys nor look them up (a cold run).
    public var mayHaveEntries: Bool {
        lock.lock()
        defer { lock.unlock() }
        ensurePack()
        return !index.isEmpty
    }

    /// The analysis stored under `hexKey`; without `findings`, with its findings read past, not built (see
    /// `FactsCodec.decodeMixed`).
    public func lookup(_ hexKey: String, path: String, kind: FileKind, blob: BlobID?, findings: Bool = true) -> FileAnalysis? {
        guard let key = CacheKey(hexKey) else { return nil }
        lock.lock()
        ensurePack()
        guard !index.isEmpty, let (file, range) = index.use(key), Int(file) < packs.count else { misses += 1; lock.unlock(); return nil }
        let pack = packs[Int(file)]
        lock.unlock()
        var decoded: FileAnalysis?
        if let entry = pack.read(range), let payload = PackEntries.payload(entry, entry.indices) {
            if payload.count == 2 && payload.first == Self.emptyMarker {
                decoded = FileAnalysis(path: path, kind: payload.last == 1 ? .binary : kind, blob: blob)
            } else if payload.first == FactsCodec.marker {
                decoded = FactsCodec.decode(payload, path: path, blob: blob)
            } else {
                decoded = FactsCodec.decodeMixed(payload, path: path, blob: blob, findings: findings)
            }
        }
        guard let analysis = decoded else {
            lock.lock(); corrupt += 1; misses += 1; index.remove(key); lock.unlock()
            return nil
        }
        lock.lock(); hits += 1; lock.unlock()
        return analysis
    }

    /// Adds an entry: it goes straight to the next pack's temp file (new entries first), so a cold run
    /// holds no encoded analyses in memory.
    public func store(_ hexKey: String, _ analysis: FileAnalysis) {
        guard let key = CacheKey(hexKey), let data = Self.payload(analysis, metadata: metadataBytes) else { return }
        // The entry's header (its checksum reads every byte) is made here, on the worker, not under the lock.
        let header = PackEntries.header(keyBytes: key.hexBytes, data[...])
        lock.lock()
        defer { lock.unlock() }
        // Not added to `used`: a new entry is written first, and an older entry under its key is then skipped.
        if pending == nil && !pendingFailed {
            pending = openPending()
            pendingFailed = pending == nil
        }
        pending?.append(key, header: header, payload: data)
    }

    /// The directory (with its `.gitignore`) and a temp file for the next pack, or nil when either
    /// cannot be made (the run then simply caches nothing).
    private func openPending() -> PackWriter? {
        guard prepareDirectory() else { return nil }
        return PackWriter(final: packURL.path, magic: Self.magic, maxEntries: maxEntries, maxBytes: maxBytes)
    }

    private func prepareDirectory() -> Bool {
        guard Self.problem(with: directory) == nil else { return false }
        let ignore = directory.appendingPathComponent(".gitignore")
        if !FileManager.default.fileExists(atPath: ignore.path) {
            try? Data("# Created by fleetlint automatically.\n*\n".utf8).write(to: ignore)
        }
        AtomicFile.removeStaleTemps(in: directory.path)
        return true
    }

    /// Why `directory` cannot hold a cache, or nil when it can: it exists as a directory this process may write, or it
    /// has just been made (with its parents). The command line asks before a run, to warn instead of caching nothing
    /// in silence; `prepareDirectory` asks before each write.
    public static func problem(with directory: URL) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "is not a directory" }
            return access(directory.path, W_OK | X_OK) == 0 ? nil : "is not writable"
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return nil
        } catch {
            // Foundation wraps the system's error (`POSIXError`): its text names the cause ("Not a directory").
            let underlying = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError }
            let reason = underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil }
            return "cannot be created" + (reason.map { " (\($0))" } ?? "")
        }
    }

    /// Writes the pack (new entries first, then the ones used this run, then older ones up to the
    /// limits) and the stat table, atomically; does nothing on disk when the run added nothing. Either
    /// way the loaded pack and stat table are let go (a later use reads them again): a run saves once,
    /// after the analysis, and the pack alone can be larger than all the facts it holds.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        defer { release() }
        let added = pending?.count ?? 0
        let rewrite = added > 0 || corrupt > 0
        guard rewrite || statsChanged else { return }
        guard prepareDirectory() else { return }
        if rewrite {
            ensurePack()
            if pending == nil { pending = openPending() }
            if let out = pending {
                let sizes = packBytes
                if corrupt == 0 && hasMainPack && deltaPaths.count < Self.maxDeltas
                    && (sizes.deltas + out.size) * Self.deltaShare <= sizes.main
                    && index.count + added <= maxEntries && sizes.main + sizes.deltas + out.size <= maxBytes {
                    // A delta of this run's entries only; the pack and the other deltas stay as they are.
                    out.commit(as: directory.appendingPathComponent(
                        "\(Self.packStem)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).delta").path)
                } else {
                    // Mostly runs of neighbours in each old file: read through a buffer, not an entry at a time.
                    var cursors = packs.map(PackFile.Cursor.init)
                    index.forEachInSaveOrder { key, file, r in
                        guard Int(file) < cursors.count, let entry = cursors[Int(file)].bytes(r) else { return }
                        out.append(key, entry[(entry.startIndex + 12)...])  // raw: checked when read
                    }
                    // Every entry of the deltas read is in the new pack now (or was dropped by the limits); a pack that
                    // could not be written (a full disk) leaves them in place.
                    if out.commit() { for path in deltaPaths { unlink(path) } }
                }
            }
            pending = nil
            prunePacks()
        }
        if statsChanged, let file = AtomicFile(statURL.path) {
            // Written in pieces (the table has a line per file of the repository), each line built from
            // bytes (string interpolation of five numbers was most of the cost).
            var chunk: [UInt8] = []
            chunk.reserveCapacity(1 << 16 + 4096)
            func line(_ path: String, _ stamp: FileStamp, _ blob: BlobID) {
                Self.appendStatLine(path: path, stamp: stamp, blob: blob, to: &chunk)
                if chunk.count >= 1 << 16 { file.write(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            func line(_ path: UnsafeBufferPointer<UInt8>, _ stamp: FileStamp, _ blob: BlobID) {
                Self.appendStatLine(pathBytes: path, stamp: stamp, blob: blob, to: &chunk)
                if chunk.count >= 1 << 16 { file.write(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            if let batch = statBatch {
                // A cold run's batch, already in byte order.
                var written = 0
                for i in 0..<batch.count where written < maxEntries {
                    guard let r = batch.valid(i) else { continue }
                    line(r.path, r.stamp, r.blob)
                    written += 1
                }
            } else {
                // In UTF-8 byte order (`String`'s `<` compares Unicode scalars, a tenth of the save on 9,000 paths): this
                // run's records merged into the table read, a record of this run in place of the table's for its path.
                let changed = stats.keys.sorted(by: { $0.utf8Precedes($1) })
                var row = 0, next = 0, written = 0
                while written < maxEntries, row < loaded.count || next < changed.count {
                    // This run's next record against the table's next row: the first in byte order is written; on a
                    // tie, this run's, and the row is passed over.
                    var order: Int32 = -1
                    if next == changed.count {
                        order = 1
                    } else if row < loaded.count {
                        var path = changed[next]
                        order = path.withUTF8 { key in loaded.withPath(row) { utf8Compare(key, $0) } }
                    }
                    if order <= 0 {
                        let s = stats[changed[next]]!
                        line(changed[next], s.stamp, s.blob)
                        written += 1
                        next += 1
                        if order == 0 { row += 1 }
                    } else {
                        // A path no longer in the working tree is not written again.
                        if loadedListed?[row] ?? true {
                            let r = loaded.rows[row]
                            loaded.withPath(row) { line($0, r.stamp, r.blob) }
                            written += 1
                        }
                        row += 1
                    }
                }
            }
            file.write(chunk)
            file.commit()
            statsChanged = false
        }
    }

    /// Deletes the packs of other builds but the `otherPacksKept` written last (and a pack of the format before packs
    /// were per build, `analyses.pack`, among them), and the deltas of the builds whose pack is gone.
    private func prunePacks() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        var others: [(name: String, modified: Int64)] = []
        for name in names where name != Self.packName && name.hasPrefix("analyses") && name.hasSuffix(".pack") {
            let path = directory.appendingPathComponent(name).path
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            others.append((name, Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)))
        }
        others.sort { $0.modified != $1.modified ? $0.modified > $1.modified : $0.name < $1.name }
        for old in others.dropFirst(Self.otherPacksKept) { unlink(directory.appendingPathComponent(old.name).path) }
        let stems = Set([Self.packStem] + others.prefix(Self.otherPacksKept).map { String($0.name.dropLast(".pack".count)) })
        for name in names where name.hasPrefix("analyses-") && name.hasSuffix(".delta") {
            // `<stem>-<pid>-<n>.delta`: the stem is the name before its last two dashes.
            let parts = name.dropLast(".delta".count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count >= 4, !stems.contains(parts.dropLast(2).joined(separator: "-")) else { continue }
            unlink(directory.appendingPathComponent(name).path)
        }
    }

    /// One line of the stat table: `path\tsize\tmtime\tctime\tinode\tblob\n` (what `loadStats` reads).
    static func appendStatLine(path: String, stamp: FileStamp, blob: BlobID, to out: inout [UInt8]) {
        var path = path
        path.withUTF8 { appendStatLine(pathBytes: $0, stamp: stamp, blob: blob, to: &out) }
    }

    static func appendStatLine(pathBytes: UnsafeBufferPointer<UInt8>, stamp: FileStamp, blob: BlobID, to out: inout [UInt8]) {
        // Each number into a small buffer on the stack, then one append (an append per digit cost ~600
        // instructions a number).
        func field(_ v: Int64?, unsigned: UInt64 = 0) {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: a tab, a sign and 20 digits fit
            withUnsafeMutableBytes(of: &digits) { d in
                var m = v.map { $0.magnitude } ?? unsigned
                var k = d.count
                repeat { k -= 1; d[k] = UInt8(truncatingIfNeeded: m % 10) | 0x30; m /= 10 } while m > 0
                if let v, v < 0 { k -= 1; d[k] = 0x2D }
                k -= 1
                d[k] = 0x09
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[k...]))
            }
        }
        out.append(contentsOf: pathBytes)
        field(Int64(stamp.size))
        field(stamp.mtimeNanos)
        field(stamp.ctimeNanos)
        field(nil, unsigned: stamp.inode)
        out.append(0x09)
        blob.withHexBytes { out.append(contentsOf: $0) }
        out.append(0x0A)
    }

    /// Forgets the loaded pack and stat table (callers hold `lock`; both are read again on next use).
    private func release() {
        guard pending == nil else { return }  // nothing was written: this run's new entries are still pending
        packLoaded = false
        packs = []
        deltaPaths = []
        index = PackIndex()
        if !statsChanged {
            statsLoaded = false
            stats = [:]
            loaded = LoadedStats()
            loadedListed = nil
            statBatch = nil
        }
    }

    deinit { pending?.discard() }

    /// Removes the cache directory's contents (`fleetlint cache clean`).
    public static func clean(_ directory: URL) throws {
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        try FileManager.default.removeItem(at: directory)
    }
}

/// A batch of stat-table records read in place from arrays the caller already holds (a cold run: the snapshot's
/// entries and the blob ids the workers noted), by index: `at(i)` is the `i`th record, nil where there is none (a
/// file not read, or without a stat). See `AnalysisCache.record(_:)`.
struct StatBatch: @unchecked Sendable {
    typealias Record = (path: String, stamp: FileStamp, blob: BlobID)

    /// Every path of a working tree's snapshot, by index, in its order (`AnalysisCache.noteListing`).
    struct Listing: @unchecked Sendable {
        let count: Int
        let path: (Int) -> String

        /// Whether the paths strictly increase in UTF-8 byte order (a snapshot's are).
        var isOrdered: Bool { StatBatch.increase(count, path) }
    }

    /// Whether the paths at `0..<count` strictly increase in UTF-8 byte order, those that are nil passed over.
    static func increase(_ count: Int, _ path: (Int) -> String?) -> Bool {
        var last: String?
        for i in 0..<count {
            guard let p = path(i) else { continue }
            if let last, !last.utf8Precedes(p) { return false }
            last = p
        }
        return true
    }
    let count: Int
    let at: (Int) -> Record?
    /// The racy limit of the run that recorded it (`AnalysisCache.racyLimit`): records at or after it are left out.
    var recent: Int64 = .min

    init(count: Int, at: @escaping (Int) -> Record?) {
        self.count = count
        self.at = at
    }

    /// The `i`th record when the table may hold it (`AnalysisCache.recordLocked`'s rules: not racy, no tab or
    /// newline in the path).
    func valid(_ i: Int) -> Record? {
        guard let r = at(i), r.stamp.mtimeNanos < recent, r.stamp.ctimeNanos < recent,
              !AnalysisCache.hasTabOrNewline(r.path) else { return nil }
        return r
    }

    var anyValid: Bool { (0..<count).contains { valid($0) != nil } }

    /// Whether the records' paths strictly increase in UTF-8 byte order (those with no record do not count; the
    /// binary search of `find` skips them).
    var isOrdered: Bool { Self.increase(count) { at($0)?.path } }

    /// The index of `path`'s record, by binary search over the ordered records.
    func find(_ path: String) -> Int? {
        var lo = 0, hi = count
        while lo < hi {
            var mid = (lo + hi) / 2
            // Indexes without a record are skipped, to the right first, then to the left.
            var probe = mid
            while probe < hi, at(probe) == nil { probe += 1 }
            if probe == hi {
                probe = mid - 1
                while probe >= lo, at(probe) == nil { probe -= 1 }
                if probe < lo { return nil }
                hi = probe + 1
            }
            mid = probe
            let r = at(mid)!
            if r.path == path { return mid }
            if r.path.utf8Precedes(path) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}

/// Work started on a thread of its own and joined later: the cache's writes (entries, stat table, run memo key)
/// run while the project rules do, on the core they leave idle, instead of on the analysis workers and between
/// the two phases.
final class BackgroundWork<T>: @unchecked Sendable {
    private var value: T?
    private let finished = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            value = body()
            finished.signal()
        }
        thread.start()
    }

    /// The body's result, once it has returned (any number of calls; each waits for the thread the first time).
    func result() -> T {
        finished.wait()
        defer { finished.signal() }
        return value!
    }
}

/// A pack being written: an `AtomicFile` beside the final one, filled entry by entry through a small
/// buffer, committed over the final pack or discarded. Entries beyond the limits, and a key written
/// before, are skipped.
final class PackWriter {
    private let file: AtomicFile
    private var buffer: [UInt8] = []
    /// The first word of each key written (a SHA-256 word: 8 bytes an entry instead of 32, ~1.5 MiB less on the
    /// 16x tree's cold peak). Two keys sharing it (about once in 10^9 packs of 200,000 entries) lose the later
    /// entry: a cache miss on the next run, never a wrong answer.
    private var written = Set<UInt64>()
    private var bytes = 0
    private let maxEntries: Int
    private let maxBytes: Int
    var count: Int { written.count }
    /// The bytes written so far (the magic and every entry).
    var size: Int { bytes }

    init?(final: String, magic: [UInt8], maxEntries: Int, maxBytes: Int) {
        guard let file = AtomicFile(final) else { return nil }
        self.file = file
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        buffer.reserveCapacity(1 << 18)
        buffer += magic
        bytes = magic.count
    }

    func append(_ key: CacheKey, _ payload: ArraySlice<UInt8>) {
        guard admits(key, payload.count) else { return }
        let before = buffer.count
        PackEntries.append(keyBytes: key.hexBytes, payload, to: &buffer)
        bytes += buffer.count - before
        if buffer.count >= 1 << 18 { flush() }
    }

    /// An entry whose header (`PackEntries.header`) the caller made.
    func append(_ key: CacheKey, header: [UInt8], payload: [UInt8]) {
        guard admits(key, payload.count) else { return }
        buffer += header
        buffer += payload
        bytes += header.count + payload.count
        if buffer.count >= 1 << 18 { flush() }
    }

    /// Whether an entry of `payloadCount` bytes under `key` still fits and is new (then recorded as written).
    private func admits(_ key: CacheKey, _ payloadCount: Int) -> Bool {
        !file.failed && written.count < maxEntries && bytes + payloadCount < maxBytes && written.insert(key.a).inserted
    }

    private func flush() {
        file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and renames the temp file over the pack (or removes it after a failure); whether it
    /// was renamed.
    @discardableResult
    func commit() -> Bool {
        flush()
        return file.commit()
    }

    /// Writes what is buffered and renames the temp file to `path` instead (a delta pack in the same directory).
    @discardableResult
    func commit(as path: String) -> Bool {
        flush()
        return file.commit(as: path)
    }

    /// Removes the temp file (a run that stored entries but never saved).
    func discard() { file.discard() }
}

/// The cache's pack file, open for reading: its entries' headers scanned once through a buffer, each entry read
/// (`pread`) when looked up. Shared by the workers' lookups (a read at an offset needs no lock); closed when the
/// last holder lets it go.
final class PackFile: @unchecked Sendable {
    private let fd: Int32
    let size: Int
    private let start: Int

    /// nil when the file does not exist, cannot be read, or does not start with `magic`.
    init?(path: String, magic: [UInt8]) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { close(fd); return nil }
        self.fd = fd
        size = Int(st.st_size)
        start = magic.count
        guard let head = read(0..<min(size, magic.count)), head.elementsEqual(magic) else { return nil }
    }

    deinit { close(fd) }

    /// The bytes of `range` (file offsets), or nil when they cannot all be read.
    func read(_ range: Range<Int>) -> [UInt8]? { readFully(fd, count: range.count, at: range.lowerBound) }

    /// Reads a file's bytes forward through a buffer of 1 MiB: ranges that follow each other cost one read a MiB.
    struct Cursor {
        let file: PackFile
        private var buffer: [UInt8] = [], bufferStart = 0
        init(_ file: PackFile) { self.file = file }

        /// The bytes of `range` (file offsets), or nil when they cannot all be read.
        mutating func bytes(_ range: Range<Int>) -> ArraySlice<UInt8>? {
            if range.lowerBound < bufferStart || range.upperBound > bufferStart + buffer.count {
                guard let refill = file.read(range.lowerBound..<Swift.min(file.size, range.lowerBound + Swift.max(range.count, 1 << 20))),
                      refill.count >= range.count else { return nil }
                buffer = refill
                bufferStart = range.lowerBound
            }
            return buffer[(range.lowerBound - bufferStart)..<(range.upperBound - bufferStart)]
        }
    }

    /// `PackEntries.scan` over the file: every well-formed entry's key and range (file offsets of its length,
    /// checksum and payload), the headers read through a `Cursor` that skips the payloads. Returns true at a
    /// truncated entry.
    @discardableResult
    func scan(_ visit: (ArraySlice<UInt8>, Range<Int>) -> Void) -> Bool {
        let headerSize = PackEntries.headerSize
        var cursor = Cursor(self)
        var i = start
        while i + headerSize <= size {
            guard let header = cursor.bytes(i..<(i + headerSize)) else { return true }
            let length = PackEntries.payloadLength(header: header)
            let payloadStart = i + headerSize
            guard payloadStart + length <= size else { return true }
            visit(header.prefix(64), (i + 64)..<(payloadStart + length))
            i = payloadStart + length
        }
        return false
    }
}

/// The stat table as read from disk (`AnalysisCache.loadStats`): its records in UTF-8 byte order of their paths, the
/// paths in one byte array. In a dictionary keyed by path (a `String` each, a bucket of 72 bytes at most three
/// quarters full) the 16x tree's 37,000 records were 7.4 MiB of a warm run's heap from the snapshot to the cache's
/// save; here ~4 MiB. Looked up by binary search, the record after the last one found first (the run memo's key
/// asks in snapshot order, the table's own). Read only: this run's records go into the cache's dictionary, which
/// wins over the table, and the save merges the two in path order.
struct LoadedStats {
    struct Row {
        var pathStart: UInt32
        var pathCount: UInt32
        var stamp: FileStamp
        var blob: BlobID
    }
    private(set) var pathBytes: [UInt8] = []
    private(set) var rows: [Row] = []

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    mutating func reserve(rows: Int, pathBytes: Int) {
        self.rows.reserveCapacity(rows)
        self.pathBytes.reserveCapacity(pathBytes)
    }

    /// Appends a record read from the file; `finish` orders them.
    mutating func append(path: UnsafeBufferPointer<UInt8>, stamp: FileStamp, blob: BlobID) {
        rows.append(Row(pathStart: UInt32(pathBytes.count), pathCount: UInt32(path.count), stamp: stamp, blob: blob))
        pathBytes.append(contentsOf: path)
    }

    /// Whether `pathBytes` can still take `count` more bytes (offsets are 32-bit; a larger table is cut there).
    func fits(_ count: Int) -> Bool { pathBytes.count + count <= Int(UInt32.max) }

    /// Orders the rows by path if the file was not in order (a table written by hand or by an older build) and drops
    /// earlier records of a repeated path (the last line wins, as the dictionary's did); drops spare capacity.
    mutating func finish() {
        var ordered = true
        for i in rows.indices.dropFirst() where compare(i - 1, i) >= 0 { ordered = false; break }
        if !ordered {
            var indexed = Array(rows.enumerated())
            indexed.sort { l, r in
                let c = compare(l.element, r.element)
                return c != 0 ? c < 0 : l.offset < r.offset
            }
            var kept: [Row] = []
            kept.reserveCapacity(indexed.count)
            for (k, item) in indexed.enumerated() {
                if k + 1 < indexed.count && compare(item.element, indexed[k + 1].element) == 0 { continue }
                kept.append(item.element)
            }
            rows = kept
        }
        rows.trimCapacity()
        pathBytes.trimCapacity()
    }

    func withPath<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let r = rows[i]
        return pathBytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(r.pathStart)..<(Int(r.pathStart) + Int(r.pathCount))]))
        }
    }

    private func compare(_ a: Int, _ b: Int) -> Int32 { compare(rows[a], rows[b]) }

    private func compare(_ a: Row, _ b: Row) -> Int32 {
        pathBytes.withUnsafeBufferPointer { all in
            utf8Compare(UnsafeBufferPointer(rebasing: all[Int(a.pathStart)..<(Int(a.pathStart) + Int(a.pathCount))]),
                         UnsafeBufferPointer(rebasing: all[Int(b.pathStart)..<(Int(b.pathStart) + Int(b.pathCount))]))
        }
    }

    /// The row of `path`, trying the one at `hint` first (then a binary search); `hint` becomes the row after it.
    func find(_ path: String, hint: inout Int) -> Int? {
        var path = path
        return path.withUTF8 { key -> Int? in
            if hint < rows.count, withPath(hint, { utf8Compare($0, key) }) == 0 {
                hint += 1
                return hint - 1
            }
            var lo = 0, hi = rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let c = withPath(mid) { utf8Compare($0, key) }
                if c == 0 { hint = mid + 1; return mid }
                if c < 0 { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }
}

/// The cache's pack by key: one row per entry (its key, where it is in the file, whether this run used it), in key
/// order, looked up by binary search. A dictionary of the keys, an array of them in pack order and a set of those used
/// were ~6 MiB for the 16x tree's 37,000 entries, from the analysis to the cache's save in a run with one file
/// changed; these rows are 48 bytes an entry, ~1.7 MiB.
struct PackIndex {
    struct Row {
        let key: CacheKey
        /// The entry's range in its file (its length, checksum and payload).
        let start: Int
        let count: UInt32
        /// Which file: a position in the cache's list of the pack and its deltas.
        let file: UInt16
        /// 1: used by this run; 2: removed (it did not decode).
        var state: UInt8 = 0

        init(key: CacheKey, file: UInt16 = 0, start: Int, count: UInt32) {
            (self.key, self.file, self.start, self.count) = (key, file, start, count)
        }
        var range: Range<Int> { start..<(start + Int(count)) }
    }
    private var rows: [Row] = []

    init() {}

    /// The index of the entries of a pack and its deltas, listed in file order: the first entry under a key wins.
    init(_ listed: [Row]) {
        var rows = listed
        rows.sort { Self.precedes($0.key, $1.key) || ($0.key == $1.key && ($0.file, $0.start) < ($1.file, $1.start)) }
        var kept = 0
        for i in rows.indices where kept == 0 || rows[kept - 1].key != rows[i].key {
            rows[kept] = rows[i]
            kept += 1
        }
        rows.removeLast(rows.count - kept)
        self.rows = rows
    }

    var isEmpty: Bool { rows.isEmpty }
    var count: Int { rows.count }

    static func precedes(_ a: CacheKey, _ b: CacheKey) -> Bool {
        a.a != b.a ? a.a < b.a : a.b != b.b ? a.b < b.b : a.c != b.c ? a.c < b.c : a.d < b.d
    }

    private func find(_ key: CacheKey) -> Int? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = rows[mid].key
            if k == key { return rows[mid].state == 2 ? nil : mid }
            if Self.precedes(k, key) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// The file and range of `key`'s entry, marked as used (kept first when the pack is written again).
    mutating func use(_ key: CacheKey) -> (file: UInt16, range: Range<Int>)? {
        guard let i = find(key) else { return nil }
        rows[i].state = 1
        return (rows[i].file, rows[i].range)
    }

    /// Forgets `key`'s entry (it did not decode): not written again.
    mutating func remove(_ key: CacheKey) {
        if let i = find(key) { rows[i].state = 2 }
    }

    /// The entries to write again, in the files' order: those this run used first, then the others.
    func forEachInSaveOrder(_ body: (CacheKey, UInt16, Range<Int>) -> Void) {
        // Used (state 1) before unused (0), then by file and place in it; removed ones (2) left out.
        let kept = rows.indices.filter { rows[$0].state != 2 }.sorted { a, b in
            (rows[a].state == 1 ? 0 : 1, rows[a].file, rows[a].start) < (rows[b].state == 1 ? 0 : 1, rows[b].file, rows[b].start)
        }
        for i in kept { body(rows[i].key, rows[i].file, rows[i].range) }
    }
}
