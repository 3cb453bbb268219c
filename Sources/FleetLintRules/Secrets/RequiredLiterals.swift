// What every match of an ICU regex must contain, read from the regex text (ICU syntax:
// https://unicode-org.github.io/icu/userguide/strings/regexp.html). A keyword line is handed to
// NSRegularExpression only when it holds these bytes: a call costs tens of thousands of instructions,
// a `memchr` a few, and most `://` lines (every link in a README) have no `@`.

import Foundation

/// The ASCII punctuation bytes every match of a regex contains.
enum RequiredLiterals {
    /// Punctuation that stands for itself when not escaped (outside a character class, without the `x` flag).
    private static let plainLiterals = Set("@:/\"'=,;<>%&!~_-#`".utf8)

    /// Bytes that occur in every match: literal punctuation at the top level of the regex (outside any
    /// group, lookaround or class) that no quantifier makes optional. Letters and digits are never
    /// listed (a case-insensitive flag would change them). Empty when unsure: a top-level `|`, the `x`
    /// flag, `\Q…\E`, or anything this reader does not understand.
    static func bytes(of regex: String) -> [UInt8] {
        let r = Array(regex.utf8)
        var found: Set<UInt8> = []
        var depth = 0
        var i = 0
        let n = r.count
        // Is the atom that ended just before `j` made optional by a quantifier at `j`?
        func optional(at j: Int) -> Bool {
            guard j < n else { return false }
            switch r[j] {
            case UInt8(ascii: "?"), UInt8(ascii: "*"): return true
            case UInt8(ascii: "{"): return j + 1 < n && (r[j + 1] == UInt8(ascii: "0") || r[j + 1] == UInt8(ascii: ","))
            default: return false
            }
        }
        while i < n {
            let b = r[i]
            switch b {
            case UInt8(ascii: "\\"):
                guard i + 1 < n else { return [] }
                let e = r[i + 1]
                if e == UInt8(ascii: "Q") { return [] }
                var end = i + 2
                if e == UInt8(ascii: "p") || e == UInt8(ascii: "P") || e == UInt8(ascii: "N") || e == UInt8(ascii: "x") {
                    if end < n, r[end] == UInt8(ascii: "{") {
                        while end < n, r[end] != UInt8(ascii: "}") { end += 1 }
                        guard end < n else { return [] }
                        end += 1
                    }
                }
                let isLiteralPunctuation = e < 0x80 && !(e >= 0x30 && e <= 0x39) && !((e | 0x20) >= 0x61 && (e | 0x20) <= 0x7A)
                if depth == 0, isLiteralPunctuation, !optional(at: end) { found.insert(e) }
                i = end
            case UInt8(ascii: "["):
                // A class (possibly nested sets): one atom of no fixed byte.
                var j = i + 1
                var level = 1
                if j < n, r[j] == UInt8(ascii: "^") { j += 1 }
                if j < n, r[j] == UInt8(ascii: "]") { j += 1 }
                while j < n, level > 0 {
                    if r[j] == UInt8(ascii: "\\") { j += 2; continue }
                    if r[j] == UInt8(ascii: "[") { level += 1 } else if r[j] == UInt8(ascii: "]") { level -= 1 }
                    j += 1
                }
                guard level == 0 else { return [] }
                i = j
            case UInt8(ascii: "("):
                if i + 1 < n, r[i + 1] == UInt8(ascii: "?") {
                    // Inline flags `(?ix)` / `(?x:…)`: the `x` flag makes spaces and `#` mean something else.
                    var j = i + 2
                    while j < n, ((r[j] | 0x20) >= 0x61 && (r[j] | 0x20) <= 0x7A) || r[j] == UInt8(ascii: "-") {
                        if r[j] == UInt8(ascii: "x") { return [] }
                        j += 1
                    }
                }
                depth += 1
                i += 1
            case UInt8(ascii: ")"):
                depth -= 1
                guard depth >= 0 else { return [] }
                i += 1
            case UInt8(ascii: "|"):
                if depth == 0 { return [] }
                i += 1
            case UInt8(ascii: "{"):
                // A counted quantifier (its digits and comma are not literals).
                while i < n, r[i] != UInt8(ascii: "}") { i += 1 }
                guard i < n else { return [] }
                i += 1
            default:
                if depth == 0, plainLiterals.contains(b), !optional(at: i + 1) { found.insert(b) }
                i += 1
            }
        }
        return depth == 0 ? found.sorted() : []
    }

    /// Whether `line` holds every byte of `required`.
    static func line(_ line: UnsafeBufferPointer<UInt8>, contains required: [UInt8]) -> Bool {
        guard let base = line.baseAddress else { return required.isEmpty }
        for b in required where memchr(base, Int32(b), line.count) == nil { return false }
        return true
    }
}
