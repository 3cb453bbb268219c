// Word-level helpers mirroring BuildKit's `parser/line_parsers.go` (extractBuilderFlags, parseWords,
// parseJSON, heredocsFromLine) and `frontend/dockerfile/shell/lex.go` (ProcessWord) for substitution.

/// BuildKit's word splitting, JSON exec form and variable substitution on logical-line bytes.
public enum DockerWords {
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D
    }

    /// Flags (`--name[=value]`) at `from`, quotes and backslashes removed; returns the flags and where args start.
    static func extractFlags(_ t: [UInt8], from start: Int) -> ([String], Int) {
        var words: [String] = []
        var word: [UInt8] = []
        var pos = start
        let n = t.count
        enum Phase { case spaces, word, quote }
        var phase = Phase.spaces
        var quote: UInt8 = 0
        var blankOK = false
        while pos <= n {
            let ch: UInt8 = pos < n ? t[pos] : 0
            if phase == .spaces {
                if pos == n { break }
                if isSpace(ch) { pos += 1; continue }
                if ch != UInt8(ascii: "-") || pos + 1 == n || t[pos + 1] != UInt8(ascii: "-") { return (words, pos) }
                phase = .word
            }
            if pos == n {
                if word != [45, 45] && (blankOK || !word.isEmpty) { words.append(String(decoding: word, as: UTF8.self)) }
                break
            }
            if phase == .word {
                if isSpace(ch) {
                    phase = .spaces
                    if word == [45, 45] { return (words, pos) }
                    if blankOK || !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                    word = []
                    blankOK = false
                    pos += 1
                    continue
                }
                if ch == 0x27 || ch == 0x22 { quote = ch; blankOK = true; phase = .quote; pos += 1; continue }
                var c = ch
                if c == UInt8(ascii: "\\") {
                    if pos + 1 == n { pos += 1; continue }
                    pos += 1
                    c = t[pos]
                }
                word.append(c)
                pos += 1
                continue
            }
            // quote
            if ch == quote { phase = .word; pos += 1; continue }
            var c = ch
            if c == UInt8(ascii: "\\") {
                if pos + 1 == n { phase = .word; pos += 1; continue }
                pos += 1
                c = t[pos]
            }
            word.append(c)
            pos += 1
        }
        return (words, n)
    }

    /// Whitespace-separated fields of `t[s..<e]` (`[\t\v\f\r ]+`), at most `limit` (the last takes the rest).
    static func fields(_ t: [UInt8], _ s: Int, _ e: Int, limit: Int = .max) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = s
        while i < e {
            while i < e, isSpace(t[i]) { i += 1 }
            if i >= e { break }
            let ws = i
            if out.count == limit - 1 {
                out.append((String(decoding: t[ws..<e], as: UTF8.self), ws..<e))
                break
            }
            while i < e, !isSpace(t[i]) { i += 1 }
            out.append((String(decoding: t[ws..<i], as: UTF8.self), ws..<i))
        }
        return out
    }

    /// BuildKit's `parseWords`: words with quotes and escapes kept (so each word equals its source slice).
    static func parseWords(_ t: [UInt8], _ s: Int, _ e: Int, escape: UInt8) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = s
        var inWord = false, quote: UInt8 = 0
        var ws = s
        var blankOK = false
        var word: [UInt8] = []
        func flush(_ end: Int) {
            if blankOK || !word.isEmpty { out.append((String(decoding: word, as: UTF8.self), ws..<end)) }
            word = []; blankOK = false; inWord = false
        }
        while i < e {
            let ch = t[i]
            if !inWord && quote == 0 {
                if isSpace(ch) { i += 1; continue }
                inWord = true
                ws = i
            }
            if quote == 0 {
                if isSpace(ch) { flush(i); i += 1; continue }
                if ch == 0x27 || ch == 0x22 { quote = ch; blankOK = true; word.append(ch); i += 1; continue }
                if ch == escape {
                    if i + 1 == e { i += 1; continue }
                    word.append(ch); word.append(t[i + 1]); i += 2; continue
                }
                word.append(ch); i += 1; continue
            }
            if ch == quote { quote = 0; word.append(ch); i += 1; continue }
            if ch == escape && quote != 0x27 {
                if i + 1 == e { i += 1; continue }
                word.append(ch); word.append(t[i + 1]); i += 2; continue
            }
            word.append(ch); i += 1
        }
        if inWord || quote != 0 { flush(e) }
        return out
    }

    enum JSONResult { case array([(String, Range<Int>)]), notArray, invalid, notStrings }

    /// Decodes the first JSON value at `t[s..<e]` if it is an array of strings (trailing text ignored, as Go's decoder does).
    static func parseJSONArray(_ t: [UInt8], from s: Int, to e: Int) -> JSONResult {
        guard s < e, t[s] == UInt8(ascii: "[") else { return .notArray }
        var i = s + 1
        var items: [(String, Range<Int>)] = []
        func ws() { while i < e, t[i] == 0x20 || t[i] == 0x09 || t[i] == 0x0A || t[i] == 0x0D { i += 1 } }
        ws()
        if i < e, t[i] == UInt8(ascii: "]") { return .array([]) }
        var notStrings = false
        while true {
            ws()
            guard i < e else { return .invalid }
            if t[i] == 0x22 {
                let start = i
                i += 1
                var v: [UInt8] = []
                while true {
                    guard i < e else { return .invalid }
                    let c = t[i]
                    if c == 0x22 { i += 1; break }
                    if c < 0x20 { return .invalid }
                    if c == UInt8(ascii: "\\") {
                        guard i + 1 < e else { return .invalid }
                        let d = t[i + 1]
                        i += 2
                        switch d {
                        case 0x22: v.append(0x22)
                        case 0x5C: v.append(0x5C)
                        case 0x2F: v.append(0x2F)
                        case UInt8(ascii: "b"): v.append(0x08)
                        case UInt8(ascii: "f"): v.append(0x0C)
                        case UInt8(ascii: "n"): v.append(0x0A)
                        case UInt8(ascii: "r"): v.append(0x0D)
                        case UInt8(ascii: "t"): v.append(0x09)
                        case UInt8(ascii: "u"):
                            guard i + 4 <= e, let code = UInt32(String(decoding: t[i..<(i + 4)], as: UTF8.self), radix: 16) else { return .invalid }
                            i += 4
                            var scalar = code
                            if code >= 0xD800 && code < 0xDC00, i + 6 <= e, t[i] == 0x5C, t[i + 1] == UInt8(ascii: "u"),
                               let low = UInt32(String(decoding: t[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16), low >= 0xDC00, low < 0xE000 {
                                scalar = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                                i += 6
                            }
                            v.append(contentsOf: String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8)
                        default: return .invalid
                        }
                        continue
                    }
                    v.append(c)
                    i += 1
                }
                items.append((String(decoding: v, as: UTF8.self), start..<i))
            } else {
                // Some other JSON value: skip a scalar/number/literal or nested structure roughly.
                guard skipJSONValue(t, &i, e) else { return .invalid }
                notStrings = true
            }
            ws()
            guard i < e else { return .invalid }
            if t[i] == UInt8(ascii: ",") { i += 1; continue }
            if t[i] == UInt8(ascii: "]") { break }
            return .invalid
        }
        return notStrings ? .notStrings : .array(items)
    }

    static func skipJSONValue(_ t: [UInt8], _ i: inout Int, _ e: Int) -> Bool {
        guard i < e else { return false }
        let c = t[i]
        if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
            var depth = 0
            var inStr = false
            while i < e {
                let d = t[i]
                if inStr {
                    if d == 0x5C { i += 2; continue }
                    if d == 0x22 { inStr = false }
                } else if d == 0x22 { inStr = true }
                else if d == UInt8(ascii: "[") || d == UInt8(ascii: "{") { depth += 1 }
                else if d == UInt8(ascii: "]") || d == UInt8(ascii: "}") { depth -= 1; if depth == 0 { i += 1; return true } }
                i += 1
            }
            return false
        }
        for lit in ["true", "false", "null"] where t[i...].starts(with: lit.utf8) { i += lit.utf8.count; return true }
        let s = i
        while i < e, (t[i] >= 0x30 && t[i] <= 0x39) || t[i] == UInt8(ascii: "-") || t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: ".") || t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E") { i += 1 }
        return i > s
    }

    struct HeredocMarker { var name: String; var chomp: Bool; var expand: Bool; var fd: Int }

    /// Heredoc markers in a logical line: words matching `^(\d*)<<(-?)([^<]*)$` after shell-style splitting.
    static func heredocs(in t: [UInt8]) -> [HeredocMarker] {
        var out: [HeredocMarker] = []
        // Split into raw words (quotes kept) the way a shell lexer with RawQuotes does.
        var words: [[UInt8]] = []
        var w: [UInt8] = []
        var q: UInt8 = 0
        var i = 0
        var inWord = false
        while i < t.count {
            let c = t[i]
            if q != 0 {
                w.append(c)
                if c == 0x5C && q == 0x22 && i + 1 < t.count { w.append(t[i + 1]); i += 2; continue }
                if c == q { q = 0 }
                i += 1; continue
            }
            if isSpace(c) { if inWord { words.append(w); w = []; inWord = false }; i += 1; continue }
            inWord = true
            if c == 0x27 || c == 0x22 { q = c }
            if c == 0x5C && i + 1 < t.count { w.append(c); w.append(t[i + 1]); i += 2; continue }
            w.append(c); i += 1
        }
        if inWord { words.append(w) }
        for word in words {
            var j = 0
            while j < word.count, word[j] >= 0x30, word[j] <= 0x39 { j += 1 }
            let fd = j > 0 ? Int(String(decoding: word[0..<j], as: UTF8.self)) ?? 0 : 0
            guard j + 1 < word.count, word[j] == 0x3C, word[j + 1] == 0x3C else { continue }
            j += 2
            var chomp = false
            if j < word.count, word[j] == UInt8(ascii: "-") { chomp = true; j += 1 }
            let rest = Array(word[j...])
            if rest.isEmpty || rest.contains(0x3C) { continue }
            var name: [UInt8] = []
            var quoted = false
            var k = 0
            var qq: UInt8 = 0
            while k < rest.count {
                let c = rest[k]
                if qq != 0 {
                    if c == qq { qq = 0; k += 1; continue }
                    if c == 0x5C && qq == 0x22 && k + 1 < rest.count { name.append(rest[k + 1]); k += 2; continue }
                    name.append(c); k += 1; continue
                }
                if c == 0x27 || c == 0x22 { qq = c; quoted = true; k += 1; continue }
                if c == 0x5C && k + 1 < rest.count { quoted = true; name.append(rest[k + 1]); k += 2; continue }
                name.append(c); k += 1
            }
            if name.isEmpty { continue }
            out.append(HeredocMarker(name: String(decoding: name, as: UTF8.self), chomp: chomp, expand: !quoted, fd: fd))
        }
        return out
    }

    /// BuildKit-style word processing (`shell.Lex.ProcessWord`): removes quotes and escapes and substitutes
    /// `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`. Unset variables become empty, as in BuildKit.
    /// Returns the result and whether some variable was not in `env`.
    public static func expand(_ word: String, escape: UInt8 = 0x5C, env: [String: String]) -> (value: String, hasUnknown: Bool) {
        var limits = ExpansionLimits()
        let r = expand(word, escape: escape, env: env, limits: &limits, depth: 0)
        return (r.value, r.hasUnknown)
    }

    /// Bounds on substitution: `${X:-${X:-…}}` nesting and the size of one expanded word (values that
    /// double at every `ARG` would otherwise grow to gigabytes). Hitting one is recorded, not fatal.
    public struct ExpansionLimits: Sendable {
        public static let maxDepth = 32
        public static let maxWordBytes = 256 * 1024
        /// What substitution may add to all words of one Dockerfile together (beyond their own length).
        public static let maxTotalBytes = 16 * 1024 * 1024
        public var tooDeep = false
        public var tooLarge = false
        public var remainingBytes = maxTotalBytes
        public init() {}
    }

    static func expand<Env: DockerEnvironment>(_ word: String, escape: UInt8, env: Env, limits: inout ExpansionLimits,
                       depth: Int) -> (value: String, hasUnknown: Bool) {
        if depth > ExpansionLimits.maxDepth {
            limits.tooDeep = true
            return ("", true)
        }
        let t = Array(word.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var unknown = false
        func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            let cap = min(ExpansionLimits.maxWordBytes, t.count + limits.remainingBytes)
            if out.count + bytes.count > cap {
                limits.tooLarge = true
                out.append(contentsOf: bytes.prefix(max(0, cap - out.count)))
            } else {
                out.append(contentsOf: bytes)
            }
        }
        var i = 0
        let n = t.count
        func isNameStart(_ c: UInt8) -> Bool { c == 0x5F || (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        func isName(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }
        func dollar() {
            // at t[i] == "$"
            guard i + 1 < n else { out.append(0x24); i += 1; return }
            let c = t[i + 1]
            if c == UInt8(ascii: "{") {
                var j = i + 2
                let ns = j
                while j < n, isName(t[j]) { j += 1 }
                let name = String(decoding: t[ns..<j], as: UTF8.self)
                var op: String = ""
                var wordStart = j
                if j < n, t[j] == UInt8(ascii: ":"), j + 1 < n, t[j + 1] == UInt8(ascii: "-") || t[j + 1] == UInt8(ascii: "+") || t[j + 1] == UInt8(ascii: "?") {
                    op = String(decoding: t[j...(j + 1)], as: UTF8.self); wordStart = j + 2
                } else if j < n, t[j] == UInt8(ascii: "-") || t[j] == UInt8(ascii: "+") || t[j] == UInt8(ascii: "?") {
                    op = String(UnicodeScalar(t[j])); wordStart = j + 1
                }
                var braces = 1
                var k = wordStart
                while k < n {
                    if t[k] == UInt8(ascii: "{") { braces += 1 }
                    if t[k] == UInt8(ascii: "}") { braces -= 1; if braces == 0 { break } }
                    k += 1
                }
                let altRaw = String(decoding: t[wordStart..<min(k, n)], as: UTF8.self)
                i = min(k + 1, n)
                let value = env[name]
                func alt() -> String {
                    let r = expand(altRaw, escape: escape, env: env, limits: &limits, depth: depth + 1)
                    if r.hasUnknown { unknown = true }
                    return r.value
                }
                switch op {
                case ":-": if let v = value, !v.isEmpty { append(v.utf8) } else { append(alt().utf8) }
                case "-": if let v = value { append(v.utf8) } else { append(alt().utf8) }
                case ":+": if let v = value, !v.isEmpty { append(alt().utf8) }
                case "+": if value != nil { append(alt().utf8) }
                default:
                    if let v = value { append(v.utf8) } else { unknown = true }
                }
                return
            }
            if isNameStart(c) {
                var j = i + 1
                while j < n, isName(t[j]) { j += 1 }
                let name = String(decoding: t[(i + 1)..<j], as: UTF8.self)
                if let v = env[name] { append(v.utf8) } else { unknown = true }
                i = j
                return
            }
            out.append(0x24)
            i += 1
        }
        while i < n {
            let c = t[i]
            if c == 0x27 {
                i += 1
                while i < n, t[i] != 0x27 { out.append(t[i]); i += 1 }
                i += 1
                continue
            }
            if c == 0x22 {
                i += 1
                while i < n, t[i] != 0x22 {
                    if t[i] == escape, i + 1 < n {
                        let d = t[i + 1]
                        if d == 0x22 || d == 0x24 || d == escape { out.append(d); i += 2; continue }
                        out.append(t[i]); i += 1; continue
                    }
                    if t[i] == 0x24 { dollar(); continue }
                    out.append(t[i]); i += 1
                }
                i += 1
                continue
            }
            if c == escape {
                if i + 1 < n { out.append(t[i + 1]); i += 2 } else { i += 1 }
                continue
            }
            if c == 0x24 { dollar(); continue }
            out.append(c)
            i += 1
        }
        if depth == 0 { limits.remainingBytes = max(0, limits.remainingBytes - max(0, out.count - t.count)) }
        return (String(decoding: out, as: UTF8.self), unknown)
    }
}
