/// Splits findings into new ones and ones a baseline already accepts. Pure: no I/O, no git.
///
/// Matching, in two rounds:
/// 1. Same path, rule, scope, code hash and occurrence index (see `BaselineEntry`).
/// 2. Renamed files, by content: an entry left over whose file is gone (not in `currentPaths`, and
///    no finding of this run is in it) matches a left-over finding with the same rule, scope, code and
///    occurrence in a file the baseline has no entry for — preferring a file with the same name, then
///    the first path in sort order. This needs no recorded commit (so the baseline file has no line
///    that every branch rewrites) and works for committed, staged and `--no-git` renames alike.
///
/// Entries of no round are stale: the finding was fixed (or its code changed).
public enum BaselinePass {
    public struct Match: Sendable {
        public var new: [Finding]
        /// Findings the baseline accepts, each with its entry as it would be written now (new path).
        public var matched: [(finding: Finding, entry: BaselineEntry)]
        public var stale: [BaselineEntry]
    }

    /// The pass: new findings, how many matched, and the stale entries.
    public static func apply(
        _ findings: [Finding], baseline: Baseline, currentPaths: [String]? = nil,
        sourceLine: (Finding) -> String?
    ) -> (new: [Finding], matched: Int, stale: [BaselineEntry]) {
        let m = match(findings, baseline: baseline, currentPaths: currentPaths, sourceLine: sourceLine)
        return (m.new, m.matched.count, m.stale)
    }

    public static func match(
        _ findings: [Finding], baseline: Baseline, currentPaths: [String]? = nil,
        sourceLine: (Finding) -> String?
    ) -> Match {
        match(findings, keys: BaselineEntry.entries(for: findings, sourceLine: sourceLine), baseline: baseline, currentPaths: currentPaths)
    }

    /// `match` with the findings' code read from their files' bytes (`BaselineEntry.entries(for:fileBytes:)`).
    public static func match(
        _ findings: [Finding], baseline: Baseline, currentPaths: [String]? = nil,
        fileBytes: @Sendable (String) -> [UInt8]?
    ) -> Match {
        match(findings, keys: BaselineEntry.entries(for: findings, fileBytes: fileBytes), baseline: baseline, currentPaths: currentPaths)
    }

    /// The findings' keys (`keys[i]` is `findings[i]`'s) matched against the baseline.
    static func match(_ findings: [Finding], keys: [BaselineEntry], baseline: Baseline, currentPaths: [String]?) -> Match {
        // Keys and paths by their bytes: an NFC and an NFD spelling of one name are two files (equal as Strings, one
        // file's entry matched the other's finding, and a file gone was taken for one still there).
        var remaining: [UTF8Key: BaselineEntry] = [:]
        for e in baseline.entries { remaining[UTF8Key(e.key)] = e }

        var isMatched = [Bool](repeating: false, count: findings.count)
        var matched: [(finding: Finding, entry: BaselineEntry)] = []
        for (i, key) in keys.enumerated() where remaining.removeValue(forKey: UTF8Key(key.key)) != nil {
            isMatched[i] = true
            matched.append((findings[i], key))
        }

        // Round 2: renamed files.
        let findingPaths = Set(findings.map { UTF8Key($0.path) })
        let baselinePaths = Set(baseline.entries.map { UTF8Key($0.path) })
        let current = currentPaths.map { Set($0.map(UTF8Key.init)) }
        let gone = { (path: String) in !findingPaths.contains(UTF8Key(path)) && !(current?.contains(UTF8Key(path)) ?? false) }
        var orphans: [String: [BaselineEntry]] = [:]
        for e in remaining.values.sorted() where gone(e.path) { orphans[e.contentKey, default: []].append(e) }
        if !orphans.isEmpty {
            // The last component by bytes (a `/` followed by a combining mark is one Character).
            let baseName = { (p: String) -> String in
                guard let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) else { return p }
                return String(decoding: p.utf8[p.utf8.index(after: slash)...], as: UTF8.self)
            }
            for (i, key) in keys.enumerated() where !isMatched[i] && !baselinePaths.contains(UTF8Key(key.path)) {
                guard var candidates = orphans[key.contentKey], !candidates.isEmpty else { continue }
                let pick = candidates.firstIndex { baseName($0.path).utf8Equals(baseName(key.path)) } ?? 0
                let entry = candidates.remove(at: pick)
                orphans[key.contentKey] = candidates
                remaining.removeValue(forKey: UTF8Key(entry.key))
                isMatched[i] = true
                matched.append((findings[i], key))
            }
        }

        let new = findings.indices.filter { !isMatched[$0] }.map { findings[$0] }
        return Match(new: new, matched: matched, stale: remaining.values.sorted())
    }
}
