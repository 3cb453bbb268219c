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
    /// The directory holding the file (`""` at the root), then that directory's ancestors up to `""`: each with its
    /// name as a child of the next (`"b/"` for `a/b`).
    let ancestors: [(directory: String, name: String)]
    /// The file's name in its directory.
    let name: String
    let isTest: Bool
    /// Per migration (in the engine's order): whether its `exclude` globs match the path.
    let excluded: [Bool]
    /// The breakdown directory (`Figures.directory(of:depth:)`).
    let breakdown: String

    public init(_ path: String, migrations: [Migration], depth: Int) {
        self.path = path
        var chain: [(String, String)] = []
        var rest = Substring(path)
        var name = path
        if let slash = rest.utf8.lastIndex(of: UInt8(ascii: "/")) {
            name = String(rest[rest.utf8.index(after: slash)...])
            rest = rest[..<slash]
            while true {
                if let up = rest.utf8.lastIndex(of: UInt8(ascii: "/")) {
                    chain.append((String(rest), String(rest[rest.utf8.index(after: up)...]) + "/"))
                    rest = rest[..<up]
                } else {
                    chain.append((String(rest), String(rest) + "/"))
                    break
                }
            }
        }
        chain.append(("", ""))
        ancestors = chain
        self.name = name
        isTest = TestFiles.contains(path)
        excluded = migrations.map { m in m.exclude.contains { $0.matches(path) } }
        breakdown = Figures.directory(of: path, depth: depth)
    }
}

/// Directories that duplicate another directory by content (vendored copies): the Python files under
/// them, names and blobs, hash the same (a Merkle hash like git's trees, over Python files only). Of a
/// group of equal directories the shallowest (then the first by path) is the original.
public enum VendoredDirectories {
    static let emptyBlob = BlobID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

    /// Copy directory → the directory it duplicates.
    public static func detect(_ tree: [PathBlob]) -> [String: String] {
        detect(tree.map { (FigurePath($0.path, migrations: [], depth: 1), $0.blob) })
    }

    static func detect(_ tree: [(path: FigurePath, blob: BlobID)]) -> [String: String] {
        struct Node {
            var children: [(name: String, hash: UInt64)] = []
            var files = 0
            var nonEmpty = false
            var depth = 0
            /// The parent directory and this directory's name in it (nil for the root).
            var parent: (directory: String, name: String)?
        }
        var nodes: [String: Node] = [:]
        for (f, blob) in tree {
            nodes[f.ancestors[0].directory, default: Node()].children.append((f.name, blob.withHexBytes { StableHash.fnv1a64($0) }))
            let isEmpty = blob == emptyBlob
            for (k, a) in f.ancestors.enumerated() {
                let known = nodes[a.directory] != nil && nodes[a.directory]!.files > 0
                nodes[a.directory, default: Node()].files += 1
                if !isEmpty { nodes[a.directory]!.nonEmpty = true }
                if !known {
                    nodes[a.directory]!.depth = f.ancestors.count - 1 - k
                    nodes[a.directory]!.parent = k + 1 < f.ancestors.count ? (f.ancestors[k + 1].directory, a.name) : nil
                }
            }
        }
        let dirs = nodes.keys.sorted {
            let (a, b) = (nodes[$0]!.depth, nodes[$1]!.depth)
            return a > b || a == b && $0 < $1
        }
        var hash: [String: UInt64] = [:]
        var bytes: [UInt8] = []
        for dir in dirs {
            var entries = nodes[dir]!.children
            entries.sort { $0.name < $1.name }
            bytes.removeAll(keepingCapacity: true)
            for e in entries {
                bytes += e.name.utf8
                bytes.append(0)
                withUnsafeBytes(of: e.hash.littleEndian) { bytes += $0 }
            }
            let h = StableHash.fnv1a64(bytes)
            hash[dir] = h
            if let parent = nodes[dir]!.parent { nodes[parent.directory]!.children.append((parent.name, h)) }
        }
        var groups: [UInt64: [String]] = [:]
        for (dir, h) in hash where !dir.isEmpty && nodes[dir]!.files >= 2 && nodes[dir]!.nonEmpty {
            groups[h, default: []].append(dir)
        }
        var copies: [String: String] = [:]
        for (_, members) in groups where members.count > 1 {
            let sorted = members.sorted { nodes[$0]!.depth < nodes[$1]!.depth || nodes[$0]!.depth == nodes[$1]!.depth && $0 < $1 }
            for copy in sorted.dropFirst() { copies[copy] = sorted[0] }
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

    /// `isVendored` of a path whose ancestors are known.
    static func isVendored(_ path: FigurePath, copies: [String: String]) -> Bool {
        guard !copies.isEmpty else { return false }
        return path.ancestors.contains { !$0.directory.isEmpty && copies[$0.directory] != nil }
    }
}

enum Figures {
    enum Status { case none, legacy, adopted }

    struct File {
        let path: FigurePath
        let blob: BlobID
        let facts: FileFacts
    }

    static func compute(files: [(PathBlob, FileFacts)], migrations: [Migration], options: FigureOptions) -> ([MigrationFigures], [String: String]) {
        compute(files: files.map { File(path: FigurePath($0.0.path, migrations: migrations, depth: options.depth), blob: $0.0.blob, facts: $0.1) },
                migrations: migrations, options: options)
    }

    static func compute(files: [File], migrations: [Migration], options: FigureOptions) -> ([MigrationFigures], [String: String]) {
        let copies = VendoredDirectories.detect(files.map { ($0.path, $0.blob) })
        let vendored = files.map { VendoredDirectories.isVendored($0.path, copies: copies) }
        // Class index: full name → (file, class); originals win over vendored copies.
        var byName: [String: (file: Int, cls: Int)] = [:]
        var byLast: [String: [String]] = [:]
        // Each file's first class in one numbering of every class (the statuses' memo is flat).
        var classStart: [Int] = []
        classStart.reserveCapacity(files.count + 1)
        for (fi, file) in files.enumerated() {
            classStart.append(fi == 0 ? 0 : classStart[fi - 1] + files[fi - 1].facts.classes.count)
            for (ci, c) in file.facts.classes.enumerated() {
                if let existing = byName[c.fullName], !vendored[existing.file] || vendored[fi] { continue }
                if byName[c.fullName] == nil, let last = c.fullName.split(separator: ".").last {
                    byLast[String(last), default: []].append(c.fullName)
                }
                byName[c.fullName] = (fi, ci)
            }
        }
        let classCount = (classStart.last ?? 0) + (files.last?.facts.classes.count ?? 0)
        for k in byLast.keys { byLast[k]?.sort() }
        var resolved: [String: (file: Int, cls: Int)?] = [:]
        func resolve(_ base: String) -> (file: Int, cls: Int)? {
            if let r = resolved[base] { return r }
            var r = byName[base]
            if r == nil, let last = base.split(separator: ".").last, let candidates = byLast[String(last)] {
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
