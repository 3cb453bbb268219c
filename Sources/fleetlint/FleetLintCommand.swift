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
        // Where a run has just let go of much, the freed pages go back at once (`Linter.returnFreedMemory`).
        Linter.returnsFreedMemory = { fleetlint_allocator_return_freed() }
        // A reader that stops early (`fleetlint check | head`) closes the pipe: writes then fail with EPIPE, which
        // `writeReport` takes as "no more output", and the run goes on to finish its cache writes and exit with its
        // code. With SIGPIPE's default action the process was killed at the first such write, mid-way through
        // writing the run memo (a temp file left in the cache directory). Child processes get the default back.
        signal(SIGPIPE, SIG_IGN)
        // A check (the default command) compiles the built-in secret catalogue while the command line is parsed (see
        // `StartUpWarmUp`). The process waits for every warm-up thread before it exits (`WarmUpThreads`).
        if startsCheck() { StartUpWarmUp.start() }
        do {
            var command = try parseCheckDirectly() ?? parseAsRoot()
            try command.run()
            WarmUpThreads.waitForAll()
        } catch {
            WarmUpThreads.waitForAll()
            if exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// Whether the command line runs a check: `check …`, or no subcommand (a check is the default) and no request for
    /// help, the version or a completion script. A wrong guess costs only the warm-up's work.
    static func startsCheck(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Bool {
        guard let first = arguments.first else { return true }
        if first == "check" { return true }
        guard let words = subcommandWords else { return false }
        return !(words.contains(first) || first.hasPrefix("-h") || asksForRootText(first))
    }

    /// `--help`, `--version` or a completion script: texts that name the root command, which only its parse gives.
    static func asksForRootText(_ argument: String) -> Bool {
        argument.hasPrefix("--help") || argument.hasPrefix("--version") || argument.hasPrefix("--generate-")
    }

    /// Every subcommand's name and aliases, and `help`; nil when a subcommand sets no name (each sets its name:
    /// deriving one from the type is costly).
    static let subcommandWords: Set<String>? = {
        var words: Set<String> = ["help"]
        for c in configuration.subcommands {
            guard let name = c.configuration.commandName else { return nil }
            words.insert(name)
            words.formUnion(c.configuration.aliases)
        }
        return words
    }()

    /// `fleetlint check …` (or no arguments: the default command) parsed by `CheckCommand` as its own root.
    /// The root's parse first builds every subcommand's tree and the default command's argument set twice
    /// (ArgumentParser reflects over each command and casts every property; each first cast of a type scans
    /// the static binary's conformance records): ~34 M instructions, a fifth of a warm run, where this parse
    /// costs ~22 M (1x warm: 170.9 -> 159.9 M). CheckCommand has no subcommands, so the arguments after `check`
    /// mean the same either way. Anything else — help, version, completion requests (whose texts name the
    /// root), a word that could be a subcommand or `help`, any parse error — returns nil and takes the root's
    /// parse, which gives the same messages and exit codes as before.
    static func parseCheckDirectly(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> ParsableCommand? {
        var args = arguments
        if args.first == "check" { args.removeFirst() } else if !args.isEmpty { return nil }
        guard let subcommands = subcommandWords else { return nil }
        for a in args {
            if subcommands.contains(a) || a == "--" || asksForRootText(a) || a.hasPrefix("--experimental") { return nil }
            // `-h`, and short flags run together with it (`-qh`).
            if a.hasPrefix("-") && !a.hasPrefix("--") && a.contains("h") { return nil }
        }
        return try? CheckCommand.parseAsRoot(args)
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
        printError("error: \(redactingSecrets(String(describing: error)))")
        throw ExitCode(2)
    }
}

/// A message with every secret the catalogue finds in it shortened to its first four characters, as the passes redact
/// findings: a configuration error quotes the value it rejects (`fail-on = "ghp_…"` was echoed whole).
func redactingSecrets(_ message: String) -> String {
    guard let finder = try? CatalogueSecretFinder() else { return message }
    var out = message
    for secret in finder.secrets(inLine: message, path: "") where out.contains(secret) {
        out = out.replacingOccurrences(of: secret, with: String(secret.prefix(4)) + "…")
    }
    return out
}
