import Foundation
import FleetLintSyntax

/// How many findings of one rule have one severity.
public struct RuleCount: Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var count: Int
}

extension LintReport {
    /// Counts per rule and severity, worst first: highest severity, then most findings, then rule id. A rule whose
    /// findings have several severities (`missing-dependency`: an error for a deployed unit, info for an archived one;
    /// a per-path severity) has a row for each, so that the rows add up to the summary's counts: one row per rule at
    /// its worst severity said "525 error missing-dependency" of a report with 21 such errors.
    public var ruleCounts: [RuleCount] {
        // From the tally (an encoded list's is known from reading the memo: decoding every finding again for it was a
        // quarter of a warm text run of the 16x tree).
        findings.tally.counts.map { RuleCount(rule: $0.key.rule, severity: $0.key.severity, count: $0.value) }.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.count != $1.count { return $0.count > $1.count }
            return $0.rule < $1.rule
        }
    }

    /// Findings worst first (severity, then report order): what to read first.
    public var findingsBySeverity: [Finding] { worstFindings(findings.count).map { findings[$0] } }

    /// The indices of the first `limit` findings of `findingsBySeverity`, without sorting (or copying) them all.
    func worstFindings(_ limit: Int) -> [Int] {
        // One pass, read in place: the first `limit` of each severity (an encoded list is decoded once).
        var bySeverity = [[Int]](repeating: [], count: Severity.allCases.count)
        var index = 0
        findings.forEachChunk { fs in
            for k in fs.indices {
                let rank = Severity.allCases.firstIndex(of: (fs.baseAddress! + k).pointee.severity)!
                if bySeverity[rank].count < limit { bySeverity[rank].append(index) }
                index += 1
            }
        }
        var top: [Int] = []
        for rank in bySeverity.indices.reversed() where top.count < limit { top += bySeverity[rank].prefix(limit - top.count) }
        return top
    }

    /// "3 errors, 1 warning": the findings per severity, worst first, those with none left out.
    var severityCounts: String {
        var counts = [Int](repeating: 0, count: Severity.allCases.count)
        for (key, n) in findings.tally.counts { counts[Severity.allCases.firstIndex(of: key.severity)!] += n }
        var parts: [String] = []
        for (k, sev) in Severity.allCases.enumerated().reversed() where counts[k] > 0 {
            parts.append("\(counts[k]) \(sev.rawValue)\(counts[k] == 1 ? "" : "s")")
        }
        return parts.joined(separator: ", ")
    }
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY` and merge-request comments: totals, a per-rule table
/// and the first `limit` findings, worst first. GitHub shows only 10 annotations per level per step, so
/// this is where a large run is read; the full list belongs in SARIF/JUnit artifacts.
public struct MarkdownReporter: Reporter {
    public static let id = "markdown"
    public var limit: Int
    public init(limit: Int = 50) { self.limit = limit }

    /// The summary, then the table of findings in pieces of about 64 KiB (the table holds at most `limit`
    /// rows, but a row's message is as long as the finding's).
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        let files = report.summary.files
        var out = ReportPieces()
        out.append("## fleetlint\n\n")
        // The files no rule read, named as the text report names them.
        let skipped = report.summary.unreadFiles
        let skippedNote = skipped.isEmpty ? "" : "\n\(skipped.count) file\(skipped.count == 1 ? " was" : "s were") over the size limit and not analysed: "
            + skipped.prefix(TextReporter.skippedShown).map { "`\(Self.cell($0.path))`" }.joined(separator: ", ")
            + (skipped.count > TextReporter.skippedShown ? ", …and \(skipped.count - TextReporter.skippedShown) more" : "") + ".\n"
        if report.findings.isEmpty {
            out.append("No findings in \(files) file\(files == 1 ? "" : "s").\n" + skippedNote)
            out.flush(emit)
            return
        }
        let n = report.findings.count
        out.append("**\(n) finding\(n == 1 ? "" : "s")** (\(report.severityCounts)) in \(files) file\(files == 1 ? "" : "s").\n" + skippedNote + "\n")
        out.append("| Rule | Severity | Findings |\n|---|---|---:|\n")
        for c in report.ruleCounts {
            out.append("| `\(c.rule)` | \(c.severity.rawValue) | \(c.count) |\n")
            out.offer(emit)
        }
        let top = report.worstFindings(limit)
        out.append("\n### \(top.count == n ? "Findings" : "Top \(top.count) findings")\n\n")
        out.append("| Severity | Rule | Location | Message |\n|---|---|---|---|\n")
        for i in top {
            let f = report.findings[i]
            out.append("| \(f.severity.rawValue) | `\(f.ruleID)` | `\(Self.cell(f.path)):\(f.range.start.line)` | \(Self.cell(f.message)) |\n")
            out.offer(emit)
        }
        if top.count < n {
            out.append("\n…and \(n - top.count) more; the full list is in the SARIF, JUnit or JSON report.\n")
        }
        out.flush(emit)
    }

    /// One table cell: a single line with `|` escaped (and no HTML tags interpreted).
    static func cell(_ s: String) -> String {
        s.singleLine.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
    }
}
