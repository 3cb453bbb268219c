import ArgumentParser
import FleetLintCore
import FleetLintProject
import FleetLintRules
import FleetLintSyntax
import Foundation

struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Print the deployable units, their install sets and where each requirement came from.")

    @OptionGroup var scope: ScopeOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: String = "text"

    @Flag(name: .long, help: "Print the version-drift table (packages sorted by number of distinct versions).")
    var drift = false

    func run() throws {
        guard format == "text" || format == "json" else {
            printError("error: `--format` must be text or json for `deps`")
            throw ExitCode(2)
        }
        let (root, display, _) = try scope.resolve()
        let (linter, settings) = try withConfigurationErrors {
            var configuration = try FleetLintSetup.loadConfiguration(root: root, explicit: scope.config.map { URL(fileURLWithPath: $0) })
            configuration.applyCommandLine(
                select: ["invalid-requirement", "dependency-version-conflict", "dependency-version-drift", "missing-dependency"],
                ignore: [], failOn: nil)
            let settings = try DependencySettings(options: configuration.options("dependencies"))
            return (try FleetLintSetup.makeLinter(configuration: configuration, root: root), settings)
        }
        var options = LintOptions(root: root, rootDisplay: display)
        options.extraExcludes = scope.exclude.map(Glob.init)
        options.useGit = !scope.noGit
        let (report, project) = linter.analyze(options)
        let index = DependencyIndex.of(project, environment: settings.environment, buildContexts: settings.buildContexts)
        let text = drift ? DepsPresenter.drift(index, settings: settings, json: format == "json")
            : DepsPresenter.units(index, report: report, json: format == "json")
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
