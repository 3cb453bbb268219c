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
        // anything is converted or split, and the split is made once, for the first glob that needs it. All of it
        // under one borrow of the path's bytes, with plain locals: a nested function that captured the path and the
        // lazily made parts had each access checked for exclusivity (~7 runtime calls a glob list, a third of this).
        let utf8 = path.utf8
        let nameBytes = utf8.distance(from: utf8.startIndex, to: name.startIndex)..<utf8.distance(from: utf8.startIndex, to: name.endIndex)
        var bytes = path
        return bytes.withUTF8 { p -> FileKind in
            let n = UnsafeBufferPointer(rebasing: p[nameBytes])
            var split = FileClassifier.Split()
            if Self.anyMatches(requirements, path: path, name: name, p, n, &split) { return .requirements }
            if Self.anyMatches(dockerfiles, path: path, name: name, p, n, &split) { return .dockerfile }
            if Self.anyMatches(envFiles, path: path, name: name, p, n, &split) { return .envFile }
            return .text
        }
    }

    /// The name's scalars and the path's components, made once per path for the first glob that needs them.
    private struct Split {
        var nameScalars: [Unicode.Scalar]? = nil
        var parts: [String]? = nil
    }

    /// Whether one of `globs` matches: each borrowed through its address (`gs[i]` copied the glob, a retain and a
    /// release of each of its fields, for every path and glob: ~5,500 instructions a path on the nba tree).
    private static func anyMatches(
        _ globs: [Glob], path: String, name: Substring, _ p: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>,
        _ split: inout Split
    ) -> Bool {
        globs.withUnsafeBufferPointer { gs in
            guard let base = gs.baseAddress else { return false }
            for i in 0..<gs.count where (base + i).pointee.mayMatch(path: p, name: n) {
                // A glob with `/` is matched against the whole path, otherwise against the file name only
                // (so `requirements*.txt` does not match a directory called `requirements-tools/`).
                if split.nameScalars == nil { split.nameScalars = Array(name.unicodeScalars) }
                if (base + i).pointee.isAnchored {
                    if split.parts == nil { split.parts = path.split(separator: "/").map(String.init) }
                    if (base + i).pointee.matchesWholePath(parts: split.parts!, name: split.nameScalars!) { return true }
                } else if (base + i).pointee.matchesName(split.nameScalars!) {
                    return true
                }
            }
            return false
        }
    }
}

/// A path found by the scanner.
public struct ScannedPath: Hashable, Sendable {
    public var path: String
    public var kind: FileKind
    /// The file's stat, so that the cache can reuse a blob id without reading the file.
    public var stamp: FileStamp? = nil
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

    public func scan() -> Result { scan(rootDirectory: DirectoryHandle(root.path)) }

    /// `scan()`, examining the paths relative to `rootDirectory` (the root, opened).
    func scan(rootDirectory: DirectoryHandle) -> Result {
        var paths: [String]
        var problems: [ScanProblem] = []
        var usedGit = false
        if useGit, let (listed, badNames) = gitListing() {
            paths = listed
            usedGit = true
            problems += badNames
        } else {
            paths = walkAll(problems: &problems)
        }
        // The walk lists paths in byte order already, and git's listing nearly always: sort only when needed.
        if !Self.isSorted(paths) { paths.sort { $0.utf8Precedes($1) } }
        // Each path is examined (lstat, excludes, stamp, kind) in parallel chunks of at least 512 paths, joined in path
        // order. ~2.5 µs a path, most of it the lstat: one chunk below 4,096 paths (as before) kept the 1x tree's
        // 2,322 paths on one core for ~6 ms of a 145 ms run, while the other core waited for the analysis to start.
        let chunkCount = min(32, max(1, paths.count / 512))
        var parts = [Examined](repeating: Examined(), count: chunkCount)
        let all = paths
        parts.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
                base[c] = examine(all[(all.count * c / chunkCount)..<(all.count * (c + 1) / chunkCount)], rootDirectory: rootDirectory)
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
    private func examine(_ paths: ArraySlice<String>, rootDirectory: DirectoryHandle) -> Examined {
        var files: [ScannedPath] = []
        files.reserveCapacity(paths.count)
        var existing: [String] = []
        existing.reserveCapacity(paths.count)
        var problems: [ScanProblem] = []
        let rootPath = root.path
        for path in paths {
            var st = stat()
            let (directory, relative) = rootDirectory.locate(path)
            guard fstatat(directory, relative, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
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
                // Symlinks are rare: their full path is made for them only.
                switch resolveSymlink(rootPath + "/" + path) {
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
            let stamp = Self.stamp(path, in: rootDirectory, link: st)
            files.append(ScannedPath(path: path, kind: classifier.kind(of: path), stamp: stamp))
        }
        return Examined(files: files, existing: existing, problems: problems)
    }

    func isExcluded(_ path: String) -> Bool { excludes.contains { $0.matches(path) } }

    /// The stamp of the file at `relative` below `directory`, whose `lstat` is `link`: a symlink's target's size, mtime
    /// and inode (`fstatat` following the link), and the later ctime of the two (so that retargeting the link is noticed).
    static func stamp(_ relative: String, in directory: DirectoryHandle, link st: stat) -> FileStamp {
        var target = st
        if st.st_mode & S_IFMT == S_IFLNK {
            let (d, p) = directory.locate(relative)
            if fstatat(d, p, &target, 0) != 0 { target = st }
        }
        return FileStamp(
            size: Int(target.st_size), mtimeNanos: Int64(target.st_mtim.tv_sec) * 1_000_000_000 + Int64(target.st_mtim.tv_nsec),
            ctimeNanos: max(Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                            Int64(target.st_ctim.tv_sec) * 1_000_000_000 + Int64(target.st_ctim.tv_nsec)),
            inode: UInt64(target.st_ino))
    }

    /// The stamp of the file at `relative` below `directory` now, or nil when it cannot be examined.
    static func stamp(_ relative: String, in directory: DirectoryHandle) -> FileStamp? {
        var st = stat()
        let (d, p) = directory.locate(relative)
        guard fstatat(d, p, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return stamp(relative, in: directory, link: st)
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

    private func gitListing() -> ([String], [ScanProblem])? {
        let inside = runGit(["rev-parse", "--is-inside-work-tree"])
        guard let inside, String(decoding: inside, as: UTF8.self).hasPrefix("true") else { return nil }
        guard let out = runGit(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]) else { return nil }
        var seen = Set<UTF8Key>()
        var result: [String] = []
        var problems: [ScanProblem] = []
        for part in out.split(separator: 0) where !part.isEmpty {
            guard let p = String(validating: part, as: UTF8.self) else {
                problems.append(ScanProblem(path: String(decoding: part, as: UTF8.self), message: Self.invalidNameMessage))
                continue
            }
            // A path listed twice (an unmerged entry's stages) once, by bytes: `café.py` in NFC and in NFD are equal
            // Strings but two files (as the walk outside git lists them), not a repeat of one.
            if seen.insert(UTF8Key(p)).inserted { result.append(p) }
        }
        return (result, problems)
    }

    private func runGit(_ args: [String]) -> [UInt8]? {
        Self.git(["-C", root.path] + args)
    }

    /// The git work tree around the current directory, if there is one.
    public static func gitTopLevel() -> String? {
        guard let out = git(["rev-parse", "--show-toplevel"]) else { return nil }
        let top = GitRepository.outputLine(out)
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
                let rel = String.joiningPath(relative, name)
                problems.append(ScanProblem(path: rel, message: Self.invalidNameMessage))
                continue
            }
            entries.append((name, entry.pointee.d_type))
        }
        var sorted: [(name: String, isDir: Bool, key: String)] = entries.map { name, dtype in
            var isDir = dtype == UInt8(DT_DIR)
            if dtype == UInt8(DT_UNKNOWN) {
                var st = stat()
                let rel = String.joiningPath(relative, name)
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
            let rel = String.joiningPath(relative, name)
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
                let rel = String.joiningPath(relative, name)
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
