import FleetLintSyntax

/// A JSON-like value for rule-specific facts in `Finding.metadata` (echoed in JSON and SARIF).
public enum MetadataValue: Hashable, Sendable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([MetadataValue])
    case object([String: MetadataValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: MetadataValue...) { self = .array(elements) }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([MetadataValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: MetadataValue].self)) }
    }

    /// A compact single-line rendering for text reports.
    public var plainText: String {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .bool(let b): String(b)
        case .array(let a): a.map(\.plainText).joined(separator: ", ")
        case .object(let o): o.keys.sorted().map { "\($0)=\(o[$0]!.plainText)" }.joined(separator: ", ")
        }
    }
}

/// Another place that explains a finding ("also pinned here").
public struct RelatedLocation: Hashable, Sendable, Codable {
    public var path: String
    public var range: SourceRange
    public var note: String

    public init(path: String, range: SourceRange, note: String) {
        self.path = path
        self.range = range
        self.note = note
    }
}

/// One problem found by one rule at one place. Secrets are redacted before a finding is built.
///
/// 160 bytes, not 192: the range is one packed word (`PackedRange(exactly:)`, four 64-bit numbers before) and the two
/// one-byte fields sit together at the end. A run's ~90,000 findings on the 16x synthetic tree are expanded into an
/// array of them for the passes, at the run's peak (~2.9 MiB less there), and a warm run decodes them from its memo.
public struct Finding: Hashable, Sendable, Codable {
    public var ruleID: String
    public var message: String
    public var help: String?
    /// Repository-relative path with `/` separators.
    public var path: String
    public var range: SourceRange {
        get { packedRange.sourceRange }
        set { packedRange = PackedRange(exactly: newValue) }
    }
    /// `range` as stored (`RunFindings` keeps the word as it is).
    private(set) var packedRange: PackedRange
    public var related: [RelatedLocation]
    public var metadata: [String: MetadataValue]
    /// What identifies this finding independently of its line number (see `Fingerprint`). Rules may
    /// set it (secrets use a hash of the secret); otherwise the engine uses the normalised source line.
    public var anchor: String?
    /// The enclosing scope's qualified name (Python: `Class.method`, `outer.inner`), set by rules that
    /// know it; nil means the file. Baselines count occurrences within it, so a finding keeps its
    /// identity when code elsewhere in the file changes.
    public var scope: String?
    /// Stable, content-based identity, filled in by the engine: `fl1:` + 16 hex digits.
    public var fingerprint: String
    /// The source line, for text reports. The engine fills it unless `showsSource` is false.
    public var sourceLine: String?
    public var severity: Severity
    /// False for findings whose line may hold a secret; reporters then never print the line.
    public var showsSource: Bool

    private enum CodingKeys: String, CodingKey {
        case ruleID, severity, message, help, path, range, related, metadata, anchor, scope, fingerprint, sourceLine, showsSource
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ruleID = try c.decode(String.self, forKey: .ruleID)
        severity = try c.decode(Severity.self, forKey: .severity)
        message = try c.decode(String.self, forKey: .message)
        help = try c.decodeIfPresent(String.self, forKey: .help)
        path = try c.decode(String.self, forKey: .path)
        packedRange = PackedRange(exactly: try c.decode(SourceRange.self, forKey: .range))
        related = try c.decode([RelatedLocation].self, forKey: .related)
        metadata = try c.decode([String: MetadataValue].self, forKey: .metadata)
        anchor = try c.decodeIfPresent(String.self, forKey: .anchor)
        scope = try c.decodeIfPresent(String.self, forKey: .scope)
        fingerprint = try c.decode(String.self, forKey: .fingerprint)
        sourceLine = try c.decodeIfPresent(String.self, forKey: .sourceLine)
        showsSource = try c.decode(Bool.self, forKey: .showsSource)
    }

    /// The members as the synthesized conformance wrote them, in declaration order of the fields before the packing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ruleID, forKey: .ruleID)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(help, forKey: .help)
        try c.encode(path, forKey: .path)
        try c.encode(range, forKey: .range)
        try c.encode(related, forKey: .related)
        try c.encode(metadata, forKey: .metadata)
        try c.encodeIfPresent(anchor, forKey: .anchor)
        try c.encodeIfPresent(scope, forKey: .scope)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encodeIfPresent(sourceLine, forKey: .sourceLine)
        try c.encode(showsSource, forKey: .showsSource)
    }

    public init(
        ruleID: String,
        severity: Severity,
        message: String,
        help: String? = nil,
        path: String,
        range: SourceRange,
        related: [RelatedLocation] = [],
        metadata: [String: MetadataValue] = [:],
        anchor: String? = nil,
        scope: String? = nil,
        showsSource: Bool = true
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.help = help
        self.path = path
        self.packedRange = PackedRange(exactly: range)
        self.related = related
        self.metadata = metadata
        self.anchor = anchor
        self.scope = scope
        self.fingerprint = ""
        self.sourceLine = nil
        self.showsSource = showsSource
    }

    /// The report order: path, line, column, rule id (then message, for total determinism).
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        withUnsafePointer(to: a) { a in withUnsafePointer(to: b) { b in reportOrder(a, b) } }
    }

    /// `reportOrder` of two findings in place (in an array's buffer): read field by field, neither is copied.
    static func reportOrder(_ a: UnsafePointer<Finding>, _ b: UnsafePointer<Finding>) -> Bool {
        // By bytes, as `UTF8Key` says.
        if !a.pointee.path.utf8Equals(b.pointee.path) { return a.pointee.path.utf8Precedes(b.pointee.path) }
        if a.pointee.range.start != b.pointee.range.start { return a.pointee.range.start < b.pointee.range.start }
        if a.pointee.ruleID != b.pointee.ruleID { return a.pointee.ruleID < b.pointee.ruleID }
        if a.pointee.range.end != b.pointee.range.end { return a.pointee.range.end < b.pointee.range.end }
        return a.pointee.message < b.pointee.message
    }
}

extension Dictionary where Key == String, Value == MetadataValue {
    /// The table's storage, which identifies it while the table is held (a dictionary is one reference to its
    /// storage; equal tables of different files share one through `FactInterner`): memos of encoded tables are keyed
    /// by it. Nil for an empty table (every empty dictionary shares one storage).
    var storageIdentity: UnsafeRawPointer? {
        isEmpty ? nil : unsafeBitCast(self, to: UnsafeRawPointer.self)
    }
}
