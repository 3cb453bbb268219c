import TestSupport
import FleetLintCore
@testable import FleetLintProject
@testable import FleetLintRules
import Testing

/// Differential tests: the one-walk `ImportResolver.resolution(for:)` and the prefix-slicing
/// `FirstPartyIndex.ancestors` against the computations they replace.
struct ResolutionFastPathTests {
    /// Every string of up to `length` tokens.
    static func strings(_ tokens: [String], length: Int) -> [String] {
        var out = [""], level = [""]
        for _ in 0..<length {
            level = level.flatMap { prefix in tokens.map { prefix + $0 } }
            out += level
        }
        return out
    }

    static func expectSameResolution(_ resolver: ImportResolver, _ module: String) {
        let fused = resolver.resolution(for: module)
        #expect(fused.candidates == resolver.distributions(for: module), "\(module)")
        #expect(fused.knows == resolver.knows(module), "\(module)")
    }

    @Test func builtInTableKeysAndTheirChildren() throws {
        let resolver = try ImportResolver.loadBuiltIn()
        var checked = 0
        for key in resolver.importMap.keys.sorted() {
            for module in [key, key + ".sub", key + ".sub.deeper", key + "_x", key + ".", "." + key] {
                Self.expectSameResolution(resolver, module)
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test func everySmallNameWithAndWithoutOverrides() {
        let importMap = ["a": ["pkg-a"], "a.b": ["pkg-ab"], "b.c": ["types-bc"], "google.cloud.c": ["google-cloud-c"], "azure.mgmt": ["azm"]]
        let plain = ImportResolver(importMap: importMap, stdlib: [:])
        let overridden = ImportResolver(importMap: importMap, stdlib: [:],
                                        overrides: ["over": ["a", "b.c.a"], "deep": ["a.b.c"], "types-x": ["c"]])
        let tokens = ["a", "b", "c", ".", "_", "google", "cloud", "azure", "mgmt", "é", "\u{301}", "B_v1"]
        for module in Self.strings(tokens, length: 4) {
            Self.expectSameResolution(plain, module)
            Self.expectSameResolution(overridden, module)
        }
        // The override of a less specific prefix wins over the table's more specific one.
        #expect(overridden.resolution(for: "a.b.x") == (["over"], true))
        #expect(overridden.resolution(for: "a.b.c.d") == (["deep"], true))
        #expect(plain.resolution(for: "a.b.x") == (["pkg-ab"], true))
        #expect(plain.resolution(for: "zz.y") == (["zz"], false))
        #expect(plain.resolution(for: "google.cloud.tasks_v2") == (["google-cloud-tasks"], false))
        #expect(plain.resolution(for: "google") == ([], false))
    }

    @Test func topLevelOfEverySmallName() throws {
        let tokens = ["a", "b", ".", "_", "é", "\u{301}", "\r\n", "longer_module_name_than_fifteen"]
        let resolver = try ImportResolver.loadBuiltIn()
        for module in Self.strings(tokens, length: 4) {
            #expect(ImportResolver.topLevel(module) == ImportResolver.characterTopLevel(module), "\(module)")
        }
        #expect(ImportResolver.topLevel("os.path") == "os")
        #expect(ImportResolver.topLevel(".x") == "")
        #expect(ImportResolver.topLevel("a.\u{301}b") == "a.\u{301}b")
        #expect(resolver.isStandardLibrary("os.path", pythonVersion: (3, 11)))
        #expect(!resolver.isStandardLibrary("yaml.loader", pythonVersion: (3, 11)))
    }

    /// `ancestors` as it was computed before the prefix-slicing fast path.
    static func joinedAncestors(_ importingFile: String, _ unitDirectory: String) -> [String] {
        var candidates: [String] = ["", "src", unitDirectory]
        var dir = importingFile.split(separator: "/").dropLast().map(String.init)
        while !dir.isEmpty {
            candidates.append(dir.joined(separator: "/"))
            dir.removeLast()
        }
        return candidates
    }

    @Test func ancestorsOfEverySmallPath() {
        let tokens = ["a", "b.py", "/", "é", "\u{301}", "src"]
        var fast = 0
        for path in Self.strings(tokens, length: 6) {
            let expected = Self.joinedAncestors(path, "u")
            #expect(FirstPartyIndex.ancestors(of: path, unitDirectory: "u") == expected, "\(path)")
            #expect(FirstPartyIndex.referenceAncestors(of: path, candidates: ["", "src", "u"]) == expected, "\(path)")
            if path.utf8.allSatisfy({ $0 < 0x80 }), !path.isEmpty, !path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("//") { fast += 1 }
        }
        #expect(fast > 1000)
        #expect(FirstPartyIndex.ancestors(of: "services/api/handlers/v1/user.py", unitDirectory: "services/api")
            == ["", "src", "services/api", "services/api/handlers/v1", "services/api/handlers", "services/api", "services"])
        #expect(FirstPartyIndex.ancestors(of: "a_very_long_directory_name_beyond_small/x.py", unitDirectory: "")
            == ["", "src", "", "a_very_long_directory_name_beyond_small"])
    }
}

/// The prepared imports reuse a from-import's resolution and the first-party answer of a repeated top-level name.
struct PreparedImportReuseTests {
    @Test func namesOfOneImportAndRepeatedTopLevelNames() throws {
        let files: [(String, String)] = [
            ("svc/requirements.txt", "flask\n"),
            ("svc/helpers/__init__.py", ""),
            ("svc/app.py", """
                from google.cloud import bigquery, firestore
                from yaml import safe_load, dump
                from helpers import a, b
                import helpers.c
                import boto3, boto3.session
                from google.api_core import retry
                """),
        ]
        let found = try ExampleRunner.findings("missing-dependency", files: files, configuration: nil)
        let shown = found.map { "\($0.range.start.line):\($0.metadata["module"].map { "\($0)" } ?? "-")" }.sorted()
        // `google.cloud` resolves to no distribution: each name is shown; `yaml` resolves as its names do: the module.
        #expect(shown.count == 5, "\(shown)")  // one finding per line and distribution
        #expect(found.filter { $0.range.start.line == 1 }.count == 2)
        #expect(found.filter { $0.range.start.line == 2 }.count == 1)
        #expect(found.allSatisfy { ![3, 4].contains($0.range.start.line) })  // `helpers` is first-party for every name
        #expect(found.contains { $0.range.start.line == 2 && $0.message.contains("`yaml`") && !$0.message.contains("safe_load") })
        #expect(found.contains { $0.range.start.line == 1 && $0.message.contains("`google.cloud.firestore`") })
        #expect(found.contains { $0.range.start.line == 6 && $0.message.contains("`google.api_core.retry`") || $0.message.contains("`google.api_core`") })
    }
}
