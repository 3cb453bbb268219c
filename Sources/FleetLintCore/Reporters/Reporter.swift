import Foundation

/// Turns a report into bytes. Pure and deterministic: no clocks, no absolute paths, sorted input.
public protocol Reporter: Sendable {
    static var id: String { get }
    func render(_ report: LintReport) -> String
    /// The same output as UTF-8 bytes (what the CLI writes); reporters that build bytes skip the String.
    func renderBytes(_ report: LintReport) -> [UInt8]
}

extension Reporter {
    public func renderBytes(_ report: LintReport) -> [UInt8] { Array(render(report).utf8) }
}

/// The output formats of `--format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, sarif, github, gitlab, markdown

    public func reporter(color: Bool = false, quiet: Bool = false, failOn: Severity = .info) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color, showsSummary: !quiet)
        case .json: JSONReporter()
        case .junit: JUnitReporter(failOn: failOn)
        case .markdown: MarkdownReporter()
        case .sarif: SARIFReporter()
        case .github: GitHubReporter()
        case .gitlab: GitLabReporter()
        }
    }
}

/// The JSON settings every report and listing uses: pretty, sorted keys, unescaped slashes.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
