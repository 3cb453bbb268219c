import FleetLintCore

/// Every built-in rule type, one line each. The example test and `fleetlint rules` read this list.
public enum BuiltInRules {
    public static let all: [any BuiltInRule.Type] = [
        CommittedEnvFileRule.self,
        CommittedSecretRule.self,
        DependencyVersionConflictRule.self,
        DependencyVersionDriftRule.self,
        FixedSleepRetryRule.self,
        InvalidRequirementRule.self,
        MissingDependencyRule.self,
        ParseErrorRule.self,
        UnpooledClientRule.self,
    ]
}
