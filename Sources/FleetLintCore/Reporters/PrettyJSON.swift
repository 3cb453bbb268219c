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
        bytes.append(0x20); bytes.append(UInt8(ascii: ":")); bytes.append(0x20)
    }

    /// Starts the next element of the open array; its value follows.
    mutating func element() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ",")); bytes.append(0x0A)
        }
        writeIndent()
    }

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
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var mark = 0
            for i in 0..<buf.count {
                let c = buf[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[mark..<i]))
                mark = i + 1
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
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[mark..<buf.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string-keyed dictionary, keys in UTF-8 order.
    mutating func object<V>(_ d: [String: V], _ value: (inout PrettyJSON, V) -> Void) {
        beginObject()
        for k in d.keys.sorted(by: { $0.utf8Precedes($1) }) {
            key(k)
            value(&self, d[k]!)
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
        for _ in 0..<indent { bytes.append(0x20); bytes.append(0x20) }
    }
}
