import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Git's object id of a file's bytes: SHA-1 over `blob <size>\0` + bytes, as lowercase hex. The same
/// bytes have the same id in the working tree, the index and every commit, so one cache serves all
/// of them (see docs/ARCHITECTURE.md, "Cache").
///
/// A SHA-1 id is kept as its 20 bytes inline (`hex` spells it on demand): as a 40-character `String` it was a heap
/// object of 72 bytes per file in the snapshot and the facts (~2.7 MB of the 16x tree's peak). Any other spelling (a
/// SHA-256 repository's 64 digits, the cache's `binary`/`too-large` sentinels) is kept as its string.
public struct BlobID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    private enum Storage: Hashable, Sendable {
        /// The 20 bytes, big-endian in the three words (so that comparing words compares the hex).
        case sha1(UInt64, UInt64, UInt32)
        case spelled(String)
    }
    private let storage: Storage

    /// An id as git spells it: 40 lowercase hex digits are stored as bytes, anything else as given.
    public init(hex: String) {
        var hex = hex
        storage = hex.withUTF8 { Self.sha1(UnsafeRawBufferPointer($0)) }.map { .sha1($0.0, $0.1, $0.2) } ?? .spelled(hex)
    }

    /// A SHA-1 id from the UTF-8 bytes of its spelling, without a String; nil unless they are 40 lowercase hex digits.
    init?(hexBytes: UnsafeRawBufferPointer) {
        guard let w = Self.sha1(hexBytes) else { return nil }
        storage = .sha1(w.0, w.1, w.2)
    }

    /// The words of 40 lowercase hex digits (nil for anything else).
    private static func sha1(_ u: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt32)? {
        guard u.count == 40 else { return nil }
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for (i, c) in u.enumerated() {
            let d: UInt64
            switch c {
            case 0x30...0x39: d = UInt64(c - 0x30)
            case 0x61...0x66: d = UInt64(c - 0x57)
            default: return nil
            }
            switch i {
            case 0..<16: words.0 = words.0 << 4 | d
            case 16..<32: words.1 = words.1 << 4 | d
            default: words.2 = words.2 << 4 | d
            }
        }
        return (words.0, words.1, UInt32(truncatingIfNeeded: words.2))
    }

    private init(digest raw: UnsafeRawBufferPointer) {
        func word(_ at: Int, _ n: Int) -> UInt64 { raw[at..<(at + n)].reduce(0) { $0 << 8 | UInt64($1) } }
        storage = .sha1(word(0, 8), word(8, 8), UInt32(truncatingIfNeeded: word(16, 4)))
    }

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
        return sha.finalize().withUnsafeBytes { BlobID(digest: $0) }
    }

    /// Calls `body` with the spelling's UTF-8 bytes (40 digits of a SHA-1 id from the stack, no String).
    public func withHexBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .sha1(let a, let b, let c):
            // Eight digits a word (`Hex.digits`): the cache keys, the stat table and the run memo's key spell every
            // file's id, a digit at a time ~1,000 instructions an id.
            var digits = (Hex.digits(UInt32(truncatingIfNeeded: a >> 32)), Hex.digits(UInt32(truncatingIfNeeded: a)),
                          Hex.digits(UInt32(truncatingIfNeeded: b >> 32)), Hex.digits(UInt32(truncatingIfNeeded: b)),
                          Hex.digits(c))
            return try withUnsafeBytes(of: &digits) { try body($0) }
        case .spelled(let s):
            var s = s
            return try s.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The id as git spells it (lowercase hex), made on each call.
    public var hex: String {
        switch storage {
        case .sha1: withHexBytes { String(decoding: $0, as: UTF8.self) }
        case .spelled(let s): s
        }
    }

    public var description: String { hex }
    /// The abbreviated form git prints (`git log --abbrev=7`).
    public var short: String { String(hex.prefix(7)) }

    public static func < (a: BlobID, b: BlobID) -> Bool {
        if case .sha1(let a0, let a1, let a2) = a.storage, case .sha1(let b0, let b1, let b2) = b.storage {
            return (a0, a1, a2) < (b0, b1, b2)
        }
        return a.hex < b.hex
    }

    public init(from decoder: Decoder) throws { self.init(hex: try decoder.singleValueContainer().decode(String.self)) }
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
            if s.utf8.withContiguousStorageIfAvailable({ append(escaping: UnsafeRawBufferPointer($0)) }) == nil {
                Array(s.utf8).withUnsafeBytes { append(escaping: $0) }
            }
        }
        public mutating func append(byte: UInt8) { bytes.append(byte) }
        /// Appends a blob id's spelling to the current part (from the stack: no String).
        public mutating func append(_ blob: BlobID) {
            blob.withHexBytes { append(escaping: $0) }
        }
        /// Appends bytes to the current part, a 0x1E or 0x1F escaped by a 0x1E. Two `memchr` scans first (a closure
        /// per byte was ~1 % of a staged check, whose keys hash megabytes of paths): most parts need no escape.
        private mutating func append(escaping u: UnsafeRawBufferPointer) {
            guard let p = u.baseAddress, !u.isEmpty else { return }
            if memchr(p, 0x1E, u.count) == nil && memchr(p, 0x1F, u.count) == nil { bytes.append(contentsOf: u); return }
            for byte in u {
                if byte == 0x1E || byte == 0x1F { bytes.append(0x1E) }
                bytes.append(byte)
            }
        }
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
    /// Lowercase hex of raw bytes (a digest), written straight into the string's storage, eight digits a word.
    static func string(_ raw: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: raw.count * 2) { out in
            var i = 0
            while i + 4 <= raw.count {
                let x = UInt32(raw[i]) << 24 | UInt32(raw[i + 1]) << 16 | UInt32(raw[i + 2]) << 8 | UInt32(raw[i + 3])
                withUnsafeBytes(of: digits(x)) { d in
                    for k in 0..<8 { out[2 * i + k] = d[k] }
                }
                i += 4
            }
            for j in i..<raw.count {  // a tail shorter than a word (no digest has one)
                let hi = raw[j] >> 4, lo = raw[j] & 0xF
                out[2 * j] = hi < 10 ? 0x30 + hi : 0x57 + hi
                out[2 * j + 1] = lo < 10 ? 0x30 + lo : 0x57 + lo
            }
            return raw.count * 2
        }
    }

    /// The eight lowercase hex digits of `x`, most significant first, as the bytes of a word in memory order: each
    /// nibble spread to a byte, then `0`-`9` or `a`-`f` added to all eight at once.
    @inline(__always) static func digits(_ x: UInt32) -> UInt64 {
        var v = UInt64(x)
        v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
        v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
        v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // Each byte now holds one nibble, the most significant nibble in the most significant byte: swapped so that
        // it comes first in memory (little-endian).
        let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101  // 1 in each byte of 10...15
        return (v &+ 0x3030_3030_3030_3030 &+ letters &* 0x27).bigEndian
    }
}
