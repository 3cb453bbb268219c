import FleetLintSyntax
import Foundation

/// Everything the engine keeps of one file after analysing it: a small value, cached by blob id (`FactsCodec`).
/// Syntax trees never leave the analyser; project rules and adoption read these facts.
///
/// What most files have (path, blob id, findings, Python facts, kind, secret lines) is stored inline; what few files
/// have (a skip reason, problems, suppressions, rule skips, the manifests and bytes handed to the project, captured
/// lines) lives in one shared box (`Extras`, copied on write, nil while all of it is empty). The value is 104 bytes, not
/// 168, and a `ProjectFile` holding one fits jemalloc's 128-byte class, not 224 (~3.5 MB on a tree of 37,000 files, and
/// as much again in the analysis's array of results, alive with the project files while the project is made). The
/// secret lines stay inline: in the box, every file with findings but no captured lines (all of them in a JSON run)
/// had a box of its own, 128 bytes (+3 MB on the 16x synthetic tree).
public struct FileAnalysis: Sendable {
    public var path: String
    /// File-rule findings, before the severity, suppression and redaction passes.
    public var findings: [Finding] = []
    /// The lines the redaction pass's secret finder may find a secret on, when the analysis looked (files with
    /// file-rule findings); nil when unknown.
    public var secretLines: SecretLines?
    private var extras: ExtrasBox?
    public var python: PythonFacts?
    /// The kind by name, or `.binary` when the content is binary.
    public var kind: FileKind
    public var blob: BlobID?

    /// The fields few files have, as one value.
    private struct Extras {
        var skipped: String?
        var problems: [ParseProblem] = []
        var suppressions: [SuppressionComment] = []
        var continuedLines: [Int] = []
        var ruleSkips: [String] = []
        var documents: [String: any Sendable] = [:]
        var retainedBytes: [UInt8]?
        var capturedLines: CapturedLines?

        var isEmpty: Bool {
            skipped == nil && problems.isEmpty && suppressions.isEmpty && continuedLines.isEmpty && ruleSkips.isEmpty
                && documents.isEmpty && retainedBytes == nil && capturedLines == nil
        }
    }

    /// The box that holds them, copied before a write when shared (`writableExtras`), so that a `FileAnalysis` keeps
    /// value semantics.
    private final class ExtrasBox: @unchecked Sendable {
        var value: Extras
        init(_ value: Extras) { self.value = value }
    }

    /// Lets the box go when every field in it is empty again (after the project took the documents and bytes, or
    /// the passes the captured lines).
    mutating func dropEmptyExtras() {
        if extras?.value.isEmpty == true { extras = nil }
    }

    private mutating func writableExtras() -> ExtrasBox {
        if extras == nil {
            extras = ExtrasBox(Extras())
        } else if !isKnownUniquelyReferenced(&extras) {
            extras = ExtrasBox(extras!.value)
        }
        return extras!
    }

    /// Why the file was not analysed (`binary`, `too large`), counted in the summary.
    public var skipped: String? {
        get { extras?.value.skipped }
        set { if newValue != nil || extras != nil { writableExtras().value.skipped = newValue } }
    }
    /// Problems met while reading, decoding or parsing (reported by `parse-error`).
    public var problems: [ParseProblem] {
        get { extras?.value.problems ?? [] }
        _modify { let e = writableExtras(); yield &e.value.problems }
        set { if !newValue.isEmpty || extras != nil { writableExtras().value.problems = newValue } }
    }
    /// Suppression directives (in Python only those inside real comments).
    public var suppressions: [SuppressionComment] {
        get { extras?.value.suppressions ?? [] }
        _modify { let e = writableExtras(); yield &e.value.suppressions }
        set { if !newValue.isEmpty || extras != nil { writableExtras().value.suppressions = newValue } }
    }
    /// Lines that end with a backslash, when the file has suppressions and `\` continues a line.
    public var continuedLines: [Int] {
        get { extras?.value.continuedLines ?? [] }
        _modify { let e = writableExtras(); yield &e.value.continuedLines }
        set { if !newValue.isEmpty || extras != nil { writableExtras().value.continuedLines = newValue } }
    }
    /// Files a rule deliberately did not analyse, by reason (lock files, size limits).
    public var ruleSkips: [String] {
        get { extras?.value.ruleSkips ?? [] }
        _modify { let e = writableExtras(); yield &e.value.ruleSkips }
        set { if !newValue.isEmpty || extras != nil { writableExtras().value.ruleSkips = newValue } }
    }
    /// Parsed manifests handed from the analyser to the project in the same run (never cached: the
    /// project re-parses manifests of cached files from their bytes, which costs milliseconds).
    public var documents: [String: any Sendable] {
        get { extras?.value.documents ?? [:] }
        _modify { let e = writableExtras(); yield &e.value.documents }
        set { if !newValue.isEmpty || extras != nil { writableExtras().value.documents = newValue } }
    }
    /// The bytes, kept for the passes when the file has findings or problems (never cached).
    public var retainedBytes: [UInt8]? {
        get { extras?.value.retainedBytes }
        set { if newValue != nil || extras != nil { writableExtras().value.retainedBytes = newValue } }
    }
    /// The lines the passes read for this file's findings (never cached: a line can hold a secret).
    public var capturedLines: CapturedLines? {
        get { extras?.value.capturedLines }
        set { if newValue != nil || extras != nil { writableExtras().value.capturedLines = newValue } }
    }

    /// Nothing but its path, kind and blob id: no findings, facts or rare fields, and neither Python nor a manifest (the
    /// kinds whose `ProjectFile` the project rules ask for). A project keeps such a file in a plain table, not as a
    /// `ProjectFile` (`Project.init`): most files of a real repository (nba: ~6,900 of 9,256).
    var isPlain: Bool {
        findings.isEmpty && python == nil && secretLines == nil && (extras?.value.isEmpty ?? true) && kind != .python
            && !kind.isManifest
    }

    public init(path: String, kind: FileKind, blob: BlobID?) {
        self.path = path
        self.kind = kind
        self.blob = blob
    }

    /// The Python module the path names (`svc/app.py` → `svc.app`; `pkg/__init__.py` → `pkg`), made on each call.
    public var moduleName: String { PythonFile.moduleName(forPath: path).name }
}

/// The lines of a file on which the engine's secret finder (`SecretFinder.secrets(inLine:path:)`, what the
/// redaction pass runs) may find a secret: every line holding a keyword of its patterns, a superset. Each comes
/// with the bounds of its logical line (`\` continuations), so that redaction can tell which findings to look
/// at without the file's bytes. Line numbers only, never text: it is cached.
public struct SecretLines: Sendable, Hashable {
    /// For each candidate line, ascending, three numbers: the line; the first line of the run of continued
    /// lines that reaches it (lines `first..<line` all end with `\`); the end of its logical line, the first
    /// line at or after it that does not end with `\` (past the last line when the last line does). One
    /// array (one allocation per file; none when empty).
    private var triples: [Int32]

    /// The number of candidate lines.
    public var count: Int { triples.count / 3 }
    public var isEmpty: Bool { triples.isEmpty }
    /// The `i`th candidate line, its logical line's first line and end.
    public func line(_ i: Int) -> Int { Int(triples[3 * i]) }
    public func first(_ i: Int) -> Int { Int(triples[3 * i + 1]) }
    public func last(_ i: Int) -> Int { Int(triples[3 * i + 2]) }

    /// From `line`, `first`, `last` triples (as `line(_:)`, `first(_:)`, `last(_:)` give them); nil unless the
    /// lines ascend and each lies within its logical line (redaction searches them: anything else is corrupt).
    public init?(triples: [Int32]) {
        guard triples.count % 3 == 0 else { return nil }
        var previous = Int32.min
        for k in stride(from: 0, to: triples.count, by: 3) {
            let line = triples[k]
            guard line > previous, triples[k + 1] <= line, line <= triples[k + 2] else { return nil }
            previous = line
        }
        self.triples = triples
    }

    /// The facts of `bytes` for candidate lines `candidates` (any order, duplicates allowed). Each line's
    /// ends are looked at at most twice (linear in the file).
    public init(candidates: [Int], bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts) {
        let sorted = Array(Set(candidates.filter { $0 >= 1 && $0 <= lineIndex.lineCount })).sorted()
        let n = sorted.count
        var t = [Int32](repeating: 0, count: 3 * n)
        func continues(_ line: Int) -> Bool {
            guard line >= 1, line <= lineIndex.lineCount, !bytes.isEmpty else { return false }
            return LineContinuation.continues(UnsafeBufferPointer(rebasing: bytes[lineIndex.byteRange(ofLine: line, in: bytes)]))
        }
        for i in 0..<n {
            t[3 * i] = Int32(clamping: sorted[i])
            var a = sorted[i]
            while a > 1, continues(a - 1) {
                a -= 1
                // The earlier candidate's run is this one's too (and was walked already).
                if i > 0, a == sorted[i - 1] { a = Int(t[3 * (i - 1) + 1]); break }
            }
            t[3 * i + 1] = Int32(clamping: a)
        }
        for i in (0..<n).reversed() {
            var b = sorted[i]
            while continues(b) {
                b += 1
                if i + 1 < n, b == sorted[i + 1] { b = Int(t[3 * (i + 1) + 2]); break }
            }
            t[3 * i + 2] = Int32(clamping: b)
        }
        triples = t
    }

    /// The reach of redaction around a finding that starts on line `start` and ends on `end`: its lines
    /// (at most 200), extended over `\` continuations at most 200 lines back and to 400 lines after `start`.
    public static func window(start: Int, end: Int) -> (base: ClosedRange<Int>, back: Int, forward: Int) {
        (start...min(max(start, end), start + 200), start - 200, start + 400)
    }

    /// The candidate lines on the logical line(s) of a finding from line `start` to `end`, ascending:
    /// those the redaction pass's walk over `\` continuations reaches (see `window`).
    public func lines(forStart start: Int, end: Int) -> [Int] {
        let (base, back, forward) = Self.window(start: start, end: end)
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if line(mid) < back { lo = mid + 1 } else { hi = mid }
        }
        var out: [Int] = []
        var i = lo
        while i < count, line(i) <= forward {
            let c = line(i)
            // Before the finding: every line from it to the finding's first continues. After: every line from
            // the finding's (capped) last to it continues.
            if base.contains(c) || c < start && last(i) >= start || c > base.upperBound && first(i) <= base.upperBound {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// The triples, for the cache.
    var storage: [Int32] { triples }
}

/// A file's line starts, as `LineIndex` finds them (`\n`, `\r\n` or a lone `\r`), without its per-block
/// column counts (a pass over a non-ASCII file that only lines need not pay for).
public struct LineStarts: LineStartTable, Sendable {
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    public let byteCount: Int

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        LineIndex.appendLineStarts(bytes, from: 0, to: &starts)
        lineStarts = starts
        byteCount = bytes.count
    }

    public init(_ bytes: [UInt8]) { self = bytes.withUnsafeBufferPointer { LineStarts($0) } }
}

/// Whether a line continues on the next: it ends with `\` once trailing whitespace is trimmed.
public enum LineContinuation {
    /// `line`: the line's bytes without its terminator. A String is made only when its end is not ASCII.
    public static func continues(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = line.count
        while end > 0, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        if end > 0, line[end - 1] >= 0x80 {  // maybe a Unicode space
            return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces).hasSuffix("\\")
        }
        return end > 0 && line[end - 1] == 0x5C
    }
}

/// The text of some lines of one file, kept in memory for the passes (source lines, fingerprints, redaction)
/// so that they need not read the file again. One buffer per file. Never cached: a line can hold a secret.
public struct CapturedLines: Sendable {
    /// `n` (4 bytes), then for each line, ascending, its number and the end offset of its text within the
    /// text part (4 bytes each), then the lines' bytes one after another: one allocation per file.
    private var storage: [UInt8] = []

    public init() {}

    /// Captures lines `wanted` (ascending, duplicates allowed) of `bytes`; a line past the end is empty.
    public init(_ wanted: some Sequence<Int>, bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts) {
        var numbers: [Int] = []
        var previous = Int.min
        for line in wanted where line != previous {
            precondition(line > previous, "captured lines must be ascending")
            previous = line
            numbers.append(line)
        }
        guard !numbers.isEmpty else { return }
        let ranges = numbers.map { line in
            !bytes.isEmpty && line >= 1 && line <= lineIndex.lineCount ? lineIndex.byteRange(ofLine: line, in: bytes) : 0..<0
        }
        let textCount = ranges.reduce(0) { $0 + $1.count }
        let header = 4 + 8 * numbers.count
        storage = [UInt8](unsafeUninitializedCapacity: header + textCount) { out, initialized in
            let raw = UnsafeMutableRawBufferPointer(out)
            raw.storeBytes(of: Int32(clamping: numbers.count), toByteOffset: 0, as: Int32.self)
            var end = 0
            for (i, line) in numbers.enumerated() {
                let r = ranges[i]
                if !r.isEmpty { (out.baseAddress! + header + end).update(from: bytes.baseAddress! + r.lowerBound, count: r.count) }
                end += r.count
                raw.storeBytes(of: Int32(clamping: line), toByteOffset: 4 + 8 * i, as: Int32.self)
                raw.storeBytes(of: Int32(clamping: end), toByteOffset: 8 + 8 * i, as: Int32.self)
            }
            initialized = header + textCount
        }
    }

    public var isEmpty: Bool { storage.isEmpty }

    /// Calls `body` with the line's bytes, or nil when it was not captured.
    private func withLine<T>(_ line: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard !storage.isEmpty else { return body(nil) }
        return storage.withUnsafeBytes { raw in
            let n = Int(raw.loadUnaligned(fromByteOffset: 0, as: Int32.self))
            func number(_ i: Int) -> Int { Int(raw.loadUnaligned(fromByteOffset: 4 + 8 * i, as: Int32.self)) }
            func end(_ i: Int) -> Int { Int(raw.loadUnaligned(fromByteOffset: 8 + 8 * i, as: Int32.self)) }
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if number(mid) < line { lo = mid + 1 } else { hi = mid }
            }
            guard lo < n, number(lo) == line else { return body(nil) }
            let header = 4 + 8 * n
            let start = lo == 0 ? 0 : end(lo - 1)
            let text = raw.bindMemory(to: UInt8.self)
            return body(UnsafeBufferPointer(rebasing: text[(header + start)..<(header + end(lo))]))
        }
    }

    public func contains(_ line: Int) -> Bool { withLine(line) { $0 != nil } }

    /// The line's text, nil when it was not captured.
    public func line(_ line: Int) -> String? {
        withLine(line) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }
}

/// The Python facts the project rules and adoption need.
///
/// The two flags are declared last (35 bytes, not 49: no padding after `isPackage`); `init` keeps the order of the
/// memberwise initialiser. The module name is not stored: it is a function of the path (`FileAnalysis.moduleName`),
/// and a string per Python file was ~2.4 MB of the 16x tree's peak.
public struct PythonFacts: Sendable, Codable {
    public var imports: [ImportFact]
    /// Classes with their bases resolved through imports (inheritance credit in adoption); like `calls`,
    /// only when callee patterns are configured (no project rule reads them).
    public var classes: [ClassFact]
    /// Resolved call sites and decorators of the configured callee patterns.
    public var calls: [CallFact]
    /// What `missing-dependency` reads besides the imports (dead fallbacks, `sys.path` edits), from the syntax tree.
    public var importContext = ImportContextFact()
    public var isPackage: Bool
    /// False when only imports were scanned (no enabled Python rule's keyword occurs in the file).
    public var fullParse: Bool

    init(isPackage: Bool, imports: [ImportFact], classes: [ClassFact], calls: [CallFact], fullParse: Bool,
         importContext: ImportContextFact = ImportContextFact()) {
        self.imports = imports
        self.classes = classes
        self.calls = calls
        self.importContext = importContext
        self.isPackage = isPackage
        self.fullParse = fullParse
    }
}

/// What a file's imports do not say, read from its syntax tree while it is alive (`PythonFactsExtractor`): which
/// imports are the fallback branch of a `try` whose body imports other modules (`try: import zoneinfo` / `except
/// ImportError: import pytz` — dead code when the target Python has `zoneinfo`), and whether the file extends
/// `sys.path`. Which modules the target Python has is a setting: the rule decides, the fact lists the modules.
public struct ImportContextFact: Sendable, Codable, Hashable {
    /// A `try` whose own body imports modules, and the import statements anywhere inside its handlers.
    public struct Fallback: Sendable, Codable, Hashable {
        /// The modules the import statements of the `try` body import (`a.b` of `import a.b`, `m` of `from m import
        /// x`; relative imports name none), in order.
        public var guardedModules: [String]
        /// Start lines of the import statements (other than relative `from` imports) anywhere in its handlers.
        public var handlerImportLines: [Int]
        public init(guardedModules: [String], handlerImportLines: [Int]) {
            self.guardedModules = guardedModules
            self.handlerImportLines = handlerImportLines
        }
    }
    /// Only `try`s with both guarded modules and handler imports (the others cannot make an import dead).
    public var fallbacks: [Fallback] = []
    /// `sys.path.insert(…)`, `sys.path.append(…)`, `sys.path.extend(…)`, `sys.path = …`, `sys.path += …` or
    /// `site.addsitedir(…)` anywhere in the file.
    public var extendsSysPath = false

    public init(fallbacks: [Fallback] = [], extendsSysPath: Bool = false) {
        self.fallbacks = fallbacks
        self.extendsSysPath = extendsSysPath
    }

    /// Start lines of the imports that are dead on a target whose standard library has every module a fallback's
    /// `try` imports (`isStandardLibrary` answers for a module name).
    public func deadFallbackLines(isStandardLibrary: (String) -> Bool) -> Set<Int> {
        var dead = Set<Int>()
        for f in fallbacks where f.guardedModules.allSatisfy({ !$0.isEmpty && isStandardLibrary($0) }) {
            dead.formUnion(f.handlerImportLines)
        }
        return dead
    }
}

/// One `import` / `from … import` statement, as much of it as the project rules read. Every Python file's
/// imports live until the project rules are done (hundreds of thousands in a large repository), so a fact is
/// 32 bytes: what it imports (`ImportTarget`, one object shared by every equal statement — a repository has
/// a few thousand distinct ones among tens of thousands of statements, see `FactInterner`), 32-bit positions,
/// one byte of flags and one of context. The alias and the resolved target of each name stay in the syntax
/// layer (`PyImportFact`): no project rule reads them.
public struct ImportFact: Sendable, Hashable {
    /// One imported name as written (`a.b` of `import a.b as c`, `x` of `from m import x`, `*`).
    public struct Name: Sendable, Codable, Hashable {
        public var name: String
        public init(name: String) { self.name = name }
    }

    /// The imported names, read in place (no array is made to read them).
    public struct Names: RandomAccessCollection, Sendable {
        fileprivate let target: ImportTarget
        public var startIndex: Int { 0 }
        public var endIndex: Int {
            switch target.names {
            case .one: 1
            case .many(let ns): ns.count
            }
        }
        public subscript(i: Int) -> Name {
            switch target.names {
            case .one(let n):
                precondition(i == 0, "index out of range")
                return Name(name: n)
            case .many(let ns): return Name(name: ns[i])
            }
        }
    }

    private static let guardedFlag: UInt8 = 1, typeCheckingFlag: UInt8 = 2

    /// `ImportTarget.flags` of a statement.
    static func flags(guarded: Bool, typeChecking: Bool) -> UInt8 {
        (guarded ? guardedFlag : 0) | (typeChecking ? typeCheckingFlag : 0)
    }

    /// What is imported, with the statement's flags and context: one object for equal statements of every file
    /// (`FactInterner`), so that a fact is 16 bytes with its packed range (32 with the flags and a range of four
    /// 32-bit numbers: ~5 MB of the 16x tree's ~313,000 imports).
    private(set) var target: ImportTarget
    private var storedRange: PackedRange

    /// The identity of the statement's target object. Equal targets of a run are one object (`FactInterner`), so a
    /// project rule can work out what a target says once and reuse it for every statement that has the same
    /// identity (valid while the facts live; equal targets with different identities are merely worked out twice).
    public var targetIdentity: ObjectIdentifier { ObjectIdentifier(target) }
    /// Module as written without leading dots.
    public var module: String { target.module }
    public var names: Names { Names(target: target) }
    public var isFrom: Bool { target.isFrom }
    /// Leading dots of a relative import.
    public var level: Int { Int(target.level) }
    /// Inside the body of a `try` whose handlers catch the import failing.
    public var isGuardedByTry: Bool { target.flags & Self.guardedFlag != 0 }
    /// Under `if TYPE_CHECKING:`.
    public var isTypeCheckingOnly: Bool { target.flags & Self.typeCheckingFlag != 0 }
    /// `module`, `function` or `class` (`PyDefinitionContext`).
    public var context: String { target.context.rawValue }

    public var range: SourceRange { storedRange.sourceRange }

    /// - Parameter context: a `PyDefinitionContext` raw value (anything else reads as `module`).
    public init(isFrom: Bool, module: String, names: [String], level: Int, range: SourceRange, context: String,
                isGuardedByTry: Bool, isTypeCheckingOnly: Bool) {
        target = ImportTarget(
            module: module, isFrom: isFrom, level: level, names: names,
            flags: Self.flags(guarded: isGuardedByTry, typeChecking: isTypeCheckingOnly),
            context: PyDefinitionContext(rawValue: context) ?? .module)
        storedRange = PackedRange(range)
    }

    /// The fact of a record, read from it directly: no array of names for the usual single name and no round trip
    /// of the context through its raw value (the general init cost ~960 instructions an import).
    public init(_ r: __shared PyImportRecord) {
        target = ImportTarget(r)
        storedRange = PackedRange(r.range)
    }

    /// The fact of a record whose target is given (`FactInterner.target(of:)`: the run's shared one).
    init(_ r: __shared PyImportRecord, target: ImportTarget) {
        self.target = target
        storedRange = PackedRange(r.range)
    }

    /// The same fact importing an equal, shared target (`FactInterner`).
    func sharing(_ shared: ImportTarget) -> ImportFact {
        var copy = self
        copy.target = shared
        return copy
    }
}

/// 1-based lines and columns of a file of at most a few GiB.
struct CompactRange: Sendable, Hashable {
    var startLine, startColumn, endLine, endColumn: Int32

    init(_ range: SourceRange) {
        startLine = Int32(clamping: range.start.line); startColumn = Int32(clamping: range.start.column)
        endLine = Int32(clamping: range.end.line); endColumn = Int32(clamping: range.end.column)
    }

    init(startLine: Int32, startColumn: Int32, endLine: Int32, endColumn: Int32) {
        (self.startLine, self.startColumn, self.endLine, self.endColumn) = (startLine, startColumn, endLine, endColumn)
    }
}

/// A range in one word (an import statement's, a finding's in `RunFindings`): the start line (27 bits), the number of
/// lines it spans (8), its start and end columns (14 each). A range that does not fit (a column past 16,383, a statement
/// over 255 lines) is kept whole in `OverflowRanges` and the word holds its number, with the top bit set. Equal ranges
/// give equal words, so an import fact's `==` and hash compare ranges.
struct PackedRange: Sendable, Hashable {
    let bits: UInt64
    private static let overflow: UInt64 = 1 << 63

    init(bits: UInt64) { self.bits = bits }

    init(_ range: SourceRange) {
        let r = CompactRange(range)
        let span = Int64(r.endLine) - Int64(r.startLine)
        if r.startLine >= 0, r.startLine < 1 << 27, span >= 0, span < 256, r.startColumn >= 0, r.startColumn < 1 << 14,
           r.endColumn >= 0, r.endColumn < 1 << 14 {
            bits = UInt64(r.startLine) << 36 | UInt64(span) << 28 | UInt64(r.startColumn) << 14 | UInt64(r.endColumn)
        } else {
            bits = Self.overflow | UInt64(OverflowRanges<CompactRange>.shared.number(of: r))
        }
    }

    /// `range` as it is, numbers past 32 bits included (a finding's range, `Finding.range`): a range of 32-bit numbers
    /// is packed (or kept in `OverflowRanges<CompactRange>`) as `init(_:)` does; one with a larger number is kept in
    /// `OverflowRanges<SourceRange>`, the word's second bit set too. Equal ranges give equal words.
    init(exactly range: SourceRange) {
        if Int32(exactly: range.start.line) != nil, Int32(exactly: range.start.column) != nil,
           Int32(exactly: range.end.line) != nil, Int32(exactly: range.end.column) != nil {
            self.init(range)
        } else {
            self.init(bits: Self.overflow | Self.wide | UInt64(OverflowRanges<SourceRange>.shared.number(of: range)))
        }
    }

    /// Set with `overflow` when the range is kept in `OverflowRanges<SourceRange>` (`init(exactly:)` only).
    private static let wide: UInt64 = 1 << 62

    /// Whether the range has a number past 32 bits (kept in `OverflowRanges<SourceRange>`).
    var isWide: Bool { bits & Self.overflow != 0 && bits & Self.wide != 0 }

    /// The range `init(exactly:)` packed.
    var sourceRange: SourceRange {
        if isWide {
            return OverflowRanges<SourceRange>.shared.range(Int(truncatingIfNeeded: bits & ~(Self.overflow | Self.wide)))
        }
        let r = range
        return SourceRange(start: SourceLocation(line: Int(r.startLine), column: Int(r.startColumn)),
                           end: SourceLocation(line: Int(r.endLine), column: Int(r.endColumn)))
    }

    var range: CompactRange {
        if bits & Self.overflow != 0 { return OverflowRanges<CompactRange>.shared.range(Int(truncatingIfNeeded: bits & ~Self.overflow)) }
        let mask14: UInt64 = (1 << 14) - 1
        let startLine = Int32(truncatingIfNeeded: bits >> 36)
        return CompactRange(
            startLine: startLine, startColumn: Int32(truncatingIfNeeded: (bits >> 14) & mask14),
            endLine: startLine + Int32(truncatingIfNeeded: (bits >> 28) & 0xFF), endColumn: Int32(truncatingIfNeeded: bits & mask14))
    }
}

/// The ranges that do not fit a packed word (`PackedRange`), each kept once per process: a column past
/// 16,383 or a statement over 255 lines (minified or generated code), or a finding's number past 32 bits. Locked:
/// workers analyse files in parallel.
final class OverflowRanges<Value: Hashable>: @unchecked Sendable {
    private var ranges: [Value] = []
    private var numbers: [Value: Int] = [:]
    private let lock = NSLock()

    func number(of r: Value) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let n = numbers[r] { return n }
        ranges.append(r)
        numbers[r] = ranges.count - 1
        return ranges.count - 1
    }

    func range(_ n: Int) -> Value {
        lock.lock()
        defer { lock.unlock() }
        return ranges[n]
    }

    /// How many ranges are kept (tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return ranges.count
    }
}

extension OverflowRanges where Value == CompactRange {
    /// Ranges of 32-bit numbers (import facts, findings).
    static var shared: OverflowRanges<CompactRange> { sharedCompactRanges }
}

extension OverflowRanges where Value == SourceRange {
    /// Ranges with a number past 32 bits (a finding's, `PackedRange(exactly:)`).
    static var shared: OverflowRanges<SourceRange> { sharedSourceRanges }
}

private let sharedCompactRanges = OverflowRanges<CompactRange>()
private let sharedSourceRanges = OverflowRanges<SourceRange>()

/// What an import statement imports: the module as written, its level, and the names. Immutable and compared
/// by value; equal targets of different statements and files are one object (`FactInterner`).
public final class ImportTarget: Sendable, Hashable {
    enum StoredNames: Sendable, Hashable {
        case one(String)
        case many([String])
    }

    public let module: String
    public let isFrom: Bool
    let level: Int32
    let names: StoredNames
    /// The statement's guarded-by-try and TYPE_CHECKING flags (`ImportFact.flags(guarded:typeChecking:)`).
    let flags: UInt8
    let context: PyDefinitionContext
    /// Made by the run's `FactInterner` as the one object of its value (its strings shared too): compaction passes it
    /// over.
    let isShared: Bool

    init(module: String, isFrom: Bool, level: Int, names: [String], flags: UInt8, context: PyDefinitionContext) {
        self.module = module
        self.isFrom = isFrom
        self.level = Int32(clamping: level)
        self.names = names.count == 1 ? .one(names[0]) : .many(names)
        self.flags = flags
        self.context = context
        isShared = false
    }

    /// What an import record imports (`init(module:isFrom:level:names:)` of its parts).
    init(_ r: __shared PyImportRecord) {
        module = r.module
        isFrom = r.isFrom
        level = Int32(clamping: r.level)
        names = r.names.count == 1 ? .one(r.names[0].name) : .many(r.names.map(\.name))
        flags = ImportFact.flags(guarded: r.isGuardedByTry, typeChecking: r.isTypeCheckingOnly)
        context = r.context
        isShared = false
    }

    private init(module: String, isFrom: Bool, level: Int32, names: StoredNames, flags: UInt8, context: PyDefinitionContext,
                 isShared: Bool) {
        self.module = module
        self.isFrom = isFrom
        self.level = level
        self.names = names
        self.flags = flags
        self.context = context
        self.isShared = isShared
    }

    /// An equal target whose strings are the ones `string` gives, made shared (`isShared`).
    func withStrings(_ string: (String) -> String) -> ImportTarget {
        let shared: StoredNames = switch names {
        case .one(let n): .one(string(n))
        case .many(let ns): .many(ns.map(string))
        }
        return ImportTarget(
            module: string(module), isFrom: isFrom, level: level, names: shared, flags: flags, context: context, isShared: true)
    }

    /// Whether this target is what `r` imports (`==` of `ImportTarget(r)`, without making it).
    func equals(_ r: borrowing PyImportRecord) -> Bool {
        guard module == r.module, isFrom == r.isFrom, level == Int32(clamping: r.level), context == r.context,
              flags == ImportFact.flags(guarded: r.isGuardedByTry, typeChecking: r.isTypeCheckingOnly) else { return false }
        switch names {
        case .one(let n): return r.names.count == 1 && r.names[0].name == n
        case .many(let ns):
            guard r.names.count == ns.count, ns.count != 1 else { return false }
            for k in ns.indices where ns[k] != r.names[k].name { return false }
            return true
        }
    }

    public static func == (a: ImportTarget, b: ImportTarget) -> Bool {
        a === b || a.module == b.module && a.isFrom == b.isFrom && a.level == b.level && a.names == b.names
            && a.flags == b.flags && a.context == b.context
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(module)
        hasher.combine(isFrom)
        hasher.combine(level)
        hasher.combine(names)
        hasher.combine(flags)
        hasher.combine(context)
    }
}

extension ImportFact: Codable {
    enum CodingKeys: String, CodingKey {
        case isFrom, module, names, level, range, context, isGuardedByTry, isTypeCheckingOnly
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let context = try c.decode(String.self, forKey: .context)
        guard PyDefinitionContext(rawValue: context) != nil else {
            throw DecodingError.dataCorruptedError(forKey: .context, in: c, debugDescription: "unknown import context `\(context)`")
        }
        self.init(
            isFrom: try c.decode(Bool.self, forKey: .isFrom), module: try c.decode(String.self, forKey: .module),
            names: try c.decode([Name].self, forKey: .names).map(\.name), level: try c.decode(Int.self, forKey: .level),
            range: try c.decode(SourceRange.self, forKey: .range), context: context,
            isGuardedByTry: try c.decode(Bool.self, forKey: .isGuardedByTry),
            isTypeCheckingOnly: try c.decode(Bool.self, forKey: .isTypeCheckingOnly))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isFrom, forKey: .isFrom)
        try c.encode(module, forKey: .module)
        try c.encode(Array(names), forKey: .names)
        try c.encode(level, forKey: .level)
        try c.encode(range, forKey: .range)
        try c.encode(context, forKey: .context)
        try c.encode(isGuardedByTry, forKey: .isGuardedByTry)
        try c.encode(isTypeCheckingOnly, forKey: .isTypeCheckingOnly)
    }
}

/// A class definition.
public struct ClassFact: Sendable, Codable, Hashable {
    public var name: String
    /// Dotted name within the module (`Outer.Inner`).
    public var qualifiedName: String
    public var line: Int
    /// Bases resolved to qualified names (nil where a base is not a resolvable name).
    public var bases: [String?]
    /// The last line of the class body (attributes call sites and findings to classes in adoption).
    public var endLine: Int? = nil
}

/// A resolved call (or decorator) of a configured callee.
public struct CallFact: Sendable, Codable, Hashable {
    public var callee: String
    public var range: SourceRange
    /// Enclosing `Class.method` / function, or `<module>`.
    public var scope: String
    /// The enclosing class's name within the module, if any.
    public var enclosingClass: String?
    public var isDecorator: Bool
}
