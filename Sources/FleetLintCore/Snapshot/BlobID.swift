import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Git's object id of a file's bytes: SHA-1 over `blob <size>\0` + bytes, as lowercase hex. The same
/// bytes have the same id in the working tree, the index and every commit, so one cache serves all
/// of them (see docs/ARCHITECTURE.md, "Cache").
public struct BlobID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    public static func of(_ bytes: [UInt8]) -> BlobID {
        bytes.withUnsafeBufferPointer { of(UnsafeRawBufferPointer($0)) }
    }

    public static func of(_ bytes: UnsafeRawBufferPointer) -> BlobID {
        var sha = Insecure.SHA1()
        // The `blob <n>\0` header from the stack (no string, no array per file); the bytes then go to
        // BoringSSL's block function in place.
        var header: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &header) { h in
            h[0] = 0x62; h[1] = 0x6C; h[2] = 0x6F; h[3] = 0x62; h[4] = 0x20  // "blob "
            var n = 5, m = bytes.count
            repeat { h[n] = UInt8(truncatingIfNeeded: m % 10) | 0x30; n += 1; m /= 10 } while m > 0
            var lo = 5, hi = n - 1
            while lo < hi { h.swapAt(lo, hi); lo += 1; hi -= 1 }
            h[n] = 0
            sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: h[0...n]))
        }
        sha.update(bufferPointer: bytes)
        return BlobID(hex: sha.finalize().withUnsafeBytes { Hex.string($0) })
    }

    public var description: String { hex }
    /// The abbreviated form git prints (`git log --abbrev=7`).
    public var short: String { String(hex.prefix(7)) }

    public static func < (a: BlobID, b: BlobID) -> Bool { a.hex < b.hex }

    public init(from decoder: Decoder) throws { hex = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

/// SHA-256 of strings, as hex: cache keys and secret hashes (never for display of a secret).
public enum ContentHash {
    /// The parts, each followed by 0x1F, hashed in one call (one small update per part cost more than the
    /// hashing itself for the tens of thousands of paths of a run memo key). A 0x1E or 0x1F byte inside a part (a
    /// path may hold any byte but NUL) is written after a 0x1E, so two lists of parts never give the same bytes; any
    /// other part hashes as it always did.
    public static func sha256(_ parts: [String]) -> String {
        var b = Builder()
        for p in parts { b.part(p) }
        return b.finish()
    }

    /// Builds the same digest as `sha256(_:)` from parts written piece by piece, without a String per part.
    /// The bytes are hashed in pieces of `flushSize` as they come (the digest is the same): a run memo key
    /// (every entry's path and blob id, then every path of the tree) buffered whole was 6 MB of the 16x tree's
    /// peak, built on the cache's writer thread while the project rules run.
    public struct Builder {
        var bytes: [UInt8] = []
        /// Created once `bytes` first reaches `flushSize` (a cache key never does: one call at the end).
        private var hasher: SHA256?
        static let flushSize = 1 << 16
        public init() { bytes.reserveCapacity(256) }
        /// Appends to the current part (0x1E and 0x1F escaped by a 0x1E, see `sha256(_:)`).
        public mutating func append(_ s: String) {
            // Two `memchr` scans (a closure per byte was ~1 % of a staged check, whose keys hash megabytes of paths).
            let plain = s.utf8.withContiguousStorageIfAvailable { b in
                guard let p = b.baseAddress, !b.isEmpty else { return true }
                return memchr(p, 0x1E, b.count) == nil && memchr(p, 0x1F, b.count) == nil
            } ?? !s.utf8.contains { $0 == 0x1E || $0 == 0x1F }
            if plain { bytes.append(contentsOf: s.utf8); return }
            for byte in s.utf8 {
                if byte == 0x1E || byte == 0x1F { bytes.append(0x1E) }
                bytes.append(byte)
            }
        }
        public mutating func append(byte: UInt8) { bytes.append(byte) }
        /// Ends the current part.
        public mutating func endPart() {
            bytes.append(0x1F)
            if bytes.count >= Self.flushSize { flush() }
        }
        public mutating func part(_ s: String) { append(s); endPart() }

        private mutating func flush() {
            if hasher == nil { hasher = SHA256() }
            bytes.withUnsafeBytes { hasher!.update(bufferPointer: $0) }
            bytes.removeAll(keepingCapacity: true)
        }

        private func digest() -> SHA256.Digest {
            guard var h = hasher else { return SHA256.hash(data: bytes) }
            bytes.withUnsafeBytes { h.update(bufferPointer: $0) }
            return h.finalize()
        }

        public func finish() -> String { digest().withUnsafeBytes { Hex.string($0) } }
        /// The digest's 32 bytes.
        func finishRaw() -> [UInt8] { digest().withUnsafeBytes { Array($0) } }
    }

    public static func sha256(bytes: [UInt8]) -> String { SHA256.hash(data: bytes).withUnsafeBytes { Hex.string($0) } }
}

enum Hex {
    /// Lowercase hex of raw bytes (a digest), written straight into the string's storage.
    static func string(_ raw: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: raw.count * 2) { out in
            for (i, b) in raw.enumerated() {
                let hi = b >> 4, lo = b & 0xF
                out[2 * i] = hi < 10 ? 0x30 + hi : 0x57 + hi
                out[2 * i + 1] = lo < 10 ? 0x30 + lo : 0x57 + lo
            }
            return raw.count * 2
        }
    }
}
