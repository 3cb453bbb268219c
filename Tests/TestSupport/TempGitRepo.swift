import Foundation

/// A real git repository in a temporary directory, for tests that need history, an index or a work
/// tree. Git is run with a fixed identity and dates, so commits are reproducible.
public final class TempGitRepo {
    public let url: URL
    public var path: String { url.path }
    private var tick = 0

    public init(name: String = "repo") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleetlint-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Runs git in the repository and returns its standard output; throws when it fails.
    @discardableResult
    public func git(_ args: String...) throws -> String { try git(args) }

    @discardableResult
    public func git(_ args: [String], date: String? = nil) throws -> String {
        let when = date ?? "2024-01-\(String(format: "%02d", 1 + tick % 28))T12:00:00Z"
        let r = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["git", "-C", path, "-c", "user.name=Test", "-c", "user.email=test@example.com",
             "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"] + args,
            env: ["GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when])
        guard r.status == 0 else {
            throw NSError(domain: "git", code: Int(r.status), userInfo: [
                NSLocalizedDescriptionKey: "git \(args.joined(separator: " ")): " + r.stderr])
        }
        return r.stdout
    }

    public func write(_ relative: String, _ contents: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: file)
    }

    public func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relative))
    }

    /// Stages everything and commits; returns the new commit's id. Each commit gets the next day's date.
    @discardableResult
    public func commitAll(_ message: String, date: String? = nil) throws -> String {
        tick += 1
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message], date: date)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Copies a directory's files into the repository.
    public func copyTree(from source: URL) throws {
        let fm = FileManager.default
        let enumerator = fm.enumerator(atPath: source.path)
        while let p = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            let from = source.appendingPathComponent(p)
            guard fm.fileExists(atPath: from.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            let to = url.appendingPathComponent(p)
            try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: from, to: to)
        }
    }
}
