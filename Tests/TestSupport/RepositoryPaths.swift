import Foundation

/// Paths inside this repository, found from the test file's location (no bundle resources needed).
public enum RepositoryPaths {
    /// The package root: the nearest ancestor of this file that holds `Package.swift`.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url = url.deletingLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var fixtures: URL { root.appendingPathComponent("fixtures") }
    public static var schemas: URL { root.appendingPathComponent("Tests/FleetLintIntegrationTests/Schemas") }
    public static var snapshots: URL { root.appendingPathComponent("Tests/FleetLintIntegrationTests/Snapshots") }

    /// The scenario directories under `fixtures/`, sorted.
    public static var fixtureScenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [])
            .filter { name in
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: fixtures.appendingPathComponent(name).path, isDirectory: &isDir)
                    && isDir.boolValue
            }
            .sorted()
    }

    /// The built `fleetlint` executable next to the test bundle.
    public static var executable: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fleetlint"),
            root.appendingPathComponent(".build/debug/fleetlint"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }
}
