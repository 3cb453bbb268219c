import FleetLintCore
import FleetLintSyntax
import Foundation

/// `.dockerignore` verdicts for every path of a build context, worked out per directory.
///
/// A pattern excludes a path when it matches the path or one of its parent directories (moby's
/// patternmatcher), and the last matching pattern wins. Whether pattern `P` matches some prefix of
/// `dir/name` is whether it matches some prefix of `dir`, or the whole path; a pattern without a `**`
/// segment has a fixed number of segments, so it can match a whole path only at that depth. The
/// directory's answers are kept for every file below it, and a file is matched only against the patterns
/// that can match it whole (its depth, or `**`), from the last one back. `DockerIgnore.excluded` matched
/// every pattern against every path of the context, which was a third of the dependency index.
struct DockerIgnoreVerdicts {
    let ignore: DockerIgnore
    /// One single-pattern matcher per pattern, as an exclusion (its `isExcluded` is "matches a prefix").
    private let single: [DockerIgnore]
    private let isException: [Bool]
    /// Segment count of each pattern, or nil when it has a `**` segment (any depth).
    private let depth: [Int?]
    /// Directory (context-relative, no trailing `/`) → whether each pattern matches it or a parent.
    private var directories: [Substring: [Bool]] = [:]

    init(_ ignore: DockerIgnore) {
        self.ignore = ignore
        var single: [DockerIgnore] = [], isException: [Bool] = [], depth: [Int?] = []
        for p in ignore.patterns {
            var one = ignore
            var asExclusion = p
            asExclusion.isException = false
            one.patterns = [asExclusion]
            single.append(one)
            isException.append(p.isException)
            // The segments `DockerIgnore` matches with (it splits the pattern text the same way).
            let segments = p.text.asciiSplit(0x2F)
            depth.append(segments.contains("**") ? nil : segments.count)
        }
        self.single = single
        self.isException = isException
        self.depth = depth
    }

    /// The number of segments of a plain path (nil for any other), from one pass over its bytes. A plain path
    /// is a clean relative ASCII path (no empty, `.` or `..` segment): its segments are its `/`-separated
    /// pieces, as `DockerIgnore` cuts it. Anything else is matched whole by `DockerIgnore` itself.
    static func depthIfPlain(_ path: Substring) -> Int? {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            var length = 0, dotsOnly = true, depth = 1
            for b in bytes {
                if b >= 0x80 { return nil }
                if b == UInt8(ascii: "/") {
                    if length == 0 || (dotsOnly && length <= 2) { return nil }
                    length = 0
                    dotsOnly = true
                    depth += 1
                } else {
                    length += 1
                    if b != UInt8(ascii: ".") { dotsOnly = false }
                }
            }
            return length > 0 && !(dotsOnly && length <= 2) ? depth : nil
        }
        if let known = path.utf8.withContiguousStorageIfAvailable(scan) { return known }
        return Array(path.utf8).withUnsafeBufferPointer(scan)
    }

    /// The directory `directoryMatches` answered last, with its answer: paths come sorted, so most follow a
    /// sibling, and its directory is compared (the key equality of `directories`) instead of hashed.
    private var lastDirectory: Substring? = nil
    private var lastMatches: [Bool] = []

    /// Whether each pattern matches `dir` or one of its parents (`dir` plain, its segments `depth` long).
    private mutating func directoryMatches(_ dir: Substring, depth d: Int) -> [Bool] {
        if let last = lastDirectory, last == dir { return lastMatches }
        let matches = matchesOfDirectory(dir, depth: d)
        lastDirectory = dir
        lastMatches = matches
        return matches
    }

    private mutating func matchesOfDirectory(_ dir: Substring, depth d: Int) -> [Bool] {
        if let known = directories[dir] { return known }
        var matches: [Bool]
        if let slash = dir.utf8.lastIndex(of: UInt8(ascii: "/")) {
            matches = directoryMatches(dir[..<slash], depth: d - 1)
        } else {
            matches = [Bool](repeating: false, count: single.count)
        }
        var text: String? = nil
        for i in single.indices where !matches[i] && (depth[i] == nil || depth[i] == d) {
            if text == nil { text = String(dir) }
            if single[i].isExcluded(text!) { matches[i] = true }
        }
        directories[dir] = matches
        return matches
    }

    /// Whether the context-relative `path` is excluded: the same answer as `ignore.isExcluded(path)`.
    mutating func isExcluded(_ path: Substring) -> Bool {
        if single.isEmpty { return false }
        guard let d = Self.depthIfPlain(path) else { return ignore.isExcluded(String(path)) }
        let parent: [Bool]? = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { directoryMatches(path[..<$0], depth: d - 1) }
        var text: String? = nil
        // The last pattern that matches decides.
        for i in single.indices.reversed() {
            if parent?[i] == true { return !isException[i] }
            guard depth[i] == nil || depth[i] == d else { continue }
            if text == nil { text = String(path) }
            if single[i].isExcluded(text!) { return !isException[i] }
        }
        return false
    }
}

/// The files of the repository a build context's `COPY` can see (its `.dockerignore` applied), sorted as
/// the project's paths are: `paths(under:)` is a binary search, where filtering the project's list through
/// the set of ignored paths hashed every path again for every `COPY` source of every image.
final class ContextListing: @unchecked Sendable {
    let paths: [String]
    /// Every path is ASCII (then a path is equal to another exactly when its bytes are).
    let isASCII: Bool
    private let lock = NSLock()
    /// `sourcesDigest`'s answers, by the digest of the copied sources they were made for.
    private var sourcesDigests: [String: String] = [:]
    /// Mark arrays as long as `paths`, every entry false (see `copiedPythonFiles(_:)`).
    private let spareMarks: SparePool<[Bool]>

    init(project: Project, ignored: Set<String>) {
        let paths = ignored.isEmpty ? project.allPaths : project.allPaths.filter { !ignored.contains($0) }
        self.paths = paths
        isASCII = paths.allSatisfy(\.isASCIIBytes)
        spareMarks = SparePool { [Bool](repeating: false, count: paths.count) }
    }

    /// The digest of the files a stage copies from this listing, made once per distinct set of `COPY` sources
    /// (`copiedKey`, their digest): those files follow from the sources and the listing. A memoised walk's key holds
    /// it; made per stage, it hashed every Python file of the repository again for each stage that copies the whole
    /// context (~9 % of a staged check of the nba clone, whose images mostly do).
    func sourcesDigest(copiedKey: String, _ make: () -> String) -> String {
        lock.lock()
        if let known = sourcesDigests[copiedKey] { lock.unlock(); return known }
        lock.unlock()
        let d = make()
        lock.lock()
        sourcesDigests[copiedKey] = d
        lock.unlock()
        return d
    }

    /// The indices of the paths under `directory` (`""`: all).
    private func range(under directory: String) -> Range<Int> {
        if directory.isEmpty { return paths.indices }
        let prefix = Array((directory + "/").utf8)
        let lo = paths.utf8LowerBound(prefix)
        var hi = lo
        while hi < paths.count, paths[hi].utf8.starts(with: prefix) { hi += 1 }
        return lo..<hi
    }

    /// Whether any path lies under `directory` (`""`: any at all): `!paths(under:).isEmpty` without the array.
    func hasPaths(under directory: String) -> Bool {
        if directory.isEmpty { return !paths.isEmpty }
        let prefix = Array((directory + "/").utf8)
        let lo = paths.utf8LowerBound(prefix)
        return lo < paths.count && paths[lo].utf8.starts(with: prefix)
    }

    /// The paths under `directory` (`""`: all): `project.paths(under:)` without the ignored ones.
    func paths(under directory: String) -> [String] {
        if directory.isEmpty { return paths }
        return Array(paths[range(under: directory)])
    }

    /// The `.py` files that `sources` copy in, in the order `DockerCopyMapper.copiedFiles()` lists them (each
    /// once): directories as ranges of this listing, marked by index instead of hashing every path into a set.
    /// Nil when a path is not ASCII (then only `String` equality says which spellings are one file).
    ///
    /// The marks go into an array as long as the listing taken from the spares and handed back cleared of the marks
    /// set: allocated and zeroed for every image, they cost images × paths (a root build context on the 16x tree: 1,600
    /// images, 37,135 paths each).
    func copiedPythonFiles(_ sources: [DockerCopiedSource]) -> [String]? {
        guard canMark(sources) else { return nil }
        var taken = spareMarks.take()
        var marked: [Int]? = []
        let (files, _) = markAll(sources, in: &taken, recording: &marked)
        for i in marked! { taken[i] = false }
        spareMarks.giveBack(taken)
        return files
    }

    /// Marks in `taken` (no mark set before) every path `sources` copy: the `.py` files in order and the sources not in
    /// the listing. `recording`, when not nil, gets the index of every mark set.
    private func markAll(
        _ sources: [DockerCopiedSource], in taken: inout [Bool], recording marked: inout [Int]?
    ) -> (files: [String], others: Set<String>) {
        var others = Set<String>()
        var out: [String] = []
        for source in sources {
            mark(source, isTaken: { taken[$0] }, take: { taken[$0] = true; marked?.append($0) }, others: &others, out: &out)
        }
        return (out, others)
    }

    /// Whether `copiedPythonFiles` can mark `sources` by index: only when every path is ASCII.
    private func canMark(_ sources: [DockerCopiedSource]) -> Bool {
        isASCII && sources.allSatisfy { $0.repoPath.utf8.allSatisfy { $0 < 0x80 } }
    }

    private static func isPython(_ path: String) -> Bool { path.utf8.count >= 3 && path.utf8.suffix(3).elementsEqual(".py".utf8) }

    /// What `copiedPythonFiles` has marked after a list of sources: the stages built `FROM` one stage go on from
    /// its parent chain's (worked out once) with their own sources only.
    struct CopiedPython {
        var files: [String] = []
        /// By index into `paths`.
        var taken: [Bool]
        /// Copied paths that are not in the listing.
        var others = Set<String>()
    }

    /// `copiedPythonFiles(parent's sources + sources)`, given what the parent's sources marked (`after`). The parent's
    /// marks are read, not copied: a stage's cost is its own sources' (and its files' list).
    func copiedPythonFiles(_ sources: [DockerCopiedSource], after parent: CopiedPython?) -> CopiedPython? {
        guard canMark(sources) else { return nil }
        guard let parent else {
            // Kept by the caller (a parent chain's marks, read by every stage built on it): an array of its own.
            var taken = [Bool](repeating: false, count: paths.count)
            var unrecorded: [Int]? = nil
            let (files, others) = markAll(sources, in: &taken, recording: &unrecorded)
            return CopiedPython(files: files, taken: taken, others: others)
        }
        var taken = Set<Int>()
        var others = Set<String>()
        var out = parent.files
        for source in sources {
            mark(source, isTaken: { parent.taken[$0] || taken.contains($0) }, take: { taken.insert($0) },
                 others: &others, out: &out, parentOthers: parent.others)
        }
        // Only the files list is read of a stage built on (its marks are not kept).
        return CopiedPython(files: out, taken: [], others: [])
    }

    private func mark(_ source: DockerCopiedSource, isTaken: (Int) -> Bool, take: (Int) -> Void,
                      others: inout Set<String>, out: inout [String], parentOthers: Set<String> = []) {
        if source.isDirectory {
            for i in range(under: source.repoPath) where !isTaken(i) {
                take(i)
                if Self.isPython(paths[i]) { out.append(paths[i]) }
            }
            return
        }
        let i = paths.utf8LowerBound(Array(source.repoPath.utf8))
        if i < paths.count, paths[i].utf8.elementsEqual(source.repoPath.utf8) {
            if !isTaken(i) {
                take(i)
                if Self.isPython(paths[i]) { out.append(paths[i]) }
            }
        } else if !parentOthers.contains(source.repoPath), others.insert(source.repoPath).inserted, Self.isPython(source.repoPath) {
            out.append(source.repoPath)
        }
    }
}
