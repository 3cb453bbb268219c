#if canImport(Glibc)
import Glibc
#endif

/// Byte order of two UTF-8 buffers: negative, zero or positive (`memcmp`, the shorter first on a common prefix).
@inlinable
public func utf8Compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
    let n = Swift.min(a.count, b.count)
    let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
    if c != 0 { return c }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

extension String {
    /// `directory/name` (just `name` under the root `""`), allocated at its exact length. `directory + "/" + name`
    /// appends twice, and the second append of a unique string doubles its capacity: a walked path kept about
    /// twice its bytes (the 16x synthetic tree's 37,000 paths: ~5 MiB, half of it unused).
    public static func joiningPath(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        var directory = directory, name = name
        let d = directory.utf8.count, n = name.utf8.count
        return directory.withUTF8 { dir in
            name.withUTF8 { file in
                String(unsafeUninitializedCapacity: d + 1 + n) { out in
                    _ = out.initialize(from: dir)
                    out[d] = UInt8(ascii: "/")
                    _ = UnsafeMutableBufferPointer(rebasing: out[(d + 1)...]).initialize(from: file)
                    return d + 1 + n
                }
            }
        }
    }

    /// Byte order of the UTF-8 encodings, as git sorts paths and reports are ordered: a `memcmp` over
    /// the contiguous bytes (sorting the paths of a large repository compared them one byte at a time).
    @inlinable
    public func utf8Precedes(_ other: String) -> Bool {
        let fast = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in utf8Compare(a, b) < 0 }
        }
        if let fast, let result = fast { return result }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// Whether this path is `directory` or a path under it (`directory/…`), by UTF-8 bytes (an NFC `café` does not
    /// select its NFD twin, which is another directory to the file system); `""` holds everything.
    public func utf8IsSameOrUnder(_ directory: String) -> Bool {
        let (p, d) = (utf8, directory.utf8)
        guard !d.isEmpty else { return true }
        guard p.count >= d.count, p.starts(with: d) else { return false }
        return p.count == d.count || p[p.index(p.startIndex, offsetBy: d.count)] == UInt8(ascii: "/")
    }

    /// Whether the two strings have the same UTF-8 bytes (`==` is canonical equivalence: an NFC and an NFD `café.py`
    /// are equal Strings but two files): a `memcmp` over the contiguous bytes, as `utf8Precedes`.
    @inlinable
    public func utf8Equals(_ other: String) -> Bool {
        let fast = utf8.withContiguousStorageIfAvailable { x in
            other.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count && (x.baseAddress == y.baseAddress || x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
        if let fast, let same = fast { return same }
        return utf8.elementsEqual(other.utf8)
    }
}
