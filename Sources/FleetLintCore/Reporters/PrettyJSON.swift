import FleetLintSyntax

/// Writes JSON byte for byte as `JSONOutput` (Foundation's `JSONEncoder` with pretty printing, keys sorted
/// by UTF-8 bytes, slashes unescaped) would, without building an encoder value tree first: the JSON report
/// of a warm run over a large repository spent most of its time in `JSONEncoder`. Callers write the keys
/// of each object in sorted order; `JSONReporterTests` checks the output against `JSONEncoder`.
struct PrettyJSON {
    /// The bytes written since the last `flush`.
    private let out: ByteBuffer
    /// The depth of the open container (its members are indented by twice this many spaces).
    private(set) var indent = 0
    /// Per open container: whether no element was written yet.
    private var empty: [Bool] = []

    init(reserving capacity: Int = 0) { out = ByteBuffer(capacity: max(capacity, 64)) }

    /// A writer that goes on inside `other`'s open containers, into `buffer` (emptied first): a run of elements
    /// written by it gives the bytes `other` would have written for them (`JSONReporter` renders findings in
    /// chunks on several threads, each slot keeping its buffer from one chunk to the next, so that its pages are
    /// written again instead of fresh ones being faulted in). `afterElement`: the innermost container already
    /// holds an element.
    init(continuing other: borrowing PrettyJSON, afterElement: Bool, buffer: ByteBuffer) {
        buffer.count = 0
        out = buffer
        indent = other.indent
        empty = other.empty
        if afterElement { markElementWritten() }
    }

    /// Records that the innermost container holds an element written by another writer (`init(continuing:)`).
    mutating func markElementWritten() { empty[empty.count - 1] = false }

    /// How many bytes were written since the last `flush`.
    var count: Int { out.count }
    /// Hands the bytes written so far to `emit` and starts afresh.
    mutating func flush(_ emit: ([UInt8]) -> Void) {
        emit(out.array)
        out.count = 0
    }
    mutating func newline() { out.byte(0x0A) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The key of the next member of the open object; its value follows.
    mutating func key(_ k: String) {
        element()
        string(k)
        out.reserve(3)
        out.put(0x20); out.put(UInt8(ascii: ":")); out.put(0x20)
    }

    /// A constant key (ASCII, nothing to escape), copied whole: the report writes a dozen per finding.
    mutating func field(_ k: StaticString) {
        assert(k.isASCII && !UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount).contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C })
        element()
        out.byte(UInt8(ascii: "\""))
        out.write(k.utf8Start, k.utf8CodeUnitCount)
        out.reserve(4)
        out.put(UInt8(ascii: "\"")); out.put(0x20); out.put(UInt8(ascii: ":")); out.put(0x20)
    }

    /// The next member of the open object, through its prefix in `prefixes` (see `MemberPrefixes`): one copy
    /// for the separator, the indent and the key.
    mutating func member(_ prefixes: borrowing MemberPrefixes, _ k: Int) {
        assert(prefixes.indent == indent, "member prefixes built for another depth")
        var start = prefixes.starts[k]
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
            start += 2  // the first member has no ",\n"
        }
        prefixes.bytes.withUnsafeBufferPointer { out.write($0.baseAddress! + start, prefixes.starts[k + 1] - start) }
    }

    /// Starts the next element of the open array; its value follows.
    mutating func element() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            out.reserve(2)
            out.put(UInt8(ascii: ",")); out.put(0x0A)
        }
        writeIndent()
    }

    mutating func int(_ v: Int) {
        guard v >= 0 else { out.write(String(v).utf8); return }
        out.reserve(20)
        var digits = 1, u = UInt(v) / 10
        while u > 0 { digits += 1; u /= 10 }
        u = UInt(v)
        var i = digits
        while i > 0 { i -= 1; out.base[out.count + i] = UInt8(u % 10) + 0x30; u /= 10 }
        out.count += digits
    }
    mutating func bool(_ b: Bool) { out.write((b ? "true" : "false").utf8) }

    mutating func string(_ s: String) {
        // Locals, not `self.out`/`Self.escaped` in the loop: the static's once-check ran for every byte.
        let out = self.out, escaped = Self.escaped
        var s = s
        s.withUTF8 { buf in
            let count = buf.count
            // A string without escapes is copied whole: find the first byte that needs one, with a table.
            out.reserve(count + 2)
            out.put(UInt8(ascii: "\""))
            guard let base = buf.baseAddress, count > 0 else { out.put(UInt8(ascii: "\"")); return }
            var mark = 0, i = 0
            let raw = UnsafeRawPointer(base)
            // Most strings need no escape at all: the words, then the last eight bytes (overlapping the last word)
            // tell, and the string is copied whole without the byte loop over its tail.
            if count >= 8 {
                while i + 8 <= count && !Self.anyEscaped(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                if i + 8 > count && !Self.anyEscaped(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) {
                    out.write(base, count)
                    out.put(UInt8(ascii: "\""))
                    return
                }
            }
            while true {
                // Eight bytes at a time while none needs an escape, then byte by byte.
                while i + 8 <= count && !Self.anyEscaped(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                while i < count && !escaped[Int(base[i])] { i += 1 }
                out.write(base + mark, i - mark)
                guard i < count else { break }
                Self.escape(base[i], into: out)
                i += 1
                mark = i
            }
            out.byte(UInt8(ascii: "\""))
        }
    }

    /// Whether any byte of the word is below 0x20, `"` or `\\` (the classic "has a byte less than n" and "has a
    /// zero byte" tests; they may flag bytes after the first hit, never miss one, never flag a clean word).
    @inline(__always) static func anyEscaped(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (w &- ones &* 0x20) & ~w & highs
        let q = w ^ (ones &* 0x22), b = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q & highs, backslash = (b &- ones) & ~b & highs
        return control | quote | backslash != 0
    }

    private static func escape(_ c: UInt8, into out: ByteBuffer) {
        out.byte(UInt8(ascii: "\\"))
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.byte(c)
        case 0x08: out.byte(UInt8(ascii: "b"))
        case 0x0C: out.byte(UInt8(ascii: "f"))
        case 0x0A: out.byte(UInt8(ascii: "n"))
        case 0x0D: out.byte(UInt8(ascii: "r"))
        case 0x09: out.byte(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.write("u00".utf8)
            out.byte(hex[Int(c >> 4)]); out.byte(hex[Int(c & 0xF)])
        }
    }

    /// The bytes a JSON string must escape: control characters, `"` and `\`.
    private static let escaped = EscapeTable()

    /// The bytes written since `offset`, an earlier `count` (no `flush` between).
    func written(since offset: Int) -> [UInt8] { Array(UnsafeBufferPointer(start: out.base + offset, count: out.count - offset)) }

    /// Bytes `written(since:)` gave for a whole value, written again where the same value goes at the same
    /// depth (the container state a value leaves is the one it found).
    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { if let p = $0.baseAddress { out.write(p, $0.count) } }
    }

    /// A string-keyed dictionary, keys in UTF-8 order.
    mutating func object<V>(_ d: [String: V], _ value: (inout PrettyJSON, V) -> Void) {
        beginObject()
        // Pairs sorted once: no lookup per key.
        for (k, v) in d.sorted(by: { $0.key.utf8Precedes($1.key) }) {
            key(k)
            value(&self, v)
        }
        endObject()
    }

    mutating func metadata(_ v: MetadataValue) {
        switch v {
        case .string(let s): string(s)
        case .int(let i): int(i)
        case .bool(let b): bool(b)
        case .array(let a):
            beginArray()
            for e in a { element(); metadata(e) }
            endArray()
        case .object(let o): object(o) { $0.metadata($1) }
        }
    }

    private mutating func open(_ c: UInt8) {
        out.reserve(2)
        out.put(c); out.put(0x0A)
        indent += 1
        empty.append(true)
    }

    private mutating func close(_ c: UInt8) {
        out.byte(0x0A)
        indent -= 1
        empty.removeLast()
        writeIndent()
        out.byte(c)
    }

    private mutating func writeIndent() {
        let n = 2 * indent
        out.reserve(n)
        (out.base + out.count).initialize(repeating: 0x20, count: n)
        out.count += n
    }
}

/// The bytes that start each member of objects written at one depth, built once: `,\n`, the indent and
/// `"key" : ` in one run. A finding's dozen members were each a comma check, an indent fill and a key copy
/// (~175 instructions a member, ~2,000 a finding).
struct MemberPrefixes {
    /// The depth the prefixes' indent is for: `PrettyJSON`'s depth inside the object.
    let indent: Int
    fileprivate let bytes: [UInt8]
    /// Where each key's prefix starts in `bytes`, and the end.
    fileprivate let starts: [Int]

    init(keys: [StaticString], indent: Int) {
        self.indent = indent
        var bytes: [UInt8] = [], starts: [Int] = []
        for k in keys {
            starts.append(bytes.count)
            bytes += [UInt8(ascii: ","), 0x0A] + Array(repeating: 0x20, count: 2 * indent)
            bytes.append(UInt8(ascii: "\""))
            bytes += UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)
            bytes += Array("\" : ".utf8)
        }
        starts.append(bytes.count)
        self.bytes = bytes
        self.starts = starts
    }
}

/// The JSON of the last few metadata dictionaries written, kept by value and copied where the same one comes
/// again: findings of a rule mostly share one dictionary (the analysis and the memo decoder share them; `==` on
/// a shared one is an identity check), and a file's findings interleave a few rules. The bytes are those of one
/// depth, so a cache serves one place of a document (a finding's `metadata`, a SARIF result's `properties`), and
/// the writer must not be flushed inside a `write`.
struct MetadataCache {
    private var recent: [(value: [String: MetadataValue], json: [UInt8])] = []
    /// Tables already written, by their storage: the findings' equal tables mostly share one (`FactInterner`), and
    /// comparing a table with the recent ones (`==`, pair by pair, for every miss) cost more than writing it. Each
    /// table is held with its JSON, so its storage is not freed and reused for another table while the cache lives:
    /// the findings of an encoded list (a warm run's) are decoded a chunk at a time and freed after it.
    private var byStorage: [UnsafeRawPointer: (table: [String: MetadataValue], json: [UInt8])] = [:]
    static let storageLimit = 4_096

    mutating func write(_ metadata: [String: MetadataValue], to j: inout PrettyJSON) {
        let storage = metadata.storageIdentity
        if let storage, let known = byStorage[storage] {
            j.raw(known.json)
        } else if let k = recent.firstIndex(where: { $0.value == metadata }) {
            j.raw(recent[k].json)
            if let storage, byStorage.count < Self.storageLimit { byStorage[storage] = (metadata, recent[k].json) }
        } else {
            let start = j.count
            j.object(metadata) { $0.metadata($1) }
            let json = j.written(since: start)
            if recent.count == 4 { recent.removeFirst() }
            recent.append((metadata, json))
            if let storage, byStorage.count < Self.storageLimit { byStorage[storage] = (metadata, json) }
        }
    }
}

/// A byte table for `PrettyJSON.string`, read without bounds checks or copies.
private struct EscapeTable: @unchecked Sendable {
    private let table: UnsafeMutablePointer<Bool>
    init() {
        table = .allocate(capacity: 256)
        for b in 0..<256 { table[b] = b < 0x20 || b == 0x22 || b == 0x5C }
    }
    @inline(__always) subscript(_ b: Int) -> Bool { table[b] }
}

/// A growable byte buffer written through a pointer: appending to an `Array` byte by byte (a uniqueness and a
/// capacity check each) made the JSON report cost ~18,000 instructions a finding.
final class ByteBuffer {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }
    deinit { base.deallocate() }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Replaces `array`'s contents with the bytes written, in its own storage when that is large enough.
    func copy(into array: inout [UInt8]) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }

    /// Makes room for `n` more bytes (for `put`).
    @inline(__always) func reserve(_ n: Int) { if count + n > capacity { grow(count + n) } }
    /// Appends a byte that `reserve` made room for.
    @inline(__always) func put(_ b: UInt8) { base[count] = b; count += 1 }
    @inline(__always) func byte(_ b: UInt8) { reserve(1); put(b) }
    @inline(__always) func write(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: p, count: n)
        count += n
    }
    func write(_ s: String.UTF8View) {
        for b in s { byte(b) }
    }

    private func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let new = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
        capacity = newCapacity
    }
}
