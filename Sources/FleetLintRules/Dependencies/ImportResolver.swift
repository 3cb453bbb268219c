import FleetLintSyntax
// Import-name → distribution resolution for the `missing-dependency` rule.
//
// Name normalisation: PEP 503 <https://peps.python.org/pep-0503/#normalized-names>.
// Stub-only distributions: PEP 561 <https://peps.python.org/pep-0561/>.
// Data: Resources/import-map.tsv (scripts/data/gen_import_map.py), Resources/stdlib.tsv
// (scripts/data/gen_stdlib.py), Resources/transitive.tsv (hand-curated). Strategy after deptry and
// FawltyDeps, see docs/reference/import-map.md.

import Foundation

/// A Python minor version range `first...last` (`last == nil`: still present in the newest known version).
public struct PythonVersionSpan: Sendable, Hashable {
    /// First version that has the module.
    public var first: PythonMinorVersion
    /// Last version that has the module, or `nil` if it is still present.
    public var last: PythonMinorVersion?

    /// Creates a span.
    public init(first: PythonMinorVersion, last: PythonMinorVersion?) {
        self.first = first
        self.last = last
    }

    /// Whether `version` lies in the span.
    public func contains(_ version: PythonMinorVersion) -> Bool {
        if version < first { return false }
        if let last, last < version { return false }
        return true
    }
}

/// A `major.minor` Python version.
public struct PythonMinorVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Major version (3).
    public var major: Int
    /// Minor version.
    public var minor: Int

    /// Creates a version.
    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `"3.11"`; `nil` for anything else.
    public init?(parsing text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major, minor)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}

/// Errors raised while loading the built-in resolver data (never for user input).
public enum ImportResolverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A data line could not be parsed (`file`, 1-based `line`).
    case malformedLine(file: String, line: Int, text: String)
    /// A key occurs twice in a data file.
    case duplicateKey(file: String, line: Int, key: String)

    public var description: String {
        switch self {
        case .malformedLine(let file, let line, let text): return "\(file):\(line): malformed line `\(text)`"
        case .duplicateKey(let file, let line, let key): return "\(file):\(line): duplicate key `\(key)`"
        }
    }
}

/// Resolves Python import names to the PyPI distributions that can provide them, and answers
/// standard-library membership per Python version. Pure and immutable once built.
public struct ImportResolver: Sendable {
    /// Namespace-package roots: an import of the bare root (or an unknown member) never resolves
    /// to a distribution named after the root.
    public static let namespaceRoots: Set<String> = [
        "google", "google.cloud", "azure", "backports", "jaraco", "zope", "sphinxcontrib", "ruamel",
    ]

    /// Oldest and newest versions the stdlib table describes; queries are clamped into this range.
    public static let stdlibVersionRange = PythonMinorVersion(3, 8)...PythonMinorVersion(3, 13)

    /// Import prefix (dotted, as written in Python) → normalised candidate distributions.
    public let importMap: [String: [String]]
    /// Top-level stdlib module name → versions that have it.
    public let stdlib: [String: PythonVersionSpan]
    /// Normalised distribution → normalised distributions it directly requires.
    public let transitive: [String: [String]]
    /// Import prefix → normalised distributions, from user overrides (takes precedence).
    public let overrideMap: [String: [String]]

    /// Creates a resolver.
    /// - Parameters:
    ///   - importMap: import prefix → candidate distributions (any spelling; normalised here).
    ///   - stdlib: top-level stdlib module → version span.
    ///   - transitive: distribution → distributions it installs.
    ///   - overrides: user configuration `[distribution: [import names]]`; these win over the table.
    /// Stub-only distributions (`types-X`, `X-stubs`) are dropped as providers everywhere.
    public init(
        importMap: [String: [String]],
        stdlib: [String: PythonVersionSpan],
        transitive: [String: [String]] = [:],
        overrides: [String: [String]] = [:]
    ) {
        var map: [String: [String]] = [:]
        map.reserveCapacity(importMap.count)
        for (prefix, dists) in importMap {
            let cleaned = Self.cleanCandidates(dists)
            if !cleaned.isEmpty { map[prefix] = cleaned }
        }
        self.importMap = map
        self.stdlib = stdlib
        var trans: [String: [String]] = [:]
        for (dist, provides) in transitive {
            let key = normalize(dist)
            trans[key, default: []].append(contentsOf: provides.map(normalize))
        }
        self.transitive = trans.mapValues(Self.dedupe)
        self.overrideMap = Self.overrideMap(overrides)
    }

    /// `base`'s tables with `overrides` in place of its own.
    private init(_ base: ImportResolver, overrides: [String: [String]]) {
        importMap = base.importMap
        stdlib = base.stdlib
        transitive = base.transitive
        overrideMap = Self.overrideMap(overrides)
    }

    /// The configuration's `[distribution: [import names]]` as import name → distributions.
    private static func overrideMap(_ overrides: [String: [String]]) -> [String: [String]] {
        var over: [String: [String]] = [:]
        for dist in overrides.keys.sorted() {
            let name = normalize(dist.trimmingCharacters(in: .whitespaces))
            if Self.isStubDistribution(name) { continue }
            for module in overrides[dist] ?? [] {
                let key = module.trimmingCharacters(in: .whitespaces)
                if key.isEmpty { continue }
                over[key, default: []].append(name)
            }
        }
        return over.mapValues(Self.dedupe)
    }

    // MARK: Loading

    /// The resolver of the built-in tables (compiled in: `BuiltInTables`, generated from `Resources/*.tsv`).
    /// The tables are parsed once per process (`builtIn`); only `overrides` are worked out per call.
    public static func loadBuiltIn(overrides: [String: [String]] = [:]) throws -> ImportResolver {
        let base = try builtIn.get()
        return overrides.isEmpty ? base : ImportResolver(base, overrides: overrides)
    }

    /// The built-in tables, parsed on first use (~13 M instructions; `MissingDependencyRule.warmUp` parses them
    /// while the files are listed).
    static let builtIn: Result<ImportResolver, Error> = Result {
        ImportResolver(
            importMap: try parseImportMap(BuiltInTables.importMap),
            stdlib: try parseStdlib(BuiltInTables.stdlib),
            transitive: try parseTransitive(BuiltInTables.transitive))
    }

    /// Parses `import_prefix<TAB>dist[|dist…]` lines (`#` comments, blank lines skipped).
    public static func parseImportMap(_ text: String, file: String = "import-map.tsv") throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        try forEachDataLine(text) { number, fields, line in
            guard fields.count == 2, isDottedIdentifier(fields[0]), !fields[1].isEmpty else {
                throw ImportResolverError.malformedLine(file: file, line: number, text: line())
            }
            let key = String(fields[0])
            let dists = splitDistributions(fields[1])
            guard !dists.isEmpty, dists.allSatisfy({ !$0.isEmpty && !containsSpace($0) }) else {
                throw ImportResolverError.malformedLine(file: file, line: number, text: line())
            }
            // One lookup: a key seen before is an error (what the table holds then does not matter).
            guard result.updateValue(dists, forKey: key) == nil else {
                throw ImportResolverError.duplicateKey(file: file, line: number, key: key)
            }
        }
        return result
    }

    /// `a|b|c` split at its `|` Characters: an ASCII field at its `|` bytes (no combining mark can join a byte to
    /// its neighbour), anything else by Characters.
    static func splitDistributions(_ field: Substring) -> [String] {
        // Most lines name one distribution: no `|` byte, no split (a `|` is ASCII, so no Character holds one otherwise).
        if !field.utf8.contains(0x7C) { return field.isEmpty ? [] : [String(field)] }
        if field.utf8.allSatisfy({ $0 < 0x80 }) {
            return field.utf8.split(separator: 0x7C).map { String(decoding: $0, as: UTF8.self) }
        }
        return field.split(separator: "|").map { String($0) }
    }

    /// Whether a distribution name holds a space (an ASCII name by its bytes, without Foundation's search).
    static func containsSpace(_ name: String) -> Bool {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return name.utf8.contains(0x20) }
        return name.contains(" ")
    }

    /// Whether an ASCII `text` holds `byte`, or a non-ASCII one holds `character` (Foundation's search).
    static func isASCIIOrContains(_ text: Substring, _ byte: UInt8, _ character: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.contains(byte) }
        return text.contains(character)
    }

    /// Parses `name<TAB>first<TAB>last` lines (`last` is `-` when still present).
    public static func parseStdlib(_ text: String, file: String = "stdlib.tsv") throws -> [String: PythonVersionSpan] {
        var result: [String: PythonVersionSpan] = [:]
        try forEachDataLine(text) { number, fields, line in
            guard fields.count == 3, isDottedIdentifier(fields[0]), !isASCIIOrContains(fields[0], 0x2E, "."),
                  let first = PythonMinorVersion(parsing: fields[1]) else {
                throw ImportResolverError.malformedLine(file: file, line: number, text: line())
            }
            var last: PythonMinorVersion?
            if fields[2] != "-" {
                guard let parsed = PythonMinorVersion(parsing: fields[2]), first <= parsed else {
                    throw ImportResolverError.malformedLine(file: file, line: number, text: line())
                }
                last = parsed
            }
            let key = String(fields[0])
            guard result.updateValue(PythonVersionSpan(first: first, last: last), forKey: key) == nil else {
                throw ImportResolverError.duplicateKey(file: file, line: number, key: key)
            }
        }
        return result
    }

    /// Parses `distribution<TAB>provided-distribution` lines (one pair a line; a pair may not repeat).
    public static func parseTransitive(_ text: String, file: String = "transitive.tsv") throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        var seen = Set<String>()
        try forEachDataLine(text) { number, fields, line in
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ImportResolverError.malformedLine(file: file, line: number, text: line())
            }
            let from = normalize(fields[0]), to = normalize(fields[1])
            guard seen.insert(from + "\t" + to).inserted else {
                throw ImportResolverError.duplicateKey(file: file, line: number, key: "\(from) -> \(to)")
            }
            result[from, default: []].append(to)
        }
        return result
    }

    // MARK: Queries

    /// Whether the top-level component of `module` is in the standard library of `pythonVersion`
    /// (clamped to 3.8...3.13).
    public func isStandardLibrary(_ module: String, pythonVersion: (Int, Int)) -> Bool {
        let top = Self.topLevel(module)
        guard let span = stdlib[top] else { return false }
        var version = PythonMinorVersion(pythonVersion.0, pythonVersion.1)
        if version < Self.stdlibVersionRange.lowerBound { version = Self.stdlibVersionRange.lowerBound }
        if version > Self.stdlibVersionRange.upperBound { version = Self.stdlibVersionRange.upperBound }
        return span.contains(version)
    }

    /// Candidate distributions (PEP 503-normalised, best first) that can provide `module`.
    ///
    /// Order of resolution: the most specific dotted prefix in the user overrides, then in the
    /// built-in table; then, for namespace packages, the naming convention (`google.cloud.foo_v1`
    /// → `google-cloud-foo`, `azure.mgmt.x` → `azure-mgmt-x`, `jaraco.x` → `jaraco-x`); else the
    /// normalised top-level name with `_` → `-`. An import of a bare namespace root
    /// (`import google`, `import google.cloud`) yields `[]`: it cannot be attributed.
    /// Whether the built-in table or the user's overrides name this module (or a dotted prefix of it),
    /// as opposed to a guess from the module's own name.
    public func knows(_ module: String) -> Bool {
        // An ASCII name is cut at `.` bytes (the same places as its `.` Characters, found without grapheme breaking).
        let isASCII = module.utf8.allSatisfy { $0 < 0x80 }
        var prefix = Substring(module)
        while true {
            let key = String(prefix)
            if importMap[key] != nil || overrideMap[key] != nil { return true }
            guard let dot = isASCII ? prefix.utf8.lastIndex(of: UInt8(ascii: ".")) : prefix.lastIndex(of: ".") else { return false }
            prefix = prefix[..<dot]
        }
    }

    /// `(distributions(for: module), knows(module))` in one walk over the dotted prefixes of an ASCII name
    /// (each prefix hashed once per table, no list of prefixes); other names take the two calls.
    public func resolution(for module: String) -> (candidates: [String], knows: Bool) {
        let dot = UInt8(ascii: ".")
        // The hit of the walk (nil: no prefix is in either table) and where the top-level name ends.
        let walked: (hit: [String]?, topEnd: Int)?? = module.utf8.withContiguousStorageIfAvailable { buf in
            var any: UInt8 = 0
            for b in buf { any |= b }
            guard any < 0x80, let first = buf.first, first != dot else { return nil }
            // The override of the most specific prefix wins over any table entry; the table's most specific one next.
            var overrideHit: [String]? = nil, tableHit: [String]? = nil
            var end = buf.count
            while true {
                let key = end == buf.count ? module : String(decoding: UnsafeBufferPointer(rebasing: buf[..<end]), as: UTF8.self)
                if let hit = overrideMap[key] { overrideHit = hit; break }
                if tableHit == nil, let hit = importMap[key] {
                    tableHit = hit
                    if overrideMap.isEmpty { break }
                }
                guard let cut = buf[..<end].lastIndex(of: dot) else { break }
                end = cut
            }
            return (overrideHit ?? tableHit, buf.firstIndex(of: dot) ?? buf.count)
        }
        guard case let (hit, topEnd)?? = walked else { return (distributions(for: module), knows(module)) }
        if let hit { return (hit, true) }
        let u = module.utf8
        let top = String(module[..<u.index(u.startIndex, offsetBy: topEnd)])
        if Self.namespaceRoots.contains(top) {
            let parts = u.split(separator: dot, omittingEmptySubsequences: false).map { Substring($0) }
            return (Self.namespaceConvention(parts).map { [$0] } ?? [], false)
        }
        return ([normalize(top)], false)
    }

    public func distributions(for module: String) -> [String] {
        // An ASCII name is split at `.` bytes: the same pieces as splitting its Characters.
        let parts = module.utf8.allSatisfy({ $0 < 0x80 })
            ? module.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Substring($0) }
            : module.split(separator: ".", omittingEmptySubsequences: false)
        guard let firstPart = parts.first, !firstPart.isEmpty else { return [] }
        // Dotted prefixes, most specific first: the whole name, then up to each `.` from the right.
        var prefixes = [module]
        for part in parts.dropLast().reversed() { prefixes.append(String(module[..<part.endIndex])) }
        for source in [overrideMap, importMap] where !source.isEmpty {
            for prefix in prefixes {
                if let hit = source[prefix] { return hit }
            }
        }
        let top = String(firstPart)
        if Self.namespaceRoots.contains(top) {
            return Self.namespaceConvention(parts).map { [$0] } ?? []
        }
        // PEP 503 normalisation makes `_` a `-` itself.
        return [normalize(top)]
    }

    /// Whether `module` is provided by one of `declared` (any spelling), counting what declared
    /// distributions pull in when `includeTransitive` is set. Stub-only declarations never count.
    public func isProvided(_ module: String, byAnyOf declared: some Sequence<String>, includeTransitive: Bool = false) -> Bool {
        var names = Set(declared.map(normalize).filter { !Self.isStubDistribution($0) })
        if includeTransitive {
            for name in Array(names) { names.formUnion(transitiveProvides(name)) }
        }
        return distributions(for: module).contains(where: names.contains)
    }

    /// Every distribution that `distribution` (any spelling) is known to install, transitively,
    /// in breadth-first order without duplicates and without `distribution` itself.
    public func transitiveProvides(_ distribution: String) -> [String] {
        let start = normalize(distribution)
        var seen: Set<String> = [start]
        var order: [String] = []
        var queue = transitive[start] ?? []
        var index = 0
        while index < queue.count {
            let next = queue[index]
            index += 1
            if seen.insert(next).inserted {
                order.append(next)
                queue.append(contentsOf: transitive[next] ?? [])
            }
        }
        return order
    }

    /// Whether `distribution` is a PEP 561 stub-only package (`types-X`, `X-stubs`).
    public static func isStubDistribution(_ distribution: String) -> Bool {
        let name = normalize(distribution)
        return name.hasPrefix("types-") || name.hasSuffix("-stubs")
    }

    // MARK: Helpers

    static func topLevel(_ module: String) -> String {
        // An ASCII name is cut at its first `.` byte (the same place as its first `.` Character, found without
        // grapheme breaking); other names by Characters.
        let cut: Int?? = module.utf8.withContiguousStorageIfAvailable { buf in
            var any: UInt8 = 0
            for b in buf { any |= b }
            return any < 0x80 ? buf.firstIndex(of: UInt8(ascii: ".")) ?? buf.count : nil
        }
        if case let end?? = cut {
            return end == module.utf8.count ? module : String(decoding: module.utf8.prefix(end), as: UTF8.self)
        }
        if let dot = module.firstIndex(of: ".") { return String(module[..<dot]) }
        return module
    }

    /// `topLevel` by Characters (the reference its ASCII path is tested against).
    static func characterTopLevel(_ module: String) -> String {
        if let dot = module.firstIndex(of: ".") { return String(module[..<dot]) }
        return module
    }

    private static let azureGroups: Set<Substring> = [
        "mgmt", "storage", "keyvault", "ai", "monitor", "data", "search", "communication", "kusto",
        "messaging", "digitaltwins", "iot", "security", "schemaregistry", "developer",
    ]

    /// Distribution name by the namespace's naming convention, or `nil` for a bare root.
    private static func namespaceConvention(_ parts: [Substring]) -> String? {
        switch parts[0] {
        case "google":
            // Only `google.cloud.<name>` has a reliable convention; other `google.*` names are ambiguous.
            guard parts.count >= 3, parts[1] == "cloud", !parts[2].isEmpty else { return nil }
            return normalize("google-cloud-" + stripVersionSuffix(parts[2]).replacingOccurrences(of: "_", with: "-"))
        case "azure":
            guard parts.count >= 2, !parts[1].isEmpty else { return nil }
            if azureGroups.contains(parts[1]) {
                guard parts.count >= 3, !parts[2].isEmpty else { return nil }
                return normalize("azure-\(parts[1])-\(parts[2])".replacingOccurrences(of: "_", with: "-"))
            }
            return normalize("azure-\(parts[1])".replacingOccurrences(of: "_", with: "-"))
        default:
            guard parts.count >= 2, !parts[1].isEmpty else { return nil }
            return normalize("\(parts[0])-\(parts[1])".replacingOccurrences(of: "_", with: "-"))
        }
    }

    /// `bigquery_storage_v1beta2` → `bigquery_storage`, `tasks_v2` → `tasks`.
    private static func stripVersionSuffix(_ name: Substring) -> String {
        var pieces = name.split(separator: "_", omittingEmptySubsequences: false)
        if pieces.count > 1, let last = pieces.last, last.count >= 2, last.first == "v",
           last.dropFirst().first?.isNumber == true {
            pieces.removeLast()
        }
        return pieces.joined(separator: "_")
    }

    private static func cleanCandidates(_ dists: [String]) -> [String] {
        dedupe(dists.map(normalize).filter { !$0.isEmpty && !isStubDistribution($0) })
    }

    private static func dedupe(_ names: [String]) -> [String] {
        if names.count < 2 { return names }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    static func isDottedIdentifier(_ text: Substring) -> Bool {
        guard !text.isEmpty else { return false }
        // ASCII names (every line of the shipped tables) by bytes; Unicode properties only for the others.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var atStart = true
            for b in text.utf8 {
                let letter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_")
                if b == UInt8(ascii: ".") {
                    if atStart { return false }
                    atStart = true
                } else if atStart {
                    guard letter else { return false }
                    atStart = false
                } else {
                    guard letter || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else { return false }
                }
            }
            return !atStart
        }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
        }
    }

    private static func forEachDataLine(
        _ text: String, _ body: (Int, [Substring], () -> String) throws -> Void
    ) throws {
        // Split over the UTF-8 bytes in place (every analysing run loads these tables: splitting Characters cost
        // milliseconds, and splitting the generic `utf8` view ~10 k instructions a line, 14.7 M for the three tables).
        // Lines end at LF (a CR before it is dropped); fields at tabs, which no multi-byte character contains.
        var text = text
        try text.withUTF8 { buf in
            func string(_ range: Range<Int>) -> Substring {
                Substring(String(decoding: UnsafeBufferPointer(rebasing: buf[range]), as: UTF8.self))
            }
            var number = 0
            var start = 0
            while start <= buf.count {
                var end = start
                while end < buf.count && buf[end] != 0x0A { end += 1 }
                number += 1
                var last = end
                if last > start && buf[last - 1] == 0x0D { last -= 1 }
                defer { start = end + 1 }
                if last == start || buf[start] == UInt8(ascii: "#") { continue }
                var fields: [Substring] = []
                var from = start
                for i in start..<last where buf[i] == 0x09 {
                    fields.append(string(from..<i))
                    from = i + 1
                }
                fields.append(string(from..<last))
                // The whole line only for an error's message (made for every line, it was a string a line).
                try body(number, fields, { String(string(start..<last)) })
            }
        }
    }
}

/// PEP 503 normalisation: runs of `-`, `_`, `.` become one `-`, ASCII lowercased.
/// PEP 503 normalisation (shared with the requirements parser).
fileprivate func normalize<S: StringProtocol>(_ name: S) -> String {
    PackageName.normalize(String(name))
}

extension ImportResolver {
    /// PEP 503-normalises a distribution name (exposed for tests and callers until the shared helper lands).
    public static func normalizedName(_ name: String) -> String { normalize(name) }
}
