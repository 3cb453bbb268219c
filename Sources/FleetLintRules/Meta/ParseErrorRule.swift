import Foundation
import FleetLintCore
import FleetLintSyntax

/// Reports files fleetlint could not read, decode or parse. Never fatal: the rest of the repository
/// (and the rest of the file, where the parser recovered) is still analysed.
public struct ParseErrorRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "parse-error",
        summary: "A source file fleetlint could not read, decode or parse",
        category: .meta,
        defaultSeverity: .warning,
        inputs: [.python, .pyproject, .dockerfile, .binary],
        rationale: """
            ## What it does
            Reports a file that could not be read (unreadable, a symlink loop, a symlink out of the
            repository), decoded (invalid UTF-8, binary content in a source file) or parsed (a Python syntax
            error, invalid TOML, a malformed Dockerfile instruction), at the position of the problem.

            ## Why is this bad?
            Every other rule is blind to the part of a file it cannot parse, so a syntax error hides real
            findings. It is usually also a bug: CPython refuses to import the module.

            ## Example
            ```python
            def handler(event:
                return event
            ```

            ## Use instead
            ```python
            def handler(event):
                return event
            ```
            """,
        triggering: [
            Example(path: "svc/app.py", "import os\ndef handler(event)↓\n    return event\n"),
            Example(path: "svc/bad.py", "x = 1\nif x↓\n    pass\n"),
        ],
        nonTriggering: [
            Example(path: "svc/app.py", "def handler(event):\n    return event\n"),
        ]
    )

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys([])
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        // Requirements problems are `invalid-requirement` findings, not parse errors.
        guard file.kind != .requirements else { return [] }
        return file.problems.map { p in
            var message = p.message
            if message.hasPrefix("`\(p.code)`: ") {
                message = p.code.replacingOccurrences(of: "-", with: " ") + ": " + message.dropFirst(p.code.count + 4)
            }
            return context.finding(
                path: file.path, range: p.range, message: message, help: p.help,
                metadata: ["code": .string(p.code)], anchor: p.code + ":" + p.message)
        }
    }
}
