import FleetLintCore
import FleetLintRules
import Foundation
import Testing
import TestSupport

/// Engine v2: one fixture fed as each kind of snapshot; the cache.
@Suite("Engine: snapshots and cache")
struct EngineTests {
    static func linter(root: URL) throws -> Linter {
        let config = try FleetLintSetup.loadConfiguration(root: root)
        return try FleetLintSetup.makeLinter(configuration: config, root: root)
    }

    static func json(_ run: LintRun) -> String { JSONReporter().render(run.report) }

    /// The mixed-monorepo fixture committed into a fresh repository.
    static func fixtureRepo() throws -> TempGitRepo {
        let repo = try TempGitRepo(name: "engine")
        try repo.copyTree(from: RepositoryPaths.fixtures.appendingPathComponent("mixed-monorepo"))
        try repo.commitAll("fixture")
        return repo
    }

    @Test("working tree, memory, commit and index snapshots give byte-identical reports")
    func snapshotsAgree() throws {
        let repo = try Self.fixtureRepo()
        let linter = try Self.linter(root: repo.url)
        var options = LintOptions(root: repo.url, rootDisplay: ".")
        options.useGit = true
        let tree = linter.workingTree(options)
        #expect(tree.usedGit)
        let fromTree = Self.json(linter.run(tree, rootDisplay: ".", reportOnly: nil, cache: nil))
        #expect(fromTree.contains("\"findings\""))
        #expect(!(linter.run(tree, rootDisplay: ".", reportOnly: nil, cache: nil).report.findings.isEmpty))

        var files: [(path: String, contents: [UInt8])] = []
        for path in tree.allPaths {
            let data = try Data(contentsOf: repo.url.appendingPathComponent(path))
            files.append((path, [UInt8](data)))
        }
        let memory = MemorySnapshot(files: files, excludes: linter.configuration.exclude, classifier: linter.classifier)
        #expect(Self.json(linter.run(memory, rootDisplay: ".", reportOnly: nil, cache: nil)) == fromTree)

        let git = GitRepository(root: repo.path)
        let paths = SnapshotPaths(excludes: linter.configuration.exclude, classifier: linter.classifier)
        let commit = try CommitSnapshot(repository: git, revision: "HEAD", paths: paths)
        #expect(Self.json(linter.run(commit, rootDisplay: ".", reportOnly: nil, cache: nil)) == fromTree)
        let index = try IndexSnapshot(repository: git, paths: paths)
        #expect(Self.json(linter.run(index, rootDisplay: ".", reportOnly: nil, cache: nil)) == fromTree)

        // Blob ids agree across snapshots (git's own ids for the index and the commit).
        let treeBlobs = Dictionary(uniqueKeysWithValues: memory.entries.map { ($0.path, $0.blob) })
        for e in commit.entries { #expect(treeBlobs[e.path] == e.blob, "\(e.path)") }
    }

    @Test("the index snapshot sees staged contents, not unstaged edits")
    func indexSeesStagedBytes() throws {
        let repo = try TempGitRepo(name: "index")
        try repo.write("svc/app.py", "import requests\n\ndef f():\n    return requests.get('https://x', timeout=3)\n")
        try repo.commitAll("one")
        try repo.write("svc/app.py", "def f():\n    return 1\n")  // unstaged fix
        let linter = try Self.linter(root: repo.url)
        let paths = SnapshotPaths(excludes: [], classifier: linter.classifier)
        let index = try IndexSnapshot(repository: GitRepository(root: repo.path), paths: paths)
        let staged = linter.run(index, rootDisplay: ".", reportOnly: nil, cache: nil).report
        #expect(staged.findings.contains { $0.ruleID == "unpooled-client" })
        var options = LintOptions(root: repo.url, rootDisplay: ".")
        options.useGit = true
        let tree = linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: nil, cache: nil).report
        #expect(!tree.findings.contains { $0.ruleID == "unpooled-client" })
    }

    /// A copy of the fixture in a temp dir with old timestamps (so the stat table may trust them).
    static func scratchCopy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-cache-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: RepositoryPaths.fixtures.appendingPathComponent("mixed-monorepo"), to: dir)
        return dir
    }

    static func run(_ root: URL, cache: URL) throws -> LintRun {
        let linter = try Self.linter(root: root)
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        return linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: nil, cache: AnalysisCache(directory: cache))
    }

    @Test("a warm run equals the cold run byte for byte; an edit re-analyses only that file")
    func warmEqualsCold() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir)
        #expect(cold.statistics.cached == 0)
        #expect(cold.statistics.analysed > 5)
        #expect(FileManager.default.contents(atPath: cacheDir.appendingPathComponent(".gitignore").path)
            .map { String(decoding: $0, as: UTF8.self).contains("*") } == true)
        let warm = try Self.run(root, cache: cacheDir)
        #expect(warm.statistics.analysed == 0)
        #expect(warm.statistics.cached == cold.statistics.analysed)
        #expect(Self.json(warm) == Self.json(cold))
        #expect(TextReporter().render(warm.report) == TextReporter().render(cold.report))

        // Edit one Python file: exactly one analysis, and the report follows the edit.
        let python = try #require(cold.project.files.first { $0.kind == .python }?.path)
        let url = root.appendingPathComponent(python)
        var text = try String(contentsOf: url, encoding: .utf8)
        text += "\n\nimport requests\n\ndef extra_fetch():\n    return requests.get('https://example.com', timeout=5)\n"
        try Data(text.utf8).write(to: url)
        let edited = try Self.run(root, cache: cacheDir)
        #expect(edited.statistics.analysed == 1)
        #expect(edited.report.findings.contains { $0.path == python && $0.ruleID == "unpooled-client" && $0.message.contains("extra_fetch") })
        // And a cold run over the edited tree agrees.
        let fresh = try Self.run(root, cache: FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-other-\(UUID().uuidString)"))
        #expect(Self.json(fresh) == Self.json(edited))
    }

    @Test("a truncated or corrupt cache is recomputed, never trusted")
    func corruptCache() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir)
        let pack = cacheDir.appendingPathComponent("analyses.pack")
        var bytes = try [UInt8](Data(contentsOf: pack))
        // Flip bytes in the middle of the pack (inside some entry's JSON payload).
        for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 40, by: 1) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: pack)
        let afterFlip = try Self.run(root, cache: cacheDir)
        #expect(afterFlip.statistics.corruptCacheEntries >= 1)
        #expect(afterFlip.statistics.analysed >= 1)
        #expect(Self.json(afterFlip) == Self.json(cold))
        // Truncate it mid-entry.
        let again = try [UInt8](Data(contentsOf: pack))
        try Data(again.prefix(again.count / 2)).write(to: pack)
        let afterTruncate = try Self.run(root, cache: cacheDir)
        #expect(afterTruncate.statistics.analysed >= 1)
        #expect(Self.json(afterTruncate) == Self.json(cold))
        // Garbage instead of a pack.
        try Data("not a pack".utf8).write(to: pack)
        let afterGarbage = try Self.run(root, cache: cacheDir)
        #expect(afterGarbage.statistics.cached == 0)
        #expect(Self.json(afterGarbage) == Self.json(cold))
        #expect(try Self.run(root, cache: cacheDir).statistics.analysed == 0)
    }

    @Test("concurrent runs sharing one cache never corrupt it")
    func concurrentRuns() async throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let expected = Self.json(try Self.run(root, cache: FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-ref-\(UUID().uuidString)")))
        let reports = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { Self.json(try Self.run(root, cache: cacheDir)) } }
            var out: [String] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(reports.allSatisfy { $0 == expected })
        let warm = try Self.run(root, cache: cacheDir)
        #expect(warm.statistics.corruptCacheEntries == 0)
        #expect(warm.statistics.analysed == 0)
        #expect(Self.json(warm) == expected)
    }

    @Test("BlobID is git's object id")
    func blobID() throws {
        let repo = try TempGitRepo(name: "blob")
        try repo.write("a.txt", "hello\nworld\n")
        let id = try repo.git("hash-object", "a.txt").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(BlobID.of(Array("hello\nworld\n".utf8)).hex == id)
        #expect(BlobID.of([]).hex == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
    }
}
