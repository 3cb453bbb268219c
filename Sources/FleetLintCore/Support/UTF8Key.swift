import FleetLintSyntax

/// A string as a dictionary key, compared and hashed by its UTF-8 bytes. `String` compares canonical equivalence:
/// `café.py` in NFC and in NFD are one String but two files to git and the file system (keyed by String, one file's
/// facts, bytes or lines stood for the other's, its cache entry included), and two settings strings that differ in
/// bytes are two settings. The cache's interner compares its strings the same way (`String.utf8Equals`).
public struct UTF8Key: Hashable, Sendable {
    public let string: String
    public init(_ string: String) { self.string = string }

    public static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.string.utf8Equals(b.string) }

    public func hash(into hasher: inout Hasher) {
        if string.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for b in string.utf8 { hasher.combine(b) }
        }
    }
}
