#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path as a dictionary key, compared and hashed by its UTF-8 bytes. `String` compares canonical equivalence:
/// `café.py` in NFC and in NFD are one String but two files to git and the file system, and keyed by String one
/// file's facts, bytes or lines stood for the other's (its cache entry included).
struct PathKey: Hashable, Sendable {
    let path: String
    init(_ path: String) { self.path = path }

    static func == (a: PathKey, b: PathKey) -> Bool {
        var (x, y) = (a.path, b.path)
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }

    func hash(into hasher: inout Hasher) {
        var p = path
        p.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
