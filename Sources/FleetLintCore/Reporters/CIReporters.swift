import FleetLintSyntax
/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=rule-id::message`.
public struct GitHubReporter: Reporter {
    public static let id = "github"
    public init() {}

    /// One annotation per finding, handed on in pieces of about 64 KiB.
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        var out = ReportPieces()
        // A chunk at a time: a warm run's encoded findings decode with one decoder per chunk (see `TextReporter`).
        report.findings.forEachChunk { fs in
            for k in fs.indices {
                let f = fs[k]
                let level = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
                let props = [
                    "file=\(property(f.path))", "line=\(f.range.start.line)", "endLine=\(f.range.end.line)",
                    "col=\(f.range.start.column)", "endColumn=\(f.range.end.column)", "title=\(property(f.ruleID))",
                ].joined(separator: ",")
                // `data("\(message)\nhelp: \(help)")`, each part escaped on its own: single lines hold no CR or LF,
                // so the one line break is the one put between them, and escaping maps each character (a `%` matches
                // at the end of the message as before the break). Escaping the whole with the break made every
                // finding take Foundation's slow replace.
                var text = data(f.message.singleLine)
                if let help = f.help { text += "%0Ahelp: " + data(help.singleLine) }
                out.append("::\(level) \(props)::\(text)\n")
                out.offer(emit)
            }
        }
        out.flush(emit)
    }

    private func data(_ s: String) -> String {
        // Escapes per GitHub's workflow-command rules; any other control character (ESC, BEL) is made
        // visible, never passed to the log. Most text has nothing to replace (a search is ~18,000 instructions).
        guard s.anyUTF8({ $0 == UInt8(ascii: "%") || $0 == 0x0D || $0 == 0x0A }) else { return s.withoutControlCharacters }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A").withoutControlCharacters
    }

    private func property(_ s: String) -> String {
        let s = data(s)
        guard s.anyUTF8({ $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") }) else { return s }
        return s.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// GitLab Code Quality JSON (`artifacts:reports:codequality`).
public struct GitLabReporter: Reporter {
    public static let id = "gitlab"
    public init() {}

    struct Issue: Encodable {
        var description: String
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
    }
    struct Location: Encodable { var path: String; var lines: Lines }
    struct Lines: Encodable { var begin: Int; var end: Int }

    static func severity(_ s: Severity) -> String { s == .error ? "major" : s == .warning ? "minor" : "info" }

    /// The issues written as they go, in pieces of about 64 KiB (`PrettyJSON`: the bytes `JSONEncoder` gives
    /// `renderWithEncoder`, which built every issue and then the whole document, ~3x the analysis' memory).
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        var j = PrettyJSON(reserving: ReportPieces.size + 4_096)
        j.beginArray()
        let m = MemberPrefixes(keys: Self.issueKeys, indent: j.indent + 1)
        report.findings.forEachChunk { fs in
            for i in fs.indices {
                let f = fs[i]
                j.element()
                j.beginObject()
                j.member(m, 0); j.string(f.ruleID)
                j.member(m, 1); j.string("\(f.ruleID): \(f.message.singleLine)")
                j.member(m, 2); j.string(f.fingerprint)
                j.member(m, 3)
                j.beginObject()
                j.field("lines")
                j.beginObject()
                j.field("begin"); j.int(f.range.start.line)
                j.field("end"); j.int(f.range.end.line)
                j.endObject()
                j.field("path"); j.string(f.path)
                j.endObject()
                j.member(m, 4); j.string(Self.severity(f.severity))
                j.endObject()
                if j.count >= ReportPieces.size { j.flush(emit) }
            }
        }
        j.endArray()
        j.newline()
        j.flush(emit)
    }

    /// An issue's keys in the order written (sorted, as `JSONEncoder` sorts them).
    private static let issueKeys: [StaticString] = ["check_name", "description", "fingerprint", "location", "severity"]

    /// The same document through `JSONEncoder` (the reference the streamed one is tested against).
    func renderWithEncoder(_ report: LintReport) -> String {
        let issues = report.findings.map { f in
            Issue(
                description: "\(f.ruleID): \(f.message.singleLine)", check_name: f.ruleID,
                fingerprint: f.fingerprint, severity: Self.severity(f.severity),
                location: Location(path: f.path, lines: Lines(begin: f.range.start.line, end: f.range.end.line)))
        }
        return JSONOutput.encode(issues)
    }
}

import Foundation
