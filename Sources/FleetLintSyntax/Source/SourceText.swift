/// Decoding helpers shared by the parsers.
public enum SourceText {
    /// The text's lines, split at every LF, a CR before it dropped (a last line without a break included, empty when
    /// the text ends in one). `split(separator: "\n")` on a String compares Characters, and a CRLF is one Character:
    /// a file with CRLF line breaks was one line.
    public static func lines(_ text: String) -> [Substring] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
    }

    /// Decodes UTF-8 leniently: invalid sequences become U+FFFD. Returns whether the input was valid.
    public static func decodeUTF8(_ bytes: [UInt8]) -> (text: String, isValid: Bool) {
        if let s = String(validating: bytes, as: UTF8.self) { return (s, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    /// Byte offset of the first invalid UTF-8 sequence, or nil when the buffer is valid UTF-8.
    public static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            // ASCII runs eight bytes at a time.
            if i + 8 <= n {
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let len: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { len = 2 }
            else if b & 0xF0 == 0xE0 { len = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { len = 4 }
            else { return i }
            if i + len > n { return i }
            for k in 1..<len where bytes[i + k] & 0xC0 != 0x80 { return i }
            if len == 3 {
                let c1 = bytes[i + 1]
                if b == 0xE0 && c1 < 0xA0 { return i }
                if b == 0xED && c1 >= 0xA0 { return i }
            } else if len == 4 {
                let c1 = bytes[i + 1]
                if b == 0xF0 && c1 < 0x90 { return i }
                if b == 0xF4 && c1 >= 0x90 { return i }
            }
            i += len
        }
        return nil
    }

    /// True when the bytes start with a UTF-8 byte-order mark.
    public static func hasUTF8BOM(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}
