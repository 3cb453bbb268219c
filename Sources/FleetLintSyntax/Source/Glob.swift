#if canImport(Glibc)
import Glibc
#endif

/// A path glob as used in `exclude`, `overrides.paths` and rule path filters.
///
/// - `*` matches within one path component, `?` one character, `[abc]`/`[!a-z]` a class,
///   `**` any number of components.
/// - A pattern without `/` matches a file or directory name anywhere (`__pycache__`, `*.pyc`).
/// - A pattern with `/` is anchored at the repository root (a leading `/` is optional).
/// - A pattern matches a path when it matches the path itself or one of its parent directories,
///   so `build/gen` and `build/gen/` exclude everything below.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    /// The pattern and what is worked out from it once, in one shared object: a glob is copied wherever it is read
    /// (a classifier's globs for every path of a repository), and a copy of a dozen stored arrays and strings was
    /// a retain and a release of each (nba: ~50 M instructions of the scan's 102 M).
    private let c: Compiled

    private final class Compiled: Sendable {
        let pattern: String
        let segments: [String]
        /// The segments as scalars (converted once; matching runs for every file).
        let scalarSegments: [[Unicode.Scalar]]
        let anchored: Bool
        /// The pattern's only segment as scalars, for unanchored patterns (converted once).
        let singleSegmentScalars: [Unicode.Scalar]?
        /// Cheap rejection before matching: the literal text before the first and after the last special
        /// character of a single-segment pattern, and the wildcard-free segments an anchored one needs.
        let namePrefix: [Unicode.Scalar]
        let nameSuffix: [Unicode.Scalar]
        /// The same as UTF-8 (`mayMatch`).
        let namePrefixUTF8: [UInt8]
        let nameSuffixUTF8: [UInt8]
        let literalSegments: [String]
        /// Literal byte strings every path a match needs somewhere in it (checked before splitting the path).
        let requiredBytes: [[UInt8]]
        /// Each required literal's search anchor (`ByteSearch.rarestOffset`), worked out once, not per path.
        let requiredAnchors: [Int]

        init(_ pattern: String) {
            self.pattern = pattern
            var p = pattern
            while p.hasSuffix("/") && p.count > 1 { p.removeLast() }
            if p.hasPrefix("./") { p.removeFirst(2) }
            anchored = p.contains("/")
            if p.hasPrefix("/") { p.removeFirst() }
            segments = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            scalarSegments = segments.map { Array($0.unicodeScalars) }
            singleSegmentScalars = !anchored && segments.count == 1 ? Array(segments[0].unicodeScalars) : nil
            let special: Set<Unicode.Scalar> = ["*", "?", "[", "]", "\\"]
            if let single = singleSegmentScalars {
                if let first = single.firstIndex(where: special.contains), let last = single.lastIndex(where: special.contains) {
                    namePrefix = Array(single[..<first])
                    nameSuffix = Array(single[(last + 1)...])
                } else {
                    (namePrefix, nameSuffix) = (single, [])
                }
            } else {
                (namePrefix, nameSuffix) = ([], [])
            }
            namePrefixUTF8 = Array(String(scalars: namePrefix).utf8)
            nameSuffixUTF8 = Array(String(scalars: nameSuffix).utf8)
            literalSegments = anchored ? segments.filter { !$0.unicodeScalars.contains(where: special.contains) } : []
            requiredBytes = Glob.requiredLiterals(segments)
            requiredAnchors = requiredBytes.map(ByteSearch.rarestOffset)
        }
    }

    public init(_ pattern: String) { c = Compiled(pattern) }

    public var pattern: String { c.pattern }
    private var segments: [String] { c.segments }
    private var scalarSegments: [[Unicode.Scalar]] { c.scalarSegments }
    private var anchored: Bool { c.anchored }
    private var singleSegmentScalars: [Unicode.Scalar]? { c.singleSegmentScalars }
    private var namePrefix: [Unicode.Scalar] { c.namePrefix }
    private var nameSuffix: [Unicode.Scalar] { c.nameSuffix }
    private var namePrefixUTF8: [UInt8] { c.namePrefixUTF8 }
    private var nameSuffixUTF8: [UInt8] { c.nameSuffixUTF8 }
    private var literalSegments: [String] { c.literalSegments }
    private var requiredBytes: [[UInt8]] { c.requiredBytes }
    private var requiredAnchors: [Int] { c.requiredAnchors }

    /// Globs are equal when their patterns are the same bytes: everything else is worked out from them. (`String`'s
    /// `==` would make `café` spelt with U+00E9 equal to `cafe` + U+0301, two globs that match different names.)
    public static func == (a: Glob, b: Glob) -> Bool { a.c === b.c || a.c.pattern.utf8.elementsEqual(b.c.pattern.utf8) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(c.pattern.utf8.count)
        for byte in c.pattern.utf8 { hasher.combine(byte) }
    }

    /// Literal text any path a pattern matches must contain: each wildcard-free segment whole, and the
    /// literal prefix and suffix around the wildcards of the others (shared with `DockerIgnore`).
    static func requiredLiterals(_ segments: [String]) -> [[UInt8]] {
        let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\")]
        var out: [[UInt8]] = []
        for segment in segments {
            let bytes = Array(segment.utf8)
            guard let first = bytes.firstIndex(where: special.contains), let last = bytes.lastIndex(where: special.contains) else {
                out.append(bytes)
                continue
            }
            if first > 0 { out.append(Array(bytes[..<first])) }
            if last + 1 < bytes.count { out.append(Array(bytes[(last + 1)...])) }
        }
        return out.filter { !$0.isEmpty }
    }

    /// Whether the pattern has a `/` (matched against the whole path, not only the file name).
    public var isAnchored: Bool { anchored }

    /// For a pattern without `/`: whether the file name (as scalars) matches.
    public func matchesName(_ name: [Unicode.Scalar]) -> Bool {
        guard let single = singleSegmentScalars, couldMatch(name) else { return false }
        return Glob.matchSegment(single, name)
    }

    /// Whether every required literal occurs in `path` (a byte search, no allocation): false means the
    /// pattern cannot match the path or any of its parents.
    public func hasRequiredBytes(_ path: String) -> Bool {
        guard !requiredBytes.isEmpty else { return true }
        var path = path
        return path.withUTF8 { hasRequiredBytes(in: $0) }
    }

    /// `hasRequiredBytes` over the path's UTF-8 bytes.
    public func hasRequiredBytes(in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        requiredBytes.indices.allSatisfy { k in
            requiredBytes[k].isEmpty || ByteSearch.find(requiredBytes[k], anchor: requiredAnchors[k], in: hay) != nil
        }
    }

    /// A byte-level prefilter for classifying a file: false when the pattern cannot match the file, true when it
    /// may. A pattern without `/` is checked against the name (`name`, the UTF-8 bytes of the path's last
    /// component): its literal prefix and suffix must be the name's first and last bytes (UTF-8 keeps scalar
    /// prefixes and suffixes, so this is `couldMatch` without converting the name). A pattern with `/` needs its
    /// literals somewhere in `path`.
    public func mayMatch(path: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) -> Bool {
        if anchored { return hasRequiredBytes(in: path) }
        let p = namePrefixUTF8.count, s = nameSuffixUTF8.count
        guard name.count >= p + s else { return false }
        if p + s == 0 { return true }
        guard let base = name.baseAddress else { return false }
        return namePrefixUTF8.withUnsafeBufferPointer { p == 0 || memcmp(base, $0.baseAddress!, p) == 0 }
            && nameSuffixUTF8.withUnsafeBufferPointer { s == 0 || memcmp(base + name.count - s, $0.baseAddress!, s) == 0 }
    }

    /// Whether a component could match the single-segment pattern (prefix and suffix agree).
    private func couldMatch(_ name: [Unicode.Scalar]) -> Bool {
        name.count >= namePrefix.count + nameSuffix.count && name.starts(with: namePrefix) && name.reversed().starts(with: nameSuffix.reversed())
    }

    public var description: String { pattern }

    /// Whether `path` (repository-relative, `/`-separated) or one of its parent directories matches.
    public func matches(_ path: String) -> Bool {
        guard hasRequiredBytes(path) else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if anchored {
            guard literalSegments.allSatisfy(parts.contains) else { return false }
            let scalars = parts.map { Array($0.unicodeScalars) }
            return Glob.run(scalarSegments, scalars, stopAtPrefix: true).prefix
        }
        // Unanchored: the single segment matches any component (file or directory name).
        guard segments.count == 1 else { return false }
        return parts.contains { part in
            let name = Array(part.unicodeScalars)
            return couldMatch(name) && Glob.matchSegment(singleSegmentScalars!, name)
        }
    }

    /// Whether the whole path (not one of its parents) matches; for a pattern without `/`, whether the
    /// file name does.
    public func matchesWholePath(_ path: String) -> Bool {
        guard hasRequiredBytes(path) else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return matchesWholePath(parts: parts, name: Array((parts.last ?? "").unicodeScalars))
    }

    /// The same, for a path already split into components (and its file name as scalars).
    public func matchesWholePath(parts: [String], name: [Unicode.Scalar]) -> Bool {
        if anchored {
            guard literalSegments.allSatisfy(parts.contains) else { return false }
            return Glob.run(scalarSegments, parts.map { Array($0.unicodeScalars) }, stopAtPrefix: false).whole
        }
        return matchesName(name)
    }

    static let doubleStar: [Unicode.Scalar] = ["*", "*"]

    /// Matches path components against pattern segments (`**` = any number of components) by
    /// simulating the pattern as an automaton over components: O(segments × components) segment
    /// matches, never the exponential backtracking of `**/**/…`. Returns whether some non-empty
    /// prefix of `parts` matches (a parent directory or the path itself) and whether all of it does.
    public static func run(_ pattern: [[Unicode.Scalar]], _ parts: [[Unicode.Scalar]], stopAtPrefix: Bool) -> (prefix: Bool, whole: Bool) {
        let count = pattern.count
        let isStar = pattern.map { $0 == doubleStar }
        var states = [Bool](repeating: false, count: count + 1)
        func close(_ s: inout [Bool]) {
            for i in 0..<count where s[i] && isStar[i] { s[i + 1] = true }
        }
        states[0] = true
        close(&states)
        var prefix = false
        var next = states
        for part in parts {
            for i in 0...count { next[i] = false }
            var any = false
            for i in 0..<count where states[i] {
                if isStar[i] { next[i] = true; any = true } else if matchSegment(pattern[i], part) { next[i + 1] = true; any = true }
            }
            if !any { return (prefix, false) }
            close(&next)
            swap(&states, &next)
            if states[count] {
                prefix = true
                if stopAtPrefix { return (true, false) }
            }
        }
        return (prefix, states[count])
    }

    /// fnmatch-style match of one component.
    public static func matchSegment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                if c == "*" {
                    starP = pi; starS = si; pi += 1; continue
                }
                if c == "?" { pi += 1; si += 1; continue }
                if c == "[", let (matched, next) = matchClass(p, pi, s[si]) {
                    if matched { pi = next; si += 1; continue }
                } else if c == "\\", pi + 1 < p.count {
                    if p[pi + 1] == s[si] { pi += 2; si += 1; continue }
                } else if c == s[si] {
                    pi += 1; si += 1; continue
                }
            }
            if starP >= 0 {
                pi = starP + 1; starS += 1; si = starS; continue
            }
            return false
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches `[...]` at `p[start]`; returns (matched, index after `]`) or nil when unterminated.
    private static func matchClass(_ p: [Unicode.Scalar], _ start: Int, _ ch: Unicode.Scalar) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == "!" || p[i] == "^") { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < p.count {
            if p[i] == "]" && !first { return (matched != negate, i + 1) }
            first = false
            if i + 2 < p.count && p[i + 1] == "-" && p[i + 2] != "]" {
                if p[i].value <= ch.value && ch.value <= p[i + 2].value { matched = true }
                i += 3
            } else {
                if p[i] == ch { matched = true }
                i += 1
            }
        }
        return nil
    }
}
