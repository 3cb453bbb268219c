import ArgumentParser
import FleetLintCore
import Foundation

/// The analysis cache and what a run says about itself.
struct EngineOptions: ParsableArguments {
    @Flag(name: .long, help: "Neither read nor write the analysis cache.")
    var noCache = false

    @Option(name: .long, help: "Keep the analysis cache here (default: $FLEETLINT_CACHE_DIR, else .fleetlint-cache at the repository root).")
    var cacheDir: String?

    @Flag(name: .long, help: "Say on stderr how many files were analysed and how many came from the cache, and each step's time and memory.")
    var verbose = false

    /// The cache directory for a repository root, or nil with --no-cache. A directory that cannot be made or written
    /// (a file in its place, a read-only or missing parent) is nil too, after a warning on stderr: the run goes on
    /// without the cache, as it would with --no-cache, but does not let the user believe it is cached.
    func cacheDirectory(root: URL) -> URL? {
        if noCache { return nil }
        let dir: URL
        if let cacheDir {
            dir = URL(fileURLWithPath: cacheDir)
        } else if let env = ProcessInfo.processInfo.environment["FLEETLINT_CACHE_DIR"], !env.isEmpty {
            dir = URL(fileURLWithPath: env)
        } else {
            dir = root.appendingPathComponent(".fleetlint-cache")
        }
        if let problem = AnalysisCache.problem(with: dir) {
            printError("fleetlint: warning: the cache directory \(dir.path) \(problem); running without the cache")
            return nil
        }
        return dir
    }

    func report(_ stats: RunStatistics, label: String) {
        guard verbose else { return }
        var line = "fleetlint: \(label): \(stats.files) files, \(stats.analysed) analysed, \(stats.cached) from the cache"
        if stats.corruptCacheEntries > 0 { line += ", \(stats.corruptCacheEntries) corrupt cache entries recomputed" }
        if stats.projectMemoHits > 0 { line += ", \(stats.projectMemoHits) project results reused" }
        if !stats.phases.isEmpty {
            line += "; " + stats.phases.enumerated().map { i, p in
                let cpu = p.cpuTotal - (i > 0 ? stats.phases[i - 1].cpuTotal : 0)
                let heap = p.heap.map { ", heap \($0.liveKiB / 1024) MiB live, \($0.residentKiB / 1024) MiB resident" } ?? ""
                return String(format: "%@ %.0f ms (CPU %.0f ms", p.name, p.seconds * 1000, cpu * 1000) + ", peak \(p.peakKiB / 1024) MiB\(heap))"
            }.joined(separator: ", ")
        }
        printError(line)
    }
}

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Manage the analysis cache.", subcommands: [CacheCleanCommand.self])
}

struct CacheCleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clean", abstract: "Delete the analysis cache.")

    @Argument(help: "The repository root (default: the git top level, else the current directory).")
    var root: String?

    @Option(name: .long, help: "The cache directory to delete (default: ROOT/.fleetlint-cache).")
    var cacheDir: String?

    func run() throws {
        let base = root.map { URL(fileURLWithPath: $0) }
            ?? RepositoryScanner.gitTopLevel().map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let dir = cacheDir.map { URL(fileURLWithPath: $0) } ?? base.appendingPathComponent(".fleetlint-cache")
        do {
            try AnalysisCache.clean(dir)
        } catch {
            printError("error: cannot delete \(dir.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }
}
