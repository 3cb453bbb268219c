import ArgumentParser
import FleetLintCore
import Foundation

/// Changed-file modes: judge what a commit or a branch changes, with whole-repository context.
struct ChangeOptions: ParsableArguments {
    @Flag(name: .long, help: "Check the staged contents (the git index), reporting findings on staged lines (pre-commit).")
    var staged = false

    @Option(name: .long, help: "Report findings on lines changed since the merge base with this revision (CI on a branch).")
    var changedSince: String?

    @Flag(name: .long, help: "With --staged/--changed-since: report every finding in the changed files, not only on changed lines.")
    var allLines = false

    var isActive: Bool { staged || changedSince != nil }

    func validate() throws {
        if staged && changedSince != nil { throw ValidationError("--staged and --changed-since cannot be combined") }
        if allLines && !isActive { throw ValidationError("--all-lines goes with --staged or --changed-since") }
    }

    /// The repository, the snapshot to analyse and the change set; exits 2 when git cannot be used.
    func snapshot(linter: Linter, options: LintOptions) throws -> (any Snapshot, ChangeSet) {
        guard let found = GitRepository.discover(at: options.root.path) else {
            printError("error: --staged and --changed-since need a git repository; \(options.root.path) is not inside one")
            throw ExitCode(2)
        }
        let result = Result { () throws(GitError) -> (any Snapshot, ChangeSet) in
            let repo = try found.get()
            if staged {
                let paths = SnapshotPaths(excludes: linter.configuration.exclude + options.extraExcludes, classifier: linter.classifier)
                // The diff runs while the index is listed and classified.
                let diff = Concurrent { () throws(GitError) in try ChangeSet.staged(in: repo) }
                let snapshot = try IndexSnapshot(repository: repo, paths: paths, maxFileSize: options.maxFileSize)
                return (snapshot, try diff.value())
            }
            return (linter.workingTree(options), try ChangeSet.since(changedSince ?? "HEAD", in: repo))
        }
        switch result {
        case .success(let value): return value
        case .failure(let error):
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}

/// A value computed on another thread, waited for on first use.
final class Concurrent<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, GitError>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws(GitError) -> T) {
        DispatchQueue.global().async { [self] in
            result = Result { () throws(GitError) -> T in try body() }
            done.signal()
        }
    }

    func value() throws(GitError) -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
