@testable import FleetLintCore
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

    /// Writes `text` to `path` under `root`, making the directories on the way.
    static func write(_ root: URL, _ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

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

    @Test("letting the rule inputs go before the passes changes no report, and the project keeps none of them")
    func releasedRuleInputs() throws {
        let root = RepositoryPaths.fixtures.appendingPathComponent("mixed-monorepo")
        let linter = try Self.linter(root: root)
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        let kept = linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: nil, cache: nil)
        let released = linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: nil, cache: nil, releasesRuleInputs: true)
        #expect(!kept.report.findings.isEmpty && Self.json(released) == Self.json(kept))
        #expect(kept.project.files.contains { $0.python != nil })
        #expect(released.project.files.allSatisfy { $0.python == nil })
        #expect(released.project.allPaths == kept.project.allPaths)
        // What is let go is built again from the bytes when asked for: a manifest parses again.
        let requirements = try #require(released.project.files.first { $0.kind == .requirements })
        #expect(requirements.requirements != nil)
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
        try? FileManager.default.removeItem(at: dir.appendingPathComponent(".fleetlint-cache"))  // from CLI runs on the fixture
        return dir
    }

    static func run(_ root: URL, cache: URL?, trustStat: Bool = false, sourceLines: Bool = true,
                    writesBehind: Bool = false, reportOnly: [String]? = nil) throws -> LintRun {
        let linter = try Self.linter(root: root)
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        let c = cache.map(AnalysisCache.init)
        if trustStat { c?.racyWindow = -1 }  // files written by the test a moment ago count as settled
        return linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: reportOnly, cache: c,
                          sourceLines: sourceLines, writesBehind: writesBehind)
    }

    /// A scratch copy of the fixture and its cache directory, made (the caller removes the copy).
    static func scratchWithCacheDirectory() throws -> (root: URL, cache: URL) {
        let root = try scratchCopy()
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        try FileManager.default.createDirectory(at: cacheDir, withIntermediateDirectories: true)
        return (root, cacheDir)
    }

    @Test("a save removes temp files of runs that are gone (killed mid-write), not those of a live run")
    func staleTemps() throws {
        let (root, cacheDir) = try Self.scratchWithCacheDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = "run.memo.tmp.\(gone.processIdentifier).42", live = "analyses.pack.tmp.\(getppid()).7"
        for name in [stale, live] { try Data("x".utf8).write(to: cacheDir.appendingPathComponent(name)) }
        _ = try Self.run(root, cache: cacheDir, trustStat: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: cacheDir.path)
        #expect(!names.contains(stale))
        #expect(names.contains(live))  // the parent process is alive: it could be writing
        #expect(names.contains("run.memo"))
    }

    @Test("with writesBehind the run memo is saved while the caller goes on, and is complete once it waits (or lets go)")
    func writesBehind() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let memo = cacheDir.appendingPathComponent("run.memo").path
        let cold = try Self.run(root, cache: cacheDir, trustStat: true, sourceLines: false, writesBehind: true)
        cold.pendingWrites.wait()
        #expect(FileManager.default.fileExists(atPath: memo))
        let warm = try Self.run(root, cache: cacheDir, trustStat: true, sourceLines: false, writesBehind: true)
        #expect(warm.project.files.isEmpty)  // answered from the memo the first run wrote behind
        #expect(Self.json(warm) == Self.json(cold))
        // A run whose result is dropped without waiting: the last release waits for its writes.
        try FileManager.default.removeItem(atPath: memo)
        do { _ = try Self.run(root, cache: cacheDir, trustStat: true, sourceLines: false, writesBehind: true) }
        #expect(FileManager.default.fileExists(atPath: memo))
    }

    @Test("files are analysed costliest first, then in snapshot order, each exactly once")
    func largestFirstOrder() {
        var entries: [SnapshotEntry] = []
        for i in 0..<200 {
            let kind: FileKind = i % 3 == 0 ? .python : .text
            entries.append(SnapshotEntry(path: "f\(i)", kind: kind, size: (i * 7919) % 1000))
        }
        let order = Linter.largestFirst(entries).map(Int.init)
        #expect(order.sorted() == Array(0..<200))
        func cost(_ i: Int) -> Int { entries[i].kind == .python ? entries[i].size! * 8 : entries[i].size! }
        let head = Array(order.prefix(32)), rest = Array(order.dropFirst(32))
        #expect(head.map(cost) == head.map(cost).sorted(by: >))
        #expect(rest == rest.sorted(), "the rest keeps snapshot order")
        #expect(head.map(cost).min()! >= rest.map(cost).max()!)
        // Unknown sizes or few files: snapshot order.
        #expect(Linter.largestFirst(entries.map { SnapshotEntry(path: $0.path, kind: $0.kind) }).isEmpty)
        #expect(Linter.largestFirst(Array(entries.prefix(10))).isEmpty)
    }

    @Test("source lines are filled only when asked for, never kept in the run memo, and a memo run fills them again")
    func sourceLinesOnDemand() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let reference = try Self.run(root, cache: nil)
        #expect(reference.report.findings.contains { $0.sourceLine != nil })
        let bare = try Self.run(root, cache: cacheDir, trustStat: true, sourceLines: false)
        #expect(bare.report.findings.allSatisfy { $0.sourceLine == nil })
        #expect(Self.json(bare) == Self.json(reference))  // the JSON report never prints them
        let memo = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(memo.project.files.isEmpty)  // answered from the run memo
        #expect(TextReporter().render(memo.report) == TextReporter().render(reference.report))
        #expect(memo.report.findings.map(\.sourceLine) == reference.report.findings.map(\.sourceLine))
    }

    @Test("the text report's source lines are saved beside the run memo: a warm text run decodes each finding with its line, reads no file, and falls back when they are missing, damaged or scoped")
    func memoSourceLines() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let linesFile = cacheDir.appendingPathComponent(MemoSourceLines.fileName)
        let fm = FileManager.default
        let reference = try Self.run(root, cache: nil)
        let text = TextReporter().render(reference.report)
        #expect(text.contains("ALERT_WEBHOOK") == false, "the secret's line is never printed")

        // A cold text run saves them; a cold JSON run (no source lines) does not.
        _ = try Self.run(root, cache: cacheDir, trustStat: true, sourceLines: false)
        #expect(!fm.fileExists(atPath: linesFile.path))
        try fm.removeItem(at: cacheDir)
        let cold = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(TextReporter().render(cold.report) == text)
        let saved = try #require(fm.contents(atPath: linesFile.path))
        #expect(!String(decoding: saved, as: UTF8.self).contains("k3Jd8QpZ2wLx7VbN4mTr9Ys1"), "no secret in the cache")

        // Warm: answered from the memo, the findings still encoded, each with the line the cold run printed.
        let warm = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(warm.project.files.isEmpty)
        #expect(warm.report.findings.isEncoded)
        #expect(warm.report.findings.array == cold.report.findings.array)
        #expect(TextReporter().render(warm.report) == text)

        // The saved lines are what the warm run prints: doctored ones (same key and count) show up.
        let key = String(decoding: saved[MemoSourceLines.magic.count..<(MemoSourceLines.magic.count + 64)], as: UTF8.self)
        var doctored = cold.report.findings.array
        for i in doctored.indices where doctored[i].sourceLine != nil { doctored[i].sourceLine = "DOCTORED \(i)" }
        AnalysisCache(directory: cacheDir).saveSourceLines(key: key, doctored)
        let shown = TextReporter().render(try Self.run(root, cache: cacheDir, trustStat: true).report)
        #expect(shown.contains("DOCTORED"))
        #expect(shown != text)

        // A flipped byte, a truncation, a missing file: the lines are read from the files again, and saved again.
        for damage in ["flip", "truncate", "remove"] {
            var bytes = try #require(fm.contents(atPath: linesFile.path))
            switch damage {
            case "flip": bytes[bytes.count - 3] ^= 0x20
            case "truncate": bytes.removeLast(5)
            default: bytes = Data()
            }
            if damage == "remove" { try fm.removeItem(at: linesFile) } else { try bytes.write(to: linesFile) }
            let again = try Self.run(root, cache: cacheDir, trustStat: true)
            #expect(!again.report.findings.isEncoded, "\(damage): read from the files")
            #expect(TextReporter().render(again.report) == text, "\(damage)")
            let next = try Self.run(root, cache: cacheDir, trustStat: true)
            #expect(next.report.findings.isEncoded, "\(damage): saved again")
            #expect(TextReporter().render(next.report) == text, "\(damage)")
        }

        // A scoped run takes the lines of the findings in scope from the file; its findings are not the memo's, so
        // without the file it reads the lines and saves nothing.
        let scopedText = TextReporter().render(try Self.run(root, cache: nil, reportOnly: ["predictions"]).report)
        #expect(scopedText.contains("predictions/") && !scopedText.contains("scrapers/"))
        let fromLines = try Self.run(root, cache: cacheDir, trustStat: true, reportOnly: ["predictions"])
        #expect(fromLines.project.files.isEmpty)
        #expect(TextReporter().render(fromLines.report) == scopedText)
        AnalysisCache(directory: cacheDir).saveSourceLines(key: key, doctored)
        #expect(TextReporter().render(try Self.run(root, cache: cacheDir, trustStat: true, reportOnly: ["predictions"]).report)
            .contains("DOCTORED"))
        try fm.removeItem(at: linesFile)
        let scoped = try Self.run(root, cache: cacheDir, trustStat: true, reportOnly: ["predictions"])
        #expect(TextReporter().render(scoped.report) == scopedText)
        #expect(!fm.fileExists(atPath: linesFile.path))
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

    @Test("two cold runs write byte-identical caches (entries in snapshot order), complete when the run returns")
    func coldCachesIdentical() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let dirs = (0..<2).map { _ in FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-det-\(UUID().uuidString)") }
        defer { for d in dirs { try? FileManager.default.removeItem(at: d) } }
        let runs = try dirs.map { try Self.run(root, cache: $0, trustStat: true) }
        #expect(Self.json(runs[0]) == Self.json(runs[1]))
        for name in [AnalysisCache.packName, AnalysisCache.statName, RunMemo.fileName] {
            let a = try Data(contentsOf: dirs[0].appendingPathComponent(name)), b = try Data(contentsOf: dirs[1].appendingPathComponent(name))
            #expect(a == b, "\(name)")
            #expect(a.count > 16, "\(name)")
        }
        // Every analysed file has an entry and a stat line, and the next run is answered by the run memo.
        let stat = try String(contentsOf: dirs[0].appendingPathComponent(AnalysisCache.statName), encoding: .utf8)
        #expect(stat.split(separator: "\n").count == runs[0].statistics.analysed)
        let warm = try Self.run(root, cache: dirs[0], trustStat: true)
        #expect(warm.project.files.isEmpty)
        #expect(Self.json(warm) == Self.json(runs[0]))
        try FileManager.default.removeItem(at: dirs[0].appendingPathComponent(RunMemo.fileName))
        let fromPack = try Self.run(root, cache: dirs[0], trustStat: true)
        #expect(fromPack.statistics.analysed == 0)
        #expect(fromPack.statistics.cached == runs[0].statistics.analysed)
        #expect(Self.json(fromPack) == Self.json(runs[0]))
    }

    @Test("each build has its own pack; a save keeps the packs of the two other builds written last and deletes the rest")
    func packsPerBuild() throws {
        let (root, cacheDir) = try Self.scratchWithCacheDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // The format before packs were per build, four other builds' packs (oldest first) and a file that is no pack.
        let others = ["analyses.pack", "analyses-aaaa.pack", "analyses-bbbb.pack", "analyses-cccc.pack", "analyses-dddd.pack"]
        for (age, name) in others.reversed().enumerated() {
            let url = cacheDir.appendingPathComponent(name)
            try Data("FLCACHE3\n".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3_600 * Double(age + 1))], ofItemAtPath: url.path)
        }
        try Data("x".utf8).write(to: cacheDir.appendingPathComponent("analyses-notes.txt"))
        // Deltas of a build kept and of a build deleted.
        for name in ["analyses-dddd-12-34.delta", "analyses-aaaa-12-34.delta"] {
            try Data("FLCACHE3\n".utf8).write(to: cacheDir.appendingPathComponent(name))
        }
        #expect(AnalysisCache.packName.hasPrefix("analyses-") && AnalysisCache.packName != "analyses.pack")
        let cold = try Self.run(root, cache: cacheDir)
        #expect(cold.statistics.analysed > 0)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).filter { $0.hasPrefix("analyses") })
        #expect(left == [AnalysisCache.packName, "analyses-dddd.pack", "analyses-cccc.pack", "analyses-notes.txt", "analyses-dddd-12-34.delta"])
        // The other builds' packs are not read: this build's entries answer the next run.
        let again = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(again.statistics.analysed == 0)
    }

    @Test("a run that adds a few entries writes them as a delta beside the pack; past the limits, or at a corrupt entry, the pack is written again whole")
    func deltaPacks() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let pack = cacheDir.appendingPathComponent(AnalysisCache.packName)
        func deltas() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).filter { $0.hasSuffix(".delta") }.sorted()
        }
        func edit(_ path: String, _ n: Int) throws {
            let url = root.appendingPathComponent(path)
            try Data((try String(contentsOf: url, encoding: .utf8) + "\n# edit \(n)\n").utf8).write(to: url)
        }
        /// A run answered by the pack and its deltas (not by the run memo), against a cold run of the same tree.
        func checkFromCache() throws {
            try? FileManager.default.removeItem(at: cacheDir.appendingPathComponent(RunMemo.fileName))
            let warm = try Self.run(root, cache: cacheDir)
            #expect(warm.statistics.analysed == 0, "every entry is found in the pack or a delta")
            let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-delta-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: fresh) }
            #expect(Self.json(warm) == Self.json(try Self.run(root, cache: fresh)))
        }
        // Small modules beside the fixture: a pack of 100 entries more, and small files to edit (an entry each much
        // smaller than a quarter of the pack divided by the deltas allowed).
        for n in 0..<100 {
            try Self.write(root, "gen/m\(n).py", "import json\nimport os\n\n\ndef f\(n)(x):\n    return os.path.join(x, json.dumps(\(n)))\n")
        }
        #expect(try Self.run(root, cache: cacheDir).statistics.analysed > 100)
        #expect(try deltas().isEmpty, "a cold run writes the pack")
        let packBytes = try Data(contentsOf: pack)
        let python = (0..<AnalysisCache.maxDeltas).map { "gen/m\($0).py" }

        // One edit: one analysis, one delta; the pack is left as it was.
        try edit(python[0], 0)
        #expect(try Self.run(root, cache: cacheDir).statistics.analysed == 1)
        #expect(try deltas().count == 1)
        #expect(try Data(contentsOf: pack) == packBytes)
        try checkFromCache()

        // More edits, a delta each, up to the limit; the next one writes the pack again with every entry, deltas gone.
        for n in 1..<AnalysisCache.maxDeltas {
            try edit(python[n % python.count], n)
            #expect(try Self.run(root, cache: cacheDir).statistics.analysed == 1)
        }
        #expect(try deltas().count == AnalysisCache.maxDeltas)
        try checkFromCache()
        try edit(python[1], 99)
        #expect(try Self.run(root, cache: cacheDir).statistics.analysed == 1)
        #expect(try deltas().isEmpty)
        #expect(try Data(contentsOf: pack) != packBytes)
        try checkFromCache()

        // A delta with a flipped byte: its entry is recomputed and the pack written again whole.
        try edit(python[2], 100)
        _ = try Self.run(root, cache: cacheDir)
        let delta = cacheDir.appendingPathComponent(try #require(try deltas().first))
        var bytes = try [UInt8](Data(contentsOf: delta))
        bytes[bytes.count - 1] ^= 0x01
        try Data(bytes).write(to: delta)
        try? FileManager.default.removeItem(at: cacheDir.appendingPathComponent(RunMemo.fileName))
        let afterFlip = try Self.run(root, cache: cacheDir)
        #expect(afterFlip.statistics.corruptCacheEntries == 1)
        #expect(afterFlip.statistics.analysed == 1)
        #expect(try deltas().isEmpty)
        try checkFromCache()

        // Edits of more than a quarter of the pack's bytes go into the pack, not a delta.
        for n in 0..<40 { try edit("gen/m\(n).py", 200 + n) }
        #expect(try Self.run(root, cache: cacheDir).statistics.analysed == 40)
        #expect(try deltas().isEmpty)
        try checkFromCache()
    }

    @Test("a truncated or corrupt cache is recomputed, never trusted")
    func corruptCache() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir)
        let pack = cacheDir.appendingPathComponent(AnalysisCache.packName)
        // A flipped byte inside an entry's payload (the pack's last byte) fails its checksum and is counted.
        var tail = try [UInt8](Data(contentsOf: pack))
        tail[tail.count - 1] ^= 0x01
        try Data(tail).write(to: pack)
        try Data("{ not json".utf8).write(to: cacheDir.appendingPathComponent("run.memo"))
        let afterTail = try Self.run(root, cache: cacheDir)
        #expect(afterTail.statistics.corruptCacheEntries == 1)
        #expect(afterTail.statistics.analysed == 1)
        #expect(Self.json(afterTail) == Self.json(cold))
        var bytes = try [UInt8](Data(contentsOf: pack))
        // Flip bytes in the middle of the pack (inside some entry's JSON payload).
        for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 400, by: 1) { bytes[i] ^= 0x5A }  // wider than any key: always hits a length, checksum or payload
        try Data(bytes).write(to: pack)
        try Data("{ not json".utf8).write(to: cacheDir.appendingPathComponent("run.memo"))
        // Wherever the flipped bytes land (a key, a length, a payload), nothing wrong is trusted.
        let afterFlip = try Self.run(root, cache: cacheDir)
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

    @Test("a run that changed nothing answers from the run memo; an edit or a changed non-entry file invalidates it")
    func runMemo() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(FileManager.default.fileExists(atPath: cacheDir.appendingPathComponent("run.memo").path))
        let warm = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(warm.statistics.analysed == 0)
        #expect(warm.project.files.isEmpty)  // answered from the memo: no analysis was even decoded
        #expect(Self.json(warm) == Self.json(cold))
        #expect(TextReporter().render(warm.report) == TextReporter().render(cold.report))
        // An edit: the memo no longer holds; one file is analysed again.
        let python = try #require(cold.project.files.first { $0.kind == .python }?.path)
        let url = root.appendingPathComponent(python)
        try Data((try String(contentsOf: url, encoding: .utf8) + "\nX = 1\n").utf8).write(to: url)
        let edited = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(edited.statistics.analysed == 1)
        #expect(!edited.project.files.isEmpty)
        let again = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(again.project.files.isEmpty)
        #expect(Self.json(again) == Self.json(edited))
    }

    @Test("the run memo's binary form round-trips every field and rejects a wrong key, a flipped byte or a truncation")
    func runMemoCodec() throws {
        var f = Finding(
            ruleID: "committed-secret", severity: .error, message: "m \u{01} é", help: "h", path: "a/b.py",
            range: SourceRange(line: 3, column: 2, length: 5),
            related: [RelatedLocation(path: "r.txt", range: SourceRange(line: 1, column: 1), note: "n")],
            metadata: ["k": .array(["x", 1, true, .object(["o": .object([:])])]), "n": -7], anchor: "sha", scope: "C.f", showsSource: false)
        f.fingerprint = "fl1:0123456789abcdef"
        var g = f
        g.help = nil; g.anchor = nil; g.scope = nil; g.sourceLine = "x = 1"; g.showsSource = true; g.severity = .info; g.metadata = [:]
        // Metadata repeated (decoded once, then reused by its bytes) and differing in one byte (never reused).
        var h = f
        h.metadata["n"] = -8
        var summary = LintSummary()
        summary.files = 9; summary.parseErrors = 1; summary.findingsByRule = ["committed-secret": 2]
        summary.skipped = ["binary": 1]; summary.skippedFiles = [SkippedFile(path: "p.png", reason: "binary")]
        let key = ContentHash.sha256(["k"])
        let memo = RunMemo(
            key: key, reads: [RunMemo.Read(path: "docker-compose.yml", id: String(repeating: "a", count: 40)), RunMemo.Read(path: "svc/.dockerignore", id: "-")],
            findings: [f, g, f, f, h, f, h, g, f],
            suppressions: [AppliedSuppression(rule: "r", path: "a.py", line: 2, reason: nil), AppliedSuppression(rule: "r", path: "a.py", line: 3, reason: "why")],
            summary: summary, analysed: 42)
        let bytes = memo.encoded()
        let back = try #require(RunMemo.decode(bytes, key: key))
        #expect(back.findings == memo.findings && back.reads == memo.reads && back.suppressions == memo.suppressions)
        #expect(back.summary == memo.summary && back.analysed == 42)
        #expect(RunMemo.decode(bytes, key: ContentHash.sha256(["other"])) == nil)
        for i in stride(from: RunMemo.magic.count, to: bytes.count, by: 7) {
            var flipped = bytes
            flipped[i] ^= 0x20
            #expect(RunMemo.decode(flipped, key: key) == nil, "flipped byte \(i)")
        }
        for n in [0, 5, RunMemo.magic.count + 70, bytes.count - 1] {
            #expect(RunMemo.decode(Array(bytes.prefix(n)), key: key) == nil, "truncated to \(n)")
        }
    }

    @Test("a run memo of many findings is written a piece at a time: whole words, then the rest; the same bytes as encoded()")
    func runMemoStreamed() throws {
        // 12,000 findings with distinct messages: ~850 KiB of payload, four pieces.
        let findings = (0..<12_000).map { i in
            Finding(ruleID: "unpooled-client", severity: .warning, message: "call \(i) opens a pool \(String(repeating: "x", count: i % 50))",
                    path: "svc\(i / 100)/m.py", range: SourceRange(line: i + 1, column: 3), metadata: ["callee": "requests.get"])
        }
        let key = ContentHash.sha256(["streamed"])
        let memo = RunMemo(key: key, reads: [], findings: FindingList(findings), suppressions: [], summary: LintSummary(), analysed: 12_000)
        var pieces: [[UInt8]] = []
        let header = memo.encode { pieces.append(Array($0)) }
        #expect(pieces.count > 3, "\(pieces.count) pieces")
        #expect(pieces.dropFirst().dropLast().allSatisfy { $0.count % 8 == 0 && $0.count <= (1 << 18) + 4096 })
        var written = pieces.flatMap { $0 }
        #expect(written.count > 3 << 18)
        written.replaceSubrange(RunMemo.magic.count..<(RunMemo.magic.count + header.count), with: header)
        #expect(written == memo.encoded())
        let back = try #require(RunMemo.decode(written, key: key))
        #expect(back.findings.array == findings && back.analysed == 12_000)
        // Through the cache: written to its file, read back.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("memo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = AnalysisCache(directory: dir)
        cache.saveMemo(memo)
        #expect(cache.loadMemo(key: key)?.findings.array == findings)
        // A memo of the previous format (another magic) is not read: the next run recomputes it.
        var old = written
        old.replaceSubrange(0..<RunMemo.magic.count, with: Array("FLRUN3\n".utf8))
        #expect(RunMemo.decode(old, key: key) == nil)
    }

    /// Findings of several files, rules and severities, in report order: messages and metadata that repeat (interned
    /// strings a later finding refers back to) and ones that do not, help and related locations on some.
    static func memoFindings(_ n: Int) -> [Finding] {
        var out = (0..<n).map { i in
            var f = Finding(
                ruleID: ["unpooled-client", "fixed-sleep-retry", "committed-secret"][i % 3],
                severity: [Severity.warning, .info, .error][i % 3 == 2 && i % 7 == 0 ? 2 : i % 2],
                message: i % 5 == 0 ? "call \(i) opens a pool" : "a repeated message",
                help: i % 4 == 0 ? nil : "reuse the client",
                path: "svc\(i / 40)/m\(i % 3).py", range: SourceRange(line: i % 40 + 1, column: 1 + i % 9),
                related: i % 11 == 0 ? [RelatedLocation(path: "shared/x.py", range: SourceRange(line: 2, column: 1), note: "here \(i)")] : [],
                metadata: i % 6 == 0 ? ["n": .int(i)] : ["callee": "requests.get", "inLoop": .bool(i % 2 == 0)],
                anchor: i % 3 == 0 ? "anchor \(i % 17)" : nil)
            f.fingerprint = "fl1:" + String(UInt64(i) &* 0x9E37_79B9_7F4A_7C15, radix: 16)
            return f
        }
        Finding.sortInReportOrder(&out)
        return out
    }

    @Test("a memo read back keeps its findings encoded: any finding, in any order, any range, by chunks, its counts")
    func encodedFindings() throws {
        let findings = Self.memoFindings(9_000)
        let key = ContentHash.sha256(["encoded"])
        let memo = RunMemo(key: key, reads: [], findings: FindingList(findings), suppressions: [], summary: LintSummary(), analysed: 1)
        let back = try #require(RunMemo.decode(memo.encoded(), key: key))
        #expect(back.findings.isEncoded)
        #expect(back.findings.count == findings.count)
        // Random access: each finding is decoded on its own, from the table as it stood before it.
        var order = Array(findings.indices)
        var rng = SeededGenerator(seed: 7)
        order.shuffle(using: &rng)
        for i in order.prefix(2_000) { #expect(back.findings[i] == findings[i], "finding \(i)") }
        for range in [0..<0, 0..<1, 17..<4_113, 8_999..<9_000, 0..<9_000] {
            let decoded = back.findings.withContiguousFindings(range) { Array($0) }
            #expect(decoded == Array(findings[range]), "\(range)")
        }
        var chunks: [[Finding]] = []
        back.findings.forEachChunk { chunks.append(Array($0)) }
        #expect(chunks.count == 3 && chunks.dropLast().allSatisfy { $0.count == FindingList.chunkSize })
        #expect(chunks.flatMap { $0 } == findings)
        #expect(back.findings.array == findings && back.findings == FindingList(findings))
        #expect(back.findings.highestSeverity == .error && FindingList([]).highestSeverity == nil)
        guard case .encoded(let e) = back.findings.storage else { Issue.record("not encoded"); return }
        #expect(e.tally.countsByRule == Dictionary(findings.map { ($0.ruleID, 1) }, uniquingKeysWith: +))
    }

    @Test("every report format writes the same bytes from a memo's encoded findings as from the array")
    func reportsFromEncodedFindings() throws {
        // Past JSONReporter.chunkedFrom: its findings are rendered in chunks on several threads.
        let findings = Self.memoFindings(JSONReporter.chunkedFrom + 1_500)
        let key = ContentHash.sha256(["reports"])
        let memo = RunMemo(key: key, reads: [], findings: FindingList(findings), suppressions: [], summary: LintSummary(), analysed: 1)
        let back = try #require(RunMemo.decode(memo.encoded(), key: key))
        #expect(back.findings.isEncoded)
        var summary = LintSummary()
        summary.files = 400
        let rules = try FleetLintSetup.makeLinter(configuration: Configuration()).rules
        let fromArray = Linter.report(findings: findings, summary: summary, rules: rules, rootDisplay: ".", reportOnly: nil, suppressions: [])
        let fromMemo = Linter.report(sorted: back.findings, summary: summary, rules: rules, rootDisplay: ".", reportOnly: nil, suppressions: [])
        #expect(fromMemo.findings.isEncoded)
        #expect(fromMemo.summary == fromArray.summary)
        for format in ReportFormat.allCases {
            for failOn in format == .junit ? [Severity.info, .error] : [.info] {
                let reporter = format.reporter(failOn: failOn)
                let (memoBytes, arrayBytes) = (reporter.renderBytes(fromMemo), reporter.renderBytes(fromArray))
                let same = memoBytes == arrayBytes
                let differsAt = same ? 0 : (memoBytes.indices.first { $0 >= arrayBytes.count || memoBytes[$0] != arrayBytes[$0] } ?? memoBytes.count)
                #expect(same, "\(format) --fail-on \(failOn): first difference at byte \(differsAt): \(String(decoding: memoBytes.dropFirst(max(0, differsAt - 200)).prefix(400), as: UTF8.self))")
            }
        }
        #expect(fromMemo.hasFindings(atOrAbove: .error) && fromArray.hasFindings(atOrAbove: .error))
        #expect(fromMemo.findingsBySeverity == fromArray.findingsBySeverity)
    }

    @Test("a run returns freed memory twice: after the project rules' shared values, and before the passes' findings")
    func returnsFreedMemory() throws {
        final class Calls: @unchecked Sendable {
            private let lock = NSLock()
            private var n = 0
            func add() { lock.lock(); n += 1; lock.unlock() }
            var count: Int { lock.lock(); defer { lock.unlock() }; return n }
        }
        let files = [("svc/requirements.txt", "flask==2.3.3\n"), ("svc/app.py", "import flask\nimport yaml\n")]
        var linter = try ExampleRunner.linter(for: "missing-dependency", configuration: nil)
        let calls = Calls()
        linter.returnFreedMemory = { calls.add() }
        let run = linter.run(MemorySnapshot(files: files), rootDisplay: ".", reportOnly: nil, cache: nil, releasesRuleInputs: true)
        #expect(calls.count == 2)
        #expect(run.report.findings.contains { $0.ruleID == "missing-dependency" && $0.path == "svc/app.py" })
        // Without the hook the run reports the same.
        linter.returnFreedMemory = nil
        let plain = linter.run(MemorySnapshot(files: files), rootDisplay: ".", reportOnly: nil, cache: nil, releasesRuleInputs: true)
        #expect(plain.report.findings == run.report.findings && calls.count == 2)
    }

    @Test("the stat table forgets deleted, renamed and newly excluded files at the next run that lists the working tree")
    func statTableForgetsGonePaths() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir, trustStat: true)
        func tablePaths() throws -> [String] {
            try String(contentsOf: cacheDir.appendingPathComponent(AnalysisCache.statName), encoding: .utf8)
                .split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        }
        let before = try tablePaths()
        #expect(before.count == cold.statistics.analysed && before.count > 3)
        // One file deleted, one renamed.
        let python = cold.project.files.filter { $0.kind == .python }.map(\.path)
        let (deleted, renamed) = (try #require(python.first), try #require(python.last))
        #expect(deleted != renamed)
        try FileManager.default.removeItem(at: root.appendingPathComponent(deleted))
        let moved = renamed + ".moved.py"
        try FileManager.default.moveItem(at: root.appendingPathComponent(renamed), to: root.appendingPathComponent(moved))
        let after = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(after.statistics.analysed == 1, "only the renamed file's new path is read")
        let table = try tablePaths()
        #expect(table == (before.filter { $0 != deleted && $0 != renamed } + [moved]).sorted { $0.utf8Precedes($1) })
        // The same report as a run with no cache.
        #expect(Self.json(after) == Self.json(try Self.run(root, cache: nil)))
        // A directory newly excluded by the configuration.
        #expect(table.contains { $0.hasPrefix("predictions/") })
        let config = root.appendingPathComponent("pyproject.toml")
        let text = try String(contentsOf: config, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "exclude = [\"legacy/\"]", with: "exclude = [\"legacy/\", \"predictions/\"]").utf8).write(to: config)
        _ = try Self.run(root, cache: cacheDir, trustStat: true)
        let excluded = try tablePaths()
        #expect(!excluded.isEmpty && !excluded.contains { $0.hasPrefix("predictions/") })
        #expect(excluded == table.filter { !$0.hasPrefix("predictions/") })
    }

    @Test("the project keeps a manifest's bytes, not those of the scripts and configurations the index reads once")
    func projectKeepsOnlyManifestBytes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String, _ text: String) throws { try Self.write(root, path, text) }
        let script = "#!/bin/sh\ngcloud run deploy svc --source svc\n"
        try write("svc/Dockerfile", "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"sh\", \"start.sh\"]\n")
        try write("svc/start.sh", "#!/bin/sh\nexec python main.py\n")
        try write("svc/requirements.txt", "requests==2.31.0\n")
        try write("svc/main.py", "import requests\n")
        try write("deploy/deploy.sh", script)
        try write("cloudbuild.yaml", "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, svc, svc]\n")
        let run = try Self.run(root, cache: nil)
        let project = run.project
        // The index read the scripts and the Cloud Build file (deploy evidence, the image's start command) and let
        // their bytes go; read again, they are not kept either. They hold nothing but a path, kind and blob id: plain
        // files, with no `ProjectFile` that could keep bytes, and no entry in the run memo's read log.
        for path in ["deploy/deploy.sh", "svc/start.sh", "cloudbuild.yaml"] {
            #expect(project.file(path) == nil && project.analysis(path)?.isPlain == true, "\(path) is plain")
        }
        #expect(project.contents("deploy/deploy.sh") == Array(script.utf8))
        #expect(project.file("deploy/deploy.sh") == nil && project.readLog.snapshot.isEmpty)
        // A manifest's are (its documents are parsed from them).
        #expect(project.contents("svc/requirements.txt") == Array("requests==2.31.0\n".utf8))
        #expect(!(try #require(project.file("svc/requirements.txt")).needsRead))
    }

    @Test("malformed stat-table lines are ignored, never trusted: those files are hashed again")
    func corruptStatTable() throws {
        let root = try Self.scratchCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        let cold = try Self.run(root, cache: cacheDir, trustStat: true)
        let table = cacheDir.appendingPathComponent("stat.tsv")
        let lines = try String(contentsOf: table, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count > 3)
        // A wrong blob id with a matching stat would be trusted, so every other field is mangled instead.
        var mangled = lines
        mangled[0] = mangled[0].replacingOccurrences(of: "\t", with: " ")  // no fields
        let f1 = mangled[1].split(separator: "\t", omittingEmptySubsequences: false)
        mangled[1] = ([f1[0], "12x"] + f1[2...]).joined(separator: "\t")  // size not a number
        let f2 = mangled[2].split(separator: "\t", omittingEmptySubsequences: false)
        mangled[2] = (f2.dropLast() + ["nothex"]).joined(separator: "\t")  // blob id not hex
        mangled.append("9" + String(repeating: "9", count: 30))  // one huge field
        try Data((mangled.joined(separator: "\n") + "\n").utf8).write(to: table)
        let warm = try Self.run(root, cache: cacheDir, trustStat: true)
        #expect(Self.json(warm) == Self.json(cold))
        let rewritten = try String(contentsOf: table, encoding: .utf8)
        #expect(rewritten == lines.joined(separator: "\n") + "\n", "the damaged lines are recomputed and written back")
    }

    @Test("the project memo answers .dockerignore matching and image reachability again; edits that matter invalidate it")
    func projectMemo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-memo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String, _ text: String) throws { try Self.write(root, path, text) }
        try write("svc/Dockerfile", "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n")
        try write("svc/.dockerignore", "tests/\n")
        try write("svc/requirements.txt", "requests==2.31.0\n")
        try write("svc/main.py", "import helper\n")
        try write("svc/helper.py", "import requests\n")
        try write("svc/extra.py", "import yaml\n")
        try write("svc/tests/test_main.py", "import pytest\n")
        let cacheDir = root.appendingPathComponent(".fleetlint-cache")
        func run(cached: Bool) throws -> (json: String, hits: Int) {
            let linter = try Self.linter(root: root)
            var options = LintOptions(root: root, rootDisplay: ".")
            options.useGit = false
            let cache = cached ? AnalysisCache(directory: cacheDir) : nil
            let run = linter.run(linter.workingTree(options), rootDisplay: ".", reportOnly: nil, cache: cache)
            return (Self.json(run), cache?.projectMemo.hits ?? 0)
        }
        func missing(_ json: String) -> Bool { json.contains("`yaml`") }
        let cold = try run(cached: true)
        #expect(!missing(cold.json))  // extra.py is copied in but never reached
        #expect(FileManager.default.fileExists(atPath: cacheDir.appendingPathComponent("project.memo").path))
        // A file the walk never read changes: every answer comes from the memo.
        try write("svc/extra.py", "import yaml  # still unreached\n")
        let unreadEdit = try run(cached: true)
        #expect(unreadEdit.hits == 3)  // .dockerignore, reachability, deployment evidence
        #expect(unreadEdit.json == (try run(cached: false)).json)
        // A file the walk read now imports extra.py: the stored walk is stale and extra.py's import is judged.
        try write("svc/helper.py", "import requests\nimport extra\n")
        let importEdit = try run(cached: true)
        #expect(missing(importEdit.json))
        #expect(importEdit.json == (try run(cached: false)).json)
        // The .dockerignore now leaves extra.py out of the image: recomputed, and the finding goes.
        try write("svc/.dockerignore", "tests/\nextra.py\n")
        let ignoreEdit = try run(cached: true)
        #expect(!missing(ignoreEdit.json))
        #expect(ignoreEdit.json == (try run(cached: false)).json)
        // A corrupt memo is recomputed, never trusted.
        let memo = cacheDir.appendingPathComponent("project.memo")
        var bytes = try [UInt8](Data(contentsOf: memo))
        for i in (bytes.count / 2)..<bytes.count { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: memo)
        try write("svc/main.py", "import helper  # touched\n")
        #expect((try run(cached: true)).json == (try run(cached: false)).json)
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

        // Runs that each add an entry at once, round after round: deltas written beside the pack, and the pack written
        // again (its deltas deleted) while other runs read them.
        for n in 0..<60 {
            try Self.write(root, "gen/m\(n).py", "import json\n\n\ndef f\(n)(x):\n    return json.dumps(x)\n")
        }
        _ = try Self.run(root, cache: cacheDir)
        for round in 0..<6 {
            let edited = try await withThrowingTaskGroup(of: Int.self) { group in
                for k in 0..<4 {
                    try Self.write(root, "gen/m\(round * 4 + k).py", "import json\n\n\ndef g\(round)(x):\n    return json.dumps(x)\n")
                    group.addTask { try Self.run(root, cache: cacheDir).statistics.corruptCacheEntries }
                }
                var corrupt = 0
                for try await c in group { corrupt += c }
                return corrupt
            }
            #expect(edited == 0, "round \(round)")
            if round == 0 {
                let names = try FileManager.default.contentsOfDirectory(atPath: cacheDir.path)
                #expect(names.contains { $0.hasSuffix(".delta") }, "the first round's runs wrote deltas: \(names)")
            }
        }
        try? FileManager.default.removeItem(at: cacheDir.appendingPathComponent(RunMemo.fileName))
        let fromPacks = try Self.run(root, cache: cacheDir)
        #expect(fromPacks.statistics.corruptCacheEntries == 0)
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-ref-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        #expect(Self.json(fromPacks) == Self.json(try Self.run(root, cache: fresh)))
    }

    @Test("a file over the analysis budget is a parse-error finding; the other files are analysed as usual")
    func fileBudget() throws {
        var config = try FleetLintSetup.parseConfiguration(text: "file-time-budget = 0.000001\n", path: ".fleetlint.toml", table: [])
        config.applyCommandLine(select: ["parse-error", "unpooled-client"], ignore: [], failOn: nil)
        let linter = try FleetLintSetup.makeLinter(configuration: config)
        let big = "import requests\n" + (0..<3000).map { "def f\($0)():\n    return requests.get('https://x', timeout=1)\n" }.joined()
        let report = linter.lint(virtualFiles: [("svc/big.py", big), ("README.md", "hello\n")])
        let budget = report.findings.filter { $0.ruleID == "parse-error" && $0.message.contains("analysis budget exceeded") }
        #expect(budget.map(\.path) == ["svc/big.py"])
        #expect(!report.findings.contains { $0.ruleID == "unpooled-client" })
        #expect(throws: ConfigurationError.self) {
            try FleetLintSetup.parseConfiguration(text: "file-time-budget = -1\n", path: ".fleetlint.toml", table: [])
        }
    }

    @Test("a Python file whose parse would exceed the memory budget is a parse-error finding, not parsed")
    func fileMemoryBudget() throws {
        var config = try FleetLintSetup.parseConfiguration(text: "file-memory-budget = 1\n", path: ".fleetlint.toml", table: [])
        config.applyCommandLine(select: ["parse-error", "unpooled-client"], ignore: [], failOn: nil)
        let linter = try FleetLintSetup.makeLinter(configuration: config)
        // 1 MiB of budget covers about 16 KiB of Python; this file is about 40 KiB.
        let big = "import requests\n" + (0..<800).map { "def f\($0)():\n    return requests.get('https://x')\n" }.joined()
        let small = "import requests\ndef g():\n    return requests.get('https://x')\n"
        let report = linter.lint(virtualFiles: [("svc/big.py", big), ("svc/small.py", small)])
        let budget = report.findings.filter { $0.ruleID == "parse-error" && $0.message.contains("MiB") }
        #expect(budget.map(\.path) == ["svc/big.py"])
        #expect(report.findings.filter { $0.ruleID == "unpooled-client" }.map(\.path) == ["svc/small.py"])
        #expect(throws: ConfigurationError.self) {
            try FleetLintSetup.parseConfiguration(text: "file-memory-budget = 0.5\n", path: ".fleetlint.toml", table: [])
        }
        // Counted in bytes: 2^43 MiB overflowed (a crash); more than 1 TiB is a configuration error naming the line.
        #expect(throws: ConfigurationError.self) {
            try FleetLintSetup.parseConfiguration(text: "file-memory-budget = 8796093022208\n", path: ".fleetlint.toml", table: [])
        }
        #expect((try? FleetLintSetup.parseConfiguration(text: "file-memory-budget = 1048576\n", path: ".fleetlint.toml", table: []))?
            .fileMemoryBudget == 1_048_576)
    }

    /// A version number of Int.max is too large, as 2^64 already was: the next version after it (the upper bound of
    /// `==N.*` or `~=N.1`, a caret's bound) overflowed and the run crashed. It is reported as not a valid version.
    @Test("version numbers at Int.max are reported, never overflowed", arguments: [
        ("requirements.txt", "flask~=9223372036854775807.1\n"),
        ("requirements.txt", "flask==9223372036854775807.*\nflask>=1\n"),
        ("pyproject.toml", "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\"flask~=9223372036854775807.1\"]\n"),
        ("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\ny = \"^9223372036854775807\"\n"),
        ("Dockerfile", "FROM python\nRUN pip install \"flask~=9223372036854775807.1\" \"flask==9223372036854775807.*\"\n"),
    ])
    func hugeVersionNumbers(_ path: String, _ text: String) throws {
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        let report = linter.lint(virtualFiles: [("svc/" + path, text), ("svc/app.py", "import flask\n")])
        #expect(report.summary.files == 2)
        #expect(!report.findings.contains { $0.message.localizedCaseInsensitiveContains("overflow") })
        #expect(Version("9223372036854775807") == nil && Version("9223372036854775806") != nil)
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

@Suite("Nothing vanishes, nothing drives the terminal")
struct OutputSafetyTests {
    @Test("control characters from file content never reach text or github output")
    func controlCharacters() throws {
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        let report = linter.lint(virtualFiles: [
            ("svc/app.py", "import requests\n\ndef f():\n    return requests.get('\u{1B}]0;pwned\u{07}https://x', timeout=1)\n"),
        ])
        #expect(!report.findings.isEmpty)
        for format in [ReportFormat.text, .github, .markdown] {
            let out = format.reporter().render(report)
            #expect(!out.contains("\u{1B}") && !out.contains("\u{07}"), "\(format)")
        }
    }

    @Test("skipped files are listed one by one in JSON and SARIF")
    func skippedFilesListed() throws {
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        let report = linter.lint(virtualFiles: [("img/logo.png", "\u{0}PNG"), ("svc/app.py", "x = 1\n")])
        #expect(report.summary.skippedFiles == [SkippedFile(path: "img/logo.png", reason: "binary")])
        #expect(JSONReporter().render(report).contains("\"skippedFiles\""))
        let sarif = SARIFReporter().render(report)
        #expect(sarif.contains("toolExecutionNotifications") && sarif.contains("img/logo.png"))
    }

    @Test("a FIFO in the repository is a finding, not a hang")
    func fifo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("svc"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("x = 1\n".utf8).write(to: root.appendingPathComponent("svc/app.py"))
        #expect(mkfifo(root.appendingPathComponent("svc/requirements.txt").path, 0o644) == 0)
        #expect(symlink("svc/requirements.txt", root.appendingPathComponent("link.txt").path) == 0)
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        let report = linter.lint(options)
        let paths = report.findings.filter { $0.ruleID == "parse-error" }.map(\.path)
        #expect(paths.contains("svc/requirements.txt"))
        #expect(paths.contains("link.txt"))
    }
}

@Suite("Cache payloads")
struct CachePayloadTests {
    @Test("Python facts round-trip through the binary codec exactly; truncated payloads are rejected")
    func factsRoundTrip() throws {
        var linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        linter.callPatterns = [DottedNamePattern("requests.*")]  // classes and calls are facts only with patterns
        let source = """
            from __future__ import annotations
            import os, sys as system
            try:
                import ujson as json
            except ImportError:
                import json
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from google.cloud import bigquery
            from . import sibling
            from ..pkg.mod import (a as b, c)
            class Base(object): pass
            class Child(Base, metaclass=type):
                def method(self):
                    import requests  # ünïcode comment
                    return requests

            """
        let report = linter.run(MemorySnapshot(files: [("svc/pkg/app.py", source)]), rootDisplay: ".", reportOnly: nil, cache: nil)
        let facts = try #require(report.project.file("svc/pkg/app.py")?.python)
        #expect(facts.imports.count >= 8)
        #expect(facts.classes.map(\.name) == ["Base", "Child"])
        let bytes = FactsCodec.encode(facts)
        let back = try #require(FactsCodec.decode(bytes[...], path: "svc/pkg/app.py", blob: nil)?.python)
        #expect(back.imports == facts.imports)
        #expect(back.classes == facts.classes)
        #expect(back.calls == facts.calls)
        #expect(back.isPackage == facts.isPackage && back.fullParse == facts.fullParse)
        for cut in [1, 2, bytes.count / 2, bytes.count - 1] {
            #expect(FactsCodec.decode(bytes.prefix(cut), path: "x.py", blob: nil) == nil)
        }
    }

    @Test("equal import statements of different files share one target; a check run keeps no classes or calls")
    func compactFacts() throws {
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        let source = "from typing import Any, Dict\nimport os\nclass A(object): pass\nimport requests\nrequests.get('x')\n"
        let run = linter.run(MemorySnapshot(files: [("a/app.py", source), ("b/app.py", source), ("c/other.py", "import os.path\n")]),
                             rootDisplay: ".", reportOnly: nil, cache: nil)
        let a = try #require(run.project.file("a/app.py")?.python), b = try #require(run.project.file("b/app.py")?.python)
        #expect(a.imports.map(\.module) == ["typing", "os", "requests"])
        #expect(a.imports[0].names.map(\.name) == ["Any", "Dict"] && a.imports[0].isFrom && a.imports[0].context == "module")
        #expect(zip(a.imports, b.imports).allSatisfy { $0.target === $1.target })
        let other = try #require(run.project.file("c/other.py")?.python)
        #expect(other.imports[0].target !== a.imports[1].target && other.imports[0].module == "os.path")
        #expect(a.classes.isEmpty && a.calls.isEmpty)
        #expect(MemoryLayout<ImportFact>.stride <= 16)
    }

    @Test("an import's range is packed in one word, and one that does not fit is kept whole, once")
    func importRangePacking() {
        func fact(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> ImportFact {
            ImportFact(isFrom: false, module: "m", names: ["m"], level: 0,
                       range: SourceRange(start: SourceLocation(line: l1, column: c1), end: SourceLocation(line: l2, column: c2)),
                       context: "module", isGuardedByTry: false, isTypeCheckingOnly: false)
        }
        let cases: [(Int, Int, Int, Int)] = [
            (1, 1, 1, 9), (0, 0, 0, 0), (134_217_727, 16_383, 134_217_727 + 255, 16_383),  // the largest that fit
            (134_217_728, 1, 134_217_728, 2), (5, 16_384, 5, 16_390), (5, 1, 5, 16_384), (5, 1, 261, 1),  // just past
            (9, 3, 4, 2), (-1, 1, 1, 1), (Int(Int32.max) + 5, 1, Int(Int32.max) + 5, 2),  // backwards, negative, clamped
        ]
        for (l1, c1, l2, c2) in cases {
            let f = fact(l1, c1, l2, c2), again = fact(l1, c1, l2, c2)
            let clamp = { (v: Int) in Int(Int32(clamping: v)) }
            #expect(f.range == SourceRange(start: SourceLocation(line: clamp(l1), column: clamp(c1)),
                                           end: SourceLocation(line: clamp(l2), column: clamp(c2))), "\((l1, c1, l2, c2))")
            #expect(f == again && f.hashValue == again.hashValue)
        }
        #expect(fact(1, 1, 1, 9) != fact(1, 1, 1, 10) && fact(5, 16_384, 5, 16_390) != fact(5, 16_384, 5, 16_391))
        // A range that does not fit is kept once however often a statement has it.
        let before = OverflowRanges<CompactRange>.shared.count
        for _ in 0..<100 { _ = fact(7, 20_000, 7, 20_010) }
        #expect(OverflowRanges<CompactRange>.shared.count <= before + 1)
    }

    @Test("the project memo keeps new and used entries within its byte limit, and drops corrupt ones")
    func projectMemoPruning() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-pm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = (0..<4).map { ProjectMemo.key("test", [String($0)]) }
        let first = ProjectMemo(directory: dir)
        for k in keys { first.store(k, [UInt8](repeating: 7, count: 1000)) }
        first.save()
        // A later run uses one old entry, adds one, and may keep only about two entries' worth of bytes.
        let second = ProjectMemo(directory: dir)
        second.maxBytes = 2_200
        #expect(second.value(keys[0]) == [UInt8](repeating: 7, count: 1000))
        let added = ProjectMemo.key("test", ["new"])
        second.store(added, [1, 2, 3])
        second.save()
        let third = ProjectMemo(directory: dir)
        #expect(third.value(added) == [1, 2, 3])
        #expect(third.value(keys[0]) != nil)
        #expect(keys[1...].filter { third.value($0) != nil }.count <= 1)
    }

    @Test("the project memo is written in pieces: a memo of several pieces reads back whole, in the same bytes")
    func projectMemoInPieces() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-pm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // ~300 KiB of entries, some larger than one 64 KiB piece.
        let entries = (0..<40).map { i in
            (ProjectMemo.key("test", [String(i)]), (0..<(i % 7 == 0 ? 90_000 : 5_000 + i)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) })
        }
        let first = ProjectMemo(directory: dir)
        // Before the save, a new entry is read back (from the scratch file its payload went to); the last one stored
        // under a key wins.
        first.store(entries[0].0, [1, 2, 3])
        #expect(first.value(entries[0].0) == [1, 2, 3])
        for (k, v) in entries { first.store(k, v) }
        #expect(first.value(entries[0].0) == entries[0].1 && first.value(entries[39].0) == entries[39].1)
        first.save()
        let file = dir.appendingPathComponent(ProjectMemo.fileName)
        let bytes = try Data(contentsOf: file)
        #expect(bytes.count > 300_000)
        // The bytes one buffer of the whole memo had: the entries by key, each a header and its payload.
        var whole = ProjectMemo.magic
        for (k, v) in entries.sorted(by: { $0.0.utf8Precedes($1.0) }) { PackEntries.append(k, v[...], to: &whole) }
        #expect([UInt8](bytes) == whole)
        let read = ProjectMemo(directory: dir)
        for (k, v) in entries { #expect(read.value(k) == v) }
        // Saved again by a run that adds one entry and uses the rest: every entry still there.
        let added = ProjectMemo.key("test", ["added"])
        read.store(added, [9])
        read.save()
        let again = ProjectMemo(directory: dir)
        #expect(again.value(added) == [9])
        for (k, v) in entries { #expect(again.value(k) == v) }
        // Nothing left behind but the memo.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [ProjectMemo.fileName])

        // Entries are read from the file when asked for: a flipped byte fails that entry's checksum only, and a cut
        // file keeps the entries before the cut.
        var damaged = [UInt8](try Data(contentsOf: file))
        let all = entries + [(added, [9])]
        damaged[damaged.count - 1] ^= 0xFF  // the last entry's last payload byte
        try Data(damaged).write(to: file)
        let flipped = ProjectMemo(directory: dir)
        let readable = all.filter { flipped.value($0.0) != nil }
        #expect(readable.count == all.count - 1)
        for (k, v) in readable { #expect(flipped.value(k) == v) }
        try Data(damaged.prefix(damaged.count / 2)).write(to: file)
        let cut = ProjectMemo(directory: dir)
        let kept = all.filter { cut.value($0.0) != nil }
        #expect(!kept.isEmpty && kept.count < all.count - 1)
        for (k, v) in kept { #expect(cut.value(k) == v) }
    }

    @Test("an analysis with findings round-trips in binary: facts, findings, problems, suppressions, skips")
    func mixedRoundTrip() throws {
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        let source = "import requests  # fleetlint: ignore[missing-dependency] -- vendored\nx = (\\\n  1)\nrequests.get('https://x')\n"
        let run = linter.run(MemorySnapshot(files: [
            ("svc/app.py", source), ("svc/pyproject.toml", "[project\nname = 1\n# fleetlint: ignore[\n"),
        ]), rootDisplay: ".", reportOnly: nil, cache: nil)
        for path in ["svc/app.py", "svc/pyproject.toml"] {
            var analysis = try #require(run.project.file(path)?.analysis)
            // The project keeps facts; the run moved the file-rule findings out (into the report).
            #expect(analysis.findings.isEmpty)
            analysis.findings = run.report.findings.filter { $0.path == path }
            analysis.ruleSkips = ["a skip"]
            #expect(!analysis.findings.isEmpty || !analysis.problems.isEmpty, "\(path)")
            #expect(!analysis.suppressions.isEmpty, "\(path)")
            let payload = try #require(AnalysisCache.payload(analysis))
            #expect(payload.first == FactsCodec.mixedMarker)
            let back = try #require(FactsCodec.decodeMixed(payload[...], path: path, blob: nil))
            #expect(back.python?.imports == analysis.python?.imports && back.python?.calls == analysis.python?.calls)
            #expect((back.python == nil) == (analysis.python == nil))
            #expect(back.kind == analysis.kind && back.skipped == analysis.skipped && back.ruleSkips == analysis.ruleSkips)
            #expect(back.findings == analysis.findings && back.problems == analysis.problems)
            #expect(back.suppressions == analysis.suppressions && back.continuedLines == analysis.continuedLines)
            for cut in [1, 4, payload.count / 2, payload.count - 1] {
                #expect(FactsCodec.decodeMixed(payload.prefix(cut), path: path, blob: nil) == nil)
            }
        }
    }
}
