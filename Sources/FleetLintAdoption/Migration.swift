import FleetLintCore
import FleetLintSyntax
import Foundation

/// One side of a migration: call sites (and decorators) of qualified callees, or a rule's findings.
public enum MigrationSide: Sendable, Hashable, CustomStringConvertible {
    /// A qualified callee pattern with `*` globs (`*.bigquery_pool.get_bigquery_client`).
    case callee(DottedNamePattern)
    /// Every finding of this rule counts as one site (`fixed-sleep-retry`).
    case rule(String)

    public var description: String {
        switch self {
        case .callee(let p): p.pattern
        case .rule(let id): "rule:\(id)"
        }
    }
}

/// A migration tracked by `fleetlint adoption`: sites of the legacy form, sites of the adopted form.
public struct Migration: Sendable, Hashable {
    public var id: String
    public var description: String
    public var legacy: [MigrationSide]
    public var adopted: [MigrationSide]
    /// Files that implement the adopted form itself (the pool module constructs the client): not counted.
    public var exclude: [Glob]

    public init(id: String, description: String, legacy: [MigrationSide], adopted: [MigrationSide], exclude: [Glob] = []) {
        self.id = id
        self.description = description
        self.legacy = legacy
        self.adopted = adopted
        self.exclude = exclude
    }

    /// Callee patterns of both sides (what the engine must record as call facts).
    public var calleePatterns: [DottedNamePattern] {
        (legacy + adopted).compactMap { if case .callee(let p) = $0 { p } else { nil } }
    }

    /// Rule ids whose findings count as sites.
    public var ruleIDs: [String] {
        (legacy + adopted).compactMap { if case .rule(let id) = $0 { id } else { nil } }
    }

    /// Identifies everything that changes this migration's figures (part of the figures cache key).
    var fingerprint: String {
        [id, legacy.map(\.description).joined(separator: ","), adopted.map(\.description).joined(separator: ","),
         exclude.map(\.pattern).joined(separator: ",")].joined(separator: "\u{1F}")
    }

    static let requestsVerbs = ["get", "post", "put", "patch", "delete", "head", "options", "request"]

    /// The migrations that work with no configuration.
    public static let defaults: [Migration] = [
        Migration(
            id: "bigquery-pool", description: "BigQuery clients come from the shared pool",
            legacy: [.callee(DottedNamePattern("google.cloud.bigquery.Client")),
                     .callee(DottedNamePattern("google.cloud.bigquery.client.Client"))],
            adopted: [.callee(DottedNamePattern("*bigquery_pool.get_bigquery_client"))],
            exclude: [Glob("**/*bigquery_pool.py"), Glob("**/bigquery_pool/**")]),
        Migration(
            id: "http-pool", description: "HTTP requests go through the pooled session",
            legacy: requestsVerbs.map { .callee(DottedNamePattern("requests.\($0)")) },
            adopted: [.callee(DottedNamePattern("*http_pool.get_http_session"))]
                + requestsVerbs.map { .callee(DottedNamePattern("*http_pool.\($0)")) },
            exclude: [Glob("**/*http_pool.py"), Glob("**/http_pool/**")]),
        Migration(
            id: "retry-jitter", description: "Retries back off with random jitter",
            legacy: [.rule("fixed-sleep-retry")],
            adopted: [.callee(DottedNamePattern("*retry_with_jitter*"))]),
    ]

    /// The migrations of a configuration: the defaults, replaced by configured entries with the same
    /// id (`enabled = false` drops one), followed by new ones in configuration order. `text` is the
    /// configuration file's text, used to point errors at the entry's own lines.
    public static func load(configuration: Configuration, knownRules: Set<String>, text: String? = nil,
                            table: [String] = ["tool", "fleetlint"]) throws(ConfigurationError) -> [Migration] {
        let options = configuration.options("migrations")
        guard let value = options.values["migrations"] else { return defaults }
        let file = options.file
        guard case .array(let items) = value else {
            throw options.error("migrations", "`migrations` must be an array of tables ([[tool.fleetlint.migrations]])")
        }
        let entryLines = text.map { entryKeyLines(text: $0, header: table + ["migrations"]) } ?? []
        var result = defaults
        var seen = Set<String>()
        for (n, item) in items.enumerated() {
            guard case .table(let t) = item else {
                throw options.error("migrations", "each entry of `migrations` must be a table")
            }
            let lines = n < entryLines.count ? entryLines[n] : (header: options.error("migrations", "").line, keys: [:])
            let entry = OptionsTable(section: "migrations", values: t, file: file, lines: lines.keys, tableLine: lines.header)
            try entry.validateKeys(["id", "description", "legacy", "adopted", "exclude", "enabled"])
            guard let id = try entry.string("id"), !id.isEmpty else {
                throw entry.error("id", "each [[tool.fleetlint.migrations]] needs `id`, a non-empty string")
            }
            guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
                throw entry.error("id", "migration id `\(id)` may hold only letters, digits, `-`, `_` and `.`")
            }
            guard seen.insert(id).inserted else { throw entry.error("id", "migration `\(id)` is configured twice") }
            let enabled = try entry.bool("enabled") ?? true
            let base = defaults.first { $0.id == id }
            if !enabled {
                result.removeAll { $0.id == id }
                continue
            }
            func sides(_ key: String) throws(ConfigurationError) -> [MigrationSide]? {
                guard let list = try entry.stringArray(key) else { return nil }
                guard !list.isEmpty else { throw entry.error(key, "`\(key)` of migration `\(id)` must not be empty") }
                var out: [MigrationSide] = []
                for s in list {
                    if s.hasPrefix("rule:") || knownRules.contains(s) {
                        let rule = s.hasPrefix("rule:") ? String(s.dropFirst(5)) : s
                        guard knownRules.contains(rule) else {
                            throw entry.error(key, "unknown rule id `\(rule)` in `\(key)` of migration `\(id)`; run `fleetlint rules` to list the valid ids")
                        }
                        out.append(.rule(rule))
                    } else {
                        let valid = !s.isEmpty && !s.hasPrefix(".") && !s.hasSuffix(".") && !s.contains("..")
                            && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "*" }
                        guard valid else {
                            throw entry.error(key, "`\(s)` in `\(key)` of migration `\(id)` is neither a qualified callee (`pkg.module.name`, `*` globs allowed) nor a rule id")
                        }
                        out.append(.callee(DottedNamePattern(s)))
                    }
                }
                return out
            }
            guard let legacy = try sides("legacy") ?? base?.legacy else {
                throw entry.error(nil, "migration `\(id)` needs `legacy`: qualified callees or a rule id")
            }
            guard let adopted = try sides("adopted") ?? base?.adopted else {
                throw entry.error(nil, "migration `\(id)` needs `adopted`: qualified callees or decorators")
            }
            let migration = Migration(
                id: id, description: try entry.string("description") ?? base?.description ?? id,
                legacy: legacy, adopted: adopted,
                exclude: try entry.stringArray("exclude").map { $0.map(Glob.init) } ?? base?.exclude ?? [])
            if let i = result.firstIndex(where: { $0.id == id }) { result[i] = migration } else { result.append(migration) }
        }
        return result
    }

    /// For each `[[header]]` entry in order: the header's line and the lines of its keys.
    static func entryKeyLines(text: String, header: [String]) -> [(header: Int?, keys: [String: Int])] {
        let target = "[[" + header.joined(separator: ".") + "]]"
        var out: [(header: Int?, keys: [String: Int])] = []
        var inside = false
        for (i, raw) in SourceText.lines(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let bare = line.split(separator: "#", maxSplits: 1).first.map { $0.replacingOccurrences(of: " ", with: "") } ?? ""
                inside = bare == target
                if inside { out.append((i + 1, [:])) }
                continue
            }
            guard inside, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            if out[out.count - 1].keys[key] == nil { out[out.count - 1].keys[key] = i + 1 }
        }
        return out
    }
}
