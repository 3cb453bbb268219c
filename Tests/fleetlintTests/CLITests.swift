import Foundation
import Testing
import TestSupport
@testable import fleetlint

/// Runs the built `fleetlint` binary: exit codes, formats, `--output`, `--junit`, bad configuration.
@Suite("fleetlint executable", .serialized)
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ args: [String], in directory: URL = RepositoryPaths.root) throws -> Run {
        // Keep caches out of the fixtures.
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-cli-cache").path
        let r = try ProcessRunner.fleetlint(args, in: directory, env: ["FLEETLINT_CACHE_DIR": cache])
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func tempRepo(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-cli-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        return root
    }

    @Test("findings exit 1, clean exits 0")
    func exitCodes() throws {
        let dirty = try run(["check", "fixtures/mixed-monorepo"])
        #expect(dirty.status == 1, "\(dirty.stderr)")
        #expect(dirty.stdout.contains("Found "))
        let clean = try run(["check", "fixtures/clean-monorepo"])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.hasPrefix("No findings"))
    }

    @Test("check is the default subcommand, and --fail-on raises the threshold")
    func failOn() throws {
        let repo = try tempRepo([".env": "A=1\n", "fleetlint.toml": "[severity]\ncommitted-env-file = \"warning\"\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let failing = try run([repo.path, "--no-git"])
        #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
        #expect(failing.stdout.contains("warning[committed-env-file]"))
        let passing = try run([repo.path, "--no-git", "--fail-on", "error"])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
    }

    @Test("--output and --junit write files in one run")
    func outputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("r.json"), junit = dir.appendingPathComponent("r.xml")
        let r = try run(["check", "fixtures/mixed-monorepo", "--format", "json", "--output", json.path, "--junit", junit.path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        let jsonText = try String(contentsOf: json, encoding: .utf8)
        #expect(jsonText.contains("\"findings\""))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(SchemaValidation.validateXML(xml).isEmpty)
    }

    @Test("a cache directory that cannot be used is a warning, and the run goes on without the cache")
    func unusableCacheDirectory() throws {
        let repo = try tempRepo(["svc/app.py": "x = 1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let file = repo.appendingPathComponent("svc/app.py").path
        let inFile = try run([repo.path, "--no-git", "--cache-dir", file])
        #expect(inFile.status == 0, "\(inFile.stdout)\(inFile.stderr)")
        #expect(inFile.stderr.contains("warning: the cache directory \(file) is not a directory; running without the cache"))
        let under = try run([repo.path, "--no-git", "--cache-dir", file + "/cache"])
        #expect(under.status == 0)
        #expect(under.stderr.contains("the cache directory \(file)/cache cannot be created (Not a directory); running without the cache"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x = 1\n", "the file in the way is left alone")
        let fine = repo.appendingPathComponent("cache").path
        let usable = try run([repo.path, "--no-git", "--cache-dir", fine])
        #expect(usable.status == 0)
        #expect(!usable.stderr.contains("warning"), "\(usable.stderr)")
        #expect(FileManager.default.fileExists(atPath: fine + "/.gitignore"))
        #expect(try run([repo.path, "--no-git", "--no-cache"]).stderr.isEmpty)
    }

    @Test("a bad configuration exits 2 and names the key and line")
    func badConfig() throws {
        let repo = try tempRepo(["fleetlint.toml": "select = [\"committed-env-file\"]\nfail_on = \"error\"\n", "a.py": "x = 1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try run(["check", repo.path, "--no-git"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("fleetlint.toml:2"))
        #expect(r.stderr.contains("`fail_on`"))
        #expect(r.stdout.isEmpty)
    }

    /// A configuration error quotes the value it rejects; a secret in it is shortened as in findings.
    @Test("a configuration error never prints a secret it quotes")
    func configErrorRedactsSecrets() throws {
        let token = "ghp_Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
        let repo = try tempRepo(["pyproject.toml": "[tool.fleetlint]\nfail-on = \"\(token)\"\n", "a.py": "x = 1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try run(["check", repo.path, "--no-git"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("pyproject.toml:2"))
        #expect(!r.stderr.contains(token) && !r.stderr.contains("Ab3dE6gH9jK2"))
        #expect(r.stderr.contains("ghp_…"))
    }

    /// A configuration (`fleetlint.toml`, `[tool.fleetlint]` in `pyproject.toml`) or rule file that is not UTF-8 exits
    /// 2 naming the file, the line and column of its first invalid byte and the fix (the configuration named the file
    /// alone; a rule file loaded with the byte turned into U+FFFD).
    @Test("a configuration or rule file that is not UTF-8 exits 2 at its first invalid byte", arguments: [
        (["fleetlint.toml": Array("select = [\"ALL\"]\n# é caf".utf8) + [0xE9, 0x0A]], "fleetlint.toml:2: the configuration file", 8),
        (["pyproject.toml": Array("[tool.fleetlint]\nselect = [\"ALL\"]\n[project]\nname = \"".utf8) + [0xFF, 0x22, 0x0A]],
         "pyproject.toml:4: the configuration file", 9),
        (["fleetlint.toml": Array("rule-files = [\"rules/demo.yaml\"]\n".utf8),
          "rules/demo.yaml": Array("id: demo\nkind: regex\nregex: 'caf".utf8) + [0xE9] + Array("'\nmessage: m\nexamples:\n  triggering: [x]\n".utf8)],
         "rules/demo.yaml:3: the rule file", 12),
    ] as [([String: [UInt8]], String, Int)])
    func invalidUTF8Configuration(_ files: [String: [UInt8]], _ expected: String, _ column: Int) throws {
        let repo = try tempRepo(["a.py": "x = 1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        for (path, bytes) in files {
            let url = repo.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let r = try run(["check", repo.path, "--no-git"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(expected + " is not valid UTF-8"), "\(r.stderr)")
        #expect(r.stderr.contains("at column \(column) "), "\(r.stderr)")
        #expect(r.stderr.contains("save the file as UTF-8"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("usage errors exit 2: unknown option, missing path")
    func usageErrors() throws {
        let bogus = try run(["check", "--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.stderr.contains("--bogus"))
        let missing = try run(["check", "/nonexistent/fleetlint"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
    }

    @Test("a broken pyproject.toml without fleetlint settings is a finding, not a configuration error")
    func brokenPyproject() throws {
        let repo = try tempRepo(["pyproject.toml": "[project\nname =\n", "app.py": "x = 1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try run(["check", repo.path, "--no-git"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("pyproject.toml:1:9: warning[parse-error] invalid TOML"))
        let withSettings = try tempRepo(["pyproject.toml": "[tool.fleetlint\nselect = []\n"])
        defer { try? FileManager.default.removeItem(at: withSettings) }
        #expect(try run(["check", withSettings.path, "--no-git"]).status == 2)
    }

    @Test("an unknown rule id on the command line exits 2")
    func unknownRule() throws {
        let r = try run(["check", "fixtures/clean-monorepo", "--select", "no-such-rule"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no-such-rule"))
    }

    @Test("rules, rule and config subcommands")
    func subcommands() throws {
        let rules = try run(["rules"])
        #expect(rules.status == 0)
        #expect(rules.stdout.contains("committed-env-file"))
        let doc = try run(["rule", "committed-env-file"])
        #expect(doc.stdout.contains("## Why is this bad?"))
        #expect(try run(["rule", "nope"]).status == 2)
        let config = try run(["config", "svc/a.py", "--root", "fixtures/mixed-monorepo"])
        #expect(config.status == 0)
        #expect(config.stdout.contains("committed-env-file:"))
    }

    @Test("deps: each unit with what it runs (several entry points one per line), its requirements and where they come from; JSON; --drift")
    func deps() throws {
        let repo = try tempRepo([
            "api/Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY api/requirements.txt .\nRUN pip install -r requirements.txt\nCOPY api/ .\nCMD [\"gunicorn\", \"main:app\"]\n",
            "api/requirements.txt": "flask==3.0.0\nrequests==2.31.0\n",
            "api/main.py": "import flask\napp = flask.Flask(__name__)\n",
            "web/Procfile": "web: gunicorn site:app\nworker: python -m jobs.run\n",
            "web/requirements.txt": "django==5.0\nrequests==2.28.0\n",
            "web/site.py": "import django\n",
            "web/jobs/run.py": "import django\n",
        ])
        defer { try? FileManager.default.removeItem(at: repo) }
        let text = try run(["deps", "--no-git", "."], in: repo)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == """
            image api/Dockerfile
              runs: gunicorn main:app
              python files: 1
              requirements files: api/requirements.txt
                flask==3.0.0  api/requirements.txt:1
                requests==2.31.0  api/requirements.txt:2
            requirements api/requirements.txt (installed by an image)
              python files: 1
              requirements files: api/requirements.txt
                flask==3.0.0  api/requirements.txt:1
                requests==2.31.0  api/requirements.txt:2
            requirements web/requirements.txt
              runs:
                gunicorn site:app
                python jobs.run
              python files: 2
              requirements files: web/requirements.txt
                django==5.0  web/requirements.txt:1
                requests==2.28.0  web/requirements.txt:2

            3 units (1 image, 2 requirements files, 0 projects); 2 requirements files read; 0 invalid-requirement findings

            """)
        let json = try run(["deps", "--no-git", ".", "--format", "json"], in: repo)
        let units = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(units.map { $0["path"] as? String } == ["api/Dockerfile", "api/requirements.txt", "web/requirements.txt"])
        #expect(units[2]["entryPoints"] as? [String] == ["gunicorn site:app", "python jobs.run"])
        #expect((units[0]["requirements"] as? [[String: Any]])?.map { $0["requirement"] as? String } == ["flask==3.0.0", "requests==2.31.0"])
        let drift = try run(["deps", "--no-git", ".", "--drift"], in: repo)
        #expect(drift.status == 0)
        let row = try #require(drift.stdout.split(separator: "\n").first { $0.hasPrefix("requests") })
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).prefix(3) == ["requests", "2", "2"], "\(drift.stdout)")
        #expect(row.contains("==2.31.0 (1)") && row.contains("==2.28.0 (1)"))
    }

    @Test("colour: never with --no-color, into a file or with NO_COLOR; FORCE_COLOR off a terminal; else only on one")
    func colour() throws {
        typealias C = CheckCommand
        #expect(!C.colors(noColor: false, toFile: false, terminal: false, environment: [:]))
        #expect(C.colors(noColor: false, toFile: false, terminal: true, environment: [:]))
        #expect(!C.colors(noColor: true, toFile: false, terminal: true, environment: ["FORCE_COLOR": "1"]))
        #expect(!C.colors(noColor: false, toFile: true, terminal: true, environment: ["FORCE_COLOR": "1"]))
        #expect(!C.colors(noColor: false, toFile: false, terminal: true, environment: ["NO_COLOR": "1", "FORCE_COLOR": "1"]))
        #expect(C.colors(noColor: false, toFile: false, terminal: true, environment: ["NO_COLOR": ""]), "an empty NO_COLOR is unset")
        #expect(C.colors(noColor: false, toFile: false, terminal: false, environment: ["FORCE_COLOR": "1"]))
        #expect(!C.colors(noColor: false, toFile: false, terminal: false, environment: ["FORCE_COLOR": "0"]))
        // Through the binary (stdout is a pipe here): colour only when forced.
        let esc = "\u{1B}["
        func check(_ args: [String], _ env: [String: String]) throws -> String {
            let cache = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-cli-cache").path
            return try ProcessRunner.fleetlint(["check", "fixtures/unpooled-client"] + args, in: RepositoryPaths.root,
                                               env: ["FLEETLINT_CACHE_DIR": cache, "NO_COLOR": "", "FORCE_COLOR": ""].merging(env) { $1 }).stdout
        }
        #expect(!(try check([], [:])).contains(esc))
        #expect(try check([], ["FORCE_COLOR": "1"]).contains(esc))
        #expect(!(try check(["--no-color"], ["FORCE_COLOR": "1"])).contains(esc))
        #expect(!(try check([], ["FORCE_COLOR": "1", "NO_COLOR": "1"])).contains(esc))
    }

    @Test("paths given as files filter the report (pre-commit)")
    func reportFilter() throws {
        let repo = try tempRepo(["a/.env": "A=1\n", "b/.env": "B=1\n"])
        defer { try? FileManager.default.removeItem(at: repo) }
        let r = try run(["check", "a/.env", "--no-git"], in: repo)
        #expect(r.status == 1)
        #expect(r.stdout.contains("a/.env"))
        #expect(!r.stdout.contains("b/.env"))
    }
}
