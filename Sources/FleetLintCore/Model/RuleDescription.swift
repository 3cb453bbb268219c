/// Everything a user (and the docs) need to know about a rule, held in one static value per rule
/// (SwiftLint's `RuleDescription`, with ruff's documentation headings in `rationale`).
public struct RuleDescription: Sendable {
    public let id: String
    public let summary: String
    public let category: RuleCategory
    public let defaultSeverity: Severity
    /// Markdown with the headings "What it does", "Why is this bad?", "Example", "Use instead".
    public let rationale: String
    /// File kinds the rule needs parsed.
    public let inputs: Set<FileKind>
    /// Whether the rule runs when the configuration does not select it explicitly.
    public let isEnabledByDefault: Bool
    public let triggering: [Example]
    public let nonTriggering: [Example]
    /// The option keys accepted in `[tool.fleetlint.<id>]`, with one-line documentation each.
    public let options: [String: String]

    public init(
        id: String,
        summary: String,
        category: RuleCategory,
        defaultSeverity: Severity,
        inputs: Set<FileKind>,
        rationale: String,
        isEnabledByDefault: Bool = true,
        options: [String: String] = [:],
        triggering: [Example] = [],
        nonTriggering: [Example] = []
    ) {
        self.id = id
        self.summary = summary
        self.category = category
        self.defaultSeverity = defaultSeverity
        self.inputs = inputs
        self.rationale = rationale
        self.isEnabledByDefault = isEnabledByDefault
        self.options = options
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }

    /// The documentation `fleetlint rule ID` prints (Markdown).
    public var documentation: String {
        var out = "# \(id)\n\n\(summary)\n\n"
        out += "- category: \(category.rawValue)\n- default severity: \(defaultSeverity.rawValue)\n"
        out += "- inputs: \(inputs.sorted().map(\.rawValue).joined(separator: ", "))\n"
        out += "- enabled by default: \(isEnabledByDefault ? "yes" : "no")\n\n"
        out += rationale.trimmingTrailingNewlines() + "\n"
        if !options.isEmpty {
            out += "\n## Options (`[tool.fleetlint.\(id)]`)\n\n"
            for key in options.keys.sorted() { out += "- `\(key)`: \(options[key]!)\n" }
        }
        return out
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
