// `split(separator:)` over UTF-8 bytes. `String.split` walks Characters (grapheme breaking, ~500
// instructions a character); paths and dotted names are nearly always ASCII, and in an ASCII string
// every byte but `\r\n` is its own Character, so splitting on a byte gives the same pieces.

import Foundation

extension String {
    /// Every UTF-8 byte is below 0x80: `utf8.allSatisfy { $0 < 0x80 }`, eight bytes a step over the string's own
    /// storage (the closure per byte cost ~45 instructions a byte: most of listing a build context's 9,000 paths).
    public var isASCIIBytes: Bool {
        utf8.withContiguousStorageIfAvailable { !LineIndex.hasNonASCII($0) } ?? utf8.allSatisfy { $0 < 0x80 }
    }

    /// `hasSuffix(suffix)` by bytes where that gives the same answer (see `Substring.utf8HasSuffix`).
    public func utf8HasSuffix(_ suffix: String) -> Bool { self[...].utf8HasSuffix(suffix) }

    /// The same as `split(separator: Character(separator))` (empty pieces omitted), found over UTF-8 when
    /// the string is ASCII; any other string goes through `split`. `separator` is an ASCII byte other than
    /// `\r` and `\n`.
    public func asciiSplit(_ separator: UInt8) -> [Substring] {
        if let pieces = asciiPieces(separator) { return pieces }
        return split(separator: Character(Unicode.Scalar(separator)))
    }

    /// `split(separator: Character(separator)).last`, without building the other pieces.
    public func asciiLastComponent(_ separator: UInt8) -> Substring? {
        let found: (Int, Int)?? = utf8.withContiguousStorageIfAvailable { buf -> (Int, Int)? in
            var any: UInt8 = 0
            for b in buf { any |= b }
            guard any < 0x80 else { return nil }
            var end = buf.count
            while end > 0, buf[end - 1] == separator { end -= 1 }
            var start = end
            while start > 0, buf[start - 1] != separator { start -= 1 }
            return (start, end)
        }
        guard let found, let (start, end) = found else { return split(separator: Character(Unicode.Scalar(separator))).last }
        if start == end { return nil }
        return self[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]
    }

    /// Pieces of an ASCII string with contiguous UTF-8; nil otherwise.
    private func asciiPieces(_ separator: UInt8) -> [Substring]? {
        let bounds: [(Int, Int)]?? = utf8.withContiguousStorageIfAvailable { buf -> [(Int, Int)]? in
            var out: [(Int, Int)] = []
            var any: UInt8 = 0
            var start = 0
            for i in 0..<buf.count {
                let b = buf[i]
                any |= b
                if b == separator {
                    if i > start { out.append((start, i)) }
                    start = i + 1
                }
            }
            guard any < 0x80 else { return nil }
            if buf.count > start { out.append((start, buf.count)) }
            return out
        }
        guard let bounds, let bounds else { return nil }
        let base = utf8.startIndex
        return bounds.map { self[utf8.index(base, offsetBy: $0.0)..<utf8.index(base, offsetBy: $0.1)] }
    }
}

extension Substring {
    /// `hasSuffix(suffix)` for an ASCII suffix without `\r` or `\n`, compared as bytes when this text is ASCII
    /// near its end (then its last Characters are single bytes); otherwise `hasSuffix`.
    /// (Byte access through contiguous storage: the generic `UTF8View` suffix and an `Array` of the suffix per
    /// call cost ~1,200 instructions, and it runs for every path of a repository.)
    public func utf8HasSuffix(_ suffix: String) -> Bool {
        let byBytes: Bool?? = utf8.withContiguousStorageIfAvailable { u -> Bool? in
            var suffix = suffix
            return suffix.withUTF8 { s -> Bool? in
                guard u.count >= s.count else { return nil }
                // The byte before the suffix counts too: a non-ASCII one could be part of its first Character.
                let from = u.count - s.count
                var k = Swift.max(from - 1, 0)
                while k < u.count { if u[k] >= 0x80 { return nil }; k += 1 }
                return memcmp(u.baseAddress! + from, s.baseAddress!, s.count) == 0
            }
        }
        if let byBytes, let result = byBytes { return result }
        return hasSuffix(suffix)
    }
}
