// Which regexes can only match where one of their keywords starts, read from the regex text (ICU syntax:
// https://unicode-org.github.io/icu/userguide/strings/regexp.html). For such a pattern the scanner tries the
// regex anchored at each keyword hit of a line instead of at every offset of it: a 160 KB JSON line with a
// few `aws` hits costs a few anchored attempts, not a scan of 160 K start offsets.

/// Reads the literal text every match of a regex starts with.
enum KeywordAnchor {
    /// Whether every match of `regex` starts with one of `keywords` (ASCII case-insensitively): each way
    /// the regex can begin is a literal (after zero-width lookbehinds) that starts with a keyword. `false`
    /// when unsure (anything this reader does not understand).
    static func isAnchored(_ regex: String, keywords: [String]) -> Bool {
        let r = Array(regex.utf8)
        guard lookbehindsAreShort(r) else { return false }
        var from = 0
        if r.starts(with: Array("(?i)".utf8)) { from = 4 }
        guard let firsts = alternatives(r, from, r.count) else { return false }
        let words = keywords.map { Array($0.utf8).map(KeywordAutomaton.lower) }.filter { !$0.isEmpty }
        return firsts.allSatisfy { literal in
            let lowered = literal.map(KeywordAutomaton.lower)
            return words.contains { lowered.starts(with: $0) }
        }
    }

    /// How many bytes before a keyword hit an anchored attempt keeps (at least two characters: lookbehinds and
    /// `\b` look at one, `lookbehindsAreShort` sees to that).
    static let lookbehindWindow = 8

    /// Every lookbehind of the regex looks at one character: a class, an escape or a plain character.
    static func lookbehindsAreShort(_ r: [UInt8]) -> Bool {
        var i = 0
        while i + 3 < r.count {
            if r[i] == UInt8(ascii: "\\") { i += 2; continue }
            if r[i] == UInt8(ascii: "["), let end = classEnd(r, i, r.count) { i = end; continue }
            if r[i] == UInt8(ascii: "("), r[i + 1] == UInt8(ascii: "?"), r[i + 2] == UInt8(ascii: "<"),
               r[i + 3] == UInt8(ascii: "!") || r[i + 3] == UInt8(ascii: "=") {
                var k = i + 4
                guard k < r.count else { return false }
                if r[k] == UInt8(ascii: "[") {
                    guard let end = classEnd(r, k, r.count) else { return false }
                    k = end
                } else if r[k] == UInt8(ascii: "\\") {
                    // One escaped character (not a multi-character escape such as \Q or \x{…}).
                    guard k + 1 < r.count, isEscapedPunctuation(r[k + 1]) || Set("dDwWsS".utf8).contains(r[k + 1]) else { return false }
                    k += 2
                } else if isPlainLiteral(r[k]) {
                    k += 1
                } else {
                    return false
                }
                guard k < r.count, r[k] == UInt8(ascii: ")") else { return false }
                i = k + 1
                continue
            }
            i += 1
        }
        return true
    }

    /// The literals `r[from..<to]`, an alternation, can start with (one or more per alternative).
    static func alternatives(_ r: [UInt8], _ from: Int, _ to: Int) -> [[UInt8]]? {
        var out: [[UInt8]] = []
        var start = from
        var i = from
        var depth = 0
        while i <= to {
            if i == to || (depth == 0 && r[i] == UInt8(ascii: "|")) {
                guard let firsts = sequence(r, start, i) else { return nil }
                out += firsts
                start = i + 1
                i += 1
                continue
            }
            switch r[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "["):
                guard let end = classEnd(r, i, to) else { return nil }
                i = end
            case UInt8(ascii: "("): depth += 1; i += 1
            case UInt8(ascii: ")"): depth -= 1; i += 1
            default: i += 1
            }
            guard depth >= 0, i <= to else { return nil }
        }
        return depth == 0 ? out : nil
    }

    /// The literals the sequence `r[from..<to]` (no top-level `|`) can start with.
    static func sequence(_ r: [UInt8], _ from: Int, _ to: Int) -> [[UInt8]]? {
        var k = from
        // Zero-width lookbehinds come first and consume nothing.
        while k + 3 < to, r[k] == UInt8(ascii: "("), r[k + 1] == UInt8(ascii: "?"), r[k + 2] == UInt8(ascii: "<"),
              r[k + 3] == UInt8(ascii: "!") || r[k + 3] == UInt8(ascii: "=") {
            guard let close = groupEnd(r, k, to), !isQuantifier(r, close + 1, to) else { return nil }
            k = close + 1
        }
        guard k < to else { return nil }
        if r[k] == UInt8(ascii: "(") {
            let content: Int
            if k + 1 < to, r[k + 1] != UInt8(ascii: "?") {
                content = k + 1
            } else if k + 2 < to, r[k + 2] == UInt8(ascii: ":") {
                content = k + 3
            } else if k + 3 < to, r[k + 2] == UInt8(ascii: "i"), r[k + 3] == UInt8(ascii: ":") {
                content = k + 4
            } else {
                return nil
            }
            guard let close = groupEnd(r, k, to), !isQuantifier(r, close + 1, to) else { return nil }
            return alternatives(r, content, close)
        }
        // A literal run: letters, digits, plain punctuation and escaped punctuation.
        var literal: [UInt8] = []
        while k < to {
            let b = r[k]
            if b == UInt8(ascii: "\\") {
                guard k + 1 < to, isEscapedPunctuation(r[k + 1]) else { break }
                literal.append(r[k + 1])
                k += 2
            } else if isPlainLiteral(b) {
                literal.append(b)
                k += 1
            } else {
                break
            }
        }
        // A quantifier after the run applies to its last character only.
        if isQuantifier(r, k, to), !literal.isEmpty { literal.removeLast() }
        return literal.isEmpty ? nil : [literal]
    }

    /// Punctuation that stands for itself outside a class (without the `x` flag, which `isAnchored` never accepts).
    private static let plainPunctuation = Set("_-:/\"'=,@%&!~<>;".utf8)

    static func isPlainLiteral(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || plainPunctuation.contains(b)
    }

    static func isEscapedPunctuation(_ b: UInt8) -> Bool {
        b < 0x80 && !(b >= 0x30 && b <= 0x39) && !((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }

    static func isQuantifier(_ r: [UInt8], _ k: Int, _ to: Int) -> Bool {
        k < to && (r[k] == UInt8(ascii: "?") || r[k] == UInt8(ascii: "*") || r[k] == UInt8(ascii: "+") || r[k] == UInt8(ascii: "{"))
    }

    /// The index of the `)` closing the group opened at `open`.
    static func groupEnd(_ r: [UInt8], _ open: Int, _ to: Int) -> Int? {
        var depth = 0
        var i = open
        while i < to {
            switch r[i] {
            case UInt8(ascii: "\\"): i += 2; continue
            case UInt8(ascii: "["):
                guard let end = classEnd(r, i, to) else { return nil }
                i = end
                continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The index just past the class (possibly nested sets) opened at `open`.
    static func classEnd(_ r: [UInt8], _ open: Int, _ to: Int) -> Int? {
        var j = open + 1
        var level = 1
        if j < to, r[j] == UInt8(ascii: "^") { j += 1 }
        if j < to, r[j] == UInt8(ascii: "]") { j += 1 }
        while j < to, level > 0 {
            if r[j] == UInt8(ascii: "\\") { j += 2; continue }
            if r[j] == UInt8(ascii: "[") { level += 1 } else if r[j] == UInt8(ascii: "]") { level -= 1 }
            j += 1
        }
        return level == 0 ? j : nil
    }
}
