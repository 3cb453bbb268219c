// Aho–Corasick multi-keyword matcher (Aho & Corasick, "Efficient string matching", CACM 1975),
// compiled to a dense DFA over byte classes, expanded to a table by byte. Matching is ASCII case-insensitive: the input is
// lowercased on the fly through a table, so no lowercased copy of the file is made. Where Vectorscan runs (any
// x86-64 CPU with SSE4.2, and others it supports), `hits` searches through it instead (`KeywordFilter`: the same hits).

/// A compiled set of lowercase keywords; one pass over a buffer reports which keywords occur on which lines.
public struct KeywordAutomaton: Sendable {
    /// Byte → class id (0 = a byte that occurs in no keyword); already lowercases A–Z.
    private let byteClass: [UInt8]
    /// Dense transitions by byte, `table[state * 256 + byte]` (the byte classes expanded, so the scan loop
    /// loads no class), holding the target state premultiplied by 256, bitwise-negated when the target
    /// reports keywords: the scan loop then needs one load, one add and one sign test per byte.
    private let table: [Int32]
    /// For each state, the keyword ids that end here (including via failure links), flattened.
    private let outputStart: [Int32]
    private let outputIds: [Int32]
    /// The keywords, lowercased, in id order.
    public let keywords: [String]
    /// The Vectorscan search over the same keywords; `nil` where it cannot run.
    private let filter: KeywordFilter?

    /// Builds the automaton; keywords are lowercased (ASCII) and empty ones ignored.
    public init(keywords: [String]) {
        let lowered = keywords.map { String(decoding: $0.utf8.map(KeywordAutomaton.lower), as: UTF8.self) }
        self.keywords = lowered
        precondition(lowered.count < 1 << 16, "a hit holds its keyword's id in 16 bits")
        filter = KeywordFilter(keywords: lowered)
        var classes = [UInt8](repeating: 0, count: 256)
        var count = 1
        for word in lowered {
            for b in word.utf8 where classes[Int(b)] == 0 {
                classes[Int(b)] = UInt8(count)
                count += 1
            }
        }
        // Upper-case letters share the class of their lower-case letter; line breaks are class 0 (back
        // to the root), so a keyword never spans lines.
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { classes[Int(b)] = classes[Int(b | 0x20)] }
        classes[0x0A] = 0
        classes[0x0D] = 0
        byteClass = classes

        // Trie.
        var goto: [[Int32]] = [[Int32](repeating: -1, count: count)]
        var outputs: [[Int32]] = [[]]
        for (id, word) in lowered.enumerated() where !word.isEmpty {
            var state = 0
            for b in word.utf8 {
                let c = Int(classes[Int(b)])
                if goto[state][c] < 0 {
                    goto.append([Int32](repeating: -1, count: count))
                    outputs.append([])
                    goto[state][c] = Int32(goto.count - 1)
                }
                state = Int(goto[state][c])
            }
            outputs[state].append(Int32(id))
        }
        // BFS: failure links, merged outputs, dense transitions.
        let stateCount = goto.count
        var fail = [Int32](repeating: 0, count: stateCount)
        var dense = [Int32](repeating: 0, count: stateCount * count)
        var queue: [Int] = []
        for c in 0..<count {
            let s = goto[0][c]
            if s >= 0 {
                dense[c] = s
                fail[Int(s)] = 0
                queue.append(Int(s))
            } else {
                dense[c] = 0
            }
        }
        // The tables written here are filled through their buffers: indexed through the arrays, each store was checked
        // for uniqueness (the automaton is built at every start that scans for secrets: 7.4 -> 3.0 M instructions).
        var head = 0
        dense.withUnsafeMutableBufferPointer { dense in
            fail.withUnsafeMutableBufferPointer { fail in
                while head < queue.count {
                    let r = queue[head]
                    head += 1
                    let failed = Int(fail[r])
                    if !outputs[failed].isEmpty { outputs[r].append(contentsOf: outputs[failed]) }
                    for c in 0..<count {
                        let s = goto[r][c]
                        if s >= 0 {
                            fail[Int(s)] = dense[failed * count + c]
                            dense[r * count + c] = s
                            queue.append(Int(s))
                        } else {
                            dense[r * count + c] = dense[failed * count + c]
                        }
                    }
                }
            }
        }
        // Class 0 (a byte in no keyword) always returns to the root.
        for s in 0..<stateCount { dense[s * count] = 0 }
        var starts: [Int32] = [0]
        var ids: [Int32] = []
        for out in outputs {
            ids.append(contentsOf: Set(out).sorted())
            starts.append(Int32(ids.count))
        }
        outputStart = starts
        outputIds = ids
        var byByte = [Int32](repeating: 0, count: stateCount * 256)
        // A state's row of 256 from its row of classes: which classes lead to an output state is worked out once per
        // class, not once per byte.
        byByte.withUnsafeMutableBufferPointer { byByte in
            var row = [Int32](repeating: 0, count: count)
            for state in 0..<stateCount {
                for c in 0..<count {
                    let t = Int(dense[state * count + c])
                    let premultiplied = Int32(t * 256)
                    row[c] = starts[t] != starts[t + 1] ? ~premultiplied : premultiplied
                }
                for b in 0..<256 { byByte[state * 256 + b] = row[Int(classes[b])] }
            }
        }
        table = byByte
    }

    /// Calls `hit(endOffset, keywordId)` for every keyword occurrence (`endOffset` is the byte offset of
    /// its last byte). Matching restarts at every line break, so a hit never spans lines.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ hit: (Int, Int) -> Void) {
        for h in hits(bytes) { hit(h >> 16, h & 0xFFFF) }
    }

    /// Every keyword occurrence, in order of its end: `endOffset << 16 | keywordId` (what `scan` reports,
    /// in the same order): through Vectorscan where it runs, by the DFA (`automatonHits`) otherwise.
    public func hits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        if let filter, bytes.count >= Self.minimumFilteredCount, let found = filter.hits(bytes) { return found }
        return automatonHits(bytes)
    }

    /// Buffers shorter than this run through the DFA (a Vectorscan call's setup costs more than it saves).
    static let minimumFilteredCount = 64

    /// `hits` by Vectorscan, `nil` where it cannot run (for tests).
    func filteredHits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        filter?.hits(bytes) ?? nil
    }

    /// `hits` by the DFA, four interleaved streams (what Vectorscan must equal; used by tests).
    ///
    /// The DFA's speed is bound by the latency of its state chain (each byte's transition needs the
    /// previous state), not by throughput. Every byte of class 0 (a line break always is) sends any state
    /// back to the root, so a buffer cut just after such a byte gives pieces whose hits, concatenated in
    /// order, are exactly the hits of one pass: the pieces run interleaved in one loop, four independent
    /// state chains the CPU overlaps. This pass runs over every byte of every text file.
    func automatonHits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        withMatcher(bytes) { m in
            let n = bytes.count
            var out: [Int] = []
            if n >= Self.minimumInterleavedCount {
                let c = m.cutPoints(n, into: Self.streams)
                if c.count == Self.streams - 1 { return m.interleaved(0..<c[0], c[0]..<c[1], c[1]..<c[2], c[2]..<n) }
            }
            // Short, or no line break near a cut: one stream (the same hits).
            var s = 0
            m.run(&s, 0, n, &out)
            return out
        }
    }

    /// Buffers shorter than this run as one stream (splitting costs more than it saves).
    static let minimumInterleavedCount = 1024
    static let streams = 4
    /// How far past a piece's nominal end a cut looks for a class-0 byte before giving up on that cut.
    static let cutSearchLimit = 4096

    /// Up to `count` consecutive ranges covering `bytes`, each (but the first) starting just after a
    /// class-0 byte, so that every piece starts at the root. A cut that finds no such byte within
    /// `cutSearchLimit` bytes is dropped (its pieces merge). `hits` cuts the same way (`cutPoints`) and runs
    /// four pieces interleaved when all three cuts exist, one stream otherwise.
    func cut(_ bytes: UnsafeBufferPointer<UInt8>, into count: Int) -> [Range<Int>] {
        let n = bytes.count
        return withMatcher(bytes) { m in
            let bounds = [0] + m.cutPoints(n, into: count) + [n]
            var pieces: [Range<Int>] = []
            for k in 0..<bounds.count - 1 where bounds[k] < bounds[k + 1] { pieces.append(bounds[k]..<bounds[k + 1]) }
            return pieces.isEmpty ? [0..<n] : pieces
        }
    }

    /// The reference: one stream over the whole buffer (what `hits` must equal; used by tests).
    func hitsOneStream(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        withMatcher(bytes) { m in
            var s = 0
            var out: [Int] = []
            m.run(&s, 0, bytes.count, &out)
            return out
        }
    }

    /// Runs `body` with a matcher over `bytes` (the tables pinned for the call); an empty buffer has no hits.
    private func withMatcher<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Matcher) -> [T]) -> [T] {
        table.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { classes in
                outputStart.withUnsafeBufferPointer { starts in
                    outputIds.withUnsafeBufferPointer { ids in
                        guard let bytePtr = bytes.baseAddress, !bytes.isEmpty else { return [] }
                        return body(Matcher(table: table.baseAddress!, classes: classes.baseAddress!, starts: starts.baseAddress!,
                                            ids: ids.baseAddress!, bytes: bytePtr))
                    }
                }
            }
        }
    }

    /// The scan loops over raw pointers (the arrays are pinned by the caller for the whole call).
    private struct Matcher {
        let table: UnsafePointer<Int32>
        let classes: UnsafePointer<UInt8>
        let starts: UnsafePointer<Int32>
        let ids: UnsafePointer<Int32>
        let bytes: UnsafePointer<UInt8>

        /// The offset just after the first class-0 byte (a line break always is one) at or after `from`,
        /// looking at most `cutSearchLimit` bytes; `nil` when there is none or it is the buffer's last byte.
        func cutPoint(_ from: Int, _ n: Int) -> Int? {
            var i = from
            let limit = min(n, from + KeywordAutomaton.cutSearchLimit)
            while i < limit, classes[Int(bytes[i])] != 0 { i &+= 1 }
            return i < limit && i + 1 < n ? i + 1 : nil
        }

        /// The cuts of an `n`-byte buffer into `count` pieces, strictly increasing: one near each `n * k / count`
        /// (`cutPoint`), a cut that finds no class-0 byte (or none past the previous cut) left out.
        func cutPoints(_ n: Int, into count: Int) -> [Int] {
            var cuts: [Int] = []
            for k in 1..<max(count, 1) {
                let last = cuts.last ?? 0
                if let c = cutPoint(max(n * k / count, last), n), c > last { cuts.append(c) }
            }
            return cuts
        }

        /// Appends the keywords of reporting state `state` (premultiplied) ending at `at`.
        @inline(__always) func report(_ state: Int, _ at: Int, _ out: inout [Int]) {
            let row = state &>> 8
            for k in Int(starts[row])..<Int(starts[row &+ 1]) { out.append(at &<< 16 | Int(ids[k])) }
        }

        /// The state after `s` reads the byte at `i`, reporting what ends there.
        @inline(__always) func step(_ s: Int, _ i: Int, _ out: inout [Int]) -> Int {
            let t = Int(table[s &+ Int(bytes[i])])
            if t >= 0 { return t }
            report(~t, i, &out)
            return ~t
        }

        /// One stream from state `s` over `from..<to`.
        func run(_ s: inout Int, _ from: Int, _ to: Int, _ out: inout [Int]) {
            var i = from
            var state = s
            // Four bytes a round (fewer loop tests); a reporting state is rare.
            while i &+ 4 <= to {
                state = step(state, i, &out)
                state = step(state, i &+ 1, &out)
                state = step(state, i &+ 2, &out)
                state = step(state, i &+ 3, &out)
                i &+= 4
            }
            while i < to {
                state = step(state, i, &out)
                i &+= 1
            }
            s = state
        }

        /// Four pieces in lock-step while all have bytes left, then the rest of each alone; the hits are
        /// concatenated in piece order.
        func interleaved(_ a: Range<Int>, _ b: Range<Int>, _ c: Range<Int>, _ d: Range<Int>) -> [Int] {
            var outA: [Int] = [], outB: [Int] = [], outC: [Int] = [], outD: [Int] = []
            var s = (a: 0, b: 0, c: 0, d: 0)
            let common = min(a.count, b.count, c.count, d.count)
            var j = 0
            while j < common {
                j = lockStep(&s, a.lowerBound, b.lowerBound, c.lowerBound, d.lowerBound, from: j, to: common)
                guard j < common else { break }
                // At least one piece reports at `j`: its state is the negated target (what `step` reports).
                if s.a < 0 { s.a = ~s.a; report(s.a, a.lowerBound &+ j, &outA) }
                if s.b < 0 { s.b = ~s.b; report(s.b, b.lowerBound &+ j, &outB) }
                if s.c < 0 { s.c = ~s.c; report(s.c, c.lowerBound &+ j, &outC) }
                if s.d < 0 { s.d = ~s.d; report(s.d, d.lowerBound &+ j, &outD) }
                j &+= 1
            }
            run(&s.a, a.lowerBound &+ common, a.upperBound, &outA)
            run(&s.b, b.lowerBound &+ common, b.upperBound, &outB)
            run(&s.c, c.lowerBound &+ common, c.upperBound, &outC)
            run(&s.d, d.lowerBound &+ common, d.upperBound, &outD)
            if outB.isEmpty && outC.isEmpty && outD.isEmpty { return outA }
            outA.reserveCapacity(outA.count + outB.count + outC.count + outD.count)
            outA += outB
            outA += outC
            outA += outD
            return outA
        }

        /// Advances the four states (pieces starting at `a`…`d`) from offset `j` until `end`, or until the
        /// first offset where any transition reports: returned with the transitions of that offset taken
        /// (a reporting piece's state negated, as the table holds it). A loop of its own, with nothing but
        /// the states, offsets and table live, keeps them all in registers (one sign test for the four
        /// transitions, no copies of the states).
        @inline(never)
        func lockStep(_ s: inout (a: Int, b: Int, c: Int, d: Int), _ a: Int, _ b: Int, _ c: Int, _ d: Int, from j: Int, to end: Int) -> Int {
            var (sa, sb, sc, sd) = s
            var j = j
            let pa = bytes + a, pb = bytes + b, pc = bytes + c, pd = bytes + d
            while j < end {
                sa = Int(table[sa &+ Int(pa[j])])
                sb = Int(table[sb &+ Int(pb[j])])
                sc = Int(table[sc &+ Int(pc[j])])
                sd = Int(table[sd &+ Int(pd[j])])
                if (sa | sb | sc | sd) < 0 { break }
                j &+= 1
            }
            s = (sa, sb, sc, sd)
            return j
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}
