import FleetLintSyntax
import Foundation

/// The unbounded rules (`UnboundedFileRule`: declarative rules) that used up files' time budgets in one run, and
/// those the run stopped. A catastrophic pattern stops at the budget inside its match, but it met that budget (10 s
/// by default) on every file it ran on: hundreds of files, hours. Once a rule has used up the budget of
/// `filesBeforeStop` files, the files analysed after that skip it (each counts a rule skip, `skipReason`) and the run
/// reports the stop once (`findings`). Nothing of such a run is kept for the next: neither the analyses that skipped
/// the rule nor those whose budget it used up are cached, and the run is not memoized, so a later run (changed or
/// not) checks those files again and reports as a cold run does. The stop finding is about the whole run: scoped
/// and changed-files runs report it too (`isRunWide`), though its path is the rule file.
///
/// A file's budget counts as used up by a rule when the budget ran out during the rule's check and the check took at
/// least half of it (in thread CPU time, as the budget is counted): a file whose parse took most of its budget does
/// not count against the rule that happened to run last.
///
/// Files are analysed in parallel, so which files used up their budget first, which ran concurrently with the stop
/// (and may use theirs up too: more than `filesBeforeStop` hits) and which were skipped depend on timing. The report
/// does not: its message names the limit, not a count, and it lists the files whose budget the rule used up sorted by
/// path (with one worker, as in a run on one core, the whole outcome is deterministic).
final class RuleBudgetStops: @unchecked Sendable {
    /// Files whose budget a rule may use up in a run before the run stops it.
    static let filesBeforeStop = 3

    private let lock = NSLock()
    /// Per rule (its index among the analyser's file rules): the files whose budget it used up.
    private var hits: [Int: [String]] = [:]
    private var stopped: Set<Int> = []

    /// Whether the run has stopped the rule.
    func isStopped(_ rule: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped.contains(rule)
    }

    /// Notes that the rule used up the budget of the file at `path`; the rule is stopped at the limit.
    func recordHit(rule: Int, path: String) {
        lock.lock()
        defer { lock.unlock() }
        hits[rule, default: []].append(path)
        if hits[rule]!.count >= Self.filesBeforeStop { stopped.insert(rule) }
    }

    /// The stopped rules by index, each with the files whose budget it used up, sorted by path bytes.
    var stops: [(rule: Int, paths: [String])] {
        lock.lock()
        defer { lock.unlock() }
        return stopped.sorted().map { ($0, hits[$0, default: []].sorted { $0.utf8Precedes($1) }) }
    }

    /// The rule skip a file records when it skipped a stopped rule.
    static func skipReason(_ ruleID: String) -> String {
        "`\(ruleID)` stopped for this run: it used up the time budget of \(filesBeforeStop) files"
    }

    /// The report of each stopped rule: one finding, at the rule's definition, with the files whose budget it used up.
    static func finding(ruleID: String, severity: Severity, definition: (path: String, line: Int), paths: [String],
                        budget: Double) -> Finding {
        let seconds = String(format: "%g", budget)
        return RuleContext(ruleID: ruleID, severity: severity).finding(
            path: definition.path, range: SourceRange(line: definition.line, column: 1),
            message: "`\(ruleID)` used up the time budget (\(seconds) s) of \(filesBeforeStop) files, so this run stopped it: "
                + "the files analysed after that were not checked with it",
            help: "make the pattern linear (no repetition of a group that can itself repeat, as in `(a+)+`), narrow it with "
                + "`keywords` or `paths`, or raise `file-time-budget`",
            related: paths.map { RelatedLocation(path: $0, range: SourceRange(line: 1, column: 1), note: "its time budget was used up here") },
            metadata: [runWideKey: .bool(true)], anchor: "budget-stop")
    }

    /// The metadata key that marks a finding about the whole run (`Finding.isRunWide`).
    static let runWideKey = "runWide"
}

extension Finding {
    /// A finding about the whole run rather than a place a change or a path argument selects (a rule the run
    /// stopped): the scope and changed-files passes keep it.
    var isRunWide: Bool { if case .bool(true)? = metadata[RuleBudgetStops.runWideKey] { true } else { false } }
}
