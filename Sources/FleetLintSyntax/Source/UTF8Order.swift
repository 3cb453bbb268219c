#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// `utf8.lexicographicallyPrecedes(other.utf8)` (byte order, as git sorts paths), with one `memcmp`
    /// instead of a generic walk over the two UTF-8 views (sorting 9,000 paths took 0.2 G instructions).
    public func utf8Precedes(_ other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                let n = min(pa.count, pb.count)
                if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
                    let r = memcmp(x, y, n)
                    if r != 0 { return r < 0 }
                }
                return pa.count < pb.count
            }
        }
    }
}
