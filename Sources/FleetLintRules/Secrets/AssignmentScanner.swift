// Linear-time finder for `key <op> value` assignments on one line, the shapes of the generic
// secret rule (docs/reference/secrets.md §4: Python, .env, YAML, JSON, TOML, INI, shell,
// Dockerfile `ENV`/`ARG`). Equivalent to the generic regex in SecretCatalogue but without ICU's
// backtracking over the key (measured ~200 µs per line with NSRegularExpression on Linux).

import Foundation

/// One `key <op> value` occurrence; ranges are UTF-16 offsets into the line (NSString units).
struct AssignmentCandidate: Equatable {
    var key: NSRange
    var value: NSRange
    var full: NSRange
    /// The value is a whole quoted literal (it may hold `(`, `)`, `=`, `,`: a Django `SECRET_KEY`).
    var quoted = false
}

enum AssignmentScanner {
    static let maxKey = 81
    static let maxValue = 200

    @inline(__always) static func isKeyChar(_ c: UInt16) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E || c == 0x2D
    }

    @inline(__always) static func isSpace(_ c: UInt16) -> Bool { c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x0A }

    @inline(__always) static func isQuote(_ c: UInt16) -> Bool { c == 0x22 || c == 0x27 }

    /// `[^\s"'`\\,;)\]}]`
    @inline(__always) static func isValueChar(_ c: UInt16) -> Bool {
        !(isSpace(c) || c == 0x22 || c == 0x27 || c == 0x60 || c == 0x5C || c == 0x2C || c == 0x3B || c == 0x29 || c == 0x5D || c == 0x7D)
    }

    /// All assignments on `u` (one line as UTF-16).
    static func candidates(_ u: [UInt16]) -> [AssignmentCandidate] {
        var out: [AssignmentCandidate] = []
        let n = u.count
        if let legacy = dockerLegacy(u) { out.append(legacy) }
        var i = 0
        while i < n {
            let c = u[i]
            var opStart = i, opEnd = i + 1
            if c == 0x3D {  // =
                let prev: UInt16 = i > 0 ? u[i - 1] : 0
                let next: UInt16 = i + 1 < n ? u[i + 1] : 0
                if next == 0x3D || prev == 0x3D || prev == 0x21 || prev == 0x3C || prev == 0x3E { i += 1; continue }
                if next == 0x3E { opEnd = i + 2 }
                if prev == 0x3A { opStart = i - 1 }
            } else if c == 0x3A {  // :
                let prev: UInt16 = i > 0 ? u[i - 1] : 0
                let next: UInt16 = i + 1 < n ? u[i + 1] : 0
                if next == 0x3A || prev == 0x3A || next == 0x3D { i += 1; continue }
                if next == 0x2F, i + 2 < n, u[i + 2] == 0x2F { i += 1; continue }
            } else {
                i += 1
                continue
            }
            // Key, leftwards: spaces, `]`, quote, backslash, then key characters.
            var j = opStart - 1
            while j >= 0, u[j] == 0x20 || u[j] == 0x09 { j -= 1 }
            if j >= 0, u[j] == 0x5D { j -= 1 }
            if j >= 0, isQuote(u[j]) { j -= 1 }
            if j >= 0, u[j] == 0x5C { j -= 1 }
            let keyEnd = j + 1
            while j >= 0, isKeyChar(u[j]), keyEnd - j <= maxKey { j -= 1 }
            let keyStart = j + 1
            if keyStart == keyEnd || (j >= 0 && isKeyChar(u[j])) { i = opEnd; continue }
            // Value, rightwards: spaces, optional string prefix + quote, value characters.
            var k = opEnd
            while k < n, u[k] == 0x20 || u[k] == 0x09 { k += 1 }
            var p = k, prefix = 0
            while p < n, prefix < 2, [0x72, 0x62, 0x75, 0x66, 0x52, 0x42, 0x55, 0x46].contains(u[p]) { p += 1; prefix += 1 }
            var quote: UInt16? = nil
            if p < n, u[p] == 0x5C, p + 1 < n, isQuote(u[p + 1]) { k = p + 2; quote = u[p + 1] } else if p < n, isQuote(u[p]) { k = p + 1; quote = u[p] }
            let valueStart = k
            // A quoted value runs to its closing quote (without spaces, backslashes or backticks), so
            // `(`, `)`, `=` and `,` inside it belong to it; otherwise it ends at the first of them.
            var quoted = false
            if let quote {
                var q = k
                while q < n, u[q] != quote, u[q] != 0x5C, u[q] != 0x60, !isSpace(u[q]), q - valueStart < maxValue { q += 1 }
                let closes = q < n && (u[q] == quote || (u[q] == 0x5C && q + 1 < n && u[q + 1] == quote))
                if closes, q > valueStart { k = q; quoted = true }
            }
            if !quoted {
                // In a URL query (`?key=v&next=…`) the value ends at `&` or `#`.
                let inQuery = keyStart > 0 && (u[keyStart - 1] == 0x3F || u[keyStart - 1] == 0x26)
                while k < n, isValueChar(u[k]), k - valueStart < maxValue, !(inQuery && (u[k] == 0x26 || u[k] == 0x23)) { k += 1 }
            }
            if k > valueStart {
                out.append(AssignmentCandidate(
                    key: NSRange(location: keyStart, length: keyEnd - keyStart),
                    value: NSRange(location: valueStart, length: k - valueStart),
                    full: NSRange(location: keyStart, length: k - keyStart), quoted: quoted))
            }
            i = opEnd
        }
        return out
    }

    /// The three units, uppercased, are `ENV` or `ARG`: ASCII letters in either case. (No other character
    /// uppercases to an ASCII string without another character: `ı`→`I`, `ſ`→`S`, `ß`→`SS` and the `ﬀ`…`ﬆ`
    /// ligatures are the only ones reaching ASCII at all, none of them into `ENV`/`ARG`.) The Foundation
    /// string and `uppercased()` this replaces cost ~3,000 instructions a line.
    @inline(__always) static func isEnvOrArg(_ a: UInt16, _ b: UInt16, _ c: UInt16) -> Bool {
        let x = a & ~0x20, y = b & ~0x20, z = c & ~0x20
        guard a < 0x80, b < 0x80, c < 0x80 else { return false }
        return (x == 0x45 && y == 0x4E && z == 0x56) || (x == 0x41 && y == 0x52 && z == 0x47)
    }

    /// Dockerfile legacy `ENV KEY value` / `ARG KEY value` (no `=`).
    static func dockerLegacy(_ u: [UInt16]) -> AssignmentCandidate? {
        var i = 0
        let n = u.count
        while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 }
        guard i + 4 <= n else { return nil }
        guard isEnvOrArg(u[i], u[i + 1], u[i + 2]), u[i + 3] == 0x20 || u[i + 3] == 0x09 else { return nil }
        i += 3
        while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 }
        let keyStart = i
        while i < n, (u[i] >= 0x61 && u[i] <= 0x7A) || (u[i] >= 0x41 && u[i] <= 0x5A) || (u[i] >= 0x30 && u[i] <= 0x39) || u[i] == 0x5F { i += 1 }
        guard i > keyStart, i < n, u[i] == 0x20 || u[i] == 0x09 else { return nil }
        let keyEnd = i
        while i < n, u[i] == 0x20 || u[i] == 0x09 { i += 1 }
        if i < n, isQuote(u[i]) { i += 1 }
        let valueStart = i
        while i < n, !isSpace(u[i]), !isQuote(u[i]), u[i] != 0x3D, i - valueStart < maxValue { i += 1 }
        guard i > valueStart else { return nil }
        return AssignmentCandidate(key: NSRange(location: keyStart, length: keyEnd - keyStart),
                                   value: NSRange(location: valueStart, length: i - valueStart),
                                   full: NSRange(location: keyStart, length: i - keyStart))
    }
}
