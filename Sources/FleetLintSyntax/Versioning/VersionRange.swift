// Version intervals for PEP 440 specifiers: https://peps.python.org/pep-0440/#version-specifiers
// Mirrors the interval model of `packaging` 26.3 (`packaging/_ranges.py`): each specifier is a sorted
// list of intervals over the version order whose ends may sit *between* real versions (after all
// local labels of V, or after all post-releases of V).

/// A point on the version line: a real version or a boundary just above a family of versions.
public enum VersionPoint: Hashable, Sendable, CustomStringConvertible {
    /// A real version.
    case version(Version)
    /// Just above `V` and every `V+local`, below `V.post0`.
    case afterLocals(Version)
    /// Just above `V`, `V+local` and every `V.postN`, below the next release.
    case afterPosts(Version)

    public var description: String {
        switch self {
        case .version(let v): return v.description
        case .afterLocals(let v): return "\(v)+*"
        case .afterPosts(let v): return "\(v).post*"
        }
    }

    var base: Version {
        switch self { case .version(let v), .afterLocals(let v), .afterPosts(let v): return v }
    }

    /// Is `other` in the family this boundary sorts above?
    static func isFamily(_ b: Version, afterPosts: Bool, _ other: Version) -> Bool {
        guard other.epoch == b.epoch, other.trimmedRelease == b.trimmedRelease else { return false }
        guard other.pre?.kind == b.pre?.kind, (other.pre?.number ?? 0) == (b.pre?.number ?? 0) else { return false }
        if !afterPosts { return other.post == b.post && other.dev == b.dev }
        return other.dev == b.dev || other.post != nil
    }

    /// Boundary order key (boundary vs boundary): version key with an infinite local part, and for
    /// after-posts an infinite post number.
    static func compareBoundaries(_ a: Version, _ aPosts: Bool, _ b: Version, _ bPosts: Bool) -> Int {
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        let x = a.trimmedRelease, y = b.trimmedRelease
        if x != y { return x.lexicographicallyPrecedes(y) ? -1 : 1 }
        func key(_ v: Version, _ posts: Bool) -> (Int, Int, Int, Double, Int, Int) {
            let s = v.suffixKey
            return posts ? (s.0, s.1, 1, .infinity, 1, 0) : (s.0, s.1, s.2, Double(s.3), s.4, s.5)
        }
        let k = key(a, aPosts), l = key(b, bPosts)
        if k == l { return 0 }
        return k < l ? -1 : 1
    }

    /// Total order; a boundary never equals a real version.
    static func compare(_ l: VersionPoint, _ r: VersionPoint) -> Int {
        switch (l, r) {
        case let (.version(a), .version(b)): return Version.compare(a, b)
        case let (.version(a), _): return -compareBoundaryToVersion(r, a)
        case let (_, .version(b)): return compareBoundaryToVersion(l, b)
        default:
            return compareBoundaries(l.base, l.isAfterPosts, r.base, r.isAfterPosts)
        }
    }

    var isAfterPosts: Bool { if case .afterPosts = self { return true } else { return false } }

    static func compareBoundaryToVersion(_ b: VersionPoint, _ v: Version) -> Int {
        let base = b.base
        if Version.compare(base, v) < 0 && !isFamily(base, afterPosts: b.isAfterPosts, v) { return -1 }
        return 1
    }
}

/// The lower end of an interval; `point == nil` is minus infinity.
public struct LowerBound: Hashable, Sendable {
    public var point: VersionPoint?
    public var inclusive: Bool
    public init(_ point: VersionPoint?, inclusive: Bool) { self.point = point; self.inclusive = inclusive }
    static let unbounded = LowerBound(nil, inclusive: false)

    /// Is `v` at or above this bound?
    func admits(_ v: Version) -> Bool {
        guard let p = point else { return true }
        let c = VersionPoint.compare(p, .version(v))
        return c < 0 || (c == 0 && inclusive)
    }

    static func less(_ a: LowerBound, _ b: LowerBound) -> Bool {
        guard let p = a.point else { return b.point != nil }
        guard let q = b.point else { return false }
        let c = VersionPoint.compare(p, q)
        if c != 0 { return c < 0 }
        return a.inclusive && !b.inclusive
    }
}

/// The upper end of an interval; `point == nil` is plus infinity.
public struct UpperBound: Hashable, Sendable {
    public var point: VersionPoint?
    public var inclusive: Bool
    public init(_ point: VersionPoint?, inclusive: Bool) { self.point = point; self.inclusive = inclusive }
    static let unbounded = UpperBound(nil, inclusive: false)

    func admits(_ v: Version) -> Bool {
        guard let p = point else { return true }
        let c = VersionPoint.compare(.version(v), p)
        return c < 0 || (c == 0 && inclusive)
    }

    static func less(_ a: UpperBound, _ b: UpperBound) -> Bool {
        guard let p = a.point else { return false }
        guard let q = b.point else { return true }
        let c = VersionPoint.compare(p, q)
        if c != 0 { return c < 0 }
        return !a.inclusive && b.inclusive
    }
}

/// One contiguous interval of versions.
public struct VersionInterval: Hashable, Sendable {
    public var lower: LowerBound
    public var upper: UpperBound
    public init(_ lower: LowerBound, _ upper: UpperBound) { self.lower = lower; self.upper = upper }
    public func contains(_ v: Version) -> Bool { lower.admits(v) && upper.admits(v) }
    static let full = VersionInterval(.unbounded, .unbounded)
}

enum SpecifierRanges {
    static let minVersion = Version(release: [0], dev: 0)  // 0.dev0
    static let minRelease = Version(release: [0])

    static func nextPrefixDev0(_ v: Version) -> Version {
        var r = v.release
        r[r.count - 1] += 1
        return Version(epoch: v.epoch, release: r, dev: 0)
    }

    static func baseDev0(_ v: Version) -> Version { Version(epoch: v.epoch, release: v.release, dev: 0) }

    static func wildcard(_ op: Specifier.Operator, _ base: Version) -> [VersionInterval] {
        let lo = baseDev0(base), hi = nextPrefixDev0(base)
        if op == .equal {
            return [VersionInterval(LowerBound(.version(lo), inclusive: true), UpperBound(.version(hi), inclusive: false))]
        }
        return [VersionInterval(.unbounded, UpperBound(.version(lo), inclusive: false)),
                VersionInterval(LowerBound(.version(hi), inclusive: true), .unbounded)]
    }

    static func standard(_ op: Specifier.Operator, _ v: Version, hasLocal: Bool) -> [VersionInterval] {
        switch op {
        case .greaterEqual:
            return [VersionInterval(LowerBound(.version(v), inclusive: true), .unbounded)]
        case .lessEqual:
            return [VersionInterval(.unbounded, UpperBound(.afterLocals(v), inclusive: true))]
        case .greater:
            var w = v
            w.local = nil
            if let d = v.dev {
                w.dev = d + 1
                return [VersionInterval(LowerBound(.version(w), inclusive: true), .unbounded)]
            }
            if let p = v.post {
                w.post = p + 1; w.dev = 0
                return [VersionInterval(LowerBound(.version(w), inclusive: true), .unbounded)]
            }
            return [VersionInterval(LowerBound(.afterPosts(v), inclusive: false), .unbounded)]
        case .less:
            var bound = v
            if !v.isPrerelease { bound.dev = 0; bound.local = nil }
            if Version.compare(bound, minVersion) <= 0 { return [] }
            return [VersionInterval(.unbounded, UpperBound(.version(bound), inclusive: false))]
        case .equal, .notEqual:
            let upper: VersionPoint = hasLocal ? .version(v) : .afterLocals(v)
            if op == .equal {
                return [VersionInterval(LowerBound(.version(v), inclusive: true), UpperBound(upper, inclusive: true))]
            }
            return [VersionInterval(.unbounded, UpperBound(.version(v), inclusive: false)),
                    VersionInterval(LowerBound(upper, inclusive: false), .unbounded)]
        case .compatible:
            var prefix = v
            prefix.release = Array(v.release.dropLast())
            return [VersionInterval(LowerBound(.version(v), inclusive: true),
                                    UpperBound(.version(nextPrefixDev0(prefix)), inclusive: false))]
        case .arbitrary:
            return [.full]
        }
    }

    /// Smallest real version strictly above a boundary, or nil.
    static func leastVersionAbove(_ p: VersionPoint) -> Version? {
        switch p {
        case .version: return nil
        case .afterLocals(var b):
            b.local = nil
            if let d = b.dev { b.dev = d + 1; return b }
            b.post = (b.post.map { $0 + 1 }) ?? 0
            b.dev = 0
            return b
        case .afterPosts(var b):
            guard let pre = b.pre else { return nil }
            b.pre = (pre.kind, pre.number + 1)
            b.post = nil; b.dev = 0; b.local = nil
            return b
        }
    }

    static func isEmpty(_ lower: LowerBound, _ upper: UpperBound) -> Bool {
        guard let up = upper.point else { return false }
        guard let lo = lower.point else {
            if !upper.inclusive, case .version(let u) = up { return Version.compare(u, minVersion) <= 0 }
            return false
        }
        if case .version = lo {} else if let succ = leastVersionAbove(lo) {
            let c = VersionPoint.compare(up, .version(succ))
            if c == 0 { return !upper.inclusive }
            return c < 0
        }
        let c = VersionPoint.compare(lo, up)
        if c == 0 { return !(lower.inclusive && upper.inclusive) }
        return c > 0
    }

    static func intersect(_ left: [VersionInterval], _ right: [VersionInterval]) -> [VersionInterval] {
        var out: [VersionInterval] = []
        var i = 0, j = 0
        while i < left.count && j < right.count {
            let a = left[i], b = right[j]
            let lo = LowerBound.less(a.lower, b.lower) ? b.lower : a.lower
            let up = UpperBound.less(a.upper, b.upper) ? a.upper : b.upper
            if !isEmpty(lo, up) { out.append(VersionInterval(lo, up)) }
            if UpperBound.less(a.upper, b.upper) { i += 1 } else { j += 1 }
        }
        return out
    }

    static func nearestReleaseAbovePrerelease(_ v: Version) -> Version {
        var w = v
        w.local = nil; w.dev = nil
        if v.pre != nil { w.pre = nil; w.post = nil }
        return w
    }

    static func lowestReleaseAtOrAbove(_ p: VersionPoint?) -> Version {
        guard let p else { return minRelease }
        switch p {
        case .version(let v): return v.isPrerelease ? nearestReleaseAbovePrerelease(v) : v
        case .afterLocals(let v), .afterPosts(let v):
            if v.isPrerelease { return nearestReleaseAbovePrerelease(v) }
            var w = v
            w.post = (v.post.map { $0 + 1 }) ?? 0
            w.local = nil
            return w
        }
    }

    static func prereleaseOnly(_ ranges: [VersionInterval]) -> Bool {
        for r in ranges {
            let nearest = lowestReleaseAtOrAbove(r.lower.point)
            guard let up = r.upper.point else { return false }
            let c = VersionPoint.compare(.version(nearest), up)
            if c < 0 { return false }
            if c == 0 && r.upper.inclusive { return false }
        }
        return true
    }

    static func matches(_ ranges: [VersionInterval], _ v: Version) -> Bool {
        for r in ranges {
            if !r.lower.admits(v) { return false }
            if r.upper.admits(v) { return true }
        }
        return false
    }
}

/// The versions allowed by several specifier sets at once: a sorted union of disjoint intervals,
/// plus the literal a `===` pins (if any). Computed exactly on intervals, never by sampling.
public struct VersionRangeSet: Hashable, Sendable, CustomStringConvertible {
    /// Sorted, non-overlapping intervals; empty when no PEP 440 version satisfies every specifier.
    public var intervals: [VersionInterval]
    /// True when `===` specifiers conflict with each other or with the other specifiers.
    public var arbitraryConflict: Bool
    /// The `===` string every candidate must equal, if any.
    public var arbitrary: String?
    /// Whether a specifier names a pre-release (PEP 440: then pre-releases are acceptable).
    public var specifiersNamePrerelease: Bool

    /// Is some version allowed when pre-releases are allowed?
    public var isSatisfiableAllowingPrereleases: Bool { !intervals.isEmpty && !arbitraryConflict }

    /// Is some final (non-pre-release) version allowed?
    public var isSatisfiableByFinalRelease: Bool {
        guard isSatisfiableAllowingPrereleases else { return false }
        if let a = arbitrary, let v = Version(a) { return !v.isPrerelease }
        return !SpecifierRanges.prereleaseOnly(intervals)
    }

    /// PEP 440 default: pre-releases count only when some specifier names one.
    public var isSatisfiable: Bool {
        specifiersNamePrerelease ? isSatisfiableAllowingPrereleases : isSatisfiableByFinalRelease
    }

    /// Explicit policy: `true` allows pre-releases, `false` excludes them, nil uses the PEP 440 default.
    public func isSatisfiable(prereleases: Bool?) -> Bool {
        switch prereleases {
        case true?: return isSatisfiableAllowingPrereleases
        case false?: return isSatisfiableByFinalRelease
        case nil: return isSatisfiable
        }
    }

    /// Whether `v` lies in the intervals (no pre-release policy applied).
    public func contains(_ v: Version) -> Bool {
        if let a = arbitrary, a.lowercased() != v.description.lowercased() { return false }
        return !arbitraryConflict && SpecifierRanges.matches(intervals, v)
    }

    /// A readable specifier string: `>=2.0,<2.3`, `==2.*`, `!=2.1`, unions joined with ` || `;
    /// `<empty>` when unsatisfiable and `` (empty) for "any version".
    public var description: String {
        if arbitraryConflict || intervals.isEmpty { return "<empty>" }
        var pieces: [String] = []
        if let a = arbitrary { pieces.append("===" + a) }
        // Merge holes: consecutive intervals whose gap is one excluded version or prefix become `!=`.
        var groups: [(lower: LowerBound, upper: UpperBound, excl: [String])] = []
        for r in intervals {
            if var last = groups.last, let hole = Self.holeText(last.upper, r.lower) {
                last.upper = r.upper
                last.excl.append(hole)
                groups[groups.count - 1] = last
            } else {
                groups.append((r.lower, r.upper, []))
            }
        }
        var alts: [String] = []
        for g in groups {
            var parts: [String] = []
            if let single = Self.singlePoint(g.lower, g.upper) {
                parts.append("==" + single)
            } else if let w = Self.wildcardText(g.lower, g.upper) {
                parts.append("==" + w)
            } else {
                if let l = Self.lowerText(g.lower) { parts.append(l) }
                if let u = Self.upperText(g.upper) { parts.append(u) }
            }
            parts.append(contentsOf: g.excl)
            alts.append(parts.joined(separator: ","))
        }
        let body = alts.joined(separator: " || ")
        if !body.isEmpty { pieces.append(body) }
        return pieces.joined(separator: ",")
    }

    static func holeText(_ up: UpperBound, _ lo: LowerBound) -> String? {
        guard let u = up.point, let l = lo.point, !up.inclusive else { return nil }
        if case .version(let a) = u, case .afterLocals(let b) = l, !lo.inclusive, a == b { return "!=\(a)" }
        if case .version(let a) = u, case .version(let b) = l, !lo.inclusive, a == b { return "!=\(a)" }
        if case .version(let a) = u, case .version(let b) = l, lo.inclusive, a.dev == 0, a.pre == nil, a.post == nil,
           b == SpecifierRanges.nextPrefixDev0(a) {
            return "!=" + Self.prefixText(a)
        }
        return nil
    }

    static func prefixText(_ v: Version) -> String {
        (v.epoch != 0 ? "\(v.epoch)!" : "") + v.release.map(String.init).joined(separator: ".") + ".*"
    }

    static func singlePoint(_ lo: LowerBound, _ up: UpperBound) -> String? {
        guard lo.inclusive, case .version(let a)? = lo.point else { return nil }
        switch up.point {
        case .afterLocals(let b)? where a == b && up.inclusive: return a.description
        case .version(let b)? where a == b && up.inclusive: return a.description
        default: return nil
        }
    }

    static func wildcardText(_ lo: LowerBound, _ up: UpperBound) -> String? {
        guard lo.inclusive, !up.inclusive, case .version(let a)? = lo.point, case .version(let b)? = up.point,
              a.dev == 0, a.pre == nil, a.post == nil, a.local == nil, b == SpecifierRanges.nextPrefixDev0(a) else { return nil }
        return prefixText(a)
    }

    static func lowerText(_ lo: LowerBound) -> String? {
        guard let p = lo.point else { return nil }
        switch p {
        case .version(let v): return (lo.inclusive ? ">=" : ">") + v.description
        case .afterPosts(let v): return ">" + v.description
        case .afterLocals: return ">=" + (SpecifierRanges.leastVersionAbove(p)?.description ?? p.description)
        }
    }

    static func upperText(_ up: UpperBound) -> String? {
        guard let p = up.point else { return nil }
        switch p {
        case .version(var v):
            if up.inclusive { return "<=" + v.description }
            if v.dev == 0, v.pre == nil, v.local == nil { v.dev = nil; return "<" + v.description }
            return "<" + v.description
        case .afterLocals(let v): return "<=" + v.description
        case .afterPosts(let v): return "<" + SpecifierRanges.nextPrefixDev0(v).description
        }
    }
}
