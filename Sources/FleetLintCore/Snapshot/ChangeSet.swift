import FleetLintSyntax
import Foundation

/// The files and lines a change touches: what `--staged` and `--changed-since` report on. Read from
/// `git diff -U0` (new-side hunks); a file without hunks (a pure rename, a mode change) has no changed
/// lines.
public struct ChangeSet: Sendable, Equatable {
    /// Changed path → changed line ranges of the new version (1-based, inclusive), by the path's bytes: two names
    /// equal as Strings (an NFC and an NFD `café.py`) are two files to git, and a change to one is not a change to the
    /// other.
    private var files: [UTF8Key: [ClosedRange<Int>]]

    public init(files: [String: [ClosedRange<Int>]] = [:]) {
        self.files = Dictionary(files.map { (UTF8Key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The changed paths, in byte order.
    public var paths: [String] { files.keys.map(\.string).sorted { $0.utf8Precedes($1) } }

    /// The changed line ranges of `path` (empty for a file without hunks: a pure rename or mode change), or nil when
    /// the change does not touch it.
    public func lines(of path: String) -> [ClosedRange<Int>]? { files[UTF8Key(path)] }

    /// Records `path` as changed on `ranges` (replacing what was recorded for it).
    public mutating func set(_ path: String, lines ranges: [ClosedRange<Int>]) { files[UTF8Key(path)] = ranges }

    public func touches(_ path: String) -> Bool { files[UTF8Key(path)] != nil }

    /// Whether lines `start...end` of `path` intersect a changed line.
    public func touches(_ path: String, lines: ClosedRange<Int>) -> Bool {
        guard let ranges = files[UTF8Key(path)] else { return false }
        return ranges.contains { $0.overlaps(lines) }
    }

    /// Staged changes: the index against HEAD (or against the empty tree before the first commit).
    public static func staged(in repository: GitRepository) throws(GitError) -> ChangeSet {
        // Without a commit argument `diff --cached` compares with HEAD, and on an unborn branch shows every
        // staged file as added (git-diff(1)): one process, no `rev-parse HEAD` first.
        return parse(try repository.run(["-c", "core.quotePath=false", "diff", "--cached", "-U0", "--no-color", "--src-prefix=a/", "--dst-prefix=b/",
                                         "--no-ext-diff", "-M", "--diff-filter=ACMR"]))
    }

    /// Changes of the working tree since the merge base of `revision` and HEAD (a branch's changes in CI).
    public static func since(_ revision: String, in repository: GitRepository) throws(GitError) -> ChangeSet {
        let target = try repository.resolve(revision)
        let baseOut = try repository.run(["merge-base", target, "HEAD"])
        let base = GitRepository.outputLine(baseOut)
        var changes = parse(try repository.run(["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--src-prefix=a/", "--dst-prefix=b/", "--no-ext-diff",
                                                "-M", "--diff-filter=ACMR", base]))
        // Untracked files that git does not ignore are new in the work tree: every line changed.
        let untracked = try repository.run(["ls-files", "-z", "--others", "--exclude-standard"])
        for part in untracked.split(separator: 0) {
            if let p = String(validating: part, as: UTF8.self) { changes.set(p, lines: [1...Int.max]) }
        }
        return changes
    }

    /// Parses `git diff -U0` output: `+++ b/path` headers and `@@ -a,b +c,d @@` hunks.
    public static func parse(_ diff: [UInt8]) -> ChangeSet {
        var files: [UTF8Key: [ClosedRange<Int>]] = [:]
        var current: UTF8Key?
        // `+++ ` names the file only in a file's header, before its first hunk: in a hunk it is an added line that
        // starts with `++ ` (its hunks were then counted for a file of that name, and the file's own changed lines
        // were lost).
        var inHeader = false
        for rawLine in diff.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = String(decoding: rawLine, as: UTF8.self)
            if inHeader, line.hasPrefix("+++ ") {
                // git ends a path that holds a space with a TAB (for patch(1)); a TAB in the name itself is quoted.
                var raw = line.dropFirst(4)
                if raw.utf8.last == 0x09 { raw = raw.dropLast() }
                let target = unquoted(String(raw))
                if target == "/dev/null" { current = nil; continue }
                // By bytes: `/` followed by a combining mark is one Character, and `hasPrefix("b/")` missed it.
                let path = target.utf8.starts(with: "b/".utf8) ? String(decoding: target.utf8.dropFirst(2), as: UTF8.self) : target
                current = UTF8Key(path)
                if let current, files[current] == nil { files[current] = [] }
            } else if line.hasPrefix("@@ ") {
                inHeader = false
                guard let current else { continue }
                // @@ -a[,b] +c[,d] @@
                guard let plus = line.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
                let nums = plus.dropFirst().split(separator: ",")
                guard let start = Int(nums[0]) else { continue }
                let count = nums.count > 1 ? Int(nums[1]) ?? 1 : 1
                if count > 0 { files[current, default: []].append(start...(start + count - 1)) }
            } else if line.hasPrefix("diff --git ") {
                current = nil
                inHeader = true
            }
        }
        var changes = ChangeSet()
        changes.files = files
        return changes
    }

    /// A path as git writes it in a diff header: C-quoted (`"b/a\"b.py"`, `\t`, octal escapes) when it holds a quote,
    /// a backslash or a control character (`core.quotePath=false` leaves only bytes past ASCII unquoted).
    static func unquoted(_ s: String) -> String {
        let b = Array(s.utf8)
        guard b.count >= 2, b.first == 0x22, b.last == 0x22 else { return s }
        var out: [UInt8] = []
        var i = 1
        while i < b.count - 1 {
            guard b[i] == 0x5C, i + 1 < b.count - 1 else { out.append(b[i]); i += 1; continue }
            let c = b[i + 1]
            switch c {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = 0, k = i + 1
                while k < b.count - 1, k < i + 4, b[k] >= 0x30, b[k] <= 0x37 { v = v * 8 + Int(b[k] - 0x30); k += 1 }
                out.append(UInt8(truncatingIfNeeded: v))
                i = k
                continue
            default: out.append(c)  // \\ and \"
            }
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}
