import FleetLintCore
import FleetLintSyntax
import Foundation

/// The Python files of every commit of a first-parent history, from one `git log --raw` of it: a commit's tree is
/// the sum of the changes up to it, so no tree is listed per commit. Listing every point's tree (`ls-tree -r`, ~9,000
/// entries on the real monorepo) and keeping each list to the end made a 3,989-commit history 193 s and 2.6 GB.
///
/// Only the changes of Python files that the configuration does not exclude are kept, as (path id, blob), so what is
/// held is the changes, not the trees.
struct FirstParentTrees {
    /// Interned paths (Python, not excluded), in the order first met.
    private(set) var paths: [String] = []
    /// Commits oldest first, with the end of their changes in `changes`.
    private(set) var commits: [(id: String, end: Int)] = []
    /// Per change: the path id, and the blob it holds after the commit (nil: removed, or no longer a regular file).
    private(set) var changes: [(path: Int32, blob: BlobID?)] = []
    /// Path ids in byte order of their paths (the order a tree listing gives).
    private(set) var order: [Int32] = []

    /// Reads the first-parent history of `tip`, oldest first, up to the last of the `wanted` commits in it.
    init(repository: GitRepository, tip: String, paths classify: SnapshotPaths, wanted: Set<String>) throws(GitError) {
        let log = try repository.run(
            ["log", "--first-parent", "--reverse", "--diff-merges=first-parent"] + GitRawLog.options
                + ["--format=%x01%H %ct", "--end-of-options", tip])
        // By the path's bytes: an NFC and an NFD spelling of one name are two files to git (equal Strings).
        var ids: [UTF8Key: Int32] = [:]
        var skipped = Set<UTF8Key>()
        var remaining = wanted.count
        var done = false
        GitRawLog.forEach(log) { record in
            guard !done else { return }
            switch record {
            case .commit(let id, _):
                if remaining == 0 { done = true; return }
                if wanted.contains(id) { remaining -= 1 }
                commits.append((id, changes.count))
            case .change(let path?, _, let new):
                let key = UTF8Key(path)
                guard !commits.isEmpty, !skipped.contains(key) else { return }
                let id: Int32
                if let known = ids[key] {
                    id = known
                } else {
                    guard classify.classifier.kind(of: path) == .python, !classify.isExcluded(path) else {
                        skipped.insert(key)
                        return
                    }
                    id = Int32(paths.count)
                    ids[key] = id
                    paths.append(path)
                }
                changes.append((id, new))
                commits[commits.count - 1].end = changes.count
            case .change(nil, _, _):
                return  // not valid UTF-8: a tree listing leaves it out too
            }
        }
        order = paths.indices.sorted { paths[$0].utf8Precedes(paths[$1]) }.map(Int32.init)
    }

    /// The state of the replay: each path's blob at the commit reached.
    struct Cursor {
        fileprivate(set) var blobs: [BlobID?]
        fileprivate(set) var next = 0
        /// How many paths hold a blob.
        fileprivate(set) var present = 0
        /// Changes applied so far that changed a blob (two commits with the same count have the same Python files).
        fileprivate(set) var version = 0
        /// Paths whose blob changed since `takeChanged` was last called.
        fileprivate var changed: [Int32] = []
        fileprivate var isChanged: [Bool]
    }

    func start() -> Cursor {
        Cursor(blobs: [BlobID?](repeating: nil, count: paths.count), isChanged: [Bool](repeating: false, count: paths.count))
    }

    /// Applies the changes of commits up to and including `index`.
    func advance(_ cursor: inout Cursor, through index: Int) {
        var from = cursor.next == 0 ? 0 : commits[cursor.next - 1].end
        while cursor.next <= index {
            let end = commits[cursor.next].end
            while from < end {
                let (path, blob) = changes[from]
                let before = cursor.blobs[Int(path)]
                if before != blob {
                    cursor.present += (blob == nil ? -1 : 0) + (before == nil ? 1 : 0)
                    cursor.blobs[Int(path)] = blob
                    cursor.version += 1
                    if !cursor.isChanged[Int(path)] {
                        cursor.isChanged[Int(path)] = true
                        cursor.changed.append(path)
                    }
                }
                from += 1
            }
            cursor.next += 1
        }
    }

    /// The files whose blob changed since the last call (all present files the first time), as they are now.
    func takeChanged(_ cursor: inout Cursor) -> [PathBlob] {
        var out: [PathBlob] = []
        for p in cursor.changed {
            cursor.isChanged[Int(p)] = false
            if let blob = cursor.blobs[Int(p)] { out.append(PathBlob(path: paths[Int(p)], blob: blob)) }
        }
        cursor.changed.removeAll(keepingCapacity: true)
        return out
    }

    /// The tree at the cursor as path ids (`paths`), in byte order of paths.
    func tree(_ cursor: Cursor) -> [(file: Int32, blob: BlobID)] {
        var present: [(file: Int32, blob: BlobID)] = []
        present.reserveCapacity(cursor.present)
        for id in order {
            if let blob = cursor.blobs[Int(id)] { present.append((id, blob)) }
        }
        return present
    }
}
