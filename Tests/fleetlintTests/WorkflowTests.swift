import Foundation
import Testing
import TestSupport

/// Pre-commit and CI workflows against real git repositories in temporary directories, driving the
/// built binary: the hook, `hook install`, baselines, the repository root, refused repositories.
@Suite("pre-commit and CI workflows", .serialized)
struct WorkflowTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func exec(_ tool: URL, _ args: [String], in dir: URL, env: [String: String] = [:]) throws -> Run {
        let r = try ProcessRunner.run(tool, args, in: dir, env: env)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func fleetlint(_ args: [String], in dir: URL) throws -> Run { try exec(RepositoryPaths.executable, args, in: dir) }

    @discardableResult
    func git(_ args: [String], in dir: URL, env: [String: String] = [:]) throws -> Run {
        try exec(URL(fileURLWithPath: "/usr/bin/env"), ["git"] + args, in: dir, env: env)
    }

    func write(_ files: [String: String], in root: URL) throws {
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
    }

    /// A committed git repository with these files.
    func gitRepo(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: root)
        try git(["config", "user.email", "t@example.com"], in: root)
        try git(["config", "user.name", "t"], in: root)
        try git(["config", "commit.gpgsign", "false"], in: root)
        try write(files, in: root)
        try git(["add", "-A"], in: root)
        try git(["commit", "-q", "-m", "init", "--no-verify"], in: root)
        return root
    }

    static let app = """
        import requests


        def fetch(url):
            return requests.get(url)


        class Client:
            def load(self, url):
                return requests.post(url)
        """

    // MARK: hook

    @Test("the hook blocks a staged finding with a header and hint, and lets the fix through")
    func hookBlocksAndPasses() throws {
        let repo = try gitRepo(["README.md": "x\n", "svc/requirements.txt": "requests==2.31.0\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let install = try fleetlint(["hook", "install"], in: repo)
        #expect(install.status == 0, "\(install.stderr)")
        let env = ["FLEETLINT": RepositoryPaths.executable.path]
        try write(["svc/app.py": "import requests\n\ndef f(u):\n    return requests.get(u)\n"], in: repo)
        try git(["add", "svc/app.py"], in: repo)
        let blocked = try git(["commit", "-q", "-m", "bad"], in: repo, env: env)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("fleetlint pre-commit: checking 1 staged file(s)"))
        // git passes a hook's stdout to its stderr.
        #expect(blocked.stderr.contains("svc/app.py:4:12: warning[unpooled-client]"))
        #expect(blocked.stderr.contains("--no-verify"))
        #expect(blocked.stderr.contains("fleetlint: ignore[rule-id]"))
        try write(["svc/app.py": "import requests\n\nSESSION = requests.Session()\n\ndef f(u):\n    return SESSION.get(u)\n"], in: repo)
        try git(["add", "svc/app.py"], in: repo)
        let passed = try git(["commit", "-q", "-m", "good"], in: repo, env: env)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
    }

    @Test("staging only a shared requirements file reports the conflict it causes in the services that include it")
    func hookSharedRequirements() throws {
        let repo = try gitRepo([
            "shared/requirements.txt": "werkzeug==3.1.5\n",
            "a/requirements.txt": "-r ../shared/requirements.txt\nwerkzeug==3.1.5\n",
            "b/requirements.txt": "-r ../shared/requirements.txt\nwerkzeug==3.1.5\n",
        ])
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try fleetlint(["hook", "install"], in: repo).status == 0)
        try write(["shared/requirements.txt": "werkzeug==2.3.7\n"], in: repo)
        try git(["add", "shared/requirements.txt"], in: repo)
        let r = try git(["commit", "-q", "-m", "downgrade"], in: repo, env: ["FLEETLINT": RepositoryPaths.executable.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("shared/requirements.txt:1:1: error[dependency-version-conflict]"))
        #expect(r.stderr.contains("conflicts with the pins of 2 install sets"))
        #expect(r.stderr.contains("a/requirements.txt") && r.stderr.contains("b/requirements.txt"))
    }

    @Test("the hook fails loudly, with an install hint, when the binary is missing")
    func hookMissingBinary() throws {
        let repo = try gitRepo(["README.md": "x\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try fleetlint(["hook", "install"], in: repo).status == 0)
        try write(["a.py": "x = 1\n"], in: repo)
        try git(["add", "a.py"], in: repo)
        let env = ["FLEETLINT": "/nonexistent/fleetlint"]
        let r = try git(["commit", "-q", "-m", "x"], in: repo, env: env)
        #expect(r.status != 0)
        #expect(r.stderr.contains("not found"))
        #expect(r.stderr.contains("install.sh"))
        // The hook itself exits 2 (git reports any failure as 1).
        let direct = try exec(URL(fileURLWithPath: "/bin/sh"), [".git/hooks/pre-commit"], in: repo, env: env)
        #expect(direct.status == 2)
    }

    @Test("the hook uses the repository's baseline: old findings pass, new ones block")
    func hookWithBaseline() throws {
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/requirements.txt": "requests==2.31.0\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try fleetlint(["baseline", "create"], in: repo).status == 0)
        try git(["add", ".fleetlint-baseline.json"], in: repo)
        try git(["commit", "-q", "-m", "baseline", "--no-verify"], in: repo)
        #expect(try fleetlint(["hook", "install"], in: repo).status == 0)
        let env = ["FLEETLINT": RepositoryPaths.executable.path]
        // A comment-only edit of a file with old findings is not blocked.
        try write(["svc/app.py": "# a comment\n" + Self.app], in: repo)
        try git(["add", "-A"], in: repo)
        let ok = try git(["commit", "-q", "-m", "comment"], in: repo, env: env)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        try write(["svc/app.py": "# a comment\n" + Self.app + "\n\ndef more(u):\n    return requests.put(u)\n"], in: repo)
        try git(["add", "-A"], in: repo)
        let blocked = try git(["commit", "-q", "-m", "new"], in: repo, env: env)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("requests.put"))
        #expect(!blocked.stderr.contains("requests.get"))
    }

    @Test("hook install writes the repository's hook, refuses a foreign hook without --force, sets core.hooksPath")
    func hookInstall() throws {
        let repo = try gitRepo(["README.md": "x\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let hook = repo.appendingPathComponent(".git/hooks/pre-commit")
        try FileManager.default.createDirectory(at: hook.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hook)
        let refused = try fleetlint(["hook", "install"], in: repo)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"))
        #expect(try String(contentsOf: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        #expect(try fleetlint(["hook", "install", "--force"], in: repo).status == 0)
        let written = try String(contentsOf: hook, encoding: .utf8)
        let shipped = try String(contentsOf: RepositoryPaths.root.appendingPathComponent(".githooks/pre-commit"), encoding: .utf8)
        #expect(written == shipped, "hook install writes exactly .githooks/pre-commit")
        #expect(try fleetlint(["hook", "install"], in: repo).status == 0, "its own hook is updated in place")
        let attrs = try FileManager.default.attributesOfItem(atPath: hook.path)
        #expect(((attrs[.posixPermissions] as? Int) ?? 0) & 0o111 != 0)
        #expect(try fleetlint(["hook", "install", "--hooks-path", ".githooks"], in: repo).status == 0)
        #expect(try git(["config", "core.hooksPath"], in: repo).stdout == ".githooks\n")
        #expect(FileManager.default.fileExists(atPath: repo.appendingPathComponent(".githooks/pre-commit").path))
    }

    @Test("hook uninstall removes the hook fleetlint wrote where git looks for it, leaves a foreign hook, says when there is none")
    func hookUninstall() throws {
        let repo = try gitRepo(["README.md": "x\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let hook = repo.appendingPathComponent(".git/hooks/pre-commit")
        #expect(try fleetlint(["hook", "install"], in: repo).status == 0)
        #expect(FileManager.default.fileExists(atPath: hook.path))
        let removed = try fleetlint(["hook", "uninstall"], in: repo)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("removed the fleetlint pre-commit hook"))
        #expect(!FileManager.default.fileExists(atPath: hook.path))
        let none = try fleetlint(["hook", "uninstall"], in: repo)
        #expect(none.status == 0)
        #expect(none.stdout.contains("no pre-commit hook to remove"))

        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hook)
        let foreign = try fleetlint(["hook", "uninstall"], in: repo)
        #expect(foreign.status == 1)
        #expect(foreign.stderr.contains("was not written by fleetlint"))
        #expect(try String(contentsOf: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")

        // Installed into a shared directory: removed from there (where core.hooksPath points), the setting reported.
        #expect(try fleetlint(["hook", "install", "--hooks-path", ".githooks"], in: repo).status == 0)
        let shared = try fleetlint(["hook", "uninstall"], in: repo)
        #expect(shared.status == 0)
        #expect(!FileManager.default.fileExists(atPath: repo.appendingPathComponent(".githooks/pre-commit").path))
        #expect(shared.stdout.contains("core.hooksPath is still .githooks"))
        #expect(FileManager.default.fileExists(atPath: hook.path), "the hook in .git/hooks is not the one git runs: untouched")
    }

    // MARK: baselines

    @Test("--changed-since: a branch's changed lines and untracked files are reported, an old finding on an unchanged line is not")
    func changedSince() throws {
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/requirements.txt": "requests==2.31.0\n", "lib/old.py": Self.app])
        defer { try? FileManager.default.removeItem(at: repo) }
        try git(["checkout", "-q", "-b", "feature"], in: repo)
        // A committed change on the branch (a new call at the end of svc/app.py), an uncommitted one elsewhere, and an
        // untracked file: all three are the branch's changes against its merge base with main.
        let app = Self.app + "\n\ndef extra(url):\n    return requests.delete(url)\n"
        try write(["svc/app.py": app], in: repo)
        try git(["commit", "-qam", "extra", "--no-verify"], in: repo)
        try write(["lib/new.py": "import requests\n\n\ndef g(u):\n    return requests.put(u)\n"], in: repo)
        try git(["checkout", "-q", "main"], in: repo)
        try git(["checkout", "-q", "feature"], in: repo)
        let r = try fleetlint(["check", "--changed-since", "main", "--format", "json", "--no-cache"], in: repo)
        #expect(r.status == 1, "\(r.stderr)")
        let findings = try #require(
            (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        let places = Set(findings.map { "\($0["path"] as? String ?? ""):\($0["line"] as? Int ?? 0)" })
        let appLines = Self.app.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(places.contains("svc/app.py:\(appLines + 3)"), "the committed change: \(places)")
        #expect(places.contains("lib/new.py:5"), "the untracked file: \(places)")
        #expect(!places.contains { $0.hasPrefix("lib/old.py") }, "no change in lib/old.py: \(places)")
        #expect(!places.contains("svc/app.py:5"), "svc/app.py's old finding is on an unchanged line: \(places)")

        // --all-lines: every finding of the changed files, still none of the unchanged file.
        let all = try fleetlint(["check", "--changed-since", "main", "--all-lines", "--no-cache"], in: repo)
        #expect(all.stdout.contains("svc/app.py:5:"), "\(all.stdout)")
        #expect(!all.stdout.contains("lib/old.py"))
        // Nothing changed since HEAD but the untracked file.
        let head = try fleetlint(["check", "--changed-since", "HEAD", "--no-cache"], in: repo)
        #expect(head.stdout.contains("lib/new.py:5:") && !head.stdout.contains("svc/app.py"), "\(head.stdout)")
        // An unknown revision is an error that names it, not an empty report.
        let unknown = try fleetlint(["check", "--changed-since", "no-such-branch"], in: repo)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("`no-such-branch` is not a commit of this repository"), "\(unknown.stderr)")
        #expect(try fleetlint(["check", "--changed-since", "main", "--staged"], in: repo).status != 0)
    }

    @Test("a baseline survives inserted lines and a rename, reports fix-one-add-one, and update only removes")
    func baselineLifecycle() throws {
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/requirements.txt": "requests==2.31.0\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let create = try fleetlint(["baseline", "create"], in: repo)
        #expect(create.status == 0)
        let text = try String(contentsOf: repo.appendingPathComponent(".fleetlint-baseline.json"), encoding: .utf8)
        #expect(text.components(separatedBy: "\"rule\": \"unpooled-client\"").count == 3)
        #expect(!text.contains("\"line\""))
        let check = ["check", "--baseline", ".fleetlint-baseline.json"]
        #expect(try fleetlint(check, in: repo).status == 0)

        try write(["svc/app.py": "\"\"\"Docs.\"\"\"\n\n# more\n" + Self.app], in: repo)
        #expect(try fleetlint(check, in: repo).status == 0, "inserting lines above keeps the findings matched")

        try git(["mv", "svc/app.py", "svc/main.py"], in: repo)
        try git(["commit", "-q", "-am", "rename", "--no-verify"], in: repo)
        #expect(try fleetlint(check + ["--strict-baseline"], in: repo).status == 0, "a rename keeps the entries")

        // Fix `fetch`, add the same kind of finding in a new function.
        let changed = Self.app.replacingOccurrences(of: "return requests.get(url)", with: "return None")
            + "\n\ndef other(url):\n    return requests.get(url)\n"
        try write(["svc/main.py": changed], in: repo)
        let r = try fleetlint(check, in: repo)
        #expect(r.status == 1)
        #expect(r.stdout.contains("on every call to `other`"))
        #expect(!r.stdout.contains("`load`"))
        #expect(r.stderr.contains("1 entry is stale"))
        #expect(try fleetlint(check + ["--strict-baseline", "--select", "committed-secret"], in: repo).status == 0,
                "entries of rules that did not run are not stale")

        let update = try fleetlint(["baseline", "update"], in: repo)
        #expect(update.status == 0)
        #expect(update.stderr.contains("removed 1 fixed entry"))
        #expect(update.stderr.contains("1 new finding is not added"))
        let after = try String(contentsOf: repo.appendingPathComponent(".fleetlint-baseline.json"), encoding: .utf8)
        #expect(after.components(separatedBy: "\"rule\": \"unpooled-client\"").count == 2)
        #expect(after.contains("svc/main.py"), "update writes the renamed path")
        #expect(try fleetlint(check, in: repo).status == 1, "the new finding is still reported")
        #expect(try fleetlint(check + ["--strict-baseline", "--fail-on", "error"], in: repo).status == 0)
    }

    // MARK: root and git

    @Test("a directory argument scopes the report, not the analysis: root config, repo-relative paths")
    func rootFromGit() throws {
        let repo = try gitRepo([
            ".fleetlint.toml": "[severity]\nunpooled-client = \"error\"\n",
            "services/a/app.py": "import requests\n\ndef f(u):\n    return requests.get(u)\n",
            "libs/b/app.py": "import requests\n\ndef f(u):\n    return requests.get(u)\n",
        ])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try fleetlint(["check", "services", "--format", "json"], in: repo)
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"path\" : \"services/a/app.py\""))
        #expect(r.stdout.contains("\"severity\" : \"error\""), "the root configuration applies")
        #expect(!r.stdout.contains("libs/b"))
        let sub = try fleetlint(["check", "."], in: repo.appendingPathComponent("services/a"))
        #expect(sub.stdout.contains("services/a/app.py:4:12"))
        #expect(!sub.stdout.contains("libs/b"))
    }

    @Test("files named from outside any repository take their repository as the root, not the current directory")
    func rootOfFileArgumentsOutsideGit() throws {
        let outer = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-outer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outer, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outer) }
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/requirements.txt": "requests==2.31.0\n"])
        try FileManager.default.moveItem(at: repo, to: outer.appendingPathComponent("repo"))
        try write(["noise/app.py": Self.app, "plain/svc/app.py": Self.app], in: outer)
        guard try git(["rev-parse", "--show-toplevel"], in: outer).status != 0 else { return }  // the temp directory is in a work tree

        let inRepo = try fleetlint(["check", "repo/svc/app.py", "--format", "json", "--no-cache"], in: outer)
        #expect(inRepo.status == 1, "\(inRepo.stderr)")
        #expect(inRepo.stdout.contains("\"path\" : \"svc/app.py\""), "the repository is the root: \(inRepo.stdout)")
        #expect(inRepo.stdout.contains("\"files\" : 2"), "only the repository's two files are read: \(inRepo.stdout)")

        // Files in no repository: the directory holding them is the root (only its file is read, not `noise/`),
        // or the nearest configuration above it; a configuration at the current directory keeps that the root.
        let plain = try fleetlint(["check", "plain/svc/app.py", "--format", "json", "--no-cache"], in: outer)
        #expect(plain.status == 1, "\(plain.stderr)")
        #expect(plain.stdout.contains("\"path\" : \"app.py\""), "\(plain.stdout)")
        #expect(plain.stdout.contains("\"files\" : 1"), "\(plain.stdout)")
        let two = try fleetlint(["check", "plain/svc/app.py", "noise/app.py", "--format", "json", "--no-cache"], in: outer)
        #expect(two.stdout.contains("\"path\" : \"plain/svc/app.py\""), "their common directory: \(two.stdout)")
        #expect(two.stdout.contains("\"path\" : \"noise/app.py\""), "\(two.stdout)")
        try write(["plain/fleetlint.toml": "[severity]\nunpooled-client = \"error\"\n"], in: outer)
        let above = try fleetlint(["check", "plain/svc/app.py", "--format", "json", "--no-cache"], in: outer)
        #expect(above.stdout.contains("\"path\" : \"svc/app.py\""), "the configuration above: \(above.stdout)")
        #expect(above.stdout.contains("\"severity\" : \"error\""), "\(above.stdout)")
        try write([".fleetlint.toml": "[severity]\nunpooled-client = \"error\"\n"], in: outer)
        let configured = try fleetlint(["check", "repo/svc/app.py", "--format", "json", "--no-cache"], in: outer)
        #expect(configured.stdout.contains("\"path\" : \"repo/svc/app.py\""), "\(configured.stdout)")
        #expect(configured.stdout.contains("\"severity\" : \"error\""))
    }

    @Test("a repository git refuses (dubious ownership) stops with exit 2 unless --no-git",
          .enabled(if: getuid() == 0, "needs root to chown the repository to another uid"))
    func dubiousOwnership() throws {
        let repo = try gitRepo(["a.py": "x = 1\n", ".gitignore": ".env\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        try write([".env": "A=1\n"], in: repo)
        let chown = try exec(URL(fileURLWithPath: "/usr/bin/env"), ["chown", "-R", "65534:65534", repo.path], in: repo)
        #expect(chown.status == 0)
        let r = try fleetlint(["check", "."], in: repo)
        #expect(r.status == 2)
        #expect(r.stderr.contains("git refuses the repository"))
        #expect(r.stderr.contains("dubious ownership"))
        #expect(r.stdout.isEmpty, "no report from a silent directory walk")
        let walked = try fleetlint(["check", ".", "--no-git"], in: repo)
        #expect(walked.status == 1)
        #expect(walked.stdout.contains(".env:1:1"), "the walk sees the git-ignored file")
    }

    // MARK: triage and CI

    @Test("--statistics, --severity, --format markdown and JUnit with --fail-on")
    func triage() throws {
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/.env": "A=1\n", "svc/requirements.txt": "requests==2.31.0\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let stats = try fleetlint(["check", "--statistics"], in: repo)
        #expect(stats.status == 1)
        #expect(stats.stdout == "  1  error    committed-env-file\n  2  warning  unpooled-client\n")
        let errors = try fleetlint(["check", "--severity", "error"], in: repo)
        #expect(errors.stdout.contains("committed-env-file"))
        #expect(!errors.stdout.contains("unpooled-client"))
        let text = try fleetlint(["check"], in: repo)
        #expect(text.stdout.hasSuffix("  1  error    committed-env-file\n  2  warning  unpooled-client\nFound 3 findings (1 error, 2 warnings) in 3 files.\n"))
        let md = try fleetlint(["check", "--format", "markdown"], in: repo)
        #expect(md.stdout.contains("| `unpooled-client` | warning | 2 |"))
        let junit = repo.appendingPathComponent("j.xml")
        let j = try fleetlint(["check", "--fail-on", "error", "--severity", "warning", "--junit", junit.path, "-q"], in: repo)
        #expect(j.status == 1)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<failure").count == 2, "only the error fails")
        #expect(xml.contains("<system-out>svc/app.py:5:12: warning[unpooled-client]"))
        #expect(SchemaValidation.validateXML(xml).isEmpty)
    }

    @Test("--verbose gives every step's time, CPU, peak memory and (with jemalloc) live and resident heap")
    func verboseSteps() throws {
        let repo = try gitRepo(["svc/app.py": Self.app, "svc/requirements.txt": "requests==2.31.0\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try fleetlint(["check", "--verbose", "--no-cache"], in: repo)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let line = try #require(r.stderr.split(separator: "\n").first { $0.hasPrefix("fleetlint: working tree:") }, "\(r.stderr)")
        for step in ["snapshot", "analysis", "project rules", "passes"] { #expect(line.contains(" \(step) "), "\(line)") }
        #expect(line.contains(" 2 analysed, 0 from the cache"), "\(line)")
        let steps = line.components(separatedBy: " ms (CPU ").count - 1
        #expect(steps >= 6, "root, configuration, snapshot, analysis, project rules, passes: \(line)")
        let heap = try Regex(#"heap (\d+) MiB live, (\d+) MiB resident\)"#)
        let heaps = line.matches(of: heap).map { (live: Int($0.output[1].substring!)!, resident: Int($0.output[2].substring!)!) }
        #if os(Linux)
        // The executable links jemalloc on Linux: every step says how much heap is live and resident. The resident
        // pages hold the live blocks, and the rules alone take more than a megabyte.
        #expect(heaps.count == steps, "\(line)")
        #expect(heaps.allSatisfy { $0.live <= $0.resident }, "\(line)")
        #expect((heaps.map(\.resident).max() ?? 0) >= 1, "\(line)")
        #else
        #expect(heaps.isEmpty, "\(line)")
        #endif
        // Without --verbose nothing is said.
        let quiet = try fleetlint(["check", "--no-cache"], in: repo)
        #expect(!quiet.stderr.contains("heap "), "\(quiet.stderr)")
    }

    @Test("a reader that stops early (| head): the run ends with its own exit code, its cache written, no temp file left")
    func closedPipe() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-pipe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // Enough findings that the report outgrows a pipe's buffer (64 KiB): its writes meet the closed pipe.
        var files: [String: String] = ["requirements.txt": "requests==2.31.0\n"]
        for i in 0..<200 { files["svc/m\(i).py"] = "import requests\nfor u in []:\n    requests.get(u)\n" }
        try write(files, in: root)
        let cache = root.appendingPathComponent("cache")
        let command = "\"$0\" check . --no-git --cache-dir \"$1\" --format json | head -c 10 >/dev/null; echo \"${PIPESTATUS[0]}\""
        let r = try exec(URL(fileURLWithPath: "/bin/bash"), ["-c", command, RepositoryPaths.executable.path, cache.path], in: root)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "not killed by SIGPIPE (141): \(r.stderr)")
        // The cache was written to the end (the run memo needs files older than 2 s: these were written just now).
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(entries.contains { $0.hasPrefix("analyses-") && $0.hasSuffix(".pack") } && entries.contains("project.memo"))
        #expect(!entries.contains { $0.contains(".tmp.") }, "\(entries)")
    }
}
