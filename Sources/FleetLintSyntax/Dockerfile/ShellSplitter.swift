// A small POSIX-ish shell word splitter for extracting commands from `RUN` lines.
// Reference: POSIX Shell Command Language, https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html

/// One shell word after quote removal and (static) parameter expansion.
public struct ShellWord: Hashable, Sendable {
    /// The word's value.
    public var value: String
    /// For each UTF-8 byte of `value`, its offset in the text that was split.
    public var origins: [Int]
    /// The word's raw extent (quotes included) in the split text.
    public var sourceRange: Range<Int>
    /// Some part of the word was quoted or escaped.
    public var isQuoted: Bool
    /// The word holds a command substitution or a variable whose value is not statically known.
    public var isDynamic: Bool
    /// When an unquoted `<`/`>` directly follows the word (`flask>=2`): the operator and the raw extent of
    /// word + operator + redirection target.
    public var gluedRedirection: (op: String, target: String, extent: Range<Int>)?

    public static func == (a: ShellWord, b: ShellWord) -> Bool {
        a.value == b.value && a.sourceRange == b.sourceRange && a.isDynamic == b.isDynamic
    }
    public func hash(into h: inout Hasher) { h.combine(value); h.combine(sourceRange) }
}

/// A simple command: its words (assignments and redirections removed from nothing; see `ShellSplitter`).
public struct ShellCommand: Hashable, Sendable {
    public var words: [ShellWord]
    /// Inside `if`/`while`/`until` or after `||`: may not run.
    public var isConditional: Bool
}

/// Splits shell text into simple commands on `&&`, `||`, `;`, `|`, `&`, newlines and parentheses.
public enum ShellSplitter {
    static let reserved: Set<String> = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "for", "case", "esac", "in"]

    /// Splits `text`; `lookup` returns a variable's static value or nil when unknown.
    public static func split(_ text: String, lookup: (String) -> String? = { _ in nil }) -> [ShellCommand] {
        split(bytes: Array(text.utf8), lookup: lookup)
    }

    public static func split(bytes t: [UInt8], lookup: (String) -> String?) -> [ShellCommand] {
        var commands: [ShellCommand] = []
        var words: [ShellWord] = []
        var i = 0
        let n = t.count
        var ifDepth = 0
        var afterOr = false
        var skippingForHeader = false
        var pendingSplit = false

        func endCommand(_ or: Bool) {
            if !words.isEmpty {
                var ws = words
                var conditional = afterOr || ifDepth > 0
                // Drop reserved words at the start (`if pip install`, `then`, `do`, `!`): counted first and
                // removed at once (one `removeFirst()` each shifted the rest, quadratic in `{ { { … cmd`).
                var dropped = 0
                while dropped < ws.count, !ws[dropped].isQuoted, reserved.contains(ws[dropped].value) {
                    let f = ws[dropped].value
                    if f == "if" || f == "while" || f == "until" { ifDepth += 1; conditional = true }
                    if f == "fi" || f == "done" { ifDepth = max(0, ifDepth - 1) }
                    if f == "for" || f == "case" { skippingForHeader = true }
                    dropped += 1
                }
                ws.removeFirst(dropped)
                if skippingForHeader { ws = []; skippingForHeader = false }
                if !ws.isEmpty { commands.append(ShellCommand(words: ws, isConditional: conditional)) }
            }
            words = []
            afterOr = or
        }

        @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
        @inline(__always) func isOp(_ c: UInt8) -> Bool {
            c == 0x0A || c == 0x3B || c == 0x26 || c == 0x7C || c == 0x28 || c == 0x29 || c == 0x3C || c == 0x3E
        }

        /// Skips a `$(...)` / `$((...))` starting at the `(`; returns the index after the matching `)`.
        func skipParens(_ j0: Int) -> Int {
            var j = j0, depth = 0
            var q: UInt8 = 0
            while j < n {
                let c = t[j]
                if q != 0 { if c == q { q = 0 } else if c == 0x5C && q == 0x22 { j += 1 }; j += 1; continue }
                if c == 0x27 || c == 0x22 { q = c } else if c == 0x5C { j += 1 }
                else if c == 0x28 { depth += 1 } else if c == 0x29 { depth -= 1; if depth == 0 { return j + 1 } }
                j += 1
            }
            return n
        }

        /// Reads one word starting at `i`.
        func readWord() -> ShellWord {
            var v: [UInt8] = []
            var o: [Int] = []
            let start = i
            var quoted = false, dynamic = false
            var splitValue = false
            /// Copies the source bytes `r` into the word, each with its origin.
            func take(_ r: Range<Int>) { v.append(contentsOf: t[r]); o.append(contentsOf: r) }
            /// Where the run of bytes from `j` ends: at the first byte `stops` accepts, or the end. Runs of plain bytes
            /// are taken whole: byte by byte, the two appends cost ~60 instructions a byte, a third of a Dockerfile's
            /// evidence scan.
            func runEnd(from j: Int, _ stops: (UInt8) -> Bool) -> Int {
                var j = j
                while j < n, !stops(t[j]) { j += 1 }
                return j
            }
            func dollar(inQuotes: Bool) {
                let s = i
                guard i + 1 < n else { v.append(0x24); o.append(i); i += 1; return }
                let c = t[i + 1]
                if c == 0x28 {
                    i = skipParens(i + 1)
                    dynamic = true
                    take(s..<i)
                    return
                }
                var name = ""
                var op = "", alt = ""
                if c == 0x7B {
                    var j = i + 2
                    while j < n, t[j] == 0x5F || (t[j] | 0x20) >= 0x61 && (t[j] | 0x20) <= 0x7A || t[j] >= 0x30 && t[j] <= 0x39 { j += 1 }
                    name = String(decoding: t[(i + 2)..<j], as: UTF8.self)
                    var k = j
                    var depth = 1
                    while k < n { if t[k] == 0x7B { depth += 1 }; if t[k] == 0x7D { depth -= 1; if depth == 0 { break } }; k += 1 }
                    let inner = String(decoding: t[j..<min(k, n)], as: UTF8.self)
                    for candidate in [":-", ":+", "-", "+", ":=", "="] where inner.hasPrefix(candidate) {
                        op = candidate; alt = String(inner.dropFirst(candidate.count)); break
                    }
                    if op.isEmpty && !inner.isEmpty { name = "" }  // ${X#pat} etc.: dynamic
                    i = min(k + 1, n)
                } else if c == 0x5F || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A {
                    var j = i + 1
                    while j < n, t[j] == 0x5F || (t[j] | 0x20) >= 0x61 && (t[j] | 0x20) <= 0x7A || t[j] >= 0x30 && t[j] <= 0x39 { j += 1 }
                    name = String(decoding: t[(i + 1)..<j], as: UTF8.self)
                    i = j
                } else if c >= 0x30 && c <= 0x39 || c == 0x40 || c == 0x2A || c == 0x23 || c == 0x3F || c == 0x24 || c == 0x21 || c == 0x2D {
                    i += 2
                    dynamic = true
                    take(s..<i)
                    return
                } else {
                    v.append(0x24); o.append(i); i += 1; return
                }
                var value: String?
                if !name.isEmpty {
                    let base = lookup(name)
                    switch op {
                    // An unknown variable is assumed to take its default.
                    case ":-", ":=": value = (base?.isEmpty ?? true) ? alt : base
                    case "-", "=": value = base ?? alt
                    case ":+": value = base.map { $0.isEmpty ? "" : alt }
                    case "+": value = base.map { _ in alt }
                    default: value = base
                    }
                }
                if let value {
                    // By bytes, as `splitOnBlanks` splits: a Character comparison missed the LF of a CRLF (one Character).
                    if !inQuotes && value.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }) { splitValue = true }
                    v.append(contentsOf: value.utf8)
                    o.append(contentsOf: repeatElement(s, count: value.utf8.count))
                } else {
                    dynamic = true
                    take(s..<i)
                }
            }
            while i < n {
                let c = t[i]
                if isBlank(c) || isOp(c) { break }
                if c == 0x27 {
                    quoted = true
                    i += 1
                    let j = runEnd(from: i) { $0 == 0x27 }
                    take(i..<j)
                    i = j + 1
                    continue
                }
                if c == 0x22 {
                    quoted = true
                    i += 1
                    while i < n, t[i] != 0x22 {
                        let d = t[i]
                        if d == 0x5C, i + 1 < n {
                            let e = t[i + 1]
                            if e == 0x0A { i += 2; continue }
                            if e == 0x24 || e == 0x60 || e == 0x22 || e == 0x5C { v.append(e); o.append(i + 1); i += 2; continue }
                        }
                        if d == 0x24 { dollar(inQuotes: true); continue }
                        if d == 0x60 {
                            let s = i
                            i += 1
                            while i < n, t[i] != 0x60 { i += 1 }
                            i = min(i + 1, n)
                            dynamic = true
                            take(s..<i)
                            continue
                        }
                        // Up to the next byte that ends, escapes or expands.
                        let j = runEnd(from: i + 1) { $0 == 0x22 || $0 == 0x5C || $0 == 0x24 || $0 == 0x60 }
                        take(i..<j)
                        i = j
                    }
                    i += 1
                    continue
                }
                if c == 0x5C {
                    if i + 1 < n {
                        if t[i + 1] == 0x0A { i += 2; continue }
                        quoted = true
                        v.append(t[i + 1]); o.append(i + 1); i += 2
                    } else { i += 1 }
                    continue
                }
                if c == 0x24 { dollar(inQuotes: false); continue }
                if c == 0x60 {
                    let s = i
                    i += 1
                    while i < n, t[i] != 0x60 { if t[i] == 0x5C { i += 1 }; i += 1 }
                    i = min(i + 1, n)
                    dynamic = true
                    take(s..<i)
                    continue
                }
                // Up to the next byte that quotes, escapes, expands or ends the word.
                let j = runEnd(from: i + 1) { d in
                    isBlank(d) || isOp(d) || d == 0x27 || d == 0x22 || d == 0x5C || d == 0x24 || d == 0x60
                }
                take(i..<j)
                i = j
            }
            let w = ShellWord(value: String(decoding: v, as: UTF8.self), origins: o, sourceRange: start..<i,
                              isQuoted: quoted, isDynamic: dynamic, gluedRedirection: nil)
            if splitValue { pendingSplit = true }
            return w
        }
        /// Reads a redirection operator at `i` and skips its target word; returns (op, target, end).
        func readRedirection() -> (String, String, Int) {
            let s = i
            while i < n, t[i] == 0x3C || t[i] == 0x3E || t[i] == 0x26 || t[i] == 0x7C || t[i] == 0x2D, i - s < 3 {
                if t[i] == 0x7C && !(i > s && t[i - 1] == 0x3E) { break }
                if t[i] == 0x2D && !(i > s && t[i - 1] == 0x3C) { break }
                if t[i] == 0x26 && i > s && t[i - 1] == 0x26 { break }
                i += 1
            }
            let op = String(decoding: t[s..<i], as: UTF8.self)
            while i < n, isBlank(t[i]) { i += 1 }
            var target = ""
            if i < n, !isOp(t[i]) {
                target = readWord().value
                pendingSplit = false
            }
            return (op, target, i)
        }

        while i < n {
            let c = t[i]
            if isBlank(c) { i += 1; continue }
            if c == 0x5C, i + 1 < n, t[i + 1] == 0x0A { i += 2; continue }
            if c == 0x23 { while i < n, t[i] != 0x0A { i += 1 }; continue }
            if c == 0x3C || c == 0x3E || (c == 0x26 && i + 1 < n && t[i + 1] == 0x3E) {
                _ = readRedirection()
                continue
            }
            if c == 0x0A || c == 0x3B || c == 0x28 || c == 0x29 { endCommand(false); i += 1; continue }
            if c == 0x26 || c == 0x7C {
                let double = i + 1 < n && t[i + 1] == c
                endCommand(double && c == 0x7C)
                i += double ? 2 : 1
                continue
            }
            var w = readWord()
            if i < n, t[i] == 0x3C || t[i] == 0x3E {
                // `2>file` is an fd redirection; `flask>=2` is a word glued to a redirection.
                if !w.isQuoted, !w.value.isEmpty, w.value.allSatisfy(\.isNumber) {
                    _ = readRedirection()
                    pendingSplit = false
                    continue
                }
                let wasSplit = pendingSplit
                let (op, target, end) = readRedirection()
                pendingSplit = wasSplit
                w.gluedRedirection = (op, target, w.sourceRange.lowerBound..<end)
            }
            if pendingSplit {
                pendingSplit = false
                words.append(contentsOf: splitOnBlanks(w))
            } else {
                words.append(w)
            }
        }
        endCommand(false)
        return commands
    }

    static func splitOnBlanks(_ w: ShellWord) -> [ShellWord] {
        let v = Array(w.value.utf8)
        var out: [ShellWord] = []
        var s = 0
        var k = 0
        while k <= v.count {
            if k == v.count || v[k] == 0x20 || v[k] == 0x09 || v[k] == 0x0A {
                if k > s {
                    var p = w
                    p.value = String(decoding: v[s..<k], as: UTF8.self)
                    p.origins = Array(w.origins[s..<k])
                    out.append(p)
                }
                s = k + 1
            }
            k += 1
        }
        return out
    }
}
