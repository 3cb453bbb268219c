// PEP 503 name normalisation: https://peps.python.org/pep-0503/#normalized-names
// Validity follows the core metadata `Name` rule (packaging's `_validate_regex`).

/// Helpers for Python distribution names.
public enum PackageName {
    /// Lowercases and collapses runs of `-`, `_`, `.` to one `-` (packaging's `canonicalize_name`).
    public static func normalize(_ name: String) -> String {
        // An ASCII name (every real distribution's) by its bytes, and one already in normal form (most: the import map's
        // 1,100 names, every requirement written the usual way) returned as it is, without a lowercased copy or a new
        // string: loading the built-in tables normalised ~1,500 names at ~2,800 instructions each.
        func classify(_ bytes: some Sequence<UInt8>) -> (isASCII: Bool, isNormal: Bool) {
            var isNormal = true, previousWasSeparator = false
            for b in bytes {
                if b >= 0x80 { return (false, false) }
                let separator = b == 0x2D || b == 0x5F || b == 0x2E
                if b &- 0x41 < 26 || b == 0x5F || b == 0x2E || (separator && previousWasSeparator) { isNormal = false }
                previousWasSeparator = separator
            }
            return (true, isNormal)
        }
        // From the string's own storage when it has one (the generic view's iteration was ~70 instructions a byte).
        let (isASCII, isNormal) = name.utf8.withContiguousStorageIfAvailable { classify($0) } ?? classify(name.utf8)
        if isNormal { return name }
        // An ASCII name is lowered byte by byte below; any other is lowercased first (its ASCII bytes then pass as they
        // are, and its other bytes are never separators).
        let source = isASCII ? name : name.lowercased()
        var out = [UInt8]()
        out.reserveCapacity(source.utf8.count)
        var lastDash = false
        for b in source.utf8 {
            if b == 0x2D || b == 0x5F || b == 0x2E {
                if !lastDash { out.append(0x2D) }
                lastDash = true
            } else {
                out.append(b &- 0x41 < 26 ? b | 0x20 : b)
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
