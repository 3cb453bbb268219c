import Foundation
import FleetLintSyntax
/// The JSON report of the contract in `architecture.md` ("Contracts other tools depend on").
public struct JSONReporter: Reporter {
    public static let id = "json"
    public init() {}

    struct Document: Encodable {
        var version = 1
        var tool: Tool
        var root: String
        var findings: [Item]
        var summary: Summary
        var suppressions: [AppliedSuppression]
    }
    struct Tool: Encodable { var name = "fleetlint"; var version: String }
    struct Related: Encodable { var path: String; var line: Int; var column: Int; var note: String }
    struct Item: Encodable {
        var rule: String
        var severity: String
        var path: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var message: String
        var help: String?
        var fingerprint: String
        var related: [Related]
        var metadata: [String: MetadataValue]
    }
    struct Summary: Encodable {
        var files: Int
        var findingsByRule: [String: Int]
        var parseErrors: Int
        var skipped: [String: Int]
        /// Present when files were skipped: each with its reason.
        var skippedFiles: [SkippedFile]?
    }

    public func render(_ report: LintReport) -> String {
        JSONOutput.encode(document(report, findings: report.findings.map(Self.item)))
    }

    /// The same bytes as `render`, one finding at a time: the document around an empty `findings`
    /// array, then each finding encoded alone and indented to its depth (pretty-printed JSON nests by
    /// indentation only, and no encoded string holds a raw newline).
    public func render(_ report: LintReport, into emit: (String) -> Void) {
        let shell = JSONOutput.encode(document(report, findings: []))
        let empty = "\"findings\" : [\n\n  ]"
        guard !report.findings.isEmpty, let hole = shell.range(of: empty) else { emit(shell); return }
        emit(String(shell[..<hole.lowerBound]) + "\"findings\" : [\n")
        let encoder = JSONOutput.encoder()
        for (i, f) in report.findings.enumerated() {
            let item = String(decoding: (try? encoder.encode(Self.item(f))) ?? Data("{}".utf8), as: UTF8.self)
            var piece = i == 0 ? "" : ",\n"
            for (n, line) in item.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if n > 0 { piece += "\n" }
                if !line.isEmpty { piece += "    " + line }  // an empty array's blank line stays blank
            }
            emit(piece)
        }
        emit("\n  ]" + shell[hole.upperBound...])
    }

    static func item(_ f: Finding) -> Item {
        Item(
            rule: f.ruleID, severity: f.severity.rawValue, path: f.path,
            line: f.range.start.line, column: f.range.start.column,
            endLine: f.range.end.line, endColumn: f.range.end.column,
            message: f.message, help: f.help, fingerprint: f.fingerprint,
            related: f.related.map { Related(path: $0.path, line: $0.range.start.line, column: $0.range.start.column, note: $0.note) },
            metadata: f.metadata)
    }

    func document(_ report: LintReport, findings: [Item]) -> Document {
        Document(
            tool: Tool(version: report.toolVersion), root: report.root,
            findings: findings,
            summary: Summary(
                files: report.summary.files, findingsByRule: report.summary.findingsByRule,
                parseErrors: report.summary.parseErrors, skipped: report.summary.skipped,
                skippedFiles: report.summary.skippedFiles.isEmpty ? nil : report.summary.skippedFiles),
            suppressions: report.suppressions.sorted { ($0.path, $0.line, $0.rule) < ($1.path, $1.line, $1.rule) })
    }
}
