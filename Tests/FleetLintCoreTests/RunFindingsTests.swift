import Foundation
@testable import FleetLintCore
import Dispatch
import FleetLintSyntax
import Testing

/// `RunFindings`: the run's findings, appended a file at a time by the analysis workers, read back by each file's
/// range (the cache writer) and taken as one array (the passes).
@Suite("RunFindings")
struct RunFindingsTests {
    /// A file's findings; some of them do not fit the store's compact form (a fingerprint or source line already
    /// set, a position past 32 bits) and are kept whole, and they come back the same either way.
    static func findings(file: Int, count: Int) -> [Finding] {
        (0..<count).map { k in
            var f = Finding(ruleID: k % 3 == 0 ? "r" : "rule-\(k % 5)", severity: k % 2 == 0 ? .warning : .error,
                            message: "file \(file) finding \(k)", help: k % 4 == 0 ? nil : "help \(k % 4) of a rule, repeated",
                            path: "f\(file)\u{e9}.py", range: SourceRange(line: k + 1, column: 1),
                            related: k % 7 == 0 ? [RelatedLocation(path: "g.py", range: SourceRange(line: 2, column: 3), note: "n")] : [],
                            metadata: ["k": .int(k)], anchor: k % 2 == 0 ? nil : "anchor.\(k)", scope: k % 3 == 0 ? "C.m" : nil,
                            showsSource: k % 5 != 0)
            if k % 41 == 40 { f.fingerprint = "fl1:0123456789abcdef" }
            if k % 43 == 42 { f.sourceLine = "x = 1" }
            if k % 47 == 46 { f.range = SourceRange(start: SourceLocation(line: 1 << 33, column: 2), end: SourceLocation(line: 1 << 33, column: 4)) }
            // A finding on another file, and one on the file's NFD twin (equal as a String, another path).
            if k % 53 == 52 { f.path = "other.py" }
            if k % 59 == 58 { f.path = "f\(file)e\u{301}.py" }
            return f
        }
    }

    @Test("help, anchor and scope come back in each finding's own bytes: canonically equivalent spellings stay apart")
    func canonicallyEquivalentSpellings() {
        let nfc = "caf\u{e9}.get_client", nfd = "cafe\u{301}.get_client"
        #expect(nfc == nfd && Array(nfc.utf8) != Array(nfd.utf8))
        func finding(_ s: String, line: Int) -> Finding {
            Finding(ruleID: "r", severity: .warning, message: "m", help: "use " + s, path: "a.py",
                    range: SourceRange(line: line, column: 1), metadata: [:], anchor: s, scope: s)
        }
        let store = RunFindings()
        // Alternating, so that each spelling is met again after the other (the store remembers the last few it found).
        var fs = [finding(nfc, line: 1), finding(nfd, line: 2), finding(nfc, line: 3), finding(nfd, line: 4)]
        let expected = fs
        let range = store.append(&fs)
        func bytes(_ f: [Finding]) -> [[[UInt8]]] {
            f.map { [Array($0.help!.utf8), Array($0.anchor!.utf8), Array($0.scope!.utf8)] }
        }
        #expect(bytes(store.read(range)) == bytes(expected))
        #expect(bytes(store.take()) == bytes(expected))
    }

    @Test("files appended from many threads come back whole: by range, then all in one array, each file one run")
    func concurrentAppends() {
        // Sizes around the chunk's capacity, and one file larger than a chunk (a chunk of its own).
        let sizes = (0..<300).map { $0 == 150 ? RunFindings.chunkCapacity + 5 : ($0 * 37) % 97 }
        let store = RunFindings()
        let ranges = RangeBox(count: sizes.count)
        DispatchQueue.concurrentPerform(iterations: sizes.count) { i in
            var fs = Self.findings(file: i, count: sizes[i])
            ranges.set(i, store.append(&fs))
            #expect(fs.isEmpty, "append takes the file's findings")
        }
        #expect(store.count == sizes.reduce(0, +))
        for i in sizes.indices {
            #expect(ranges[i].count == sizes[i])
            if sizes[i] > 0 {
                let read = store.read(ranges[i]), expected = Self.findings(file: i, count: sizes[i])
                #expect(read == expected && read.map { Array($0.path.utf8) } == expected.map { Array($0.path.utf8) })
            }
        }
        let all = store.take(reserving: 3)
        #expect(all.count == sizes.reduce(0, +) && all.capacity >= all.count + 3)
        for i in sizes.indices where sizes[i] > 0 {
            let expected = Self.findings(file: i, count: sizes[i])
            #expect(Array(all[ranges[i]]) == expected)
            // Paths by their bytes (`==` on findings compares them as Strings, equal for twins).
            #expect(all[ranges[i]].map { Array($0.path.utf8) } == expected.map { Array($0.path.utf8) })
        }
        #expect(store.count == 0 && store.take().isEmpty, "nothing is left behind")
        #expect(RunFindings().take(reserving: 0).isEmpty)
        // A chunk is an oversize block for jemalloc (1 MiB and more), whose pages go back as soon as it is freed; a
        // stored finding is about half a `Finding`.
        #expect(RunFindings.chunkCapacity * RunFindings.storedStride >= 1 << 20, "stride \(RunFindings.storedStride)")
        #expect(RunFindings.storedStride <= 48 && MemoryLayout<Finding>.stride <= 160,
                "\(RunFindings.storedStride) of \(MemoryLayout<Finding>.stride)")
    }

    @Test("a finding's packed range gives back any range, equal ranges equal findings, and Codable keeps its members")
    func findingRanges() throws {
        let big = 1 << 40
        let ranges = [
            SourceRange(line: 1, column: 1), SourceRange(line: 3, column: 7),
            SourceRange(start: SourceLocation(line: 10, column: 16_383), end: SourceLocation(line: 265, column: 1)),
            SourceRange(start: SourceLocation(line: 10, column: 16_384), end: SourceLocation(line: 10, column: 20_000)),
            SourceRange(start: SourceLocation(line: 5, column: 1), end: SourceLocation(line: 2, column: 1)),
            SourceRange(start: SourceLocation(line: 0, column: 0), end: SourceLocation(line: -1, column: -5)),
            SourceRange(start: SourceLocation(line: big, column: 2), end: SourceLocation(line: big, column: big)),
            SourceRange(start: SourceLocation(line: Int.min, column: Int.max), end: SourceLocation(line: Int.max, column: Int.min)),
        ]
        var seen: [Finding] = []
        for r in ranges {
            var f = Finding(ruleID: "r", severity: .warning, message: "m", path: "a.py", range: r)
            #expect(f.range == r, "\(r)")
            let again = Finding(ruleID: "r", severity: .warning, message: "m", path: "a.py", range: r)
            #expect(f == again && f.hashValue == again.hashValue)
            #expect(!seen.contains(f), "distinct ranges, distinct findings")
            seen.append(f)
            // Set through the property, and through one of its fields.
            f.range = SourceRange(line: 2, column: 2)
            f.range = r
            #expect(f == again)
            f.range.end.column += 1
            #expect(f.range.end.column == r.end.column &+ 1 && f != again)
            let decoded = try JSONDecoder().decode(Finding.self, from: JSONEncoder().encode(again))
            #expect(decoded == again && decoded.range == r)
        }
        // The members a synthesized conformance wrote, `range` among them (not the packed word).
        let json = String(decoding: try JSONEncoder().encode(seen[1]), as: UTF8.self)
        #expect(json.contains("\"range\":{") && !json.contains("packed"), "\(json)")
    }

    @Test("a file's analysis is at most 104 bytes, and a project file holding one fits jemalloc's 128-byte class")
    func analysisLayout() {
        #expect(MemoryLayout<FileAnalysis>.size <= 104, "\(MemoryLayout<FileAnalysis>.size)")
        #expect(MemoryLayout<PythonFacts?>.size <= 35, "\(MemoryLayout<PythonFacts?>.size)")
        let project = Project(analyses: [FileAnalysis(path: "a.py", kind: .python, blob: nil)], allPaths: ["a.py"])
        let size = mallocUsableSize(Unmanaged.passUnretained(project.files[0]).toOpaque())
        #expect(size <= 128, "\(size)")
    }

    @Test("the fields few files have read and write as stored ones, copied on write between copies")
    func analysisExtras() {
        var a = FileAnalysis(path: "a.py", kind: .python, blob: nil)
        #expect(a.problems.isEmpty && a.skipped == nil && a.documents.isEmpty && a.retainedBytes == nil)
        a.problems.append(ParseProblem(code: "c", message: "m", range: SourceRange(start: SourceLocation(line: 1, column: 1), end: SourceLocation(line: 1, column: 2))))
        a.ruleSkips = ["lock file"]
        var b = a
        b.problems.append(ParseProblem(code: "c", message: "n", range: SourceRange(start: SourceLocation(line: 2, column: 1), end: SourceLocation(line: 2, column: 2))))
        b.skipped = "binary"
        #expect(a.problems.count == 1 && b.problems.count == 2 && a.skipped == nil && b.skipped == "binary")
        #expect(a.ruleSkips == ["lock file"] && b.ruleSkips == ["lock file"])
        a.documents["x"] = 1
        #expect(b.documents.isEmpty && a.documents.count == 1)
        a.problems = []; a.ruleSkips = []; a.documents = [:]
        a.dropEmptyExtras()
        #expect(a.problems.isEmpty && b.problems.count == 2)
    }

    /// One range per file, each written by the one worker that appends the file.
    final class RangeBox: @unchecked Sendable {
        private let ranges: UnsafeMutableBufferPointer<Range<Int>>
        init(count: Int) { ranges = .allocate(capacity: count); ranges.initialize(repeating: 0..<0) }
        deinit { ranges.deallocate() }
        func set(_ i: Int, _ r: Range<Int>) { ranges[i] = r }
        subscript(_ i: Int) -> Range<Int> { ranges[i] }
    }
}

/// The C library's `malloc_usable_size` (not in Swift's Glibc module): the size class an object was given.
@_silgen_name("malloc_usable_size")
private func mallocUsableSize(_ pointer: UnsafeMutableRawPointer?) -> Int
