import FleetLintCore
import Foundation

/// Builds a configured `Linter` from a repository root: finds and validates the configuration,
/// instantiates the built-in rules (each validating its own options) and the parsers they need.
public enum FleetLintSetup {
    /// Option sections that are not rules: `files` (file-kind globs) and the subsystems' settings.
    public static let subsystemSections: Set<String> = ["files", "dependencies", "migrations"]

    public static var knownRuleIDs: Set<String> {
        Set(BuiltInRules.all.map { $0.description.id } + EngineRule.all.map(\.ruleDescription.id))
    }

    public static var knownSections: Set<String> {
        subsystemSections.union(BuiltInRules.all.map { $0.optionsSection })
    }

    /// Every rule description, sorted by id (for `fleetlint rules`).
    public static var allDescriptions: [RuleDescription] {
        (BuiltInRules.all.map { $0.description } + EngineRule.all.map(\.ruleDescription)).sorted { $0.id < $1.id }
    }

    /// Loads the configuration for `root` (or from `explicit`), or the defaults when there is none.
    public static func loadConfiguration(root: URL, explicit: URL? = nil) throws(ConfigurationError) -> Configuration {
        let located: (url: URL, table: [String])?
        if let explicit {
            located = (explicit, explicit.lastPathComponent == "pyproject.toml" ? ["tool", "fleetlint"] : [])
        } else {
            located = Configuration.locate(root: root)
        }
        guard let located else { return Configuration() }
        let display = explicit?.relativePath ?? located.url.lastPathComponent
        guard let data = FileManager.default.contents(atPath: located.url.path) else {
            throw ConfigurationError(file: display, message: "cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            // A root pyproject.toml that is not UTF-8 cannot hold fleetlint settings anyone meant:
            // lint with the defaults; the file itself is a parse-error finding like any other.
            if located.table == ["tool", "fleetlint"], explicit == nil,
               !String(decoding: data, as: UTF8.self).contains("tool.fleetlint") { return Configuration() }
            throw ConfigurationError.invalidUTF8(file: display, bytes: [UInt8](data), what: "configuration file")
                ?? ConfigurationError(file: display, message: "the configuration file is not valid UTF-8; save the file as UTF-8")
        }
        // A broken pyproject.toml that holds no fleetlint settings is a finding (`parse-error`), not a
        // configuration error: lint with the defaults and report it like any other file.
        if located.table == ["tool", "fleetlint"], explicit == nil, !text.contains("tool.fleetlint") {
            do { _ = try TOMLDocument(path: display, text: text) } catch { return Configuration() }
        }
        return try parseConfiguration(text: text, path: display, table: located.table, root: root)
    }

    /// Parses and validates configuration text; declarative rules named in `rule-files` are loaded
    /// (relative to `root`) so that their ids can be selected.
    public static func parseConfiguration(text: String, path: String, table: [String], root: URL? = nil) throws(ConfigurationError) -> Configuration {
        let (ruleFiles, ruleFilesLine) = try Configuration.peekRuleFiles(text: text, path: path, table: table)
        let declarative = try root.map { r throws(ConfigurationError) in
            try DeclarativeRuleLoader.load(ruleFiles, root: r, listedIn: (path, ruleFilesLine))
        } ?? []
        let ids = Set(declarative.map(\.ruleDescription.id))
        for id in ids where knownRuleIDs.contains(id) {
            throw ConfigurationError(file: path, message: "declarative rule `\(id)` has the id of a built-in rule; rename it")
        }
        let config = try Configuration.parse(
            text: text, path: path, table: table, knownRules: knownRuleIDs.union(ids), knownSections: knownSections)
        _ = try makeLinter(configuration: config, extraRules: declarative)  // validate every rule's options now
        return config
    }

    /// Instantiates every rule with its options, plus the declarative rules of `rule-files` under `root`.
    public static func makeLinter(configuration: Configuration, root: URL) throws(ConfigurationError) -> Linter {
        try makeLinter(configuration: configuration, extraRules: DeclarativeRuleLoader.load(configuration.ruleFiles, root: root))
    }

    /// Instantiates every rule with its options.
    public static func makeLinter(configuration: Configuration, extraRules: [any Rule] = []) throws(ConfigurationError) -> Linter {
        let options = BuiltInRules.all.map { configuration.options($0.optionsSection) }
        var rules: [any Rule] = []
        if let built = builtRules.rules(for: options) {
            rules = built
        } else {
            for (type, table) in zip(BuiltInRules.all, options) { rules.append(try type.init(options: table)) }
            builtRules.remember(rules, for: options)
        }
        rules += extraRules
        let classifier = try FileClassifier(options: configuration.options("files"))
        // Everything besides a file's bytes that changes its analysis: part of every cache key.
        let fingerprint = ContentHash.sha256(
            [configuration.contentHash, configuration.commandLineSelect?.joined(separator: ",") ?? "-",
             configuration.commandLineIgnore.joined(separator: ","), String(configuration.reportUnusedSuppressions)]
                + extraRules.map { ($0 as? DeclarativeRule)?.sourceHash ?? $0.ruleDescription.id })
        // Secrets that only the committed-secret rule's own options find (extra patterns) are redacted too.
        let custom = rules.lazy.compactMap { ($0 as? CommittedSecretRule)?.customScanner }.first
        // The built-in catalogue's scanner is process-wide, compiled when a finding is first redacted.
        return Linter(configuration: configuration, rules: rules, parsers: BuiltInParsers.all, classifier: classifier,
                      secretFinder: CatalogueSecretFinder(custom: custom), settingsFingerprint: fingerprint)
    }
}

/// The built-in rules of the last `makeLinter` call with their options: loading a configuration validates
/// every rule's options by building the rules, and the linter made right after reuses them instead of
/// building them again (loading the import map and compiling patterns twice). Rules are immutable values.
private final class BuiltRules: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (options: [OptionsTable], rules: [any Rule])?

    func rules(for options: [OptionsTable]) -> [any Rule]? {
        lock.lock()
        defer { lock.unlock() }
        guard let last, last.options == options else { return nil }
        return last.rules
    }

    func remember(_ rules: [any Rule], for options: [OptionsTable]) {
        lock.lock()
        last = (options, rules)
        lock.unlock()
    }
}

private let builtRules = BuiltRules()

/// The parsers the engine may run, one per file kind.
public enum BuiltInParsers {
    public static let all: [any FileParser] = [PythonFileParser(), RequirementsFileParser(), DockerfileFileParser(), PyProjectFileParser()]
}
