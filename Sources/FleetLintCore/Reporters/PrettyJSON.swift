import FleetLintSyntax

/// Writes JSON byte for byte as `JSONOutput` (Foundation's `JSONEncoder` with pretty printing, keys sorted
/// by UTF-8 bytes, slashes unescaped) would, without building an encoder value tree first: the JSON report
/// of a warm run over a large repository spent most of its time in `JSONEncoder`. Callers write the keys
/// of each object in sorted order; `JSONReporterTests` checks the output against `JSONEncoder`.
struct PrettyJSON {
    var bytes: [UInt8] = []
    private var indent = 0
    /// Per open container: whether no element was written yet.
    private var empty: [Bool] = []

    init(reserving capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The key of the next member of the open object; its value follows.
    mutating func key(_ k: String) {
        element()
        string(k)
        Self.keySeparator.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
    }

    /// Starts the next element of the open array; its value follows.
    mutating func element() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
            writeIndent()
        } else {
            // `,`, the line break and the indentation in one copy (a report writes millions of them).
            let n = min(2 + 2 * indent, Self.separators.count)
            Self.separators.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n])) }
            if 2 + 2 * indent > n { for _ in 0..<(2 + 2 * indent - n) { bytes.append(0x20) } }
        }
    }

    private static let keySeparator: [UInt8] = [0x20, UInt8(ascii: ":"), 0x20]
    /// `,\n` and then spaces, for any indentation up to 126 levels.
    private static let separators: [UInt8] = [UInt8(ascii: ","), 0x0A] + [UInt8](repeating: 0x20, count: 252)

    mutating func int(_ v: Int) {
        guard v >= 0 else { bytes.append(contentsOf: String(v).utf8); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0, u = UInt(v)
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[19 - n] = UInt8(u % 10) + 0x30; u /= 10; n += 1 } while u > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - n)...]))
        }
    }
    mutating func bool(_ b: Bool) { bytes.append(contentsOf: (b ? "true" : "false").utf8) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            guard let base = buf.baseAddress else { Self.emptyString.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }; return }
            let count = buf.count
            Self.escaped.withUnsafeBufferPointer { escaped in
                // Most strings need no escape: find the first byte that does, with a table, then copy runs.
                var mark = 0, i = 0
                bytes.append(UInt8(ascii: "\""))
                while true {
                    while i < count && !escaped[Int(base[i])] { i += 1 }
                    bytes.append(contentsOf: UnsafeBufferPointer(start: base + mark, count: i - mark))
                    guard i < count else { break }
                    escape(base[i])
                    i += 1
                    mark = i
                }
                bytes.append(UInt8(ascii: "\""))
            }
        }
    }

    private mutating func escape(_ c: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(c)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hex[Int(c >> 4)]); bytes.append(hex[Int(c & 0xF)])
        }
    }

    /// The bytes a JSON string must escape: control characters, `"` and `\`.
    private static let escaped: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    private static let emptyString: [UInt8] = [0x22, 0x22]

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
        bytes.append(c); bytes.append(0x0A)
        indent += 1
        empty.append(true)
    }

    private mutating func close(_ c: UInt8) {
        bytes.append(0x0A)
        indent -= 1
        empty.removeLast()
        writeIndent()
        bytes.append(c)
    }

    private mutating func writeIndent() {
        let n = min(2 * indent, Self.separators.count - 2)
        Self.separators.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[2..<(2 + n)])) }
        if 2 * indent > n { for _ in 0..<(2 * indent - n) { bytes.append(0x20) } }
    }
}
