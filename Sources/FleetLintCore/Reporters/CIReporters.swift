import FleetLintSyntax
/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=rule-id::message`.
public struct GitHubReporter: Reporter {
    public static let id = "github"
    public init() {}

    public func render(_ report: LintReport) -> String {
        var out = ""
        for f in report.findings {
            let level = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
            let props = [
                "file=\(property(f.path))", "line=\(f.range.start.line)", "endLine=\(f.range.end.line)",
                "col=\(f.range.start.column)", "endColumn=\(f.range.end.column)", "title=\(property(f.ruleID))",
            ].joined(separator: ",")
            var text = f.message.singleLine
            if let help = f.help { text += "\nhelp: \(help.singleLine)" }
            out += "::\(level) \(props)::\(data(text))\n"
        }
        return out
    }

    private func data(_ s: String) -> String {
        // Escapes per GitHub's workflow-command rules; any other control character (ESC, BEL) is made
        // visible, never passed to the log.
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A").withoutControlCharacters
    }

    private func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
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

    public func render(_ report: LintReport) -> String {
        let issues = report.findings.map { f in
            Issue(
                description: "\(f.ruleID): \(f.message.singleLine)", check_name: f.ruleID,
                fingerprint: f.fingerprint,
                severity: f.severity == .error ? "major" : f.severity == .warning ? "minor" : "info",
                location: Location(path: f.path, lines: Lines(begin: f.range.start.line, end: f.range.end.line)))
        }
        return JSONOutput.encode(issues)
    }
}

import Foundation
