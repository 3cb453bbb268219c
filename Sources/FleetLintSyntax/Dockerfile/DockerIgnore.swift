// .dockerignore matching with Docker's semantics (moby/patternmatcher): `*`, `?`, `[…]`, `**`,
// `!` exceptions, leading `/` ignored, a pattern also excludes everything under a matching directory,
// the last matching pattern wins. https://docs.docker.com/build/concepts/context/#dockerignore-files
// The file is read as moby/patternmatcher's `ignorefile.ReadAll` reads it (`patternLines`), which BuildKit's
// Dockerfile frontend and the Docker CLI use.

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
        for line in Self.patternLines(text) {
            // What moby's `patternmatcher.New` does with each line `ReadAll` returned: trim again (cleaning can leave
            // a space at an end: `a /b/..` is `a `), then an exception's `!`.
            var text = Self.trimmingWhitespace(Substring(line))
            var exception = false
            if text.unicodeScalars.first == "!" {
                exception = true
                text = Substring(text.unicodeScalars.dropFirst())
            }
            let cleaned = DockerPath.clean(String(text))
            let rel = cleaned.utf8.first == UInt8(ascii: "/") ? String(cleaned.unicodeScalars.dropFirst()) : cleaned
            // `!` alone is an error to BuildKit (the build stops); here it excludes nothing, as `.` does.
            if rel.isEmpty || rel == "." { continue }
            let segments = rel.asciiSplit(0x2F).map(String.init)
            var pattern = Pattern(text: rel, isException: exception, segments: segments, scalarSegments: segments.map { Array($0.unicodeScalars) })
            pattern.required = Glob.requiredLiterals(segments)
            ps.append(pattern)
        }
        patterns = ps
    }

    /// The patterns of a `.dockerignore` as BuildKit and the Docker CLI read the file (moby/patternmatcher's
    /// `ignorefile.ReadAll`), an exception keeping its `!`:
    /// - lines end at LF, one CR before it dropped (Go's `bufio.ScanLines`): a lone CR does not end a line;
    /// - a UTF-8 byte order mark is dropped from the first line;
    /// - a line starting with `#` is a comment, tested before trimming (` # x` is the pattern `# x`);
    /// - leading and trailing white space is trimmed, by Unicode's White_Space property (Go's `strings.TrimSpace`:
    ///   tab, LF, VT, FF, CR, space, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
    ///   U+3000), and again after a leading `!`; blank lines are skipped;
    /// - the pattern is cleaned (`.`, `..`, repeated slashes) and a leading `/` dropped.
    /// The text is the file's bytes decoded leniently; an invalid byte is U+FFFD, which is not white space, as Go's
    /// decoder's error rune is not.
    public static func patternLines(_ text: String) -> [String] {
        var out: [String] = []
        var isFirst = true
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            // The empty piece after a final LF, for which Go's scanner returns no line, is blank and skipped below.
            var line = Substring(raw.last == "\r" ? raw.dropLast() : raw)
            if isFirst, line.unicodeScalars.first == "\u{FEFF}" { line = Substring(line.unicodeScalars.dropFirst()) }
            isFirst = false
            if line.unicodeScalars.first == "#" { continue }
            line = trimmingWhitespace(line)
            if line.isEmpty { continue }
            let exception = line.unicodeScalars.first == "!"
            if exception { line = trimmingWhitespace(Substring(line.unicodeScalars.dropFirst())) }
            var pattern = ""
            if !line.isEmpty {
                pattern = DockerPath.clean(String(line))
                if pattern.utf8.count > 1, pattern.utf8.first == UInt8(ascii: "/") { pattern = String(pattern.unicodeScalars.dropFirst()) }
            }
            out.append(exception ? "!" + pattern : pattern)
        }
        return out
    }

    /// `s` without leading and trailing Unicode White_Space scalars (Go's `strings.TrimSpace`). Foundation's
    /// `.whitespaces`, used before, kept VT, FF, U+0085, U+2028 and U+2029 and cut U+200B, which is not white space.
    static func trimmingWhitespace(_ s: Substring) -> Substring {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return s[s.endIndex...] }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return Substring(scalars[first...last])
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
