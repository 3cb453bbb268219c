import Foundation

/// Turns a report into bytes. Pure and deterministic: no clocks, no absolute paths, sorted input.
///
/// A reporter implements `renderBytes(_:into:)`, which hands its output over in pieces of tens of KiB as
/// they are made; `render` and `renderBytes` gather those pieces. The CLI writes each piece as it comes, so a
/// report of many thousands of findings never exists whole in memory (no document buffer, no `String` of it,
/// no `Encodable` tree of every finding), in any format.
public protocol Reporter: Sendable {
    static var id: String { get }
    func render(_ report: LintReport) -> String
    /// The same output as UTF-8 bytes.
    func renderBytes(_ report: LintReport) -> [UInt8]
    /// The same bytes as `renderBytes`, handed to `emit` in pieces (about `ReportPieces.size` each) as they
    /// are made: what the CLI writes.
    func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void)
}

extension Reporter {
    public func render(_ report: LintReport) -> String { String(decoding: renderBytes(report), as: UTF8.self) }
    public func renderBytes(_ report: LintReport) -> [UInt8] {
        var out: [UInt8] = []
        renderBytes(report) { out += $0 }
        return out
    }
}

/// Output gathered into pieces for `Reporter.renderBytes(_:into:)`: a reporter appends a finding's text,
/// then offers the piece, which is handed on once it holds `size` bytes (so pieces are `size` plus at most
/// one finding's output).
struct ReportPieces {
    /// About the size of a pipe's buffer: few enough `write` calls, little memory.
    static let size = 1 << 16
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(Self.size + 4_096) }

    mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func append(_ s: Substring) { bytes.append(contentsOf: s.utf8) }

    /// Hands the piece to `emit` once it is full.
    mutating func offer(_ emit: ([UInt8]) -> Void) { if bytes.count >= Self.size { flush(emit) } }

    /// Hands what is left to `emit` (nothing when empty).
    mutating func flush(_ emit: ([UInt8]) -> Void) {
        guard !bytes.isEmpty else { return }
        emit(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
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
