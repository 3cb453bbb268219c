import Foundation

/// Turns a report into bytes. Pure and deterministic: no clocks, no absolute paths, sorted input.
public protocol Reporter: Sendable {
    static var id: String { get }
    func render(_ report: LintReport) -> String
    /// The same output as UTF-8 bytes (what the CLI writes); reporters that build bytes skip the String.
    func renderBytes(_ report: LintReport) -> [UInt8]
    /// The same bytes as `renderBytes`, handed to `emit` in pieces as they are made, so that a report of
    /// many thousands of findings never exists whole in memory (the CLI writes each piece to its output).
    func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void)
}

extension Reporter {
    public func renderBytes(_ report: LintReport) -> [UInt8] { Array(render(report).utf8) }
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) { emit(renderBytes(report)) }
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
        String(decoding: (try? encoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    /// An encoder with these settings (one per report, reused for each of its parts).
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
