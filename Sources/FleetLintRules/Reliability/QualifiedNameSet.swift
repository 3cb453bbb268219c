/// A set of qualified callee names (`requests.get`) that most calls of a file are not in. A rule asks
/// it about every call of a file, so a name is first checked against the first and last bytes of the
/// members (two loads and masks) and hashed only when both fit: most calls cost a few instructions
/// instead of a hash of their name.
///
/// Membership is exactly `Set<String>.contains` (canonical equivalence included): the byte check only
/// answers "no" for a name starting or ending in an ASCII byte that starts or ends no member, which no
/// canonically equivalent name can (an ASCII scalar is a starter without a decomposition, so a first
/// or last one stays first or last under normalisation). A name starting or ending in a non-ASCII
/// byte, or any set with an empty or non-ASCII member, takes the hash every time.
struct QualifiedNameSet: Sendable {
    let names: Set<String>
    /// Bit `b` of word `b >> 6`: some member starts (ends) in the ASCII byte `b` (bytes below 0x80 only).
    private let firstBytes: (UInt64, UInt64)
    private let lastBytes: (UInt64, UInt64)
    /// Every name is hashed: a member is empty or not ASCII.
    private let hashesAll: Bool

    init(_ names: some Sequence<String>) {
        let set = Set(names)
        self.names = set
        var first: (UInt64, UInt64) = (0, 0), last: (UInt64, UInt64) = (0, 0)
        var hashesAll = false
        for name in set {
            guard let a = name.utf8.first, let z = name.utf8.last, name.utf8.allSatisfy({ $0 < 0x80 }) else { hashesAll = true; continue }
            if a < 64 { first.0 |= 1 << UInt64(a) } else { first.1 |= 1 << UInt64(a - 64) }
            if z < 64 { last.0 |= 1 << UInt64(z) } else { last.1 |= 1 << UInt64(z - 64) }
        }
        firstBytes = first
        lastBytes = last
        self.hashesAll = hashesAll
    }

    /// False only when no member can equal `name`; true means "hash it".
    @inline(__always)
    func mayContain(_ name: String) -> Bool {
        if hashesAll { return true }
        guard let last = name.utf8.last else { return false }
        return mayContain(name, endingIn: last)
    }

    /// `mayContain` for a non-empty name whose last UTF-8 byte is `last`.
    @inline(__always)
    func mayContain(_ name: String, endingIn last: UInt8) -> Bool {
        if hashesAll { return true }
        guard Self.allows(last, lastBytes) else { return false }
        guard let first = name.utf8.first else { return false }
        return Self.allows(first, firstBytes)
    }

    @inline(__always)
    private static func allows(_ b: UInt8, _ mask: (UInt64, UInt64)) -> Bool {
        if b >= 0x80 { return true }
        return b < 64 ? mask.0 & (1 << UInt64(b)) != 0 : mask.1 & (1 << UInt64(b - 64)) != 0
    }

    @inline(__always)
    func contains(_ name: String) -> Bool { mayContain(name) && names.contains(name) }

    /// `contains` for a non-empty name whose last UTF-8 byte is `last`.
    @inline(__always)
    func contains(_ name: String, endingIn last: UInt8) -> Bool { mayContain(name, endingIn: last) && names.contains(name) }
}
