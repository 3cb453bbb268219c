@testable import FleetLintAdoption
@testable import FleetLintCore
import FleetLintRules
import Foundation
import Testing
import TestSupport

/// `fleetlint adoption` over a scripted git history.
@Suite("Adoption")
struct AdoptionTests {
    static let pool = """
        from google.cloud import bigquery

        _client = None

        def get_bigquery_client():
            global _client
            if _client is None:
                _client = bigquery.Client()
            return _client
        """

    static let legacyBase = """
        from google.cloud import bigquery

        class BaseProcessor:
            def __init__(self):
                self.client = bigquery.Client()
        """

    static let pooledBase = """
        from shared.clients.bigquery_pool import get_bigquery_client

        class BaseProcessor:
            def __init__(self):
                self.client = get_bigquery_client()
        """

    static let fixedRetry = """
        import time

        def fetch(session, url):
            for attempt in range(5):
                try:
                    return session.get(url)
                except TimeoutError:
                    time.sleep(2)
        """

    /// The scripted history: five commits, one a day from 2024-03-01.
    static func makeRepo() throws -> (TempGitRepo, [String]) {
        let repo = try TempGitRepo(name: "adoption")
        var commits: [String] = []
        // 1. A legacy base class, a subclass in another file, module-level requests, a fixed-sleep retry.
        try repo.write("shared/__init__.py", "")
        try repo.write("shared/clients/__init__.py", "")
        try repo.write("shared/clients/bigquery_pool.py", pool)
        try repo.write("shared/base.py", legacyBase)
        try repo.write("svc_a/proc.py", "from shared.base import BaseProcessor\n\nclass AProc(BaseProcessor):\n    pass\n")
        try repo.write("svc_b/job.py", "import requests\n\ndef f(url):\n    return requests.get(url)\n\ndef g(url):\n    return requests.post(url, json={})\n")
        try repo.write("svc_b/fetch.py", fixedRetry)
        commits.append(try repo.commitAll("legacy everywhere", date: "2024-03-01T12:00:00Z"))
        // 2. The base adopts the pool: AProc and, transitively, Special (another file) get credit.
        //    A new module-level legacy client; a jittered retry decorator.
        try repo.write("shared/base.py", pooledBase)
        try repo.write("svc_a/special.py", "from svc_a.proc import AProc\n\nclass Special(AProc):\n    def run(self):\n        return 1\n")
        try repo.write("svc_c/other.py", "from google.cloud import bigquery\n\nCLIENT = bigquery.Client()\n")
        try repo.write("svc_b/retry.py", "from shared.retry import retry_with_jitter\n\n@retry_with_jitter\ndef call():\n    return 1\n")
        commits.append(try repo.commitAll("base adopts the pool", date: "2024-03-02T12:00:00Z"))
        // 3. Files move (the subclass and the legacy module); a test file; a vendored copy of shared/.
        for dir in ["svc_a/processors", "svc_c/jobs"] {
            try FileManager.default.createDirectory(at: repo.url.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try repo.git("mv", "svc_a/proc.py", "svc_a/processors/proc.py")
        try repo.write("svc_a/special.py", "from svc_a.processors.proc import AProc\n\nclass Special(AProc):\n    def run(self):\n        return 1\n")
        try repo.git("mv", "svc_c/other.py", "svc_c/jobs/other.py")
        try repo.write("tests/test_job.py", "import requests\n\ndef test_get():\n    assert requests.get('http://x')\n")
        try repo.write("svc_d/shared/__init__.py", "")
        try repo.write("svc_d/shared/clients/__init__.py", "")
        try repo.write("svc_d/shared/clients/bigquery_pool.py", pool)
        try repo.write("svc_d/shared/base.py", pooledBase)
        commits.append(try repo.commitAll("move, tests, vendored copy", date: "2024-03-03T12:00:00Z"))
        // 4. svc_b migrates one call to the pooled session.
        try repo.write("svc_b/job.py", "import requests\nfrom shared.http_pool import get_http_session\n\ndef f(url):\n    return get_http_session().get(url)\n\ndef g(url):\n    return requests.post(url, json={})\n")
        commits.append(try repo.commitAll("svc_b adopts the session", date: "2024-03-04T12:00:00Z"))
        // 5. A regression: a new legacy client and a new requests call.
        try repo.write("svc_e/new.py", "from google.cloud import bigquery\n\ndef q():\n    return bigquery.Client().query('x')\n")
        try repo.write("svc_b/job.py", "import requests\nfrom shared.http_pool import get_http_session\n\ndef f(url):\n    return get_http_session().get(url)\n\ndef g(url):\n    return requests.post(url, json={})\n\ndef h(url):\n    return requests.put(url)\n")
        commits.append(try repo.commitAll("regression", date: "2024-03-05T12:00:00Z"))
        return (repo, commits)
    }

    static func runner(_ repo: TempGitRepo, cache: URL?, options: FigureOptions = FigureOptions()) throws -> AdoptionRunner {
        let config = try FleetLintSetup.loadConfiguration(root: repo.url)
        let migrations = try Migration.load(configuration: config, knownRules: FleetLintSetup.knownRuleIDs)
        let engine = try AdoptionEngine(configuration: config, root: repo.url, migrations: migrations, cacheDirectory: cache)
        return AdoptionRunner(engine: engine, repository: GitRepository(root: repo.path), options: options, cacheDirectory: cache)
    }

    static func summary(_ f: MigrationFigures) -> String {
        func p(_ d: Double?) -> String { d.map { String($0) } ?? "-" }
        return "\(f.id) L\(f.legacy.calls)/\(f.legacy.files) A\(f.adopted.calls)/\(f.adopted.files) mix\(f.mixedFiles)"
            + " \(p(f.percent)) files \(p(f.filePercent)) eff \(p(f.effectivePercent)) (\(f.effective.adoptedFiles)/\(f.effective.files) +\(f.effective.inheritedFiles))"
            + " tests L\(f.tests.legacy.calls) A\(f.tests.adopted.calls) vendored L\(f.vendored.legacy.calls) A\(f.vendored.adopted.calls)"
    }

    static func summary(_ p: AdoptionPoint) -> [String] { p.migrations.map(summary) }

    static let expected: [[String]] = [
        [   // 1: base.py legacy; AProc inherits the legacy status (in the effective universe, not adopted).
            "bigquery-pool L1/1 A0/0 mix0 0.0 files 0.0 eff 0.0 (0/2 +0) tests L0 A0 vendored L0 A0",
            "http-pool L2/1 A0/0 mix0 0.0 files 0.0 eff 0.0 (0/1 +0) tests L0 A0 vendored L0 A0",
            "retry-jitter L1/1 A0/0 mix0 0.0 files 0.0 eff 0.0 (0/1 +0) tests L0 A0 vendored L0 A0",
        ],
        [   // 2: base.py adopted; proc.py and special.py (transitively, across files) credited; other.py legacy.
            "bigquery-pool L1/1 A1/1 mix0 50.0 files 50.0 eff 75.0 (3/4 +2) tests L0 A0 vendored L0 A0",
            "http-pool L2/1 A0/0 mix0 0.0 files 0.0 eff 0.0 (0/1 +0) tests L0 A0 vendored L0 A0",
            "retry-jitter L1/1 A1/1 mix0 50.0 files 50.0 eff 50.0 (1/2 +0) tests L0 A0 vendored L0 A0",
        ],
        [   // 3: moves change nothing; the test file and the vendored copy are counted apart.
            "bigquery-pool L1/1 A1/1 mix0 50.0 files 50.0 eff 75.0 (3/4 +2) tests L0 A0 vendored L0 A1",
            "http-pool L2/1 A0/0 mix0 0.0 files 0.0 eff 0.0 (0/1 +0) tests L1 A0 vendored L0 A0",
            "retry-jitter L1/1 A1/1 mix0 50.0 files 50.0 eff 50.0 (1/2 +0) tests L0 A0 vendored L0 A0",
        ],
        [   // 4: one requests call moved to the pooled session (get_http_session counts as the adopted site).
            "bigquery-pool L1/1 A1/1 mix0 50.0 files 50.0 eff 75.0 (3/4 +2) tests L0 A0 vendored L0 A1",
            "http-pool L1/1 A1/1 mix1 50.0 files 0.0 eff 0.0 (0/1 +0) tests L1 A0 vendored L0 A0",
            "retry-jitter L1/1 A1/1 mix0 50.0 files 50.0 eff 50.0 (1/2 +0) tests L0 A0 vendored L0 A0",
        ],
        [   // 5: regression in both pools.
            "bigquery-pool L2/2 A1/1 mix0 33.3 files 33.3 eff 60.0 (3/5 +2) tests L0 A0 vendored L0 A1",
            "http-pool L2/1 A1/1 mix1 33.3 files 0.0 eff 0.0 (0/1 +0) tests L1 A0 vendored L0 A0",
            "retry-jitter L1/1 A1/1 mix0 50.0 files 50.0 eff 50.0 (1/2 +0) tests L0 A0 vendored L0 A0",
        ],
    ]

    @Test("exact figures at every commit: inheritance across files, a move, a vendored copy, tests apart")
    func everyCommit() throws {
        let (repo, commits) = try Self.makeRepo()
        let runner = try Self.runner(repo, cache: nil)
        let history = try AdoptionHistory.firstParent(GitRepository(root: repo.path))
        #expect(history.map(\.id) == commits.reversed())
        let points = try runner.history(AdoptionHistory.points(history, step: .commits(1), since: nil, until: nil), progress: nil)
        #expect(points.map(\.commit) == commits)
        for (i, p) in points.enumerated() {
            #expect(Self.summary(p) == Self.expected[i], "commit \(i + 1)")
        }
        // Directories and remaining files follow the move.
        let bq2 = try #require(points[1].figures("bigquery-pool")), bq3 = try #require(points[2].figures("bigquery-pool"))
        #expect(bq2.remaining == [RemainingFile(path: "svc_c/other.py", legacy: 1, adopted: 0)])
        #expect(bq3.remaining == [RemainingFile(path: "svc_c/jobs/other.py", legacy: 1, adopted: 0)])
        #expect(bq3.directories.map(\.path) == ["shared", "svc_c/jobs"])
        #expect(bq3.directories.map(\.percent) == [100.0, 0.0])
        #expect(points[1].vendoredCopies.isEmpty)
        #expect(points[2].vendoredCopies == ["svc_d/shared": "shared"])
        // Each blob analysed once: fewer analyses than files over all points.
        let s = runner.engine.statistics
        #expect(s.analysed == s.distinctFiles)
        #expect(s.distinctFiles < s.pointFiles)
    }

    @Test("--include-tests counts test files with the rest")
    func includeTests() throws {
        let (repo, commits) = try Self.makeRepo()
        let runner = try Self.runner(repo, cache: nil, options: FigureOptions(depth: 1, includeTests: true))
        let p = try runner.figures(at: commits[2])
        let http = try #require(p.figures("http-pool"))
        #expect(http.legacy == SiteCount(calls: 3, files: 2))
        #expect(http.directories.map(\.path) == ["svc_b", "tests"])
    }

    @Test("the ratchet catches the regression and names the files; a clean step passes")
    func ratchet() throws {
        let (repo, commits) = try Self.makeRepo()
        let cache = repo.url.appendingPathComponent(".fleetlint-cache")
        let runner = try Self.runner(repo, cache: cache)
        let p3 = try runner.figures(at: commits[2]), p4 = try runner.figures(at: commits[3]), p5 = try runner.figures(at: commits[4])
        #expect(Ratchet.regressions(base: p3, current: p4).isEmpty)
        let regressions = Ratchet.regressions(base: p4, current: p5)
        #expect(regressions.map(\.migration) == ["bigquery-pool", "http-pool"])
        #expect(regressions[0].files.map(\.path) == ["svc_e/new.py"])
        #expect(regressions[1].files.map { "\($0.path) \($0.before)→\($0.after)" } == ["svc_b/job.py 1→2"])
        #expect(regressions[1].message.contains("percent fell from 50.0% to 33.3%"))
        // The base figures come from the figures cache on a second run (nothing listed or analysed).
        let warm = try Self.runner(repo, cache: cache)
        #expect(try warm.figures(at: commits[3]) == p4)
        #expect(warm.engine.statistics.cachedPoints == 1)
        #expect(warm.engine.statistics.analysed == 0)
        #expect(try Ratchet.floors(["40"], point: p5) == ["bigquery-pool: 33.3% is under the floor of 40.0%", "http-pool: 33.3% is under the floor of 40.0%"])
        #expect(try Ratchet.floors(["30", "retry-jitter=60"], point: p5) == ["retry-jitter: 50.0% is under the floor of 60.0%"])
        #expect(throws: ConfigurationError.self) { try Ratchet.floors(["nope=3"], point: p5) }
    }

    @Test("a warm history analyses nothing and gives the same figures; the working tree agrees with HEAD")
    func warmHistory() throws {
        let (repo, _) = try Self.makeRepo()
        let cache = repo.url.appendingPathComponent(".fleetlint-cache")
        let history = try AdoptionHistory.firstParent(GitRepository(root: repo.path))
        let points = AdoptionHistory.points(history, step: .day, since: nil, until: nil)
        #expect(points.map(\.commit.id) == history.reversed().map(\.id))
        let cold = try Self.runner(repo, cache: cache).history(points, progress: nil)
        // Analysis cache only (the figures cache removed): nothing parsed.
        try FileManager.default.removeItem(at: cache.appendingPathComponent("adoption.memo"))
        let warmRunner = try Self.runner(repo, cache: cache)
        #expect(try warmRunner.history(points, progress: nil) == cold)
        #expect(warmRunner.engine.statistics.analysed == 0)
        #expect(warmRunner.engine.statistics.cached == warmRunner.engine.statistics.distinctFiles)
        let tree = try Self.runner(repo, cache: nil)
        var options = LintOptions(root: repo.url, rootDisplay: ".")
        options.useGit = true
        let work = tree.figures(snapshot: tree.engine.linter.workingTree(options))
        #expect(work.migrations == cold.last!.migrations)
    }

    @Test("the figures cache keeps the newest points within its bounds, and a corrupt cache is recomputed")
    func figuresCacheBounds() throws {
        let (repo, commits) = try Self.makeRepo()
        let cache = repo.url.appendingPathComponent(".fleetlint-cache")
        let points = AdoptionHistory.points(try AdoptionHistory.firstParent(GitRepository(root: repo.path)), step: .commits(1), since: nil, until: nil)
        let cold = try Self.runner(repo, cache: cache)
        cold.figuresCache?.maxEntries = 2
        let all = try cold.history(points, progress: nil)
        let fingerprint = cold.engine.fingerprint
        let stored = FiguresCache(directory: cache)
        let kept = commits.map { stored.lookup(FiguresCache.key(commit: $0, fingerprint: fingerprint, options: FigureOptions())) != nil }
        #expect(kept == [false, false, false, true, true])
        var newest = all[4]
        newest.date = nil  // a history's point date, not the commit's figures
        #expect(stored.lookup(FiguresCache.key(commit: commits[4], fingerprint: fingerprint, options: FigureOptions())) == newest)
        // Bytes of every entry flipped: nothing is trusted, the figures are computed again and equal.
        let memo = cache.appendingPathComponent(FiguresCache.fileName)
        var bytes = try [UInt8](Data(contentsOf: memo))
        for i in bytes.indices where i >= 16 && i % 7 == 3 { bytes[i] ^= 0x5A }  // past the magic: entries, keys, checksums
        try Data(bytes).write(to: memo)
        let again = try Self.runner(repo, cache: cache)
        #expect(try again.history(points, progress: nil) == all)
        #expect(again.engine.statistics.cachedPoints == 0)
        // A history longer than `figuresCachePoints` neither reads nor writes it.
        try FileManager.default.removeItem(at: memo)
        let long = try Self.runner(repo, cache: cache)
        long.figuresCachePoints = 4
        #expect(try long.history(points, progress: nil) == all)
        #expect(!FileManager.default.fileExists(atPath: memo.path))
        let short = try Self.runner(repo, cache: cache)
        short.figuresCachePoints = 5
        #expect(try short.history(points, progress: nil) == all)
        #expect(FileManager.default.fileExists(atPath: memo.path))
    }

    @Test("a site belongs to the innermost class around it: nested classes, the statement right after a block, module level, the end of the file")
    func siteOwners() throws {
        let repo = try TempGitRepo(name: "adoption-owners")
        // `c` and `d` sit where the blocks before them end in the parser's ranges (their DEDENT): they were taken for
        // `Inner`'s and `Next`'s.
        let source = """
            from google.cloud import bigquery

            class Outer:
                a = bigquery.Client()

                class Inner:
                    b = bigquery.Client()
                c = bigquery.Client()

            class Next:
                pass
                # a comment closing the block
            d = bigquery.Client()

            class Last:
                e = bigquery.Client(
                    project="p",
                )
            """
        let engine = try Self.runner(repo, cache: nil).engine
        let tree = engine.ensure(snapshot: MemorySnapshot(files: [(path: "svc/m.py", contents: source)]))
        let facts = try #require(engine.facts(tree[0]))
        #expect(facts.classes.map(\.fullName) == ["svc.m.Outer", "svc.m.Inner", "svc.m.Next", "svc.m.Last"])
        let bigquery = try #require(engine.migrations.firstIndex { $0.id == "bigquery-pool" })
        #expect(facts.sites[bigquery].legacy == 5)
        #expect(facts.sites[bigquery].legacyClasses == [0, 1, 3])  // a, c in Outer; b in Inner; e in Last; d in none
    }

    @Test("a block's last line: its DEDENT's line backed up over blank lines, a genuine end kept, the end of the file")
    func blockEndLines() {
        func end(_ src: String, _ start: Int, _ endLine: Int, _ endColumn: Int) -> Int {
            var lines: LineStarts?
            return PythonFactsExtractor.blockEndLine(
                SourceRange(start: SourceLocation(line: start, column: 1), end: SourceLocation(line: endLine, column: endColumn)),
                source: Array(src.utf8), lines: &lines)
        }
        let src = "class A:\n    x = 1\n\n  \t\nd = 2\n    y = f(\n      1)\n"
        #expect(end(src, 1, 5, 1) == 2)   // the DEDENT at `d`: back over two blank lines
        #expect(end(src, 1, 7, 9) == 7)   // a genuine end (after `1)`)
        #expect(end(src, 6, 8, 1) == 7)   // the end of the file
        #expect(end(src, 1, 1, 9) == 1)   // one line
        #expect(end("class A:\r\n    x = 1\r\n\r\nd = 2\r\n", 1, 4, 1) == 2)  // CRLF
    }

    @Test("week and month points take the last commit at or before each point")
    func points() {
        let day = 86_400
        let commits = [HistoryCommit(id: "c", time: 20 * day), HistoryCommit(id: "b", time: 9 * day), HistoryCommit(id: "a", time: 0)]
        let weekly = AdoptionHistory.points(commits, step: .week, since: nil, until: nil)
        #expect(weekly.map(\.time) == [6 * day, 13 * day, 20 * day])
        #expect(weekly.map(\.commit.id) == ["a", "b", "c"])
        #expect(AdoptionHistory.points(commits, step: .commits(2), since: nil, until: nil).map(\.commit.id) == ["a", "c"])
        #expect(AdoptionHistory.points(commits, step: .week, since: nil, until: 12 * day).map(\.commit.id) == ["a", "b"])
    }

    @Test("migrations configuration: defaults, overrides, errors with file:line")
    func configuration() throws {
        let text = """
            [tool.fleetlint]

            [[tool.fleetlint.migrations]]
            id = "http-pool"
            enabled = false

            [[tool.fleetlint.migrations]]
            id = "storage-pool"
            description = "GCS clients from the pool"
            legacy = ["google.cloud.storage.Client"]
            adopted = ["*.storage_pool.get_storage_client"]
            """
        let config = try FleetLintSetup.parseConfiguration(text: text, path: "pyproject.toml", table: ["tool", "fleetlint"])
        let migrations = try Migration.load(configuration: config, knownRules: FleetLintSetup.knownRuleIDs, text: text)
        #expect(migrations.map(\.id) == ["bigquery-pool", "retry-jitter", "storage-pool"])
        #expect(migrations[2].adopted == [.callee(DottedNamePattern("*.storage_pool.get_storage_client"))])

        let bad = """
            [tool.fleetlint]

            [[tool.fleetlint.migrations]]
            id = "a"
            legacy = ["x.y"]
            adopted = ["z"]

            [[tool.fleetlint.migrations]]
            id = "b"
            legacy = ["not a name"]
            adopted = ["z"]
            """
        let badConfig = try FleetLintSetup.parseConfiguration(text: bad, path: "pyproject.toml", table: ["tool", "fleetlint"])
        #expect(throws: ConfigurationError(file: "pyproject.toml", line: 10,
                                           message: "`not a name` in `legacy` of migration `b` is neither a qualified callee (`pkg.module.name`, `*` globs allowed) nor a rule id")) {
            try Migration.load(configuration: badConfig, knownRules: FleetLintSetup.knownRuleIDs, text: bad)
        }
        let unknownKey = "[[tool.fleetlint.migrations]]\nid = \"a\"\nlegacy = [\"x\"]\nadopted = [\"y\"]\nlegasy = [\"x\"]\n"
        let c2 = try FleetLintSetup.parseConfiguration(text: unknownKey, path: "pyproject.toml", table: ["tool", "fleetlint"])
        #expect(throws: ConfigurationError.self) { try Migration.load(configuration: c2, knownRules: FleetLintSetup.knownRuleIDs, text: unknownKey) }
        do {
            _ = try Migration.load(configuration: c2, knownRules: FleetLintSetup.knownRuleIDs, text: unknownKey)
        } catch {
            #expect(error.line == 5)
            #expect(error.message.hasPrefix("unknown key `legasy`"))
        }
        // The same with CRLF line breaks.
        let crlf = unknownKey.replacingOccurrences(of: "\n", with: "\r\n")
        let c3 = try FleetLintSetup.parseConfiguration(text: crlf, path: "pyproject.toml", table: ["tool", "fleetlint"])
        do {
            _ = try Migration.load(configuration: c3, knownRules: FleetLintSetup.knownRuleIDs, text: crlf)
            Issue.record("an unknown key in a CRLF file was accepted")
        } catch {
            #expect(error.line == 5)
        }
    }

    @Test("vendored copies: a directory duplicating another by content")
    func vendored() {
        func b(_ s: String) -> BlobID { BlobID.of(Array(s.utf8)) }
        let tree = [
            PathBlob(path: "lib/a.py", blob: b("a")), PathBlob(path: "lib/sub/b.py", blob: b("b")),
            PathBlob(path: "svc/vendor/lib/a.py", blob: b("a")), PathBlob(path: "svc/vendor/lib/sub/b.py", blob: b("b")),
            PathBlob(path: "svc/app.py", blob: b("app")),
            // One equal file is not a vendored directory.
            PathBlob(path: "x/one.py", blob: b("one")), PathBlob(path: "y/one.py", blob: b("one")),
        ]
        let copies = VendoredDirectories.detect(tree)
        #expect(copies == ["svc/vendor/lib": "lib"])  // `lib/sub` alone holds one file: too little to call a copy
        #expect(VendoredDirectories.isVendored("svc/vendor/lib/sub/b.py", copies: copies))
        #expect(!VendoredDirectories.isVendored("lib/a.py", copies: copies))

        // The text report lists them one per line, the first `remainingLimit`, then a count.
        var many: [String: String] = [:]
        for n in 0..<4 { many["svc\(n)/vendor/lib"] = "lib" }
        let text = AdoptionText.render(AdoptionPoint(date: nil, commit: nil, commitDate: nil, figures: ([], many)), remainingLimit: 3)
        #expect(text.contains("""

            vendored copies, counted apart (4):
              svc0/vendor/lib (= lib)
              svc1/vendor/lib (= lib)
              svc2/vendor/lib (= lib)
              … and 1 more (the JSON report lists every one)

            """), "\(text)")
    }

    @Test("JSON contract, Markdown checklist, CSV and the chart render")
    func formats() throws {
        let (repo, commits) = try Self.makeRepo()
        let runner = try Self.runner(repo, cache: nil)
        let p = try runner.figures(at: commits[4])
        let json = AdoptionJSON.render(p, root: ".")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let bq = try #require((object["migrations"] as? [String: Any])?["bigquery-pool"] as? [String: Any])
        #expect((bq["legacy"] as? [String: Int]) == ["calls": 2, "files": 2])
        #expect(bq["percent"] as? Double == 33.3)
        #expect(bq["effectivePercent"] as? Double == 60.0)
        #expect((bq["remaining"] as? [[String: Any]])?.count == 2)
        #expect(object["commit"] as? String == commits[4])
        let md = AdoptionText.markdown(p)
        #expect(md.contains("- [ ] `svc_b/job.py` — 2 legacy, 1 adopted"))
        #expect(AdoptionText.csv([p]).split(separator: "\n").count == 4)
        let history = try runner.history(
            AdoptionHistory.points(AdoptionHistory.firstParent(GitRepository(root: repo.path)), step: .day, since: nil, until: nil), progress: nil)
        let svg = AdoptionChart.svg(history)
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.contains("2024-03-0"))
        let html = AdoptionChart.html(history, root: ".")
        #expect(html.contains("<svg") && html.contains("svc_e/new.py"))
        let historyJSON = try #require(try JSONSerialization.jsonObject(with: Data(AdoptionJSON.render(history: history, root: ".").utf8)) as? [String: Any])
        #expect((historyJSON["points"] as? [[String: Any]])?.map { $0["date"] as? String } == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"])
        // Written a point at a time, the bytes JSONEncoder gives for the whole document (0, 1 and 5 points).
        for points in [[], [history[0]], history] {
            let whole = AdoptionJSON.encode(AdoptionJSON.History(root: "a \"root\"/x", points: points.map(AdoptionJSON.PointRecord.init)), pretty: true) + "\n"
            var pieces: [String] = []
            AdoptionJSON.render(history: points, root: "a \"root\"/x") { pieces.append($0) }
            #expect(pieces.joined() == whole)
            #expect(pieces.count == (points.isEmpty ? 1 : points.count + 2))
        }
    }

    @Test("a history replayed from one git log equals each commit listed alone: deletions, renames, modes, symlinks, excludes, merges, an oversized file")
    func replayEqualsListing() throws {
        let repo = try TempGitRepo(name: "adoption-replay")
        try repo.write("pyproject.toml", "[tool.fleetlint]\nexclude = [\"build/\"]\n")
        try repo.write("shared/base.py", Self.legacyBase)
        try repo.write("svc_a/proc.py", "from shared.base import BaseProcessor\n\nclass AProc(BaseProcessor):\n    pass\n")
        try repo.write("svc_b/job.py", "import requests\n\ndef f(url):\n    return requests.get(url)\n")
        try repo.write("build/gen.py", "import requests\nrequests.get('http://x')\n")  // excluded
        try repo.write("README.md", "docs\n")
        // An NFC and an NFD spelling of one name: equal Strings, two files to git.
        try repo.write("svc_n/caf\u{E9}.py", "import requests\nrequests.get('http://x')\n")
        try repo.write("svc_n/cafe\u{301}.py", "import requests\nrequests.get('http://x')\n")
        _ = try repo.commitAll("one", date: "2024-03-01T12:00:00Z")
        // Only a non-Python change: the same Python files (the figures are reused, and must still be equal).
        try repo.write("README.md", "more docs\n")
        _ = try repo.commitAll("docs", date: "2024-03-02T12:00:00Z")
        // A rename (a deletion and an addition without --find-renames), an executable bit, a symlink in a file's place.
        try FileManager.default.createDirectory(at: repo.url.appendingPathComponent("svc_c"), withIntermediateDirectories: true)
        try repo.git("mv", "svc_b/job.py", "svc_c/job.py")
        try repo.git("update-index", "--chmod=+x", "svc_a/proc.py")
        try repo.remove("shared/base.py")
        try FileManager.default.createSymbolicLink(atPath: repo.url.appendingPathComponent("shared/base.py").path, withDestinationPath: "../svc_a/proc.py")
        _ = try repo.commitAll("rename, mode, symlink", date: "2024-03-03T12:00:00Z")
        // A side branch merged: the merge's first-parent diff brings its files.
        try repo.git("checkout", "-q", "-b", "side")
        try repo.write("svc_d/new.py", "from google.cloud import bigquery\n\nC = bigquery.Client()\n")
        _ = try repo.commitAll("side", date: "2024-03-04T12:00:00Z")
        try repo.git("checkout", "-q", "main")
        try repo.write("svc_a/other.py", "import requests\nrequests.post('http://x')\n")
        _ = try repo.commitAll("main moves on", date: "2024-03-05T12:00:00Z")
        try repo.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"], date: "2024-03-06T12:00:00Z")
        // The symlink a file again; a file over the size limit (left out of a tree listing); a file deleted.
        try repo.remove("shared/base.py")
        try repo.write("shared/base.py", Self.pooledBase)
        try repo.write("svc_e/huge.py", "import requests\nrequests.get('http://x')\n" + String(repeating: "#", count: 16 * 1024 * 1024))
        try repo.remove("svc_a/other.py")
        _ = try repo.commitAll("back", date: "2024-03-07T12:00:00Z")
        try repo.remove("svc_e/huge.py")
        try repo.write("svc_e/small.py", "import requests\nrequests.get('http://x')\n")
        _ = try repo.commitAll("smaller", date: "2024-03-08T12:00:00Z")

        let history = try AdoptionHistory.firstParent(GitRepository(root: repo.path))
        #expect(history.count == 7)
        let replayed = try Self.runner(repo, cache: nil).history(
            AdoptionHistory.points(history, step: .commits(1), since: nil, until: nil), progress: nil)
        #expect(replayed.map(\.commit) == history.reversed().map(\.id))
        var seen = Set<String>()
        for (i, point) in replayed.enumerated() {
            let alone = try Self.runner(repo, cache: nil).figures(at: point.commit!)
            #expect(point.migrations == alone.migrations, "commit \(i + 1)")
            #expect(point.vendoredCopies == alone.vendoredCopies, "commit \(i + 1)")
            seen.insert(Self.summary(point).joined(separator: "\n"))
        }
        #expect(seen.count >= 5)  // the history's figures do change
        let first = try #require(replayed.first?.figures("http-pool"))
        #expect(first.remaining.filter { $0.path.hasPrefix("svc_n/") }.map { Array($0.path.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                == [Array("svc_n/cafe\u{301}.py".utf8), Array("svc_n/caf\u{E9}.py".utf8)])
        let last = try #require(replayed.last?.figures("http-pool"))
        #expect(last.remaining.map(\.path).filter { !$0.hasPrefix("svc_n/") } == ["svc_c/job.py", "svc_e/small.py"])
        #expect(try #require(replayed[5].figures("http-pool")).remaining.map(\.path).filter { !$0.hasPrefix("svc_n/") } == ["svc_c/job.py"])  // huge.py left out
        // Without a repository, a history is an error, not a crash.
        let config = try FleetLintSetup.loadConfiguration(root: repo.url)
        let engine = try AdoptionEngine(configuration: config, root: repo.url,
                                        migrations: try Migration.load(configuration: config, knownRules: FleetLintSetup.knownRuleIDs), cacheDirectory: nil)
        let detached = AdoptionRunner(engine: engine, repository: nil, options: FigureOptions(), cacheDirectory: nil)
        #expect(throws: GitError.self) {
            try detached.history(AdoptionHistory.points(history, step: .commits(1), since: nil, until: nil), progress: nil)
        }
        // A commit off HEAD's first-parent line (the side branch's) among the points: listed alone, the same figures.
        let side = try repo.git("rev-parse", "side").trimmingCharacters(in: .whitespacesAndNewlines)
        let mixed = try Self.runner(repo, cache: nil).history(
            [(history.last!.time, history.last!), (history[0].time, HistoryCommit(id: side, time: history[0].time))], progress: nil)
        #expect(mixed.map(\.commit) == [history.last!.id, side])
        #expect(mixed[0].migrations == replayed[0].migrations)
        #expect(mixed[1].migrations == (try Self.runner(repo, cache: nil).figures(at: side)).migrations)
        #expect(try #require(mixed[1].figures("bigquery-pool")).remaining.map(\.path).contains("svc_d/new.py"))
        // Day points: several dates share a commit, and the replay stops at the newest one asked for.
        let early = try Self.runner(repo, cache: nil).history(
            AdoptionHistory.points(history, step: .day, since: nil, until: AdoptionHistory.parseDate("2024-03-04", endOfDay: true)),
            progress: nil)
        #expect(early.map(\.date) == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"])
        #expect(early.map(\.migrations) == [replayed[0], replayed[1], replayed[2], replayed[2]].map(\.migrations))
    }

    @Test("a CSV field holding any line break is quoted (a CRLF is one Character, not equal to LF)")
    func csvLineBreaks() {
        for s in ["a\nb", "a\r\nb", "a\rb", "a,b", "a\"b"] {
            #expect(AdoptionText.csvField(s).hasPrefix("\""), "\(s.debugDescription)")
        }
        #expect(AdoptionText.csvField("svc/a.py") == "svc/a.py")
    }
}
