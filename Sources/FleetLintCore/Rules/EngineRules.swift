/// Rules whose findings the engine itself produces (they have no `check`), registered so that they can
/// be selected, ignored, re-levelled and documented like any other rule.
public struct EngineRule: Rule {
    public let ruleDescription: RuleDescription

    public static let blanketSuppression = EngineRule(ruleDescription: RuleDescription(
        id: "blanket-suppression",
        summary: "A suppression comment that names no rule",
        category: .meta,
        defaultSeverity: .warning,
        inputs: [.python, .requirements, .dockerfile, .pyproject, .envFile],
        rationale: """
            ## What it does
            Flags `# fleetlint: ignore` and `# fleetlint: ignore-file` comments without a `[rule-id]` list,
            and suppressions that name a rule fleetlint does not know.

            ## Why is this bad?
            A blanket suppression silences every present and future rule on that line, including the ones
            that catch committed secrets. Naming the rule keeps the exception narrow and reviewable.

            ## Example
            ```python
            client = bigquery.Client()  # fleetlint: ignore
            ```

            ## Use instead
            ```python
            client = bigquery.Client()  # fleetlint: ignore[unpooled-client] -- one-off migration script
            ```
            """))

    public static let unusedSuppression = EngineRule(ruleDescription: RuleDescription(
        id: "unused-suppression",
        summary: "A suppression comment that silences nothing",
        category: .meta,
        defaultSeverity: .warning,
        inputs: [],
        rationale: """
            ## What it does
            Reported only with `--report-unused-suppressions` (or `report-unused-suppressions = true`): a
            `# fleetlint: ignore[rule-id]` whose rule produced no finding on the lines it covers (as ruff's
            RUF100 does for `noqa`).

            ## Why is this bad?
            Stale suppressions hide the next real problem on that line.

            ## Example
            ```python
            session = get_http_session()  # fleetlint: ignore[unpooled-client]
            ```

            ## Use instead
            ```python
            session = get_http_session()
            ```
            """,
        isEnabledByDefault: true))

    public static let all: [EngineRule] = [blanketSuppression, unusedSuppression]
}
