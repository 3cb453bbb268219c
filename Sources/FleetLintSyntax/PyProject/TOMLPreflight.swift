/// A linear pre-scan of TOML text for the inputs that make toml++ (inside TOMLKit) abort instead of
/// throwing a parse error (issue 15, found by the `pyproject` fuzz target).
///
/// Two toml++ 3.4.0 bugs, both assertions on input it should report as a parse error:
/// - `parse_table_header` calls `parse_key` on whatever follows `[` or `[[` (and spaces), and `parse_key`
///   asserts that it is a bare-key character or a quote. SwiftPM builds the C++ target without `NDEBUG`,
///   so the assertion is live in the release binary: a `pyproject.toml` holding the line `[=project]` (or
///   `[[[x]]]`, `[ {`, `[.a]`, …) aborted the whole run with SIGABRT. (Upstream fixed this after 3.4.0:
///   marzer/tomlplusplus#301.)
/// - `parse_array` calls `parse_value` on an element that starts with `}` (`deps = [ "a", }`) or a Unicode
///   line separator, and `parse_value` asserts that it does not start with a value terminator.
/// With `NDEBUG` the assertions would be optimiser assumptions, which is worse, so such input must never
/// reach toml++.
///
/// The scan follows toml++'s document loop on the same text: statements at the top level, values skipped
/// with their strings, comments and brackets (array elements checked), so a `[` inside a multi-line array
/// or string is not a header. It stops at the first NUL (TOMLKit hands toml++ a C string, so the parser never sees past it).
/// It only has to be exact on valid TOML: toml++ stops at its first error, so a header after one is never
/// reached, and a file the scan misreads after a syntax error is invalid TOML anyway.
public enum TOMLPreflight {
    /// Where toml++ would assert: the line and column (1-based, column in code points) and a message.
    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// The most parts a dotted key (`a.b.c = 1`, `[a.b.c]`) may have. toml++ recurses once per part, so a key of tens of
    /// thousands of parts overflowed the stack (SIGSEGV); it limits nested arrays and inline tables to 256 itself.
    public static let maxKeyParts = 256

    public static func check(_ text: String) -> Problem? {
        var s = Scan(Array(text.utf8))
        if let p = s.run() { return p }
        // TOML text holds no NUL, and toml++ reads up to the first one (a C string): the rest of the file was
        // silently ignored (`[tool.fleetlint]` then a line `\0 = 1` was a valid configuration).
        guard s.b.count < text.utf8.count else { return nil }
        let before = s.b
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return Problem(line: before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 },
                       column: before[lineStart...].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 },
                       message: "a NUL byte, which TOML text cannot hold")
    }

    private struct Scan {
        let b: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        init(_ bytes: [UInt8]) {
            var end = bytes.count
            if let nul = bytes.firstIndex(of: 0) { end = nul }
            b = Array(bytes[..<end])
        }

        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        static func isBareKey(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
        static func isQuote(_ c: UInt8) -> Bool { c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") }

        mutating func newline() { line += 1; lineStart = i }  // call with i just past the `\n`
        mutating func skipSpaces() { while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 } }
        mutating func skipToLineEnd() { while i < b.count && b[i] != 0x0A { i += 1 } }

        /// A string starting at `i` (single-line or multi-line, basic or literal).
        mutating func skipString() {
            let q = b[i]
            let multi = at(i + 1) == q && at(i + 2) == q
            i += multi ? 3 : 1
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") { i += 2; continue }
                if c == 0x0A {
                    if !multi { return }  // an error in toml++; the statement ends here for the scan
                    i += 1; newline(); continue
                }
                if c == q {
                    if !multi { i += 1; return }
                    if at(i + 1) == q && at(i + 2) == q {
                        i += 3
                        // `""""` and `"""""` close with one or two quotes inside the string.
                        var extra = 0
                        while extra < 2 && at(i) == q { i += 1; extra += 1 }
                        return
                    }
                }
                i += 1
            }
        }

        /// A value from `i` to the end of its statement: brackets may span lines. toml++'s array loop
        /// skips spaces, line breaks and comments after `[` or `,` and then calls `parse_value`, which
        /// asserts that the next character cannot end a value; `]` and `,` are handled before, but `}`
        /// and the non-ASCII line separators (U+0085, U+2028, U+2029) are not.
        mutating func skipValue() -> Problem? {
            var open: [UInt8] = []
            var expectElement = false
            // An inline table's keys (after `{` or its `,`, up to `=`) are dotted keys too.
            var keyDots: Int? = nil, keyStart = i
            while i < b.count {
                let c = b[i]
                if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
                if c == 0x0A {
                    if open.isEmpty { return nil }
                    i += 1; newline(); continue
                }
                if c == UInt8(ascii: "#") { skipToLineEnd(); continue }
                if expectElement {
                    if c == UInt8(ascii: "}") || Self.isNonASCIILineSeparator(b, i) {
                        return problem(at: i, "an array element cannot start with `}` or a Unicode line separator")
                    }
                    expectElement = false
                }
                if Self.isQuote(c) { skipString(); continue }
                switch c {
                case UInt8(ascii: "["): open.append(c); expectElement = true
                case UInt8(ascii: "{"): open.append(c); keyDots = 0; keyStart = i
                case UInt8(ascii: "]"), UInt8(ascii: "}"): _ = open.popLast(); keyDots = nil
                case UInt8(ascii: ","):
                    expectElement = open.last == UInt8(ascii: "[")
                    if open.last == UInt8(ascii: "{") { keyDots = 0; keyStart = i }
                case UInt8(ascii: "."): if let d = keyDots { keyDots = d + 1 }
                case UInt8(ascii: "="):
                    if let d = keyDots, d >= TOMLPreflight.maxKeyParts { return tooManyParts(d + 1, at: keyStart) }
                    keyDots = nil
                default: break
                }
                i += 1
            }
            return nil
        }

        static func isNonASCIILineSeparator(_ b: [UInt8], _ k: Int) -> Bool {
            (b[k] == 0xC2 && k + 1 < b.count && b[k + 1] == 0x85)
                || (b[k] == 0xE2 && k + 2 < b.count && b[k + 1] == 0x80 && (b[k + 2] == 0xA8 || b[k + 2] == 0xA9))
        }

        /// A key (or the rest of a header line) from `i` to the line's end or `stop`, past its quoted parts and any
        /// comment; returns the dots outside quotes (the key's parts, less one).
        mutating func skipKey(stoppingAt stop: UInt8?) -> Int {
            var dots = 0
            while i < b.count && b[i] != 0x0A && b[i] != stop {
                if b[i] == UInt8(ascii: "#") { skipToLineEnd() }
                else if Self.isQuote(b[i]) { skipString() }
                else { if b[i] == UInt8(ascii: ".") { dots += 1 }; i += 1 }
            }
            return dots
        }

        func tooManyParts(_ parts: Int, at k: Int) -> Problem {
            problem(at: k, "a dotted key of \(parts) parts; at most \(TOMLPreflight.maxKeyParts) are read")
        }

        /// The problem at offset `k`, its line and column counted from `k` itself: the scan may be lines past `k` when
        /// it reports (a header or key whose quoted part is a multi-line string, an inline table continued on later
        /// lines), so `line` and `lineStart` do not hold for it; `b[lineStart..<k]` then trapped (fuzz: pyproject).
        /// Counted once per file, as the scan stops at its first problem.
        func problem(at k: Int, _ message: String) -> Problem {
            let before = b[..<k]
            let breaks = before.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            var start = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            // toml++ skips a byte order mark: it is no column of the first line.
            if breaks == 0, b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = min(3, k) }
            let column = b[start..<k].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
            return Problem(line: breaks + 1, column: column, message: message)
        }

        mutating func run() -> Problem? {
            // toml++ skips a UTF-8 byte order mark.
            if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3; lineStart = 3 }
            while i < b.count {
                skipSpaces()
                guard i < b.count else { break }
                let c = b[i]
                if c == 0x0A { i += 1; newline(); continue }
                if c == 0x0D || c == UInt8(ascii: "#") { skipToLineEnd(); continue }
                if c == UInt8(ascii: "[") {
                    let start = i
                    i += 1
                    skipSpaces()
                    if i < b.count && b[i] == UInt8(ascii: "[") {
                        i += 1
                        skipSpaces()
                    }
                    // A key character or a quote is what `parse_key` expects; the end of the text and `]`
                    // are errors toml++ reports itself. Anything else is invalid TOML, so flagging a case
                    // toml++ would have reported first (`[ [`, non-ASCII space) loses nothing.
                    if i < b.count, b[i] != UInt8(ascii: "]"), !Self.isBareKey(b[i]), !Self.isQuote(b[i]) {
                        return problem(at: start, "a table header must start with a key (a letter, digit, `_`, `-` or a quote) after `[`")
                    }
                    // The rest of the header line (a quoted key cannot span lines; a comment may follow).
                    let dots = skipKey(stoppingAt: nil)
                    if dots >= TOMLPreflight.maxKeyParts { return tooManyParts(dots + 1, at: start) }
                    continue
                }
                // A key/value pair: the key up to `=` (quoted parts may hold `=`), then the value.
                let keyStart = i
                let dots = skipKey(stoppingAt: UInt8(ascii: "="))
                if dots >= TOMLPreflight.maxKeyParts { return tooManyParts(dots + 1, at: keyStart) }
                if i < b.count && b[i] == UInt8(ascii: "=") {
                    i += 1
                    if let p = skipValue() { return p }
                }
            }
            return nil
        }
    }
}
