import FleetLintCore
import FleetLintRules
import Testing
import TestSupport

/// Lints every `fixtures/<scenario>/` repo: every finding must be annotated `expect: <rule>` in place and
/// every annotation must fire. The text report of each scenario is a golden file.
@Suite("Fixtures")
struct FixtureTests {
    static let scenarios = RepositoryPaths.fixtureScenarios

    @Test("annotations match findings", arguments: scenarios)
    func annotations(_ scenario: String) throws {
        let result = try FixtureRunner.check(scenario)
        #expect(result.problems.isEmpty, "\(result.problems.joined(separator: "\n"))")
    }

    @Test("text report snapshot", arguments: scenarios)
    func textSnapshot(_ scenario: String) throws {
        let report = try FixtureRunner.lint(scenario)
        let failure = Snapshot.verify(TextReporter().render(report), named: "\(scenario).txt")
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test("clean-monorepo stays silent")
    func clean() throws {
        let report = try FixtureRunner.lint("clean-monorepo")
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.path):\($0.range.start) \($0.ruleID)" })")
    }
}

/// Every reporter on `mixed-monorepo` is a golden file; JUnit and SARIF are schema-validated.
@Suite("Report formats")
struct ReportFormatTests {
    static let formats: [(ReportFormat, String)] = [
        (.json, "json"), (.sarif, "sarif"), (.junit, "junit.xml"), (.github, "github.txt"), (.gitlab, "gitlab.json"),
    ]

    @Test("mixed-monorepo snapshots", arguments: formats.map(\.0))
    func snapshot(_ format: ReportFormat) throws {
        let report = try FixtureRunner.lint("mixed-monorepo")
        #expect(!report.findings.isEmpty)
        let ext = Self.formats.first { $0.0 == format }!.1
        let rendered = format.reporter().render(report)
        let failure = Snapshot.verify(rendered, named: "mixed-monorepo.\(ext)")
        #expect(failure == nil, "\(failure ?? "")")
        if format == .junit {
            #expect(SchemaValidation.validateXML(rendered).isEmpty, "\(SchemaValidation.validateXML(rendered))")
        }
        if format == .sarif {
            #expect(SchemaValidation.validateSARIF(rendered).isEmpty, "\(SchemaValidation.validateSARIF(rendered))")
        }
    }

    @Test("JUnit of every scenario validates against junit.xsd", arguments: FixtureTests.scenarios)
    func junitEveryScenario(_ scenario: String) throws {
        let xml = JUnitReporter().render(try FixtureRunner.lint(scenario))
        #expect(SchemaValidation.validateXML(xml).isEmpty, "\(SchemaValidation.validateXML(xml))")
    }

    @Test("JSON has exactly the contract's keys")
    func jsonContract() throws {
        let json = JSONReporter().render(try FixtureRunner.lint("mixed-monorepo"))
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(Set(obj.keys) == ["version", "tool", "root", "findings", "summary", "suppressions"])
        #expect(obj["version"] as? Int == 1)
        #expect(obj["root"] as? String == ".")
        let findings = obj["findings"] as! [[String: Any]]
        let required: Set<String> = ["rule", "severity", "path", "line", "column", "endLine", "endColumn", "message", "fingerprint", "related", "metadata"]
        for f in findings {
            #expect(required.isSubset(of: Set(f.keys)), "\(f.keys.sorted())")
            #expect(Set(f.keys).subtracting(required).isSubset(of: ["help"]))
            #expect(!(f["path"] as! String).hasPrefix("/"))
        }
        let summary = obj["summary"] as! [String: Any]
        #expect(Set(summary.keys).isSuperset(of: ["files", "findingsByRule", "parseErrors"]))
    }
}

import Foundation
