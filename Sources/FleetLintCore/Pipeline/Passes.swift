import Foundation
import FleetLintSyntax

/// The settings of each path, computed once per path per run.
final class SettingsMemo: @unchecked Sendable {
    typealias Entry = (settings: EffectiveSettings, ruleKey: String)
    private let compute: (String) -> EffectiveSettings
    /// Without per-path overrides every path has the same settings: computed once, never looked up by path.
    private let uniform: Entry?
    private var memo: [String: Entry] = [:]
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
        if let e = memo[path] { lock.unlock(); return e }
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
        memo[path] = e
        return e
    }
}

/// Lines of the files findings point at, read once per file through the project (which reads through
/// the snapshot) and only for files that have findings.
final class SourceLines: @unchecked Sendable {
    private let project: Project
    /// A few most recently used files only (findings come grouped by path), so memory does not grow
    /// with the number of files that have findings.
    private var files: [(path: String, entry: (bytes: [UInt8], index: LineIndex)?)] = []
    private let lock = NSLock()
    private static let capacity = 8

    init(project: Project) { self.project = project }

    func line(_ path: String, _ line: Int) -> String? {
        withLine(path, line) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Whether the line ends with `\` once trailing whitespace is trimmed (a continued line), without
    /// making a String of it unless its end is not ASCII.
    func continues(_ path: String, _ line: Int) -> Bool {
        enum Verdict { case continued, notContinued, askFoundation }
        let verdict = withLine(path, line) { bytes -> Verdict in
            guard let bytes else { return .notContinued }
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if end > 0, bytes[end - 1] >= 0x80 { return .askFoundation }  // maybe a Unicode space
            return end > 0 && bytes[end - 1] == 0x5C ? .continued : .notContinued
        }
        switch verdict {
        case .continued: return true
        case .notContinued: return false
        case .askFoundation: return self.line(path, line)?.trimmingCharacters(in: .whitespaces).hasSuffix("\\") == true
        }
    }

    /// Calls `body` with the bytes of a 1-based line without its terminator: empty past the end of the
    /// file, nil when the file cannot be read.
    private func withLine<T>(_ path: String, _ line: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        let entry: (bytes: [UInt8], index: LineIndex)?
        if let i = files.firstIndex(where: { $0.path == path }) {
            entry = files[i].entry
        } else {
            entry = project.transientContents(path).map { ($0, LineIndex($0)) }
            if files.count == Self.capacity { files.removeFirst() }
            files.append((path, entry))
        }
        guard let entry else { return body(nil) }
        guard !entry.bytes.isEmpty, line >= 1, line <= entry.index.lineCount else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return entry.bytes.withUnsafeBufferPointer { buf in
            body(UnsafeBufferPointer(rebasing: buf[entry.index.byteRange(ofLine: line, in: buf)]))
        }
    }
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
        let commented = Set(analyses.lazy.filter { !$0.suppressions.isEmpty }.map(\.path))
        guard !commented.isEmpty else { return [] }
        var byPath: [String: [Finding]] = [:]
        for f in kept where commented.contains(f.path) { byPath[f.path, default: []].append(f) }
        kept.removeAll { commented.contains($0.path) }
        var applied: [AppliedSuppression] = []
        for file in analyses where commented.contains(file.path) {
            let fileFindings = byPath[file.path] ?? []
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
    /// of about equal size that run in parallel. Each chunk reads lines through its own `SourceLines`, so
    /// the workers never wait on one another's file reads; `body` writes only the findings of its run.
    static func perPath(
        _ findings: inout [Finding], lines makeLines: () -> SourceLines, parallel: Bool = true,
        _ body: (UnsafeMutableBufferPointer<Finding>, Range<Int>, SourceLines) -> Void
    ) {
        var runs: [Range<Int>] = []
        var start = 0
        for i in findings.indices.dropFirst() where findings[i].path != findings[i - 1].path {
            runs.append(start..<i)
            start = i
        }
        if !findings.isEmpty { runs.append(start..<findings.count) }
        if !parallel {
            let lines = makeLines()
            findings.withUnsafeMutableBufferPointer { buf in for run in runs { body(buf, run, lines) } }
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
        let linesPerChunk = chunks.map { _ in makeLines() }
        findings.withUnsafeMutableBufferPointer { buf in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { c in
                for r in chunks[c] { body(buf, runs[r], linesPerChunk[c]) }
            }
        }
    }

    /// Hides the source line of every finding whose line holds a secret, and replaces the secret in its
    /// message, help, notes and metadata with the redacted form. Per path, in parallel (`perPath`) unless
    /// `parallel` is false. Findings of the rules in `done` were redacted before (by `BackgroundRedaction`;
    /// redacting one twice would change nothing).
    static func redaction(
        _ findings: inout [Finding], lines: () -> SourceLines, secretFinder: (any SecretFinder)?, parallel: Bool = true,
        done: Set<String> = []
    ) {
        guard let secretFinder else { return }
        perPath(&findings, lines: lines, parallel: parallel) { buf, run, lines in
            redact(buf, run, lines: lines, secretFinder: secretFinder, skipping: done)
        }
    }

    /// `redaction` over one path's findings: memory stays bounded by one file's lines.
    private static func redact(
        _ findings: UnsafeMutableBufferPointer<Finding>, _ run: Range<Int>, lines: SourceLines, secretFinder: any SecretFinder,
        skipping done: Set<String>
    ) {
        var cache: [Int: [String]] = [:]
        // Each physical line is read and looked at once, however many findings sit on it (thousands of
        // findings on one long line must stay linear).
        var continues: [Int: Bool] = [:]
        func isContinued(_ path: String, _ n: Int) -> Bool {
            if let c = continues[n] { return c }
            let c = lines.continues(path, n)
            continues[n] = c
            return c
        }
        for i in run where done.isEmpty || !done.contains(findings[i].ruleID) {
            var f = findings[i]
            // Every physical line of the finding's logical line(s): its range, extended over `\`
            // continuations both ways (a secret on the second line of a continued requirement or RUN).
            var first = f.range.start.line, last = max(f.range.start.line, f.range.end.line)
            last = min(last, first + 200)
            while first > 1, first > f.range.start.line - 200, isContinued(f.path, first - 1) { first -= 1 }
            while last < f.range.start.line + 400, isContinued(f.path, last) { last += 1 }
            var secrets: [String] = []
            for n in first...last {
                if let cached = cache[n] { secrets += cached; continue }
                let line = lines.line(f.path, n) ?? ""
                let found = line.isEmpty ? [] : secretFinder.secrets(inLine: line, path: f.path)
                cache[n] = found
                secrets += found
            }
            guard !secrets.isEmpty else { continue }
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
            findings[i] = f
        }
    }

    /// Sorts once, then fills source lines and content fingerprints (rule, path, normalised line or
    /// anchor, occurrence index — never the line number). After the sort each path's findings are
    /// consecutive, and everything below is per path, so it runs per path in parallel (`perPath`).
    static func fingerprints(_ sorted: inout [Finding], lines: () -> SourceLines) {
        sorted.sort(by: Finding.reportOrder)
        perPath(&sorted, lines: lines) { buf, run, lines in fingerprint(buf, run, lines: lines) }
    }

    /// Fills the source line of each finding that may show it (the text report prints it), one String per line shared
    /// by the findings on it. Runs on sorted findings, after the run memo is saved (so the memo holds none).
    static func sourceLines(_ sorted: inout [Finding], lines: () -> SourceLines) {
        perPath(&sorted, lines: lines) { buf, run, lines in
            var current: (line: Int, text: String?)? = nil
            for i in run where buf[i].showsSource {
                let n = buf[i].range.start.line
                if current?.line != n { current = (n, lines.line(buf[i].path, n)) }
                buf[i].sourceLine = current!.text
            }
        }
    }

    /// `fingerprints` over one path's findings, in report order.
    private static func fingerprint(_ sorted: UnsafeMutableBufferPointer<Finding>, _ run: Range<Int>, lines: SourceLines) {
        // A line that holds a secret is never printed, whichever rule reports on it.
        var secretLines = Set<Int>()
        for i in run where !sorted[i].showsSource { secretLines.insert(sorted[i].range.start.line) }
        if !secretLines.isEmpty {
            for i in run where secretLines.contains(sorted[i].range.start.line) { sorted[i].showsSource = false }
        }
        var occurrences: [String: Int] = [:]
        // Findings are sorted by line within the path: the line's text and its normalised form are made
        // once per line and shared (12,000 findings on one 240 KB line must not make 12,000 copies of it).
        var current: (line: Int, text: String?, normalized: String?)? = nil
        for i in run {
            let f = sorted[i]
            if current?.line != f.range.start.line {
                current = (f.range.start.line, lines.line(f.path, f.range.start.line), nil)
            }
            let line = current!.text
            let anchor: String
            if let a = f.anchor { anchor = a } else {
                if current!.normalized == nil {
                    current!.normalized = line.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") } ?? ""
                }
                anchor = current!.normalized!
            }
            let key = "\(f.ruleID)\u{1F}\(anchor)"
            let n = occurrences[key, default: 0]
            occurrences[key] = n + 1
            sorted[i].fingerprint = StableHash.fingerprint([f.ruleID, f.path, anchor, String(n)])
        }
    }

    /// Keeps the findings in (or related to) the paths the report is scoped to.
    static func scope(_ findings: [Finding], to reportOnly: [String]?) -> [Finding] {
        guard let reportOnly else { return findings }
        return findings.filter { f in inScope(f.path, reportOnly) || f.related.contains { inScope($0.path, reportOnly) } }
    }

    /// Before redaction and fingerprints, with a change set: drops the findings of every file that no
    /// finding a change could be responsible for lies in. A file is kept whole, so fingerprints (whose
    /// occurrence index counts within a file) come out as in a full run; `changed` then picks the lines.
    static func changedFiles(_ findings: [Finding], _ changes: ChangeSet?) -> [Finding] {
        guard let changes else { return findings }
        var paths = Set<String>()
        for f in findings {
            if changes.touches(f.path) || f.related.contains(where: { changes.touches($0.path) }) { paths.insert(f.path); continue }
            if case .string(let addTo)? = f.metadata["addTo"], changes.touches(addTo) { paths.insert(f.path) }
        }
        return findings.filter { paths.contains($0.path) }
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
            if hit(f.path, f.range) || f.related.contains(where: { hit($0.path, $0.range) }) { return true }
            if case .string(let addTo)? = f.metadata["addTo"], changes.touches(addTo) { return true }
            return false
        }
    }

    static func inScope(_ path: String, _ reportOnly: [String]?) -> Bool {
        guard let reportOnly else { return true }
        return reportOnly.contains { $0.isEmpty || path == $0 || path.hasPrefix($0 + "/") }
    }
}

/// Redacts findings on a thread of its own while the caller goes on (the file rules' findings, while the
/// project rules run: building the dependency index leaves a core idle). `result()` waits for it.
final class BackgroundRedaction: @unchecked Sendable {
    private var findings: [Finding]
    private let finished = DispatchSemaphore(value: 0)

    init(_ findings: [Finding], project: Project, secretFinder: any SecretFinder) {
        self.findings = findings
        let thread = Thread { [self] in
            Passes.redaction(&self.findings, lines: { SourceLines(project: project) }, secretFinder: secretFinder, parallel: false)
            finished.signal()
        }
        thread.start()
    }

    /// The redacted findings, once the thread is done. They move out: the caller then holds the only reference to
    /// their buffer and can grow it in place (with a second reference, growing it copied every finding).
    func result() -> [Finding] {
        finished.wait()
        defer { findings = [] }
        return findings
    }
}
