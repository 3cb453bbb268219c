/// `SpecifierSet.intersection(of: sets[0...i])` for every prefix `i` of a sequence, in linear time: each
/// set is intersected into the running intervals once, instead of re-intersecting the whole prefix.
/// Gives exactly what `intersection(of:)` gives for the same prefix (tested against it).
public struct RunningIntersection: Sendable {
    private var intervals: [VersionInterval] = [.full]
    private var firstArbitrary: String? = nil
    private var arbitraryConflict = false
    /// Standard (non-`===`) specifiers seen before the first `===`; checked against it once it comes.
    private var standardBeforeArbitrary: [Specifier] = []
    private var namesPrerelease = false

    public init() {}

    public mutating func add(_ set: SpecifierSet) {
        for s in set.specifiers {
            if !intervals.isEmpty { intervals = SpecifierRanges.intersect(intervals, s.intervals) }
            if s.namesPrerelease == true { namesPrerelease = true }
            if s.op == .arbitrary {
                if let first = firstArbitrary {
                    if s.versionText.lowercased() != first.lowercased() { arbitraryConflict = true }
                } else {
                    firstArbitrary = s.versionText
                    // Every standard specifier so far must admit the pinned literal.
                    if let candidate = Version(s.versionText) {
                        if !standardBeforeArbitrary.allSatisfy({ $0.contains(candidate, resolvedPrereleases: nil) }) { arbitraryConflict = true }
                    } else if !standardBeforeArbitrary.isEmpty {
                        arbitraryConflict = true
                    }
                    standardBeforeArbitrary = []
                }
            } else if let first = firstArbitrary {
                if let candidate = Version(first) {
                    if !s.contains(candidate, resolvedPrereleases: nil) { arbitraryConflict = true }
                } else {
                    arbitraryConflict = true
                }
            } else {
                standardBeforeArbitrary.append(s)
            }
        }
    }

    /// The versions every set added so far allows at once.
    public var range: VersionRangeSet {
        VersionRangeSet(intervals: intervals, arbitraryConflict: arbitraryConflict, arbitrary: firstArbitrary,
                        specifiersNamePrerelease: namesPrerelease)
    }
}
