#if canImport(Glibc)
import Glibc
#endif

/// Finding a byte string in bytes: `memchr` for the needle's rarest byte, then a compare (`memmem` is not
/// visible from Swift's Glibc module). Keyword gates, suppression directives, glob and `.dockerignore`
/// prefilters.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` at or after `from`, or nil.
    public static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        // Anchor on the needle's rarest byte: `memchr` then stops at few false candidates (searching for
        // `requests` by its `r` stops at every `r` of a file; by its `q`, rarely).
        find(needle, anchor: rarestOffset(needle), in: hay, from: from)
    }

    /// `find` with the needle's anchor worked out beforehand (`rarestOffset`; any offset in the needle is correct).
    public static func find(_ needle: [UInt8], anchor: Int, in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard !needle.isEmpty, from < hay.count, needle.count <= hay.count - from, let base = hay.baseAddress else { return nil }
        precondition(anchor >= 0 && anchor < needle.count)
        let anchorByte = Int32(needle[anchor])
        let last = hay.count - needle.count
        var i = from
        return needle.withUnsafeBufferPointer { n in
            while i <= last {
                guard let hit = memchr(base + i + anchor, anchorByte, last - i + 1) else { return nil }
                let j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - anchor
                if memcmp(base + j, n.baseAddress!, n.count) == 0 { return j }
                i = j + 1
            }
            return nil
        }
    }

    /// Whether `needle` occurs in `hay` (an empty needle always does).
    public static func contains(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        needle.isEmpty || find(needle, in: hay) != nil
    }

    /// The offset of the byte of `needle` least common in source code and prose (the first of equals).
    public static func rarestOffset(_ needle: [UInt8]) -> Int {
        var best = 0, bestRank = UInt8.max
        for (k, b) in needle.enumerated() where commonness[Int(b)] < bestRank {
            best = k
            bestRank = commonness[Int(b)]
        }
        return best
    }

    /// How common a byte is in code and text, 0 (rare, or not listed) to 63: an approximate order, only
    /// used to pick a search anchor.
    private static let commonness: [UInt8] = {
        let order = Array(" etaoinsrlhdc\nu_mp.fgy(),=b\"w'v:k-x0/1#2>[]<j*3q9z+{}".utf8)
        var table = [UInt8](repeating: 0, count: 256)
        for (rank, b) in order.enumerated() {
            let value = UInt8(order.count - rank)
            table[Int(b)] = value
            if b >= 0x61 && b <= 0x7A { table[Int(b - 0x20)] = value / 2 }  // upper case: rarer than lower
        }
        return table
    }()
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether `literal`'s bytes are this buffer's from `offset` on. The caller has checked that they lie within it
    /// (every caller compares lengths first: a token's, a field's, a name's), so the lexer's keyword test pays nothing
    /// more than its own loop did. One compare for the keyword, name, prefix and suffix tests over bytes.
    @inlinable @inline(__always)
    public func hasBytes(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        assert(offset >= 0 && n <= count - offset, "hasBytes: the literal runs past the buffer")
        let p = literal.utf8Start
        for k in 0..<n where self[offset + k] != p[k] { return false }
        return true
    }
}

extension StringProtocol {
    /// The text before and after the first `=`, nil without one. Found by bytes: an `=` followed by a combining mark
    /// or a zero-width joiner is one Character with it, which `firstIndex(of: "=")` and `contains("=")` do not find
    /// (`ENV GREETING=\u{301}` read as a key without a value).
    public func splitAtFirstEquals() -> (before: String, after: String)? {
        let u = utf8
        guard let eq = u.firstIndex(of: 0x3D) else { return nil }
        return (String(decoding: u[..<eq], as: UTF8.self), String(decoding: u[u.index(after: eq)...], as: UTF8.self))
    }

    /// Whether the text holds an `=` byte (see `splitAtFirstEquals`).
    public var containsEquals: Bool { utf8.contains(0x3D) }
}
