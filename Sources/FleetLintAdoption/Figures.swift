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

/// Directories that duplicate another directory by content (vendored copies): the Python files under
/// them, names and blobs, hash the same (a Merkle hash like git's trees, over Python files only). Of a
/// group of equal directories the shallowest (then the first by path) is the original.
public enum VendoredDirectories {
    static let emptyBlob = BlobID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")

    /// Copy directory → the directory it duplicates.
    public static func detect(_ tree: [PathBlob]) -> [String: String] {
        var children: [String: [(name: String, hash: UInt64)]] = [:]
        var fileCount: [String: Int] = [:]
        var nonEmpty: [String: Bool] = [:]
        for f in tree {
            var dir = f.path
            var name = f.path
            if let slash = f.path.lastIndex(of: "/") {
                dir = String(f.path[..<slash])
                name = String(f.path[f.path.index(after: slash)...])
            } else {
                dir = ""
            }
            children[dir, default: []].append((name, f.blob.withHexBytes { StableHash.fnv1a64($0) }))
            let isEmpty = f.blob == emptyBlob
            var d: String? = dir
            while let cur = d {
                fileCount[cur, default: 0] += 1
                if !isEmpty { nonEmpty[cur] = true }
                d = cur.isEmpty ? nil : (cur.lastIndex(of: "/").map { String(cur[..<$0]) } ?? "")
            }
        }
        // Every ancestor directory exists as a node.
        for dir in Array(fileCount.keys) where children[dir] == nil { children[dir] = [] }
        let dirs = fileCount.keys.sorted { depth($0) > depth($1) || depth($0) == depth($1) && $0 < $1 }
        var hash: [String: UInt64] = [:]
        for dir in dirs {
            var entries = children[dir] ?? []
            entries.sort { $0.name < $1.name }
            var bytes: [UInt8] = []
            for e in entries {
                bytes += Array(e.name.utf8)
                bytes.append(0)
                withUnsafeBytes(of: e.hash.littleEndian) { bytes += $0 }
            }
            let h = StableHash.fnv1a64(bytes)
            hash[dir] = h
            if !dir.isEmpty {
                let parent = dir.lastIndex(of: "/").map { String(dir[..<$0]) } ?? ""
                let name = dir.lastIndex(of: "/").map { String(dir[dir.index(after: $0)...]) } ?? dir
                children[parent, default: []].append((name + "/", h))
            }
        }
        var groups: [UInt64: [String]] = [:]
        for (dir, h) in hash where !dir.isEmpty && (fileCount[dir] ?? 0) >= 2 && nonEmpty[dir] == true {
            groups[h, default: []].append(dir)
        }
        var copies: [String: String] = [:]
        for (_, members) in groups where members.count > 1 {
            let sorted = members.sorted { depth($0) < depth($1) || depth($0) == depth($1) && $0 < $1 }
            for copy in sorted.dropFirst() { copies[copy] = sorted[0] }
        }
        return copies
    }

    static func depth(_ dir: String) -> Int { dir.isEmpty ? 0 : dir.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }

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

    static func compute(files: [(PathBlob, FileFacts)], migrations: [Migration], options: FigureOptions) -> ([MigrationFigures], [String: String]) {
        let copies = VendoredDirectories.detect(files.map(\.0))
        let vendored = files.map { VendoredDirectories.isVendored($0.0.path, copies: copies) }
        let tests = files.map { TestFiles.contains($0.0.path) }
        // Class index: full name → (file, class); originals win over vendored copies.
        var byName: [String: (file: Int, cls: Int)] = [:]
        var byLast: [String: [String]] = [:]
        for (fi, (_, facts)) in files.enumerated() {
            for (ci, c) in facts.classes.enumerated() {
                if let existing = byName[c.fullName], !vendored[existing.file] || vendored[fi] { continue }
                if byName[c.fullName] == nil, let last = c.fullName.split(separator: ".").last {
                    byLast[String(last), default: []].append(c.fullName)
                }
                byName[c.fullName] = (fi, ci)
            }
        }
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
            var memo: [Int: [Int: Status]] = [:]
            var visiting = Set<[Int]>()
            func status(_ fi: Int, _ ci: Int) -> Status {
                if let s = memo[fi]?[ci] { return s }
                let sites = files[fi].1.sites[mi]
                var s: Status = .none
                if sites.legacyClasses.contains(ci) {
                    s = .legacy
                } else if sites.adoptedClasses.contains(ci) {
                    s = .adopted
                } else if visiting.insert([fi, ci]).inserted {
                    var inherited: [Status] = []
                    for b in files[fi].1.classes[ci].bases {
                        if let (bf, bc) = resolve(b), !(bf == fi && bc == ci) { inherited.append(status(bf, bc)) }
                    }
                    visiting.remove([fi, ci])
                    s = inherited.contains(.adopted) ? .adopted : inherited.contains(.legacy) ? .legacy : .none
                }
                memo[fi, default: [:]][ci] = s
                return s
            }
            var f = MigrationFigures(
                id: m.id, description: m.description, legacy: SiteCount(), adopted: SiteCount(), mixedFiles: 0,
                percent: nil, filePercent: nil, effectivePercent: nil, effective: EffectiveFigures(),
                tests: ApartFigures(), vendored: ApartFigures(), directories: [], remaining: [])
            var dirs: [String: DirectoryFigures] = [:]
            var migrated = 0, withSites = 0
            for (fi, (key, facts)) in files.enumerated() {
                if m.exclude.contains(where: { $0.matches(key.path) }) { continue }
                let s = facts.sites[mi]
                func add(_ apart: inout ApartFigures) {
                    apart.legacy.calls += s.legacy
                    apart.adopted.calls += s.adopted
                    if s.legacy > 0 { apart.legacy.files += 1 }
                    if s.adopted > 0 { apart.adopted.files += 1 }
                }
                if vendored[fi] { add(&f.vendored); continue }
                if tests[fi] {
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
                if s.legacy > 0 { f.remaining.append(RemainingFile(path: key.path, legacy: s.legacy, adopted: s.adopted)) }
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
                    let dir = directory(of: key.path, depth: options.depth)
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
