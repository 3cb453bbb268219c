import Foundation
import FleetLintSyntax

/// The files on disk: what git lists (tracked plus untracked-but-not-ignored), or a directory walk
/// outside git. Blob ids are computed from the bytes when read (or taken from the cache's stat table).
public struct WorkingTreeSnapshot: Snapshot {
    public let label = "working tree"
    public let root: URL
    public let entries: [SnapshotEntry]
    public let allPaths: [String]
    public let problems: [ScanProblem]
    public let usedGit: Bool
    /// The root, opened once: files are examined and read relative to it.
    private let rootDirectory: DirectoryHandle
    private let limit: Int

    public init(root: URL, excludes: [Glob], classifier: FileClassifier, useGit: Bool, maxFileSize: Int = 16 * 1024 * 1024) {
        let scanner = RepositoryScanner(root: root, excludes: excludes, classifier: classifier, useGit: useGit)
        self.root = scanner.root
        rootDirectory = DirectoryHandle(scanner.root.path)
        let scan = scanner.scan(rootDirectory: rootDirectory)
        entries = scan.files.map { SnapshotEntry(path: $0.path, kind: $0.kind, stamp: $0.stamp) }
        allPaths = scan.allPaths
        problems = scan.problems
        usedGit = scan.usedGit
        limit = maxFileSize
    }

    public func unchanged(_ entry: SnapshotEntry) -> Bool {
        guard let stamp = entry.stamp else { return true }
        return RepositoryScanner.stamp(entry.path, in: rootDirectory) == stamp
    }

    public func read(_ path: String) -> ReadOutcome { read(path, expectedSize: nil) }

    /// An entry's bytes, read without an `fstat` when the scan saw its size (`FileReader.read`).
    public func read(_ entry: SnapshotEntry) -> ReadOutcome { read(entry.path, expectedSize: entry.stamp?.size) }

    private func read(_ path: String, expectedSize: Int?) -> ReadOutcome {
        let (directory, relative) = rootDirectory.locate(path)
        return switch FileReader.read(relative, relativeTo: directory, limit: limit, expectedSize: expectedSize) {
        case .text(let b): .text(b)
        case .binary: .binary
        case .tooLarge(let n): .tooLarge(n)
        case .failed(let why): .failed(why)
        }
    }
}
