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
    ///
    /// One directory: that is the repository to scan. Files (or several paths): the repository that
    /// holds them is scanned — the git work tree around the current directory, else the current
    /// directory — and only findings in (or related to) those paths are reported.
    func resolve() throws -> (root: URL, display: String, reportOnly: [String]?) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if paths.count == 1, fm.fileExists(atPath: paths[0], isDirectory: &isDir), isDir.boolValue {
            return (URL(fileURLWithPath: paths[0]), paths[0], nil)
        }
        for p in paths where !fm.fileExists(atPath: p) {
            throw ValidationError("no such file or directory: \(p)")
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath()
        let root = (noGit ? nil : RepositoryScanner.gitTopLevel()).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() } ?? cwd
        let rootPath = root.path == "/" ? "" : root.path
        var relative: [String] = []
        for p in paths {
            let absolute = URL(fileURLWithPath: p, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath().path
            if absolute == root.path {
                relative.append("")
            } else if absolute.hasPrefix(rootPath + "/") {
                relative.append(String(absolute.dropFirst(rootPath.count + 1)))
            } else {
                throw ValidationError("\(p) is outside the repository being checked (\(root.path)); run fleetlint from that repository")
            }
        }
        return (root, Self.display(root: root, cwd: cwd), paths.isEmpty ? nil : relative)
    }

    /// How to show the root: `.`, or a path relative to the current directory (`..`, `../..`).
    static func display(root: URL, cwd: URL) -> String {
        if root.path == cwd.path { return "." }
        let r = root.pathComponents, c = cwd.pathComponents
        var common = 0
        while common < min(r.count, c.count) && r[common] == c[common] { common += 1 }
        let up = Array(repeating: "..", count: c.count - common)
        return (up + r[common...]).joined(separator: "/")
    }
}
