import FleetLintCore
import FleetLintSyntax
import Foundation

/// How figures are broken down.
public struct FigureOptions: Sendable, Hashable {
    /// Directory breakdown depth (path components of the file's directory).
    public var depth = 2
    /// Count test files with the rest instead of apart.
    public var includeTests = false
    public init(depth: Int = 2, includeTests: Bool = false) {
        self.depth = depth
        self.includeTests = includeTests
    }
}

public struct SiteCount: Codable, Sendable, Equatable {
    public var calls = 0
    public var files = 0
    public init(calls: Int = 0, files: Int = 0) {
        self.calls = calls
        self.files = files
    }
}

/// Sites counted apart from the figures (test files, vendored copies).
public struct ApartFigures: Codable, Sendable, Equatable {
    public var legacy = SiteCount()
    public var adopted = SiteCount()
}

public struct DirectoryFigures: Codable, Sendable, Equatable {
    public var path: String
    public var legacy: SiteCount
    public var adopted: SiteCount
    public var percent: Double?
}

public struct RemainingFile: Codable, Sendable, Equatable {
    public var path: String
    public var legacy: Int
    public var adopted: Int
    public init(path: String, legacy: Int, adopted: Int) {
        self.path = path
        self.legacy = legacy
        self.adopted = adopted
    }
}

/// Effective adoption: files credited through inheritance.
public struct EffectiveFigures: Codable, Sendable, Equatable {
    /// Files with sites, plus files whose classes inherit (in the repository) from a class with sites.
    public var files = 0
    /// Of those, adopted: own adopted sites and no legacy ones, or classes whose bases adopted.
    public var adoptedFiles = 0
    /// Adopted files with no site of their own (credit through a base class).
    public var inheritedFiles = 0
}

/// The figures of one migration at one point.
public struct MigrationFigures: Codable, Sendable, Equatable {
    public var id: String
    public var description: String
    public var legacy: SiteCount
    public var adopted: SiteCount
    /// Files with both legacy and adopted sites.
    public var mixedFiles: Int
    /// adopted / (adopted + legacy) call sites, in percent (one decimal); nil with no sites.
    public var percent: Double?
    /// Files with adopted sites and no legacy ones / files with any site.
    public var filePercent: Double?
    /// Effective adopted files / effective files.
    public var effectivePercent: Double?
    public var effective: EffectiveFigures
    public var tests: ApartFigures
    public var vendored: ApartFigures
    public var directories: [DirectoryFigures]
    /// Files with legacy sites, most first.
    public var remaining: [RemainingFile]
}

/// Percent with one decimal, nil when there is nothing to count.
func percent(_ part: Int, of whole: Int) -> Double? {
    guard whole > 0 else { return nil }
    return (Double(part) * 1000 / Double(whole)).rounded() / 10
}

/// What the figures need of a path besides its content, worked out once: a history meets the same paths at
/// thousands of points, and splitting, matching and hashing them again at each was most of its time.
public final class FigurePath: Sendable {
    public let path: String
    let isTest: Bool
    /// Per migration (in the engine's order): whether its `exclude` globs match the path.
    let excluded: [Bool]
    /// The breakdown directory (`Figures.directory(of:depth:)`).
    let breakdown: String
    /// The file's number in its `FigureTable`.
    let id: Int32

    init(_ path: String, id: Int32, migrations: [Migration], depth: Int) {
        self.path = path
        self.id = id
        isTest = TestFiles.contains(path)
        excluded = migrations.map { m in m.exclude.contains { $0.matches(path) } }
        breakdown = Figures.directory(of: path, depth: depth)
    }
}

/// A set of paths with their directories as numbers: `VendoredDirectories.detect` runs at every point of a history,
/// and hashing and comparing the same directory strings there again was a quarter of its time.
final class FigureTable: Sendable {
    let files: [FigurePath]
    /// Per file: its directory, its name's bytes and the name's rank among every name (`String` order).
    let fileDirectory: [Int32]
    let fileName: [[UInt8]]
    let fileNameRank: [Int32]
    /// Per directory: its path, parent (-1: the root), depth (the root 0), and its name in the parent (`b/` for `a/b`)
    /// with that name's rank.
    let directories: [String]
    let parent: [Int32]
    let depth: [Int32]
    let name: [[UInt8]]
    let nameRank: [Int32]
    /// Each directory's rank by depth, then path (of a group of equal directories the first is the original).
    let originalRank: [Int32]
    /// Directories deepest first (the order their hashes are computed in).
    let deepestFirst: [Int32]

    init(_ paths: [String], migrations: [Migration], depth breakdownDepth: Int) {
        files = paths.enumerated().map { FigurePath($0.element, id: Int32($0.offset), migrations: migrations, depth: breakdownDepth) }
        var ids: [String: Int32] = ["": 0]
        var directories = [""], parent: [Int32] = [-1], depth: [Int32] = [0], dirNames: [String] = [""]
        /// The id of directory `dir` (a prefix of a path), made with its ancestors when new.
        func directory(_ dir: Substring) -> Int32 {
            if let id = ids[String(dir)] { return id }
            let up: Int32
            let name: String
            if let slash = dir.utf8.lastIndex(of: UInt8(ascii: "/")) {
                up = directory(dir[..<slash])
                name = String(dir[dir.utf8.index(after: slash)...]) + "/"
            } else {
                up = 0
                name = String(dir) + "/"
            }
            let id = Int32(directories.count)
            ids[String(dir)] = id
            directories.append(String(dir))
            parent.append(up)
            depth.append(depth[Int(up)] + 1)
            dirNames.append(name)
            return id
        }
        var fileDirectory: [Int32] = [], fileNames: [String] = []
        for p in paths {
            if let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) {
                fileDirectory.append(directory(p[..<slash]))
                fileNames.append(String(p[p.utf8.index(after: slash)...]))
            } else {
                fileDirectory.append(0)
                fileNames.append(p)
            }
        }
        let allNames = Array(Set(fileNames + dirNames)).sorted()
        var rankOf: [String: Int32] = [:]
        for (r, n) in allNames.enumerated() { rankOf[n] = Int32(r) }
        self.fileDirectory = fileDirectory
        fileName = fileNames.map { Array($0.utf8) }
        fileNameRank = fileNames.map { rankOf[$0]! }
        self.directories = directories
        self.parent = parent
        self.depth = depth
        name = dirNames.map { Array($0.utf8) }
        nameRank = dirNames.map { rankOf[$0]! }
        let byDepthThenPath = directories.indices.sorted { depth[$0] != depth[$1] ? depth[$0] < depth[$1] : directories[$0] < directories[$1] }
        var originalRank = [Int32](repeating: 0, count: directories.count)
        for (r, d) in byDepthThenPath.enumerated() { originalRank[d] = Int32(r) }
        self.originalRank = originalRank
        deepestFirst = byDepthThenPath.reversed().map(Int32.init)
    }
}

/// Directories that duplicate another directory by content (vendored copies): the Python files under
/// them, names and blobs, hash the same (a Merkle hash like git's trees, over Python files only). Of a
/// group of equal directories the shallowest (then the first by path) is the original.
public enum VendoredDirectories {
    static let emptyBlob = BlobID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

    /// Copy directory → the directory it duplicates.
    public static func detect(_ tree: [PathBlob]) -> [String: String] {
        let table = FigureTable(tree.map(\.path), migrations: [], depth: 1)
        return detect(table, tree.enumerated().map { (Int32($0.offset), $0.element.blob) })
    }

    /// `detect` of the table's files present with these blobs.
    static func detect(_ table: FigureTable, _ tree: [(file: Int32, blob: BlobID)]) -> [String: String] {
        let count = table.directories.count
        var children = [[(rank: Int32, name: [UInt8], hash: UInt64)]](repeating: [], count: count)
        var files = [Int32](repeating: 0, count: count)
        var nonEmpty = [Bool](repeating: false, count: count)
        for (f, blob) in tree {
            let dir = Int(table.fileDirectory[Int(f)])
            children[dir].append((table.fileNameRank[Int(f)], table.fileName[Int(f)], blob.withHexBytes { StableHash.fnv1a64($0) }))
            let isEmpty = blob == emptyBlob
            var d = Int32(dir)
            while d >= 0 {
                files[Int(d)] += 1
                if !isEmpty { nonEmpty[Int(d)] = true }
                d = table.parent[Int(d)]
            }
        }
        var hash = [UInt64?](repeating: nil, count: count)
        var bytes: [UInt8] = []
        for d in table.deepestFirst where files[Int(d)] > 0 {
            var entries = children[Int(d)]
            entries.sort { $0.rank < $1.rank }
            bytes.removeAll(keepingCapacity: true)
            for e in entries {
                bytes += e.name
                bytes.append(0)
                withUnsafeBytes(of: e.hash.littleEndian) { bytes += $0 }
            }
            let h = StableHash.fnv1a64(bytes)
            hash[Int(d)] = h
            let up = table.parent[Int(d)]
            if up >= 0 { children[Int(up)].append((table.nameRank[Int(d)], table.name[Int(d)], h)) }
        }
        var groups: [UInt64: [Int32]] = [:]
        for d in 1..<max(1, count) where files[d] >= 2 && nonEmpty[d] {
            if let h = hash[d] { groups[h, default: []].append(Int32(d)) }
        }
        var copies: [String: String] = [:]
        for (_, members) in groups where members.count > 1 {
            let sorted = members.sorted { table.originalRank[Int($0)] < table.originalRank[Int($1)] }
            for copy in sorted.dropFirst() { copies[table.directories[Int(copy)]] = table.directories[Int(sorted[0])] }
        }
        return copies
    }

    /// Whether `path` lies under one of the copies.
    public static func isVendored(_ path: String, copies: [String: String]) -> Bool {
        guard !copies.isEmpty else { return false }
        var cur = Substring(path)
        while let slash = cur.lastIndex(of: "/") {
            cur = cur[..<slash]
            if copies[String(cur)] != nil { return true }
        }
        return false
    }
}

enum Figures {
    enum Status { case none, legacy, adopted }

    struct File {
        let path: FigurePath
        let blob: BlobID
        let facts: FileFacts
    }

    /// The figures of `files`, whose paths are `table`'s.
    static func compute(files: [File], table: FigureTable, migrations: [Migration], options: FigureOptions) -> ([MigrationFigures], [String: String]) {
        let copies = VendoredDirectories.detect(table, files.map { ($0.path.id, $0.blob) })
        // A file is vendored when one of its directories is a copy.
        var copyDirectory = [Bool](repeating: false, count: copies.isEmpty ? 0 : table.directories.count)
        if !copies.isEmpty { for (d, dir) in table.directories.enumerated() where copies[dir] != nil { copyDirectory[d] = true } }
        let vendored = files.map { file -> Bool in
            guard !copies.isEmpty else { return false }
            var d = table.fileDirectory[Int(file.path.id)]
            while d > 0 {
                if copyDirectory[Int(d)] { return true }
                d = table.parent[Int(d)]
            }
            return false
        }
        // Class index: full name → (file, class); originals win over vendored copies.
        var byName: [String: (file: Int, cls: Int)] = [:]
        byName.reserveCapacity(files.reduce(0) { $0 + $1.facts.classes.count })
        var byLast: [String: [String]] = [:]
        // Each file's first class in one numbering of every class (the statuses' memo is flat).
        var classStart: [Int] = []
        classStart.reserveCapacity(files.count + 1)
        for (fi, file) in files.enumerated() {
            classStart.append(fi == 0 ? 0 : classStart[fi - 1] + files[fi - 1].facts.classes.count)
            for (ci, c) in file.facts.classes.enumerated() {
                if let existing = byName[c.fullName], !vendored[existing.file] || vendored[fi] { continue }
                if byName[c.fullName] == nil { byLast[c.lastName, default: []].append(c.fullName) }
                byName[c.fullName] = (fi, ci)
            }
        }
        let classCount = (classStart.last ?? 0) + (files.last?.facts.classes.count ?? 0)
        for k in byLast.keys { byLast[k]?.sort() }
        var resolved: [String: (file: Int, cls: Int)?] = [:]
        func resolve(_ base: String) -> (file: Int, cls: Int)? {
            if let r = resolved[base] { return r }
            var r = byName[base]
            if r == nil, let candidates = byLast[FileFacts.ClassInfo.lastComponent(base)] {
                // Source roots below the repository root: `shared.base.Base` is `services/shared/base.py`'s class.
                let matching = candidates.filter { $0.hasSuffix("." + base) || base.hasSuffix("." + $0) }
                if let best = matching.max(by: { commonSuffix($0, base) < commonSuffix($1, base) }) { r = byName[best] }
            }
            resolved[base] = r
            return r
        }

        var result: [MigrationFigures] = []
        for (mi, m) in migrations.enumerated() {
            // Per class (numbered by `classStart`): its status once known, and whether a walk is inside it.
            var memo = [Status?](repeating: nil, count: classCount)
            var visiting = [Bool](repeating: false, count: classCount)
            func status(_ fi: Int, _ ci: Int) -> Status {
                let n = classStart[fi] + ci
                if let s = memo[n] { return s }
                let sites = files[fi].facts.sites[mi]
                var s: Status = .none
                if sites.legacyClasses.contains(ci) {
                    s = .legacy
                } else if sites.adoptedClasses.contains(ci) {
                    s = .adopted
                } else if !visiting[n] {
                    visiting[n] = true
                    var inherited: [Status] = []
                    for b in files[fi].facts.classes[ci].bases {
                        if let (bf, bc) = resolve(b), !(bf == fi && bc == ci) { inherited.append(status(bf, bc)) }
                    }
                    visiting[n] = false
                    s = inherited.contains(.adopted) ? .adopted : inherited.contains(.legacy) ? .legacy : .none
                }
                memo[n] = s
                return s
            }
            var f = MigrationFigures(
                id: m.id, description: m.description, legacy: SiteCount(), adopted: SiteCount(), mixedFiles: 0,
                percent: nil, filePercent: nil, effectivePercent: nil, effective: EffectiveFigures(),
                tests: ApartFigures(), vendored: ApartFigures(), directories: [], remaining: [])
            var dirs: [String: DirectoryFigures] = [:]
            var migrated = 0, withSites = 0
            for (fi, file) in files.enumerated() {
                if file.path.excluded[mi] { continue }
                let facts = file.facts
                let s = facts.sites[mi]
                func add(_ apart: inout ApartFigures) {
                    apart.legacy.calls += s.legacy
                    apart.adopted.calls += s.adopted
                    if s.legacy > 0 { apart.legacy.files += 1 }
                    if s.adopted > 0 { apart.adopted.files += 1 }
                }
                if vendored[fi] { add(&f.vendored); continue }
                if file.path.isTest {
                    add(&f.tests)
                    if !options.includeTests { continue }
                }
                f.legacy.calls += s.legacy
                f.adopted.calls += s.adopted
                if s.legacy > 0 { f.legacy.files += 1 }
                if s.adopted > 0 { f.adopted.files += 1 }
                if s.legacy > 0 && s.adopted > 0 { f.mixedFiles += 1 }
                if s.legacy > 0 || s.adopted > 0 { withSites += 1 }
                if s.adopted > 0 && s.legacy == 0 { migrated += 1 }
                if s.legacy > 0 { f.remaining.append(RemainingFile(path: file.path.path, legacy: s.legacy, adopted: s.adopted)) }
                // Effective: own sites decide; otherwise the classes' inherited status.
                if s.legacy > 0 {
                    f.effective.files += 1
                } else if s.adopted > 0 {
                    f.effective.files += 1
                    f.effective.adoptedFiles += 1
                } else {
                    let statuses = facts.classes.indices.map { status(fi, $0) }
                    if statuses.contains(.legacy) {
                        f.effective.files += 1
                    } else if statuses.contains(.adopted) {
                        f.effective.files += 1
                        f.effective.adoptedFiles += 1
                        f.effective.inheritedFiles += 1
                    }
                }
                if s.legacy > 0 || s.adopted > 0 {
                    let dir = file.path.breakdown
                    var d = dirs[dir] ?? DirectoryFigures(path: dir, legacy: SiteCount(), adopted: SiteCount(), percent: nil)
                    d.legacy.calls += s.legacy
                    d.adopted.calls += s.adopted
                    if s.legacy > 0 { d.legacy.files += 1 }
                    if s.adopted > 0 { d.adopted.files += 1 }
                    dirs[dir] = d
                }
            }
            f.percent = percent(f.adopted.calls, of: f.adopted.calls + f.legacy.calls)
            f.filePercent = percent(migrated, of: withSites)
            f.effectivePercent = percent(f.effective.adoptedFiles, of: f.effective.files)
            f.directories = dirs.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }.map { d in
                var d = d
                d.percent = percent(d.adopted.calls, of: d.adopted.calls + d.legacy.calls)
                return d
            }
            f.remaining.sort { $0.legacy != $1.legacy ? $0.legacy > $1.legacy : $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            result.append(f)
        }
        // The outermost copies only (their subdirectories are copies too).
        let outermost = copies.filter { !VendoredDirectories.isVendored($0.key, copies: copies) }
        return (result, outermost)
    }

    static func commonSuffix(_ a: String, _ b: String) -> Int {
        zip(a.utf8.reversed(), b.utf8.reversed()).prefix { $0 == $1 }.count
    }

    /// The first `depth` components of the file's directory (`.` for files at the root).
    static func directory(of path: String, depth: Int) -> String {
        let parts = path.split(separator: "/").dropLast()
        if parts.isEmpty { return "." }
        return parts.prefix(max(1, depth)).joined(separator: "/")
    }
}
