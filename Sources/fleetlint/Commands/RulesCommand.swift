import ArgumentParser
import FleetLintCore
import FleetLintRules
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rules.")

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let rules = FleetLintSetup.allDescriptions
        if json {
            struct Row: Encodable { var id, category, severity, summary: String; var enabledByDefault: Bool }
            let rows = rules.map { Row(id: $0.id, category: $0.category.rawValue, severity: $0.defaultSeverity.rawValue, summary: $0.summary, enabledByDefault: $0.isEnabledByDefault) }
            print(JSONOutput.encode(rows), terminator: "")
            return
        }
        let idWidth = rules.map(\.id.count).max() ?? 2
        let catWidth = max(8, rules.map(\.category.rawValue.count).max() ?? 8)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        print(pad("ID", idWidth) + "  " + pad("CATEGORY", catWidth) + "  SEVERITY  SUMMARY")
        for r in rules {
            print(pad(r.id, idWidth) + "  " + pad(r.category.rawValue, catWidth) + "  " + pad(r.defaultSeverity.rawValue, 8) + "  " + r.summary)
        }
    }
}

struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rule", abstract: "Print a rule's documentation.")

    @Argument(help: "The rule id.")
    var id: String

    func run() throws {
        guard let rule = FleetLintSetup.allDescriptions.first(where: { $0.id == id }) else {
            printError("error: unknown rule id `\(id)`; run `fleetlint rules` to list the valid ids")
            throw ExitCode(2)
        }
        print(rule.documentation, terminator: "")
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the effective settings for a path.")

    @Argument(help: "A repository-relative path (default: the root).")
    var path: String = ""

    @Option(name: .long, help: "The repository root.")
    var root: String = "."

    @Option(name: .long, help: "Use this configuration file.")
    var config: String?

    func run() throws {
        let rootURL = URL(fileURLWithPath: root)
        let configuration = try withConfigurationErrors {
            try FleetLintSetup.loadConfiguration(root: rootURL, explicit: config.map { URL(fileURLWithPath: $0) })
        }
        var defaults: [String: (enabled: Bool, severity: Severity)] = [:]
        for d in FleetLintSetup.allDescriptions { defaults[d.id] = (d.isEnabledByDefault, d.defaultSeverity) }
        if !configuration.reportUnusedSuppressions { defaults["unused-suppression"]?.enabled = false }
        var rel = path
        while rel.hasPrefix("./") { rel.removeFirst(2) }
        let settings = configuration.settings(for: rel, defaults: defaults)
        print("source: \(configuration.source ?? "(defaults)")")
        print("path: \(rel.isEmpty ? "." : rel)")
        print("fail-on: \(configuration.failOn.rawValue)")
        print("exclude: [\(configuration.exclude.map { "\"\($0.pattern)\"" }.joined(separator: ", "))]")
        print("excluded: \(configuration.exclude.contains { $0.matches(rel) } && !rel.isEmpty)")
        print("report-unused-suppressions: \(configuration.reportUnusedSuppressions)")
        print("rules:")
        for id in defaults.keys.sorted() {
            let on = settings.enabledRules.contains(id)
            print("  \(id): \(on ? (settings.severity[id] ?? .warning).rawValue : "off")")
        }
        for name in configuration.sections.keys.sorted() {
            print("[\(name)]")
            for key in configuration.sections[name]!.values.keys.sorted() {
                print("  \(key) = \(configuration.sections[name]!.values[key]!)")
            }
        }
    }
}
