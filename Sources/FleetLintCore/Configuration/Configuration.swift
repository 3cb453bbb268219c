import FleetLintSyntax
import Foundation

/// Typed access to one `[tool.fleetlint.<section>]` table, with errors that name the file and line.
public struct OptionsTable: Sendable, Equatable {
    public let section: String
    public let values: [String: ConfigValue]
    /// Where the table came from, for error messages.
    public let file: String
    let lines: [String: Int]
    let tableLine: Int?

    public init(section: String, values: [String: ConfigValue] = [:], file: String = "<defaults>",
                lines: [String: Int] = [:], tableLine: Int? = nil) {
        self.section = section
        self.values = values
        self.file = file
        self.lines = lines
        self.tableLine = tableLine
    }

    public static func empty(_ section: String) -> OptionsTable { OptionsTable(section: section) }

    public func error(_ key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: key.flatMap { lines[$0] } ?? tableLine, message: message)
    }

    /// Fails on keys that are not in `allowed`, listing the valid ones.
    public func validateKeys(_ allowed: some Collection<String>) throws(ConfigurationError) {
        let allowedSet = Set(allowed)
        for key in values.keys.sorted() where !allowedSet.contains(key) {
            throw error(key, "unknown key `\(key)` in [tool.fleetlint.\(section)]; valid keys: "
                + allowedSet.sorted().map { "`\($0)`" }.joined(separator: ", "))
        }
    }

    public func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let v = values[key] else { return nil }
        guard case .string(let s) = v else { throw typeError(key, v, "a string") }
        return s
    }

    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let v = values[key] else { return nil }
        guard case .bool(let b) = v else { throw typeError(key, v, "a boolean (true or false)") }
        return b
    }

    public func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let v = values[key] else { return nil }
        guard case .int(let i) = v else { throw typeError(key, v, "an integer") }
        return i
    }

    public func stringArray(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let v = values[key] else { return nil }
        guard case .array(let items) = v else { throw typeError(key, v, "an array of strings") }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw typeError(key, item, "an array of strings") }
            out.append(s)
        }
        return out
    }

    public func table(_ key: String) throws(ConfigurationError) -> OptionsTable? {
        guard let v = values[key] else { return nil }
        guard case .table(let t) = v else { throw typeError(key, v, "a table") }
        return OptionsTable(section: "\(section).\(key)", values: t, file: file, lines: [:], tableLine: lines[key])
    }

    /// An array of tables (`[[tool.fleetlint.x.key]]`).
    public func tableArray(_ key: String) throws(ConfigurationError) -> [OptionsTable]? {
        guard let v = values[key] else { return nil }
        guard case .array(let items) = v else { throw typeError(key, v, "an array of tables") }
        var out: [OptionsTable] = []
        for item in items {
            guard case .table(let t) = item else { throw typeError(key, item, "an array of tables") }
            out.append(OptionsTable(section: "\(section).\(key)", values: t, file: file, tableLine: lines[key]))
        }
        return out
    }

    private func typeError(_ key: String, _ value: ConfigValue, _ expected: String) -> ConfigurationError {
        error(key, "`\(key)` in [tool.fleetlint.\(section)] must be \(expected), not \(value.typeName)")
    }
}

/// Per-directory settings from `[[tool.fleetlint.overrides]]`.
public struct PathOverride: Sendable {
    public var paths: [Glob]
    public var select: [String]?
    public var extendSelect: [String]
    public var ignore: [String]
    public var severity: [String: Severity]
}

/// The effective settings for one path.
public struct EffectiveSettings: Sendable, Equatable {
    public var enabledRules: Set<String>
    public var severity: [String: Severity]
}

/// fleetlint's configuration, from `.fleetlint.toml`, `fleetlint.toml` or `[tool.fleetlint]` in the
/// root `pyproject.toml` (first found wins, in that order).
public struct Configuration: Sendable {
    /// The file it was read from, or nil for defaults.
    public var source: String?
    /// SHA-256 of the configuration text (part of every cache key).
    public var contentHash = ""
    /// Rule ids (or `ALL`) to run; nil means the rules enabled by default.
    public var select: [String]?
    public var extendSelect: [String] = []
    public var ignore: [String] = []
    public var exclude: [Glob] = []
    public var severity: [String: Severity] = [:]
    public var failOn: Severity = .warning
    /// Seconds of analysis one file may take; a file over budget is a `parse-error` finding.
    public var fileTimeBudget: Double = 10
    /// MiB of memory one file's analysis may take (estimated before parsing a Python file).
    public var fileMemoryBudget: Int = 512
    public var overrides: [PathOverride] = []
    public var reportUnusedSuppressions = false
    /// `--select` / `--ignore` from the command line: applied after the file and its overrides.
    public var commandLineSelect: [String]?
    public var commandLineIgnore: [String] = []
    /// Declarative rule files or directories (`rules/*.yaml`), relative to the repository root.
    public var ruleFiles: [String] = []
    /// `[tool.fleetlint.<section>]` tables for rules and subsystems, validated by their owners.
    public var sections: [String: OptionsTable] = [:]

    public init() {}

    public static let topLevelKeys: Set<String> = [
        "select", "extend-select", "ignore", "exclude", "severity", "fail-on", "overrides",
        "report-unused-suppressions", "rule-files", "file-time-budget", "file-memory-budget",
    ]

    /// Reads only `rule-files` (needed before the rule ids are known, since declarative rules add ids), and the line
    /// that sets it (for an entry that does not exist).
    public static func peekRuleFiles(text: String, path: String, table tablePath: [String]) throws(ConfigurationError)
        -> (files: [String], line: Int?)
    {
        let doc = try TOMLDocument(path: path, text: text)
        guard case .table(let t)? = doc.value(at: tablePath), let v = t["rule-files"] else { return ([], nil) }
        let line = doc.line(of: "rule-files", in: tablePath)
        guard case .array(let items) = v else {
            throw ConfigurationError(file: path, line: line, message: "`rule-files` must be an array of paths")
        }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw ConfigurationError(file: path, line: line, message: "`rule-files` must be an array of paths")
            }
            out.append(s)
        }
        return (out, line)
    }

    /// Which file holds the configuration under `root`, if any: `(path, keyPathOfTable)`.
    public static func locate(root: URL, fileExists: (URL) -> Bool = { FileManager.default.fileExists(atPath: $0.path) })
        -> (url: URL, table: [String])?
    {
        let hidden = root.appendingPathComponent(".fleetlint.toml")
        if fileExists(hidden) { return (hidden, []) }
        let plain = root.appendingPathComponent("fleetlint.toml")
        if fileExists(plain) { return (plain, []) }
        let pyproject = root.appendingPathComponent("pyproject.toml")
        if fileExists(pyproject) { return (pyproject, ["tool", "fleetlint"]) }
        return nil
    }

    /// Parses configuration text. `knownRules` are the rule ids; `knownSections` the option sections
    /// (rule ids with options, and subsystems such as `dependencies`).
    public static func parse(
        text: String, path: String, table tablePath: [String],
        knownRules: Set<String>, knownSections: Set<String>
    ) throws(ConfigurationError) -> Configuration {
        let doc = try TOMLDocument(path: path, text: text)
        var config = Configuration()
        config.source = path
        config.contentHash = ContentHash.sha256([text])
        guard let value = doc.value(at: tablePath) else {
            return config  // a pyproject.toml without [tool.fleetlint]: defaults
        }
        guard case .table(let table) = value else {
            throw ConfigurationError(file: path, message: "`\(tablePath.joined(separator: "."))` must be a table")
        }
        let allLines = doc.keyLines(in: tablePath)
        var lines: [String: Int] = [:]
        for key in table.keys { lines[key] = allLines[key] }
        let sectionName = tablePath.isEmpty ? "fleetlint" : tablePath.joined(separator: ".")
        let top = OptionsTable(section: "", values: table, file: path, lines: lines)

        func err(_ key: String, _ message: String) -> ConfigurationError {
            ConfigurationError(file: path, line: lines[key], message: message)
        }
        func ruleIDs(_ key: String, _ ids: [String]?) throws(ConfigurationError) -> [String]? {
            guard let ids else { return nil }
            for id in ids where id != "ALL" && !knownRules.contains(id) {
                throw err(key, "unknown rule id `\(id)` in `\(key)`; run `fleetlint rules` to list the valid ids")
            }
            return ids
        }
        func severities(_ t: OptionsTable?, key: String) throws(ConfigurationError) -> [String: Severity] {
            guard let t else { return [:] }
            var out: [String: Severity] = [:]
            let ruleLines = key == "severity" ? doc.keyLines(in: tablePath + ["severity"]) : [:]
            for id in t.values.keys.sorted() {
                // Point at the rule's own line inside `[severity]` when it can be found.
                let line = ruleLines[id] ?? lines[key]
                guard knownRules.contains(id) else {
                    throw ConfigurationError(file: path, line: line, message: "unknown rule id `\(id)` in `\(key)`; run `fleetlint rules` to list the valid ids")
                }
                guard let s = try? t.string(id), let sev = Severity(rawValue: s) else {
                    throw ConfigurationError(file: path, line: line, message: "`\(key).\(id)` must be \"error\", \"warning\" or \"info\"")
                }
                out[id] = sev
            }
            return out
        }

        for key in table.keys.sorted() where !topLevelKeys.contains(key) && !knownSections.contains(key) {
            throw err(key, "unknown key `\(key)` in [\(sectionName)]; valid keys: "
                + (topLevelKeys.union(knownSections)).sorted().map { "`\($0)`" }.joined(separator: ", "))
        }
        func typed<T>(_ body: () throws(ConfigurationError) -> T) throws(ConfigurationError) -> T {
            do { return try body() } catch {
                // Top-level type errors read better without the empty section name.
                throw ConfigurationError(
                    file: error.file, line: error.line,
                    message: error.message.replacingOccurrences(of: " in [tool.fleetlint.]", with: " in [\(sectionName)]"))
            }
        }
        config.select = try ruleIDs("select", try typed { () throws(ConfigurationError) in try top.stringArray("select") })
        config.extendSelect = try ruleIDs("extend-select", try typed { () throws(ConfigurationError) in try top.stringArray("extend-select") }) ?? []
        config.ignore = try ruleIDs("ignore", try typed { () throws(ConfigurationError) in try top.stringArray("ignore") }) ?? []
        config.exclude = (try typed { () throws(ConfigurationError) in try top.stringArray("exclude") } ?? []).map(Glob.init)
        config.severity = try severities(try typed { () throws(ConfigurationError) in try top.table("severity") }, key: "severity")
        if let v = table["file-time-budget"] {
            switch v {
            case .int(let i) where i > 0: config.fileTimeBudget = Double(i)
            case .double(let d) where d > 0: config.fileTimeBudget = d
            default: throw err("file-time-budget", "`file-time-budget` must be a positive number of seconds, e.g. 10")
            }
        }
        if let v = table["file-memory-budget"] {
            // At most 1 TiB: the budget is counted in bytes (a larger number of MiB overflowed).
            guard case .int(let i) = v, i > 0, i <= 1 << 20 else {
                throw err("file-memory-budget", "`file-memory-budget` must be a whole number of MiB from 1 to 1048576 (1 TiB), e.g. 512")
            }
            config.fileMemoryBudget = i
        }
        if let failOn = try typed({ () throws(ConfigurationError) in try top.string("fail-on") }) {
            guard let sev = Severity(rawValue: failOn) else {
                throw err("fail-on", "`fail-on` must be \"error\", \"warning\" or \"info\", not \"\(failOn)\"")
            }
            config.failOn = sev
        }
        config.ruleFiles = try typed { () throws(ConfigurationError) in try top.stringArray("rule-files") } ?? []
        config.reportUnusedSuppressions =
            try typed { () throws(ConfigurationError) in try top.bool("report-unused-suppressions") } ?? false
        for entry in try typed({ () throws(ConfigurationError) in try top.tableArray("overrides") }) ?? [] {
            try entry.validateKeys(["paths", "select", "extend-select", "ignore", "severity"])
            guard let paths = try entry.stringArray("paths"), !paths.isEmpty else {
                throw err("overrides", "each [[\(sectionName).overrides]] needs `paths`, a non-empty array of globs")
            }
            config.overrides.append(PathOverride(
                paths: paths.map(Glob.init),
                select: try ruleIDs("overrides", try entry.stringArray("select")),
                extendSelect: try ruleIDs("overrides", try entry.stringArray("extend-select")) ?? [],
                ignore: try ruleIDs("overrides", try entry.stringArray("ignore")) ?? [],
                severity: try severities(try entry.table("severity"), key: "overrides")))
        }
        for section in knownSections {
            guard let v = table[section] else { continue }
            // An array of tables (`[[tool.fleetlint.migrations]]`) is kept whole under its own name; its
            // consumer validates the entries (`OptionsTable.tableArray`).
            if case .array(let items) = v, !items.isEmpty, items.allSatisfy({ if case .table = $0 { true } else { false } }) {
                config.sections[section] = OptionsTable(
                    section: section, values: [section: v], file: path, lines: [section: lines[section] ?? 0].filter { $0.value > 0 },
                    tableLine: lines[section])
                continue
            }
            guard case .table(let t) = v else {
                throw err(section, "`\(section)` in [\(sectionName)] must be a table ([\(sectionName).\(section)])")
            }
            let keyLines = doc.keyLines(in: tablePath + [section])
            var sectionLines: [String: Int] = [:]
            for key in t.keys { sectionLines[key] = keyLines[key] }
            config.sections[section] = OptionsTable(
                section: section, values: t, file: path, lines: sectionLines,
                tableLine: doc.line(ofTable: tablePath + [section]) ?? lines[section])
        }
        return config
    }

    /// The options table for a section (empty when not configured).
    public func options(_ section: String) -> OptionsTable { sections[section] ?? .empty(section) }

    /// Which rules run, and at which severity, for `path`. `defaults` maps every known rule id to
    /// (enabled by default, default severity).
    public func settings(for path: String, defaults: [String: (enabled: Bool, severity: Severity)]) -> EffectiveSettings {
        func apply(select: [String]?, extend: [String], ignore: [String], to enabled: inout Set<String>) {
            if let select {
                enabled = select.contains("ALL") ? Set(defaults.keys) : Set(select)
            }
            enabled.formUnion(extend.contains("ALL") ? Set(defaults.keys) : Set(extend))
            enabled.subtract(ignore)
        }
        var enabled = Set(defaults.filter { $0.value.enabled }.map(\.key))
        apply(select: select, extend: extendSelect, ignore: ignore, to: &enabled)
        var sev = defaults.mapValues(\.severity)
        sev.merge(severity) { $1 }
        for o in overrides where o.paths.contains(where: { $0.matches(path) }) {
            apply(select: o.select, extend: o.extendSelect, ignore: o.ignore, to: &enabled)
            sev.merge(o.severity) { $1 }
        }
        // The command line wins over the file, overrides included.
        apply(select: commandLineSelect, extend: [], ignore: commandLineIgnore, to: &enabled)
        return EffectiveSettings(enabledRules: enabled, severity: sev)
    }

    /// Applies command-line `--select`/`--ignore` on top of the file (the command line wins).
    public mutating func applyCommandLine(select: [String]?, ignore: [String], failOn: Severity?) {
        if let select { commandLineSelect = select }
        commandLineIgnore += ignore
        if let failOn { self.failOn = failOn }
    }
}
