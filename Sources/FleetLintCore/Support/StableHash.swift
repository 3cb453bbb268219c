/// FNV-1a, 64 bit: a fast, platform-independent hash for fingerprints (not for security; secret
/// hashes use SHA-256 in the secrets engine).
public enum StableHash {
    public static func fnv1a64<S: Sequence>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
    where S.Element == UInt8 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    public static func hex16(_ value: UInt64) -> String { hex(value, prefix: "") }

    /// `prefix` then the value in 16 lowercase hex digits, written in place (no `String(_:radix:)` and padding).
    private static func hex(_ value: UInt64, prefix: StaticString) -> String {
        let p = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: p + 16) { buf in
            for k in 0..<p { buf[k] = prefix.utf8Start[k] }
            var v = value
            for k in (0..<16).reversed() {
                let d = UInt8(truncatingIfNeeded: v & 0xF)
                buf[p + k] = d < 10 ? 0x30 + d : 0x57 + d
                v >>= 4
            }
            return p + 16
        }
    }

    /// FNV-1a of a string's UTF-8, read in place when the string is contiguous (native strings are).
    @inline(__always)
    static func fnv1a64(string s: String, seed: UInt64) -> UInt64 {
        s.utf8.withContiguousStorageIfAvailable { buf in
            var h = seed
            for b in buf {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
            return h
        } ?? fnv1a64(s.utf8, seed: seed)
    }

    /// `fl1:` fingerprint over the parts joined with a separator that cannot occur in them.
    public static func fingerprint(_ parts: [String]) -> String { fingerprint(continuing: fingerprintState(parts), []) }

    /// The hash state of `fingerprint` after `parts`: `fingerprint(continuing: fingerprintState(a), b)` is
    /// `fingerprint(a + b)`, so a long common prefix (a line with thousands of findings) is hashed once.
    static func fingerprintState(_ parts: [String], from seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for part in parts {
            h = fnv1a64(string: part, seed: h)
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func fingerprint(continuing state: UInt64, _ parts: [String]) -> String {
        hex(fingerprintState(parts, from: state), prefix: "fl1:")
    }
}
