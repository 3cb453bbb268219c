import Foundation

// Scratch stacks one Python parse shares with its f-string sub-parsers.
// A stack keeps its state behind a `let` pointer: a class's `var` properties are checked for exclusive access at run
// time on every use, which cost more than the work they do here.

/// A stack the parser builds element lists on. A list's elements are pushed as they are parsed and the finished
/// list is moved into an array of exactly its length: one allocation per list instead of growth by doubling (each
/// step a new buffer, a copy and a free), and no spare capacity left in the tree. Lists nest (an argument list
/// inside an argument list), and a nested list is always finished or abandoned before its parent takes its next
/// element, so every list under construction is the top of the stack above its `mark`.
struct PyListStack<T> {
    struct State {
        var base: UnsafeMutablePointer<T>
        var capacity: Int
        var count: Int
    }
    /// A handle, not an object: copies share the stack, and the parser's uses of it (a local `let xs = lists.exprs`
    /// held across the parse of each element) take no reference. As a class, each such local was a retain and a
    /// release, atomic (~400,000 pairs parsing the 1x synthetic tree). Its owner frees it (`free`): `PyParserScratch`.
    private let s: UnsafeMutablePointer<State>

    init(capacity: Int = 64) {
        s = .allocate(capacity: 1)
        s.initialize(to: State(base: .allocate(capacity: capacity), capacity: capacity, count: 0))
    }

    /// Destroys the elements and frees the stack (by its owner, once, when no handle is used any more).
    func free() {
        s.pointee.base.deinitialize(count: s.pointee.count)
        s.pointee.base.deallocate()
        s.deallocate()
    }

    @inline(__always) var count: Int { s.pointee.count }

    @inline(__always) func push(_ x: T) {
        if s.pointee.count == s.pointee.capacity { grow() }
        (s.pointee.base + s.pointee.count).initialize(to: x)
        s.pointee.count += 1
    }

    private func grow() {
        let n = s.pointee.capacity * 2
        let nb = UnsafeMutablePointer<T>.allocate(capacity: n)
        nb.moveInitialize(from: s.pointee.base, count: s.pointee.count)
        s.pointee.base.deallocate()
        s.pointee.base = nb
        s.pointee.capacity = n
    }

    /// Element `i` (an absolute index: a list's elements are `mark..<count`).
    @inline(__always) subscript(i: Int) -> T { s.pointee.base[i] }

    /// The elements above `mark`, moved into a new array; the stack is back at `mark`.
    /// `Array(PyMovedElements)`: the buffer is allocated by code specialised for `T` here, and the elements are moved
    /// into it in one block. (`Array(unsafeUninitializedCapacity:)` takes its buffer from a generic standard-library
    /// function that looks up the storage's type metadata at run time, a locked cache lookup of ~200 instructions per
    /// array; `reserveCapacity` and `append` cost a uniqueness and capacity check per element.)
    @inline(__always) func pop(from mark: Int) -> [T] {
        let n = s.pointee.count - mark
        guard n > 0 else { return [] }
        s.pointee.count = mark
        return Array(PyMovedElements(base: s.pointee.base + mark, count: n))
    }

    /// Moves the elements above `mark` to the end of `array` (a tree's list array); the stack is back at `mark`.
    @inline(__always) func moveAppend(from mark: Int, to array: inout PyArenaArray<T>) {
        let n = s.pointee.count - mark
        guard n > 0 else { return }
        s.pointee.count = mark
        array.moveAppend(from: s.pointee.base + mark, count: n)
    }

    /// Drops the elements above `mark` (a list abandoned by a syntax error); a no-op after `pop(from: mark)`.
    @inline(__always) func discard(from mark: Int) {
        let n = s.pointee.count - mark
        guard n > 0 else { return }
        (s.pointee.base + mark).deinitialize(count: n)
        s.pointee.count = mark
    }
}

/// Elements to be moved out of memory into a new array by `Array.init(_:)`, which fills the array through the
/// collection's `_copyContents(initializing:)`: this one moves them (no retain and release per element), so the
/// memory is left uninitialized. Used by `PyListStack.pop` only, once per instance.
struct PyMovedElements<T>: Collection {
    let base: UnsafeMutablePointer<T>
    let count: Int
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    @inline(__always) func index(after i: Int) -> Int { i + 1 }
    subscript(i: Int) -> T { base[i] }

    struct Iterator: IteratorProtocol {
        let base: UnsafeMutablePointer<T>
        var i: Int
        let end: Int
        mutating func next() -> T? {
            guard i < end else { return nil }
            defer { i += 1 }
            return base[i]
        }
    }
    func makeIterator() -> Iterator { Iterator(base: base, i: 0, end: count) }

    /// Moves every element into `buffer`; the iterator returned has nothing left.
    @inline(__always)
    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<T>) -> (Iterator, Int) {
        let n = Swift.min(count, buffer.count)
        let to = buffer.baseAddress
        if n <= 8 {
            // Most lists are a few elements: a loop is cheaper than `moveInitialize`'s call to `memmove`.
            for k in 0..<n { (to! + k).initialize(to: (base + k).move()) }
        } else {
            to!.moveInitialize(from: base, count: n)
        }
        precondition(n == count, "array buffer smaller than the list")
        return (Iterator(base: base, i: count, end: count), n)
    }
}

/// The stacks one parse shares with its f-string sub-parsers, with the file's bytes and the tree being built. The stacks and the token
/// strings are one `PyParserScratch` borrowed from a pool for the parse: every list is finished or discarded by the
/// time the parse returns, so the next parse finds them empty, and a parse allocates none of them (seven objects and
/// their buffers a file before).
final class PyParserLists {
    let exprs: PyListStack<PyExpr>
    let optionalExprs: PyListStack<PyExpr?>
    let keywords: PyListStack<PyKeyword>
    let stmts: PyListStack<PyStmt>
    let params: PyListStack<PyParameter>
    let aliases: PyListStack<PyAlias>
    /// The strings of names and numbers (a full parse only).
    let tokenStrings: PyTokenStrings
    private let scratch: PyParserScratch

    /// The arena the parse builds its nodes in (it holds the file's bytes, which string literals read).
    let tree: PyTree

    /// Scratch for a parse of `source`, from the pool (`PyParserScratch.checkOut`).
    init(source: [UInt8], tokens: Int) {
        tree = PyTree(source: source, tokens: tokens)
        let s = PyParserScratch.checkOut()
        scratch = s
        exprs = s.exprs; optionalExprs = s.optionalExprs; keywords = s.keywords; stmts = s.stmts; params = s.params
        aliases = s.aliases; tokenStrings = s.tokenStrings
    }
    deinit { PyParserScratch.checkIn(scratch) }

    /// The list of the expressions above `mark` on `exprs`, which is back at `mark`.
    @inline(__always) func exprList(from mark: Int) -> PyList<PyExpr> {
        let start = tree.s.pointee.exprItems.count, n = exprs.count - mark
        for i in mark..<exprs.count { tree.s.pointee.exprItems.append(exprs[i].index) }
        exprs.discard(from: mark)
        return PyList(tree, start, n)
    }
    /// `exprList` for `optionalExprs` (a dict's keys).
    @inline(__always) func optionalExprList(from mark: Int) -> PyList<PyExpr?> {
        let start = tree.s.pointee.exprItems.count, n = optionalExprs.count - mark
        for i in mark..<optionalExprs.count { tree.s.pointee.exprItems.append(optionalExprs[i]?.index ?? -1) }
        optionalExprs.discard(from: mark)
        return PyList(tree, start, n)
    }
    /// `exprList` for `stmts`.
    @inline(__always) func stmtList(from mark: Int) -> PyList<PyStmt> {
        let start = tree.s.pointee.stmtItems.count, n = stmts.count - mark
        for i in mark..<stmts.count { tree.s.pointee.stmtItems.append(stmts[i].index) }
        stmts.discard(from: mark)
        return PyList(tree, start, n)
    }
    /// The keywords above `mark` on `keywords`, moved into the tree.
    @inline(__always) func keywordList(from mark: Int) -> PyList<PyKeyword> {
        let start = tree.s.pointee.keywords.count, n = keywords.count - mark
        keywords.moveAppend(from: mark, to: &tree.s.pointee.keywords)
        return PyList(tree, start, n)
    }
    /// The aliases above `mark` on `aliases`, moved into the tree.
    @inline(__always) func aliasList(from mark: Int) -> PyList<PyAlias> {
        let start = tree.s.pointee.aliases.count, n = aliases.count - mark
        aliases.moveAppend(from: mark, to: &tree.s.pointee.aliases)
        return PyList(tree, start, n)
    }
    /// An empty list.
    @inline(__always) func empty<T>() -> PyList<T> { PyList(empty: tree) }
}

/// A parse's scratch stacks and token strings, kept between parses in a small pool (`checkOut`, `checkIn`).
final class PyParserScratch {
    let exprs = PyListStack<PyExpr>()
    let optionalExprs = PyListStack<PyExpr?>(capacity: 16)
    let keywords = PyListStack<PyKeyword>(capacity: 16)
    let stmts = PyListStack<PyStmt>()
    let params = PyListStack<PyParameter>(capacity: 16)
    let aliases = PyListStack<PyAlias>(capacity: 16)
    /// A spelling seen in an earlier file on the same worker is not decoded again (see `PyTokenStrings`).
    let tokenStrings = PyTokenStrings(capacity: 1024)

    /// The stacks are handles (`PyListStack`): their owner frees them.
    deinit {
        exprs.free(); optionalExprs.free(); keywords.free(); stmts.free(); params.free(); aliases.free()
    }

    /// At most this many wait in the pool (one per worker thread is what a run uses).
    static let maxPooled = 8
    /// Scratch not in use (never freed: the pool lives as long as the process).
    private static let pool = SparePool(limit: maxPooled) { PyParserScratch() }

    static func checkOut() -> PyParserScratch { pool.take() }

    /// Gives scratch back for the next parse, its stacks emptied (they are already, unless a list was left
    /// unfinished), or lets it go: when the pool is full, or when its token strings passed
    /// `PyTokenStrings.maxPooledCount` (the pool's memory stays bounded).
    static func checkIn(_ s: PyParserScratch) {
        s.exprs.discard(from: 0); s.optionalExprs.discard(from: 0); s.keywords.discard(from: 0)
        s.stmts.discard(from: 0); s.params.discard(from: 0); s.aliases.discard(from: 0)
        guard s.tokenStrings.count <= PyTokenStrings.maxPooledCount else { return }
        pool.giveBack(s)
    }
}

/// The strings of names and numbers, one per distinct spelling: `self`, `logger` or `requests` are made once and then
/// shared, instead of being decoded (and, past 15 UTF-8 bytes, allocated) at every use. A table outlives the parse that
/// used it: it is part of the scratch parses borrow from a small pool (`PyParserScratch`), so a spelling seen in an
/// earlier file on the same worker is not decoded again (on the synthetic 1x tree, ~188,000 strings were made per run
/// with a table per file, most of them spellings every file shares). Keyed by the token's bytes: a spelling of up to 8
/// bytes is compared by one word, up to 16 by two (its first and last 8 bytes), a longer one with bytes the table keeps.
final class PyTokenStrings {
    /// Open addressing, linear probing, at most half full, in parallel arrays: per slot the spelling's length (-1:
    /// empty), its first 8 bytes (zero-padded), its last 8 (spellings over 8 bytes), its hash, the offset of its bytes in
    /// `longBytes` (spellings over 16 bytes), and its string (initialized in occupied slots only).
    private struct State {
        var lengths: UnsafeMutablePointer<Int32>
        var words: UnsafeMutablePointer<UInt64>
        var lastWords: UnsafeMutablePointer<UInt64>
        var hashes: UnsafeMutablePointer<UInt32>
        var starts: UnsafeMutablePointer<Int32>
        var strings: UnsafeMutablePointer<String>
        var mask: Int
        var count: Int
        /// The bytes of the spellings over 16 bytes, one after another.
        var longBytes: UnsafeMutablePointer<UInt8>
        var longCount: Int
        var longCapacity: Int

        init(slots n: Int, longCapacity: Int) {
            lengths = .allocate(capacity: n); lengths.initialize(repeating: -1, count: n)
            words = .allocate(capacity: n); lastWords = .allocate(capacity: n); hashes = .allocate(capacity: n)
            starts = .allocate(capacity: n); strings = .allocate(capacity: n)
            mask = n - 1; count = 0
            longBytes = .allocate(capacity: longCapacity); longCount = 0; self.longCapacity = longCapacity
        }

        /// Frees the slots (and, unless `keepingBytes`, the long spellings' bytes).
        func free(keepingBytes: Bool = false) {
            for i in 0...mask where lengths[i] >= 0 { (strings + i).deinitialize(count: 1) }
            lengths.deallocate(); words.deallocate(); lastWords.deallocate(); hashes.deallocate(); starts.deallocate()
            strings.deallocate()
            if !keepingBytes { longBytes.deallocate() }
        }
    }
    private let s: UnsafeMutablePointer<State>
    /// Tokens longer than this are decoded each time (long names are rare and seldom repeated).
    static let maxLength = 64
    /// Scratch whose table holds more spellings than this is not given back to the pool (`PyParserScratch.checkIn`):
    /// the pool's memory stays bounded (~0.5 MiB a table) while the spellings a repository's files share stay in it.
    static let maxPooledCount = 4096

    /// A table for about `capacity` distinct spellings (it grows past that).
    init(capacity: Int = 64) {
        var n = 16
        while n < capacity * 2, n < 1 << 20 { n <<= 1 }
        s = .allocate(capacity: 1)
        s.initialize(to: State(slots: n, longCapacity: 256))
    }

    deinit {
        s.pointee.free()
        s.deallocate()
    }

    /// The number of spellings in the table.
    var count: Int { s.pointee.count }

    /// The bytes `b[i..<i+n]` (`n <= 8`) as a little-endian word, zero-padded; one load when 8 bytes can be read.
    @inline(__always) private static func word(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> UInt64 {
        if i &+ 8 <= b.count {
            let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: i, as: UInt64.self))
            return n >= 8 ? w : w & ((1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1)
        }
        var w: UInt64 = 0
        for k in 0..<min(n, 8) { w |= UInt64(b[i + k]) &<< UInt64(truncatingIfNeeded: k &* 8) }
        return w
    }

    /// The string of `b[start..<end]` (decoded as UTF-8 with repairs, as `String(decoding:as:)`).
    /// Inline, the commonest case only: a spelling of up to 8 bytes found in the first slot it hashes to.
    @inline(__always) func string(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let n = end &- start
        if n > 0, n <= 8, start >= 0, start &+ 8 <= b.count {
            let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: start, as: UInt64.self))
            let w0 = w & (n == 8 ? ~0 : (1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1)
            let h32 = UInt32(truncatingIfNeeded: ((w0 ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
            let st = s.pointee
            let i = Int(h32) & st.mask
            if st.lengths[i] == Int32(truncatingIfNeeded: n), st.words[i] == w0 { return st.strings[i] }
        }
        return lookUp(b, start, end)
    }

    /// `string(_:_:_:)` in full: any length, probing, inserting.
    @inline(never) private func lookUp(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let n = end &- start
        guard n > 0, n <= Self.maxLength else {
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
        let w0 = Self.word(b, start, n)
        var h = (w0 ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15
        var last: UInt64 = 0
        if n > 8 {
            // The words after the first, the last one read back from the end (overlapping when `n` is not a multiple of 8).
            var k = 8
            while k < n {
                last = Self.word(b, start &+ min(k, n &- 8), 8)
                h = (h ^ (h >> 29) ^ last) &* 0xBF58_476D_1CE4_E5B9
                k &+= 8
            }
        }
        let h32 = UInt32(truncatingIfNeeded: h >> 32)
        let st = s.pointee
        let n32 = Int32(truncatingIfNeeded: n)
        var i = Int(h32) & st.mask
        while true {
            let len = st.lengths[i]
            if len < 0 { break }
            if len == n32, st.words[i] == w0,
               n <= 8 || (st.hashes[i] == h32 && st.lastWords[i] == last
                          && (n <= 16 || memcmp(st.longBytes + Int(st.starts[i]), b.baseAddress! + start, n) == 0)) {
                return st.strings[i]
            }
            i = (i &+ 1) & st.mask
        }
        let str = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        var longAt: Int32 = 0
        if n > 16 { longAt = keepBytes(b.baseAddress! + start, n) }
        let st2 = s.pointee  // `keepBytes` may have moved the long bytes (not the slots)
        st2.lengths[i] = n32; st2.words[i] = w0; st2.lastWords[i] = last; st2.hashes[i] = h32; st2.starts[i] = longAt
        (st2.strings + i).initialize(to: str)
        s.pointee.count += 1
        if s.pointee.count * 2 > st2.mask + 1 { grow() }
        return str
    }

    /// Appends a long spelling's bytes to `longBytes`; returns their offset.
    private func keepBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if s.pointee.longCount + n > s.pointee.longCapacity {
            let c = max(s.pointee.longCapacity * 2, s.pointee.longCount + n)
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            nb.initialize(from: s.pointee.longBytes, count: s.pointee.longCount)
            s.pointee.longBytes.deallocate()
            s.pointee.longBytes = nb; s.pointee.longCapacity = c
        }
        let at = s.pointee.longCount
        (s.pointee.longBytes + at).initialize(from: p, count: n)
        s.pointee.longCount = at + n
        return Int32(truncatingIfNeeded: at)
    }

    private func grow() {
        let old = s.pointee
        var fresh = State(slots: (old.mask + 1) * 2, longCapacity: 1)
        fresh.longBytes.deallocate()
        fresh.longBytes = old.longBytes; fresh.longCount = old.longCount; fresh.longCapacity = old.longCapacity
        for j in 0...old.mask where old.lengths[j] >= 0 {
            var i = Int(old.hashes[j]) & fresh.mask
            while fresh.lengths[i] >= 0 { i = (i + 1) & fresh.mask }
            fresh.lengths[i] = old.lengths[j]; fresh.words[i] = old.words[j]; fresh.lastWords[i] = old.lastWords[j]
            fresh.hashes[i] = old.hashes[j]; fresh.starts[i] = old.starts[j]
            (fresh.strings + i).moveInitialize(from: old.strings + j, count: 1)
            old.lengths[j] = -1  // moved out: `free` must not release it
        }
        fresh.count = old.count
        old.free(keepingBytes: true)
        s.pointee = fresh
    }
}
