#if canImport(Glibc)
import Glibc
#endif

/// Line numbers and line ranges for the few offsets the secret scanner asks about, with `LineIndex`'s
/// semantics (lines end at `\n`, `\r\n` or a lone `\r`; ranges exclude the terminator) but without its
/// table of every line start and per-block column counts: a keyword hit in the first lines of a large
/// file costs a walk to that hit, not a pass over the whole file.
struct SparseLines {
    let bytes: UnsafeBufferPointer<UInt8>
    private let hasCR: Bool
    /// The lines located so far, in increasing order: (1-based line, byte offset of its start).
    private(set) var known: [(line: Int, start: Int)] = [(1, 0)]

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if let base = bytes.baseAddress, bytes.count > 0 { hasCR = memchr(base, 0x0D, bytes.count) != nil } else { hasCR = false }
    }

    /// The start of the line after the one holding offset `p`, or `nil` on the last line.
    func nextStart(after p: Int) -> Int? {
        let n = bytes.count
        guard p < n, let base = bytes.baseAddress else { return nil }
        if !hasCR {
            guard let hit = memchr(base + p, 0x0A, n - p) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        var i = p
        while i < n {
            let b = bytes[i]
            if b == 0x0A { return i + 1 }
            if b == 0x0D { return i + 1 < n && bytes[i + 1] == 0x0A ? i + 2 : i + 1 }
            i += 1
        }
        return nil
    }

    /// The 1-based line holding `offset` and the start of the next line (`nil` on the last line).
    /// Fast when offsets come in increasing order (the walk resumes at the last located line).
    mutating func locate(_ offset: Int) -> (line: Int, nextStart: Int?) {
        var (line, start) = nearest(atOrBefore: offset)
        if !hasCR, start < offset, offset <= bytes.count, let base = bytes.baseAddress {
            // Only `\n` ends a line: the lines between are counted sixteen bytes at a time, and the last one before
            // `offset` found backwards (a `memchr` per line cost ~50 instructions a line on long files).
            let skipped = Self.newlines(base + start, count: offset - start)
            if skipped > 0 {
                var last = offset - 1
                while base[last] != 0x0A { last -= 1 }
                line += skipped
                start = last + 1
            }
        }
        while let next = nextStart(after: start), next <= offset {
            line += 1
            start = next
        }
        if line > known[known.count - 1].line { known.append((line, start)) }
        return (line, nextStart(after: start))
    }

    /// How many `\n` bytes the `count` bytes at `p` hold.
    static func newlines(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
        let newline = SIMD16<UInt8>(repeating: 0x0A), one = SIMD16<UInt8>(repeating: 1), zero = SIMD16<UInt8>()
        let raw = UnsafeRawPointer(p)
        var total = 0
        var i = 0
        while i + 16 <= count {
            // Per-lane counts in bytes, summed before any lane can pass 255.
            var lanes = SIMD16<UInt8>()
            var blocks = 0
            while blocks < 255, i + 16 <= count {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                lanes &+= one.replacing(with: zero, where: v .!= newline)
                i += 16
                blocks += 1
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < count {
            if p[i] == 0x0A { total += 1 }
            i += 1
        }
        return total
    }

    /// The byte range of a 1-based line without its terminator (empty past the last line).
    mutating func byteRange(ofLine target: Int) -> Range<Int> {
        let n = bytes.count
        guard target >= 1 else { return n..<n }
        var (line, start) = known[lastIndex { $0.line <= target }]
        while line < target {
            guard let next = nextStart(after: start) else { return n..<n }
            line += 1
            start = next
        }
        if start == n, line > 1 { return n..<n }
        if line > known[known.count - 1].line { known.append((line, start)) }
        return self.line(startingAt: start).range
    }

    /// The line that starts at `start`: its bytes without the terminator, and the next line's start (nil on
    /// the last line).
    func line(startingAt start: Int) -> (range: Range<Int>, next: Int?) {
        let next = nextStart(after: start)
        var end = next ?? bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return (start..<end, next)
    }

    /// The known line at or before `offset` with the greatest start.
    private func nearest(atOrBefore offset: Int) -> (Int, Int) {
        known[lastIndex { $0.start <= offset }]
    }

    /// The last index of `known` whose entry satisfies `isAtOrBefore` (true on a prefix; `known[0]` always).
    private func lastIndex(_ isAtOrBefore: ((line: Int, start: Int)) -> Bool) -> Int {
        var lo = 0, hi = known.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if isAtOrBefore(known[mid]) { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
