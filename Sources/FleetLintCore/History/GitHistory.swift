import FleetLintSyntax

/// Which part of a repository's history to scan.
public enum HistoryRange: Sendable, Equatable, CustomStringConvertible {
    /// Every commit reachable from any ref (`git log --all`).
    case all
    /// A revision range as git understands it (`origin/main..HEAD`, `A...B`, `v1.2`): only blobs
    /// reachable from its positive side and not from its negative side.
    case revisions(String)

    public var description: String {
        switch self {
        case .all: return "all refs"
        case .revisions(let r): return r
        }
    }

    /// The `git log` / `git rev-list` arguments selecting the commits.
    var revisionArguments: [String] {
        switch self {
        case .all: return ["--all"]
        case .revisions(let r): return ["--end-of-options", r]
        }
    }
}

/// One commit of the walk, in walk order (parents before children).
public struct HistoryCommit: Sendable, Hashable {
    public var id: String
    /// Author date, seconds since the epoch.
    public var authorTime: Int
    public var short: String { String(id.prefix(7)) }
}

/// A file change of one commit against its (first) parent: the blob a path held before and after.
/// Only regular files count; symlinks and submodules are neither.
public struct HistoryChange: Sendable, Hashable {
    public var commit: Int
    public var path: String
    public var old: BlobID?
    public var new: BlobID?
}

/// What the commit walk learns, in one pass that is linear in changes (not commits × files):
/// every blob with the first commit and path it appeared under, every path it was ever stored at,
/// and the changes along the tip's first-parent line (to find the commit that removed something).
public struct GitHistory: Sendable {
    public var commits: [HistoryCommit] = []
    /// Blob → (commit index, path) of its first appearance in walk order.
    public var firstAppearance: [BlobID: (commit: Int, path: String)] = [:]
    /// Blob → every path it appeared under, with the first commit index at that path.
    public var pathsOfBlob: [BlobID: [String: Int]] = [:]
    /// Path → (commit index, blob) of the path's first appearance.
    public var firstOfPath: [String: (commit: Int, blob: BlobID)] = [:]
    /// Changes of the commits on the tip's first-parent line, in order (the tip's tree is their sum).
    public var mainline: [HistoryChange] = []
    /// The range's tip (HEAD for `.all`), nil when it does not resolve (no commits yet).
    public var tip: String?
    /// Blob → paths in the tip's tree.
    public var tipTree: [BlobID: [String]] = [:]
    /// Paths in the tip's tree.
    public var tipPaths: Set<String> = []
    /// Blobs in the walk's order of first appearance (the order they are read in).
    public var blobsInOrder: [BlobID] = []
    /// File names that are not valid UTF-8 (not scanned, reported once).
    public var invalidNames = 0

    public init() {}

    /// Walks the range with `git log --reverse --date-order --raw -z --no-renames`, merges shown
    /// against their first parent, and lists the tip's tree. In a range, blobs reachable from the
    /// excluded side (`git rev-list --objects`) are dropped: a revert to an old blob adds nothing new.
    public static func walk(_ repository: GitRepository, range: HistoryRange) throws(GitError) -> GitHistory {
        var history = GitHistory()
        if case .revisions(let r) = range, r.hasPrefix("-") || r.isEmpty {
            throw GitError(message: "`\(r)` is not a revision range")
        }
        let revisions = range.revisionArguments
        // The tip: HEAD, or the range's first positive revision.
        switch range {
        case .all:
            history.tip = try? repository.resolve("HEAD")
        case .revisions(let r):
            let parsed = String(decoding: try repository.run(["rev-parse", "--revs-only", "--end-of-options", r]), as: UTF8.self)
            let lines = parsed.split(separator: "\n").map(String.init)
            guard !lines.isEmpty else { throw GitError(message: "`\(r)` names no revision") }
            history.tip = lines.first { !$0.hasPrefix("^") }
        }
        guard history.tip != nil || range == .all else { return history }

        let log = try repository.run(
            ["log", "--reverse", "--date-order"] + GitRawLog.options + ["--diff-merges=first-parent", "--format=%x01%H %at"] + revisions)
        var mainlineCommits = Set<String>()
        if let tip = history.tip {
            var args = ["rev-list", "--first-parent", tip]
            if case .revisions(let r) = range {
                let negatives = String(decoding: try repository.run(["rev-parse", "--revs-only", "--end-of-options", r]), as: UTF8.self)
                    .split(separator: "\n").filter { $0.hasPrefix("^") }.map(String.init)
                args += negatives
            }
            let out = try repository.run(args)
            for line in out.split(separator: 0x0A) { mainlineCommits.insert(String(decoding: line, as: UTF8.self)) }
        }
        history.parseLog(log, mainline: mainlineCommits)

        if case .revisions(let r) = range {
            // Only blobs new in the range: reachable from its positive side, not from its negative side.
            let out = try repository.run(["rev-list", "--objects", "--no-object-names", "--missing=allow-any", "--end-of-options", r])
            var reachable = Set<BlobID>()
            for line in out.split(separator: 0x0A) where line.count >= 40 {
                reachable.insert(BlobID(hex: String(decoding: line.prefix(40), as: UTF8.self)))
            }
            history.keepOnly(reachable)
        }
        if let tip = history.tip {
            let (listed, _) = GitListing.parseTree(try repository.run(["ls-tree", "-r", "-z", "--full-tree", tip]).withLongFormat)
            for e in listed {
                guard let blob = e.blob else { continue }
                history.tipTree[blob, default: []].append(e.path)
                history.tipPaths.insert(e.path)
            }
        }
        return history
    }

    /// Parses the walk's `git log` output (`GitRawLog`).
    mutating func parseLog(_ bytes: [UInt8], mainline mainlineCommits: Set<String>) {
        var current = -1
        var onMainline = false
        GitRawLog.forEach(bytes) { record in
            switch record {
            case .commit(let id, let time):
                commits.append(HistoryCommit(id: id, authorTime: time))
                current = commits.count - 1
                onMainline = mainlineCommits.contains(id)
            case .change(nil, _, _):
                invalidNames += 1
            case .change(let path?, let old, let new):
                guard current >= 0 else { return }
                if let new {
                    if firstAppearance[new] == nil {
                        firstAppearance[new] = (current, path)
                        blobsInOrder.append(new)
                    }
                    if pathsOfBlob[new]?[path] == nil { pathsOfBlob[new, default: [:]][path] = current }
                    if firstOfPath[path] == nil { firstOfPath[path] = (current, new) }
                }
                if onMainline && (old != nil || new != nil) {
                    mainline.append(HistoryChange(commit: current, path: path, old: old, new: new))
                }
            }
        }
    }

    mutating func keepOnly(_ reachable: Set<BlobID>) {
        blobsInOrder = blobsInOrder.filter { reachable.contains($0) }
        for blob in firstAppearance.keys where !reachable.contains(blob) {
            firstAppearance[blob] = nil
            pathsOfBlob[blob] = nil
        }
        for (path, first) in firstOfPath where !reachable.contains(first.blob) { firstOfPath[path] = nil }
    }
}

/// The records of `git log --format=%x01%H <time> --raw -z --no-renames --no-abbrev` output: per commit a header
/// token (`\u{01}`, the id, a space, the time in seconds), then per changed path a
/// `:<old mode> <new mode> <old id> <new id> <status>` token followed by one path token. What the history scan and
/// adoption's history replay both read.
public enum GitRawLog {
    public enum Record {
        case commit(id: String, time: Int)
        /// The regular file (100644, 100755) a path held before and after the commit (nil: none, or a symlink or
        /// submodule); the path is nil when it is not valid UTF-8.
        case change(path: String?, old: BlobID?, new: BlobID?)
    }

    /// The `git log` options that give this shape (before the revisions); `log.showSignature` would print a signed
    /// commit's verification before its header.
    public static let options = ["--root", "--no-renames", "--raw", "-z", "--no-abbrev", "--no-show-signature"]

    public static func forEach(_ bytes: [UInt8], _ body: (Record) -> Void) {
        var i = 0
        let n = bytes.count
        var inCommit = false
        func token() -> ArraySlice<UInt8> {
            let start = i
            while i < n && bytes[i] != 0 { i += 1 }
            let t = bytes[start..<i]
            i += 1  // the NUL
            return t
        }
        while i < n {
            var t = token()
            while let first = t.first, first == 0x0A { t = t.dropFirst() }
            guard let first = t.first else { continue }
            if first == 0x01 {
                let fields = t.dropFirst().split(separator: 0x20)
                guard fields.count >= 2 else { continue }
                inCommit = true
                body(.commit(id: String(decoding: fields[0], as: UTF8.self), time: Int(String(decoding: fields[1], as: UTF8.self)) ?? 0))
                continue
            }
            guard first == 0x3A, inCommit else { continue }
            let meta = t.dropFirst().split(separator: 0x20)
            let pathBytes = token()
            guard meta.count >= 5 else { continue }
            body(.change(path: String(validating: pathBytes, as: UTF8.self),
                         old: regularBlob(mode: meta[0], id: meta[2]), new: regularBlob(mode: meta[1], id: meta[3])))
        }
    }

    private static func regularBlob(mode: ArraySlice<UInt8>, id: ArraySlice<UInt8>) -> BlobID? {
        // 100644 / 100755 only: 120000 is a symlink, 160000 a submodule, 000000 no file.
        guard mode.count == 6, mode.starts(with: Array("100".utf8)), id.count == 40, id.contains(where: { $0 != 0x30 }) else { return nil }
        return BlobID(hex: String(decoding: id, as: UTF8.self))
    }
}

extension Array where Element == UInt8 {
    /// `ls-tree -r -z` output without `-l` in the `-l` shape (`<mode> <type> <id> -\t<path>`), so that
    /// one parser reads both.
    fileprivate var withLongFormat: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + count / 16)
        for record in split(separator: 0, omittingEmptySubsequences: true) {
            if let tab = record.firstIndex(of: 0x09) {
                out += record[record.startIndex..<tab]
                out += Array(" -".utf8)
                out += record[tab...]
            }
            out.append(0)
        }
        return out
    }
}
