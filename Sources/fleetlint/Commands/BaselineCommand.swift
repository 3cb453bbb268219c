import ArgumentParser
import FleetLintCore
import Foundation

/// `fleetlint baseline create|update`: accept today's findings so that `check --baseline` reports only
/// new ones.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Record current findings so that `check --baseline FILE` reports only new ones.",
        discussion: """
            Entries are keyed by rule, file, enclosing scope, a hash of the finding's code (whitespace \
            normalised; for secrets a hash, never the secret) and its occurrence in that scope — never \
            line numbers. The file is sorted, one entry per line, without timestamps.
            """,
        subcommands: [Create.self, Update.self]
    )

    struct FileOptions: ParsableArguments {
        @Option(name: [.short, .long], help: "The baseline file (default: .fleetlint-baseline.json at the repository root).")
        var output: String?

        func path(root: URL) -> String { output ?? root.appendingPathComponent(Baseline.defaultPath).path }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a baseline of every current finding.")
        @OptionGroup var file: FileOptions
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var engine: EngineOptions
        @OptionGroup var rules: RuleSelectionOptions

        func run() throws {
            let analysis = try Analysis.run(scope: scope, rules: rules, engine: engine)
            let baseline = Baseline(findings: analysis.report.findings.array, fileBytes: analysis.fileBytes)
            let path = file.path(root: analysis.root)
            try write(baseline.serialized(), to: path)
            printError("fleetlint: wrote \(baseline.entries.count) entr\(baseline.entries.count == 1 ? "y" : "ies") to \(path)")
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop the entries whose findings are gone (a ratchet: never adds new findings).")
        @OptionGroup var file: FileOptions
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var engine: EngineOptions
        @OptionGroup var rules: RuleSelectionOptions

        func run() throws {
            let analysis = try Analysis.run(scope: scope, rules: rules, engine: engine)
            let path = file.path(root: analysis.root)
            let old: Baseline
            do { old = try Baseline.load(path) } catch {
                printError("error: \(error); create one with `fleetlint baseline create`")
                throw ExitCode(2)
            }
            let match = BaselinePass.match(
                analysis.report.findings.array, baseline: old, currentPaths: analysis.project.allPaths,
                fileBytes: analysis.fileBytes)
            // Entries this run could not see (rules not run, paths out of scope) are kept as they are;
            // matched ones are rewritten with their current key (a renamed file's new path).
            let removed = match.stale.filter(analysis.covers)
            let kept = match.stale.filter { !analysis.covers($0) }
            let updated = Baseline(entries: match.matched.map(\.entry) + kept)
            if updated != old { try write(updated.serialized(), to: path) }
            var note = "fleetlint: \(path): removed \(removed.count) fixed entr\(removed.count == 1 ? "y" : "ies"), kept \(updated.entries.count)"
            if !match.new.isEmpty {
                note += "; \(match.new.count) new finding\(match.new.count == 1 ? " is" : "s are") not added (fix "
                    + "or suppress \(match.new.count == 1 ? "it" : "them"), or re-accept everything with `baseline create`)"
            }
            printError(note)
        }
    }
}
