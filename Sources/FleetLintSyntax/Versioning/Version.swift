// PEP 440 versions: https://peps.python.org/pep-0440/
// Parsing, normalisation and ordering follow `packaging` 26.3 (`packaging/version.py`).

/// A parsed PEP 440 version. `description` is the normalised form `packaging` prints.
public struct Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Pre-release kind, ordered `a < b < rc`.
    public enum PreKind: Int, Hashable, Comparable, Sendable, CustomStringConvertible {
        case alpha = 0, beta = 1, rc = 2
        public static func < (l: PreKind, r: PreKind) -> Bool { l.rawValue < r.rawValue }
        public var description: String { self == .alpha ? "a" : self == .beta ? "b" : "rc" }
    }

    /// One dot-separated part of a local label: numbers compare numerically and sort after strings.
    public enum LocalSegment: Hashable, Comparable, Sendable, CustomStringConvertible {
        case string(String)
        case number(Int)
        public static func < (l: LocalSegment, r: LocalSegment) -> Bool {
            switch (l, r) {
            case let (.number(a), .number(b)): return a < b
            case let (.string(a), .string(b)): return a < b
            case (.string, .number): return true
            case (.number, .string): return false
            }
        }
        public var description: String {
            switch self { case .string(let s): return s; case .number(let n): return String(n) }
        }
    }

    public var epoch: Int
    public var release: [Int]
    public var pre: (kind: PreKind, number: Int)? {
        get { preKind.map { ($0, preNumber) } }
        set { preKind = newValue?.kind; preNumber = newValue?.number ?? 0 }
    }
    public var post: Int?
    public var dev: Int?
    public var local: [LocalSegment]?
    private var preKind: PreKind?
    private var preNumber: Int = 0

    /// Builds a version from its parts (release must be non-empty).
    public init(epoch: Int = 0, release: [Int], pre: (kind: PreKind, number: Int)? = nil,
                post: Int? = nil, dev: Int? = nil, local: [LocalSegment]? = nil) {
        self.epoch = epoch
        self.release = release
        self.preKind = pre?.kind
        self.preNumber = pre?.number ?? 0
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// Parses a version as `packaging.version.Version(...)` does; nil when packaging raises `InvalidVersion`.
    /// Numbers that do not fit in `Int` are rejected (packaging accepts them).
    public init?(_ text: String) {
        var p = PEP440Scanner(Array(text.unicodeScalars))
        guard let v = p.parseFull() else { return nil }
        self = v
    }

    public var isPrerelease: Bool { dev != nil || preKind != nil }
    public var isDevrelease: Bool { dev != nil }
    public var isPostrelease: Bool { post != nil }
    public var major: Int { release.first ?? 0 }
    public var minor: Int { release.count > 1 ? release[1] : 0 }
    public var micro: Int { release.count > 2 ? release[2] : 0 }

    /// The local label as packaging prints it (`ubuntu.1`), or nil.
    public var localLabel: String? { local.map { $0.map(\.description).joined(separator: ".") } }

    /// The version without its local label.
    public var `public`: String { var v = self; v.local = nil; return v.description }

    /// Epoch and release only (`1!2.0`).
    public var baseVersion: String {
        var v = Version(epoch: epoch, release: release)
        v.local = nil
        return v.description
    }

    /// Release with trailing zeros removed (at least one component kept).
    public var trimmedRelease: ArraySlice<Int> {
        var end = release.count
        while end > 1, release[end - 1] == 0 { end -= 1 }
        return release[0..<end]
    }

    public var description: String {
        var s = ""
        if epoch != 0 { s += "\(epoch)!" }
        for (i, r) in release.enumerated() {
            if i > 0 { s += "." }
            s += String(r)
        }
        if let k = preKind { s += k.description + String(preNumber) }
        if let p = post { s += ".post\(p)" }
        if let d = dev { s += ".dev\(d)" }
        if let l = localLabel { s += "+" + l }
        return s
    }

    // MARK: ordering (packaging's `_cmpkey`)

    /// `(pre_rank, pre_n, post_rank, post_n, dev_rank, dev_n)`.
    var suffixKey: (Int, Int, Int, Int, Int, Int) {
        let preRank: Int
        if preKind == nil && post == nil && dev != nil { preRank = -1 } else if let k = preKind { preRank = k.rawValue } else { preRank = 3 }
        return (preRank, preKind == nil ? 0 : preNumber, post == nil ? 0 : 1, post ?? 0, dev == nil ? 1 : 0, dev ?? 0)
    }

    /// Compares epoch, trimmed release and the pre/post/dev suffix (not the local label).
    static func comparePublic(_ l: Version, _ r: Version) -> Int {
        if l.epoch != r.epoch { return l.epoch < r.epoch ? -1 : 1 }
        let a = l.trimmedRelease, b = r.trimmedRelease
        var i = 0
        while i < a.count && i < b.count {
            let x = a[a.startIndex + i], y = b[b.startIndex + i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        let s = l.suffixKey, t = r.suffixKey
        if s != t { return s < t ? -1 : 1 }
        return 0
    }

    static func compare(_ l: Version, _ r: Version) -> Int {
        let c = comparePublic(l, r)
        if c != 0 { return c }
        switch (l.local, r.local) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?):
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
    }

    public static func < (l: Version, r: Version) -> Bool { compare(l, r) < 0 }
    public static func == (l: Version, r: Version) -> Bool { compare(l, r) == 0 }
    public func hash(into h: inout Hasher) {
        h.combine(epoch)
        h.combine(Array(trimmedRelease))
        let s = suffixKey
        h.combine(s.0); h.combine(s.1); h.combine(s.2); h.combine(s.3); h.combine(s.4); h.combine(s.5)
        h.combine(local)
    }
}

/// Python's `str.isspace()` for one scalar (what `\s` matches in a `str` regex).
@inline(__always)
func isPythonStrWhitespace(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default: return false
    }
}

/// Hand-written equivalent of packaging's `VERSION_PATTERN` (with possessive quantifiers).
struct PEP440Scanner {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    @inline(__always) func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
    @inline(__always) static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c.value >= 65 && c.value <= 90) ? Unicode.Scalar(c.value + 32)! : c
    }
    @inline(__always) static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0.value >= 48 && $0.value <= 57 } ?? false }
    @inline(__always) static func isSep(_ c: Unicode.Scalar?) -> Bool { c == "." || c == "_" || c == "-" }

    /// Matches one of `words` case-insensitively at `i` (first match in order wins, as regex alternation).
    mutating func word(_ words: [String]) -> String? {
        for w in words {
            var k = 0
            var ok = true
            for ch in w.unicodeScalars {
                guard let c = peek(k), Self.lower(c) == ch else { ok = false; break }
                k += 1
            }
            if ok { i += k; return w }
        }
        return nil
    }

    /// Digits; returns nil (and sets overflow) when too large.
    mutating func number(_ overflow: inout Bool) -> Int? {
        guard Self.isDigit(peek()) else { return nil }
        var n = 0
        while let c = peek(), Self.isDigit(c) {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(c.value - 48))
            // Int.max too: ranges take the next version (`==1.*` is below 2.dev0), which must not overflow.
            if o1 || o2 || a == Int.max { overflow = true }
            n = a
            i += 1
        }
        return n
    }

    static func normalizePre(_ w: String) -> Version.PreKind {
        switch w {
        case "a", "alpha": return .alpha
        case "b", "beta": return .beta
        default: return .rc // c, rc, pre, preview
        }
    }

    /// Parses the body (no surrounding whitespace); returns nil when it does not match.
    mutating func parseBody(allowLocal: Bool = true) -> Version? {
        var overflow = false
        if let c = peek(), Self.lower(c) == "v" { i += 1 }
        // epoch
        var epoch = 0
        let save = i
        if let e = number(&overflow), peek() == "!" { epoch = e; i += 1 } else { i = save }
        guard let first = number(&overflow) else { return nil }
        var release = [first]
        while peek() == ".", Self.isDigit(peek(1)) { i += 1; release.append(number(&overflow)!) }
        var v = Version(epoch: epoch, release: release)
        // pre
        do {
            let start = i
            if Self.isSep(peek()) { i += 1 }
            if let w = word(["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"]) {
                if Self.isSep(peek()) { i += 1 }
                v.pre = (Self.normalizePre(w), number(&overflow) ?? 0)
            } else { i = start }
        }
        // post
        do {
            let start = i
            if peek() == "-", Self.isDigit(peek(1)) {
                i += 1
                v.post = number(&overflow)
            } else {
                if Self.isSep(peek()) { i += 1 }
                if word(["post", "rev", "r"]) != nil {
                    if Self.isSep(peek()) { i += 1 }
                    v.post = number(&overflow) ?? 0
                } else { i = start }
            }
        }
        // dev
        do {
            let start = i
            if Self.isSep(peek()) { i += 1 }
            if word(["dev"]) != nil {
                if Self.isSep(peek()) { i += 1 }
                v.dev = number(&overflow) ?? 0
            } else { i = start }
        }
        if allowLocal, peek() == "+" {
            let start = i
            i += 1
            var segs: [Version.LocalSegment] = []
            func alnum(_ c: Unicode.Scalar?) -> Bool {
                guard let c else { return false }
                let l = PEP440Scanner.lower(c)
                return PEP440Scanner.isDigit(l) || (l.value >= 97 && l.value <= 122)
            }
            func readSeg(_ me: inout PEP440Scanner) -> Bool {
                let b = me.i
                while alnum(me.peek()) { me.i += 1 }
                if me.i == b { return false }
                let str = String(scalars: me.s[b..<me.i].map(PEP440Scanner.lower))
                if str.unicodeScalars.allSatisfy({ PEP440Scanner.isDigit($0) }) {
                    if let n = Int(str) { segs.append(.number(n)) } else { overflow = true; segs.append(.number(0)) }
                } else { segs.append(.string(str)) }
                return true
            }
            if readSeg(&self) {
                while Self.isSep(peek()), alnum(peek(1)) { i += 1; _ = readSeg(&self) }
                v.local = segs
            } else { i = start }
        }
        return overflow ? nil : v
    }

    mutating func parseFull() -> Version? {
        while let c = peek(), isPythonStrWhitespace(c) { i += 1 }
        guard let v = parseBody() else { return nil }
        while let c = peek(), isPythonStrWhitespace(c) { i += 1 }
        return i == s.count ? v : nil
    }
}
