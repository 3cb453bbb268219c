import FleetLintSyntax

/// A rule: something that can describe itself. Use one of the two shapes below, so that a rule cannot
/// be asked a question it cannot answer (no trapping default methods).
public protocol Rule: Sendable {
    var ruleDescription: RuleDescription { get }
    /// Builds now what the rule otherwise builds when it first checks a file (compiled patterns, tables), so
    /// that a cold run can do it on an idle core while the files are listed (`Linter.startWarmUp`) instead of
    /// holding every analysis worker back at the first file. Called at most once per run, on a thread of its
    /// own, concurrently with the rule's use: what it builds must be built once per process (a `static let`).
    func warmUp()
    /// The rule as a file rule, or nil; as a project rule, or nil. Requirements answered by the extensions below
    /// rather than `as? any FileRule`: a cast to an existential looks the conformance up at run time, and the first
    /// lookup of each (type, protocol) pair scans the static binary's conformance records (~50 k instructions; the
    /// engine's casts over the rules were ~8 M instructions of every run, a twentieth of a warm one).
    var asFileRule: (any FileRule)? { get }
    var asProjectRule: (any ProjectRule)? { get }
}

extension Rule {
    public func warmUp() {}
    public var asFileRule: (any FileRule)? { nil }
    public var asProjectRule: (any ProjectRule)? { nil }
}

/// A built-in rule type: one static description and a throwing initialiser that validates the rule's
/// own `[tool.fleetlint.<id>]` options.
public protocol BuiltInRule: Rule {
    static var description: RuleDescription { get }
    /// The `[tool.fleetlint.<section>]` table passed to `init(options:)`; the rule id unless several
    /// rules share settings (the dependency rules read `dependencies`).
    static var optionsSection: String { get }
    init(options: OptionsTable) throws(ConfigurationError)
}

extension BuiltInRule {
    public var ruleDescription: RuleDescription { Self.description }
    public static var optionsSection: String { description.id }
}

/// Answers: given one parsed file of a kind I declared in `inputs`, what is wrong here?
public protocol FileRule: Rule {
    func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding]
    /// The rule as an `UnboundedFileRule`, or nil (a requirement, not a cast: see `asFileRule`).
    var asUnboundedFileRule: (any UnboundedFileRule)? { get }
}

/// A file rule whose cost the engine cannot bound: a declarative rule, whose regular expressions are user input (a
/// pattern that backtracks exponentially runs until the file's time budget). Once such a rule has used up the time
/// budget of `RuleBudgetStops.filesBeforeStop` files in a run, the engine runs it on no further file of that run
/// and reports so once, at `definition` (see `RuleBudgetStops`).
public protocol UnboundedFileRule: FileRule {
    /// Where the rule is defined, for that report: a repository path and a 1-based line (its pattern's).
    var definition: (path: String, line: Int) { get }
    /// Whether the rule checks the file at `path` at all (its own path filters): a stopped rule is counted as skipped
    /// only on those files.
    func applies(to path: String) -> Bool
}

/// Answers: given the whole project (every manifest, import and Dockerfile), what is wrong?
public protocol ProjectRule: Rule {
    /// Builds what the rule shares with other project rules (the dependency index), before any rule
    /// checks. The engine calls it for every rule, one after another, on its own thread: a shared value
    /// built there may use every core, where one built inside a check would hold a worker thread while
    /// the other rules' checks wait for it. Optional.
    func prepare(_ project: Project)
    func check(_ project: Project, in context: RuleContext) -> [Finding]
}

extension ProjectRule {
    public func prepare(_ project: Project) {}
    public var asProjectRule: (any ProjectRule)? { self }
}

extension FileRule {
    public var asFileRule: (any FileRule)? { self }
    public var asUnboundedFileRule: (any UnboundedFileRule)? { nil }
}

extension UnboundedFileRule {
    public var asUnboundedFileRule: (any UnboundedFileRule)? { self }
}

/// Finds the secrets on one line of a file (the engine uses it to keep every output free of them).
public protocol SecretFinder: Sendable {
    /// The raw secrets on `line`; never stored, only used to redact other text.
    func secrets(inLine line: String, path: String) -> [String]

    /// The 1-based lines of a file (`bytes`, split by `lineIndex`) on which `secrets(inLine:path:)` may find a
    /// secret, in any order: every line it would find one on must be among them (a superset is fine, a line
    /// missing would leak). Nil when the finder cannot tell (then every line is looked at).
    /// `known`: keyword hits some scanner found in these same bytes (a finder may use them when they are its
    /// own scanner's).
    func candidateLines(in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts, path: String, known: SecretKeywordHits?) -> [Int]?
}

extension SecretFinder {
    public func candidateLines(in bytes: UnsafeBufferPointer<UInt8>, lineIndex: LineStarts, path: String, known: SecretKeywordHits?) -> [Int]? { nil }
}

/// The keyword hits of one secret scan over a file's bytes, and which scanner (by identity: its keyword
/// automaton) found them; what the hits are is the scanner's business.
public struct SecretKeywordHits: Sendable {
    public let scanner: ObjectIdentifier
    public let hits: [Int]
    public init(scanner: ObjectIdentifier, hits: [Int]) {
        self.scanner = scanner
        self.hits = hits
    }
}

/// What a rule may know while it checks: its id and effective default severity. Builds findings.
public struct RuleContext: Sendable {
    public let ruleID: String
    public let severity: Severity
    let skips: SkipRecorder?
    /// The file's time budget (`file-time-budget`): when the analysis started, and the seconds allowed.
    let budget: (started: FileAnalyzer.BudgetClock, seconds: Double)?

    public init(ruleID: String, severity: Severity) {
        self.ruleID = ruleID
        self.severity = severity
        self.skips = nil
        self.budget = nil
    }

    init(ruleID: String, severity: Severity, skips: SkipRecorder?, budget: (started: FileAnalyzer.BudgetClock, seconds: Double)? = nil) {
        self.ruleID = ruleID
        self.severity = severity
        self.skips = skips
        self.budget = budget
    }

    /// Whether the file has used up its time budget: a file rule asks it in its loops over a file's matches and
    /// returns early (the engine then reports the file as over budget, whatever the rule returned). The engine also
    /// checks between rules; this bounds a rule whose work grows faster than the file on some input. Cheap: the
    /// monotonic clock (vDSO), and the thread's CPU clock only once the budget has passed in wall time.
    public var isOverBudget: Bool {
        guard let budget else { return false }
        return budget.started.spent(over: budget.seconds) != nil
    }

    /// Counts a file the rule deliberately did not analyse (lock file, over a size limit); the count
    /// appears in the report summary under `reason`.
    public func recordSkip(_ reason: String) {
        skips?.record(reason)
    }

    /// Builds a finding of this rule.
    public func finding(
        path: String,
        range: SourceRange,
        message: String,
        help: String? = nil,
        severity: Severity? = nil,
        related: [RelatedLocation] = [],
        metadata: [String: MetadataValue] = [:],
        anchor: String? = nil,
        scope: String? = nil,
        showsSource: Bool = true
    ) -> Finding {
        Finding(
            ruleID: ruleID, severity: severity ?? self.severity, message: message, help: help, path: path,
            range: range, related: related, metadata: metadata, anchor: anchor, scope: scope, showsSource: showsSource)
    }
}

import Foundation

/// Collects the skip counts rules report, from any thread.
final class SkipRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func record(_ reason: String) {
        lock.lock()
        counts[reason, default: 0] += 1
        lock.unlock()
    }

    var snapshot: [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}
