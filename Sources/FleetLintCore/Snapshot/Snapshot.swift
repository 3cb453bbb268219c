import FleetLintSyntax

/// The result of reading one file of a snapshot.
public enum ReadOutcome: Sendable {
    case text([UInt8])
    /// A NUL byte in the first 8 KiB.
    case binary
    case tooLarge(Int)
    case failed(String)

    /// Classifies bytes read in full (git objects, in-memory files) the way the file reader does.
    public static func classify(_ bytes: [UInt8], limit: Int) -> ReadOutcome {
        if bytes.count > limit { return .tooLarge(bytes.count) }
        if bytes.prefix(8192).contains(0) { return .binary }
        return .text(bytes)
    }

    /// The bytes of a text file; nil for anything else.
    public var textBytes: [UInt8]? {
        if case .text(let bytes) = self { return bytes }
        return nil
    }
}

/// Enough of `stat` to tell that a working-tree file has not changed since its blob id was computed.
public struct FileStamp: Hashable, Sendable, Codable {
    public var size: Int
    public var mtimeNanos: Int64
    public var ctimeNanos: Int64
    public var inode: UInt64
}

/// One file of a snapshot: its repository-relative path, its kind by name, and git's blob id when it
/// is known without reading the file (git index and commits always; the working tree through the
/// cache's stat table).
///
/// A snapshot holds one per file for the whole run, so the stamp and the size are stored as plain words behind one
/// byte of flags, not as optionals: 72 bytes an entry instead of 104 (`FileStamp?` and `Int?` each took a word more
/// for their tag, and padding). A stamp's size is the entry's size (a working-tree entry's size is what its scan saw).
public struct SnapshotEntry: Hashable, Sendable {
    public var path: String
    public var blob: BlobID?
    public var kind: FileKind
    /// `hasStamp` and `hasSize`; the words below are zero when their value is absent, so that equal entries have
    /// equal bits.
    private var flags: UInt8
    private var rawSize: Int
    private var mtimeNanos: Int64
    private var ctimeNanos: Int64
    private var inode: UInt64

    private static let hasStamp: UInt8 = 1, hasSize: UInt8 = 2

    /// Working-tree files only.
    public var stamp: FileStamp? {
        get {
            flags & Self.hasStamp == 0 ? nil
                : FileStamp(size: rawSize, mtimeNanos: mtimeNanos, ctimeNanos: ctimeNanos, inode: inode)
        }
        set {
            if let s = newValue {
                (rawSize, mtimeNanos, ctimeNanos, inode) = (s.size, s.mtimeNanos, s.ctimeNanos, s.inode)
                flags |= Self.hasStamp | Self.hasSize
            } else {
                (mtimeNanos, ctimeNanos, inode) = (0, 0, 0)
                flags &= ~Self.hasStamp
            }
        }
    }

    /// The size in bytes, when listed (git's `ls-tree -l`, the working tree's stamp).
    public var size: Int? {
        get { flags & Self.hasSize == 0 ? nil : rawSize }
        set {
            precondition(flags & Self.hasStamp == 0 || newValue == rawSize, "a stamped entry's size is its stamp's")
            rawSize = newValue ?? 0
            if newValue != nil { flags |= Self.hasSize } else { flags &= ~Self.hasSize }
        }
    }

    /// With a stamp, `size` is nil or the stamp's size.
    public init(path: String, kind: FileKind, blob: BlobID? = nil, stamp: FileStamp? = nil, size: Int? = nil) {
        precondition(stamp == nil || size == nil || size == stamp!.size, "a stamped entry's size is its stamp's")
        self.path = path
        self.kind = kind
        self.blob = blob
        (flags, rawSize, mtimeNanos, ctimeNanos, inode) = (0, 0, 0, 0, 0)
        self.size = size
        self.stamp = stamp
    }
}

/// A set of files to analyse: the working tree, the git index, one commit, or files in memory. Every
/// snapshot of the same content gives the same entries and bytes, so the same report.
public protocol Snapshot: Sendable {
    /// `working tree`, `index`, `commit 1a2b3c4`, `memory`.
    var label: String { get }
    /// The files to analyse, after excludes, sorted by path (UTF-8 order).
    var entries: [SnapshotEntry] { get }
    /// Every path of the snapshot before excludes, sorted (existence checks of the dependency index).
    var allPaths: [String] { get }
    /// Files listed but unusable (symlink loops, names that are not UTF-8, unreadable directories).
    var problems: [ScanProblem] { get }
    /// Reads one file (any path of `allPaths`, not only entries).
    func read(_ path: String) -> ReadOutcome
    /// Reads one of the entries: `read(entry.path)`, or faster with what the snapshot listed of it.
    func read(_ entry: SnapshotEntry) -> ReadOutcome
    /// Whether an entry is still as the snapshot listed it (its stamp), so that bytes read now are the bytes its
    /// known blob id names. Only the working tree can change under a run.
    func unchanged(_ entry: SnapshotEntry) -> Bool
    /// Many files at once (see the extension's default: nil, no faster way).
    func readMany(_ paths: [String]) -> [ReadOutcome]?
}

extension Snapshot {
    public func unchanged(_ entry: SnapshotEntry) -> Bool { true }

    public func read(_ entry: SnapshotEntry) -> ReadOutcome { read(entry.path) }

    /// Many files at once, in `paths`' order, when the snapshot reads them faster together than one at a time (git's:
    /// one pipelined batch to `cat-file` instead of a round trip each); nil when it does not.
    public func readMany(_ paths: [String]) -> [ReadOutcome]? { nil }

    /// Reads an entry and returns its bytes' blob id (computed when the snapshot did not know it).
    public func load(_ entry: SnapshotEntry) -> (ReadOutcome, BlobID?) {
        let outcome = read(entry)
        if let blob = entry.blob { return (outcome, blob) }
        if case .text(let bytes) = outcome { return (outcome, BlobID.of(bytes)) }
        return (outcome, nil)
    }
}

/// Turns a sorted path list into snapshot entries: excludes applied, kinds classified.
public struct SnapshotPaths: Sendable {
    public var excludes: [Glob]
    public var classifier: FileClassifier

    public init(excludes: [Glob], classifier: FileClassifier) {
        self.excludes = excludes
        self.classifier = classifier
    }

    public func isExcluded(_ path: String) -> Bool { excludes.contains { $0.matches(path) } }

    public func entries(_ listed: [(path: String, blob: BlobID?, size: Int?)]) -> [SnapshotEntry] {
        listed.filter { !isExcluded($0.path) }.map {
            SnapshotEntry(path: $0.path, kind: classifier.kind(of: $0.path), blob: $0.blob, size: $0.size)
        }
    }
}

/// Files held in memory (rule examples, tests).
public struct MemorySnapshot: Snapshot {
    public let label = "memory"
    public let entries: [SnapshotEntry]
    public let allPaths: [String]
    public let problems: [ScanProblem] = []
    /// By the path's bytes: an NFC and an NFD `café.py` are two files (keyed by String, the second replaced the first).
    private let contents: [UTF8Key: [UInt8]]
    private let limit: Int

    public init(files: [(path: String, contents: [UInt8])], excludes: [Glob] = [], classifier: FileClassifier = FileClassifier(),
                maxFileSize: Int = 16 * 1024 * 1024) {
        var map: [UTF8Key: [UInt8]] = [:]
        for f in files { map[UTF8Key(f.path)] = f.contents }
        contents = map
        limit = maxFileSize
        allPaths = map.keys.map(\.string).sorted { $0.utf8Precedes($1) }
        let paths = SnapshotPaths(excludes: excludes, classifier: classifier)
        entries = paths.entries(allPaths.map { p in (p, BlobID.of(map[UTF8Key(p)]!), map[UTF8Key(p)]!.count) })
    }

    public init(files: [(path: String, contents: String)], excludes: [Glob] = [], classifier: FileClassifier = FileClassifier()) {
        self.init(files: files.map { ($0.path, Array($0.contents.utf8)) }, excludes: excludes, classifier: classifier)
    }

    public func read(_ path: String) -> ReadOutcome {
        guard let bytes = contents[UTF8Key(path)] else { return .failed("no such file") }
        return .classify(bytes, limit: limit)
    }
}
