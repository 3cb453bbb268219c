import FleetLintSyntax

/// An applied suppression, kept so that reports can show why a finding is absent.
public struct AppliedSuppression: Hashable, Sendable, Codable {
    public var rule: String
    public var path: String
    public var line: Int
    public var reason: String?
}

/// A file that was listed but deliberately not analysed (binary, too large, a lock file).
public struct SkippedFile: Hashable, Sendable, Codable {
    public var path: String
    public var reason: String
    /// The reason of a file larger than the size limit: read by no rule (the others are the secret scan's skips).
    public static let tooLarge = "too large"
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
}

/// Counts for the report summary.
public struct LintSummary: Sendable, Equatable, Codable {
    /// Files scanned (after excludes).
    public var files: Int = 0
    public var findingsByRule: [String: Int] = [:]
    public var parseErrors: Int = 0
    /// Files not analysed, by reason (binary, too large, lock file, …).
    public var skipped: [String: Int] = [:]
    /// The same files one by one, sorted by path (nothing vanishes without a trace).
    public var skippedFiles: [SkippedFile] = []
    /// The skipped files no rule read (over the size limit), which the text and Markdown summaries name: the others
    /// (binary files, lock files, files over the secret scan's own limit) are skipped by design.
    public var unreadFiles: [SkippedFile] { skippedFiles.filter { $0.reason == SkippedFile.tooLarge } }

    public init() {}
}

/// The result of one run: sorted findings, the catalogue of rules that ran, and a summary.
public struct LintReport: Sendable {
    public var toolVersion: String
    /// The scan root as the user named it (relative when possible; never required to be absolute).
    public var root: String
    /// In report order. Still encoded when a warm run answered from its memo (`FindingList`).
    public var findings: FindingList
    public var rules: [RuleDescription]
    public var summary: LintSummary
    public var suppressions: [AppliedSuppression]

    public init(toolVersion: String, root: String, findings: [Finding], rules: [RuleDescription],
                summary: LintSummary, suppressions: [AppliedSuppression] = []) {
        // The engine hands them over sorted already: no second copy of every finding then.
        var findings = findings
        Finding.sortInReportOrder(&findings)
        self.init(toolVersion: toolVersion, root: root, sorted: FindingList(findings), rules: rules, summary: summary,
                  suppressions: suppressions)
    }

    /// `findings` already in report order (a run memo's are: they were saved after the passes sorted them).
    init(toolVersion: String, root: String, sorted findings: FindingList, rules: [RuleDescription],
         summary: LintSummary, suppressions: [AppliedSuppression]) {
        self.toolVersion = toolVersion
        self.root = root
        self.findings = findings
        self.rules = rules.sorted { $0.id < $1.id }
        self.summary = summary
        self.suppressions = suppressions
    }

    public func hasFindings(atOrAbove threshold: Severity) -> Bool {
        findings.highestSeverity.map { $0 >= threshold } ?? false
    }
}

/// The version printed by `--version` and written into reports.
public enum FleetLintVersion {
    public static let current = "0.1.0"
}
