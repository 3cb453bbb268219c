// PEP 503 name normalisation: https://peps.python.org/pep-0503/#normalized-names
// Validity follows the core metadata `Name` rule (packaging's `_validate_regex`).

/// Helpers for Python distribution names.
public enum PackageName {
    /// Lowercases and collapses runs of `-`, `_`, `.` to one `-` (packaging's `canonicalize_name`).
    public static func normalize(_ name: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(name.utf8.count)
        var lastDash = false
        for b in name.lowercased().utf8 {
            if b == 0x2D || b == 0x5F || b == 0x2E {
                if !lastDash { out.append(0x2D) }
                lastDash = true
            } else {
                out.append(b)
                lastDash = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for a valid distribution name: ASCII letters/digits, inner `.`/`_`/`-`, alnum at both ends.
    public static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard let f = u.first, let l = u.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122) }
        guard alnum(f), alnum(l) else { return false }
        return u.allSatisfy { alnum($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }

    /// True when `name` is already in normalised form.
    public static func isNormalized(_ name: String) -> Bool { isValid(name) && normalize(name) == name && !name.contains("_") && !name.contains(".") }
}
