import FleetLintSyntax
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which file names map to which kinds. Configurable in `[tool.fleetlint.files]`.
public struct FileClassifier: Sendable {
    public var requirements: [Glob]
    public var dockerfiles: [Glob]
    public var envFiles: [Glob]

    public static let defaultRequirements = [
        "requirements*.txt", "*requirements*.txt", "requirements/*.txt", "**/requirements/*.txt",
        "constraints*.txt", "requirements*.in",
    ]
    public static let defaultDockerfiles = ["Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile"]
    public static let defaultEnvFiles = [".env", ".env.*", "*.env"]

    public init(requirements: [String] = defaultRequirements, dockerfiles: [String] = defaultDockerfiles,
                envFiles: [String] = defaultEnvFiles) {
        self.requirements = requirements.map(Glob.init)
        self.dockerfiles = dockerfiles.map(Glob.init)
        self.envFiles = envFiles.map(Glob.init)
    }

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(["requirements", "dockerfiles", "env-files"])
        self.init(
            requirements: try options.stringArray("requirements") ?? FileClassifier.defaultRequirements,
            dockerfiles: try options.stringArray("dockerfiles") ?? FileClassifier.defaultDockerfiles,
            envFiles: try options.stringArray("env-files") ?? FileClassifier.defaultEnvFiles)
    }

    /// The kind implied by the path alone (binary content is detected when the file is read).
    public func kind(of path: String) -> FileKind {
        // The name and the common verdicts by bytes (`lastIndex(of: "/")` over Characters cost ~10,000
        // instructions per path, for every file of the repository).
        let name = path.asciiLastComponent(0x2F) ?? Substring(path)
        if name.utf8HasSuffix(".py") || name.utf8HasSuffix(".pyi") { return .python }
        if name == "pyproject.toml" { return .pyproject }
        // Classification runs for every path: a glob is skipped by bytes first (`Glob.mayMatch`: a name glob
        // whose literal prefix or suffix the name lacks, a path glob whose literals are not in the path) before
        // anything is converted or split, and the split is made once, for the first glob that needs it.
        let utf8 = path.utf8
        let nameBytes = utf8.distance(from: utf8.startIndex, to: name.startIndex)..<utf8.distance(from: utf8.startIndex, to: name.endIndex)
        var bytes = path
        var nameScalars: [Unicode.Scalar]? = nil
        var parts: [String]? = nil
        func matches(_ globs: [Glob]) -> Bool {
            bytes.withUTF8 { p in
                let n = UnsafeBufferPointer(rebasing: p[nameBytes])
                return globs.withUnsafeBufferPointer { gs in
                    gs.indices.contains { gs[$0].mayMatch(path: p, name: n) && matching(gs[$0]) }
                }
            }
        }
        func matching(_ glob: borrowing Glob) -> Bool {
            // A glob with `/` is matched against the whole path, otherwise against the file name only
            // (so `requirements*.txt` does not match a directory called `requirements-tools/`).
            if nameScalars == nil { nameScalars = Array(name.unicodeScalars) }
            if glob.isAnchored {
                if parts == nil { parts = path.split(separator: "/").map(String.init) }
                return glob.matchesWholePath(parts: parts!, name: nameScalars!)
            }
            return glob.matchesName(nameScalars!)
        }
        if matches(requirements) { return .requirements }
        if matches(dockerfiles) { return .dockerfile }
        if matches(envFiles) { return .envFile }
        return .text
    }
}

/// A path found by the scanner.
public struct ScannedPath: Hashable, Sendable {
    public var path: String
    public var kind: FileKind
    /// The file's stat, so that the cache can reuse a blob id without reading the file.
    public var stamp: FileStamp? = nil
    /// The blob id git's index holds for an unchanged tracked file (`RepositoryScanner.IndexIDs`); nil when the
    /// bytes must be hashed.
    public var blob: BlobID? = nil
}

/// A file the scanner could not use (unreadable, symlink loop, symlink out of the root).
public struct ScanProblem: Hashable, Sendable {
    public var path: String
    public var message: String
}

/// Lists the files of a repository: inside a git work tree, what git tracks plus untracked files it
/// does not ignore; outside git, a walk with default excludes. Never follows symlinks out of the root.
public struct RepositoryScanner: Sendable {
    public static let defaultExcludedDirectories: Set<String> = [
        ".git", ".venv", "venv", "node_modules", "__pycache__", ".build", ".tox", ".mypy_cache",
        ".ruff_cache", ".pytest_cache", ".fleetlint-cache",
    ]

    public var root: URL
    public var excludes: [Glob]
    public var classifier: FileClassifier
    public var useGit: Bool
    /// How long before the listing a file must have last changed for its index id to be taken (`IndexIDs`): file
    /// times come from a coarse clock. Tests that write files a moment before they scan set it to 0.
    public var indexRacyWindowNanos: Int64 = 2_000_000_000

    public init(root: URL, excludes: [Glob] = [], classifier: FileClassifier = FileClassifier(), useGit: Bool = true) {
        self.root = root.standardizedFileURL
        self.excludes = excludes
        self.classifier = classifier
        self.useGit = useGit
    }

    public struct Result: Sendable {
        public var files: [ScannedPath]
        public var problems: [ScanProblem]
        /// Every path seen before excludes (for existence checks by the dependency index).
        public var allPaths: [String]
        public var usedGit: Bool
    }

    public func scan() -> Result {
        var paths: [String]
        var problems: [ScanProblem] = []
        var usedGit = false
        var indexIDs = IndexIDs()
        if useGit, let (listed, badNames, ids) = gitListing() {
            paths = listed
            usedGit = true
            problems += badNames
            indexIDs = ids
        } else {
            paths = walkAll(problems: &problems)
        }
        // The walk lists paths in byte order already, and git's listing nearly always: sort only when needed.
        if !Self.isSorted(paths) { paths.sort { $0.utf8Precedes($1) } }
        // Each path is examined (lstat, excludes, stamp, kind) in parallel chunks, joined in path order.
        let chunkCount = paths.count < 4096 ? 1 : min(32, paths.count / 2048)
        var parts = [Examined](repeating: Examined(), count: chunkCount)
        let all = paths
        let ids = indexIDs
        parts.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
                base[c] = examine(all[(all.count * c / chunkCount)..<(all.count * (c + 1) / chunkCount)], indexIDs: ids)
            }
        }
        var files: [ScannedPath] = []
        files.reserveCapacity(paths.count)
        var existing: [String] = []
        existing.reserveCapacity(paths.count)
        for part in parts {
            files += part.files
            existing += part.existing
            problems += part.problems
        }
        return Result(files: files, problems: problems, allPaths: existing, usedGit: usedGit)
    }

    private struct Examined {
        var files: [ScannedPath] = []
        var existing: [String] = []
        var problems: [ScanProblem] = []
    }

    /// The files among `paths` (in their order), every path that exists, and the problems met.
    private func examine(_ paths: ArraySlice<String>, indexIDs: IndexIDs) -> Examined {
        var files: [ScannedPath] = []
        files.reserveCapacity(paths.count)
        var existing: [String] = []
        existing.reserveCapacity(paths.count)
        var problems: [ScanProblem] = []
        let rootPath = root.path
        for path in paths {
            let full = rootPath + "/" + path
            var st = stat()
            guard lstat(full, &st) == 0 else {
                // Tracked but deleted in the work tree is fine; anything else (a directory that can be
                // listed but not searched) must not vanish.
                if errno != ENOENT && errno != ENOTDIR && !isExcluded(path) {
                    problems.append(ScanProblem(path: path, message: "file cannot be examined: \(String(cString: strerror(errno)))"))
                }
                continue
            }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR { continue }  // submodules
            if type == S_IFLNK {
                switch resolveSymlink(full) {
                case .insideFile: break
                case .directory: continue
                case .problem(let message):
                    if !isExcluded(path) { problems.append(ScanProblem(path: path, message: message)) }
                    continue
                }
            } else if type != S_IFREG {
                // FIFOs, sockets and devices are never read (a FIFO would block); say so per file.
                if !isExcluded(path) {
                    let what = type == S_IFIFO ? "a FIFO (named pipe)" : type == S_IFSOCK ? "a socket" : "a device or special file"
                    problems.append(ScanProblem(path: path, message: "it is \(what), not a regular file; it is not read"))
                }
                continue
            }
            existing.append(path)
            if isExcluded(path) { continue }
            // A symlink inside the repository is read through: stamp its target (and the link itself, via
            // its ctime, so that retargeting it is noticed).
            let stamp = Self.stamp(full, link: st)
            // Only a regular file can have its index entry's id (a symlink's blob is the link's target path).
            files.append(ScannedPath(path: path, kind: classifier.kind(of: path), stamp: stamp,
                                     blob: type == S_IFREG ? indexIDs.id(path, stamp) : nil))
        }
        return Examined(files: files, existing: existing, problems: problems)
    }

    func isExcluded(_ path: String) -> Bool { excludes.contains { $0.matches(path) } }

    /// The stamp of the file at `full` whose `lstat` is `link`: a symlink's target's size, mtime and inode, and the
    /// later ctime of the two (so that retargeting the link is noticed).
    static func stamp(_ full: String, link st: stat) -> FileStamp {
        var target = st
        if st.st_mode & S_IFMT == S_IFLNK, stat(full, &target) != 0 { target = st }
        return FileStamp(
            size: Int(target.st_size), mtimeNanos: Int64(target.st_mtim.tv_sec) * 1_000_000_000 + Int64(target.st_mtim.tv_nsec),
            ctimeNanos: max(Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                            Int64(target.st_ctim.tv_sec) * 1_000_000_000 + Int64(target.st_ctim.tv_nsec)),
            inode: UInt64(target.st_ino))
    }

    /// The stamp of the file at `full` now, or nil when it cannot be examined.
    static func stamp(_ full: String) -> FileStamp? {
        var st = stat()
        guard lstat(full, &st) == 0 else { return nil }
        return stamp(full, link: st)
    }

    static func isSorted(_ paths: [String]) -> Bool {
        var i = 1
        while i < paths.count {
            if !paths[i - 1].utf8Precedes(paths[i]) { return false }
            i += 1
        }
        return true
    }

    private enum SymlinkTarget { case insideFile, directory, problem(String) }

    private func resolveSymlink(_ full: String) -> SymlinkTarget {
        guard let resolved = realpath(full, nil) else {
            if errno == ELOOP { return .problem("symbolic link loop; the file is not read") }
            return .problem("broken symbolic link; the file is not read")
        }
        defer { free(resolved) }
        let target = String(cString: resolved)
        let rootReal = realpath(root.path, nil).map { p -> String in defer { free(p) }; return String(cString: p) } ?? root.path
        guard target == rootReal || target.hasPrefix(rootReal + "/") else {
            return .problem("symbolic link points outside the repository; it is not followed")
        }
        var st = stat()
        if stat(target, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { return .directory }
        return .insideFile
    }

    static let invalidNameMessage = "file name is not valid UTF-8; the file is not read (rename it)"

    /// The blob ids of tracked files whose working copy git says is unchanged (see `indexIDs`), for files whose
    /// stat times are before `notAfter` (nanoseconds since 1970).
    struct IndexIDs: Sendable {
        var ids: [String: BlobID] = [:]
        var notAfter: Int64 = 0

        /// The index id of a file with this stamp: none for a file changed since the listing began (or within 2 s
        /// before: file times come from a coarse clock), whose bytes git may not have seen.
        func id(_ path: String, _ stamp: FileStamp) -> BlobID? {
            guard let id = ids[path], stamp.mtimeNanos < notAfter, stamp.ctimeNanos < notAfter else { return nil }
            return id
        }
    }

    private func gitListing() -> ([String], [ScanProblem], IndexIDs)? {
        guard let revParse = runGit(["rev-parse", "--is-inside-work-tree", "--show-prefix"]) else { return nil }
        let lines = revParse.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard String(decoding: lines[0], as: UTF8.self) == "true" else { return nil }
        // Index ids only at the work tree's top: from a directory below it, git (2.39) matches the `attr:` pathspec
        // against the wrong paths (a converted file below the root was listed as unconverted). Such a root (a
        // subproject with its own configuration) hashes its files.
        let atTop = lines.count < 2 || lines[1].isEmpty
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let notAfter = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - indexRacyWindowNanos
        // The listing, and what the index ids need, from git processes at once, each waited for on a thread of its
        // own: as tasks on the global queue they took both of its threads on a 2-core machine while
        // `ChildProcess.run` queued its stderr readers behind them (seconds until libdispatch added a thread).
        let root = root.path
        // Only files with no converting attribute (`text`, `eol`, `crlf`, `filter`, `ident`, `working-tree-encoding`,
        // set, unset or valued, from any source git reads attributes from: `.gitattributes` in any directory, the
        // root's parents and ignored ones too, `info/attributes`, `core.attributesFile`, the user's and the system's
        // files) are listed: git's `attr:` pathspec, where `!name` means "unspecified".
        let stages = atTop ? BackgroundWork { Self.git(["-C", root, "ls-files", "-z", "--stage", "-v", "--", Self.noConversion]) } : nil
        let modified = atTop ? BackgroundWork { Self.git(["-C", root, "diff-files", "-z", "--name-only"]) } : nil
        let config = atTop ? BackgroundWork { () -> [UInt8]? in
            let r = ChildProcess.run(["git", "-C", root, "config", "-z", "--get-regexp", Self.conversionSettings])
            return r.status == 0 || r.status == 1 ? r.stdout : nil  // 1: no such setting
        } : nil
        let listing = runGit(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        let ids = Self.indexIDs(stages: stages?.result() ?? nil, modified: modified?.result() ?? nil, config: config?.result() ?? nil)
        guard let out = listing else { return nil }
        var seen = Set<String>()
        var result: [String] = []
        var problems: [ScanProblem] = []
        for part in out.split(separator: 0) where !part.isEmpty {
            guard let p = String(validating: part, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: part, as: UTF8.self), message: Self.invalidNameMessage))
                continue
            }
            if seen.insert(p).inserted { result.append(p) }
        }
        return (result, problems, IndexIDs(ids: ids, notAfter: notAfter))
    }

    /// The pathspec of the files no attribute converts between the work tree and the index.
    static let noConversion = ":(attr:!text !eol !crlf !filter !ident !working-tree-encoding)"

    /// The settings under which a working file's bytes may differ from its blob although git calls it
    /// unchanged and no attribute says so: end-of-line conversion (`core.autocrlf`, `core.eol`), and another
    /// object format (`extensions.objectFormat`: our ids are SHA-1).
    static let conversionSettings = "^(core\\.(autocrlf|eol)|extensions\\.objectformat)$"

    /// Blob ids from git's index for the tracked files a run need not hash: stage 0, tagged `H` by `ls-files -v`
    /// (not assume-unchanged, not skip-worktree), a regular file's mode (not a symlink's 120000, not a
    /// submodule's 160000), a 40-digit SHA-1 id, and not listed by `git diff-files` (which compares git's stat
    /// data with the file and, for an entry written within the index's own timestamp, its content). The bytes
    /// of such a file are its blob's bytes, so its id is the one `BlobID.of` would compute — unless something
    /// converts content between the work tree and the index: no id is taken when one of `conversionSettings` is
    /// set (except `core.autocrlf=false`), and `gitListing` asks only for the files no attribute converts
    /// (`noConversion`). The scan then keeps an id only for a file whose stat times predate the listing
    /// (`IndexIDs.id`), and the run hashes a file whose stat changed before it was read (`Snapshot.unchanged`).
    /// On a fresh clone (a CI job) that is every file: a cold run hashes nothing it can ask git for.
    /// `stages`: `ls-files -z --stage -v -- <noConversion>`; `modified`: `diff-files -z --name-only`; `config`: the
    /// matching settings (`config -z --get-regexp`), nil when git failed.
    static func indexIDs(stages: [UInt8]?, modified: [UInt8]?, config: [UInt8]?) -> [String: BlobID] {
        guard let stages, let modified, let config else { return [:] }
        // `config -z`: each entry is the key, a newline, the value, then NUL.
        for entry in config.split(separator: 0) where !entry.isEmpty {
            let parts = entry.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(decoding: parts[0], as: UTF8.self).lowercased()
            let value = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).lowercased() : ""
            if key == "core.autocrlf" && ["false", "no", "off", "0"].contains(value) { continue }
            return [:]
        }
        var changed = Set<Substring>()
        for name in modified.split(separator: 0) where !name.isEmpty { changed.insert(Substring(decoding: name, as: UTF8.self)) }
        var ids: [String: BlobID] = [:]
        // Each record: `<tag> <mode> <id> <stage>\t<path>`.
        for record in stages.split(separator: 0) {
            guard let tab = record.firstIndex(of: 0x09) else { continue }
            let meta = record[..<tab].split(separator: 0x20)
            guard meta.count == 4, meta[0].elementsEqual("H".utf8), meta[3].elementsEqual("0".utf8),
                  meta[1].elementsEqual("100644".utf8) || meta[1].elementsEqual("100755".utf8),
                  meta[2].count == 40, meta[2].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
                  let path = String(validating: record[record.index(after: tab)...], as: UTF8.self),
                  !changed.contains(Substring(path))
            else { continue }
            ids[path] = BlobID(hex: String(decoding: meta[2], as: UTF8.self))
        }
        return ids
    }

    private func runGit(_ args: [String]) -> [UInt8]? {
        Self.git(["-C", root.path] + args)
    }

    /// The git work tree around the current directory, if there is one.
    public static func gitTopLevel() -> String? {
        guard let out = git(["rev-parse", "--show-toplevel"]) else { return nil }
        let top = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return top.isEmpty ? nil : top
    }

    /// What git says about a directory.
    public enum GitProbe: Equatable, Sendable {
        /// Inside a work tree with this top level.
        case workTree(String)
        /// Not in a repository, or git is not installed: walk the directory.
        case none
        /// Git refuses the repository (e.g. "detected dubious ownership"): its first error line.
        case refused(String)
    }

    /// Asks git for the work tree around `directory`, telling "not a repository" from a refusal, so a
    /// refused repository is never silently walked (git-ignored files reported as committed).
    public static func probeGit(at directory: String) -> GitProbe {
        // The same (memoised) `rev-parse` as `GitRepository.discover`: one process per directory and run.
        switch GitRepository.discover(at: directory) {
        case nil: return .none
        case .success(let repository)?: return .workTree(repository.root)
        case .failure(let error)?:
            if error.message.contains("this operation must be run in a work tree") { return .none }  // inside .git or bare
            return .refused(error.message.split(separator: "\n").first.map(String.init) ?? error.message)
        }
    }

    /// Runs git and returns its standard output, or nil when it cannot run or fails.
    static func git(_ args: [String]) -> [UInt8]? {
        let r = ChildProcess.run(["git"] + args)
        return r.status == 0 ? r.stdout : nil
    }

    /// One directory's entries, sorted in the byte order of the paths they lead to (a directory sorts as
    /// `name/`, which all its paths start with), so a depth-first walk emits every path already sorted.
    /// Problems (an unreadable directory, a name that is not UTF-8) are appended to `problems`; nil when the
    /// directory cannot be read.
    private func listDirectory(_ relative: String, problems: inout [ScanProblem]) -> [(name: String, isDir: Bool)]? {
        let dirPath = relative.isEmpty ? root.path : root.path + "/" + relative
        guard let dir = opendir(dirPath) else {
            problems.append(ScanProblem(
                path: relative.isEmpty ? "." : relative,
                message: "directory cannot be read: \(String(cString: strerror(errno)))\(relative.isEmpty ? " (the repository root; nothing was checked)" : "")"))
            return nil
        }
        defer { closedir(dir) }
        var entries: [(String, UInt8)] = []
        while let entry = readdir(dir) {
            let (name, valid) = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { ptr -> (String, Bool) in
                    if let s = String(validatingCString: ptr) { return (s, true) }
                    return (String(cString: ptr), false)
                }
            }
            if name == "." || name == ".." { continue }
            if !valid {
                let rel = relative.isEmpty ? name : relative + "/" + name
                problems.append(ScanProblem(path: rel, message: Self.invalidNameMessage))
                continue
            }
            entries.append((name, entry.pointee.d_type))
        }
        var sorted: [(name: String, isDir: Bool, key: String)] = entries.map { name, dtype in
            var isDir = dtype == UInt8(DT_DIR)
            if dtype == UInt8(DT_UNKNOWN) {
                var st = stat()
                let rel = relative.isEmpty ? name : relative + "/" + name
                if lstat(root.path + "/" + rel, &st) == 0 { isDir = st.st_mode & S_IFMT == S_IFDIR }
            }
            return (name, isDir, isDir ? name + "/" : name)
        }
        sorted.sort { $0.key.utf8Precedes($1.key) }
        return sorted.map { ($0.name, $0.isDir) }
    }

    /// Whether the walk skips a directory (a default exclude by name, or a configured exclude).
    private func skipsDirectory(_ name: String, _ rel: String) -> Bool {
        RepositoryScanner.defaultExcludedDirectories.contains(name) || isExcluded(rel)
    }

    private func walk(relative: String, into paths: inout [String], problems: inout [ScanProblem]) {
        guard let entries = listDirectory(relative, problems: &problems) else { return }
        for (name, isDir) in entries {
            let rel = relative.isEmpty ? name : relative + "/" + name
            if isDir {
                if skipsDirectory(name, rel) { continue }
                walk(relative: rel, into: &paths, problems: &problems)
            } else {
                paths.append(rel)
            }
        }
    }

    /// What the top of a parallel walk lists, in walk order: a file, a problem, or a subtree walked apart.
    private enum WalkItem {
        case file(String)
        case problem(ScanProblem)
        case subtree(Int)
    }

    /// Every file under the root outside git, in byte order of the paths: `walk` from the root, with the
    /// subtrees below the first level walked in parallel. The top levels are listed in walk order first, so
    /// joining the subtrees' paths and problems in that order gives exactly what one walk gives.
    func walkAll(problems: inout [ScanProblem]) -> [String] {
        var items: [WalkItem] = []
        var subtrees: [String] = []
        func expand(_ relative: String, depth: Int) {
            var found: [ScanProblem] = []
            let entries = listDirectory(relative, problems: &found)
            items += found.map(WalkItem.problem)
            guard let entries else { return }
            for (name, isDir) in entries {
                let rel = relative.isEmpty ? name : relative + "/" + name
                if !isDir {
                    items.append(.file(rel))
                } else if !skipsDirectory(name, rel) {
                    if depth == 0 {
                        expand(rel, depth: 1)
                    } else {
                        items.append(.subtree(subtrees.count))
                        subtrees.append(rel)
                    }
                }
            }
        }
        expand("", depth: 0)
        var walked = [(paths: [String], problems: [ScanProblem])](repeating: ([], []), count: subtrees.count)
        walked.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: subtrees.count) { i in
                var paths: [String] = []
                var found: [ScanProblem] = []
                walk(relative: subtrees[i], into: &paths, problems: &found)
                base[i] = (paths, found)
            }
        }
        var paths: [String] = []
        for item in items {
            switch item {
            case .file(let path): paths.append(path)
            case .problem(let problem): problems.append(problem)
            case .subtree(let i):
                paths += walked[i].paths
                problems += walked[i].problems
            }
        }
        return paths
    }
}
