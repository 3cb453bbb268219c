import FleetLintCore
import FleetLintRules
import FleetLintSyntax
import Foundation

/// A Python file's content at a path: the unit analysed once across every point of a history.
public struct PathBlob: Hashable, Sendable {
    public var path: String
    public var blob: BlobID
    public init(path: String, blob: BlobID) {
        self.path = path
        self.blob = blob
    }
}

/// What adoption keeps of one file: its classes and, per migration, its sites and which classes hold them.
public struct FileFacts: Sendable {
    public struct ClassInfo: Sendable {
        /// `module.Outer.Inner`.
        public var fullName: String
        /// Bases resolved through the file's imports (unresolvable bases dropped).
        public var bases: [String]
        /// The last component of `fullName` (the class index groups classes by it).
        public var lastName: String

        public init(fullName: String, bases: [String]) {
            self.fullName = fullName
            self.bases = bases
            lastName = ClassInfo.lastComponent(fullName)
        }

        /// The text after the last `.` (all of it without one).
        static func lastComponent(_ name: String) -> String {
            guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return name }
            return String(name[name.utf8.index(after: dot)...])
        }
    }
    public struct Sites: Sendable, Equatable {
        public var legacy = 0
        public var adopted = 0
        /// Indices into `classes` of classes whose own body holds a legacy / adopted site.
        public var legacyClasses: Set<Int> = []
        public var adoptedClasses: Set<Int> = []
    }
    public var moduleName: String
    public var classes: [ClassInfo]
    /// One per migration, in the engine's migration order.
    public var sites: [Sites]

    /// Reduces a file analysis to the facts of `migrations`.
    public static func from(_ analysis: FileAnalysis, migrations: [Migration]) -> FileFacts {
        guard let python = analysis.python else {
            return FileFacts(moduleName: analysis.moduleName, classes: [],
                             sites: Array(repeating: Sites(), count: migrations.count))
        }
        let moduleName = analysis.moduleName
        let classes = python.classes.map { c in
            ClassInfo(fullName: moduleName + "." + c.qualifiedName, bases: c.bases.compactMap { $0 })
        }
        // The innermost class whose lines hold each line: the one that starts last (of two on one line, the later), so
        // the classes' line ranges are painted in order of their first line. (A search of every class for every site
        // was quadratic: a module of 40,000 classes took 1.7 s.)
        var ownerOfLine: [Int32] = []
        if !python.classes.isEmpty {
            let order = python.classes.indices.sorted { (python.classes[$0].line, $0) < (python.classes[$1].line, $1) }
            ownerOfLine = [Int32](repeating: -1, count: (python.classes.map { max($0.line, $0.endLine ?? $0.line) }.max() ?? 0) + 1)
            for i in order {
                let c = python.classes[i], end = c.endLine ?? c.line
                guard c.line >= 0, end >= c.line else { continue }
                for line in c.line...end { ownerOfLine[line] = Int32(i) }
            }
        }
        func owner(_ line: Int) -> Int? {
            guard line >= 0, line < ownerOfLine.count, ownerOfLine[line] >= 0 else { return nil }
            return Int(ownerOfLine[line])
        }
        var all: [Sites] = []
        for m in migrations {
            var s = Sites()
            func add(_ legacy: Bool, line: Int) {
                let cls = owner(line)
                if legacy {
                    s.legacy += 1
                    if let cls { s.legacyClasses.insert(cls) }
                } else {
                    s.adopted += 1
                    if let cls { s.adoptedClasses.insert(cls) }
                }
            }
            for call in python.calls {
                if m.legacy.contains(where: { if case .callee(let p) = $0 { p.matches(call.callee) } else { false } }) {
                    add(true, line: call.range.start.line)
                } else if m.adopted.contains(where: { if case .callee(let p) = $0 { p.matches(call.callee) } else { false } }) {
                    add(false, line: call.range.start.line)
                }
            }
            for finding in analysis.findings {
                if m.legacy.contains(.rule(finding.ruleID)) {
                    add(true, line: finding.range.start.line)
                } else if m.adopted.contains(.rule(finding.ruleID)) {
                    add(false, line: finding.range.start.line)
                }
            }
            all.append(s)
        }
        return FileFacts(moduleName: moduleName, classes: classes, sites: all)
    }
}

/// Counts of one adoption run.
public struct AdoptionStatistics: Sendable {
    /// Distinct (path, blob) pairs the points needed.
    public var distinctFiles = 0
    /// Of those, analysed (parsed) in this run.
    public var analysed = 0
    /// Of those, read from the analysis cache.
    public var cached = 0
    /// Points whose figures came from the figures cache.
    public var cachedPoints = 0
    /// Sum over points of the Python files each holds (what a per-point scan would parse).
    public var pointFiles = 0
}

/// Turns Python files into adoption facts: the analysis cache first (keyed by blob, kind, path and
/// settings), then the shared `FileAnalyzer` for the rest, in parallel; each (path, blob) once per run.
public final class AdoptionEngine: @unchecked Sendable {
    public let migrations: [Migration]
    public let linter: Linter
    let cacheDirectory: URL?
    private var openedCache: AnalysisCache??
    /// The analysis cache, opened on first use (a warm history answered from the figures cache never
    /// loads the pack).
    public var cache: AnalysisCache? {
        lock.lock()
        defer { lock.unlock() }
        if let openedCache { return openedCache }
        let c = cacheDirectory.map(AnalysisCache.init)
        openedCache = .some(c)
        return c
    }
    let analyzer: FileAnalyzer
    /// The per-file settings part of every cache key.
    let settingsKey: String
    private var facts: [PathBlob: FileFacts] = [:]
    private let lock = NSLock()
    public private(set) var statistics = AdoptionStatistics()

    /// `linter` is the configured linter of the repository; only the rules the migrations name run.
    public init(configuration: Configuration, root: URL, migrations: [Migration], cacheDirectory: URL?) throws(ConfigurationError) {
        self.migrations = migrations
        let ruleIDs = Array(Set(migrations.flatMap(\.ruleIDs))).sorted()
        var config = configuration
        config.applyCommandLine(select: ruleIDs, ignore: [], failOn: nil)
        var linter = try FleetLintSetup.makeLinter(configuration: config, root: root)
        var patterns: [DottedNamePattern] = []
        for p in migrations.flatMap(\.calleePatterns) where !patterns.contains(p) { patterns.append(p) }
        linter.callPatterns = patterns
        self.linter = linter
        let fileRules = linter.rules.filter { ruleIDs.contains($0.ruleDescription.id) }
        for id in ruleIDs where !fileRules.contains(where: { $0.ruleDescription.id == id && $0.asFileRule != nil }) {
            throw ConfigurationError(
                file: configuration.source ?? "<defaults>",
                message: "migration side `\(id)` must name a rule that checks single files (its findings are the sites)")
        }
        var defaults: [String: (enabled: Bool, severity: Severity)] = [:]
        for r in linter.rules { defaults[r.ruleDescription.id] = (r.ruleDescription.isEnabledByDefault, r.ruleDescription.defaultSeverity) }
        let settings = config.settings(for: "", defaults: defaults)
        let parsedKinds = Set(fileRules.flatMap(\.ruleDescription.inputs)).union([.python])
        analyzer = FileAnalyzer(
            fileRules: fileRules.compactMap(\.asFileRule),
            parsers: linter.parsers.filter { $0.kinds.contains(.python) },
            parsedKinds: parsedKinds, neededKinds: [.python], wantsPythonFacts: true, callPatterns: patterns,
            severity: settings.severity, settings: { _ in settings })
        settingsKey = [linter.settingsFingerprint, "adoption", patterns.map(\.pattern).joined(separator: ","),
                       settings.enabledRules.sorted().joined(separator: ",")].joined(separator: "\u{1F}")
        self.cacheDirectory = cacheDirectory
    }

    /// Identifies the figures' inputs besides the commit (figures cache key).
    public var fingerprint: String {
        ContentHash.sha256([AnalysisCache.buildIdentity, settingsKey] + migrations.map(\.fingerprint))
    }

    public func facts(_ key: PathBlob) -> FileFacts? {
        lock.lock()
        defer { lock.unlock() }
        return facts[key]
    }

    func cacheKey(_ key: PathBlob) -> String {
        AnalysisCache.key(blob: key.blob, kind: .python, path: key.path, settings: settingsKey)
    }

    /// Makes sure every pair has facts: from memory, the cache, or an analysis of the bytes `fetch`
    /// returns (called with batches of misses; one outcome per pair, in order).
    public func ensure(_ pairs: [PathBlob], progress: ((Int, Int) -> Void)? = nil,
                       fetch: ([PathBlob]) -> [ReadOutcome]) {
        var seen = Set<PathBlob>()
        lock.lock()
        let pending = pairs.filter { facts[$0] == nil && seen.insert($0).inserted }
        lock.unlock()
        guard !pending.isEmpty else { return }
        let migrations = self.migrations
        let cache = self.cache
        var found = [FileFacts?](repeating: nil, count: pending.count)
        if let cache {
            found.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: pending.count) { i in
                    if let a = cache.lookup(cacheKey(pending[i]), path: pending[i].path, kind: .python, blob: pending[i].blob) { base[i] = FileFacts.from(a, migrations: migrations) }
                }
            }
        }
        var misses: [Int] = []
        lock.lock()
        for (i, f) in found.enumerated() {
            if let f { facts[pending[i]] = f } else { misses.append(i) }
        }
        statistics.cached += pending.count - misses.count
        statistics.analysed += misses.count
        lock.unlock()
        var done = pending.count - misses.count
        progress?(done, pending.count)
        let batch = 256
        var start = 0
        while start < misses.count {
            let chunk = Array(misses[start..<min(start + batch, misses.count)]).map { pending[$0] }
            let outcomes = fetch(chunk)
            var results = [FileFacts?](repeating: nil, count: chunk.count)
            results.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunk.count) { i in
                    let outcome = i < outcomes.count ? outcomes[i] : .failed("not read")
                    let analysis = analyzer.analyze(path: chunk[i].path, kind: .python, outcome: outcome, blob: chunk[i].blob)
                    cache?.store(cacheKey(chunk[i]), analysis)
                    base[i] = FileFacts.from(analysis, migrations: migrations)
                }
            }
            lock.lock()
            for (i, r) in results.enumerated() { facts[chunk[i]] = r }
            lock.unlock()
            done += chunk.count
            progress?(done, pending.count)
            start += batch
        }
    }

    /// Facts for blobs of a git repository, read through one shared `cat-file --batch` (pipelined).
    public func ensure(_ pairs: [PathBlob], reader: GitObjectReader, limit: Int = AdoptionRunner.maxFileSize,
                       progress: ((Int, Int) -> Void)? = nil) {
        ensure(pairs, progress: progress) { chunk in
            var byID: [String: ReadOutcome] = [:]
            let ids = Array(Set(chunk.map(\.blob.hex))).sorted()
            reader.readAll(ids) { id, _, bytes in
                byID[id] = bytes.map { ReadOutcome.classify($0, limit: limit) } ?? .failed("git object \(id.prefix(7)) is missing")
            }
            return chunk.map { byID[$0.blob.hex] ?? .failed("git object cannot be read") }
        }
    }

    /// The Python files of a snapshot, with their blob ids (read and hashed where the snapshot does not
    /// know them, e.g. the working tree), analysed. Returns the snapshot's Python entries.
    public func ensure(snapshot: any Snapshot) -> [PathBlob] {
        let entries = snapshot.entries.filter { $0.kind == .python }
        var pairs: [PathBlob] = []
        var bytes: [PathBlob: ReadOutcome] = [:]
        let cache = self.cache
        for e in entries {
            // Working-tree files whose stat is unchanged since their blob id was recorded are not read.
            if let blob = e.blob ?? e.stamp.flatMap({ cache?.blob(forPath: e.path, stamp: $0) }) {
                pairs.append(PathBlob(path: e.path, blob: blob))
                continue
            }
            let outcome = snapshot.read(e)
            let blob: BlobID
            switch outcome {
            case .text(let b): blob = BlobID.of(b)
            case .binary: blob = AnalysisCache.binarySentinel
            case .tooLarge: blob = AnalysisCache.tooLargeSentinel
            case .failed: continue
            }
            let key = PathBlob(path: e.path, blob: blob)
            if let stamp = e.stamp, case .text = outcome { cache?.record(path: e.path, stamp: stamp, blob: blob) }
            pairs.append(key)
            bytes[key] = outcome
        }
        ensure(pairs) { chunk in chunk.map { bytes[$0] ?? snapshot.read($0.path) } }
        return pairs
    }

    func noteCachedPoint() {
        lock.lock(); statistics.cachedPoints += 1; lock.unlock()
    }

    func noteDistinct(_ n: Int, pointFiles: Int) {
        lock.lock(); statistics.distinctFiles += n; statistics.pointFiles += pointFiles; lock.unlock()
    }

    /// Writes the analysis cache.
    public func save() {
        lock.lock()
        let c = openedCache
        lock.unlock()
        c??.save()
    }

    /// The figures of one tree of Python files.
    public func figures(_ tree: [PathBlob], options: FigureOptions) -> PointFigures {
        let table = FigureTable(tree.map(\.path), migrations: migrations, depth: options.depth)
        return figures(tree.enumerated().map { (Int32($0.offset), $0.element.blob) }, table: table, options: options)
    }

    /// The figures of a tree of `table`'s files (made with this engine's migrations and `options.depth`).
    func figures(_ tree: [(file: Int32, blob: BlobID)], table: FigureTable, options: FigureOptions) -> PointFigures {
        let files = tree.compactMap { file -> Figures.File? in
            let path = table.files[Int(file.file)]
            return facts(PathBlob(path: path.path, blob: file.blob)).map { Figures.File(path: path, blob: file.blob, facts: $0) }
        }
        return Figures.compute(files: files, table: table, migrations: migrations, options: options)
    }
}
