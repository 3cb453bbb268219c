#if canImport(Glibc)
import Glibc
#endif
/// A table of where each line of a buffer starts (`LineIndex`, and `LineStarts` without columns): line numbers and
/// line ranges from it.
public protocol LineStartTable {
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    var lineStarts: [Int] { get }
    var byteCount: Int { get }
}

extension LineStartTable {
    public var lineCount: Int { lineStarts.count }

    /// 1-based line containing `offset` (binary search).
    public func line(ofByteOffset offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// Byte range of a 1-based line, without its line terminator.
    public func byteRange(ofLine line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return byteCount..<byteCount }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : byteCount
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }
}

/// Maps byte offsets of a UTF-8 buffer to 1-based line/column positions. Built once per file.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (as Python and pip see them). Columns count Unicode
/// scalars; they are computed only for the positions that are asked for.
public struct LineIndex: LineStartTable, Sendable {
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    public let byteCount: Int
    /// UTF-8 continuation bytes before each 64-byte block (empty for an ASCII file), so a column is found
    /// without scanning its whole line: many positions on one long line stay linear.
    private let continuationsBefore: [UInt32]
    private static let block = 64

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        let n = bytes.count
        Self.appendLineStarts(bytes, from: 0, to: &starts)
        lineStarts = starts
        byteCount = n
        var blocks: [UInt32] = []
        if Self.hasNonASCII(bytes) {
            blocks.reserveCapacity(n / Self.block + 2)
            var count: UInt32 = 0
            let raw = UnsafeRawPointer(bytes.baseAddress!)
            var k = 0
            while k < n {
                blocks.append(count)
                let end = min(k + Self.block, n)
                // A continuation byte is 10xxxxxx: bit 7 set, bit 6 clear (bit 6 shifted onto bit 7). Each
                // byte lane counts its block's continuation bytes (at most 8); one multiply sums the lanes
                // (no popcount instruction in a generic x86-64 build).
                var lanes: UInt64 = 0
                while k + 8 <= end {
                    let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                    lanes &+= (w & ~(w << 1) & 0x8080_8080_8080_8080) >> 7
                    k += 8
                }
                count += UInt32(truncatingIfNeeded: (lanes &* 0x0101_0101_0101_0101) >> 56)
                while k < end { if bytes[k] & 0xC0 == 0x80 { count += 1 }; k += 1 }
            }
            blocks.append(count)
        }
        continuationsBefore = blocks
    }

    /// Appends the offset after every line terminator at or after `from` (`\n`, `\r\n` or a lone `\r`,
    /// as Python and pip see them). `memchr` finds the `\n`s when there is no `\r` (nearly every file).
    public static func appendLineStarts(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to starts: inout [Int]) {
        let n = bytes.count
        guard let base = bytes.baseAddress, from < n else { return }
        if memchr(base + from, 0x0D, n - from) == nil {
            var offset = from
            while offset < n, let hit = memchr(base + offset, 0x0A, n - offset) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                starts.append(at + 1)
                offset = at + 1
            }
        } else {
            var i = from
            while i < n {
                let b = bytes[i]
                if b == 0x0A {
                    starts.append(i + 1)
                } else if b == 0x0D {
                    if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
        }
    }

    /// Whether any byte has its high bit set, eight bytes at a time.
    static func hasNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let n = bytes.count
        var acc: UInt64 = 0
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i + 8 <= n {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n { acc |= UInt64(base[i]); i += 1 }
        return acc & 0x8080_8080_8080_8080 != 0
    }

    /// Continuation bytes in `bytes[0..<offset]`.
    private func continuations(before offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let b = offset / Self.block
        var count = Int(continuationsBefore[min(b, continuationsBefore.count - 1)])
        var i = b * Self.block
        while i < offset { if bytes[i] & 0xC0 == 0x80 { count += 1 }; i += 1 }
        return count
    }

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { LineIndex($0) }
    }

    /// The location of a byte offset, with the column counted in Unicode scalars (UTF-8 continuation
    /// bytes are not counted). Invalid UTF-8 bytes count as one column each.
    public func location(ofByteOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        let line = line(ofByteOffset: offset)
        let start = lineStarts[line - 1]
        let end = max(start, min(offset, bytes.count))
        if continuationsBefore.isEmpty || bytes.count != byteCount {
            if continuationsBefore.isEmpty && bytes.count == byteCount { return SourceLocation(line: line, column: 1 + end - start) }
            var column = 1
            var i = start
            while i < end {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return SourceLocation(line: line, column: column)
        }
        let continuation = continuations(before: end, in: bytes) - continuations(before: start, in: bytes)
        return SourceLocation(line: line, column: 1 + (end - start) - continuation)
    }

    public func location(ofByteOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        bytes.withUnsafeBufferPointer { location(ofByteOffset: offset, in: $0) }
    }
}
