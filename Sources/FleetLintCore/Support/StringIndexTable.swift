import FleetLintSyntax

/// Where a string stands in a fixed array of strings, compared by UTF-8 bytes (as `UTF8Key`): an open-addressing
/// table of 32-bit positions, at most half full, that holds neither the strings nor their hashes. A lookup hashes the
/// string once (`FindingCodec.Interner.hash`, eight bytes a step) and compares bytes only with the strings its probe
/// meets. Four to eight bytes a string, where a `[UTF8Key: Value]` or `Set<UTF8Key>` costs 24 to 32 (the project's
/// two path tables were ~3.3 MB of the 16x tree's peak).
struct StringIndexTable: Sendable {
    /// Position + 1 of the string in the caller's array; 0: empty.
    private let slots: [Int32]

    /// A table over `count` strings, `string(i)` the i-th. Of equal strings, the last one is found (as a dictionary
    /// filled in order keeps the last value).
    init(count: Int, string: (Int) -> String) {
        precondition(count < Int(Int32.max), "too many strings for 32-bit positions")
        var capacity = 16
        while capacity < 2 * count { capacity <<= 1 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for i in 0..<count {
            let s = string(i)
            var b = Int(truncatingIfNeeded: FindingCodec.Interner.hash(s)) & mask
            while case let e = Int(slots[b]), e != 0 {
                if string(e - 1).utf8Equals(s) { break }
                b = (b + 1) & mask
            }
            slots[b] = Int32(truncatingIfNeeded: i + 1)
        }
        self.slots = slots
    }

    /// The position of `s` among the strings the table was built over (`string` must give the same ones).
    func index(of s: String, string: (Int) -> String) -> Int? {
        let mask = slots.count - 1
        var b = Int(truncatingIfNeeded: FindingCodec.Interner.hash(s)) & mask
        while case let e = Int(slots[b]), e != 0 {
            if string(e - 1).utf8Equals(s) { return e - 1 }
            b = (b + 1) & mask
        }
        return nil
    }
}
