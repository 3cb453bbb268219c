import Foundation

/// The files and lines a change touches: what `--staged` and `--changed-since` report on. Read from
/// `git diff -U0` (new-side hunks); a file without hunks (a pure rename, a mode change) has no changed
/// lines.
public struct ChangeSet: Sendable, Equatable {
    /// Changed path → changed line ranges of the new version (1-based, inclusive).
    public var files: [String: [ClosedRange<Int>]]

    public init(files: [String: [ClosedRange<Int>]]) { self.files = files }

    public var paths: Set<String> { Set(files.keys) }

    public func touches(_ path: String) -> Bool { files[path] != nil }

    /// Whether lines `start...end` of `path` intersect a changed line.
    public func touches(_ path: String, lines: ClosedRange<Int>) -> Bool {
        guard let ranges = files[path] else { return false }
        return ranges.contains { $0.overlaps(lines) }
    }

    /// Staged changes: the index against HEAD (or against the empty tree before the first commit).
    public static func staged(in repository: GitRepository) throws(GitError) -> ChangeSet {
        // Without a commit argument `diff --cached` compares with HEAD, and on an unborn branch shows every
        // staged file as added (git-diff(1)): one process, no `rev-parse HEAD` first.
        return parse(try repository.run(["-c", "core.quotePath=false", "diff", "--cached", "-U0", "--no-color",
                                         "--no-ext-diff", "-M", "--diff-filter=ACMR"]))
    }

    /// Changes of the working tree since the merge base of `revision` and HEAD (a branch's changes in CI).
    public static func since(_ revision: String, in repository: GitRepository) throws(GitError) -> ChangeSet {
        let target = try repository.resolve(revision)
        let baseOut = try repository.run(["merge-base", target, "HEAD"])
        let base = String(decoding: baseOut, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var changes = parse(try repository.run(["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff",
                                                "-M", "--diff-filter=ACMR", base]))
        // Untracked files that git does not ignore are new in the work tree: every line changed.
        let untracked = try repository.run(["ls-files", "-z", "--others", "--exclude-standard"])
        for part in untracked.split(separator: 0) {
            if let p = String(validating: part, as: UTF8.self) { changes.files[p] = [1...Int.max] }
        }
        return changes
    }

    /// Parses `git diff -U0` output: `+++ b/path` headers and `@@ -a,b +c,d @@` hunks.
    public static func parse(_ diff: [UInt8]) -> ChangeSet {
        var files: [String: [ClosedRange<Int>]] = [:]
        var current: String?
        for rawLine in diff.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(decoding: rawLine, as: UTF8.self)
            if line.hasPrefix("+++ ") {
                let target = String(line.dropFirst(4))
                if target == "/dev/null" { current = nil; continue }
                current = target.hasPrefix("b/") ? String(target.dropFirst(2)) : target
                if let current, files[current] == nil { files[current] = [] }
            } else if line.hasPrefix("@@ "), let current {
                // @@ -a[,b] +c[,d] @@
                guard let plus = line.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
                let nums = plus.dropFirst().split(separator: ",")
                guard let start = Int(nums[0]) else { continue }
                let count = nums.count > 1 ? Int(nums[1]) ?? 1 : 1
                if count > 0 { files[current, default: []].append(start...(start + count - 1)) }
            } else if line.hasPrefix("diff --git ") {
                current = nil
            }
        }
        return ChangeSet(files: files)
    }
}
