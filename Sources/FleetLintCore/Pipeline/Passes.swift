import Foundation
import FleetLintSyntax

/// The settings of each path, computed once per path per run.
final class SettingsMemo: @unchecked Sendable {
    typealias Entry = (settings: EffectiveSettings, ruleKey: String)
    private let compute: (String) -> EffectiveSettings
    /// Without per-path overrides every path has the same settings: computed once, never looked up by path.
    private let uniform: Entry?
    /// By the path's bytes: an override glob can select one of an NFC and an NFD twin, and keyed by String the
    /// twins shared whichever one's settings a worker asked for first.
    private var memo: [UTF8Key: Entry] = [:]
    private var distinct: [Entry] = []
    private let lock = NSLock()

    /// `pathDependent`: whether the settings can differ between paths (the configuration has overrides).
    init(pathDependent: Bool = true, _ compute: @escaping (String) -> EffectiveSettings) {
        self.compute = compute
        uniform = pathDependent ? nil : Self.entry(compute(""))
    }

    func callAsFunction(_ path: String) -> EffectiveSettings { entry(path).settings }

    /// Whether settings can differ between paths (else every path has the global ones).
    var isPathDependent: Bool { uniform == nil }

    /// The enabled rules, sorted and comma-separated (part of every cache key), made once per distinct settings.
    func ruleKey(_ path: String) -> String { entry(path).ruleKey }

    private static func entry(_ s: EffectiveSettings) -> Entry { (s, s.enabledRules.sorted().joined(separator: ",")) }

    private func entry(_ path: String) -> Entry {
        if let uniform { return uniform }
        lock.lock()
        let key = UTF8Key(path)
        if let e = memo[key] { lock.unlock(); return e }
        lock.unlock()
        let s = compute(path)
        lock.lock()
        defer { lock.unlock() }
        // Most paths share their settings: one storage per distinct value, not one per path.
        let e: Entry
        if let same = distinct.first(where: { $0.settings == s }) {
            e = same
        } else {
            e = Self.entry(s)
            if distinct.count < 64 { distinct.append(e) }
        }
        memo[key] = e
        return e
    }
}

/// The lines one file's analysis kept for the passes, with its secret lines, as the analysis hands them over: a list,
/// not a table by path (the store makes its own; a `[UTF8Key: CapturedLines]` filled at the end of the analysis hashed
/// every path and grew by rehashing, on the main thread while no worker ran, and the store then looked up each file's
/// secret lines in the project by path again).
struct CapturedFile {
    var key: UTF8Key
    var lines: CapturedLines
    var secrets: SecretLines?
}

/// The lines the passes read (the lines findings start on, and the lines redaction looks for secrets on),
/// per file: captured by the analysis while it had the file's bytes (`FileAnalysis.capturedLines`), or read
/// here once per run for the files it did not capture (project-rule findings, cache hits, the suppression
/// pass's findings). `prepare` fills it before the passes; afterwards it is only read, by parallel workers.
/// It holds the text of lines with findings only, one buffer per file.
final class LineStore: @unchecked Sendable {
    struct Entry {
        var lines: CapturedLines
        /// Where the secret finder may find a secret (nil without a finder, or when the file cannot be read).
        var secrets: SecretLines?
        /// False when the file cannot be read (binary, gone): its lines are nil.
        var readable: Bool
    }

    private let project: Project
    private let secretFinder: (any SecretFinder)?
    /// By the path's bytes (`UTF8Key`): two names equal as Strings can be two files.
    private var entries: [UTF8Key: Entry] = [:]
    private let lock = NSLock()
    private var missCount = 0
    /// Files read again because `prepare` did not capture a line asked for (0 unless something is amiss).
    var misses: Int { lock.lock(); defer { lock.unlock() }; return missCount }
    /// Files `prepare` read.
    private(set) var reads = 0

    /// `captured`: the lines the analyses kept, one element per file (moved in: the store holds the only copy).
    init(project: Project, captured: [CapturedFile] = [], secretFinder: (any SecretFinder)?) {
        self.project = project
        self.secretFinder = secretFinder
        entries.reserveCapacity(captured.count)
        for c in captured { entries[c.key] = Entry(lines: c.lines, secrets: c.secrets, readable: true) }
    }

    /// Makes sure every line the passes will ask about for `findings` is held: each finding's first line and,
    /// with a secret finder, the candidate lines on its logical line. Files missing some are read, once each,
    /// in parallel. `onlyShown`: only the findings that show their source line (no redaction follows).
    ///
    /// `everyStartLine`: false when no source line is printed (any report but text): then a finding's first line is
    /// held only when its fingerprint reads it (a finding without an anchor), as the analysis captures them
    /// (`FileAnalyzer.capturesFindingLines`).
    func prepare(_ findings: [Finding], onlyShown: Bool = false, everyStartLine: Bool = true) {
        var byPath: [UTF8Key: [Lines]] = [:]
        // A path's findings mostly come together: each run of them is added to the table at once.
        var path = UTF8Key(""), ranges: [Lines] = []
        findings.withUnsafeBufferPointer { fs in
            for i in fs.indices {
                let f = fs.baseAddress! + i  // fields read in place (the subscript copied the finding)
                let (p, range, shown) = (UTF8Key(f.pointee.path), f.pointee.range, f.pointee.showsSource)
                guard !onlyShown || shown else { continue }
                if p != path {
                    if !ranges.isEmpty { byPath[path, default: []] += ranges; ranges.removeAll(keepingCapacity: true) }
                    path = p
                }
                ranges.append(Lines(start: range.start.line, end: range.end.line,
                                    needsStart: Self.readsFirstLine(of: f.pointee, sourceLines: everyStartLine)))
            }
        }
        if !ranges.isEmpty { byPath[path, default: []] += ranges }
        let finder = onlyShown ? nil : secretFinder
        var toRead: [(path: String, ranges: [Lines])] = []
        for (key, ranges) in byPath {
            let path = key.string
            // A file the analysis did not capture counts as holding no line, with the secret lines the analysis knows of:
            // it is read only if its findings want a line.
            let captured = entries[key]
            let e = captured ?? Entry(
                lines: CapturedLines(), secrets: finder == nil ? nil : project.file(path)?.analysis.secretLines, readable: true)
            guard e.readable else { continue }
            if finder != nil && e.secrets == nil { toRead.append((path, ranges)); continue }
            let complete = ranges.allSatisfy { r in
                (!r.needsStart || e.lines.contains(r.start))
                    && (e.secrets?.lines(forStart: r.start, end: r.end).allSatisfy(e.lines.contains) ?? true)
            }
            if !complete { toRead.append((path, ranges)) } else if captured == nil { entries[key] = e }
        }
        guard !toRead.isEmpty else { return }
        toRead.sort { $0.path < $1.path }
        var read = [Entry?](repeating: nil, count: toRead.count)
        read.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: toRead.count) { k in
                out[k] = self.read(toRead[k].path, ranges: toRead[k].ranges, finder: finder)
            }
        }
        for (k, item) in toRead.enumerated() { entries[UTF8Key(item.path)] = read[k] }
        reads += toRead.count
    }

    /// Whether a pass reads the line `f` starts on: the source-lines pass (`sourceLines`, the text report) reads every
    /// finding's; the fingerprint pass only those of findings without an anchor. What the analysis captures
    /// (`FileAnalyzer.capturesFindingLines`) and what `prepare` makes sure of.
    static func readsFirstLine(of f: borrowing Finding, sourceLines: Bool) -> Bool {
        sourceLines || f.anchor == nil
    }

    /// A finding's first and last lines, and whether the passes read its first line.
    private struct Lines {
        var start: Int, end: Int
        var needsStart: Bool
    }

    /// Reads a file and captures the lines `ranges` (findings' first and last lines) need.
    private func read(_ path: String, ranges: [Lines], finder: (any SecretFinder)?) -> Entry {
        guard let bytes = project.transientContents(path) else { return Entry(lines: CapturedLines(), secrets: nil, readable: false) }
        let index = LineStarts(bytes)
        return bytes.withUnsafeBufferPointer { buf in
            var secrets = project.file(path)?.analysis.secretLines
            if secrets == nil, let finder {
                // A finder that cannot tell: every line redaction can reach from a finding is a candidate.
                let candidates = finder.candidateLines(in: buf, lineIndex: index, path: path, known: nil) ?? ranges.flatMap { r in
                    max(1, r.start - 200)...max(1, min(index.lineCount, r.start + 400))
                }
                secrets = SecretLines(candidates: candidates, bytes: buf, lineIndex: index)
            }
            var wanted = ranges.filter(\.needsStart).map(\.start)
            if let secrets, !secrets.isEmpty {
                for r in ranges { wanted += secrets.lines(forStart: r.start, end: r.end) }
            }
            wanted.sort()
            return Entry(lines: CapturedLines(wanted, bytes: buf, lineIndex: index), secrets: secrets, readable: true)
        }
    }

    /// The entry of a path `prepare` did not see: read now (counted as a miss).
    private func entry(_ path: String) -> Entry {
        if let e = entries[UTF8Key(path)] { return e }
        lock.lock()
        missCount += 1
        lock.unlock()
        return read(path, ranges: [], finder: secretFinder)
    }

    /// The text of a 1-based line: empty past the end of the file, nil when the file cannot be read.
    func line(_ path: String, _ line: Int) -> String? {
        let e = entry(path)
        guard e.readable else { return nil }
        if let text = e.lines.line(line) { return text }
        lock.lock()
        missCount += 1
        lock.unlock()
        guard let bytes = project.transientContents(path) else { return nil }
        let index = LineStarts(bytes)
        return bytes.withUnsafeBufferPointer { CapturedLines([line], bytes: $0, lineIndex: index).line(line) }
    }

    /// The lines of a file the secret finder may find a secret on (nil: none, the file cannot be read).
    func secretLines(_ path: String) -> SecretLines? { entry(path).secrets }
}

/// The passes that run after the rules, in order. Each is a small function over findings.
enum Passes {
    /// Per-path severity overrides (a finding the rule levelled explicitly keeps its level).
    static func severity(_ findings: [Finding], global: [String: Severity], settings: SettingsMemo) -> [Finding] {
        guard settings.isPathDependent else { return findings }
        return findings.map { f in
            var f = f
            if f.severity == global[f.ruleID], let s = settings(f.path).severity[f.ruleID] { f.severity = s }
            return f
        }
    }

    /// Drops suppressed findings and reports blanket, unknown and (optionally) unused suppressions;
    /// returns the suppressions that applied.
    /// Only the findings of files that hold suppression comments (few) are regrouped; the others stay
    /// where they are (the array is not copied). Within a path the order is kept, and the report is
    /// sorted (stably) later.
    static func suppressions(
        _ kept: inout [Finding], analyses: some Sequence<FileAnalysis>, knownIDs: Set<String>, settings: SettingsMemo
    ) -> [AppliedSuppression] {
        let commented = Set(analyses.lazy.filter { !$0.suppressions.isEmpty }.map { UTF8Key($0.path) })
        guard !commented.isEmpty else { return [] }
        var byPath: [UTF8Key: [Finding]] = [:]
        for f in kept where commented.contains(UTF8Key(f.path)) { byPath[UTF8Key(f.path), default: []].append(f) }
        kept.removeAll { commented.contains(UTF8Key($0.path)) }
        var applied: [AppliedSuppression] = []
        for file in analyses where commented.contains(UTF8Key(file.path)) {
            let fileFindings = byPath[UTF8Key(file.path)] ?? []
            let comments = file.suppressions
            let continued = Set(file.continuedLines)
            var set = SuppressionSet(comments: comments, continuesOnNextLine: { continued.contains($0) })
            for f in fileFindings {
                if f.ruleID != "blanket-suppression" && set.suppresses(f) { continue }
                kept.append(f)
            }
            for (index, finding) in set.applied {
                applied.append(AppliedSuppression(rule: finding.ruleID, path: file.path, line: finding.range.start.line, reason: comments[index].reason))
            }
            let s = settings(file.path)
            let severity = { (id: String) in s.severity[id] ?? .warning }
            for (i, c) in comments.enumerated() {
                if (c.ruleIDs.isEmpty || c.isMalformed) && s.enabledRules.contains("blanket-suppression") {
                    let what = c.scope == .file ? "ignore-file" : "ignore"
                    kept.append(Finding(
                        ruleID: "blanket-suppression", severity: severity("blanket-suppression"),
                        message: c.isMalformed ? "`fleetlint: \(what)[` is missing its closing `]`"
                            : "`fleetlint: \(what)` names no rule, so it silences nothing",
                        help: "name the rules: `# fleetlint: \(what)[rule-id] -- reason`",
                        path: file.path, range: c.range))
                    continue
                }
                for id in c.ruleIDs where !knownIDs.contains(id) && s.enabledRules.contains("blanket-suppression") {
                    kept.append(Finding(
                        ruleID: "blanket-suppression", severity: severity("blanket-suppression"),
                        message: "suppression names unknown rule `\(id)`",
                        help: "run `fleetlint rules` for the valid ids", path: file.path, range: c.range))
                }
                if !set.used[i] && s.enabledRules.contains("unused-suppression") && !c.ruleIDs.isEmpty {
                    // A rule that did not run cannot have used its suppression.
                    let ids = c.ruleIDs.filter { knownIDs.contains($0) && s.enabledRules.contains($0) }
                    guard !ids.isEmpty else { continue }
                    kept.append(Finding(
                        ruleID: "unused-suppression", severity: severity("unused-suppression"),
                        message: "suppression of `\(ids.joined(separator: ", "))` silences nothing",
                        help: "remove the comment", path: file.path, range: c.range))
                }
            }
        }
        return applied
    }

    /// Runs `body` over each run of consecutive findings with the same path, the runs split into chunks
    /// of about equal size that run in parallel (the line store is only read); `body` writes only the
    /// findings of its run.
    static func perPath(
        _ findings: inout [Finding], parallel: Bool = true, _ body: (UnsafeMutableBufferPointer<Finding>, Range<Int>) -> Void
    ) {
        var runs: [Range<Int>] = []
        var start = 0
        findings.withUnsafeBufferPointer { fs in
            for i in fs.indices.dropFirst() where !fs[i].path.utf8Equals(fs[i - 1].path) {
                runs.append(start..<i)
                start = i
            }
        }
        if !findings.isEmpty { runs.append(start..<findings.count) }
        if !parallel {
            findings.withUnsafeMutableBufferPointer { buf in for run in runs { body(buf, run) } }
            return
        }
        // Chunks of whole runs, about 1/16 of the findings each (at least 512), so two cores stay busy
        // even when one file holds most findings.
        let target = max(512, findings.count / 16)
        var chunks: [Range<Int>] = []
        var first = 0, size = 0
        for (r, run) in runs.enumerated() {
            size += run.count
            if size >= target { chunks.append(first..<(r + 1)); first = r + 1; size = 0 }
        }
        if first < runs.count { chunks.append(first..<runs.count) }
        findings.withUnsafeMutableBufferPointer { buf in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { c in
                for r in chunks[c] { body(buf, runs[r]) }
            }
        }
    }

    /// Hides the source line of every finding whose logical line (its lines, extended over `\\` continuations)
    /// holds a secret, and replaces the secret in its message, help, notes and metadata with the redacted form.
    /// Only findings whose logical line holds a line the finder may find a secret on (`SecretLines`, known per
    /// file) are looked at; the finder runs once per such line. `lines` must be prepared for `findings`.
    static func redaction(_ findings: inout [Finding], lines: LineStore, secretFinder: (any SecretFinder)?) {
        guard let secretFinder else { return }
        // Per run of one path's findings, the runs in parallel (`perPath`; the line store and the finder are only
        // read): serial, this was ~0.4 % of the 16x tree's instructions on one core while the other idled. The
        // secrets of each line looked at are kept for the run (thousands of findings on one line stay linear).
        perPath(&findings) { buf, run in
            let path = buf[run.lowerBound].path
            guard let candidates = lines.secretLines(path), !candidates.isEmpty else { return }
            var found: [Int: [String]] = [:]
            for i in run {
                let reached = candidates.lines(forStart: buf[i].range.start.line, end: buf[i].range.end.line)
                guard !reached.isEmpty else { continue }
                var secrets: [String] = []
                for n in reached {
                    if let cached = found[n] { secrets += cached; continue }
                    let line = lines.line(path, n) ?? ""
                    let inLine = line.isEmpty ? [] : secretFinder.secrets(inLine: line, path: path)
                    found[n] = inLine
                    secrets += inLine
                }
                guard !secrets.isEmpty else { continue }
                redact(&buf[i], secrets: secrets, lines: lines)
            }
        }
    }

    /// Replaces `secrets` in everything the finding says, and hides its source line.
    private static func redact(_ f: inout Finding, secrets: [String], lines: LineStore) {
        f.showsSource = false
        func clean(_ s: String) -> String {
            var out = s
            for secret in secrets where out.contains(secret) {
                out = out.replacingOccurrences(of: secret, with: String(secret.prefix(4)) + "…")
            }
            return out
        }
        func cleanValue(_ v: MetadataValue) -> MetadataValue {
            switch v {
            case .string(let s): .string(clean(s))
            case .array(let a): .array(a.map(cleanValue))
            case .object(let o): .object(o.mapValues(cleanValue))
            default: v
            }
        }
        f.message = clean(f.message)
        f.help = f.help.map(clean)
        f.related = f.related.map { var r = $0; r.note = clean(r.note); return r }
        f.metadata = f.metadata.mapValues(cleanValue)
        if f.anchor == nil { f.anchor = clean(f.sourceLine ?? lines.line(f.path, f.range.start.line) ?? "") }
    }

    /// Sorts once, then fills source lines and content fingerprints (rule, path, normalised line or
    /// anchor, occurrence index — never the line number). After the sort each path's findings are
    /// consecutive, and everything below is per path, so it runs per path in parallel (`perPath`).
    static func fingerprints(_ sorted: inout [Finding], lines: LineStore) {
        Finding.sortInReportOrder(&sorted)
        perPath(&sorted) { buf, run in fingerprint(buf, run, lines: lines) }
    }

    /// Fills the source line of each finding that may show it (the text report prints it), one String per line shared
    /// by the findings on it. Runs on sorted findings, after the run memo is saved (so the memo holds none).
    static func sourceLines(_ sorted: inout [Finding], lines: LineStore) {
        perPath(&sorted) { buf, run in
            var current: (line: Int, text: String?)? = nil
            for i in run where buf[i].showsSource {
                let n = buf[i].range.start.line
                if current?.line != n { current = (n, lines.line(buf[i].path, n)) }
                buf[i].sourceLine = current!.text
            }
        }
    }

    /// `fingerprints` over one path's findings, in report order.
    private static func fingerprint(_ sorted: UnsafeMutableBufferPointer<Finding>, _ run: Range<Int>, lines: LineStore) {
        // A line that holds a secret is never printed, whichever rule reports on it.
        var secretLines = Set<Int>()
        for i in run where !sorted[i].showsSource { secretLines.insert(sorted[i].range.start.line) }
        if !secretLines.isEmpty {
            for i in run where secretLines.contains(sorted[i].range.start.line) { sorted[i].showsSource = false }
        }
        var occurrences: [OccurrenceKey: Int] = [:]
        // A file with few findings counts them in a list (a linear search: comparing shared strings is an
        // identity check), not a dictionary (hashing two strings per finding, and growing the table).
        let few = run.count <= 16
        var counted: [(key: OccurrenceKey, count: Int)] = []
        // Findings are sorted by line within the path: the line's normalised form is made once per line and
        // shared (12,000 findings on one 240 KB line must not make 12,000 copies of it), and only when a
        // finding on it has no anchor. So are its hash (for the occurrence table) and, per rule, the fingerprint's
        // hash state after rule, path and line: hashed for every finding, 50,000 findings on one 200 KB line took 19 s.
        // (The states' table is emptied per line, keeping its storage: a table made per line was an allocation each.)
        var current: (line: Int, normalized: String?, hash: UInt64) = (Int.min, nil, 0)
        var states: [String: UInt64] = [:]
        for i in run {
            let lineNumber = sorted[i].range.start.line
            if current.line != lineNumber {
                current = (lineNumber, nil, 0)
                if !states.isEmpty { states.removeAll(keepingCapacity: true) }
            }
            let rule = sorted[i].ruleID
            let anchor: String, anchorHash: UInt64, state: UInt64
            if let a = sorted[i].anchor {
                anchor = a
                anchorHash = StableHash.fnv1a64(string: a, seed: 0)
                state = StableHash.fingerprintState([rule, sorted[i].path, a])
            } else {
                if current.normalized == nil {
                    let n = lines.line(sorted[i].path, lineNumber).map(normalized) ?? ""
                    current.normalized = n
                    current.hash = StableHash.fnv1a64(string: n, seed: 0)
                }
                anchor = current.normalized!
                anchorHash = current.hash
                if let known = states[rule] {
                    state = known
                } else {
                    state = StableHash.fingerprintState([rule, sorted[i].path, anchor])
                    states[rule] = state
                }
            }
            let key = OccurrenceKey(rule: rule, anchor: anchor, anchorHash: anchorHash)
            let n: Int
            if few {
                if let k = counted.firstIndex(where: { $0.key == key }) {
                    n = counted[k].count
                    counted[k].count += 1
                } else {
                    n = 0
                    counted.append((key, 1))
                }
            } else {
                n = occurrences[key, default: 0]
                occurrences[key] = n + 1
            }
            sorted[i].fingerprint = StableHash.fingerprint(continuing: state, [String(n)])
        }
    }

    /// What a fingerprint's occurrence index counts within a file. Hashed by the anchor's hash, made once per line
    /// (hashing the anchor itself per lookup was most of a long line's cost); equal only with equal anchors.
    private struct OccurrenceKey: Hashable {
        let rule: String
        let anchor: String
        let anchorHash: UInt64

        static func == (a: OccurrenceKey, b: OccurrenceKey) -> Bool {
            a.anchorHash == b.anchorHash && a.rule == b.rule && a.anchor == b.anchor
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(rule)
            hasher.combine(anchorHash)
        }
    }

    /// The line with each run of spaces and tabs made one space, none at either end (as splitting it at
    /// spaces and tabs and joining the pieces with one space). An ASCII line is done on its bytes: each of its
    /// characters is one byte (a line holds no `\r\n`).
    static func normalized(_ line: String) -> String {
        var line = line
        return line.withUTF8 { buf -> String? in
            guard !buf.contains(where: { $0 >= 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: buf.count) { out in
                var n = 0, pendingSpace = false
                for b in buf {
                    if b == 0x20 || b == 0x09 {
                        pendingSpace = n > 0
                    } else {
                        if pendingSpace { out[n] = 0x20; n += 1; pendingSpace = false }
                        out[n] = b
                        n += 1
                    }
                }
                return n
            }
        } ?? line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Keeps the findings in (or related to) the paths the report is scoped to.
    static func scope(_ findings: [Finding], to reportOnly: [String]?) -> [Finding] {
        guard let reportOnly else { return findings }
        return findings.filter { isInScope($0, reportOnly) }
    }

    /// `scope` of a run memo's findings (`lines` saved with it, by the findings' index in the memo), decoded a chunk at
    /// a time: only the findings kept get their line (lines for all of them, then scoped, made a String per finding of
    /// the whole tree for a report of one directory).
    static func scope(_ findings: FindingList, to reportOnly: [String], lines: MemoSourceLines) -> [Finding] {
        var kept: [Finding] = []
        var index = 0
        findings.forEachChunk { fs in
            for k in fs.indices {
                defer { index += 1 }
                guard isInScope((fs.baseAddress! + k).pointee, reportOnly) else { continue }
                var f = fs[k]
                f.sourceLine = lines.line(index)
                kept.append(f)
            }
        }
        return kept
    }

    /// Whether the report scoped to `reportOnly` keeps `f`: it is about the whole run, or it or a related location
    /// lies in scope.
    static func isInScope(_ f: borrowing Finding, _ reportOnly: [String]) -> Bool {
        f.isRunWide || inScope(f.path, reportOnly) || f.related.contains { inScope($0.path, reportOnly) }
    }

    /// Before redaction and fingerprints, with a change set: drops the findings of every file that no
    /// finding a change could be responsible for lies in. A file is kept whole, so fingerprints (whose
    /// occurrence index counts within a file) come out as in a full run; `changed` then picks the lines.
    static func changedFiles(_ findings: [Finding], _ changes: ChangeSet?) -> [Finding] {
        guard let changes else { return findings }
        // By the path's bytes, as the change set: of an NFC and an NFD `café.py`, a change to one keeps only its findings.
        var paths = Set<UTF8Key>()
        for f in findings {
            if f.isRunWide { paths.insert(UTF8Key(f.path)); continue }
            if changes.touches(f.path) || f.related.contains(where: { changes.touches($0.path) }) { paths.insert(UTF8Key(f.path)); continue }
            if case .string(let addTo)? = f.metadata["addTo"], changes.touches(addTo) { paths.insert(UTF8Key(f.path)) }
        }
        return findings.filter { paths.contains(UTF8Key($0.path)) }
    }

    /// Keeps the findings a change is responsible for: on a changed line (any line of a changed file
    /// with `allLines`), with a related location on one, or naming a changed file as the place to fix
    /// it (`addTo`: a requirements file the change edited).
    static func changed(_ findings: [Finding], _ changes: ChangeSet?, allLines: Bool) -> [Finding] {
        guard let changes else { return findings }
        func hit(_ path: String, _ range: SourceRange) -> Bool {
            allLines ? changes.touches(path) : changes.touches(path, lines: range.start.line...max(range.start.line, range.end.line))
        }
        return findings.filter { f in
            if f.isRunWide || hit(f.path, f.range) || f.related.contains(where: { hit($0.path, $0.range) }) { return true }
            if case .string(let addTo)? = f.metadata["addTo"], changes.touches(addTo) { return true }
            return false
        }
    }

    /// Whether `path` is one of `reportOnly` or under one, by bytes (an NFC `café` argument does not select its NFD
    /// twin).
    static func inScope(_ path: String, _ reportOnly: [String]?) -> Bool {
        guard let reportOnly else { return true }
        return reportOnly.contains { path.utf8IsSameOrUnder($0) }
    }
}
