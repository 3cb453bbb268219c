// PEP 440 version specifiers: https://peps.python.org/pep-0440/#version-specifiers
// Validation, matching and pre-release rules follow `packaging` 26.3 (`packaging/specifiers.py`).
//
// Pre-releases (packaging 26): `contains(_:prereleases:)` with `nil` *accepts* a matching pre-release
// (a single version has no alternatives); only `prereleases: false` (or a set built with
// `prereleases: false`) rejects it. `filter` with `nil` follows PEP 440: pre-releases are dropped when
// any final release matches, unless a specifier names a pre-release.

/// One version specifier such as `>=1.0` or `==2.*`.
public struct Specifier: Hashable, Sendable, CustomStringConvertible {
    /// The comparison operator.
    public enum Operator: String, Sendable, CaseIterable {
        case compatible = "~=", equal = "==", notEqual = "!=", lessEqual = "<=", greaterEqual = ">="
        case less = "<", greater = ">", arbitrary = "==="
    }

    public let op: Operator
    /// The version text as written (stripped), including a trailing `.*`.
    public let versionText: String
    /// Parsed version (base without `.*`); nil only for `===`.
    public let version: Version?
    public let isWildcard: Bool
    let intervals: [VersionInterval]

    /// Parses one specifier as `packaging.specifiers.Specifier(...)`; nil when packaging raises `InvalidSpecifier`.
    public init?(_ text: String) {
        self.init(scalars: Array(text.unicodeScalars))
    }

    init?(scalars s: [Unicode.Scalar]) {
        var i = 0, end = s.count
        while i < end, isPythonStrWhitespace(s[i]) { i += 1 }
        while end > i, isPythonStrWhitespace(s[end - 1]) { end -= 1 }
        func at(_ k: Int) -> Unicode.Scalar? { k < end ? s[k] : nil }
        let op: Operator
        if at(i) == "=", at(i + 1) == "=", at(i + 2) == "=" { op = .arbitrary; i += 3 }
        else if at(i + 1) == "=", let c = at(i), "~=!<>".unicodeScalars.contains(c) {
            op = Operator(rawValue: String(c) + "=")!; i += 2
        } else if at(i) == "<" { op = .less; i += 1 }
        else if at(i) == ">" { op = .greater; i += 1 }
        else { return nil }
        while i < end, isPythonStrWhitespace(s[i]) { i += 1 }
        let body = Array(s[i..<end])
        let bodyText = String(scalars: body)
        self.op = op
        self.versionText = bodyText
        if op == .arbitrary {
            guard !body.contains(where: { isPythonStrWhitespace($0) || $0 == ";" || $0 == ")" }) else { return nil }
            version = nil; isWildcard = false; intervals = [.full]
            return
        }
        if (op == .equal || op == .notEqual), body.count >= 2, body[body.count - 1] == "*", body[body.count - 2] == "." {
            var sc = PEP440Scanner(Array(body.dropLast(2)))
            if let c = sc.peek(), PEP440Scanner.lower(c) == "v" { sc.i += 1 }
            var overflow = false
            let save = sc.i
            if sc.number(&overflow) != nil, sc.peek() == "!" { sc.i += 1 } else { sc.i = save }
            guard sc.number(&overflow) != nil else { return nil }
            while sc.peek() == ".", PEP440Scanner.isDigit(sc.peek(1)) { sc.i += 1; _ = sc.number(&overflow) }
            guard sc.i == sc.s.count, !overflow, let v = Version(String(scalars: body.dropLast(2))) else { return nil }
            version = v; isWildcard = true
            intervals = SpecifierRanges.wildcard(op, v)
            return
        }
        var sc = PEP440Scanner(body)
        guard let v = sc.parseBody(allowLocal: op == .equal || op == .notEqual), sc.i == body.count else { return nil }
        if op == .compatible && v.release.count < 2 { return nil }
        version = v; isWildcard = false
        intervals = SpecifierRanges.standard(op, v, hasLocal: v.local != nil)
    }

    /// `op + version` exactly as packaging prints it (version text not normalised).
    public var description: String { op.rawValue + versionText }

    /// packaging's `Specifier.prereleases` autodetection: does this specifier name a pre-release?
    public var namesPrerelease: Bool? {
        if op == .notEqual { return false }
        if op == .equal && isWildcard { return false }
        if op == .arbitrary { return Version(versionText)?.isPrerelease }
        return version?.isPrerelease
    }

    /// Range membership only, no pre-release policy.
    func matchesIgnoringPrereleases(_ v: Version) -> Bool {
        SpecifierRanges.matches(intervals, v)
    }

    /// `Specifier.contains(item, prereleases)` of packaging 26.
    public func contains(_ item: String, prereleases: Bool? = nil) -> Bool {
        let pre = prereleases ?? ((namesPrerelease ?? false) ? true : nil)
        if op == .arbitrary {
            guard item.lowercased() == versionText.lowercased() else { return false }
            if pre == false, let v = Version(item), v.isPrerelease { return false }
            return true
        }
        guard let v = Version(item) else { return false }
        return contains(v, resolvedPrereleases: pre)
    }

    /// `contains` for an already-parsed version (`===` compares its normalised string).
    public func contains(_ v: Version, prereleases: Bool? = nil) -> Bool {
        if op == .arbitrary { return contains(v.description, prereleases: prereleases) }
        return contains(v, resolvedPrereleases: prereleases ?? ((namesPrerelease ?? false) ? true : nil))
    }

    func contains(_ v: Version, resolvedPrereleases pre: Bool?) -> Bool {
        if pre == false && v.isPrerelease { return false }
        return matchesIgnoringPrereleases(v)
    }

    public static func == (l: Specifier, r: Specifier) -> Bool { l.description == r.description }
    public func hash(into h: inout Hasher) { h.combine(description) }
}

/// A comma-separated list of specifiers, all of which must hold.
public struct SpecifierSet: Hashable, Sendable, CustomStringConvertible {
    /// Specifiers in the order written.
    public let specifiers: [Specifier]
    /// Explicit pre-release policy (`SpecifierSet(..., prereleases=)`), nil = autodetect.
    public var prereleases: Bool?
    let hasArbitrary: Bool

    public init(_ specifiers: [Specifier], prereleases: Bool? = nil) {
        self.specifiers = specifiers
        self.prereleases = prereleases
        hasArbitrary = specifiers.contains { $0.op == .arbitrary }
    }

    /// Parses like `SpecifierSet(text)`; nil when any piece is invalid.
    public init?(_ text: String, prereleases: Bool? = nil) {
        switch SpecifierSet.parse(text) {
        case .success(let s): self = s; self.prereleases = prereleases
        case .failure: return nil
        }
    }

    /// The first invalid piece (stripped) when parsing fails.
    public struct InvalidSpecifier: Error, Hashable, Sendable { public var piece: String }

    public static func parse(_ text: String) -> Result<SpecifierSet, InvalidSpecifier> {
        var specs: [Specifier] = []
        let all = Array(text.unicodeScalars)
        var start = 0
        while start <= all.count {
            var end = start
            while end < all.count && all[end] != "," { end += 1 }
            var a = start, b = end
            while a < b, isPythonStrWhitespace(all[a]) { a += 1 }
            while b > a, isPythonStrWhitespace(all[b - 1]) { b -= 1 }
            if a < b {
                let piece = Array(all[a..<b])
                guard let s = Specifier(scalars: piece) else {
                    return .failure(InvalidSpecifier(piece: String(scalars: piece)))
                }
                specs.append(s)
            }
            start = end + 1
        }
        return .success(SpecifierSet(specs))
    }

    public var isEmpty: Bool { specifiers.isEmpty }

    /// Sorted by string and de-duplicated, as packaging prints it.
    public var description: String {
        var seen = Set<String>()
        return specifiers.map(\.description).sorted().filter { seen.insert($0).inserted }.joined(separator: ",")
    }

    public static func == (l: SpecifierSet, r: SpecifierSet) -> Bool { l.description == r.description }
    public func hash(into h: inout Hasher) { h.combine(description) }

    /// packaging's `SpecifierSet.prereleases` autodetection.
    public var effectivePrereleases: Bool? {
        if let p = prereleases { return p }
        if specifiers.isEmpty { return nil }
        return specifiers.contains { $0.namesPrerelease == true } ? true : nil
    }

    var intervals: [VersionInterval] {
        var result: [VersionInterval]? = nil
        for s in specifiers {
            result = result.map { SpecifierRanges.intersect($0, s.intervals) } ?? s.intervals
            if result!.isEmpty { break }
        }
        return result ?? [.full]
    }

    /// `SpecifierSet.contains(item, prereleases)` of packaging 26 for a version string.
    public func contains(_ item: String, prereleases: Bool? = nil) -> Bool {
        let parsed = Version(item)
        if let v = parsed, !hasArbitrary { return contains(v, prereleases: prereleases) }
        // filter([item]) path: `===` compares the raw string.
        let pre = prereleases ?? effectivePrereleases
        for s in specifiers {
            if s.op == .arbitrary {
                if !s.contains(item, prereleases: true) { return false }
            } else {
                guard let v = parsed, s.matchesIgnoringPrereleases(v) else { return false }
            }
        }
        if pre == false, let v = parsed, v.isPrerelease { return false }
        if !hasArbitrary && parsed == nil && !specifiers.isEmpty { return false }
        return true
    }

    /// `contains` for a parsed version (`===` compares its normalised string).
    public func contains(_ v: Version, prereleases: Bool? = nil) -> Bool {
        if hasArbitrary { return contains(v.description, prereleases: prereleases) }
        if specifiers.isEmpty {
            let pre = prereleases ?? self.prereleases
            return !(pre == false && v.isPrerelease)
        }
        if v.isPrerelease && (prereleases == false || (prereleases == nil && self.prereleases == false)) { return false }
        return SpecifierRanges.matches(intervals, v)
    }

    /// `SpecifierSet.filter(items, prereleases)` of packaging 26 (order kept; unparsable strings
    /// pass only through `===`).
    public func filter(_ items: [String], prereleases: Bool? = nil) -> [String] {
        let pre = prereleases ?? effectivePrereleases
        var matches: [(String, Version?)] = []
        for item in items {
            let v = Version(item)
            if hasArbitrary {
                var ok = true
                for s in specifiers where !s.contains(item, prereleases: true) { ok = false; break }
                if ok { matches.append((item, v)) }
            } else if specifiers.isEmpty {
                matches.append((item, v))
            } else if let v, SpecifierRanges.matches(intervals, v) {
                matches.append((item, v))
            }
        }
        if !hasArbitrary && !specifiers.isEmpty { matches = matches.filter { $0.1 != nil } }
        switch pre {
        case true?: return matches.map(\.0)
        case false?: return matches.filter { !($0.1?.isPrerelease ?? false) }.map(\.0)
        case nil:
            let hasFinal = matches.contains { $0.1 != nil && !$0.1!.isPrerelease }
            if !hasFinal { return matches.map(\.0) }
            return matches.filter { !($0.1?.isPrerelease ?? false) }.map(\.0)
        }
    }

    /// The versions that satisfy every set at once, computed on intervals.
    public static func intersection(of sets: [SpecifierSet]) -> VersionRangeSet {
        var all: [Specifier] = []
        for s in sets { all.append(contentsOf: s.specifiers) }
        let combined = SpecifierSet(all)
        let iv = combined.intervals
        var conflict = false
        var arbitrary: String? = nil
        let arb = all.filter { $0.op == .arbitrary }
        if let first = arb.first {
            arbitrary = first.versionText
            if arb.contains(where: { $0.versionText.lowercased() != first.versionText.lowercased() }) { conflict = true }
            let standard = all.filter { $0.op != .arbitrary }
            if !conflict, !standard.isEmpty {
                if let cand = Version(first.versionText) {
                    conflict = !standard.allSatisfy { $0.contains(cand, resolvedPrereleases: nil) }
                } else { conflict = true }
            }
        }
        let names = all.contains { $0.namesPrerelease == true }
        return VersionRangeSet(intervals: iv, arbitraryConflict: conflict, arbitrary: arbitrary, specifiersNamePrerelease: names)
    }

    /// This set's own range (see `intersection(of:)`).
    public var range: VersionRangeSet { SpecifierSet.intersection(of: [self]) }

    /// packaging 26 `SpecifierSet.is_unsatisfiable()` negated (honours the explicit `prereleases`).
    public var isSatisfiable: Bool {
        if specifiers.isEmpty { return true }
        let r = range
        return prereleases == false ? r.isSatisfiableByFinalRelease : r.isSatisfiableAllowingPrereleases
    }
}

extension String {
    /// Python's `str.strip()` with no argument.
    var pythonStrStripped: String {
        let u = unicodeScalars
        var a = u.startIndex, b = u.endIndex
        while a < b, isPythonStrWhitespace(u[a]) { a = u.index(after: a) }
        while b > a, isPythonStrWhitespace(u[u.index(before: b)]) { b = u.index(before: b) }
        return String(u[a..<b])
    }
}
