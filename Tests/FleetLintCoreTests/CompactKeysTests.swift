import Foundation
@testable import FleetLintCore
import FleetLintSyntax
import Testing

@Suite("Compact keys: blob ids inline, path tables of 32-bit positions")
struct CompactKeysTests {
    @Test("a SHA-1 blob id kept as bytes spells, compares, hashes and encodes as its hex string did")
    func blobIDBytes() throws {
        var rng = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        let spellings = (0..<200).map { _ in String((0..<40).map { _ in digits[Int.random(in: 0..<16, using: &rng)] }) }
            + ["0000000000000000000000000000000000000000", "ffffffffffffffffffffffffffffffffffffffff"]
        let ids = spellings.map(BlobID.init(hex:))
        for (s, id) in zip(spellings, ids) {
            #expect(id.hex == s && id.description == s && id.short == String(s.prefix(7)))
            #expect(id == BlobID(hex: String(s)))
            #expect(id.withHexBytes { Array($0) } == Array(s.utf8))
            let bytes = Array(s.utf8)
            #expect(bytes.withUnsafeBytes { BlobID(hexBytes: $0) } == id)
        }
        // Order and equality follow the spelling, as when the id was its string.
        for _ in 0..<500 {
            let i = Int.random(in: 0..<ids.count, using: &rng), j = Int.random(in: 0..<ids.count, using: &rng)
            #expect((ids[i] < ids[j]) == (spellings[i] < spellings[j]))
            #expect((ids[i] == ids[j]) == (spellings[i] == spellings[j]))
            if ids[i] == ids[j] { #expect(ids[i].hashValue == ids[j].hashValue) }
        }
        // What is not 40 lowercase digits is kept as spelled: never equal to a digest's id, and still ordered.
        let upper = BlobID(hex: spellings[0].uppercased()), sha256 = BlobID(hex: String(repeating: "ab", count: 32))
        #expect(upper.hex == spellings[0].uppercased() && upper != ids[0])
        #expect(sha256.hex.count == 64 && sha256.withHexBytes { $0.count } == 64)
        #expect(AnalysisCache.binarySentinel.hex == "binary" && AnalysisCache.binarySentinel != BlobID.of([]))
        #expect((BlobID(hex: "1") < ids[0]) == ("1" < spellings[0]))
        #expect(BlobID.of(Array("x".utf8)) == BlobID(hex: BlobID.of(Array("x".utf8)).hex))
    }

    @Test("a path table finds every string by its bytes, the last of equal ones, and nothing else")
    func stringIndexTable() {
        var strings = (0..<3_000).map { "svc_\($0 % 97)/pkg/mod_\($0).py" }
        strings.append("caf\u{E9}.py")  // NFC
        strings.append("cafe\u{301}.py")  // NFD: equal as Strings, two files to git
        strings.append(strings[10])  // a duplicate: the later position is found
        let table = StringIndexTable(count: strings.count) { strings[$0] }
        for (i, s) in strings.enumerated() where i != 10 {
            #expect(table.index(of: s) { strings[$0] } == i, "\(s)")
        }
        #expect(table.index(of: strings[10]) { strings[$0] } == strings.count - 1)
        #expect(table.index(of: "caf\u{E9}.py") { strings[$0] } == 3_000)
        #expect(table.index(of: "cafe\u{301}.py") { strings[$0] } == 3_001)
        for missing in ["", "svc_0/pkg/mod_3000.py", "svc_0/pkg/mod_0.p", "x"] {
            #expect(table.index(of: missing) { strings[$0] } == nil)
        }
        let empty = StringIndexTable(count: 0) { _ in "" }
        #expect(empty.index(of: "a") { _ in "" } == nil)
    }

    @Test("a project finds its files and paths through the tables")
    func projectLookups() {
        let analyses = ["b/x.py", "a/y.py"].sorted().map { FileAnalysis(path: $0, kind: .python, blob: BlobID.of(Array($0.utf8))) }
        let project = Project(analyses: analyses, allPaths: ["a/y.py", "b/x.py", "c/README.md"])
        #expect(project.file("b/x.py")?.path == "b/x.py" && project.file("c/README.md") == nil)
        #expect(project.exists("c/README.md") && !project.exists("c/README"))
        #expect(project.pathIndex("c/README.md") == 2 && project.pathIndex("a/y.py") == 0)
        #expect(project.blob("a/y.py") == BlobID.of(Array("a/y.py".utf8)))
    }

    @Test("plain files (nothing but path, kind and blob id) are not ProjectFiles, yet answer for their analysis, blob and bytes")
    func plainFiles() throws {
        let blob = { (p: String) in BlobID.of(Array(p.utf8)) }
        var withProblem = FileAnalysis(path: "d/broken.txt", kind: .text, blob: blob("d/broken.txt"))
        withProblem.problems = [ParseProblem(code: "c", message: "m", range: SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 1)))]
        let analyses = [
            FileAnalysis(path: "a/README.md", kind: .text, blob: blob("a/README.md")),
            FileAnalysis(path: "a/app.py", kind: .python, blob: blob("a/app.py")),
            FileAnalysis(path: "a/requirements.txt", kind: .requirements, blob: blob("a/requirements.txt")),
            FileAnalysis(path: "b/logo.png", kind: .binary, blob: nil),
            withProblem,
            FileAnalysis(path: "e/run.sh", kind: .text, blob: nil),
        ]
        let all = analyses.map(\.path) + ["f/not-analysed.yaml"]
        let project = Project(analyses: analyses, allPaths: all.sorted { $0.utf8Precedes($1) }, reader: { Array("bytes of \($0)".utf8) })
        // Python files and manifests stay ProjectFiles whatever they hold (project rules ask for them); so does any
        // file with more than its path, kind and blob.
        #expect(project.files.map(\.path) == ["a/app.py", "a/requirements.txt", "d/broken.txt"])
        for plain in ["a/README.md", "b/logo.png", "e/run.sh"] {
            #expect(project.file(plain) == nil)
            let a = try #require(project.analysis(plain))
            let original = try #require(analyses.first { $0.path == plain })
            #expect(a.path == plain && a.kind == original.kind && a.blob == original.blob && a.isPlain)
            #expect(project.exists(plain))
        }
        #expect(project.analysis("d/broken.txt")?.problems.count == 1 && project.analysis("f/not-analysed.yaml") == nil)
        #expect(project.blob("a/README.md") == blob("a/README.md") && project.blob("e/run.sh") == nil)
        // A plain file's bytes are read each time and not logged for the run memo (its blob is in the memo's key).
        #expect(project.contents("a/README.md") == Array("bytes of a/README.md".utf8))
        #expect(project.contents("b/logo.png") == nil)
        #expect(project.readLog.snapshot.isEmpty)
        #expect(project.contents("f/not-analysed.yaml") != nil && project.readLog.snapshot.map(\.path) == ["f/not-analysed.yaml"])
    }

    @Test("a manifest's bytes are read once and kept; any other project file's are read at each call")
    func heldBytes() throws {
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var reads: [String: Int] = [:]
            func read(_ path: String) -> [UInt8]? {
                lock.lock(); defer { lock.unlock() }
                reads[path, default: 0] += 1
                return Array(path.utf8)
            }
        }
        let counter = Counter()
        var python = FileAnalysis(path: "a/app.py", kind: .python, blob: nil)
        python.python = PythonFacts(isPackage: false, imports: [], classes: [], calls: [], fullParse: true)
        let project = Project(
            analyses: [python, FileAnalysis(path: "a/requirements.txt", kind: .requirements, blob: nil)],
            allPaths: ["a/app.py", "a/requirements.txt"], reader: { counter.read($0) })
        let app = try #require(project.file("a/app.py")), manifest = try #require(project.file("a/requirements.txt"))
        for _ in 0..<3 {
            #expect(app.bytes == Array("a/app.py".utf8) && manifest.bytes == Array("a/requirements.txt".utf8))
        }
        #expect(counter.reads == ["a/app.py": 3, "a/requirements.txt": 1])
        #expect(app.needsRead && !manifest.needsRead)
        app.preload([1, 2, 3])
        #expect(app.needsRead, "a file that is not a manifest holds no bytes")
        #expect(manifest.requirements != nil && counter.reads["a/requirements.txt"] == 1)
    }
}
