#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// Byte order of the UTF-8 encodings, as git sorts paths and reports are ordered: a `memcmp` over
    /// the contiguous bytes (sorting the paths of a large repository compared them one byte at a time).
    @inlinable
    public func utf8Precedes(_ other: String) -> Bool {
        let fast = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let n = Swift.min(a.count, b.count)
                let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
                return c != 0 ? c < 0 : a.count < b.count
            }
        }
        if let fast, let result = fast { return result }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}
