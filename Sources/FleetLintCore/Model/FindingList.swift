/// The findings of a report, in report order: an array, or the findings of a run memo still in their encoded form
/// (`EncodedFindings`), each decoded when it is read.
///
/// A warm run answers from its memo. Decoded into an array, its findings took ~32 MiB on the 16x synthetic tree
/// (90,000 findings of ~350 bytes with their strings) and were the run's peak; kept encoded they are the memo's 6 MB
/// and a table of its distinct strings, and a reporter decodes a chunk at a time (`withContiguousFindings`).
public struct FindingList: RandomAccessCollection, Sendable, ExpressibleByArrayLiteral, Equatable {
    enum Storage: Sendable {
        case array([Finding])
        case encoded(EncodedFindings)
    }
    private(set) var storage: Storage

    public init(_ findings: [Finding] = []) { storage = .array(findings) }
    public init(arrayLiteral findings: Finding...) { storage = .array(findings) }
    init(encoded: EncodedFindings) { storage = .encoded(encoded) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .array(let a): a.count
        case .encoded(let e): e.count
        }
    }
    public subscript(i: Int) -> Finding {
        switch storage {
        case .array(let a): a[i]
        case .encoded(let e): e.finding(i)
        }
    }

    /// Every finding in one array (an encoded list decoded whole).
    public var array: [Finding] {
        switch storage {
        case .array(let a): a
        case .encoded(let e): e.findings(0..<e.count)
        }
    }

    /// An encoded list whose findings are decoded with their source lines from `lines` (made for its memo); an
    /// array as it is.
    func withSourceLines(_ lines: MemoSourceLines) -> FindingList {
        guard case .encoded(let e) = storage else { return self }
        return FindingList(encoded: e.withSourceLines(lines))
    }

    /// The findings counted by rule and severity: known without decoding an encoded list.
    var tally: FindingTally {
        switch storage {
        case .array(let a): FindingTally(a)
        case .encoded(let e): e.tally
        }
    }

    /// Whether the findings are still encoded (a warm run's, until something needs them as values).
    public var isEncoded: Bool {
        if case .encoded = storage { return true }
        return false
    }

    /// `body` over the findings of `range` in contiguous memory, read in place: the array's own storage, or, for
    /// an encoded list, those findings decoded into an array that lives for the call.
    public func withContiguousFindings<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Finding>) throws -> R) rethrows -> R {
        switch storage {
        case .array(let a):
            return try a.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
        case .encoded(let e):
            return try e.findings(range).withUnsafeBufferPointer(body)
        }
    }

    /// Findings an encoded list decodes at a time for `forEachChunk` (~1.4 MiB of `Finding`s and their strings).
    static let chunkSize = 4_096

    /// `body` over every finding, in order, a chunk of contiguous findings at a time (one chunk: the whole array).
    public func forEachChunk(_ body: (UnsafeBufferPointer<Finding>) throws -> Void) rethrows {
        switch storage {
        case .array(let a):
            try a.withUnsafeBufferPointer(body)
        case .encoded(let e):
            for start in stride(from: 0, to: e.count, by: Self.chunkSize) {
                try withContiguousFindings(start..<Swift.min(e.count, start + Self.chunkSize), body)
            }
        }
    }

    /// The highest severity of any finding (nil when there are none): known without decoding an encoded list.
    public var highestSeverity: Severity? {
        switch storage {
        case .array(let a): Self.highestSeverity(a)
        case .encoded(let e): e.tally.highest
        }
    }

    /// Read in place (iterating the array copied each finding: a retain and a release per field).
    static func highestSeverity(_ findings: [Finding]) -> Severity? {
        findings.withUnsafeBufferPointer { fs in
            var highest: Severity?
            for i in fs.indices {
                let s = (fs.baseAddress! + i).pointee.severity
                if highest.map({ s > $0 }) ?? true { highest = s }
            }
            return highest
        }
    }

    public static func == (a: FindingList, b: FindingList) -> Bool { a.elementsEqual(b) }
}

/// Findings counted by rule and severity, and their highest severity. A run of one rule's findings at one severity is
/// counted together: a file's findings come together and mostly share their rule, and a repeat of the rule's string
/// compares equal by its storage (a dictionary update per finding hashed every rule id).
struct FindingTally: Sendable {
    struct Key: Hashable, Sendable {
        var rule: String
        var severity: Severity
    }
    private var counted: [Key: Int] = [:]
    /// The run being counted: its rule and severity, and how many so far.
    private var runKey = Key(rule: "", severity: .info)
    private var runCount = 0
    private(set) var highest: Severity?

    init() {}

    /// The findings of an array, read in place (iterating it copied each finding: a retain and a release per field).
    init(_ findings: [Finding]) {
        findings.withUnsafeBufferPointer { fs in
            for i in fs.indices {
                let f = fs.baseAddress! + i
                add(rule: f.pointee.ruleID, severity: f.pointee.severity)
            }
        }
    }

    mutating func add(rule: String, severity: Severity) {
        if runCount > 0 && runKey.severity == severity && runKey.rule == rule {
            runCount += 1
        } else {
            if runCount > 0 { counted[runKey, default: 0] += runCount }
            runKey = Key(rule: rule, severity: severity)
            runCount = 1
        }
        if highest.map({ severity > $0 }) ?? true { highest = severity }
    }

    /// The number of findings of each rule and severity.
    var counts: [Key: Int] {
        var counts = counted
        if runCount > 0 { counts[runKey, default: 0] += runCount }
        return counts
    }

    var countsByRule: [String: Int] {
        var byRule: [String: Int] = [:]
        for (key, n) in counts { byRule[key.rule, default: 0] += n }
        return byRule
    }
}
