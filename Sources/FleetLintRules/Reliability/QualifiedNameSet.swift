/// A set of qualified callee names (`requests.get`) that most calls of a file are not in. A rule asks
/// it about every call of a file, so a name is first checked against the last bytes of the members
/// (one load and a mask) and hashed only when that fits: most calls cost a few instructions instead of
/// a hash of their name.
///
/// Membership is exactly `Set<String>.contains` (canonical equivalence included): the byte check only
/// answers "no" for a name ending in an ASCII byte that ends no member, which no canonically
/// equivalent name can (an ASCII last scalar is a starter, so it stays last under normalisation). A
/// name ending in a non-ASCII byte, or any set with a non-ASCII member, takes the hash every time.
struct QualifiedNameSet: Sendable {
    let names: Set<String>
    /// Bit `b` of word `b >> 6`: some member ends in the ASCII byte `b` (bytes below 0x80 only).
    private let lastBytes: (UInt64, UInt64)
    /// Every name is hashed: a member is empty or not ASCII.
    private let hashesAll: Bool

    init(_ names: some Sequence<String>) {
        let set = Set(names)
        self.names = set
        var low: UInt64 = 0, high: UInt64 = 0
        var hashesAll = false
        for name in set {
            guard let last = name.utf8.last, name.utf8.allSatisfy({ $0 < 0x80 }) else { hashesAll = true; continue }
            if last < 64 { low |= 1 << UInt64(last) } else { high |= 1 << UInt64(last - 64) }
        }
        lastBytes = (low, high)
        self.hashesAll = hashesAll
    }

    var isEmpty: Bool { names.isEmpty }

    /// False only when no member can equal `name`; true means "hash it".
    @inline(__always)
    func mayContain(_ name: String) -> Bool {
        if hashesAll { return true }
        guard let last = name.utf8.last else { return false }
        return mayContain(endingIn: last)
    }

    /// `mayContain` for a non-empty name whose last UTF-8 byte is `last`.
    @inline(__always)
    func mayContain(endingIn last: UInt8) -> Bool {
        if hashesAll || last >= 0x80 { return true }
        return last < 64 ? lastBytes.0 & (1 << UInt64(last)) != 0 : lastBytes.1 & (1 << UInt64(last - 64)) != 0
    }

    @inline(__always)
    func contains(_ name: String) -> Bool { mayContain(name) && names.contains(name) }

    /// `contains` for a non-empty name whose last UTF-8 byte is `last`.
    @inline(__always)
    func contains(_ name: String, endingIn last: UInt8) -> Bool { mayContain(endingIn: last) && names.contains(name) }
}
