import FleetLintCore
import FleetLintSyntax

/// A tracked `.env` / `.env.*` file. Templates (`.env.example`, …) are allowed.
public struct CommittedEnvFileRule: BuiltInRule, FileRule {
    public static let description = RuleDescription(
        id: "committed-env-file",
        summary: "A `.env` file is committed to the repository",
        category: .secrets,
        defaultSeverity: .error,
        inputs: [.envFile],
        rationale: """
            ## What it does
            Flags every tracked `.env` or `.env.*` file (`.env.production`, `svc/.env.local`). Templates
            named `.env.example`, `.env.sample`, `.env.template` and `.env.dist` are allowed. Both lists are
            configurable.

            ## Why is this bad?
            `.env` files exist to hold a machine's secrets outside the code. Once committed, every clone,
            fork, CI cache and backup holds the API keys, and rotating them is the only fix.

            ## Example
            ```
            services/api/.env.production   (tracked by git)
            ```

            ## Use instead
            Commit `services/api/.env.example` with placeholder values, add `.env*` (with `!.env.example`)
            to `.gitignore`, and load real values from the secret manager at deploy time.
            """,
        options: [
            "patterns": "file-name globs that are env files (default `.env`, `.env.*`)",
            "allow": "file-name globs that are templates (default `.env.example`, `.env.sample`, `.env.template`, `.env.dist`)",
        ],
        triggering: [
            Example(path: "services/api/.env", "↓API_TOKEN=not-a-real-token\n"),
            Example(path: ".env.production", "↓DEBUG=false\n"),
        ],
        nonTriggering: [
            Example(path: "services/api/.env.example", "API_TOKEN=\n"),
            Example(path: "config/app.env.md", "# how to write .env files\n"),
        ]
    )

    let patterns: [Glob]
    let allow: [Glob]

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.description.options.keys)
        patterns = (try options.stringArray("patterns") ?? [".env", ".env.*"]).map(Glob.init)
        allow = (try options.stringArray("allow") ?? [".env.example", ".env.sample", ".env.template", ".env.dist"]).map(Glob.init)
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        guard patterns.contains(where: { $0.matchesWholePath(file.path) }),
              !allow.contains(where: { $0.matchesWholePath(file.path) }) else { return [] }
        let firstLineLength = max(1, file.lineText(1).unicodeScalars.count)
        return [context.finding(
            path: file.path, range: SourceRange(line: 1, column: 1, length: firstLineLength),
            message: "`\(file.name)` is committed; env files hold a machine's secrets",
            help: "remove it from git (`git rm --cached \(file.path)`), rotate any credentials it held, and commit a `.env.example` template instead",
            anchor: file.path, showsSource: false)]
    }
}
