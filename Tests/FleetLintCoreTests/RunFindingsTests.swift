@testable import FleetLintCore
import Dispatch
import FleetLintSyntax
import Testing

/// `RunFindings`: the run's findings, appended a file at a time by the analysis workers, read back by each file's
/// range (the cache writer) and taken as one array (the passes).
@Suite("RunFindings")
struct RunFindingsTests {
    static func findings(file: Int, count: Int) -> [Finding] {
        (0..<count).map { k in
            Finding(ruleID: "r", severity: .warning, message: "file \(file) finding \(k)", path: "f\(file).py",
                    range: SourceRange(line: k + 1, column: 1), metadata: ["k": .int(k)])
        }
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
            if sizes[i] > 0 { #expect(store.read(ranges[i]) { Array($0) } == Self.findings(file: i, count: sizes[i])) }
        }
        let all = store.take(reserving: 3)
        #expect(all.count == sizes.reduce(0, +) && all.capacity >= all.count + 3)
        for i in sizes.indices where sizes[i] > 0 { #expect(Array(all[ranges[i]]) == Self.findings(file: i, count: sizes[i])) }
        #expect(store.count == 0 && store.take().isEmpty, "nothing is left behind")
        #expect(RunFindings().take(reserving: 0).isEmpty)
        // A chunk is an oversize block for jemalloc (1 MiB and more), whose pages go back as soon as it is freed.
        #expect(RunFindings.chunkCapacity * MemoryLayout<Finding>.stride >= 1 << 20, "stride \(MemoryLayout<Finding>.stride)")
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
