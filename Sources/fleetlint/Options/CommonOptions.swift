import ArgumentParser
import FleetLintCore
import Foundation

extension ReportFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// Where to look and which configuration to use.
struct ScopeOptions: ParsableArguments {
    @Argument(help: "A repository directory to scan, or files/directories to report on (default: .).")
    var paths: [String] = []

    @Option(name: .long, help: "Use this configuration file instead of the one found at the root.")
    var config: String?

    @Option(name: .long, help: "Exclude paths matching this glob (repeatable).")
    var exclude: [String] = []

    @Flag(name: .long, help: "Walk the directory instead of asking git for the file list.")
    var noGit = false

    /// The root to scan, how to show it, and the report filter.
    func resolve() throws -> (root: URL, display: String, reportOnly: [String]?) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if paths.count == 1, fm.fileExists(atPath: paths[0], isDirectory: &isDir), isDir.boolValue {
            return (URL(fileURLWithPath: paths[0]), paths[0], nil)
        }
        for p in paths where !fm.fileExists(atPath: p) {
            throw ValidationError("no such file or directory: \(p)")
        }
        let rel = paths.map { p -> String in
            var s = p
            while s.hasPrefix("./") { s.removeFirst(2) }
            while s.hasSuffix("/") && s.count > 1 { s.removeLast() }
            return s == "." ? "" : s
        }
        return (URL(fileURLWithPath: "."), ".", paths.isEmpty ? nil : rel)
    }
}
