import FleetLintSyntax

/// Parses NUL-separated `ls-files -s` / `ls-tree -r -l` output into (path, blob, size).
enum GitListing {
    /// `<mode> <id> <stage>\t<path>\0` (ls-files -s) — only regular files and symlinks at stage 0.
    static func parseIndex(_ out: [UInt8]) -> (entries: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem]) {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        for record in out.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let meta = record[record.startIndex..<tab].split(separator: 0x20)
            guard meta.count == 3 else { continue }
            let mode = String(decoding: meta[0], as: UTF8.self)
            guard mode.hasPrefix("100") else { continue }  // skip submodules (160000) and symlinks (120000)
            if String(decoding: meta[2], as: UTF8.self) != "0" { continue }  // unmerged: stage 0 only
            let pathBytes = record[(tab + 1)...]
            guard let path = String(validating: pathBytes, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: pathBytes, as: UTF8.self), message: RepositoryScanner.invalidNameMessage))
                continue
            }
            entries.append((path, BlobID(hex: String(decoding: meta[1], as: UTF8.self)), nil))
        }
        return (entries, problems)
    }

    /// `<mode> <type> <id> <size>\t<path>\0` (ls-tree -r -l -z).
    static func parseTree(_ out: [UInt8]) -> (entries: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem]) {
        var entries: [(path: String, blob: BlobID?, size: Int?)] = []
        var problems: [ScanProblem] = []
        for record in out.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let meta = record[record.startIndex..<tab].split(separator: 0x20, omittingEmptySubsequences: true)
            guard meta.count == 4, meta[1].elementsEqual("blob".utf8) else { continue }
            let mode = String(decoding: meta[0], as: UTF8.self)
            guard mode.hasPrefix("100") else { continue }
            let pathBytes = record[(tab + 1)...]
            guard let path = String(validating: pathBytes, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: pathBytes, as: UTF8.self), message: RepositoryScanner.invalidNameMessage))
                continue
            }
            entries.append((path, BlobID(hex: String(decoding: meta[2], as: UTF8.self)), Int(String(decoding: meta[3], as: UTF8.self))))
        }
        return (entries, problems)
    }
}

/// Paths with blob ids read from git, and the bytes read from the object database through one
/// `cat-file --batch` process: what the commit and index snapshots share.
struct GitBlobStore: @unchecked Sendable {
    let entries: [SnapshotEntry]
    let allPaths: [String]
    let problems: [ScanProblem]
    let blobs: [String: BlobID]
    let reader: GitObjectReader
    let limit: Int
    let label: String

    init(listed: [(path: String, blob: BlobID?, size: Int?)], problems: [ScanProblem], paths: SnapshotPaths,
         repository: GitRepository, reader: GitObjectReader?, maxFileSize: Int, label: String) throws(GitError) {
        let sorted = listed.sorted { $0.path.utf8Precedes($1.path) }
        self.problems = problems
        allPaths = sorted.map(\.path)
        var map: [String: BlobID] = [:]
        for e in sorted { if let b = e.blob { map[e.path] = b } }
        blobs = map
        entries = paths.entries(sorted)
        if let reader { self.reader = reader } else { self.reader = try GitObjectReader(repository: repository) }
        limit = maxFileSize
        self.label = label
    }

    func read(_ path: String) -> ReadOutcome {
        guard let id = blobs[path] else { return .failed("no such file in \(label)") }
        guard let object = reader.read(id.hex) else { return .failed("git object \(id.short) cannot be read") }
        return .classify(object.bytes, limit: limit)
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
}
