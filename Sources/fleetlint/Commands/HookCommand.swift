import ArgumentParser
import FleetLintCore
import Foundation

/// `fleetlint hook install` / `uninstall`: puts the pre-commit hook in place, or takes it away.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Manage the git pre-commit hook.",
        subcommands: [Install.self, Uninstall.self]
    )

    /// Marks a hook this command wrote (and may overwrite).
    static let marker = "fleetlint-managed-hook"

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the pre-commit hook (into git's hooks directory, or --hooks-path DIR).",
            discussion: """
                Without --hooks-path the hook goes where git looks for it (`git rev-parse --git-path \
                hooks`, which honours an existing core.hooksPath). With --hooks-path DIR it is written \
                to DIR/pre-commit and core.hooksPath is set to DIR (commit DIR to share the hook).

                A pre-commit hook that fleetlint did not write is never overwritten without --force.
                """)

        @Option(name: .long, help: "Write the hook into this directory (relative to the repository root) and set core.hooksPath to it.")
        var hooksPath: String?

        @Flag(name: .long, help: "Overwrite a pre-commit hook that fleetlint did not write.")
        var force = false

        func run() throws {
            let repository = try HookCommand.repository()
            let target: String
            if let hooksPath {
                target = URL(fileURLWithPath: hooksPath, relativeTo: URL(fileURLWithPath: repository.root, isDirectory: true))
                    .standardizedFileURL.appendingPathComponent("pre-commit").path
            } else {
                target = try HookCommand.hookPath(in: repository)
            }
            let fm = FileManager.default
            if let existing = fm.contents(atPath: target), !String(decoding: existing, as: UTF8.self).contains(marker), !force {
                printError("""
                    error: \(target) already exists and was not written by fleetlint; not overwriting it.
                      Add `fleetlint check` to it yourself, or pass --force to replace it.
                    """)
                throw ExitCode(1)
            }
            do {
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data((HookCommand.script + "\n").utf8).write(to: URL(fileURLWithPath: target))
                try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
            } catch {
                printError("error: cannot write \(target): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            if let hooksPath {
                guard (try? repository.run(["config", "core.hooksPath", hooksPath])) != nil else {
                    printError("error: could not set core.hooksPath")
                    throw ExitCode(2)
                }
            }
            print("installed the fleetlint pre-commit hook: \(target)")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the pre-commit hook fleetlint installed (where git looks for it).",
            discussion: """
                Removes the hook git would run (`git rev-parse --git-path hooks/pre-commit`, which honours \
                core.hooksPath) when fleetlint wrote it; a hook fleetlint did not write is left alone (exit 1). \
                core.hooksPath itself is not changed: `git config --unset core.hooksPath` undoes \
                `install --hooks-path`.
                """)

        func run() throws {
            let repository = try HookCommand.repository()
            let target = try HookCommand.hookPath(in: repository)
            guard let existing = FileManager.default.contents(atPath: target) else {
                print("no pre-commit hook to remove (\(target) does not exist)")
                return
            }
            guard String(decoding: existing, as: UTF8.self).contains(HookCommand.marker) else {
                printError("error: \(target) was not written by fleetlint; not removing it")
                throw ExitCode(1)
            }
            guard unlink(target) == 0 else {
                printError("error: cannot remove \(target): \(String(cString: strerror(errno)))")
                throw ExitCode(2)
            }
            print("removed the fleetlint pre-commit hook: \(target)")
            if let hooksPath = try? GitRepository.outputLine(repository.run(["config", "core.hooksPath"])) {
                print("core.hooksPath is still \(hooksPath) (`git config --unset core.hooksPath` resets it)")
            }
        }
    }

    /// The repository of the current directory, through the project's git runner; exits 2 outside one.
    static func repository() throws -> GitRepository {
        guard case .success(let repository)? = GitRepository.discover(at: FileManager.default.currentDirectoryPath) else {
            printError("error: not inside a git work tree (or git refuses it); run this from the repository")
            throw ExitCode(2)
        }
        return repository
    }

    /// Where git looks for the pre-commit hook (honouring core.hooksPath), as an absolute path.
    static func hookPath(in repository: GitRepository) throws -> String {
        guard let out = try? repository.run(["rev-parse", "--path-format=absolute", "--git-path", "hooks/pre-commit"]) else {
            printError("error: git did not say where its hooks are")
            throw ExitCode(2)
        }
        return GitRepository.outputLine(out)
    }

    /// The hook without its final newline (`.githooks/pre-commit` holds the same text; a test keeps them equal).
    static let script = #"""
#!/bin/sh
# fleetlint-managed-hook: pre-commit — lints what is being committed, fails on new findings.
# Install: `fleetlint hook install` (or `git config core.hooksPath .githooks` in fleetlint's own repo).
# FLEETLINT=/path/to/fleetlint picks the binary (default: `fleetlint` on PATH, else .build/release/fleetlint).
set -u
top=$(git rev-parse --show-toplevel) || exit 2
cd "$top" || exit 2

bin=${FLEETLINT:-}
if [ -z "$bin" ]; then
  if command -v fleetlint >/dev/null 2>&1; then bin=fleetlint
  elif [ -x .build/release/fleetlint ]; then bin=.build/release/fleetlint
  fi
fi
if [ -z "$bin" ] || ! command -v "$bin" >/dev/null 2>&1; then
  echo "fleetlint pre-commit: the fleetlint binary was not found (${bin:-fleetlint} on PATH)." >&2
  echo "  install it: scripts/install.sh ~/.local (from a fleetlint checkout), or set FLEETLINT=/path/to/fleetlint;" >&2
  echo "  bypass this once: git commit --no-verify" >&2
  exit 2
fi

baseline=
[ -f .fleetlint-baseline.json ] && baseline=--baseline=.fleetlint-baseline.json

# The staged blobs (the git index), with the whole repository as context; findings on staged lines.
count=$(git diff --cached --name-only --diff-filter=ACMR | wc -l | tr -d ' ')
[ "$count" -gt 0 ] || exit 0
echo "fleetlint pre-commit: checking $count staged file(s)" >&2
# shellcheck disable=SC2086
"$bin" check --staged $baseline --quiet
status=$?

case $status in
  0) exit 0 ;;
  1) echo "fleetlint: commit blocked. Fix the findings above, suppress one with \`# fleetlint: ignore[rule-id] -- reason\`, or bypass once with \`git commit --no-verify\`." >&2
     exit 1 ;;
  *) echo "fleetlint: could not check the commit (exit $status); bypass once with \`git commit --no-verify\`." >&2
     exit "$status" ;;
esac
"""#
}
