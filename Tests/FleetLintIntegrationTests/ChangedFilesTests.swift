import FleetLintCore
import FleetLintRules
import Foundation
import Testing
import TestSupport

/// `--staged` / `--changed-since`: the index (or work tree) with whole-repository context, findings
/// scoped to what the change touches.
@Suite("Changed-file modes")
struct ChangedFilesTests {
    static func staged(_ repo: TempGitRepo, allLines: Bool = false) throws -> LintReport {
        let linter = try FleetLintSetup.makeLinter(configuration: FleetLintSetup.loadConfiguration(root: repo.url), root: repo.url)
        let git = GitRepository(root: repo.path)
        let snapshot = try IndexSnapshot(repository: git, paths: SnapshotPaths(excludes: [], classifier: linter.classifier))
        let changes = try ChangeSet.staged(in: git)
        return linter.run(snapshot, rootDisplay: ".", reportOnly: nil, cache: nil, changes: changes, allLines: allLines).report
    }

    /// A changed-files run reads the cached analyses of files outside the change without building their findings
    /// (it cannot report them): its report is the one it gives with no cache, suppressions and twins included.
    @Test("a staged run from a warm cache reports what it reports with none")
    func stagedFromCache() throws {
        let repo = try TempGitRepo(name: "staged-cache")
        let legacy = "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n"
        let (nfc, nfd) = ("svc/caf\u{E9}.py", "svc/cafe\u{301}.py")
        for name in ["svc/a.py", "svc/b.py", "other/c.py", nfc, nfd] { try repo.write(name, legacy) }
        try repo.write("svc/quiet.py", "import requests  # fleetlint: ignore[unpooled-client] -- tested\n\ndef f():\n"
                       + "    return requests.get('https://x', timeout=3)  # fleetlint: ignore[unpooled-client] -- tested\n")
        try repo.write("svc/requirements.txt", "requests==2.31.0\n")
        // Manifests read from git in one batch for the dependency index (`Project.preloadManifests`).
        try repo.write("other/requirements.txt", "requests==2.30.0\nboto3\n")
        try repo.write("svc/Dockerfile", "FROM python:3.11\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/a.py\"]\n")
        try repo.write("other/Dockerfile", "FROM python:3.11\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/c.py\"]\n")
        try repo.commitAll("one")
        let linter = try FleetLintSetup.makeLinter(configuration: FleetLintSetup.loadConfiguration(root: repo.url), root: repo.url)
        let git = GitRepository(root: repo.path)
        let cacheDir = repo.url.appendingPathComponent(".fleetlint-cache")
        func run(cached: Bool) throws -> LintRun {
            let snapshot = try IndexSnapshot(repository: git, paths: SnapshotPaths(excludes: [], classifier: linter.classifier))
            let changes = try ChangeSet.staged(in: git)
            return linter.run(snapshot, rootDisplay: ".", reportOnly: nil, cache: cached ? AnalysisCache(directory: cacheDir) : nil,
                              changes: changes, allLines: false)
        }
        // The cache filled by a full check of the same index.
        let full = try IndexSnapshot(repository: git, paths: SnapshotPaths(excludes: [], classifier: linter.classifier))
        let all = linter.run(full, rootDisplay: ".", reportOnly: nil, cache: AnalysisCache(directory: cacheDir))
        all.pendingWrites.wait()
        #expect(all.report.findings.array.filter { $0.ruleID == "unpooled-client" }.count == 5)
        // Line 4 of the NFC file and of svc/a.py change; the others (the NFD twin too) are untouched.
        for name in ["svc/a.py", nfc] {
            try repo.write(name, legacy.replacingOccurrences(of: "timeout=3", with: "timeout=4"))
            try repo.git("add", name)
        }
        let warm = try run(cached: true), cold = try run(cached: false)
        #expect(warm.statistics.cached > 0)
        #expect(JSONReporter().render(warm.report) == JSONReporter().render(cold.report))
        #expect(warm.report.findings.array.map(\.path).sorted() == ["svc/a.py", nfc].sorted())
    }

    @Test("a git command that fails is named by its subcommand, past `-c` settings")
    func gitErrorNamesSubcommand() throws {
        let repo = try TempGitRepo(name: "git-error")
        try repo.write("a.py", "x = 1\n")
        try repo.commitAll("one")
        let git = GitRepository(root: repo.path)
        do {
            _ = try git.run(["-c", "core.quotePath=false", "diff", "--cached", "no-such-revision-xyz", "--"])
            Issue.record("the command should fail")
        } catch {
            #expect(error.message.hasPrefix("git diff --cached failed: "), "\(error.message)")
        }
    }

    @Test("git's object reader returns every object whole, one at a time and pipelined, across its buffer's refills")
    func objectReaderSizes() throws {
        let repo = try TempGitRepo(name: "objects")
        let sizes = [0, 1, 100, 65_535, 65_536, 65_537, 131_073, 3_000_001]
        var expected: [String: [UInt8]] = [:]
        for (i, n) in sizes.enumerated() {
            // Newlines and bytes past ASCII throughout: the reader finds each header's end by its newline.
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: ($0 &* 131 &+ i &* 7) % 251) }
            let path = "f\(i).bin"
            try Data(bytes).write(to: repo.url.appendingPathComponent(path))
            expected[path] = bytes
        }
        try repo.commitAll("objects")
        let git = GitRepository(root: repo.path)
        let ids = Dictionary(uniqueKeysWithValues: expected.keys.map { path in
            (path, String(decoding: (try? git.run(["rev-parse", "HEAD:" + path])) ?? [], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines))
        })
        let reader = try GitObjectReader(repository: git)
        // One at a time, small and large interleaved, then all pipelined, then one at a time again.
        let order = ["f7.bin", "f0.bin", "f3.bin", "f4.bin", "f1.bin", "f5.bin", "f6.bin", "f2.bin"]
        for path in order { #expect(reader.read(ids[path]!)?.bytes == expected[path], "\(path)") }
        var seen: [String] = []
        reader.readAll(order.reversed().map { ids[$0]! } + ["0000000000000000000000000000000000000000"]) { id, type, bytes in
            seen.append(id)
            if let path = ids.first(where: { $0.value == id })?.key {
                #expect(type == "blob" && bytes == expected[path], "\(path)")
            } else {
                #expect(type == "missing" && bytes == nil)
            }
        }
        #expect(seen.count == order.count + 1)
        for path in order { #expect(reader.read(ids[path]!)?.bytes == expected[path], "\(path), again") }
    }

    @Test("git snapshots read many files in one batch as they read each one")
    func readManyMatchesRead() throws {
        let repo = try TempGitRepo(name: "read-many")
        try repo.write("a.txt", "same\n")
        try repo.write("b/c.txt", "same\n")  // one blob at two paths
        try repo.write("d.py", "x = 1\n")
        try repo.write("e.bin", "a\u{0}b")
        try repo.commitAll("one")
        let git = GitRepository(root: repo.path)
        let paths = SnapshotPaths(excludes: [], classifier: FileClassifier())
        let snapshots: [any FleetLintCore.Snapshot] = [try IndexSnapshot(repository: git, paths: paths),
                                         try CommitSnapshot(repository: git, revision: "HEAD", paths: paths)]
        for snapshot in snapshots {
            let asked = ["d.py", "a.txt", "missing.py", "b/c.txt", "e.bin", "a.txt"]
            let many = try #require(snapshot.readMany(asked))
            let one: [String] = asked.map { String(describing: snapshot.read($0)) }
            #expect(many.map { String(describing: $0) } == one, Comment(rawValue: snapshot.label))
        }
        #expect(WorkingTreeSnapshot(root: repo.url, excludes: [], classifier: FileClassifier(), useGit: false).readMany(["a.txt"]) == nil)
    }

    @Test("a staged finding is reported; the staged fix passes; unstaged edits do not count")
    func stagedFinding() throws {
        let repo = try TempGitRepo(name: "staged")
        try repo.write("svc/app.py", "def f():\n    return 1\n")
        try repo.commitAll("one")
        try repo.write("svc/app.py", "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n")
        #expect(try Self.staged(repo).findings.isEmpty)  // not staged yet
        try repo.git("add", "svc/app.py")
        let report = try Self.staged(repo)
        #expect(report.findings.map(\.ruleID) == ["unpooled-client"])
        #expect(report.findings.first?.path == "svc/app.py")
        try repo.write("svc/app.py", "from shared.http_pool import get_http_session\n\ndef f():\n    return get_http_session().get('https://x', timeout=3)\n")
        try repo.git("add", "svc/app.py")
        #expect(try Self.staged(repo).findings.isEmpty)
    }

    /// Through real git: a header path with a space ends with a TAB, a quote makes it C-quoted, and a user's
    /// `diff.noprefix` drops the `a/`/`b/` prefixes unless the command sets them. Each of these files' staged finding
    /// was missed.
    @Test("staged files with a space or a quote in their names, under diff.noprefix")
    func stagedAwkwardNames() throws {
        let repo = try TempGitRepo(name: "names")
        let names = ["svc/my app.py", "svc/q\"uote.py", "svc/plain.py"]
        for name in names { try repo.write(name, "def f():\n    return 1\n") }
        try repo.commitAll("one")
        try repo.git("config", "diff.noprefix", "true")
        for name in names { try repo.write(name, "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n") }
        try repo.git("add", "-A")
        let report = try Self.staged(repo)
        #expect(Set(report.findings.filter { $0.ruleID == "unpooled-client" }.map(\.path)) == Set(names))
    }

    /// Through real git: `svc/café.py` in NFC and in NFD are two files (Linux and git compare bytes), equal as Swift
    /// Strings. Staging a change to one reported the other one's finding on the same line too.
    @Test("a staged change to an NFC file does not report its NFD twin's findings")
    func stagedNormalisationTwins() throws {
        let repo = try TempGitRepo(name: "twins")
        let (nfc, nfd) = ("svc/caf\u{E9}.py", "svc/cafe\u{301}.py")
        let legacy = "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n"
        for name in [nfc, nfd] { try repo.write(name, legacy) }
        try repo.commitAll("twins")
        // Line 4 of the NFC file changes (another legacy call); the NFD file is untouched.
        try repo.write(nfc, "import requests\n\ndef f():\n    return requests.post('https://x', timeout=3)\n")
        try repo.git("add", "-A")
        let findings = try Self.staged(repo).findings.filter { $0.ruleID == "unpooled-client" }
        #expect(findings.map { Array($0.path.utf8) } == [Array(nfc.utf8)])
    }

    @Test("a comment-only edit does not surface a file's old findings (unless --all-lines)")
    func oldFindingsStayQuiet() throws {
        let repo = try TempGitRepo(name: "old")
        try repo.write("svc/app.py", "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n")
        try repo.commitAll("legacy")
        try repo.write("svc/app.py", "# a comment\nimport requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n")
        try repo.git("add", "-A")
        #expect(try Self.staged(repo).findings.isEmpty)
        #expect(try Self.staged(repo, allLines: true).findings.map(\.ruleID) == ["unpooled-client"])
    }

    @Test("changing a shared requirements file reports the conflict it causes in an image elsewhere")
    func sharedRequirementsChange() throws {
        let repo = try TempGitRepo(name: "shared")
        try repo.write("shared/requirements.txt", "requests>=2.0\n")
        try repo.write("svc/requirements.txt", "-r ../shared/requirements.txt\nrequests==2.31.0\n")
        try repo.write("svc/Dockerfile", "FROM python:3.11-slim\nWORKDIR /app\nCOPY shared/requirements.txt shared/requirements.txt\nCOPY svc/requirements.txt svc/requirements.txt\nRUN pip install -r svc/requirements.txt\nCOPY svc/ svc/\nCMD [\"python\", \"svc/main.py\"]\n")
        try repo.write("svc/main.py", "import requests\nprint(requests.__version__)\n")
        try repo.commitAll("clean")
        #expect(try Self.staged(repo).findings.isEmpty)
        try repo.write("shared/requirements.txt", "requests<2.0\n")
        try repo.git("add", "-A")
        let report = try Self.staged(repo)
        #expect(report.findings.contains { $0.ruleID == "dependency-version-conflict" })
        // The finding sits in svc/ (unchanged); it is reported because it relates to the changed line.
        #expect(report.findings.allSatisfy { $0.path == "shared/requirements.txt" || $0.related.contains { $0.path == "shared/requirements.txt" } })
    }

    @Test("a staged undeclared import is reported in its unit; another unit's old finding is not")
    func stagedMissingDependency() throws {
        let repo = try TempGitRepo(name: "missing")
        try repo.write("a/requirements.txt", "requests==2.31.0\n")
        try repo.write("a/main.py", "import requests\n")
        try repo.write("b/requirements.txt", "flask==3.0.0\n")
        try repo.write("b/main.py", "import flask\nimport yaml\n")  // old: yaml undeclared
        try repo.commitAll("one")
        try repo.write("a/main.py", "import requests\nimport numpy\n")
        try repo.git("add", "-A")
        let report = try Self.staged(repo)
        let missing = report.findings.filter { $0.ruleID == "missing-dependency" }
        #expect(missing.map(\.path) == ["a/main.py"])
        #expect(missing.first?.range.start.line == 2)
    }

    @Test("git diff -U0 parsing")
    func parseDiff() {
        let diff = """
        diff --git a/a.py b/a.py
        --- a/a.py
        +++ b/a.py
        @@ -1,0 +2,3 @@ def f():
        +x
        @@ -10 +12 @@
        -y
        +z
        diff --git a/gone.py b/gone.py
        --- a/gone.py
        +++ /dev/null
        @@ -1 +0,0 @@
        -q
        """
        let c = ChangeSet.parse(Array(diff.utf8))
        #expect(c.lines(of: "a.py") == [2...4, 12...12])
        #expect(c.lines(of: "gone.py") == nil)
        #expect(c.touches("a.py", lines: 4...4))
        #expect(!c.touches("a.py", lines: 5...11))
    }

    /// In a hunk, `+++ ` is an added line that starts with `++ `, not a file header (its file's later hunks were
    /// counted for a file named by the line); a header's path is C-quoted when it holds a quote, a backslash or a
    /// control character.
    @Test("git diff -U0: an added `++ ` line is not a header; quoted paths")
    func parseDiffAddedPlusLinesAndQuotedPaths() {
        let diff = """
        diff --git a/a.py b/a.py
        --- a/a.py
        +++ b/a.py
        @@ -1,0 +2,2 @@
        +++ not a header
        +x
        @@ -9 +10 @@
        +y
        diff --git "a/q\\"b\\tc.py" "b/q\\"b\\tc.py"
        --- "a/q\\"b\\tc.py"
        +++ "b/q\\"b\\tc.py"
        @@ -0,0 +1 @@
        +z
        diff --git "a/\\303\\251.py" "b/\\303\\251.py"
        +++ "b/\\303\\251.py"
        @@ -0,0 +1 @@
        +w
        diff --git a/my file.py b/my file.py
        --- a/my file.py\t
        +++ b/my file.py\t
        @@ -1,0 +2 @@
        +v
        """
        let c = ChangeSet.parse(Array(diff.utf8))
        #expect(c.lines(of: "a.py") == [2...3, 10...10])
        #expect(c.lines(of: "q\"b\tc.py") == [1...1])
        #expect(c.lines(of: "\u{E9}.py") == [1...1])
        // git ends a header path that holds a space with a TAB.
        #expect(c.lines(of: "my file.py") == [2...2])
        #expect(c.paths.count == 4, "\(c.paths)")
    }

    @Test("a change to the NFC spelling of a name is not a change to its NFD twin")
    func normalisationTwins() {
        let (nfc, nfd) = ("caf\u{E9}.py", "cafe\u{301}.py")
        let diff = """
        diff --git a/\(nfc) b/\(nfc)
        --- a/\(nfc)
        +++ b/\(nfc)
        @@ -1,0 +2 @@
        +x
        """
        let c = ChangeSet.parse(Array(diff.utf8))
        #expect(c.touches(nfc))
        #expect(c.touches(nfc, lines: 2...2))
        #expect(!c.touches(nfd))
        #expect(!c.touches(nfd, lines: 2...2))
        #expect(c.lines(of: nfd) == nil)
        #expect(c.paths.map { Array($0.utf8) } == [Array(nfc.utf8)])
    }

    /// `b/` followed by a name that starts with a combining mark: `/` and the mark are one Character, so the prefix
    /// test on Characters failed and the file was recorded as `b/…`, never touched.
    @Test("a changed file whose name starts with a combining mark")
    func combiningMarkAfterPrefix() {
        let name = "\u{301}x.py"
        let diff = "diff --git a/\(name) b/\(name)\n--- a/\(name)\n+++ b/\(name)\n@@ -1,0 +2 @@\n+y\n"
        let c = ChangeSet.parse(Array(diff.utf8))
        #expect(c.lines(of: name) == [2...2])
        #expect(c.paths.map { Array($0.utf8) } == [Array(name.utf8)])
    }
}
