import FleetLintCore
import FleetLintRules
import Foundation
import Testing
import TestSupport

/// Secrets never reach output: every reporter's output on the secrets fixture is searched for every
/// planted secret (cut from the source at the finding's range), and for the whole source line.
@Suite("Redaction")
struct RedactionTests {
    @Test("no reporter prints a planted secret")
    func noSecretInAnyFormat() throws {
        let report = try FixtureRunner.lint("committed-secret")
        let root = RepositoryPaths.fixtures.appendingPathComponent("committed-secret")
        let expected = try String(contentsOf: root.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let secrets = report.findings.filter { $0.ruleID == "committed-secret" }
        #expect(secrets.count == expected.count, "found \(secrets.count) secrets, EXPECTED.tsv lists \(expected.count)")
        var planted: [String] = []
        for f in secrets {
            let text = try String(contentsOf: root.appendingPathComponent(f.path), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(lines[f.range.start.line - 1].unicodeScalars)
            let lo = f.range.start.column - 1
            let hi = f.range.end.line == f.range.start.line ? min(f.range.end.column - 1, line.count) : line.count
            guard lo < hi else { continue }
            let secret = String(String.UnicodeScalarView(line[lo..<hi]))
            if secret.count >= 8 { planted.append(secret) }
            #expect(f.sourceLine == nil, "\(f.path):\(f.range.start) keeps its source line")
        }
        #expect(planted.count >= 60)
        for format in ReportFormat.allCases {
            let output = format.reporter().render(report)
            for secret in planted {
                #expect(!output.contains(secret), "\(format.rawValue) output contains a planted secret (\(secret.prefix(4))…)")
            }
        }
    }

    @Test("every planted secret is found with its kind and line")
    func expectedKinds() throws {
        let report = try FixtureRunner.lint("committed-secret")
        let root = RepositoryPaths.fixtures.appendingPathComponent("committed-secret")
        let expected = Set(try String(contentsOf: root.appendingPathComponent("EXPECTED.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init))
        let actual = Set(report.findings.filter { $0.ruleID == "committed-secret" }.map { f -> String in
            guard case .string(let kind)? = f.metadata["kind"] else { return "" }
            return "\(f.path)\t\(f.range.start.line)\t\(kind)"
        })
        #expect(expected.subtracting(actual).isEmpty, "missed: \(expected.subtracting(actual).sorted())")
        #expect(actual.subtracting(expected).isEmpty, "unexpected: \(actual.subtracting(expected).sorted())")
    }
}

@Suite("Redaction across rules")
struct CrossRuleRedactionTests {
    @Test("another rule's finding on a secret's line does not print the line")
    func sharedLine() throws {
        let secret = "Vq7rT2xK9pLm4sWz"
        let files = [(path: "svc/app.py", contents: "import requests\n\ndef f():\n    return requests.get(\"https://app:\(secret)@api.internal/x\", timeout=5)\n")]
        var config = Configuration()
        config.applyCommandLine(select: ["unpooled-client", "committed-secret"], ignore: [], failOn: nil)
        let report = try FleetLintSetup.makeLinter(configuration: config).lint(virtualFiles: files)
        #expect(Set(report.findings.map(\.ruleID)) == ["unpooled-client", "committed-secret"])
        for format in ReportFormat.allCases {
            #expect(!format.reporter().render(report).contains(secret), "\(format.rawValue) prints the secret")
        }
    }

    func render(_ files: [(path: String, contents: String)], select: [String]) throws -> (LintReport, String) {
        var config = Configuration()
        config.applyCommandLine(select: select, ignore: [], failOn: nil)
        let report = try FleetLintSetup.makeLinter(configuration: config).lint(virtualFiles: files)
        return (report, ReportFormat.allCases.map { $0.reporter().render(report) }.joined(separator: "\n"))
    }

    @Test("a secret's line is hidden even when committed-secret is not selected or is suppressed")
    func notSelectedOrSuppressed() throws {
        let token = "ghp_R8fJk2LmQ9wZx4TnV7bYc1HsD3gPe6Ua0KiO"
        let (r1, out1) = try render([(path: "svc/app.py", contents: "import requests\nTOKEN = \"\(token)\"; requests.get(\"https://x\")\n")], select: ["unpooled-client"])
        #expect(!r1.findings.isEmpty)
        #expect(!out1.contains(token))
        let (r2, out2) = try render([(path: "svc/app.py", contents: "import requests\nrequests.get(\"u\", headers={\"t\": \"\(token)\"})  # fleetlint: ignore[committed-secret] -- fixture\n")], select: ["unpooled-client", "committed-secret"])
        #expect(r2.findings.map(\.ruleID) == ["unpooled-client"])
        #expect(!out2.contains(token))
    }

    @Test("a secret that only a configured extra pattern finds is redacted from another rule's finding too")
    func extraPatternSecret() throws {
        let secret = "acme_live_Q8v7Z2xL9pKm4WtR3bYc"
        let toml = """
            [committed-secret]
            extra-patterns = [{ id = "acme-key", regex = "(acme_live_[A-Za-z0-9]{20})", keywords = ["acme_live_"] }]
            """
        var config = try FleetLintSetup.parseConfiguration(text: toml, path: "fleetlint.toml", table: [])
        let files = [(path: "svc/app.py", contents: "import requests\n\ndef f():\n    return requests.get(\"https://x\", headers={\"k\": \"\(secret)\"}, timeout=5)\n")]
        // With committed-secret reporting it, and without (not selected: only redaction knows the secret).
        for select in [["unpooled-client", "committed-secret"], ["unpooled-client"]] {
            config.applyCommandLine(select: select, ignore: [], failOn: nil)
            let report = try FleetLintSetup.makeLinter(configuration: config).lint(virtualFiles: files)
            #expect(Set(report.findings.map(\.ruleID)) == Set(select))
            #expect(report.findings.allSatisfy { !$0.showsSource && $0.sourceLine == nil })
            for format in ReportFormat.allCases {
                #expect(!format.reporter().render(report).contains(secret), "\(format.rawValue) prints the secret (\(select))")
            }
        }
    }

    @Test("a message that quotes a line with a secret is redacted")
    func messageQuotesSecret() throws {
        let secret = "Vq7rT2xK9pLm4sWzh3Kp9Qx2Lm7V"
        let (report, out) = try render([(path: "svc/requirements.txt", contents: "password=\(secret)\n")], select: ["invalid-requirement"])
        #expect(!report.findings.isEmpty)
        #expect(!out.contains(secret))
    }

    @Test("a rule that checks files and the project too has both kinds of findings redacted")
    func fileAndProjectRule() throws {
        // File-rule findings are redacted while the project rules run; this rule's project findings come
        // later under the same id and must still be redacted.
        let secret = "Vq7rT2xK9pLm4sWzh3Kp9Qx2Lm7V"
        let files = [(path: "svc/requirements.txt", contents: "requests==2.31.0\npassword=\(secret)\n")]
        var config = Configuration()
        config.applyCommandLine(select: ["file-and-project"], ignore: [], failOn: nil)
        let report = try FleetLintSetup.makeLinter(configuration: config, extraRules: [FileAndProjectRule()]).lint(virtualFiles: files)
        let messages = report.findings.map(\.message).sorted()
        #expect(messages.count == 2)
        #expect(messages.first?.hasPrefix("from the file: password=Vq7r") == true, "\(messages)")
        #expect(messages.last?.hasPrefix("from the project: password=Vq7r") == true, "\(messages)")
        #expect(report.findings.allSatisfy { $0.sourceLine == nil }, "a finding prints the secret's line")
        for format in ReportFormat.allCases {
            #expect(!format.reporter().render(report).contains(secret), "\(format.rawValue) prints the secret")
        }
    }
}

/// Reports line 2 of every requirements file twice, once as a file rule and once as a project rule, quoting it.
private struct FileAndProjectRule: FileRule, ProjectRule {
    var ruleDescription: RuleDescription {
        RuleDescription(id: "file-and-project", summary: "test rule", category: .custom, defaultSeverity: .warning,
                        inputs: [.requirements], rationale: "test")
    }
    static let range = SourceRange(start: SourceLocation(line: 2, column: 1), end: SourceLocation(line: 2, column: 5))

    func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        [context.finding(path: file.path, range: Self.range, message: "from the file: \(file.lineText(2))")]
    }

    func check(_ project: Project, in context: RuleContext) -> [Finding] {
        project.files(of: .requirements).map { f in
            let line = project.contents(f.path).map { String(decoding: $0, as: UTF8.self).split(separator: "\n")[1] } ?? ""
            return context.finding(path: f.path, range: Self.range, message: "from the project: \(line)")
        }
    }
}
