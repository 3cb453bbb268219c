@testable import FleetLintCore
import FleetLintRules
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

@Suite("Repository scanner")
struct ScannerTests {
    @Test("the walk lists paths in byte order itself: a directory sorts as `name/` among its siblings")
    func walkOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-order-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["a-b", "a.b", "a/x", "a/-", "a0", "A", "B/c", "é", "e/f/g", "e-f", "e.f/x", "z", "_", "a b/c"]
        for f in files {
            let url = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x\n".utf8).write(to: url)
        }
        var problems: [ScanProblem] = []
        let walked = RepositoryScanner(root: root, useGit: false).walkAll(problems: &problems)
        #expect(problems.isEmpty)
        #expect(walked == files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(RepositoryScanner.isSorted(walked) && !RepositoryScanner.isSorted(["b", "a"]) && !RepositoryScanner.isSorted(["a", "a"]))
    }

    func makeTree(fileCount: Int) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-scan-\(UUID().uuidString)")
        let fm = FileManager.default
        for i in 0..<fileCount {
            let dir = root.appendingPathComponent("pkg\(i % 50)/sub\(i % 7)")
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("x = \(i)\n".utf8).write(to: dir.appendingPathComponent("m\(i).py"))
        }
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: root.appendingPathComponent("logo.png"))
        try Data([0x78, 0x00, 0x79]).write(to: root.appendingPathComponent("pkg0/binary.py"))
        try Data([0x78, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0xFE, 0x22, 0x0A]).write(to: root.appendingPathComponent("pkg0/latin.py"))
        // A file name that is not valid UTF-8 (created through the C API; Foundation paths are Strings).
        var bytes = Array((root.path + "/bad").utf8) + [0xFF] + Array("name.py".utf8) + [0]
        let fd = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { open($0, O_CREAT | O_WRONLY, 0o644) }
        }
        if fd >= 0 { close(fd) }
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("loop-a.py").path, withDestinationPath: "loop-b.py")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("loop-b.py").path, withDestinationPath: "loop-a.py")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("pkg1/self").path, withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("outside.py").path, withDestinationPath: "/etc/hostname")
        for excluded in [".venv/lib", "node_modules/x", "__pycache__"] {
            try fm.createDirectory(at: root.appendingPathComponent(excluded), withIntermediateDirectories: true)
            try Data("x(\n".utf8).write(to: root.appendingPathComponent(excluded + "/bad.py"))
        }
        return root
    }

    @Test("10,000 files with a binary file, invalid UTF-8 and a symlink loop: each problem once, no crash")
    func bigTree() throws {
        let root = try makeTree(fileCount: 10_000)
        defer { try? FileManager.default.removeItem(at: root) }
        let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        let report = linter.lint(options)
        let parseErrors = report.findings.filter { $0.ruleID == "parse-error" }
        let byPath = Dictionary(grouping: parseErrors, by: \.path)
        #expect(byPath["pkg0/binary.py"]?.count == 1)
        #expect(byPath["pkg0/latin.py"]?.count == 1)
        #expect(byPath["pkg0/latin.py"]?.first?.range.start.column == 6)
        #expect(byPath["loop-a.py"]?.count == 1)
        #expect(byPath["loop-b.py"]?.count == 1)
        #expect(byPath["outside.py"]?.first?.message.contains("outside the repository") == true)
        #expect(parseErrors.filter { $0.message.contains("not valid UTF-8; the file is not read") }.count == 1)
        #expect(!byPath.keys.contains { $0.hasPrefix(".venv") || $0.hasPrefix("node_modules") || $0.hasPrefix("__pycache__") })
        #expect(!byPath.keys.contains { $0.hasPrefix("pkg1/self") })
        #expect(report.summary.files == 10_000 + 3, "symlink problems are reported, not counted as files")
        #expect(report.summary.skipped["binary"] == nil || report.summary.skipped["binary"]! <= 1)
    }

    @Test("excludes from the command line and configuration")
    func excludes() throws {
        let root = try makeTree(fileCount: 20)
        defer { try? FileManager.default.removeItem(at: root) }
        let scan = RepositoryScanner(root: root, excludes: [Glob("pkg0"), Glob("*.png")], useGit: false).scan()
        #expect(!scan.files.contains { $0.path.hasPrefix("pkg0/") })
        #expect(!scan.files.contains { $0.path == "logo.png" })
        #expect(scan.files.map(\.path) == scan.files.map(\.path).sorted())
    }

    @Test("inside git: tracked plus untracked-not-ignored files")
    func gitListing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("ignored.py\n".utf8).write(to: root.appendingPathComponent(".gitignore"))
        for name in ["tracked.py", "untracked.py", "ignored.py"] {
            try Data("x = 1\n".utf8).write(to: root.appendingPathComponent(name))
        }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", root.path, "init", "-q"]
        try git.run()
        git.waitUntilExit()
        let scan = RepositoryScanner(root: root).scan()
        #expect(scan.usedGit)
        #expect(Set(scan.files.map(\.path)) == [".gitignore", "tracked.py", "untracked.py"])
    }

    @Test("in a git work tree, unchanged tracked files take their ids from the index; changed, untracked, symlinked, assume-unchanged ones are hashed")
    func indexIDs() throws {
        let repo = try TempGitRepo(name: "index-ids")
        for name in ["a.py", "b.py", "c.py", "d.py"] { try repo.write(name, "x = 1\n") }
        try repo.write("sub/e.txt", "e\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link.py", withDestinationPath: "a.py")
        try repo.commitAll("one")
        try repo.write("b.py", "x = 22\n")   // changed after the commit
        try repo.write("d.py", "y = 2\n")    // same size, likely within the index's own second: racily clean
        try repo.write("u.py", "u = 1\n")    // untracked
        try repo.git("update-index", "--assume-unchanged", "c.py")
        try repo.write("c.py", "c = 3\n")    // git would not notice: must not be trusted
        var scanner = RepositoryScanner(root: repo.url)
        scanner.indexRacyWindowNanos = 0  // the files were written a moment ago
        let scan = scanner.scan()
        #expect(scan.usedGit)
        let byPath = Dictionary(uniqueKeysWithValues: scan.files.map { ($0.path, $0) })
        let indexed = try repo.git("rev-parse", ":a.py").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(byPath["a.py"]?.blob?.hex == indexed)
        #expect(byPath["sub/e.txt"]?.blob != nil)
        for path in ["b.py", "c.py", "u.py", "link.py"] { #expect(byPath[path]?.blob == nil, "\(path)") }
        // Whatever git decides about the racy file, no id ever names other bytes than the file's.
        for file in scan.files {
            guard let blob = file.blob else { continue }
            let bytes = try [UInt8](Data(contentsOf: repo.url.appendingPathComponent(file.path)))
            #expect(blob == BlobID.of(bytes), "\(file.path)")
        }
        // Outside git (or with --no-git) nothing comes from the index.
        #expect(RepositoryScanner(root: repo.url, useGit: false).scan().files.allSatisfy { $0.blob == nil })
        // With the default window, files changed within the last 2 s are hashed: git may not have seen their bytes.
        #expect(RepositoryScanner(root: repo.url).scan().files.allSatisfy { $0.blob == nil })
    }

    @Test("a root below the work tree's top hashes its files; an attributes file in a subdirectory, ignored or not, counts")
    func indexIDsBelowTheTop() throws {
        let repo = try TempGitRepo(name: "index-ids-sub")
        try repo.write("sub/a.py", "x = 1\n")
        try repo.write("sub/b.py", "x = 1\n")
        try repo.write("other/c.py", "x = 1\n")
        try repo.commitAll("one")
        try repo.write("sub/b.py", "x = 22\n")
        func scan(_ dir: String) -> [String: BlobID?] {
            var scanner = RepositoryScanner(root: dir.isEmpty ? repo.url : repo.url.appendingPathComponent(dir))
            scanner.indexRacyWindowNanos = 0
            return Dictionary(uniqueKeysWithValues: scanner.scan().files.map { ($0.path, $0.blob) })
        }
        // Below the top (a subproject with its own configuration): listed, never given an index id.
        let below = scan("sub")
        #expect(Set(below.keys) == ["a.py", "b.py"])
        #expect(below.values.allSatisfy { $0 == nil })
        // At the top: the unchanged files have their ids, the changed one not.
        let top = scan("")
        #expect(top["sub/a.py"]! != nil && top["other/c.py"]! != nil && top["sub/b.py"]! == nil)
        // An attributes file in a subdirectory converts the files it names, even when it is ignored.
        try repo.write(".gitignore", "sub/.gitattributes\n")
        try repo.write("sub/.gitattributes", "a.py ident\n")
        let ignored = scan("")
        #expect(ignored["sub/a.py"]! == nil && ignored["other/c.py"]! != nil)
    }

    @Test("no index ids where content may be converted: an attribute from a .gitattributes or info/attributes, core.autocrlf, core.eol, SHA-256")
    func indexIDsUnderConversion() throws {
        let repo = try TempGitRepo(name: "index-ids-attrs")
        try repo.write("a.py", "x = 1\n")
        try repo.commitAll("one")
        func anyID() -> Bool {
            var scanner = RepositoryScanner(root: repo.url)
            scanner.indexRacyWindowNanos = 0
            return scanner.scan().files.contains { $0.blob != nil }
        }
        #expect(anyID())
        try repo.git("config", "core.autocrlf", "false")
        #expect(anyID())  // explicitly off converts nothing
        try repo.git("config", "core.autocrlf", "true")
        #expect(!anyID())
        try repo.git("config", "--unset", "core.autocrlf")
        try repo.git("config", "core.eol", "crlf")
        #expect(!anyID())
        try repo.git("config", "--unset", "core.eol")
        #expect(anyID())
        try repo.write("docs/.gitattributes", "*.py text eol=crlf\n")
        #expect(anyID())  // applies below docs/ only: a.py is not converted
        try repo.write(".gitattributes", "*.py text eol=crlf\n")
        #expect(!anyID())
        try repo.remove(".gitattributes")
        try repo.remove("docs/.gitattributes")
        try repo.write(".git/info/attributes", "*.py filter=lfs\n")
        #expect(!anyID())
        try repo.remove(".git/info/attributes")
        #expect(anyID())
        // The parser alone: records git would print.
        let id = String(repeating: "ab", count: 20)
        let stages = Array("H 100644 \(id) 0\tok.py\0H 100755 \(id) 0\tx.sh\0H 120000 \(id) 0\tl\0h 100644 \(id) 0\tau.py\0S 100644 \(id) 0\tsw.py\0H 100644 \(id) 1\tconflict.py\0H 100644 \(id) 0\tmod.py\0H 100644 \(String(repeating: "ab", count: 32)) 0\tsha256.py\0".utf8)
        let ids = RepositoryScanner.indexIDs(stages: stages, modified: Array("mod.py\0".utf8), config: [])
        #expect(Set(ids.keys) == ["ok.py", "x.sh"])
        #expect(RepositoryScanner.indexIDs(stages: stages, modified: [], config: Array("extensions.objectformat\nsha256\0".utf8)).isEmpty)
        #expect(RepositoryScanner.indexIDs(stages: stages, modified: [], config: nil).isEmpty)
        // Unset counts too (`-text`): the pathspec asks for files where the attribute is unspecified.
        try repo.write(".gitattributes", "*.py -text\n")
        #expect(!anyID())
        try repo.remove(".gitattributes")
        #expect(anyID())
    }
}
