import ArgumentParser
import Testing
@testable import fleetlint

/// `FleetLintCommand.parseCheckDirectly`: `check` parsed by `CheckCommand` as its own root must mean what the
/// root's parse means, and everything it does not handle alike must go to the root's parse.
@Suite("check's direct parse")
struct ArgumentParsingTests {
    /// Every stored property of a parsed command, written out (options, flags, arguments and groups).
    static func described(_ command: ParsableCommand) -> String {
        var out = ""
        dump(command, to: &out)
        return out
    }

    @Test("arguments the direct parse takes give the command the root's parse gives", arguments: [
        [],
        ["check"],
        ["check", "."],
        ["check", "--format", "json", "--no-cache", "."],
        ["check", "-q", "--select", "unpooled-client,parse-error", "--ignore", "parse-error", "--fail-on", "warning", "src", "lib"],
        ["check", "--format=sarif", "-o", "out.sarif", "--junit", "junit.xml", "--severity", "error"],
        ["check", "--staged", "--cache-dir", "/tmp/c", "--verbose", "--statistics"],
        ["check", "--baseline", "b.json", "--strict-baseline", "--report-unused-suppressions", "--no-git"],
    ])
    func sameCommand(_ args: [String]) throws {
        let direct = try #require(FleetLintCommand.parseCheckDirectly(args), "the direct parse declined \(args)")
        let root = try FleetLintCommand.parseAsRoot(args)
        #expect(root is CheckCommand)
        #expect(Self.described(direct) == Self.described(root))
    }

    @Test("the written-out command shows the values parsed (so equal texts mean equal commands)")
    func describedShowsValues() throws {
        let json = try #require(FleetLintCommand.parseCheckDirectly(["check", "--format", "json", "src"]))
        let sarif = try #require(FleetLintCommand.parseCheckDirectly(["check", "--format", "sarif", "src"]))
        let other = try #require(FleetLintCommand.parseCheckDirectly(["check", "--format", "json", "lib"]))
        #expect(Self.described(json) != Self.described(sarif))
        #expect(Self.described(json) != Self.described(other))
        #expect(Self.described(json) == Self.described(try FleetLintCommand.parseAsRoot(["check", "--format", "json", "src"])))
    }

    @Test("help, version, completion, subcommand words and parse errors go to the root's parse", arguments: [
        ["check", "--help"], ["check", "-h"], ["check", "-qh"], ["--version"], ["check", "--version"],
        ["check", "--generate-completion-script", "bash"], ["check", "help"], ["check", "baseline"], ["check", "rules"],
        ["check", "--", "-weird-path"], ["check", "--bogus"], ["check", "--format", "nope"], ["check", "--fail-on"],
        ["rules"], ["baseline", "update"], ["."], ["--format", "json", "."],
    ])
    func declined(_ args: [String]) {
        #expect(FleetLintCommand.parseCheckDirectly(args) == nil, "\(args)")
    }

    @Test("the start-up warm-up runs for what the root parses as a check, and not for help, the version or other commands",
          arguments: [
        ([], true), (["check"], true), (["."], true), (["--format", "json", "."], true), (["check", "--staged"], true),
        (["--version"], false), (["--help"], false), (["-h"], false), (["help"], false), (["--generate-completion-script", "bash"], false),
        (["rules"], false), (["baseline", "update"], false), (["cache", "clean"], false), (["hook", "install"], false),
    ] as [([String], Bool)])
    func warmUpGuess(_ args: [String], expected: Bool) throws {
        #expect(FleetLintCommand.startsCheck(args) == expected, "\(args)")
        if expected { #expect(try FleetLintCommand.parseAsRoot(args) is CheckCommand) }
    }

    @Test("no subcommand but check is taken for a check")
    func everySubcommandDeclined() throws {
        for c in FleetLintCommand.configuration.subcommands where ObjectIdentifier(c) != ObjectIdentifier(CheckCommand.self) {
            let name = try #require(c.configuration.commandName)
            #expect(!FleetLintCommand.startsCheck([name]), "\(name)")
            for alias in c.configuration.aliases { #expect(!FleetLintCommand.startsCheck([alias]), "\(alias)") }
        }
    }

    /// Every command and subcommand, depth first.
    static func allCommands(_ root: ParsableCommand.Type = FleetLintCommand.self) -> [ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { allCommands($0) }
    }

    @Test("help texts: discussions break lines only between paragraphs (the help re-wraps them), and no default is said twice")
    func helpTexts() {
        let commands = Self.allCommands()
        #expect(commands.count >= 10)
        for command in commands {
            let discussion = command.configuration.discussion
            let lines = discussion.split(separator: "\n", omittingEmptySubsequences: false)
            // A line break inside a paragraph would stay in the printed help, where the text is wrapped again.
            for (k, line) in lines.enumerated() where k + 1 < lines.count && !line.isEmpty {
                #expect(lines[k + 1].isEmpty, "\(command._commandName): a paragraph broken after `\(line)`")
            }
            let help = command.helpMessage(columns: 200)
            #expect(!help.contains(try! Regex(#"\(default: [^)]*\)\. \(default: "#)), "\(command._commandName): a default said twice")
        }
    }
}

