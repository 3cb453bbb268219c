import ArgumentParser
import FleetLintCore
import FleetLintRules
import Foundation

@main
struct FleetLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetlint",
        abstract: "A static analyzer for Python monorepos: dependencies, clients, retries and secrets.",
        version: FleetLintVersion.current,
        subcommands: [CheckCommand.self, RulesCommand.self, RuleCommand.self, ConfigCommand.self, DepsCommand.self],
        defaultSubcommand: CheckCommand.self
    )
}

/// Writes to stderr (only the executable prints).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Runs `body`, mapping configuration errors to exit code 2 with the message on stderr.
func withConfigurationErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigurationError {
        printError("error: \(error)")
        throw ExitCode(2)
    }
}
