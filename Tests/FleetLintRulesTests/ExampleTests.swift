import FleetLintCore
import FleetLintRules
import Testing
import TestSupport

/// Every rule's examples are tests: triggering examples fire exactly at their `↓` markers (and are
/// silenced by a suppression comment), non-triggering examples produce nothing.
@Suite("Rule examples")
struct ExampleTests {
    /// Built-in rules plus every declarative rule in `rules/`.
    static let ruleIDs = (BuiltInRules.all.map { $0.description.id } + ExampleRunner.declarativeRules.map(\.ruleDescription.id)).sorted()

    static func description(_ id: String) -> RuleDescription {
        BuiltInRules.all.first { $0.description.id == id }?.description
            ?? ExampleRunner.declarativeRules.first { $0.ruleDescription.id == id }!.ruleDescription
    }

    @Test("triggering examples fire at their markers", arguments: ruleIDs)
    func triggering(_ id: String) throws {
        let d = Self.description(id)
        #expect(!d.triggering.isEmpty, "\(id) has no triggering example")
        for example in d.triggering {
            let problems = try ExampleRunner.checkTriggering(example, ruleID: id)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }

    @Test("non-triggering examples stay silent", arguments: ruleIDs)
    func nonTriggering(_ id: String) throws {
        let d = Self.description(id)
        #expect(!d.nonTriggering.isEmpty, "\(id) has no non-triggering example")
        for example in d.nonTriggering {
            let problems = try ExampleRunner.checkNonTriggering(example, ruleID: id)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}

@Suite("Rule catalogue")
struct RuleCatalogTests {
    @Test("rule ids are unique kebab-case and documented with ruff's headings")
    func catalogue() {
        let all = FleetLintSetup.allDescriptions
        #expect(Set(all.map(\.id)).count == all.count)
        for d in all {
            #expect(d.id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(d.id) is not kebab-case")
            #expect(!d.id.hasPrefix("no-") && !d.id.hasPrefix("avoid-") && !d.id.hasPrefix("banned-"))
            for heading in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
                #expect(d.rationale.contains(heading), "\(d.id) rationale lacks \(heading)")
            }
        }
    }

    @Test("asFileRule and asProjectRule answer what a cast would, for every built-in and declarative rule")
    func shapesWithoutCasts() throws {
        var rules: [any Rule] = ExampleRunner.declarativeRules
        for type in BuiltInRules.all { rules.append(try type.init(options: .empty(type.optionsSection))) }
        #expect(rules.count > BuiltInRules.all.count)
        for rule in rules {
            let id = rule.ruleDescription.id
            #expect((rule.asFileRule != nil) == (rule is any FileRule), "\(id)")
            #expect((rule.asProjectRule != nil) == (rule is any ProjectRule), "\(id)")
            #expect(rule.asFileRule != nil || rule.asProjectRule != nil, "\(id) is neither shape")
        }
    }

    @Test("every built-in rule has a fixture scenario")
    func fixtures() {
        let scenarios = Set(RepositoryPaths.fixtureScenarios)
        for type in BuiltInRules.all {
            #expect(scenarios.contains(type.description.id), "fixtures/\(type.description.id)/ is missing")
        }
    }
}
