// Poetry version constraints → PEP 440 specifiers.
// https://python-poetry.org/docs/dependency-specification/ ; PEP 440: https://peps.python.org/pep-0440/

import Foundation

/// Translates Poetry constraint syntax (`^1.2`, `~1.2.3`, `*`, `>=1,<2`, `1.2.3`, `a || b`) to PEP 440.
public enum PoetryConstraint {
    /// The PEP 440 specifier for each `||` alternative (one element when there is no `||`); `""` means any version.
    /// Returns nil for an alternative it cannot translate.
    public static func alternatives(_ constraint: String) -> [String?] {
        constraint.components(separatedBy: "||").map { translateConjunction($0) }
    }

    /// The PEP 440 specifier, or nil when the constraint has several `||` alternatives or is malformed.
    public static func specifier(_ constraint: String) -> String? {
        let alts = alternatives(constraint)
        return alts.count == 1 ? alts[0] : nil
    }

    static func translateConjunction(_ s: String) -> String? {
        // Split on commas, and on whitespace that separates two constraints (`>=1.2 <2.0`).
        var parts: [String] = []
        for piece in s.split(separator: ",") {
            var cur = ""
            let chars = Array(piece.trimmingCharacters(in: .whitespaces))
            var k = 0
            while k < chars.count {
                let ch = chars[k]
                if ch == " " || ch == "\t" {
                    // Whitespace after an operator is glue; before a new operator it separates.
                    var j = k
                    while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                    let lastIsOp = cur.last.map { "<>=!~^".contains($0) } ?? true
                    if !lastIsOp, j < chars.count, "<>=!~^".contains(chars[j]) {
                        parts.append(cur); cur = ""
                    }
                    k = j
                    continue
                }
                cur.append(ch)
                k += 1
            }
            if !cur.isEmpty { parts.append(cur) }
        }
        var out: [String] = []
        for p in parts {
            guard let t = translateOne(p) else { return nil }
            if !t.isEmpty { out.append(t) }
        }
        return out.joined(separator: ",")
    }

    static func release(_ v: Substring) -> [Int]? {
        var nums: [Int] = []
        for comp in v.split(separator: ".", omittingEmptySubsequences: false) {
            let digits = comp.prefix(while: \.isNumber)
            // Below Int.max: a caret or tilde bound takes the next number.
            guard let x = Int(digits), x < Int.max else { return nums.isEmpty ? nil : nums }
            nums.append(x)
            if digits.count != comp.count { break }
        }
        return nums.isEmpty ? nil : nums
    }

    static func format(_ r: [Int]) -> String { r.map(String.init).joined(separator: ".") }

    static func translateOne(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s.isEmpty || s == "*" { return "" }
        if s.hasPrefix("^") {
            let v = s.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let r = release(Substring(v)) else { return nil }
            var upper = r
            if r[0] != 0 || r.count == 1 {
                upper = [r[0] + 1] + Array(repeating: 0, count: r.count - 1)
            } else if r.count == 2 || r[1] != 0 {
                upper = [0, r[1] + 1] + Array(repeating: 0, count: r.count - 2)
            } else {
                upper = [0, 0, r[2] + 1] + Array(repeating: 0, count: max(0, r.count - 3))
            }
            return ">=\(v),<\(format(upper))"
        }
        if s.hasPrefix("~") && !s.hasPrefix("~=") {
            let v = s.dropFirst().trimmingCharacters(in: .whitespaces)
            guard let r = release(Substring(v)) else { return nil }
            let upper = r.count == 1 ? [r[0] + 1] : [r[0], r[1] + 1] + Array(repeating: 0, count: r.count - 2)
            return ">=\(v),<\(format(upper))"
        }
        for op in ["===", "==", "!=", "~=", ">=", "<=", ">", "<"] where s.hasPrefix(op) {
            let v = s.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
            guard !v.isEmpty else { return nil }
            return op + v
        }
        if s.hasPrefix("=") {
            let v = s.dropFirst().trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : "==" + v
        }
        guard s.first?.isNumber == true else { return nil }
        return "==" + s
    }
}
