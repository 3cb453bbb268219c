import ArgumentParser
import FleetLintAllocator
import FleetLintCore
import FleetLintRules
import Foundation

@main
struct FleetLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetlint",
        abstract: "A static analyzer for Python monorepos: dependencies, clients, retries and secrets.",
        version: BuildInfo.version,
        subcommands: [
            CheckCommand.self, BaselineCommand.self, HookCommand.self, RulesCommand.self, RuleCommand.self,
            ConfigCommand.self, DepsCommand.self, CacheCommand.self, AdoptionCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )

    /// Usage errors exit 2, as the contract says (ArgumentParser's default is 64, EX_USAGE).
    static func main() {
        // jemalloc and its settings (FleetLintAllocator) are linked in on Linux.
        _ = fleetlint_allocator_linked()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
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
