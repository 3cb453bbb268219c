// Scratch stacks the Python parser builds its element lists on (see `PyListStack`).

/// A stack the parser builds element lists on. A list's elements are pushed as they are parsed and the finished
/// list is moved into an array of exactly its length: one allocation per list instead of growth by doubling (each
/// step a new buffer, a copy and a free), and no spare capacity left in the tree. Lists nest (an argument list
/// inside an argument list), and a nested list is always finished or abandoned before its parent takes its next
/// element, so every list under construction is the top of the stack above its `mark`.
final class PyListStack<T> {
    private var base: UnsafeMutablePointer<T>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always) func push(_ x: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: x)
        count += 1
    }

    private func grow() {
        let n = capacity * 2
        let nb = UnsafeMutablePointer<T>.allocate(capacity: n)
        nb.moveInitialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = n
    }

    /// Element `i` (an absolute index: a list's elements are `mark..<count`).
    @inline(__always) subscript(i: Int) -> T { base[i] }

    /// The elements above `mark`, moved into a new array; the stack is back at `mark`.
    @inline(__always) func pop(from mark: Int) -> [T] {
        let n = count - mark
        guard n > 0 else { return [] }
        count = mark
        let from = base + mark
        return Array(unsafeUninitializedCapacity: n) { buf, c in
            buf.baseAddress!.moveInitialize(from: from, count: n)
            c = n
        }
    }

    /// Drops the elements above `mark` (a list abandoned by a syntax error); a no-op after `pop(from: mark)`.
    @inline(__always) func discard(from mark: Int) {
        guard count > mark else { return }
        (base + mark).deinitialize(count: count - mark)
        count = mark
    }
}

/// The stacks one parse shares with its f-string sub-parsers.
final class PyParserLists {
    let exprs = PyListStack<PyExpr>()
    let optionalExprs = PyListStack<PyExpr?>(capacity: 16)
    let keywords = PyListStack<PyKeyword>(capacity: 16)
    let stmts = PyListStack<PyStmt>()
    let names = PyNameTable()
}

/// The strings of one file's names and numbers, one per distinct spelling: a name used a hundred times is decoded
/// once (and a long one allocated once, its copies sharing the storage). An open-addressing table keyed by the
/// bytes of the spelling's first occurrence.
final class PyNameTable {
    private var slots = [Int32](repeating: -1, count: 256)
    private var mask = 255
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var strings: [String] = []
    /// Longer tokens are rarely repeated; they are decoded each time.
    static let maxLength = 64

    init() {
        starts.reserveCapacity(64); lengths.reserveCapacity(64); hashes.reserveCapacity(64); strings.reserveCapacity(64)
    }

    /// The string of `b[start..<end]`.
    func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let n = end - start
        guard n > 0, n <= Self.maxLength, let base = b.baseAddress else {
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
        let p = base + start
        // FNV-1a.
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<n { h = (h ^ UInt64(p[k])) &* 0x0000_0100_0000_01B3 }
        var i = Self.slot(h, mask)
        while true {
            let e = Int(slots[i])
            if e < 0 { break }
            if hashes[e] == h, lengths[e] == n {
                let q = base + starts[e]
                var k = 0
                while k < n, q[k] == p[k] { k += 1 }
                if k == n { return strings[e] }
            }
            i = (i + 1) & mask
        }
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        slots[i] = Int32(truncatingIfNeeded: strings.count)
        starts.append(start); lengths.append(n); hashes.append(h); strings.append(s)
        if strings.count * 2 > slots.count { grow() }
        return s
    }

    @inline(__always) private static func slot(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h ^ (h >> 32)) & mask }

    private func grow() {
        let n = slots.count * 2
        mask = n - 1
        slots = [Int32](repeating: -1, count: n)
        for e in 0..<hashes.count {
            var i = Self.slot(hashes[e], mask)
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(truncatingIfNeeded: e)
        }
    }
}
