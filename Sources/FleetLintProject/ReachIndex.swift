import FleetLintCore
import FleetLintSyntax
import Foundation

/// The project's Python files as ids (indices into one table in the project's path order), and each file's
/// imports resolved to every file they could name from some directory (worked out when a walk first reaches
/// the file, then kept for the other walks).
///
/// A unit's reachability walk (one per image stage or Procfile) resolves an import of a file against an
/// ordered list of base directories: the first base `b` for which `b/<module path>.py`, else
/// `b/<module path>/__init__.py`, is one of the unit's candidate files. Building and hashing those probe
/// paths again for every unit was most of the dependency index on a large repository. Here a module path
/// is looked up by its last component among the files' names, giving the few files it can ever name, each
/// with the base directory it names it from (a directory id); a walk then only compares directory ids and
/// reads a per-unit candidate mask.
final class ReachIndex: @unchecked Sendable {
    /// A file a module path names from one base directory: `base/rel.py` or (`isPackage`) `base/rel/__init__.py`.
    struct Target: Sendable {
        var base: Int32
        var file: Int32
        var isPackage: Bool
    }

    /// One module an import statement of a file makes Python load (the module, `module.name` of a `from`
    /// import, its parent packages), with its targets, and whether it loads at start-up.
    struct Edge: Sendable {
        var targets: [Target]
        var atStartup: Bool
    }

    private let project: Project
    /// Every path ending in `.py`, in the project's path order.
    let paths: [String]
    /// Each project path's position in `paths` (-1: not a `.py` path), by its position in `Project.allPaths`: the
    /// project's path table answers the lookup (a `[String: Int32]` of its own was ~1.5 MB of the 16x tree's peak).
    private let idOfProjectPath: [Int32]
    /// Every directory that holds a `.py` file at some depth below it (`""` = the root).
    let directories: [String: Int32]
    /// Each file's directory id.
    let fileDirectory: [Int32]
    /// Each file's `/` positions (byte offsets) with the directory before each: `slashes[slashStart[i] ..< slashStart[i + 1]]`.
    private let slashes: [(offset: Int32, directory: Int32)]
    private let slashStart: [Int32]
    private let isASCII: [Bool]
    /// Files by the last component of a module path that names them: `x` for `…/x.py`; `x` for `…/x/__init__.py`.
    private let modulesByStem: [Substring: [Int32]]
    private let packagesByName: [Substring: [Int32]]
    private let stems: Set<Substring>
    /// Each file's edges once a walk has needed them.
    private var edgesOf: [[Edge]?]
    /// The target lists of each statement's target object (`ImportFact.targetIdentity`) once a file that has it was
    /// read: equal statements of different files are one object, and resolved once (nba: ~80 M instructions in
    /// `edges` resolved every statement of every file reached).
    private var targetsOfStatement: [ObjectIdentifier: [[Target]]] = [:]
    private let lock = NSLock()
    /// Walks' masks and states, as long as `paths`, all entries false and 0 (see `walk`).
    private let spares: SparePool<(mask: [Bool], state: [UInt8])>

    init(project: Project) {
        self.project = project
        var paths: [String] = []
        var idOfProjectPath = [Int32](repeating: -1, count: project.allPaths.count)
        for (k, path) in project.allPaths.enumerated() where path.utf8HasSuffix(".py") {
            idOfProjectPath[k] = Int32(truncatingIfNeeded: paths.count)
            paths.append(path)
        }

        var directories: [String: Int32] = ["": 0]
        var fileDirectory: [Int32] = []
        fileDirectory.reserveCapacity(paths.count)
        var slashes: [(offset: Int32, directory: Int32)] = []
        var slashStart: [Int32] = [0]
        var isASCII: [Bool] = []
        var modulesByStem: [Substring: [Int32]] = [:]
        var packagesByName: [Substring: [Int32]] = [:]
        func directoryId(_ d: Substring) -> Int32 {
            let key = String(d)
            if let id = directories[key] { return id }
            let id = Int32(directories.count)
            directories[key] = id
            return id
        }
        for (i, p) in paths.enumerated() {
            let file = Int32(i)
            var own: Int32 = 0
            let u = p.utf8
            var at = u.startIndex
            var offset = 0
            var previousSlash: String.Index? = nil
            while let slash = u[at...].firstIndex(of: UInt8(ascii: "/")) {
                offset += u.distance(from: at, to: slash)
                let base = directoryId(p[..<slash])
                slashes.append((Int32(truncatingIfNeeded: offset), base))
                own = base
                previousSlash = slash
                at = u.index(after: slash)
                offset += 1
            }
            slashStart.append(Int32(truncatingIfNeeded: slashes.count))
            fileDirectory.append(own)
            isASCII.append(p.isASCIIBytes)
            let name = p[at...]
            modulesByStem[name[..<u.index(name.endIndex, offsetBy: -3)], default: []].append(file)
            if name == "__init__.py", let slash = previousSlash {
                let parent = p[..<slash]
                let parentStart = parent.utf8.lastIndex(of: UInt8(ascii: "/")).map { u.index(after: $0) } ?? u.startIndex
                packagesByName[p[parentStart..<slash], default: []].append(file)
            }
        }
        self.paths = paths
        let count = paths.count
        spares = SparePool { ([Bool](repeating: false, count: count), [UInt8](repeating: 0, count: count)) }
        self.idOfProjectPath = idOfProjectPath
        self.directories = directories
        self.fileDirectory = fileDirectory
        self.slashes = slashes
        self.slashStart = slashStart
        self.isASCII = isASCII
        self.modulesByStem = modulesByStem
        self.packagesByName = packagesByName
        stems = Set(modulesByStem.keys).union(packagesByName.keys)
        edgesOf = Array(repeating: nil, count: paths.count)
    }

    /// A `.py` path's position in `paths` (nil: not one of them).
    private func id(of path: String) -> Int32? {
        guard let k = project.pathIndex(path) else { return nil }
        let id = idOfProjectPath[k]
        return id >= 0 ? id : nil
    }

    /// The base directories from which `key` (`rel.py` or `rel/__init__.py`) names file `f`: the file is the key
    /// (from the root) or ends with `/` + key. ASCII by bytes; otherwise by `String` equality at each `/`, as a
    /// table of path suffixes keyed by `String` would answer.
    private func bases(_ f: Int32, key: String, keyIsASCII: Bool) -> [Int32] {
        let p = paths[Int(f)]
        if keyIsASCII && isASCII[Int(f)] {
            let n = p.utf8.count, k = key.utf8.count
            if n == k { return p.utf8.elementsEqual(key.utf8) ? [0] : [] }
            guard n > k, p.utf8.suffix(k).elementsEqual(key.utf8) else { return [] }
            for s in slashes[Int(slashStart[Int(f)])..<Int(slashStart[Int(f) + 1])] where Int(s.offset) == n - k - 1 { return [s.directory] }
            return []
        }
        var out: [Int32] = []
        if p == key { out.append(0) }
        let u = p.utf8
        var at = u.startIndex
        while let slash = u[at...].firstIndex(of: UInt8(ascii: "/")) {
            if String(p[u.index(after: slash)...]) == key, let d = directories[String(p[..<slash])] { out.append(d) }
            at = u.index(after: slash)
        }
        return out
    }

    /// The files `module` can name, from each base directory that names them.
    func targets(of module: String) -> [Target] {
        let rel = DependencyIndexBuilder.modulePath(module)
        let last = rel.utf8.lastIndex(of: UInt8(ascii: "/")).map { rel[rel.utf8.index(after: $0)...] } ?? rel[...]
        let keyIsASCII = rel.utf8.allSatisfy { $0 < 0x80 }
        var out: [Target] = []
        if let files = modulesByStem[last] {
            let key = rel + ".py"
            for f in files { for b in bases(f, key: key, keyIsASCII: keyIsASCII) { out.append(Target(base: b, file: f, isPackage: false)) } }
        }
        if let files = packagesByName[last] {
            let key = rel + "/__init__.py"
            for f in files { for b in bases(f, key: key, keyIsASCII: keyIsASCII) { out.append(Target(base: b, file: f, isPackage: true)) } }
        }
        return out
    }

    /// The modules the imports of file `f` make Python load that name some file, as the walk by path strings
    /// lists them (worked out once; a file without Python facts has none).
    func edges(_ f: Int) -> [Edge] {
        lock.lock()
        if let known = edgesOf[f] { lock.unlock(); return known }
        lock.unlock()
        var out: [Edge] = []
        if let python = project.file(paths[f])?.python {
            for record in python.imports {
                let atStartup = record.context != "function"
                let id = record.targetIdentity
                lock.lock()
                let known = targetsOfStatement[id]
                lock.unlock()
                let lists = known ?? {
                    let computed = Self.targetLists(record, index: self)
                    lock.lock()
                    targetsOfStatement[id] = computed
                    lock.unlock()
                    return computed
                }()
                for t in lists { out.append(Edge(targets: t, atStartup: atStartup)) }
            }
        }
        lock.lock()
        edgesOf[f] = out
        lock.unlock()
        return out
    }

    /// The targets of each module a statement makes Python load that names some file (the module, its dotted
    /// prefixes, `module.name` of a `from` import), in the order `edges` lists them; nothing here depends on the
    /// importing file.
    private static func targetLists(_ record: ImportFact, index: ReachIndex) -> [[Target]] {
        var out: [[Target]] = []
        func add(_ m: String) {
            guard !m.isEmpty else { return }
            let t = index.targets(of: m)
            if !t.isEmpty { out.append(t) }
        }
        // A module names a file only when its last component is a file's stem: most imports (the
        // standard library, third-party packages) are ruled out here without building a string.
        let module = record.module
        if !module.utf8.allSatisfy({ $0 < 0x80 })
            || module.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).contains(where: { index.stems.contains(Substring($0)) }) {
            add(module)
            for prefix in DependencyIndexBuilder.dottedPrefixes(module) { add(prefix) }
        }
        if record.isFrom {
            for n in record.names {
                let name = n.name
                let last = name.utf8.lastIndex(of: UInt8(ascii: ".")).map { name[name.utf8.index(after: $0)...] } ?? name[...]
                if index.stems.contains(last) { add(module + "." + name) }
            }
        }
        return out
    }

    /// What one walk found, as path strings.
    struct Walk {
        var reached: [String]
        var startup: Set<String>
        var visited: [String]
    }

    /// The walk from `roots` (candidate paths) over the candidate files, resolving each import of a file
    /// against `leading` (the walk's bases, then its context), the file's own directory, then `trailing`
    /// (the Dockerfile's directory, the root). Nil when a root or candidate is not a `.py` path of the
    /// project (the caller then walks by strings).
    func walk(roots: [String], candidates: Set<String>, leading: [String], trailing: [String]) -> Walk? {
        // The candidate mask and the walk's states are as long as `paths`, taken from the spares and handed back with
        // only the entries this walk set cleared (`setMask`, `touched`). Allocated, zeroed and scanned whole by every
        // walk, they made the walks grow with units × Python files: the 16x tree's 1,600 walks each went through
        // 2 × 33,603 entries to reach a service's ~20 files.
        var (mask, state) = spares.take()
        var setMask: [Int32] = []
        var touched: [Int32] = []
        defer {
            for i in setMask { mask[Int(i)] = false }
            for i in touched { state[Int(i)] = 0 }
            spares.giveBack((mask, state))
        }
        for c in candidates {
            guard let id = id(of: c) else { return nil }
            if !mask[Int(id)] { mask[Int(id)] = true; setMask.append(id) }
        }
        var queue: [Int32] = []
        for r in roots {
            guard let id = id(of: r) else { return nil }
            queue.append(id)
        }
        let lead = leading.map { directories[$0] ?? -1 }
        let trail = trailing.map { directories[$0] ?? -1 }
        /// The position of `base` in the search order from a file in directory `dir` (nil: not searched).
        func rank(_ base: Int32, dir: Int32) -> Int? {
            if let k = lead.firstIndex(of: base) { return k }
            if base == dir { return lead.count }
            return trail.firstIndex(of: base).map { lead.count + 1 + $0 }
        }
        func resolve(_ edge: Edge, dir: Int32) -> Int32? {
            var best: Int32? = nil, bestRank = Int.max, bestIsPackage = true
            for t in edge.targets where mask[Int(t.file)] {
                guard let r = rank(t.base, dir: dir) else { continue }
                // The earliest base wins; from one base, `rel.py` before `rel/__init__.py`.
                if r < bestRank || (r == bestRank && bestIsPackage && !t.isPackage) {
                    best = t.file
                    bestRank = r
                    bestIsPackage = t.isPackage
                }
            }
            return best
        }
        // 1: seen, 2: reached at start-up, 4: its imports were read. An entry is added to `touched` as it first changes.
        for q in queue {
            if state[Int(q)] == 0 { touched.append(q) }
            state[Int(q)] |= 3
        }
        var work = queue.map { ($0, true) }
        while let (file, atStartup) = work.popLast() {
            let f = Int(file)
            state[f] |= 4
            let dir = fileDirectory[f]
            for e in edges(f) {
                guard let target = resolve(e, dir: dir) else { continue }
                let t = Int(target)
                let reachedAtStartup = atStartup && e.atStartup
                if state[t] & 1 == 0 {
                    if state[t] == 0 { touched.append(target) }
                    state[t] |= reachedAtStartup ? 3 : 1
                    work.append((target, reachedAtStartup))
                } else if reachedAtStartup, state[t] & 2 == 0 {
                    state[t] |= 2
                    work.append((target, true))
                }
            }
        }
        var result = Walk(reached: [], startup: [], visited: [])
        // In path order, as a scan of every entry gave them.
        touched.sort()
        for t in touched {
            let i = Int(t), s = state[i]
            if s & 1 != 0 { result.reached.append(paths[i]) }
            if s & 2 != 0 { result.startup.insert(paths[i]) }
            if s & 4 != 0 { result.visited.append(paths[i]) }
        }
        return result
    }
}

/// The reach index of one dependency index build, made by the first walk that needs it (walks run in
/// parallel; the others wait for it).
final class ReachIndexSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var index: ReachIndex?

    func get(_ project: Project) -> ReachIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index { return index }
        let built = ReachIndex(project: project)
        index = built
        return built
    }
}
