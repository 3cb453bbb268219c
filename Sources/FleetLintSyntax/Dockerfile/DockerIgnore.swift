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
        /// Literal text a matching path must contain (whole wildcard-free segments, and the literal prefix
        /// and suffix of the others): most patterns are ruled out by a byte search, without the matcher.
        var required: [[UInt8]] = []
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
            let segments = rel.asciiSplit(0x2F).map(String.init)
            var pattern = Pattern(text: rel, isException: exception, segments: segments, scalarSegments: segments.map { Array($0.unicodeScalars) })
            pattern.required = Glob.requiredLiterals(segments)
            ps.append(pattern)
        }
        patterns = ps
    }

    /// Whether a context-relative path (`svc/app.py`) is excluded from the build context.
    public func isExcluded(_ path: String) -> Bool {
        if patterns.isEmpty { return false }
        var segs: [[Unicode.Scalar]]? = nil
        var excluded = false
        var bytes = path
        bytes.withUTF8 { hay in
            for p in patterns {
                // Cleaning a path only drops `.` segments and slashes, so a literal of a matching pattern
                // occurs in the raw path too.
                guard p.required.allSatisfy({ ByteSearch.contains($0, in: hay) }) else { continue }
                if segs == nil { segs = DockerPath.clean(path).asciiSplit(0x2F).map { Array($0.unicodeScalars) } }
                // The pattern matches the path or one of its parent directories.
                if Glob.run(p.scalarSegments, segs!, stopAtPrefix: true).prefix { excluded = !p.isException }
            }
        }
        return excluded
    }

    /// The context-relative paths of `paths` that are excluded (each matched with the same automaton as
    /// `isExcluded`, which cannot go exponential on repeated `**`).
    public func excluded<S: Sequence<String>>(_ paths: S) -> Set<String> {
        if patterns.isEmpty { return [] }
        var out = Set<String>()
        for path in paths where isExcluded(path) { out.insert(path) }
        return out
    }

    /// Shell-style match of one path segment: `*`, `?`, `[abc]`, `[a-z]`, `[^x]`/`[!x]`, `\x` (shared with `Glob`).
    public static func fnmatch(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        Glob.matchSegment(p, s)
    }
}
