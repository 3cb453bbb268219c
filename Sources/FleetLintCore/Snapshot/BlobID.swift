import Crypto

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
        sha.update(data: Array("blob \(bytes.count)\0".utf8))
        sha.update(bufferPointer: bytes)
        return BlobID(hex: Hex.encode(sha.finalize()))
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
    /// hashing itself for the tens of thousands of paths of a run memo key).
    public static func sha256(_ parts: [String]) -> String {
        var b = Builder()
        for p in parts { b.part(p) }
        return b.finish()
    }

    /// Builds the same digest as `sha256(_:)` from parts written piece by piece, without a String per part.
    public struct Builder {
        var bytes: [UInt8] = []
        public init() {}
        /// Appends to the current part.
        public mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
        public mutating func append(byte: UInt8) { bytes.append(byte) }
        /// Ends the current part.
        public mutating func endPart() { bytes.append(0x1F) }
        public mutating func part(_ s: String) { append(s); endPart() }
        public func finish() -> String { Hex.encode(SHA256.hash(data: bytes)) }
    }

    public static func sha256(bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}

enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
