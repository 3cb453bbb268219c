import FleetLintCore
import FleetLintProject
import FleetLintSyntax
@testable import FleetLintRules
import Testing
import TestSupport

/// Severities, wording and per-unit verdicts of the dependency rules (the examples check positions only).
@Suite("Dependency rules")
struct DependencyRuleTests {
    /// `MissingDependencyRule.filesByGroup` as the one loop over every path it replaced.
    static func filesByGroupReference(_ paths: some Sequence<String>, groups: Set<String>, archived: [GlobBox]) -> [String: [String]] {
        var filesByGroup: [String: [String]] = [:]
        for path in paths {
            if archived.contains(where: { $0.glob.matches(path) }) { continue }
            let ascii = path.utf8.allSatisfy { $0 < 0x80 }
            var dir = Substring(path)
            while true {
                guard let slash = ascii ? dir.utf8.lastIndex(of: UInt8(ascii: "/")) : dir.lastIndex(of: "/") else {
                    if groups.contains("") { filesByGroup["", default: []].append(path) }
                    break
                }
                dir = dir[..<slash]
                if groups.contains(String(dir)) { filesByGroup[String(dir), default: []].append(path); break }
            }
        }
        return filesByGroup
    }

    @Test("files go to their directory groups as one loop over every path puts them: per directory answers, archived dirs and names")
    func filesByGroupMatchesReference() {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let paths = [
            "a.py", "x/a.py", "x/y/b.py", "x/y/z/c.py", "x/y/z/old_c.py", "x/docs/d.py", "x/y2/e.py", "docs.py",
            "svc/archive/f.py", "svc/api/g.py", "svc/api/legacy_g.py", "svc/api-deprecated/h.py", "svc/api/h-deprecated.py",
            "svc/\(nfc)/i.py", "svc/\(nfd)/j.py", "svc/\(nfc)/k\(nfd).py", "svc/a/\u{301}b/l.py", "svc/a/m.py",
            "t/backup/n.py", "t/o.py", "u/v/w/p.py", "/lead.py", "z/old_q.py", "p/q1/a.py", "p/q2/b.py", "p/qa/c.py",
        ].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let archived = ["docs", "archive", "*-deprecated", "legacy_*", "svc/api/h*", "**/old_*.py", "backup"].map { GlobBox(Glob($0)) }
        for groups: Set<String> in [["", "x", "x/y/z", "svc", "svc/\(nfc)", "t", "p/q1"], ["x/y", "svc/api", "u", "p/q2"], [""], [], ["svc/a", "p"]] {
            for globs in [archived, [], [archived[0], archived[4]]] {
                let fast = MissingDependencyRule.filesByGroup(paths, groups: groups, archived: globs)
                let reference = Self.filesByGroupReference(paths, groups: groups, archived: globs)
                #expect(fast == reference, "groups \(groups.sorted()), \(globs.count) globs")
            }
        }
        let some = MissingDependencyRule.filesByGroup(paths, groups: ["", "x", "x/y/z", "svc"], archived: archived)
        #expect(some["x"] == ["x/a.py", "x/y/b.py", "x/y2/e.py"])
        #expect(some["x/y/z"] == ["x/y/z/c.py"])
        #expect(some[""]?.contains("a.py") == true && some[""]?.contains("docs.py") == true && some[""]?.contains("z/old_q.py") == false)
    }

    static func findings(_ rule: String, _ files: [String: String], configuration: String? = nil) throws -> [Finding] {
        try ExampleRunner.findings(rule, files: files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, configuration: configuration)
    }

    static let twoServices: [String: String] = [
        "a/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY a/ a/\nCOPY shared/ shared/\nRUN pip install -r a/requirements.txt\nCMD [\"python\", \"a/main.py\"]\n",
        "a/requirements.txt": "flask==3.0.0\n",
        "a/main.py": "import flask\n",
        "b/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY b/ b/\nCOPY shared/ shared/\nRUN pip install -r b/requirements.txt\nCMD [\"python\", \"b/main.py\"]\n",
        "b/requirements.txt": "flask==3.0.0\n",
        "b/main.py": "import flask\nfrom shared import cache\n",
        "shared/__init__.py": "",
        "shared/cache.py": "import redis\n",
    ]
    static let contexts = "[dependencies]\nbuild-contexts = { \"a/Dockerfile\" = \".\", \"b/Dockerfile\" = \".\" }\n"

    @Test("a crash in service B is an error for B, not info from service A")
    func perUnit() throws {
        let found = try Self.findings("missing-dependency", Self.twoServices, configuration: Self.contexts)
        #expect(found.count == 2)
        let error = found.first { $0.severity == .error }
        #expect(error?.message.contains("image b/Dockerfile") == true)
        #expect(error?.message.contains("add it to b/requirements.txt") == true)
        let info = found.first { $0.severity == .info }
        #expect(info?.message.contains("image a/Dockerfile") == true)
        #expect(info?.message.contains("not reachable") == true)
        #expect(Set(found.map(\.fingerprint)).count == 2)
    }

    @Test("code without an image is judged by its nearest enclosing directory's requirements, at any depth")
    func nearestDirectory() throws {
        let files = [
            "requirements.txt": "requests==2.31.0\n",
            "jobs/requirements.txt": "flask==3.0.0\n",
            "jobs/nightly/deep/task.py": "import flask\nimport requests\n",
            "jobs-old/task.py": "import flask\n",
            "top.py": "import requests\nimport yaml\n",
        ]
        let found = try Self.findings("missing-dependency", files).map { "\($0.path):\($0.range.start.line)" }.sorted()
        // jobs/… sees jobs/requirements.txt (flask, not requests); `jobs-old/` is not under `jobs/`, so the root's applies.
        #expect(found == ["jobs-old/task.py:1", "jobs/nightly/deep/task.py:2", "top.py:2"])
    }

    @Test("identical verdicts of several units merge into one finding that lists every unit")
    func mergesIdentical() throws {
        var files = Self.twoServices
        files["a/main.py"] = "import flask\nfrom shared import cache\n"
        let found = try Self.findings("missing-dependency", files, configuration: Self.contexts)
        #expect(found.count == 2)  // two targets to add it to: one finding each
        files["a/requirements.txt"] = nil
        files["b/requirements.txt"] = nil
        files["shared/requirements.txt"] = "flask==3.0.0\n"
        files["a/Dockerfile"] = files["a/Dockerfile"]!.replacingOccurrences(of: "a/requirements.txt", with: "shared/requirements.txt")
        files["b/Dockerfile"] = files["b/Dockerfile"]!.replacingOccurrences(of: "b/requirements.txt", with: "shared/requirements.txt")
        let merged = try Self.findings("missing-dependency", files, configuration: Self.contexts)
        #expect(merged.count == 1)
        #expect(merged.first?.message.contains("image a/Dockerfile and image b/Dockerfile") == true)
    }

    @Test("an archived, unreferenced Dockerfile claims no files; its directory's requirements apply")
    func archivedDoesNotShadow() throws {
        let files = [
            "docs/archive/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install flask PyYAML\nCMD [\"python\", \"app.py\"]\n",
            "svc/requirements.txt": "flask==3.0.0\n",
            "svc/app.py": "import flask\nimport yaml\n",
        ]
        let config = "[dependencies]\nbuild-contexts = { \"docs/archive/Dockerfile\" = \".\" }\n"
        let found = try Self.findings("missing-dependency", files, configuration: config)
        #expect(found.map(\.message) == ["imports `yaml`, but no requirements of requirements svc/requirements.txt declare `pyyaml`; add it to svc/requirements.txt"])
        // `archived = []` makes it a live image again.
        let live = try Self.findings("missing-dependency", files, configuration: config + "archived = []\n")
        #expect(live.isEmpty)
    }

    @Test("a deploy script's docker build makes an archived Dockerfile live")
    func deployScriptEvidence() throws {
        let files = [
            "deploy/build.sh": "#!/bin/bash\nset -e\ndocker build -f legacy/worker/Dockerfile -t worker .\n",
            "legacy/worker/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY legacy/worker/ .\nRUN pip install flask\nCMD [\"python\", \"main.py\"]\n",
            "legacy/worker/main.py": "import flask\nimport redis\n",
        ]
        let found = try Self.findings("missing-dependency", files, configuration: "[dependencies]\narchived = [\"legacy\"]\n")
        #expect(found.count == 1)
        #expect(found.first?.severity == .error)
    }

    @Test("transitive-only imports: provided by default, info with report-transitive, error when turned off")
    func transitive() throws {
        let files = ["svc/requirements.txt": "google-cloud-bigquery==3.25.0\n", "svc/app.py": "from google.api_core import retry\n"]
        #expect(try Self.findings("missing-dependency", files).isEmpty)
        let hygiene = try Self.findings("missing-dependency", files, configuration: "[dependencies]\nreport-transitive = true\n")
        #expect(hygiene.map(\.severity) == [.info])
        #expect(hygiene.first?.message.contains("only as a dependency of `google-cloud-bigquery`") == true)
        let strict = try Self.findings("missing-dependency", files, configuration: "[dependencies]\ninclude-transitive = false\n")
        #expect(strict.map(\.severity) == [.error])
    }

    @Test("optional imports are worded for whatever the except catches")
    func optionalWording() throws {
        let found = try Self.findings("missing-dependency", [
            "svc/requirements.txt": "flask\n",
            "svc/app.py": "try:\n    import orjson\nexcept Exception:\n    orjson = None\n",
        ])
        #expect(found.map(\.severity) == [.info])
        #expect(found.first?.message.contains("ImportError") == false)
    }

    @Test("a module is optional only when every importer guards it, relative imports included")
    func guardedModules() throws {
        let files = [
            "svc/requirements.txt": "flask\n",
            "svc/__init__.py": "",
            "svc/app.py": "import flask\ntry:\n    from svc.pool import get_client\nexcept ImportError:\n    get_client = None\n",
            "svc/jobs/__init__.py": "",
            "svc/jobs/run.py": "try:\n    from .. import pool\nexcept ImportError:\n    pool = None\n",
            "svc/pool.py": "from google.cloud import firestore\n",
        ]
        #expect(try Self.findings("missing-dependency", files).map(\.severity) == [.info])
        var unguarded = files
        unguarded["svc/jobs/run.py"] = "from ..pool import get_client\n"
        #expect(try Self.findings("missing-dependency", unguarded).map(\.severity) == [.error])
    }

    @Test("a module guarded by every importer of its unit stays optional when another unit imports it without a guard")
    func guardedPerUnit() throws {
        let found = try Self.findings("missing-dependency", [
            "svc/requirements.txt": "flask\n",
            "svc/__init__.py": "",
            "svc/main.py": "try:\n    from svc.pool import get_client\nexcept ImportError:\n    get_client = None\n",
            "svc/pool.py": "from google.cloud import storage\n",
            "other/requirements.txt": "flask\n",
            "other/app.py": "from svc.pool import get_client\n",
        ])
        #expect(found.filter { $0.path == "svc/pool.py" }.map(\.severity) == [.info])
    }

    @Test("each import is judged by its own resolution: guarded, TYPE_CHECKING, dead-fallback and `from` imports in one file")
    func resolutionsByPosition() throws {
        let found = try Self.findings("missing-dependency", [
            "svc/requirements.txt": "flask\n",
            "svc/app.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from boto3 import client
                try:
                    import zoneinfo
                except ImportError:
                    import pytz
                import os, requests
                from yaml import safe_load, dump
                from google.cloud import firestore, bigquery

                """,
        ])
        let seen = found.map { "\($0.range.start.line):\($0.metadata["distribution"].map { "\($0)" } ?? "")" }.sorted()
        #expect(found.count == 4)
        #expect(found.allSatisfy { $0.severity == .error })
        // `from yaml import …` is shown as `yaml` (the names resolve like the module); the Google clients by name.
        #expect(found.contains { $0.range.start.line == 9 && $0.message.contains("imports `yaml`,") })
        #expect(found.contains { $0.message.contains("imports `google.cloud.firestore`,") })
        #expect(found.contains { $0.message.contains("imports `google.cloud.bigquery`,") })
        #expect(found.contains { $0.range.start.line == 8 && $0.message.contains("`requests`") })
        #expect(!seen.contains { $0.hasPrefix("3:") || $0.hasPrefix("7:") })  // TYPE_CHECKING and the dead fallback
    }

    @Test("a file's unguarded imports among a set of names are those the imported-name list holds", arguments: 0..<40)
    func unguardedImportsInPieces(_ seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &* 31 &+ 5)
        let parts = ["a", "b", "pkg", "K", "\u{212A}", "caf\u{E9}", "cafe\u{301}", "x_y", "c"]
        func dotted(_ n: Int) -> String { (0..<n).map { _ in parts.randomElement(using: &rng)! }.joined(separator: ".") }
        var lines: [String] = []
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let module = dotted(Int.random(in: 1...3, using: &rng))
            let names = (0..<Int.random(in: 1...3, using: &rng)).map { _ in parts.randomElement(using: &rng)! }
            let statement: String
            switch Int.random(in: 0...3, using: &rng) {
            case 0: statement = "import \(module)"
            case 1: statement = "from \(module) import \(names.joined(separator: ", "))"
            case 2: statement = "from \(String(repeating: ".", count: Int.random(in: 1...3, using: &rng)))\(Bool.random(using: &rng) ? module : "") import \(names.joined(separator: ", "))"
            default: statement = "try:\n    import \(module)\nexcept ImportError:\n    pass"
            }
            lines.append(statement)
        }
        let source = lines.joined(separator: "\n") + "\n"
        let file = AnalyzedFile(path: "svc/pkg/mod.py", kind: .python, bytes: Array(source.utf8))
        let python = try #require(PythonFileParser().parse(file).artifact as? PythonFile)
        let facts = PythonFactsExtractor.facts(from: python, callPatterns: [])
        var unguarded: [String] = []
        MissingDependencyRule.forEachImportedName(facts, path: file.path) { name, isGuarded in if !isGuarded { unguarded.append(name) } }
        var wanted = (0..<6).map { _ in dotted(Int.random(in: 1...4, using: &rng)) }
        wanted += unguarded.shuffled(using: &rng).prefix(3)
        wanted = Array(Set(wanted)).sorted()
        let expected = Set(wanted.filter { unguarded.contains($0) })
        let found = MissingDependencyRule.unguardedImports(facts, path: file.path, among: Set(wanted))
        #expect(Set(found) == expected, "\(source)")
        #expect(found.count == expected.count)
    }

    @Test("each name of a `from` import is judged and shown on its own, ASCII or not, with its module when they resolve alike")
    func fromImportPairs() throws {
        let found = try Self.findings("missing-dependency", [
            "svc/requirements.txt": "flask\n",
            "svc/app.py": """
                from caf\u{E9}lib import thing
                from yaml import safe_load
                from google.cloud import storage as st, pubsub_v1
                import google.cloud.bigquery
                from .local import x

                """,
        ])
        let shown = found.map { f -> String in
            let m = f.message
            guard let a = m.firstIndex(of: "`"), let b = m[m.index(after: a)...].firstIndex(of: "`") else { return m }
            return "\(f.range.start.line):\(m[m.index(after: a)..<b])"
        }.sorted()
        #expect(shown == ["1:caf\u{E9}lib", "2:yaml", "3:google.cloud.pubsub_v1", "3:google.cloud.storage", "4:google.cloud.bigquery"])
    }

    @Test("an unknown module in a file that extends sys.path is a missing first-party module")
    func missingFirstParty() throws {
        let found = try Self.findings("missing-dependency", [
            "functions/requirements.txt": "flask\n",
            "functions/stage_one/main.py": "import sys\nsys.path.insert(0, \"../functions\")\nfrom stage_two_handler.main import handle\n",
        ])
        #expect(found.count == 1)
        #expect(found.first?.message.contains("missing first-party module") == true)
        #expect(found.first?.message.contains("add it to") == false)
    }

    @Test("a missing import in a test file is a warning")
    func testFiles() throws {
        let found = try Self.findings("missing-dependency", ["svc/requirements.txt": "flask\n", "svc/tests/test_app.py": "import responses\n"])
        #expect(found.map(\.severity) == [.warning])
    }

    @Test("an image whose COPY source is not in the repository cannot build and is not judged")
    func missingCopySource() throws {
        let found = try Self.findings("missing-dependency", [
            "jobs/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY lib/ ./lib/\nCOPY scripts/job.py ./job.py\nRUN pip install requests\nENTRYPOINT [\"python\", \"job.py\"]\n",
            "lib/util.py": "import slack_sdk\n",
        ], configuration: "[dependencies]\nbuild-contexts = { \"jobs/Dockerfile\" = \".\" }\n")
        #expect(found.isEmpty)
    }

    @Test("a shell-script CMD that starts no Python program makes the copied files unreachable")
    func scriptWithoutPython() throws {
        let found = try Self.findings("missing-dependency", [
            "ops/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY ops/ ./ops/\nRUN pip install requests\nCMD [\"./ops/check.sh\"]\n",
            "ops/check.sh": "#!/bin/bash\ncurl -fsS http://localhost/health\npython3 -c \"print(1)\"\n",
            "ops/monitor.py": "import slack_sdk\n",
        ], configuration: "[dependencies]\nbuild-contexts = { \"ops/Dockerfile\" = \".\" }\n")
        #expect(found.map(\.severity) == [.info])
    }

    @Test("a Procfile's process lines make the files they do not reach info-level")
    func procfile() throws {
        let found = try Self.findings("missing-dependency", [
            "Procfile": "web: if [ \"$SERVICE\" = api ]; then gunicorn api.main:app; else echo none; fi\n",
            "requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
            "api/__init__.py": "",
            "api/main.py": "import flask\nimport yaml\n",
            "scripts/backfill.py": "import tabulate\n",
        ])
        #expect(found.map(\.path) == ["api/main.py", "scripts/backfill.py"])
        #expect(found.map(\.severity) == [.error, .info])
    }

    @Test("drift compares each unit's effective requirement: a later install's pin wins")
    func driftEffective() throws {
        let found = try Self.findings("dependency-version-drift", [
            "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install -r shared.txt -r lock.txt\n",
            "svc/shared.txt": "requests>=2.0\n",
            "svc/lock.txt": "requests==2.28.1\n",
            "b/requirements.txt": "requests==2.32.0\n",
            "c/requirements.txt": "requests==2.32.0\n",
        ])
        #expect(found.map(\.path) == ["svc/lock.txt"])
    }

    @Test(".dockerignore batch matching agrees with per-path matching")
    func dockerIgnoreBatch() {
        let ignore = DockerIgnore("**/__pycache__\n*.md\ndocs/\n!docs/keep.md\ntests\nbuild/**/gen\n")
        let paths = ["a.md", "docs/x.py", "docs/keep.md", "svc/__pycache__/m.pyc", "svc/app.py", "tests/t.py", "svc/tests/t.py",
                     "build/x/gen/a.py", "build/gen/a.py", "README.md", "svc/README.md", "src/docs/x.py"]
        let batch = ignore.excluded(paths)
        for p in paths { #expect(batch.contains(p) == ignore.isExcluded(p), "\(p)") }
    }
}
