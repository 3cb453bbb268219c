import Foundation
import FleetLintSyntax

/// Per-rule counts, worst first: highest severity, then most findings, then rule id.
public struct RuleCount: Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var count: Int
}

extension LintReport {
    public var ruleCounts: [RuleCount] {
        var byRule: [String: RuleCount] = [:]
        for f in findings {
            var c = byRule[f.ruleID] ?? RuleCount(rule: f.ruleID, severity: f.severity, count: 0)
            c.count += 1
            c.severity = max(c.severity, f.severity)
            byRule[f.ruleID] = c
        }
        return byRule.values.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.count != $1.count { return $0.count > $1.count }
            return $0.rule < $1.rule
        }
    }

    /// Findings worst first (severity, then report order): what to read first.
    public var findingsBySeverity: [Finding] {
        findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY` and merge-request comments: totals, a per-rule table
/// and the first `limit` findings, worst first. GitHub shows only 10 annotations per level per step, so
/// this is where a large run is read; the full list belongs in SARIF/JUnit artifacts.
public struct MarkdownReporter: Reporter {
    public static let id = "markdown"
    public var limit: Int
    public init(limit: Int = 50) { self.limit = limit }

    public func render(_ report: LintReport) -> String {
        let files = report.summary.files
        var out = "## fleetlint\n\n"
        if report.findings.isEmpty {
            return out + "No findings in \(files) file\(files == 1 ? "" : "s").\n"
        }
        var parts: [String] = []
        for sev in Severity.allCases.reversed() {
            let n = report.findings.filter { $0.severity == sev }.count
            if n > 0 { parts.append("\(n) \(sev.rawValue)\(n == 1 ? "" : "s")") }
        }
        let n = report.findings.count
        out += "**\(n) finding\(n == 1 ? "" : "s")** (\(parts.joined(separator: ", "))) in \(files) file\(files == 1 ? "" : "s").\n\n"
        out += "| Rule | Severity | Findings |\n|---|---|---:|\n"
        for c in report.ruleCounts { out += "| `\(c.rule)` | \(c.severity.rawValue) | \(c.count) |\n" }
        let top = report.findingsBySeverity.prefix(limit)
        out += "\n### \(top.count == n ? "Findings" : "Top \(top.count) findings")\n\n"
        out += "| Severity | Rule | Location | Message |\n|---|---|---|---|\n"
        for f in top {
            out += "| \(f.severity.rawValue) | `\(f.ruleID)` | `\(Self.cell(f.path)):\(f.range.start.line)` | \(Self.cell(f.message)) |\n"
        }
        if top.count < n {
            out += "\n…and \(n - top.count) more; the full list is in the SARIF, JUnit or JSON report.\n"
        }
        return out
    }

    /// One table cell: a single line with `|` escaped (and no HTML tags interpreted).
    static func cell(_ s: String) -> String {
        s.singleLine.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }
}
