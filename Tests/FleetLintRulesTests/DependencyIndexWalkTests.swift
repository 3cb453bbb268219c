import FleetLintCore
@testable import FleetLintProject
@testable import FleetLintRules
@testable import FleetLintSyntax
import Testing
import TestSupport

/// The dependency index's shortcuts give the answers of the plain computations they replace: the walk over
/// path ids (`ReachIndex`) that of the walk over path strings, the per-directory `.dockerignore` verdicts
/// those of `DockerIgnore.isExcluded` per path.
@Suite("Dependency index walks and .dockerignore verdicts")
struct DependencyIndexWalkTests {
    static func project(_ files: [(String, String)]) throws -> Project {
        let linter = try ExampleRunner.linter(for: "missing-dependency", configuration: nil)
        return linter.run(MemorySnapshot(files: files), rootDisplay: ".", reportOnly: nil, cache: nil).project
    }

    /// The index's units of one kind over `files`.
    static func units(_ kind: DeployableUnit.Kind, _ files: [(String, String)]) throws -> [DeployableUnit] {
        var builder = DependencyIndexBuilder(project: try project(files), environment: .default)
        return builder.build().units.filter { $0.kind == kind }
    }

    /// What the dependency rules read of a unit's walk.
    static func walks(_ project: Project, byIds: Bool) -> [String] {
        var builder = DependencyIndexBuilder(project: project, environment: .default)
        if !byIds { builder.reachSlot = nil }
        return builder.build().units.map { u in
            "\(u.displayName) sources=\(u.sourceFiles) reachable=\(u.reachableFiles.map { $0.sorted() } ?? ["nil"]) lazily=\(u.lazilyReachableFiles.sorted())"
        }
    }

    /// `commandLines` as it was: each line holding the first `docker`/`gcloud` found by the byte loop.
    static func referenceCommandLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let n = bytes.count
        func isBreak(_ i: Int) -> Bool { bytes[i] == UInt8(ascii: "\n") && !(i > 0 && bytes[i - 1] == UInt8(ascii: "\\")) }
        var from = 0
        while let hit = DeploymentEvidence.firstMention(in: bytes, from: from) {
            var start = hit
            while start > from, !isBreak(start - 1) { start -= 1 }
            var end = hit
            while end < n, !isBreak(end) { end += 1 }
            out.append(Array(bytes[start..<end]))
            from = end + 1
            if from >= n { break }
        }
        return out
    }

    @Test("images that install one requirements file share its requirements' written part; install fields are per image")
    func sharedRequirements() throws {
        let units = try Self.units(.image, [
            ("shared/requirements.txt", "flask==2.3.3\npkg @ https://example.com/pkg-2.5.0-py3-none-any.whl\n"),
            ("a/Dockerfile", "FROM python:3.11\nCOPY shared/ shared/\nRUN pip install -r shared/requirements.txt\n"),
            ("b/Dockerfile", "FROM python:3.11\nWORKDIR /app\nCOPY shared/ shared/\nRUN pip install -c shared/requirements.txt requests\n"),
        ])
        #expect(units.map(\.path) == ["a/Dockerfile", "b/Dockerfile"])
        let a = units[0].requirements, b = units[1].requirements.filter { $0.path == "shared/requirements.txt" }
        #expect(a.map(\.name) == ["flask", "pkg"] && b.map(\.name) == ["flask", "pkg"])
        #expect(a.map(\.isConstraint) == [false, false] && b.map(\.isConstraint) == [true, true])
        #expect(a.map(\.installInstruction) == [2, 2] && b.map(\.installInstruction) == [3, 3], "\(a.map(\.installInstruction)) \(b.map(\.installInstruction))")
        // The wheel's file name pins it, so it is compared as `==2.5.0` and is no longer a direct reference.
        #expect(a[1].pinned == Version("2.5.0") && !a[1].isDirectReference && a[1].specifier == SpecifierSet("==2.5.0"))
        #expect(a[0].pinned == Version("2.3.3") && a[0].text == "flask==2.3.3" && a[0].range.start.line == 1)
        // One object per written requirement: an image's copy is a reference and the two install fields.
        #expect(MemoryLayout<UnitRequirement>.stride <= 24, "\(MemoryLayout<UnitRequirement>.stride)")
        #expect(zip(a, b).allSatisfy { $0.sharesWritten(with: $1) })
    }

    @Test("closures of different roots that include one file share its requirements; `-c` marks only its own closure")
    func sharedAcrossClosures() throws {
        let units = try Self.units(.requirements, [
            ("shared/requirements.txt", "requests==2.31.0\nPyYAML>=6 ; python_version >= '3.8'\n"),
            ("svc1/requirements.txt", "-r ../shared/requirements.txt\nflask==2.3.3\n"),
            ("svc2/requirements.txt", "-c ../shared/requirements.txt\nrequests\n"),
        ])
        let one = try #require(units.first { $0.path == "svc1/requirements.txt" }).requirements
        let two = try #require(units.first { $0.path == "svc2/requirements.txt" }).requirements
        let sharedOne = one.filter { $0.path == "shared/requirements.txt" }, sharedTwo = two.filter { $0.path == "shared/requirements.txt" }
        #expect(sharedOne.map(\.name) == ["requests", "pyyaml"] && sharedTwo.map(\.name) == ["requests", "pyyaml"])
        #expect(zip(sharedOne, sharedTwo).allSatisfy { $0.sharesWritten(with: $1) })
        #expect(sharedOne.allSatisfy { !$0.isConstraint } && sharedTwo.allSatisfy(\.isConstraint))
        #expect(sharedOne[1].appliesToTarget && sharedOne[1].marker != nil)
        // Requirements written in different places are different objects, however alike.
        #expect(!one.last!.sharesWritten(with: two.last!))
    }

    @Test("deploy-script command lines: the memchr search finds the lines the byte loop finds", arguments: 0..<60)
    func commandLines(_ seed: Int) {
        var rng = SeededGenerator(seed: UInt64(seed) &+ 7)
        let pieces = ["docker", "gcloud", "dock", "gclou", "d", "g", "ocker", "\n", "\\\n", " ", "build -f x/Dockerfile .",
                      "run deploy --source svc", "dockerdocker", "gcloudocker", "é", "\u{0}", "x"]
        var text = ""
        for _ in 0..<Int.random(in: 0...40, using: &rng) { text += pieces.randomElement(using: &rng)! }
        let bytes = Array(text.utf8)
        #expect(DeploymentEvidence.commandLines(mentioningBuildToolsIn: bytes) == Self.referenceCommandLines(bytes), "\(text.debugDescription)")
        let word = DeploymentEvidence.docker
        for from in 0...(bytes.count + 1) {
            var expected: Int? = nil
            var i = from
            while expected == nil && i + word.count <= bytes.count {
                if Array(bytes[i..<(i + word.count)]) == word { expected = i }
                i += 1
            }
            let found: Int? = DeploymentEvidence.find(word, in: bytes, from: from)
            #expect(found == expected)
        }
    }

    @Test("an ASCII gcloud argument is searched by its bytes, anything else as Foundation searches it", arguments: [
        "--tag=x", "--tag", "-q", "", "=", "--x=\u{338}", "--x\u{2260}y", "caf\u{E9}=1", "a://b", "gs://b",
    ])
    func gcloudContains(_ word: String) {
        #expect(DeploymentEvidence.contains(word, 0x3D, "=") == word.contains("="))
    }

    @Test("the walk over path ids reaches what the walk over path strings reaches, at start-up and lazily")
    func walkMatchesReference() throws {
        let files: [(String, String)] = [
            ("svc/Dockerfile", "FROM python:3.11\nWORKDIR /app\nCOPY svc/ svc/\nCOPY shared/ shared/\nRUN pip install flask\nCMD [\"python\", \"-m\", \"svc.main\"]\n"),
            ("svc/__init__.py", ""),
            ("svc/main.py", "import flask\nfrom shared.utils import slack\nfrom svc import views\n\ndef later():\n    from svc import jobs\n"),
            ("svc/views.py", "from shared import cache\nimport config\n"),
            ("svc/config.py", "import os\n"),
            ("svc/jobs.py", "import shared.metrics\n"),
            ("svc/unused.py", "import boto3\n"),
            ("shared/__init__.py", ""),
            ("shared/cache.py", "import redis\n"),
            ("shared/utils/__init__.py", "import requests\n"),
            ("shared/utils/slack.py", "import requests\n"),
            ("shared/metrics.py", "import psutil\n"),
            ("shared/config.py", "import yaml\n"),
            // A module and a package of one name in one directory: the module wins.
            ("shared/cache/__init__.py", "import boto3\n"),
            // The walk's bases come before the importing file's directory.
            ("config.py", "import os\n"),
        ]
        let project = try Self.project(files)
        let index = ReachIndex(project: project)
        let candidates = Set(project.allPaths.filter { $0.hasSuffix(".py") })
        let walk = try #require(index.walk(roots: ["svc/main.py"], candidates: candidates, leading: ["", ""], trailing: ["svc", ""]))
        // `import config` from `svc/views.py` names the root's `config.py` (the walk's bases come before the file's
        // directory), and importing `shared.utils.slack` runs `shared/__init__.py` and `shared/utils/__init__.py`.
        #expect(walk.reached == ["config.py", "shared/__init__.py", "shared/cache.py", "shared/metrics.py", "shared/utils/__init__.py",
                                 "shared/utils/slack.py", "svc/__init__.py", "svc/jobs.py", "svc/main.py", "svc/views.py"])
        #expect(walk.startup == ["config.py", "shared/__init__.py", "shared/cache.py", "shared/utils/__init__.py", "shared/utils/slack.py",
                                 "svc/__init__.py", "svc/main.py", "svc/views.py"])
        // Without the root in the bases, the file's own directory names it.
        let fromDirectory = try #require(index.walk(roots: ["svc/views.py"], candidates: candidates, leading: [], trailing: []))
        #expect(fromDirectory.reached == ["svc/config.py", "svc/views.py"])
        // A candidate outside the project's `.py` files: the caller walks by strings.
        #expect(index.walk(roots: ["svc/main.py"], candidates: ["svc/start.sh"], leading: [], trailing: []) == nil)
        #expect(index.walk(roots: ["svc/main.py"], candidates: candidates.union(["svc/start.sh"]), leading: [], trailing: []) == nil)
        // Walks reuse their masks and states, cleared of what each set: a walk after the others sees only its own
        // candidates and reaches only from its own roots.
        let narrow = try #require(index.walk(
            roots: ["svc/main.py"], candidates: candidates.subtracting(["config.py"]), leading: ["", ""], trailing: ["svc", ""]))
        #expect(narrow.reached == ["shared/__init__.py", "shared/cache.py", "shared/metrics.py", "shared/utils/__init__.py",
                                   "shared/utils/slack.py", "svc/__init__.py", "svc/config.py", "svc/jobs.py", "svc/main.py",
                                   "svc/views.py"])
        let leaf = try #require(index.walk(roots: ["svc/config.py"], candidates: candidates, leading: [], trailing: []))
        #expect(leaf.reached == ["svc/config.py"] && leaf.startup == ["svc/config.py"] && leaf.visited == ["svc/config.py"])
        #expect(Self.walks(project, byIds: true) == Self.walks(project, byIds: false))
    }

    @Test("random repositories: the walk over path ids and the walk over path strings build the same units", arguments: 0..<12)
    func randomWalks(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed &* 7919 &+ 11)
        let dirs = ["", "svc", "svc/api", "shared", "shared/utils", "pkg", "pkg/sub", "app"]
        let names = ["main", "utils", "config", "app", "__init__", "models", "views", "api", "sub"]
        let modules = ["svc", "api", "shared", "utils", "config", "app", "models", "pkg", "sub", "os", "flask", "views", "main"]
        func module() -> String {
            (0..<Int.random(in: 1...3, using: &rng)).map { _ in modules.randomElement(using: &rng)! }.joined(separator: ".")
        }
        var files: [String: String] = [:]
        for _ in 0..<30 {
            let dir = dirs.randomElement(using: &rng)!
            let name = names.randomElement(using: &rng)! + ".py"
            var lines: [String] = []
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: lines.append("import \(module())")
                case 1: lines.append("from \(module()) import \(names.randomElement(using: &rng)!)")
                case 2: lines.append("def f():\n    import \(module())")
                case 3: lines.append("from . import \(names.randomElement(using: &rng)!)")
                default: lines.append("try:\n    from \(module()) import x\nexcept ImportError:\n    x = None")
                }
            }
            files[dir.isEmpty ? name : dir + "/" + name] = lines.joined(separator: "\n") + "\n"
        }
        for dir in ["svc", "app", "pkg"] {
            let entry = Bool.random(using: &rng) ? "[\"python\", \"-m\", \"\(module())\"]" : "[\"python\", \"\(dir)/main.py\"]"
            let copy = Bool.random(using: &rng) ? "COPY . .\n" : "COPY \(dir)/ \(dir)/\nCOPY shared/ shared/\n"
            files[dir + "/Dockerfile"] = "FROM python:3.11\nWORKDIR /srv\n\(copy)RUN pip install flask\nCMD \(entry)\n"
        }
        files["app/requirements.txt"] = "flask\n"
        files["app/Procfile"] = "web: gunicorn \(module()):app\nworker: python -m \(module())\n"
        files["requirements.txt"] = "flask\n"
        // Modules and packages of one name side by side, and a root module shadowing a nested one.
        files["svc/api.py"] = "import " + module() + "\n"
        files["svc/api/__init__.py"] = "from . import main\n"
        files["config.py"] = "import " + module() + "\n"
        files["svc/main.py", default: ""] += "import svc.api\nimport config\n"
        files["Procfile"] = "web: python svc/main.py\n"
        files[".dockerignore"] = ["**/views.py", "pkg/sub", "!pkg/sub/main.py", "*.md"].shuffled(using: &rng).joined(separator: "\n")
        let project = try Self.project(files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        #expect(Self.walks(project, byIds: true) == Self.walks(project, byIds: false))
    }

    @Test("per-directory .dockerignore verdicts equal DockerIgnore's verdict for every path", arguments: 0..<40)
    func dockerIgnoreVerdicts(seed: UInt64) {
        var rng = SeededGenerator(seed: seed &+ 1)
        let patterns = ["*.pyc", "**/__pycache__", "tests", "docs/", "!docs/keep.md", "a/*/c", "a/**", "!a/b", "[ab]*", "**/x?.py",
                        "**", "!**/keep*", "b/c/d", "*", ".git", "/a/b/", "a/**/c", "!a/**/c/x1.py", "./b", "b/../a", "!*", "a?/b"]
        let segments = ["a", "b", "c", "docs", "tests", "x1.py", "keep.md", "__pycache__", "y.pyc", ".git", "ab", "é", "..."]
        let chosen = (0..<Int.random(in: 0...7, using: &rng)).map { _ in patterns.randomElement(using: &rng)! }
        let ignore = DockerIgnore(chosen.joined(separator: "\n"))
        var verdicts = DockerIgnoreVerdicts(ignore)
        var paths = ["a//b", "./a", "a/../b", "a/./b", "a/", "/a/b", "a\r\n/b", "..", "a/.."]
        for _ in 0..<200 {
            paths.append((0..<Int.random(in: 1...5, using: &rng)).map { _ in segments.randomElement(using: &rng)! }.joined(separator: "/"))
        }
        for path in paths {
            #expect(verdicts.isExcluded(Substring(path)) == ignore.isExcluded(path), "\(chosen) \(path)")
        }
    }

    @Test("a .dockerignore applies below a build context whose name is not ASCII")
    func dockerIgnoreUnderNonASCIIContext() throws {
        let project = try Self.project([
            ("sérvice/.dockerignore", "tests\n*.md\n"), ("sérvice/app.py", ""), ("sérvice/tests/test_app.py", ""),
            ("sérvice/README.md", ""), ("sérvice/é/notes.md", ""), ("sérvice/é.py", ""), ("other/tests/x.py", ""),
        ])
        let builder = DependencyIndexBuilder(project: project, environment: .default)
        #expect(builder.computeIgnoredPaths(context: "sérvice") == ["sérvice/README.md", "sérvice/tests/test_app.py"])
        // The same files under an ASCII name give the same verdicts.
        let ascii = try Self.project([
            ("service/.dockerignore", "tests\n*.md\n"), ("service/app.py", ""), ("service/tests/test_app.py", ""),
            ("service/README.md", ""), ("service/é/notes.md", ""), ("service/é.py", ""),
        ])
        #expect(DependencyIndexBuilder(project: ascii, environment: .default).computeIgnoredPaths(context: "service")
            == ["service/README.md", "service/tests/test_app.py"])
    }

    @Test("a context's listing is the project's paths under a directory without the ignored ones")
    func contextListing() throws {
        let project = try Self.project([("a/b.py", ""), ("a/c/d.py", ""), ("ab/e.py", ""), ("z.py", "")])
        let listing = ContextListing(project: project, ignored: ["a/c/d.py"])
        #expect(listing.paths(under: "a") == ["a/b.py"])
        #expect(listing.paths(under: "") == ["a/b.py", "ab/e.py", "z.py"])
        #expect(listing.paths(under: "a/c").isEmpty)
        #expect(ContextListing(project: project, ignored: []).paths(under: "a") == project.paths(under: "a"))
        for directory in ["a", "a/c", "ab", "", "z", "a/b.py", "b", "zz", "a/c/d.py", "0"] {
            #expect(project.hasPaths(under: directory) == !project.paths(under: directory).isEmpty, "\(directory)")
        }
        #expect(!Project(analyses: [], allPaths: []).hasPaths(under: ""))
    }

    @Test("the import map cuts ASCII names at dot bytes and other names at dot characters, with the same answers")
    func importMapNames() throws {
        let resolver = try ImportResolver.loadBuiltIn()
        #expect(resolver.distributions(for: "sklearn.linear_model") == ["scikit-learn"])
        #expect(resolver.knows("sklearn.linear_model"))
        #expect(resolver.distributions(for: "Foo__Bar.baz") == ["foo-bar"])
        #expect(!resolver.knows("Foo__Bar.baz"))
        #expect(resolver.distributions(for: "a..b") == ["a"])
        #expect(resolver.distributions(for: ".a").isEmpty)
        #expect(resolver.distributions(for: "google.cloud.bigquery_storage_v1") == ["google-cloud-bigquery-storage"])
        #expect(resolver.distributions(for: "google").isEmpty)
        // Not ASCII: a `.` followed by a combining mark is no `.` Character, so the name is one piece.
        #expect(resolver.distributions(for: "yaml.\u{301}x") == ["yaml.\u{301}x"].map { _ in PackageName.normalize("yaml.\u{301}x") })
        #expect(resolver.distributions(for: "ÿaml_x.y") == [PackageName.normalize("ÿaml_x")])
    }

    @Test("the copied .py files by listing ranges are DockerCopyMapper's copied files, in its order, each once")
    func copiedPythonFiles() throws {
        let project = try Self.project([("a/b.py", ""), ("a/c/d.py", ""), ("a/e.txt", ""), ("ab/f.py", ""), ("z.py", ""), ("y/g.py", "")])
        let listing = ContextListing(project: project, ignored: ["y/g.py"])
        func source(_ path: String, _ isDirectory: Bool) -> DockerCopiedSource {
            DockerCopiedSource(repoPath: path, isDirectory: isDirectory, containerPath: "/app", instructionIndex: 1)
        }
        // What `DockerCopyMapper.copiedFiles()` does with these sources and this listing, filtered to `.py`.
        func reference(_ sources: [DockerCopiedSource]) -> [String] {
            var seen = Set<String>()
            var out: [String] = []
            for s in sources {
                for f in s.isDirectory ? listing.paths(under: s.repoPath) : [s.repoPath] where seen.insert(f).inserted { out.append(f) }
            }
            return out.filter { $0.hasSuffix(".py") }
        }
        let cases: [[DockerCopiedSource]] = [
            [source("a/c/d.py", false), source("a", true), source("", true), source("z.py", false)],
            [source("z.py", false), source("z.py", false), source("ab", true), source("a/c", true), source("a", true)],
            [source("missing.py", false), source("missing.py", false), source("y", true)],
            [],
        ]
        // One after the other, on one listing: each call's marks are cleared for the next (the listing reuses its arrays).
        for sources in cases + cases.reversed() {
            #expect(listing.copiedPythonFiles(sources) == reference(sources))
        }
        #expect(listing.copiedPythonFiles([source("a/c/d.py", false), source("a", true)]) == ["a/c/d.py", "a/b.py"])
        // A path that is not ASCII: the caller asks the mapper (only `String` equality says which spellings are one file).
        #expect(listing.copiedPythonFiles([source("caf\u{E9}.py", false)]) == nil)
    }

    @Test("the first-party index read on bytes equals the one read by Characters", arguments: 0..<10)
    func firstPartyIndex(seed: UInt64) {
        var rng = SeededGenerator(seed: seed &+ 101)
        let segments = ["a", "b", "src", "pkg", "__init__.py", "x.py", "y.pyi", "z.so", "t.txt", "x.tar.gz", "é", "cafe\u{301}.py", ""]
        var paths: Set<String> = ["a//b.py", "a/b/", "/c.py", "__init__.py", "a\r\n/b.py"]
        // Deeper than the 64 levels the byte pass remembers the previous path's directories for.
        let deep = (0..<70).map { "d\($0)" }.joined(separator: "/")
        paths.formUnion([deep + "/m.py", deep + "/n.py", deep + "/e/__init__.py"])
        for _ in 0..<60 {
            paths.insert((0..<Int.random(in: 1...4, using: &rng)).map { _ in segments.randomElement(using: &rng)! }.joined(separator: "/"))
        }
        // Sorted as a snapshot gives them, and once shuffled (the index must not depend on the order).
        for ordered in [paths.sorted(), paths.shuffled(using: &rng)] {
            let index = FirstPartyIndex(project: Project(analyses: [], allPaths: ordered), extra: [])
            // The index as it was built before it read ASCII paths on bytes.
            var modules: [String: Set<String>] = [:], packages = Set<String>(), names = Set<String>(), seen = Set<Substring>()
            for path in ordered {
                let parts = path.split(separator: "/")
                if path.hasSuffix("/__init__.py"), parts.count >= 2 { packages.insert(String(parts[parts.count - 2])) }
                if let last = parts.last {
                    names.insert(last.hasSuffix(".py") ? String(last.dropLast(3)) : String(last))
                    let dir: Substring = parts.count > 1 ? path[..<path.index(before: last.startIndex)] : ""
                    if last.hasSuffix(".py") || last.hasSuffix(".pyi") || last.hasSuffix(".so") {
                        modules[String(dir), default: []].insert(String(last.prefix { $0 != "." }))
                    }
                }
                for (i, part) in parts.dropLast().enumerated() {
                    let full = path[..<part.endIndex]
                    guard seen.insert(full).inserted else { continue }
                    names.insert(String(part))
                    let parent: Substring = i == 0 ? "" : path[..<path.index(before: part.startIndex)]
                    modules[String(parent), default: []].insert(String(part))
                }
            }
            #expect(index.modulesByDirectory == modules)
            #expect(index.packagesAnywhere == packages)
            #expect(index.namesAnywhere == names)
        }
    }

    @Test("test files are told by their path's bytes (`TestFiles`)")
    func testFiles() {
        for path in ["svc/tests/x.py", "svc/test_app.py", "a/b_test.py", "conftest.py", "a//tests//x.py", "test/x.py", "a/test/b/c.py"] {
            #expect(TestFiles.contains(path), "\(path)")
        }
        for path in ["a/testing/x.py", "tests.py", "a/tests", "t\u{E9}st/x.py", "a/contest.py", "test.py", "", "/", "a/b_test.pyc"] {
            #expect(!TestFiles.contains(path), "\(path)")
        }
        #expect(TestFiles.contains("t\u{E9}st/tests/x.py"))
    }
}
