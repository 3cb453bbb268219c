import FleetLintSyntax

/// Parses NUL-separated `ls-files -s` / `ls-tree -r -l` output into (path, blob, size). Over the output's bytes:
/// splitting each record into arrays of slices and a `String` per field cost ~8,800 instructions a record (a staged
/// check reads the whole index: nba's 9,166 entries, 80 M instructions); a history scan lists a tree per commit.
enum GitListing {
    /// `<mode> <id> <stage>\t<path>\0` (ls-files -s) — only regular files and symlinks at stage 0.
    static func parseIndex(_ out: [UInt8]) -> (entries: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem]) {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        forEachRecord(out) { b, meta, count, path in
            guard count == 3 else { return }
            guard meta.0.count >= 3, b.hasBytes("100", at: meta.0.lowerBound) else { return }  // skip submodules (160000) and symlinks (120000)
            guard meta.2.count == 1, b[meta.2.lowerBound] == 0x30 else { return }  // unmerged: stage 0 only
            guard let name = validPath(b, path, problems: &problems) else { return }
            entries.append((name, BlobID(hex: text(b, meta.1)), nil))
        }
        return (entries, problems)
    }

    /// `<mode> <type> <id> <size>\t<path>\0` (ls-tree -r -l -z).
    static func parseTree(_ out: [UInt8]) -> (entries: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem]) {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        forEachRecord(out) { b, meta, count, path in
            guard count == 4, meta.1.count == 4, b.hasBytes("blob", at: meta.1.lowerBound) else { return }
            guard meta.0.count >= 3, b.hasBytes("100", at: meta.0.lowerBound) else { return }
            guard let name = validPath(b, path, problems: &problems) else { return }
            entries.append((name, BlobID(hex: text(b, meta.2)), Int(text(b, meta.3))))
        }
        return (entries, problems)
    }

    /// The bytes at `r` as text (invalid UTF-8 repaired).
    private static func text(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// The path at `r`, or nil with a problem when it is not valid UTF-8.
    private static func validPath(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, problems: inout [ScanProblem]) -> String? {
        if let path = String(validating: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) { return path }
        problems.append(ScanProblem(path: text(b, r), message: RepositoryScanner.invalidNameMessage))
        return nil
    }

    /// Each non-empty NUL-separated record that has a tab: its first four space-separated fields before the tab (empty
    /// fields skipped, as `split` skips them), how many there are (5 standing for "more than four"), and its path (the
    /// bytes after the first tab).
    private static func forEachRecord(
        _ out: [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>, (Range<Int>, Range<Int>, Range<Int>, Range<Int>), Int, Range<Int>) -> Void
    ) {
        out.withUnsafeBufferPointer { b in
            var i = 0
            while i < b.count {
                var end = i
                while end < b.count && b[end] != 0 { end += 1 }
                defer { i = end + 1 }
                var tab = i
                while tab < end && b[tab] != 0x09 { tab += 1 }
                guard tab < end else { continue }  // an empty record, or one without a tab
                var fields = (0..<0, 0..<0, 0..<0, 0..<0), count = 0
                var k = i
                while k < tab && count <= 4 {
                    while k < tab && b[k] == 0x20 { k += 1 }
                    guard k < tab else { break }
                    let start = k
                    while k < tab && b[k] != 0x20 { k += 1 }
                    switch count {
                    case 0: fields.0 = start..<k
                    case 1: fields.1 = start..<k
                    case 2: fields.2 = start..<k
                    case 3: fields.3 = start..<k
                    default: break
                    }
                    count += 1
                }
                body(b, fields, count, (tab + 1)..<end)
            }
        }
    }
}

/// Paths with blob ids read from git, and the bytes read from the object database through one
/// `cat-file --batch` process: what the commit and index snapshots share.
struct GitBlobStore: @unchecked Sendable {
    let entries: [SnapshotEntry]
    let allPaths: [String]
    let problems: [ScanProblem]
    /// By the path's bytes (`UTF8Key`): an NFC and an NFD spelling of a name are two files with two blobs.
    let blobs: [UTF8Key: BlobID]
    let reader: GitObjectReader
    let limit: Int
    let label: String

    init(listed: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem], paths: SnapshotPaths,
         repository: GitRepository, reader: GitObjectReader?, maxFileSize: Int, label: String) throws(GitError) {
        // The index lists paths in byte order already (a tree listing need not: git orders a directory as if its
        // name ended in `/`): checked in one pass, sorted only when out of order.
        let inOrder = listed.indices.dropFirst().allSatisfy { listed[$0 - 1].path.utf8Precedes(listed[$0].path) }
        let sorted = inOrder ? listed : listed.sorted { $0.path.utf8Precedes($1.path) }
        self.problems = problems
        allPaths = sorted.map(\.path)
        var map: [UTF8Key: BlobID] = [:]
        map.reserveCapacity(sorted.count)  // grown from empty, rehashed ~14 times for the nba index
        for e in sorted { if let b = e.blob { map[UTF8Key(e.path)] = b } }
        blobs = map
        entries = paths.entries(sorted)
        if let reader { self.reader = reader } else { self.reader = try GitObjectReader(repository: repository) }
        limit = maxFileSize
        self.label = label
    }

    func read(_ path: String) -> ReadOutcome {
        guard let id = blobs[UTF8Key(path)] else { return .failed("no such file in \(label)") }
        guard let object = reader.read(id.hex) else { return .failed("git object \(id.short) cannot be read") }
        return .classify(object.bytes, limit: limit)
    }

    /// `read` of each path, the objects asked for in one pipelined batch (`GitObjectReader.readAll`): the project's
    /// manifests (3,200 on the 16x tree) were a request and a wait each.
    func readMany(_ paths: [String]) -> [ReadOutcome] {
        let ids = paths.map { blobs[UTF8Key($0)] }
        var wanted: [String] = []
        var seen = Set<BlobID>()
        for case let id? in ids where seen.insert(id).inserted { wanted.append(id.hex) }
        var objects: [String: [UInt8]] = [:]
        objects.reserveCapacity(wanted.count)
        reader.readAll(wanted) { id, type, bytes in
            if type == "blob", let bytes { objects[id] = bytes }
        }
        return zip(paths, ids).map { path, id in
            guard let id else { return .failed("no such file in \(label)") }
            guard let bytes = objects[id.hex] else { return read(path) }  // not in the batch (a broken reader): alone
            return .classify(bytes, limit: limit)
        }
    }
}

/// Files as one commit holds them, read through `ls-tree` and one `cat-file --batch` process; nothing
/// is checked out.
public final class CommitSnapshot: Snapshot, @unchecked Sendable {
    public let label: String
    public let commit: String
    private let store: GitBlobStore
    public var entries: [SnapshotEntry] { store.entries }
    public var allPaths: [String] { store.allPaths }
    public var problems: [ScanProblem] { store.problems }

    public init(repository: GitRepository, revision: String, paths: SnapshotPaths, reader: GitObjectReader? = nil,
                maxFileSize: Int = 16 * 1024 * 1024) throws(GitError) {
        commit = try repository.resolve(revision)
        label = "commit \(commit.prefix(7))"
        let (listed, problems) = GitListing.parseTree(try repository.run(["ls-tree", "-r", "-l", "-z", "--full-tree", commit]))
        store = try GitBlobStore(listed: listed, problems: problems, paths: paths, repository: repository, reader: reader,
                                 maxFileSize: maxFileSize, label: label)
    }

    public func read(_ path: String) -> ReadOutcome { store.read(path) }
    public func readMany(_ paths: [String]) -> [ReadOutcome]? { store.readMany(paths) }
}

/// The staged contents: `ls-files -s` for the paths and blob ids, the object database for the bytes.
/// What a pre-commit hook must judge (the working tree may hold unstaged edits).
public final class IndexSnapshot: Snapshot, @unchecked Sendable {
    public let label = "index"
    private let store: GitBlobStore
    public var entries: [SnapshotEntry] { store.entries }
    public var allPaths: [String] { store.allPaths }
    public var problems: [ScanProblem] { store.problems }

    public init(repository: GitRepository, paths: SnapshotPaths, reader: GitObjectReader? = nil,
                maxFileSize: Int = 16 * 1024 * 1024) throws(GitError) {
        let (listed, problems) = GitListing.parseIndex(try repository.run(["ls-files", "-s", "-z"]))
        store = try GitBlobStore(listed: listed, problems: problems, paths: paths, repository: repository, reader: reader,
                                 maxFileSize: maxFileSize, label: "the index")
    }

    public func read(_ path: String) -> ReadOutcome { store.read(path) }
    public func readMany(_ paths: [String]) -> [ReadOutcome]? { store.readMany(paths) }
}
