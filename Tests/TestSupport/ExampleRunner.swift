import FleetLintCore
import FleetLintRules
import FleetLintSyntax

/// Lints a rule's examples as virtual repositories and compares the findings with the `↓` markers.
public enum ExampleRunner {
    /// Builds a linter that runs only `ruleID` (with the example's configuration, if any).
    public static func linter(for ruleID: String, configuration text: String?) throws -> Linter {
        let extra = declarativeRules.filter { $0.ruleDescription.id == ruleID }
        var config = try Configuration.parse(
            text: text ?? "", path: "fleetlint.toml", table: [],
            knownRules: FleetLintSetup.knownRuleIDs.union(extra.map(\.ruleDescription.id)),
            knownSections: FleetLintSetup.knownSections)
        config.applyCommandLine(select: [ruleID], ignore: [], failOn: nil)
        return try FleetLintSetup.makeLinter(configuration: config, extraRules: extra)
    }

    /// The declarative rules shipped in this repository's `rules/` directory.
    public static let declarativeRules: [DeclarativeRule] = {
        (try? DeclarativeRuleLoader.load(["rules"], root: RepositoryPaths.root)) ?? []
    }()

    /// The findings of `ruleID` for an example's files.
    public static func findings(_ ruleID: String, files: [(path: String, contents: String)], configuration: String?) throws -> [Finding] {
        try linter(for: ruleID, configuration: configuration).lint(virtualFiles: files).findings.filter { $0.ruleID == ruleID }
    }

    /// Problems with a triggering example: findings not at a marker, markers without a finding, and
    /// a finding that survives a suppression comment. Empty when the example behaves.
    public static func checkTriggering(_ example: Example, ruleID: String) throws -> [String] {
        let marked = Markers.strip(example)
        var problems: [String] = []
        let expected = Set(marked.flatMap { f in f.markers.map { "\(f.path):\($0)" } })
        if expected.isEmpty { problems.append("triggering example has no ↓ marker") }
        let found = try findings(ruleID, files: marked.map { ($0.path, $0.contents) }, configuration: example.configuration)
        let actual = Set(found.map { "\($0.path):\($0.range.start)" })
        for e in expected.subtracting(actual).sorted() { problems.append("expected a finding at \(e); got \(actual.sorted())") }
        for a in actual.subtracting(expected).sorted() {
            let message = found.first { "\($0.path):\($0.range.start)" == a }?.message ?? ""
            problems.append("unexpected finding at \(a): \(message)")
        }
        let suppressed = try findings(ruleID, files: Markers.suppressed(marked, ruleID: ruleID), configuration: example.configuration)
        if !suppressed.isEmpty {
            problems.append("`# fleetlint: ignore[\(ruleID)]` above the marked line did not silence: \(suppressed.map { "\($0.path):\($0.range.start)" })")
        }
        return problems.map { "\(example.sourceFile):\(example.sourceLine): \($0)" }
    }

    /// Problems with a non-triggering example (any finding of the rule).
    public static func checkNonTriggering(_ example: Example, ruleID: String) throws -> [String] {
        let found = try findings(ruleID, files: example.files, configuration: example.configuration)
        return found.map { "\(example.sourceFile):\(example.sourceLine): unexpected finding at \($0.path):\($0.range.start): \($0.message)" }
    }
}
