#if canImport(Glibc)
import Glibc
#endif

/// Finding a byte string in bytes: `memchr` for the first byte, then a compare (`memmem` is not visible
/// from Swift's Glibc module). Keyword gates, suppression directives, glob and `.dockerignore` prefilters.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` at or after `from`, or nil.
    public static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard !needle.isEmpty, from < hay.count, needle.count <= hay.count - from, let base = hay.baseAddress else { return nil }
        let first = Int32(needle[0])
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
            let j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var k = 1
            while k < needle.count && hay[j + k] == needle[k] { k += 1 }
            if k == needle.count { return j }
            i = j + 1
        }
        return nil
    }

    /// Whether `needle` occurs in `hay` (an empty needle always does).
    public static func contains(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        needle.isEmpty || find(needle, in: hay) != nil
    }
}
