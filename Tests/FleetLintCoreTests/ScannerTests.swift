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

    @Test("a snapshot entry packs its stamp and size: 72 bytes, each value read back as set, equal entries equal")
    func entryPacking() {
        #expect(MemoryLayout<SnapshotEntry>.stride <= 72)
        let stamp = FileStamp(size: 1234, mtimeNanos: -5, ctimeNanos: Int64.max, inode: UInt64.max)
        let stamped = SnapshotEntry(path: "a/b.py", kind: .python, stamp: stamp)
        #expect(stamped.stamp == stamp && stamped.size == 1234 && stamped.blob == nil)
        #expect(stamped == SnapshotEntry(path: "a/b.py", kind: .python, stamp: stamp, size: 1234))
        let sized = SnapshotEntry(path: "a/b.py", kind: .python, blob: BlobID.of(Array("x".utf8)), size: 0)
        #expect(sized.stamp == nil && sized.size == 0 && sized.blob == BlobID.of(Array("x".utf8)))
        let bare = SnapshotEntry(path: "a/b.py", kind: .python)
        #expect(bare.stamp == nil && bare.size == nil)
        #expect(bare != sized && bare != stamped)
        var cleared = stamped
        cleared.stamp = nil
        #expect(cleared.stamp == nil && cleared.size == 1234)
        cleared.size = nil
        #expect(cleared == bare && cleared.hashValue == bare.hashValue)
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

    @Test("paths examined in parallel chunks (512 paths and up) come back whole, once each, in path order")
    func chunkedExamination() throws {
        // 1,300 files and the problem files of `makeTree`: two chunks, with the loop and the bad name in the first.
        let root = try makeTree(fileCount: 1_300)
        defer { try? FileManager.default.removeItem(at: root) }
        var walkProblems: [ScanProblem] = []
        let walked = RepositoryScanner(root: root, useGit: false).walkAll(problems: &walkProblems)
        #expect(walked.count >= 1_024, "the tree must span more than one chunk")
        let scan = RepositoryScanner(root: root, excludes: [Glob("pkg3")], useGit: false).scan()
        let files = scan.files.map(\.path)
        #expect(RepositoryScanner.isSorted(files), "sorted and without a duplicate")
        #expect(RepositoryScanner.isSorted(scan.allPaths))
        // Every walked path is a file, an excluded path or a problem (but for the symlink to a directory, which is
        // passed over): none lost or doubled at a chunk's edge.
        let problems = Set(scan.problems.map(\.path))
        let excluded = walked.filter { $0.hasPrefix("pkg3/") }
        let expected = Set(walked).subtracting(["pkg1/self"])
        let seen = Set(files).union(excluded).union(problems.intersection(walked))
        #expect(seen == expected, "missing: \(expected.subtracting(seen).sorted()), extra: \(seen.subtracting(expected).sorted())")
        #expect(files.count + excluded.count + problems.intersection(walked).count == expected.count)
        #expect(files.count == 1_300 - excluded.count + 3)  // logo.png, pkg0/binary.py, pkg0/latin.py
        #expect(scan.problems.filter { $0.path.hasPrefix("loop-") }.count == 2)
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

    /// A new temporary directory holding `files` (name → text), made a git work tree; the caller removes it.
    static func gitWorkTree(nameSuffix: String = "", _ files: [(String, String)]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-git-\(UUID().uuidString)\(nameSuffix)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: root.appendingPathComponent(name)) }
        #expect(GitRepository.run(["-C", root.path, "init", "-q"]).status == 0)
        return root
    }

    @Test("inside git: tracked plus untracked-not-ignored files")
    func gitListing() throws {
        let root = try Self.gitWorkTree([(".gitignore", "ignored.py\n")] + ["tracked.py", "untracked.py", "ignored.py"].map { ($0, "x = 1\n") })
        defer { try? FileManager.default.removeItem(at: root) }
        let scan = RepositoryScanner(root: root).scan()
        #expect(scan.usedGit)
        #expect(Set(scan.files.map(\.path)) == [".gitignore", "tracked.py", "untracked.py"])
    }

    /// git ends its answer with an LF; the path before it may end in a space (trimming whitespace cut it, and the
    /// repository's own files were then outside it).
    @Test("a repository whose path ends in a space is found where it is")
    func repositoryPathEndingInASpace() throws {
        let root = try Self.gitWorkTree(nameSuffix: " ", [("a.py", "x = 1\n")])
        defer { try? FileManager.default.removeItem(at: root) }
        guard case .success(let repository)? = GitRepository.discover(at: root.path) else {
            Issue.record("no repository found at \(root.path)")
            return
        }
        #expect(URL(fileURLWithPath: repository.root).resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path)
        #expect(repository.root.hasSuffix(" "))
        let scan = RepositoryScanner(root: root).scan()
        #expect(scan.usedGit)
        #expect(scan.files.map(\.path) == ["a.py"])
        #expect(GitRepository.outputLine(Array("/a b \n".utf8)) == "/a b ")
        #expect(GitRepository.outputLine(Array("/a\n\n".utf8)) == "/a\n")
    }

    /// Two names that differ only in Unicode normalisation are two files to git and to the file system; Swift's
    /// `String` calls them equal. git's listing kept one of them (the other's findings were missed).
    @Test("inside git: NFC and NFD spellings of a name are two files, as outside git")
    func normalisationVariants() throws {
        let nfc = "caf\u{E9}.py", nfd = "cafe\u{301}.py"
        let root = try Self.gitWorkTree([(nfc, "x = 1\n"), (nfd, "x = 1\n")])
        defer { try? FileManager.default.removeItem(at: root) }
        let inGit = RepositoryScanner(root: root).scan()
        #expect(inGit.usedGit)
        #expect(Set(inGit.files.map { Array($0.path.utf8) }) == [Array(nfc.utf8), Array(nfd.utf8)])
        let walked = RepositoryScanner(root: root, useGit: false).scan()
        #expect(Set(walked.files.map { Array($0.path.utf8) }) == [Array(nfc.utf8), Array(nfd.utf8)])
    }
}

/// Names that differ only in Unicode normalisation are equal Strings; the project and the passes' line store key
/// paths by their bytes, so each of the two files keeps its own facts, bytes and lines.
@Suite("Paths by bytes")
struct UTF8KeyTests {
    @Test("NFC and NFD spellings of a name are two keys; equal bytes are one")
    func keys() {
        let nfc = "caf\u{E9}.py", nfd = "cafe\u{301}.py"
        #expect(nfc == nfd)
        #expect(UTF8Key(nfc) != UTF8Key(nfd))
        #expect(UTF8Key(nfc) == UTF8Key(String(decoding: Array(nfc.utf8), as: UTF8.self)))
        #expect(Set([UTF8Key(nfc), UTF8Key(nfd), UTF8Key(nfc)]).count == 2)
        let contents = [(nfc, "a = 1\n"), (nfd, "b = 2\n")]  // not a dictionary: its two keys are equal Strings
        let project = Project(
            analyses: [FileAnalysis(path: nfc, kind: .python, blob: nil), FileAnalysis(path: nfd, kind: .python, blob: nil)],
            allPaths: [nfc, nfd],
            reader: { path in contents.first { Array($0.0.utf8) == Array(path.utf8) }.map { Array($0.1.utf8) } })
        #expect(project.file(nfd).map { Array($0.path.utf8) } == Array(nfd.utf8))
        #expect(project.file(nfc).map { Array($0.path.utf8) } == Array(nfc.utf8))
        #expect(project.contents(nfd) == Array("b = 2\n".utf8))
        #expect(project.contents(nfc) == Array("a = 1\n".utf8))
    }

    /// The run memo's list of files read keeps both spellings: each is checked before the memo is reused.
    @Test("the run memo's read list keeps NFC and NFD spellings apart")
    func readLog() {
        let nfc = "caf\u{E9}/.dockerignore", nfd = "cafe\u{301}/.dockerignore"
        let log = ReadLog()
        log.record(nfd, Array("b\n".utf8))
        log.record(nfc, nil)
        log.record("a/.dockerignore", nil)
        #expect(log.snapshot.map { Array($0.path.utf8) } == ["a/.dockerignore", nfd, nfc].map { Array($0.utf8) })
        #expect(log.snapshot.map(\.id) == ["-", BlobID.of(Array("b\n".utf8)).hex, "-"])
    }

    @Test("a report quotes each file's own line")
    func linesOfEachFile() throws {
        let repo = try TempGitRepo(name: "nfd")
        let nfc = "caf\u{E9}.py", nfd = "cafe\u{301}.py"
        try repo.write(nfc, "import requests\n\n\ndef f():\n    return requests.get('https://a.example')\n")
        try repo.write(nfd, "import requests\nx = requests.post('https://b.example')\n")
        // The same line and rule in both spellings: each finding in its own file's run, fingerprinted with its path.
        try repo.write("twin/" + nfc, "import requests\nx = requests.get('https://c.example')\n")
        try repo.write("twin/" + nfd, "import requests\nx = requests.get('https://d.example')\n")
        try repo.commitAll("two spellings")
        var config = Configuration()
        config.applyCommandLine(select: ["unpooled-client"], ignore: [], failOn: nil)
        let report = try FleetLintSetup.makeLinter(configuration: config).lint(LintOptions(root: repo.url, rootDisplay: "."))
        let byFile = Dictionary(grouping: report.findings, by: { Array($0.path.utf8) })
        #expect(byFile.count == 4)
        for (path, host) in [("twin/" + nfc, "c.example"), ("twin/" + nfd, "d.example")] {
            let f = try #require(byFile[Array(path.utf8)]?.first)
            #expect(f.sourceLine?.contains(host) == true)
            let line = "x = requests.get('https://\(host)')"
            #expect(f.fingerprint == StableHash.fingerprint([f.ruleID, path, f.anchor ?? line, "0"]))
        }
        // Report order: by path bytes, each file's findings together.
        let order = report.findings.map { Array($0.path.utf8) }
        #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(byFile[Array(nfc.utf8)]?.map(\.range.start.line) == [5])
        #expect(byFile[Array(nfd.utf8)]?.map(\.range.start.line) == [2])
        #expect(byFile[Array(nfc.utf8)]?.first?.sourceLine?.contains("a.example") == true)
        #expect(byFile[Array(nfd.utf8)]?.first?.sourceLine?.contains("b.example") == true)
    }

    @Test("an entry is read as it is now, whatever size the scan saw: grown, shrunk, binary, or a FIFO in its place")
    func readsAfterTheScan() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let names = ["grown.py", "shrunk.py", "same.py", "nul.py", "fifo.py", "empty.py", "big.py"]
        for n in names { try Data("x = 1\n".utf8).write(to: root.appendingPathComponent(n)) }
        try Data().write(to: root.appendingPathComponent("empty.py"))
        // Past the 8 KiB that are read first for the binary check.
        let big = Array(repeating: UInt8(ascii: "#"), count: 20_000) + Array("\nx = 1\n".utf8)
        try Data(big).write(to: root.appendingPathComponent("big.py"))
        let snapshot = WorkingTreeSnapshot(root: root, excludes: [], classifier: FileClassifier(), useGit: false)
        let entries = Dictionary(uniqueKeysWithValues: snapshot.entries.map { ($0.path, $0) })
        #expect(Set(entries.keys) == Set(names))
        #expect(entries["same.py"]?.stamp?.size == 6)
        // Changed after the scan (the stamps keep the sizes the scan saw).
        try Data("x = 1\ny = 2\n".utf8).write(to: root.appendingPathComponent("grown.py"))
        try Data("x\n".utf8).write(to: root.appendingPathComponent("shrunk.py"))
        try Data([0x78, 0x00, 0x79, 0x0A, 0x31, 0x32]).write(to: root.appendingPathComponent("nul.py"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("fifo.py"))
        #expect(mkfifo(root.appendingPathComponent("fifo.py").path, 0o644) == 0)
        func read(_ name: String) -> ReadOutcome { snapshot.read(entries[name]!) }
        #expect(read("same.py").textBytes == Array("x = 1\n".utf8))
        #expect(read("grown.py").textBytes == Array("x = 1\ny = 2\n".utf8))
        #expect(read("shrunk.py").textBytes == Array("x\n".utf8))
        #expect(read("empty.py").textBytes == [])
        #expect(read("big.py").textBytes == big)
        guard case .binary = read("nul.py") else { Issue.record("a NUL byte read after the scan is binary"); return }
        guard case .failed(let why) = read("fifo.py") else { Issue.record("a FIFO in a file's place is not read"); return }
        #expect(why.contains("FIFO"))
        // Read by path (no size seen), each gives the same.
        #expect(snapshot.read("grown.py").textBytes == read("grown.py").textBytes)
        #expect(snapshot.read("big.py").textBytes == big)
    }

    @Test("a symlink is stamped by its target: size and inode of the file it points at, and a new stamp when retargeted")
    func symlinkStamps() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("d"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("x = 1\n".utf8).write(to: root.appendingPathComponent("d/a.py"))
        try Data("y = 22\nz = 3\n".utf8).write(to: root.appendingPathComponent("d/b.py"))
        #expect(symlink("d/a.py", root.appendingPathComponent("link.py").path) == 0)
        let scan = RepositoryScanner(root: root, useGit: false).scan()
        let stamps = Dictionary(uniqueKeysWithValues: scan.files.map { ($0.path, $0.stamp) })
        let link = try #require(stamps["link.py"] ?? nil), target = try #require(stamps["d/a.py"] ?? nil)
        #expect(link.size == 6 && link.inode == target.inode && link.mtimeNanos == target.mtimeNanos)
        let directory = DirectoryHandle(root.standardizedFileURL.path)
        #expect(RepositoryScanner.stamp("link.py", in: directory) == link)
        try FileManager.default.removeItem(at: root.appendingPathComponent("link.py"))
        #expect(symlink("d/b.py", root.appendingPathComponent("link.py").path) == 0)
        let retargeted = try #require(RepositoryScanner.stamp("link.py", in: directory))
        #expect(retargeted != link && retargeted.size == 13 && retargeted.inode == stamps["d/b.py"]??.inode)
    }
}
