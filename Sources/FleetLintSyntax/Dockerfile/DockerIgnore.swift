// .dockerignore matching with Docker's semantics (moby/patternmatcher): `*`, `?`, `[…]`, `**`,
// `!` exceptions, leading `/` ignored, a pattern also excludes everything under a matching directory,
// the last matching pattern wins. https://docs.docker.com/build/concepts/context/#dockerignore-files

import Foundation

/// Parsed `.dockerignore` patterns.
public struct DockerIgnore: Hashable, Sendable {
    /// One pattern line.
    public struct Pattern: Hashable, Sendable {
        public var text: String
        public var isException: Bool
        var segments: [String]
        /// The segments as scalars, converted once (matching runs for every file of the context).
        var scalarSegments: [[Unicode.Scalar]]
    }

    public var patterns: [Pattern]

    public init(_ text: String) {
        var ps: [Pattern] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var exception = false
            if line.hasPrefix("!") {
                exception = true
                line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
            }
            let cleaned = DockerPath.clean(line)
            let rel = cleaned.hasPrefix("/") ? String(cleaned.dropFirst()) : cleaned
            if rel.isEmpty || rel == "." { continue }
            let segments = rel.split(separator: "/").map(String.init)
            ps.append(Pattern(text: rel, isException: exception, segments: segments, scalarSegments: segments.map { Array($0.unicodeScalars) }))
        }
        patterns = ps
    }

    /// Whether a context-relative path (`svc/app.py`) is excluded from the build context.
    public func isExcluded(_ path: String) -> Bool {
        if patterns.isEmpty { return false }
        let segs = DockerPath.clean(path).split(separator: "/").map { Array($0.unicodeScalars) }
        var excluded = false
        for p in patterns {
            // The pattern matches the path or one of its parent directories.
            var matched = false
            for k in stride(from: segs.count, to: 0, by: -1) where Self.match(p.scalarSegments[...], segs[0..<k]) {
                matched = true
                break
            }
            if matched { excluded = !p.isException }
        }
        return excluded
    }

    /// The context-relative paths of `paths` that are excluded, matched in one pass: each directory's
    /// verdicts (which patterns match it or a parent) are computed once and shared by everything under
    /// it, so a file costs one match per pattern instead of one per pattern and parent directory.
    public func excluded<S: Sequence<String>>(_ paths: S) -> Set<String> {
        var out = Set<String>()
        if patterns.isEmpty { return out }
        // Directory (context-relative, "" = root) → for each pattern, whether it matches the directory or a parent.
        var byDirectory: [Substring: [Bool]] = ["": Array(repeating: false, count: patterns.count)]
        func verdicts(_ dir: Substring) -> [Bool] {
            if let v = byDirectory[dir] { return v }
            let parent: Substring = dir.lastIndex(of: "/").map { dir[..<$0] } ?? ""
            var v = verdicts(parent)
            let segs = dir.split(separator: "/").map { Array($0.unicodeScalars) }
            for (i, p) in patterns.enumerated() where !v[i] && (p.scalarSegments.count == segs.count || p.scalarSegments.contains(Self.doubleStar))
                && Self.match(p.scalarSegments[...], segs[...]) { v[i] = true }
            byDirectory[dir] = v
            return v
        }
        // Without `**` a pattern matches only paths of exactly its number of segments.
        let hasDoubleStar = patterns.map { $0.scalarSegments.contains(Self.doubleStar) }
        for path in paths {
            let cleaned = path.hasPrefix("./") || path.contains("//") ? DockerPath.clean(path) : path
            let dir: Substring = cleaned.lastIndex(of: "/").map { cleaned[..<$0] } ?? ""
            let inherited = verdicts(dir)
            let depth = cleaned.utf8.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }
            var segs: [[Unicode.Scalar]]? = nil
            var excluded = false
            for (i, p) in patterns.enumerated() {
                var matched = inherited[i]
                if !matched && (hasDoubleStar[i] || p.scalarSegments.count == depth) {
                    if segs == nil { segs = cleaned.split(separator: "/").map { Array($0.unicodeScalars) } }
                    matched = Self.match(p.scalarSegments[...], segs![...])
                }
                if matched { excluded = !p.isException }
            }
            if excluded { out.insert(path) }
        }
        return out
    }

    static let doubleStar: [Unicode.Scalar] = ["*", "*"]

    static func match(_ pat: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = pat.first else { return path.isEmpty }
        if first == doubleStar {
            var rest = path
            while true {
                if match(pat.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        }
        guard let seg = path.first, fnmatch(first, seg) else { return false }
        return match(pat.dropFirst(), path.dropFirst())
    }

    /// Shell-style match of one path segment: `*`, `?`, `[abc]`, `[a-z]`, `[^x]`/`[!x]`, `\x` (shared with `Glob`).
    public static func fnmatch(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        Glob.matchSegment(p, s)
    }
}
