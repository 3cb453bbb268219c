/// A path glob as used in `exclude`, `overrides.paths` and rule path filters.
///
/// - `*` matches within one path component, `?` one character, `[abc]`/`[!a-z]` a class,
///   `**` any number of components.
/// - A pattern without `/` matches a file or directory name anywhere (`__pycache__`, `*.pyc`).
/// - A pattern with `/` is anchored at the repository root (a leading `/` is optional).
/// - A pattern matches a path when it matches the path itself or one of its parent directories,
///   so `build/gen` and `build/gen/` exclude everything below.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    private let segments: [String]
    private let anchored: Bool
    /// The pattern's only segment as scalars, for unanchored patterns (converted once).
    private let singleSegmentScalars: [Unicode.Scalar]?

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        while p.hasSuffix("/") && p.count > 1 { p.removeLast() }
        if p.hasPrefix("./") { p.removeFirst(2) }
        anchored = p.contains("/")
        if p.hasPrefix("/") { p.removeFirst() }
        segments = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        singleSegmentScalars = !anchored && segments.count == 1 ? Array(segments[0].unicodeScalars) : nil
    }

    public var description: String { pattern }

    /// Whether `path` (repository-relative, `/`-separated) or one of its parent directories matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if anchored {
            for n in stride(from: parts.count, through: 1, by: -1) where Glob.match(segments[...], parts[0..<n]) {
                return true
            }
            return false
        }
        // Unanchored: the single segment matches any component (file or directory name).
        guard segments.count == 1 else { return false }
        return parts.contains { Glob.matchSegment(singleSegmentScalars!, Array($0.unicodeScalars)) }
    }

    /// Whether the whole path (not one of its parents) matches; for a pattern without `/`, whether the
    /// file name does.
    public func matchesWholePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return matchesWholePath(parts: parts, name: Array((parts.last ?? "").unicodeScalars))
    }

    /// The same, for a path already split into components (and its file name as scalars).
    public func matchesWholePath(parts: [String], name: [Unicode.Scalar]) -> Bool {
        if anchored { return Glob.match(segments[...], parts[...]) }
        guard let single = singleSegmentScalars else { return false }
        return Glob.matchSegment(single, name)
    }

    private static func match(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            var p = parts
            while true {
                if match(rest, p) { return true }
                if p.isEmpty { return false }
                p = p.dropFirst()
            }
        }
        guard let part = parts.first else { return false }
        return matchSegment(Array(first.unicodeScalars), Array(part.unicodeScalars))
            && match(pattern.dropFirst(), parts.dropFirst())
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
