import Foundation
import Testing
@testable import FleetLintRules

/// The compiled-in tables are the data files, byte for byte (`scripts/data/embed_tables.py` writes them).
@Suite("Built-in tables")
struct BuiltInTablesTests {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/FleetLintRules/Resources")

    @Test("BuiltInTables.swift holds exactly Resources/*.tsv (else run scripts/data/embed_tables.py)", arguments: [
        ("import-map.tsv", BuiltInTables.importMap), ("stdlib.tsv", BuiltInTables.stdlib), ("transitive.tsv", BuiltInTables.transitive),
    ])
    func embedded(_ file: String, _ text: String) throws {
        let onDisk = try String(contentsOf: Self.resources.appendingPathComponent(file), encoding: .utf8)
        #expect(text + "\n" == onDisk)
    }

    @Test("distribution lists split and checked by bytes answer as by Characters", arguments: [
        "a|b", "a||b", "|a|", "", "|", "google-cloud-storage|google-cloud-core", "a b|c", "caf\u{E9}|x", "a|\u{301}b",
        "x\u{301}|y z", "\u{A0}|a", "a\u{2028}b|c",
    ])
    func distributionLists(_ field: String) {
        let reference = field[...].split(separator: "|").map { String($0) }
        #expect(ImportResolver.splitDistributions(field[...]) == reference)
        for name in reference + [field] { #expect(ImportResolver.containsSpace(name) == name.contains(" ")) }
        #expect(ImportResolver.isASCIIOrContains(field[...], 0x2E, ".") == field.contains("."))
        #expect(ImportResolver.isASCIIOrContains(field[...], 0x7C, "|") == field.contains("|"))
    }

    @Test("the built-in tables parse, and the lazily built resolver of the rule is the loaded one")
    func parses() throws {
        let loaded = try ImportResolver.loadBuiltIn(overrides: ["acme-utils": ["acme"]])
        #expect(loaded.importMap.count > 700 && loaded.stdlib.count > 300 && !loaded.transitive.isEmpty)
        let lazy = LazyImportResolver(overrides: ["acme-utils": ["acme"]]).value
        #expect(lazy.importMap == loaded.importMap && lazy.stdlib == loaded.stdlib && lazy.overrideMap == loaded.overrideMap)
        #expect(lazy.distributions(for: "acme.x") == ["acme-utils"])
    }
}
