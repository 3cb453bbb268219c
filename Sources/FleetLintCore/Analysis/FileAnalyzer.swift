import FleetLintSyntax
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Rules can say which words a Python file must contain for them to need its full syntax tree; a file
/// with none of the enabled rules' words gets an imports-only scan.
public protocol PythonKeywordGated {
    /// Any of these byte strings occurring in the file means the rule needs the full parse.
    var pythonKeywords: [String] { get }
}

/// A Python file rule that reads only the parser's problems (`parse-error`): it needs a parse, but
/// neither the semantic model nor the facts drawn from it.
public protocol PythonParseProblemsOnly {}

/// One function from (path, kind, bytes, per-file settings) to a `FileAnalysis`: parse, run the file
/// rules, collect suppression directives and facts. The syntax tree dies here.
public struct FileAnalyzer: Sendable {
    public let fileRules: [any FileRule]
    public let parsers: [any FileParser]
    /// Kinds some enabled rule parses.
    public let parsedKinds: Set<FileKind>
    /// Kinds that are read at all (`.text` rules read every text file).
    public let neededKinds: Set<FileKind>
    /// Whether project rules or adoption need Python facts (imports, classes, calls).
    public let wantsPythonFacts: Bool
    public let callPatterns: [DottedNamePattern]
    /// The severity a rule's findings get before per-path overrides.
    public let severity: [String: Severity]
    private let settingsFor: @Sendable (String) -> EffectiveSettings
    /// CPU seconds one file's analysis may take (checked between the parse and each rule).
    public var timeBudget: Double = 10
    /// Bytes of memory one file's analysis may take (estimated before a Python parse).
    public var memoryBudget: Int = 512 * 1_048_576
    /// The redaction pass's secret finder: a file with findings records the lines it may find a secret on
    /// (`FileAnalysis.secretLines`) and keeps the lines the passes will read (`capturedLines`).
    public var secretFinder: (any SecretFinder)?
    /// Whether a file's captured lines (`FileAnalysis.capturedLines`) hold the first line of every finding, as the text
    /// report prints them; false: only of the findings whose fingerprint reads it (those without an anchor). The
    /// candidate lines of secrets redaction reads are captured either way. On the 16x synthetic tree's ~90,000
    /// findings (nearly all anchored) the lines were ~7 MiB held from the analysis to the passes.
    public var capturesFindingLines = true
    /// Keywords of the keyword-gated Python rules, searched in one pass (nil: some enabled Python rule always
    /// needs a parse).
    private let pythonKeywords: KeywordGate?
    /// Whether a rule needs the parser's problems of every Python file (files without any gated rule's
    /// keyword are then parsed for their problems only).
    private let needsPythonProblems: Bool

    static let textKinds: Set<FileKind> = [.python, .requirements, .pyproject, .dockerfile]
    /// Kind masks (`FileKind.bit`) of the sets above, of what `parse` parses, of each parser's and each rule's
    /// kinds, and each rule's id and severity (`severity`'s, else its default): read per file and rule without hashing
    /// a kind or a rule id, or copying a rule description.
    private static let textMask = FileKind.mask(textKinds)
    private let neededMask: UInt8
    private let parseMask: UInt8
    private let parserMasks: [UInt8]
    private let ruleFacts: [(id: String, inputs: UInt8, severity: Severity)]
    /// Whether an `UnboundedFileRule` that used up the time budget of `RuleBudgetStops.filesBeforeStop` files is run
    /// on no further file (`Linter.run` turns it on and reports the stops; history and adoption analyse with every rule).
    public var stopsUnboundedRules = false
    /// Which file rules are `UnboundedFileRule`s, and those of them this run has stopped (one analyser per run).
    private let isUnbounded: [Bool]
    let budgetStops = RuleBudgetStops()
    /// The run's fact interner, which the Python facts take their import targets from (`Linter.analyzeFiles` sets it).
    var interner: FactInterner?

    public init(fileRules: [any FileRule], parsers: [any FileParser], parsedKinds: Set<FileKind>, neededKinds: Set<FileKind>,
                wantsPythonFacts: Bool, callPatterns: [DottedNamePattern], severity: [String: Severity],
                settings: @escaping @Sendable (String) -> EffectiveSettings) {
        self.fileRules = fileRules
        self.parsers = parsers
        self.parsedKinds = parsedKinds
        self.neededKinds = neededKinds
        self.wantsPythonFacts = wantsPythonFacts
        self.callPatterns = callPatterns
        self.severity = severity
        self.settingsFor = settings
        neededMask = FileKind.mask(neededKinds)
        parseMask = FileKind.mask(parsedKinds) | (wantsPythonFacts ? FileKind.python.bit : 0)
        parserMasks = parsers.map { FileKind.mask($0.kinds) }
        ruleFacts = fileRules.map { rule in
            let d = rule.ruleDescription
            return (d.id, FileKind.mask(d.inputs), severity[d.id] ?? d.defaultSeverity)
        }
        isUnbounded = fileRules.map { $0.asUnboundedFileRule != nil }
        var words: [[UInt8]]? = []
        var problemsOnly = false
        for rule in fileRules where rule.ruleDescription.inputs.contains(.python) {
            if rule is any PythonParseProblemsOnly { problemsOnly = true; continue }
            if let gated = rule as? any PythonKeywordGated { words?.append(contentsOf: gated.pythonKeywords.map { Array($0.utf8) }) } else { words = nil }
        }
        if !callPatterns.isEmpty { words = nil }  // adoption needs resolved calls everywhere
        pythonKeywords = words.map { KeywordGate(words: Self.withoutSubsumed($0)) }
        needsPythonProblems = problemsOnly
    }

    /// Whether a file of this kind is read at all.
    public func reads(_ kind: FileKind) -> Bool { neededMask & kind.bit != 0 }

    public func analyze(path: String, kind: FileKind, outcome: ReadOutcome, blob: BlobID?) -> FileAnalysis {
        var uncacheable = false
        return analyze(path: path, kind: kind, outcome: outcome, blob: blob, uncacheable: &uncacheable)
    }

    /// `analyze`, also telling whether the analysis must not be cached (`RuleBudgetStops`): the file skipped a rule the
    /// run had stopped (its analysis lacks that rule's findings), or such a rule used up the file's budget.
    func analyze(path: String, kind: FileKind, outcome: ReadOutcome, blob: BlobID?, uncacheable: inout Bool) -> FileAnalysis {
        let started = BudgetClock.start()
        var result = FileAnalysis(path: path, kind: kind, blob: blob)
        let file: AnalyzedFile
        switch outcome {
        case .binary:
            guard Self.textMask & kind.bit != 0 else { result.kind = .binary; result.skipped = "binary"; return result }
            file = AnalyzedFile(path: path, kind: .binary, bytes: [])
            file.problems.append(ParseProblem(
                code: "binary", message: "file has binary content (a NUL byte); it is not analysed",
                range: SourceRange(line: 1, column: 1)))
        case .tooLarge:
            result.skipped = SkippedFile.tooLarge
            return result
        case .failed(let why):
            // Any kind: an unreadable requirements, .env or YAML file is reported like any other.
            file = AnalyzedFile(path: path, kind: .binary, bytes: [])
            file.problems.append(ParseProblem(code: "unreadable", message: "file cannot be read: \(why)", range: SourceRange(line: 1, column: 1)))
        case .text(let bytes):
            if kind == .python, let over = overMemoryBudget(bytes, path: path, kind: kind, blob: blob) { return over }
            file = AnalyzedFile(path: path, kind: kind, bytes: bytes)
            if kind == .python && !needsFullParse(bytes) {
                // No enabled rule needs this file's syntax tree: an imports-only scan gives the facts.
                // `parse-error` still needs the parser's problems: a parse, without the semantic model (and
                // with the facts too, one tokenization for both parses, and no tree kept).
                let wantsProblems = needsPythonProblems && parseMask & FileKind.python.bit != 0  // parsed, or facts wanted
                var lean: (problems: [ParseProblem], comments: [PyToken])?
                if wantsPythonFacts {
                    let (name, isPackage) = PythonFile.moduleName(forPath: path)
                    let records: [PyImportRecord], tree: PyModule?
                    if wantsProblems {
                        let r = PythonImportScanner.recordsAndProblems(bytes, moduleName: name, isPackage: isPackage)
                        (records, tree) = (r.records, r.tree)
                        lean = (r.problems, r.comments)
                    } else {
                        (records, tree) = PythonImportScanner.recordsAndTree(bytes, moduleName: name, isPackage: isPackage)
                    }
                    result.python = PythonFacts(
                        isPackage: isPackage, imports: records.map(ImportFact.init),
                        classes: [], calls: [], fullParse: false,
                        importContext: records.isEmpty ? ImportContextFact() : PythonFactsExtractor.importContext(importsOnlyTree: tree, source: bytes, imports: records))
                }
                if let lean {
                    file.problems += lean.problems
                    file.pythonComments = lean.comments
                } else if wantsProblems {
                    let module = PythonParser.parse(bytes)
                    file.problems += module.problems
                    file.pythonComments = module.comments
                }
            } else {
                parse(file)
            }
            if let over = overBudget(since: started, path: path, kind: kind, blob: blob) { return over }
            if Self.textMask & kind.bit != 0, file.problems.isEmpty, !file.isValidUTF8,
               let bad = SourceText.firstInvalidUTF8Offset(bytes) {
                file.problems.append(ParseProblem(
                    code: "invalid-utf8", message: "file is not valid UTF-8 (first invalid byte here)",
                    range: SourceRange(start: file.location(ofByteOffset: bad), end: file.location(ofByteOffset: bad + 1))))
            }
        }
        return finish(file, into: result, started: started, uncacheable: &uncacheable)
    }

    /// One finding for each rule this run stopped (`RuleBudgetStops`), at the rule's definition.
    public func budgetStopFindings() -> [Finding] {
        budgetStops.stops.compactMap { stop in
            guard let rule = fileRules[stop.rule].asUnboundedFileRule else { return nil }
            let r = ruleFacts[stop.rule]
            return RuleBudgetStops.finding(
                ruleID: r.id, severity: r.severity, definition: rule.definition, paths: stop.paths,
                budget: timeBudget)
        }
    }

    /// Thread CPU time in seconds (the machine's load does not count against a file).
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// When a file's analysis started, by the thread's CPU clock and the monotonic clock. The CPU clock is a
    /// system call (the vDSO answers only wall clocks): it is read again only when more wall time than the budget
    /// has passed, since one thread cannot use more CPU time than wall time. At the start it is read at most once a
    /// millisecond per thread (`reuseWindow`), not once per file: one system call a file was ~0.7 % of a 16x run.
    struct BudgetClock {
        let cpu: Double
        let wall: Double

        /// How long a thread's last reading of its CPU clock stands in for a new one at a file's start.
        static let reuseWindow = 0.001

        static func start() -> BudgetClock {
            let now = monotonic()
            let last = ThreadCPUReading.current
            if last.pointee.wall > 0, now - last.pointee.wall < reuseWindow {
                // The thread used at most the wall time since that reading: its CPU clock reads at most this now. The
                // start is then late by under `reuseWindow`, so a file's spent time reads short by as much, never long.
                return BudgetClock(cpu: last.pointee.cpu + (now - last.pointee.wall), wall: now)
            }
            let cpu = threadCPUTime()
            last.pointee = (cpu, now)
            return BudgetClock(cpu: cpu, wall: now)
        }

        static func monotonic() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        /// CPU seconds spent since the start, or nil when it cannot exceed `budget` yet.
        func spent(over budget: Double) -> Double? {
            guard Self.monotonic() - wall > budget else { return nil }
            let spent = threadCPUTime() - cpu
            return spent > budget ? spent : nil
        }
    }

    /// A `parse-error` in place of everything else when the file has used up its budget.
    func overBudget(since started: BudgetClock, path: String, kind: FileKind, blob: BlobID?) -> FileAnalysis? {
        guard let spent = started.spent(over: timeBudget) else { return nil }
        return budgetExceeded(
            "analysis budget exceeded (\(String(format: "%.1f", spent)) s of CPU, budget \(String(format: "%g", timeBudget)) s); the file is not analysed",
            help: "raise `file-time-budget` in the configuration, or exclude the file if it is generated",
            path: path, kind: kind, blob: blob)
    }

    /// Peak memory of the Python front end per source byte, measured on degenerate files (at most 58 on a
    /// 16 MiB file of `x = [1, 2, 3]` lines); a file whose estimate exceeds `memoryBudget` is not parsed.
    static let pythonBytesPerSourceByte = 64

    /// A `parse-error` in place of a parse that would need more memory than the budget.
    func overMemoryBudget(_ bytes: [UInt8], path: String, kind: FileKind, blob: BlobID?) -> FileAnalysis? {
        let estimate = bytes.count * Self.pythonBytesPerSourceByte
        guard estimate > memoryBudget else { return nil }
        let mib = { (n: Int) in String(format: "%.0f", Double(n) / 1_048_576) }
        return budgetExceeded(
            "analysis budget exceeded (parsing this \(mib(bytes.count)) MiB file needs about \(mib(estimate)) MiB, budget \(mib(memoryBudget)) MiB); the file is not analysed",
            help: "raise `file-memory-budget` (MiB) in the configuration, or exclude the file if it is generated",
            path: path, kind: kind, blob: blob)
    }

    private func budgetExceeded(_ message: String, help: String, path: String, kind: FileKind, blob: BlobID?) -> FileAnalysis {
        var result = FileAnalysis(path: path, kind: kind, blob: blob)
        result.problems = [ParseProblem(code: "budget", message: message, range: SourceRange(line: 1, column: 1), help: help)]
        let file = AnalyzedFile(path: path, kind: .binary, bytes: [])
        file.problems = result.problems
        let settings = settingsFor(path)
        for rule in fileRules where rule.ruleDescription.id == "parse-error" && settings.enabledRules.contains("parse-error") {
            result.findings += rule.check(file, in: RuleContext(ruleID: "parse-error", severity: severity["parse-error"] ?? .warning))
        }
        return result
    }

    /// A file the snapshot listed but could not use (symlink loop, bad name): a problem, through the
    /// normal file-rule loop so that `parse-error` reports it.
    public func analyzeUnusable(path: String, message: String) -> FileAnalysis {
        let file = AnalyzedFile(path: path, kind: .binary, bytes: [])
        file.problems.append(ParseProblem(code: "unreadable", message: message, range: SourceRange(line: 1, column: 1)))
        var uncacheable = false
        return finish(file, into: FileAnalysis(path: path, kind: .binary, blob: nil), started: BudgetClock.start(),
                      uncacheable: &uncacheable)
    }

    private func parse(_ file: AnalyzedFile) {
        let bit = file.kind.bit
        guard parseMask & bit != 0 else { return }
        for (parser, mask) in zip(parsers, parserMasks) where mask & bit != 0 {
            let (artifact, problems) = parser.parse(file)
            file.artifacts[parser.key] = artifact
            file.problems += problems
        }
    }

    /// The words without repeats and without any word that holds another (`retrying` holds `retry`): a file
    /// that lacks every word is searched for each of them in full, and a held word occurs wherever its holder does.
    static func withoutSubsumed(_ words: [[UInt8]]) -> [[UInt8]] {
        func holds(_ word: [UInt8], _ part: [UInt8]) -> Bool {
            part.isEmpty || word.withUnsafeBufferPointer { ByteSearch.contains(part, in: $0) }
        }
        var out: [[UInt8]] = []
        for (i, w) in words.enumerated() {
            // Left out when another word is part of it: an earlier equal word, or a strictly shorter one.
            let subsumed = words.indices.contains { j in
                j != i && holds(w, words[j]) && (words[j].count < w.count || j < i)
            }
            if !subsumed { out.append(w) }
        }
        return out
    }

    /// Whether a Python file needs its full syntax tree (some gated rule's keyword occurs in it).
    func needsFullParse(_ bytes: [UInt8]) -> Bool {
        guard let gate = pythonKeywords else { return true }
        return bytes.withUnsafeBufferPointer { gate.occurs(in: $0) }
    }

    private func finish(_ file: AnalyzedFile, into base: FileAnalysis, started: BudgetClock, uncacheable: inout Bool) -> FileAnalysis {
        var result = base
        result.kind = file.kind
        let settings = settingsFor(file.path)
        let skips = SkipRecorder()
        let bit = file.kind.bit, textBit = FileKind.text.bit
        for (k, rule) in fileRules.enumerated() {
            let r = ruleFacts[k]
            guard r.inputs & bit != 0 || (r.inputs & textBit != 0 && file.kind != .binary) else { continue }
            guard settings.enabledRules.contains(r.id) else { continue }
            var ruleStart = 0.0
            let stoppable = stopsUnboundedRules && isUnbounded[k]
            if stoppable {
                if budgetStops.isStopped(k) {
                    if rule.asUnboundedFileRule?.applies(to: file.path) ?? true {
                        skips.record(RuleBudgetStops.skipReason(r.id))
                        uncacheable = true
                    }
                    continue
                }
                // Thread CPU time, as the budget is counted: on a loaded machine the wall clock would blame a cheap
                // rule that was merely descheduled after a long parse.
                ruleStart = Self.threadCPUTime()
            }
            let context = RuleContext(
                ruleID: r.id, severity: r.severity, skips: skips, budget: (started, timeBudget))
            result.findings += rule.check(file, in: context)
            if let over = overBudget(since: started, path: file.path, kind: base.kind, blob: base.blob) {
                // The budget ran out in this rule: it counts against the rule when the rule took at least half of it.
                // Such an analysis is not cached either: a cached verdict would not count against the rule in the next
                // run, which would then run it on three more files, and each run's report would differ from a cold one.
                if stoppable, Self.threadCPUTime() - ruleStart >= timeBudget / 2 {
                    budgetStops.recordHit(rule: k, path: file.path)
                    uncacheable = true
                }
                return over
            }
        }
        for (reason, n) in skips.snapshot.sorted(by: { $0.key < $1.key }) { result.ruleSkips += Array(repeating: reason, count: n) }
        result.problems = file.problems
        // Imports-only facts (no syntax tree) are already in `base`.
        if let python = file.python {
            result.python = PythonFactsExtractor.facts(from: python, callPatterns: callPatterns, interner: interner)
        }
        result.suppressions = Self.suppressions(in: file)
        if !result.suppressions.isEmpty && file.kind != .python {
            result.continuedLines = (1...max(1, file.lineIndex.lineCount)).filter { line in
                file.lineText(line).trimmingCharacters(in: .whitespaces).hasSuffix("\\")
            }
        }
        if file.kind.isManifest {
            for (key, value) in file.artifacts { result.documents[key] = value }
        }
        // Manifests stay in memory for the project (few and small); other files' bytes die here, and the
        // passes re-read the few files whose lines a finding quotes, so memory does not grow per file.
        if !file.bytes.isEmpty && file.kind.isManifest { result.retainedBytes = file.bytes }
        if !result.findings.isEmpty && !file.bytes.isEmpty { capturePassLines(file, into: &result) }
        return result
    }

    /// What the passes need of a file with findings, while its bytes are in memory: the lines the redaction
    /// pass's secret finder may find a secret on (a fact, cached), and the text of the lines the findings
    /// start on and of those candidate lines redaction will look at (in memory only), so that a cold run
    /// reads the file once.
    private func capturePassLines(_ file: AnalyzedFile, into result: inout FileAnalysis) {
        file.bytes.withUnsafeBufferPointer { buf in
            // A parsed Python file's lines were found by the lexer: the same starts, but for a BOM's (see below).
            let index = file.python.map { LineStarts(positions: $0.module.positions, byteCount: buf.count) } ?? LineStarts(buf)
            var wanted = result.findings.compactMap { f in
                LineStore.readsFirstLine(of: f, sourceLines: capturesFindingLines) ? f.range.start.line : nil
            }
            if let secretFinder, let candidates = secretFinder.candidateLines(in: buf, lineIndex: index, path: file.path, known: file.secretKeywordHits) {
                let secrets = SecretLines(candidates: candidates, bytes: buf, lineIndex: index)
                result.secretLines = secrets
                if !secrets.isEmpty {
                    for f in result.findings { wanted += secrets.lines(forStart: f.range.start.line, end: f.range.end.line) }
                }
            }
            wanted.sort()
            result.capturedLines = CapturedLines(wanted, bytes: buf, lineIndex: index)
        }
    }

    /// Suppression comments are recognised in `#`-comment formats only: Python, requirements files,
    /// Dockerfiles, TOML, YAML, `.env`, INI/cfg and shell.
    static let hashCommentExtensions: Set<String> = [
        "py", "pyi", "txt", "in", "toml", "yaml", "yml", "env", "cfg", "ini", "conf", "sh", "bash", "properties",
    ]

    static func supportsHashComments(_ file: AnalyzedFile) -> Bool {
        switch file.kind {
        case .python, .requirements, .dockerfile, .pyproject, .envFile: return true
        case .binary: return false
        case .text:
            let name = file.name
            if let answer = hasHashCommentNameASCII(name) { return answer }
            guard let dot = name.lastIndex(of: ".") else { return name == "Makefile" }
            return hashCommentExtensions.contains(name[name.index(after: dot)...].lowercased())
        }
    }

    /// `hashCommentExtensions`, as bytes.
    private static let hashCommentExtensionBytes: [[UInt8]] = hashCommentExtensions.map { Array($0.utf8) }

    /// `supportsHashComments` of a `.text` file named `name`, for an ASCII name, from its bytes (the Character
    /// search and `lowercased()` cost ~2,800 instructions a file); nil for any other name, which takes that way.
    static func hasHashCommentNameASCII(_ name: Substring) -> Bool? {
        name.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            var dot = -1
            for (i, b) in bytes.enumerated() {
                if b >= 0x80 { return nil }
                if b == 0x2E { dot = i }
            }
            guard dot >= 0 else { return bytes.elementsEqual("Makefile".utf8) }
            let ext = bytes[(dot + 1)...]
            return hashCommentExtensionBytes.contains { candidate in
                candidate.count == ext.count && zip(candidate, ext).allSatisfy { c, b in
                    c == (b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                }
            }
        } ?? nil
    }

    static func suppressions(in file: AnalyzedFile) -> [SuppressionComment] {
        guard supportsHashComments(file), SuppressionParser.mayContainDirective(file.bytes) else { return [] }
        var comments = SuppressionParser.parse(file.bytes, lineIndex: file.lineIndex)
        if let pythonComments = file.python?.module.comments ?? file.pythonComments, !comments.isEmpty {
            // In Python, only real comments count (not the same text inside a string); a directive may
            // follow another comment (`# type: ignore  # fleetlint: ignore[...]`).
            let byLine = Dictionary(grouping: pythonComments, by: \.range.start.line)
            comments = comments.filter { c in
                (byLine[c.range.start.line] ?? []).contains { $0.range.start <= c.range.start && c.range.start < $0.range.end }
            }
        }
        return comments
    }
}

extension LineStarts {
    /// The line starts of a file the Python lexer indexed (`PyPositionMap`, the same scan as `init(_:)`), whose first
    /// line starts after a UTF-8 BOM; here every first line starts at 0.
    init(positions: PyPositionMap, byteCount: Int) {
        var starts = positions.lineStarts
        if starts.first != 0 { starts[0] = 0 }
        lineStarts = starts
        self.byteCount = byteCount
    }
}

/// Each thread's last reading of its CPU clock and when it was taken (`FileAnalyzer.BudgetClock.start`), in
/// thread-specific storage freed when the thread ends.
private enum ThreadCPUReading {
    typealias Reading = (cpu: Double, wall: Double)

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Darwin)
        let made = pthread_key_create(&key) { p in p.assumingMemoryBound(to: Reading.self).deallocate() }
        #else
        let made = pthread_key_create(&key) { p in p?.assumingMemoryBound(to: Reading.self).deallocate() }
        #endif
        precondition(made == 0, "pthread_key_create failed")
        return key
    }()

    static var current: UnsafeMutablePointer<Reading> {
        if let p = pthread_getspecific(key) { return p.assumingMemoryBound(to: Reading.self) }
        let p = UnsafeMutablePointer<Reading>.allocate(capacity: 1)
        p.initialize(to: (0, 0))
        pthread_setspecific(key, p)
        return p
    }
}
