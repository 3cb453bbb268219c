import Foundation
import FleetLintSyntax

/// One file as project rules see it: its facts, and its parsed manifest (requirements, Dockerfile,
/// pyproject), parsed on first use from bytes read through the snapshot. Its `analysis` holds no findings in
/// `Linter.run` (the linter moves the file-rule findings into the run's one array when the analysis ends,
/// `RunFindings`); it never holds the documents and bytes the analyser handed over (this file keeps those, and
/// may let them go).
public final class ProjectFile: @unchecked Sendable {
    public private(set) var analysis: FileAnalysis
    public var path: String { analysis.path }
    public var kind: FileKind { analysis.kind }
    public var python: PythonFacts? { analysis.python }
    /// How the file reads its bytes and the lock it takes to read or set what it holds (`Shared`: one object for a
    /// stripe of the project's files; a lock object per file would cost more than the facts of a small file), or, for
    /// a manifest (the only files that hold parsed documents and bytes), a `Held` of its own that points at the shared
    /// object. A project keeps one `ProjectFile` per file for the whole run: with this one reference (an enum of two
    /// classes is a pointer) beside the 104-byte analysis it is 128 bytes, jemalloc's class below the 160 that a
    /// loader, a lock, a dictionary and the bytes took. Set once: other files never hold bytes (`bytes` reads theirs
    /// each time), so no thread changes it while another reads it for the lock.
    private let state: State

    private enum State {
        case shared(Shared)
        case held(Held)

        var shared: Shared {
            switch self {
            case .shared(let s): s
            case .held(let h): h.shared
            }
        }

        var held: Held? {
            if case .held(let h) = self { return h }
            return nil
        }
    }

    /// A loader and a lock, shared by a stripe of the project's files (one loader for all of them).
    final class Shared: @unchecked Sendable {
        let read: @Sendable (String) -> [UInt8]?
        let lock = NSLock()
        init(_ read: @escaping @Sendable (String) -> [UInt8]?) { self.read = read }
    }

    /// What a file holds beyond its analysis; read and set only under `shared.lock`.
    private final class Held {
        let shared: Shared
        var documents: [String: any Sendable] = [:]
        /// Read once (`.some(nil)`: binary or unreadable); nil: not read.
        var bytes: [UInt8]?? = nil
        init(_ shared: Shared) { self.shared = shared }
    }

    init(analysis: consuming FileAnalysis, shared: Shared) {
        var stored = consume analysis
        if stored.kind.isManifest || !stored.documents.isEmpty || stored.retainedBytes != nil {
            let h = Held(shared)
            h.documents = stored.documents
            if let b = stored.retainedBytes { h.bytes = .some(b) }
            state = .held(h)
        } else {
            state = .shared(shared)
        }
        stored.documents = [:]
        stored.retainedBytes = nil
        stored.dropEmptyExtras()
        self.analysis = consume stored
    }

    private var lock: NSLock { state.shared.lock }

    /// The bytes as they are now (nil for binary or unreadable files), not kept.
    private func readNow() -> [UInt8]? { kind == .binary ? nil : state.shared.read(path) }

    /// The file's bytes (nil for binary or unreadable files): a manifest's read once and kept, any other file's
    /// read at each call.
    public var bytes: [UInt8]? {
        guard let held = state.held else { return readNow() }
        lock.lock()
        defer { lock.unlock() }
        if let b = held.bytes { return b }
        let b = readNow()
        held.bytes = .some(b)
        return b
    }

    /// Whether the bytes would be read now: neither they nor a parsed document are in memory.
    var needsRead: Bool {
        guard kind != .binary else { return false }
        guard let h = state.held else { return true }
        lock.lock()
        defer { lock.unlock() }
        return h.bytes == nil && h.documents.isEmpty
    }

    /// Whether a parsed document of the file is in memory.
    var hasDocument: Bool {
        guard let h = state.held else { return false }
        lock.lock()
        defer { lock.unlock() }
        return !h.documents.isEmpty
    }

    /// Bytes read for this file ahead of its first use (`Project.preloadManifests`).
    func preload(_ bytes: [UInt8]?) {
        guard let h = state.held else { return }
        lock.lock()
        if h.bytes == nil { h.bytes = .some(bytes) }
        lock.unlock()
    }

    /// Lets the parsed manifest go (it is parsed again from the bytes if asked for).
    public func releaseDocuments() {
        lock.lock()
        state.held?.documents = [:]
        lock.unlock()
    }

    /// Lets the file's Python facts go (see `Project.releaseRuleInputs`).
    func releasePythonFacts() {
        lock.lock()
        analysis.python = nil
        lock.unlock()
    }

    /// The bytes without keeping them: those already in memory (manifests), else read again each time
    /// (the passes' source lines, which must not make memory grow with the files that have findings).
    var transientBytes: [UInt8]? {
        lock.lock()
        let b = state.held?.bytes
        lock.unlock()
        if let b { return b }
        return readNow()
    }

    private func document<T: Sendable>(_ key: String, _ parse: ([UInt8]) -> T) -> T? {
        lock.lock()
        if let d = state.held?.documents[key] as? T { lock.unlock(); return d }
        lock.unlock()
        guard let bytes else { return nil }
        let d = parse(bytes)
        lock.lock()
        state.held?.documents[key] = d
        lock.unlock()
        return d
    }

    public var requirements: RequirementsDocument? {
        guard kind == .requirements else { return nil }
        return document("requirements") { RequirementsParser.parse($0, path: path) }
    }

    public var dockerfile: ParsedDockerfile? {
        guard kind == .dockerfile else { return nil }
        return document("dockerfile") { bytes in
            let d = DockerfileParser.parse(bytes: bytes)
            return ParsedDockerfile(dockerfile: d, installs: PipInstallExtractor.extract(from: d))
        }
    }

    public var pyproject: PyProject? {
        guard kind == .pyproject else { return nil }
        return document("pyproject") { PyProjectParser.parse(bytes: $0) }
    }
}

/// Everything the engine knows about a snapshot: every file's facts (sorted by path) and every path.
/// Project rules receive this — never syntax trees; the dependency index is built on top of it.
public final class Project: @unchecked Sendable {
    public let files: [ProjectFile]
    /// Where each path stands in `files` and in `allPaths` (32-bit positions, not a dictionary of each).
    private let fileTable: StringIndexTable
    /// All repository-relative paths that exist (also the ones that were not read), sorted.
    public let allPaths: [String]
    private let pathTable: StringIndexTable
    private var caches: [String: any Sendable] = [:]
    private let cacheLock = NSRecursiveLock()
    private let reader: @Sendable (String) -> [UInt8]?
    /// With `--staged`/`--changed-since`: the changed paths. Project rules may then check only the units
    /// these paths touch (their other findings could not be reported anyway); nil means everything.
    public internal(set) var focus: Set<String>?
    /// Files read that have no analysis (compose files, `.dockerignore`): the run memo re-checks them.
    let readLog = ReadLog()
    /// Results of expensive project-level computations from earlier runs, keyed by a hash of their inputs
    /// (nil without a cache).
    public internal(set) var memo: ProjectMemo?

    /// Reads many files at once, when the snapshot can (see `Snapshot.readMany`).
    private let readMany: (@Sendable ([String]) -> [[UInt8]?]?)?

    public init(analyses: [FileAnalysis], allPaths: [String], reader: @escaping @Sendable (String) -> [UInt8]? = { _ in nil },
                readMany: (@Sendable ([String]) -> [[UInt8]?]?)? = nil) {
        self.reader = reader
        self.readMany = readMany
        let stripes = (0..<16).map { _ in ProjectFile.Shared(reader) }
        // Each analysis is moved out of the array (`popLast`), last first, not copied: a copy retained and
        // released every field of every analysis (nba: 9,256 files, ~16 M instructions on the main thread
        // between the analysis and the project rules).
        var analyses = analyses
        var files: [ProjectFile] = []
        var plain: [PlainFile] = []
        files.reserveCapacity(analyses.count)
        while let a = analyses.popLast() {
            if a.isPlain {
                plain.append(PlainFile(path: a.path, blob: a.blob, kind: a.kind))
            } else {
                files.append(ProjectFile(analysis: consume a, shared: stripes[analyses.count % stripes.count]))
            }
        }
        files.reverse()
        plain.reverse()
        files.trimCapacity()  // reserved for every analysis, plain files included
        plain.trimCapacity()
        self.files = files
        fileTable = StringIndexTable(count: files.count) { files[$0].path }
        plainFiles = plain
        plainTable = StringIndexTable(count: plain.count) { plain[$0].path }
        self.allPaths = allPaths
        pathTable = StringIndexTable(count: allPaths.count) { allPaths[$0] }
    }

    /// The file of `path`, when its analysis holds more than its path, kind and blob id (every Python file and
    /// manifest; other files with findings, problems, suppressions or skips); nil for the others (`analysis(_:)`).
    public func file(_ path: String) -> ProjectFile? {
        fileTable.index(of: path) { files[$0].path }.map { files[$0] }
    }

    /// An analysed file that holds nothing but its path, kind and blob id (`FileAnalysis.isPlain`). Kept in a table of
    /// its own, not as a `ProjectFile` (128 bytes, a slot and a table entry): on the nba tree four times over (37,024
    /// files, ~27,600 of them plain) ~2.8 MiB less for the whole project phase and the passes.
    private struct PlainFile {
        let path: String
        let blob: BlobID?
        let kind: FileKind
    }
    private let plainFiles: [PlainFile]
    private let plainTable: StringIndexTable

    private func plainFile(_ path: String) -> PlainFile? {
        plainTable.index(of: path) { plainFiles[$0].path }.map { plainFiles[$0] }
    }

    /// The analysis of any analysed file: its `ProjectFile`'s, or made again from the plain table.
    public func analysis(_ path: String) -> FileAnalysis? {
        if let f = file(path) { return f.analysis }
        return plainFile(path).map { FileAnalysis(path: $0.path, kind: $0.kind, blob: $0.blob) }
    }

    /// The analyses of the project's files (`files`), in path order (read in place: the project holds the only copy);
    /// plain files (`analysis(_:)`) are not among them.
    public var analyses: LazyMapSequence<[ProjectFile], FileAnalysis> { files.lazy.map(\.analysis) }

    /// Blob ids the snapshot knows without reading (git snapshots; files analysed in this run).
    var knownBlobs: [UTF8Key: BlobID] = [:]

    /// A file's blob id when known without reading it: from its analysis (a project file's or a plain file's), else from
    /// the snapshot.
    public func blob(_ path: String) -> BlobID? {
        file(path)?.analysis.blob ?? plainFile(path)?.blob ?? knownBlobs[UTF8Key(path)]
    }

    /// The bytes of any repository file (read files first, then the snapshot). A manifest's bytes stay with its file
    /// (its documents are parsed from them, again after they are let go); any other analysed file's are read again at
    /// each call, not kept: the dependency index reads every deploy configuration, shell script, compose file,
    /// `Procfile` and `.dockerignore` once through here, and keeping them held all of them to the end of the run
    /// (nba: 3.5 MiB of shell scripts and workflows at the peak).
    public func contents(_ path: String) -> [UInt8]? {
        if let f = file(path) { return f.bytes }
        if let p = plainFile(path) { return p.kind == .binary ? nil : reader(path) }
        guard exists(path) else { return nil }
        let bytes = reader(path)
        readLog.record(path, bytes)
        return bytes
    }

    /// Repository files under a directory (`""` = all), sorted. A binary search over the sorted paths.
    public func paths(under directory: String) -> [String] {
        if directory.isEmpty { return allPaths }
        let prefix = Array((directory + "/").utf8)
        let lo = allPaths.utf8LowerBound(prefix)
        var out: [String] = []
        var i = lo
        while i < allPaths.count, allPaths[i].utf8.starts(with: prefix) {
            out.append(allPaths[i])
            i += 1
        }
        return out
    }

    /// Whether any repository file lies under `directory` (`""`: any file): `!paths(under:).isEmpty` by the
    /// same binary search, without copying the paths out.
    public func hasPaths(under directory: String) -> Bool {
        if directory.isEmpty { return !allPaths.isEmpty }
        let prefix = Array((directory + "/").utf8)
        let lo = allPaths.utf8LowerBound(prefix)
        return lo < allPaths.count && allPaths[lo].utf8.starts(with: prefix)
    }

    /// `contents`, without keeping an analysed file's bytes in memory afterwards.
    func transientContents(_ path: String) -> [UInt8]? {
        if let f = file(path) { return f.transientBytes }
        return contents(path)
    }

    public func exists(_ path: String) -> Bool { pathIndex(path) != nil }

    /// The position of `path` in `allPaths` (nil: not a repository file).
    public func pathIndex(_ path: String) -> Int? { pathTable.index(of: path) { allPaths[$0] } }

    /// Lets every parsed manifest go: for a caller that has read what it needs from them (the dependency
    /// index, built once) — they are a few KiB per manifest, and the project rules that run afterwards
    /// allocate their own. A later reader parses a manifest again from its bytes.
    public func releaseParsedManifests() {
        for f in files where f.kind == .requirements || f.kind == .dockerfile || f.kind == .pyproject { f.releaseDocuments() }
    }

    /// Lets go of what only the project rules read, once they are done and nothing will read it again: every file's
    /// Python facts, the parsed manifests and the values built on them (`cached`: the dependency index, the walks'
    /// index). What the passes read stays (paths, bytes, suppressions, the lines redaction looks at). `Linter.run`
    /// does this before it expands the run's findings for the passes, for a caller that asked (`check`): on the 16x
    /// synthetic tree the facts and the index were ~22 MiB, alive with the ~90,000 expanded findings. A caller that
    /// reads the project's facts afterwards (`deps` builds the index from them) must not ask.
    public func releaseRuleInputs() {
        cacheLock.lock()
        caches = [:]
        cacheLock.unlock()
        for f in files where f.analysis.python != nil { f.releasePythonFacts() }
        releaseParsedManifests()
    }

    public func files(of kind: FileKind) -> [ProjectFile] { files.filter { $0.kind == kind } }

    /// Returns the cached value for `key`, building it once (other callers wait).
    public func cached<T: Sendable>(_ key: String, build: () -> T) -> T {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let v = caches[key] as? T { return v }
        let v = build()
        caches[key] = v
        return v
    }
}

extension [String] {
    /// The first index whose string does not sort before `bytes`, in an array sorted by UTF-8 bytes (as
    /// `Project.allPaths` is).
    public func utf8LowerBound(_ bytes: [UInt8]) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].utf8.lexicographicallyPrecedes(bytes) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

extension Project {
    /// Reads the manifests the dependency index will parse (requirements files, Dockerfiles, pyproject files whose
    /// bytes and documents are not in memory: those of a cached analysis) in one batch, when the snapshot reads
    /// faster that way (git's). A staged check of the 16x tree read 3,200 of them through `cat-file` one round trip
    /// each.
    public func preloadManifests() {
        guard let readMany else { return }
        let wanted = files.filter { $0.kind.isManifest && $0.needsRead }
        guard wanted.count > 1, let all = readMany(wanted.map(\.path)), all.count == wanted.count else { return }
        for (file, bytes) in zip(wanted, all) { file.preload(bytes) }
    }

    /// Parses the requirements files and Dockerfiles the dependency index reads whose parsed documents are not in
    /// memory (a cached analysis keeps facts, not documents), on every core. The index asked for them one at a time,
    /// on one core: a one-file edit of the 16x synthetic tree (1,600 of each) spent ~90 ms of its project rules'
    /// serial time parsing them, and a check answered from the cache as much. (A cold run parses them in the analysis.)
    public func parseManifests() {
        let wanted = files.filter { ($0.kind == .requirements || $0.kind == .dockerfile) && !$0.hasDocument }
        guard wanted.count > 1 else { return }
        DispatchQueue.concurrentPerform(iterations: wanted.count) { i in
            let file = wanted[i]
            if file.kind == .dockerfile { _ = file.dockerfile } else { _ = file.requirements }
        }
    }
}
