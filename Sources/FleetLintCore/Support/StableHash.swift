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

    public static func hex16(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// `fl1:` fingerprint over the parts joined with a separator that cannot occur in them.
    public static func fingerprint(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            h = fnv1a64(part.utf8, seed: h)
            h = fnv1a64([0x1F], seed: h)
        }
        return "fl1:" + hex16(h)
    }
}
