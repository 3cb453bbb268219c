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
    /// The root is the repository, whatever is named: from the directory argument (for file arguments,
    /// the current directory; when that is in no repository and under no configuration, the directory holding
    /// them all) up, the nearest directory holding a fleetlint configuration — not above the git top level —
    /// else the git top level; outside git, that directory itself. Path arguments
    /// scope the report, never the analysis, and report paths stay relative to the root. When git
    /// refuses the repository (dubious ownership), this says so and exits 2 unless `--no-git`.
    func resolve() throws -> (root: URL, display: String, reportOnly: [String]?) {
        let fm = FileManager.default
        for p in paths where !fm.fileExists(atPath: p) {
            throw ValidationError("no such file or directory: \(p)")
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath()
        let absolute = { (p: String) in URL(fileURLWithPath: p, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath() }
        var isDir: ObjCBool = false
        let namedDirectory = paths.count == 1 && fm.fileExists(atPath: paths[0], isDirectory: &isDir) && isDir.boolValue
        var start = namedDirectory ? absolute(paths[0]) : cwd
        if !namedDirectory, !paths.isEmpty, !noGit, Self.configDirectory(from: cwd) == nil,
           RepositoryScanner.probeGit(at: cwd.path) == .none {
            // Files (or several directories) named from outside any repository and configuration: the root is found
            // from the directory holding them all, not from the current directory (a home directory), which would be
            // walked whole to report on a few files. In a repository that is its top level (or the configuration
            // below it); in none, the nearest configuration above them, else that directory itself.
            let common = Self.commonDirectory(of: paths.map(absolute))
            if common.path != "/" { start = common }
        }
        let root: URL
        if noGit {
            root = Self.configDirectory(from: start) ?? start
        } else {
            switch RepositoryScanner.probeGit(at: start.path) {
            case .workTree(let top):
                let top = URL(fileURLWithPath: top).resolvingSymlinksInPath()
                root = Self.configDirectory(from: start, upTo: top) ?? top
            case .none: root = Self.configDirectory(from: start) ?? start
            case .refused(let message):
                printError("""
                    error: git refuses the repository at \(start.path): \(message)
                      fix: git config --global --add safe.directory <top level>, or pass --no-git to walk the \
                    directory (git-ignored files are then linted as if committed)
                    """)
                throw ExitCode(2)
            }
        }
        let rootPath = root.path == "/" ? "" : root.path
        var relative: [String] = []
        for p in paths {
            let path = absolute(p).path
            if path == root.path {
                relative.append("")
            } else if path.hasPrefix(rootPath + "/") {
                relative.append(String(path.dropFirst(rootPath.count + 1)))
            } else {
                throw ValidationError("\(p) is outside the repository being checked (\(root.path)); run fleetlint from that repository")
            }
        }
        let reportOnly = relative.isEmpty || relative.contains("") ? nil : relative
        return (root, Self.display(root: root, cwd: cwd), reportOnly)
    }

    /// The nearest directory from `start` up that holds a fleetlint configuration (`.fleetlint.toml`,
    /// `fleetlint.toml`, or a `pyproject.toml` with a `[tool.fleetlint]` table), not above `limit`.
    static func configDirectory(from start: URL, upTo limit: URL? = nil) -> URL? {
        let fm = FileManager.default
        var dir = start
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent(".fleetlint.toml").path)
                || fm.fileExists(atPath: dir.appendingPathComponent("fleetlint.toml").path) { return dir }
            if let data = fm.contents(atPath: dir.appendingPathComponent("pyproject.toml").path),
               String(decoding: data, as: UTF8.self).contains("[tool.fleetlint") { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path || dir.path == limit?.path { return nil }
            dir = parent
        }
    }

    /// The deepest directory holding every one of `urls` (a directory holds itself; a file, its directory).
    static func commonDirectory(of urls: [URL]) -> URL {
        let fm = FileManager.default
        var common: [String]? = nil
        for url in urls {
            var isDir: ObjCBool = false
            let dir = fm.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue ? url : url.deletingLastPathComponent()
            let parts = dir.pathComponents
            guard let sofar = common else { common = parts; continue }
            common = Array(sofar[..<sharedLeading(sofar, parts)])
        }
        let parts = common ?? ["/"]
        return URL(fileURLWithPath: parts.count <= 1 ? "/" : "/" + parts.dropFirst().joined(separator: "/"))
    }

    /// How many leading path components `a` and `b` share.
    static func sharedLeading(_ a: [String], _ b: [String]) -> Int {
        var n = 0
        while n < min(a.count, b.count) && a[n] == b[n] { n += 1 }
        return n
    }

    /// How to show the root: `.`, or a path relative to the current directory (`..`, `../..`).
    static func display(root: URL, cwd: URL) -> String {
        if root.path == cwd.path { return "." }
        let r = root.pathComponents, c = cwd.pathComponents
        let common = sharedLeading(r, c)
        let up = Array(repeating: "..", count: c.count - common)
        return (up + r[common...]).joined(separator: "/")
    }
}
