// Aho–Corasick multi-keyword matcher (Aho & Corasick, "Efficient string matching", CACM 1975),
// compiled to a dense DFA over byte classes. Matching is ASCII case-insensitive: the input is
// lowercased on the fly through a table, so no lowercased copy of the file is made.

/// A compiled set of lowercase keywords; one pass over a buffer reports which keywords occur on which lines.
public struct KeywordAutomaton: Sendable {
    /// Byte → class id (0 = a byte that occurs in no keyword); already lowercases A–Z.
    private let byteClass: [UInt8]
    private let classCount: Int
    /// Dense transitions `table[state * classCount + class]`, holding the target state premultiplied by
    /// `classCount`, bitwise-negated when the target reports keywords: the scan loop then needs one
    /// load, one add and one sign test per byte.
    private let table: [Int32]
    /// For each state, the keyword ids that end here (including via failure links), flattened.
    private let outputStart: [Int32]
    private let outputIds: [Int32]
    /// The keywords, lowercased, in id order.
    public let keywords: [String]

    /// Builds the automaton; keywords are lowercased (ASCII) and empty ones ignored.
    public init(keywords: [String]) {
        let lowered = keywords.map { String(decoding: $0.utf8.map(KeywordAutomaton.lower), as: UTF8.self) }
        self.keywords = lowered
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
        classCount = count

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
        var head = 0
        while head < queue.count {
            let r = queue[head]
            head += 1
            outputs[r].append(contentsOf: outputs[Int(fail[r])])
            for c in 0..<count {
                let s = goto[r][c]
                if s >= 0 {
                    fail[Int(s)] = dense[Int(fail[r]) * count + c]
                    dense[r * count + c] = s
                    queue.append(Int(s))
                } else {
                    dense[r * count + c] = dense[Int(fail[r]) * count + c]
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
        table = dense.map { target in
            let t = Int(target)
            let premultiplied = Int32(t * count)
            return starts[t] != starts[t + 1] ? ~premultiplied : premultiplied
        }
    }

    /// Calls `hit(endOffset, keywordId)` for every keyword occurrence (`endOffset` is the byte offset of
    /// its last byte). Matching restarts at every line break, so a hit never spans lines.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ hit: (Int, Int) -> Void) {
        for h in hits(bytes) { hit(h >> 16, h & 0xFFFF) }
    }

    /// Every keyword occurrence, in order of its end: `endOffset << 16 | keywordId` (what `scan` reports,
    /// in the same order). A loop without a callback keeps its state in registers: this pass
    /// runs over every byte of every text file.
    public func hits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        precondition(keywords.count < 1 << 16)
        var out: [Int] = []
        let cc = classCount
        table.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { classes in
                outputStart.withUnsafeBufferPointer { starts in
                    outputIds.withUnsafeBufferPointer { ids in
                        guard let tablePtr = table.baseAddress, let classPtr = classes.baseAddress,
                              let bytePtr = bytes.baseAddress else { return }
                        var s = 0
                        var i = 0
                        let n = bytes.count
                        @inline(__always) func report(_ state: Int, _ at: Int) {
                            let row = state / cc
                            for k in Int(starts[row])..<Int(starts[row &+ 1]) { out.append(at &<< 16 | Int(ids[k])) }
                        }
                        // Four bytes a round (fewer loop tests); a reporting state is rare.
                        while i &+ 4 <= n {
                            var t = Int(tablePtr[s &+ Int(classPtr[Int(bytePtr[i])])])
                            if t < 0 { t = ~t; report(t, i) }
                            s = Int(tablePtr[t &+ Int(classPtr[Int(bytePtr[i &+ 1])])])
                            if s < 0 { s = ~s; report(s, i &+ 1) }
                            t = Int(tablePtr[s &+ Int(classPtr[Int(bytePtr[i &+ 2])])])
                            if t < 0 { t = ~t; report(t, i &+ 2) }
                            s = Int(tablePtr[t &+ Int(classPtr[Int(bytePtr[i &+ 3])])])
                            if s < 0 { s = ~s; report(s, i &+ 3) }
                            i &+= 4
                        }
                        while i < n {
                            let t = Int(tablePtr[s &+ Int(classPtr[Int(bytePtr[i])])])
                            if t >= 0 {
                                s = t
                            } else {
                                s = ~t
                                report(s, i)
                            }
                            i &+= 1
                        }
                    }
                }
            }
        }
        return out
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}
