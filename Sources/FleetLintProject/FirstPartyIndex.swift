import FleetLintCore
import FleetLintSyntax

/// Which top-level module names are first-party: a package or module at the repository root, in the
/// unit's directory, or in the importing file's directory or one of its parents (or `src/`).
public struct FirstPartyIndex: Sendable {
    public var modulesByDirectory: [String: Set<String>] = [:]
    /// Names configured as first-party (`first-party`).
    public var extra: Set<String> = []

    /// Packages (directories with `__init__.py`) anywhere in the repository: scripts often reach them
    /// through `sys.path` changes, so an import of one is first-party whatever the importing file's place.
    var packagesAnywhere: Set<String> = []
    /// Every module file and directory name in the repository.
    var namesAnywhere: Set<String> = []

    public func existsAnywhere(_ name: String) -> Bool { namesAnywhere.contains(name) }

    public init() {}

    public init(project: Project, extra: [String] = []) {
        self.extra = Set(extra)
        // Directories are shared by many paths: each directory's children are recorded once.
        var seenDirectories = Set<Substring>()
        var previous: String? = nil
        for path in project.allPaths {
            defer { previous = path }
            if addASCII(path, previous: previous, seenDirectories: &seenDirectories) { continue }
            let parts = path.asciiSplit(0x2F)
            if path.hasSuffix("/__init__.py"), parts.count >= 2 { packagesAnywhere.insert(String(parts[parts.count - 2])) }
            if let last = parts.last {
                namesAnywhere.insert(last.hasSuffix(".py") ? String(last.dropLast(3)) : String(last))
                // Slices of `path` share its indices: no character counting.
                let dir: Substring = parts.count > 1 ? path[..<path.index(before: last.startIndex)] : ""
                if last.hasSuffix(".py") || last.hasSuffix(".pyi") || last.hasSuffix(".so") {
                    modulesByDirectory[String(dir), default: []].insert(String(last.prefix { $0 != "." }))
                }
            }
            // Every directory level contributes its child directories (once per directory).
            for (i, part) in parts.dropLast().enumerated() {
                let full = path[..<part.endIndex]
                guard seenDirectories.insert(full).inserted else { continue }
                namesAnywhere.insert(String(part))
                let parent: Substring = i == 0 ? "" : path[..<path.index(before: part.startIndex)]
                modulesByDirectory[String(parent), default: []].insert(String(part))
            }
        }
    }

    /// `init`'s work for one ASCII path, on bytes (no grapheme breaking; in ASCII each byte is a Character, and
    /// `\r\n` never touches a `/` or `.`). A directory is recorded when the previous path does not lie in it
    /// (paths come sorted, so that is nearly always the answer) and the set has not seen it. False for other paths.
    /// The path's bytes are read in one pass, and the previous path's in another, with plain locals: helpers that
    /// captured a copy of the path had each access checked for exclusivity (~25 % of this on the nba tree).
    private mutating func addASCII(_ path: String, previous: String?, seenDirectories: inout Set<Substring>) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        struct Shape {
            /// Components as byte ranges (no empty ones, as `asciiSplit` cuts them).
            var parts: [Range<Int>] = []
            var isPackageInit = false, isPy = false, isModule = false
            /// Where the last component's stem ends (its first `.`, or its end).
            var stemEnd = 0
        }
        var bytes = path
        let found: Shape? = bytes.withUTF8 { buf in
            var shape = Shape()
            shape.parts.reserveCapacity(8)  // grown from empty, most paths reallocated it three or four times
            var start = 0
            for i in 0..<buf.count {
                let b = buf[i]
                if b >= 0x80 { return nil }
                if b == slash {
                    if start < i { shape.parts.append(start..<i) }
                    start = i + 1
                }
            }
            if start < buf.count { shape.parts.append(start..<buf.count) }
            guard let last = shape.parts.last else { return shape }
            func endsWith(_ end: Int, _ suffix: StaticString) -> Bool {
                let k = suffix.utf8CodeUnitCount
                return end >= k && buf.hasBytes(suffix, at: end - k)
            }
            shape.isPackageInit = shape.parts.count >= 2 && endsWith(buf.count, "/__init__.py")
            shape.isPy = endsWith(last.upperBound, ".py") && last.count >= 3
            shape.isModule = shape.isPy || (endsWith(last.upperBound, ".pyi") && last.count >= 4)
                || (endsWith(last.upperBound, ".so") && last.count >= 3)
            shape.stemEnd = (last.lowerBound..<last.upperBound).first { buf[$0] == dot } ?? last.upperBound
            return shape
        }
        guard let shape = found, !path.isEmpty else { return false }
        let parts = shape.parts
        guard let lastRange = parts.last else { return true }
        let u = path.utf8
        func index(_ offset: Int) -> String.Index { u.index(u.startIndex, offsetBy: offset) }
        if shape.isPackageInit {
            let parent = parts[parts.count - 2]
            packagesAnywhere.insert(String(path[index(parent.lowerBound)..<index(parent.upperBound)]))
        }
        let lastStart = index(lastRange.lowerBound)
        namesAnywhere.insert(String(path[lastStart..<index(shape.isPy ? lastRange.upperBound - 3 : lastRange.upperBound)]))
        if shape.isModule {
            let dir: Substring = parts.count > 1 ? path[..<index(lastRange.lowerBound - 1)] : ""
            modulesByDirectory[String(dir), default: []].insert(String(path[lastStart..<index(shape.stemEnd)]))
        }
        guard parts.count > 1 else { return true }
        // How far the previous path agrees with this one, and where its last component ends: a directory of this
        // path is one of the previous path's when that path continues it with `/` and a component.
        // Bit k: the previous path has `/` just after this path's component k (a directory path deeper than 64
        // levels is recorded without this shortcut; the set still keeps it once).
        var common = 0, previousLast = -1, previousCount = 0
        var slashAfter: UInt64 = 0
        if var p = previous {
            p.withUTF8 { pb in
                bytes.withUTF8 { buf in
                    let n = min(pb.count, buf.count)
                    while common < n, pb[common] == buf[common] { common += 1 }
                }
                previousCount = pb.count
                previousLast = (0..<pb.count).last { pb[$0] != slash } ?? -1
                for k in 0..<min(parts.count - 1, 64) where parts[k].upperBound < pb.count && pb[parts[k].upperBound] == slash {
                    slashAfter |= 1 << UInt64(k)
                }
            }
        }
        for (k, part) in parts.dropLast().enumerated() {
            let end = part.upperBound
            if previous != nil, k < 64, common >= end, end < previousCount, slashAfter & (1 << UInt64(k)) != 0, previousLast > end { continue }
            let full = path[..<index(end)]
            guard seenDirectories.insert(full).inserted else { continue }
            let name = String(path[index(part.lowerBound)..<index(end)])
            namesAnywhere.insert(name)
            let parent: Substring = k == 0 ? "" : path[..<index(part.lowerBound - 1)]
            modulesByDirectory[String(parent), default: []].insert(name)
        }
        return true
    }

    /// The directories whose modules an importing file can reach: the root, `src`, the unit's directory and
    /// the file's directory with its parents (computed once per file).
    public static func ancestors(of importingFile: String, unitDirectory: String) -> [String] {
        let candidates: [String] = ["", "src", unitDirectory]
        // An ASCII path without empty components (no leading, trailing or doubled `/`): each directory is the
        // path up to one of its `/` bytes, so one string per level (the joins below build O(depth²) strings).
        let slash = UInt8(ascii: "/")
        let sliced: [String]?? = importingFile.utf8.withContiguousStorageIfAvailable { buf -> [String]? in
            guard let first = buf.first, first != slash, buf.last != slash else { return nil }
            var previous: UInt8 = 0, levels = 0
            for b in buf {
                if b >= 0x80 || (b == slash && previous == slash) { return nil }
                if b == slash { levels += 1 }
                previous = b
            }
            var out: [String] = []
            out.reserveCapacity(candidates.count + levels)
            out.append(contentsOf: candidates)
            var end = buf.count
            while let cut = buf[..<end].lastIndex(of: slash) {
                out.append(String(decoding: UnsafeBufferPointer(rebasing: buf[..<cut]), as: UTF8.self))
                end = cut
            }
            return out
        }
        if case let found?? = sliced { return found }
        return referenceAncestors(of: importingFile, candidates: candidates)
    }

    /// `ancestors` by joining components (any path; the reference the fast path is tested against).
    static func referenceAncestors(of importingFile: String, candidates: [String]) -> [String] {
        var candidates = candidates
        var dir = importingFile.asciiSplit(0x2F).dropLast().map(String.init)
        while !dir.isEmpty {
            candidates.append(dir.joined(separator: "/"))
            dir.removeLast()
        }
        return candidates
    }

    public func isFirstParty(_ top: String, ancestors: [String]) -> Bool {
        if extra.contains(top) || packagesAnywhere.contains(top) { return true }
        return ancestors.contains { modulesByDirectory[$0]?.contains(top) == true }
    }

    public func isFirstParty(_ top: String, importingFile: String, unitDirectory: String) -> Bool {
        isFirstParty(top, ancestors: Self.ancestors(of: importingFile, unitDirectory: unitDirectory))
    }
}
