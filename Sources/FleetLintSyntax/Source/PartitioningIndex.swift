// One binary search for the many sorted-array lookups of the rules and indexes.

extension RandomAccessCollection {
    /// The first index in `range` whose element does not satisfy `belongsBefore`, for a collection partitioned by it
    /// (every element that satisfies it comes before every one that does not); `range.upperBound` when all do.
    /// `belongsBefore: { $0.start < x }` finds the first element starting at or after `x`; `{ $0.start <= x }` the
    /// one after the last starting at or before `x`.
    @inlinable
    public func partitioningIndex(in range: Range<Index>? = nil, where belongsBefore: (Element) -> Bool) -> Index {
        let bounds = range ?? startIndex..<endIndex
        var lo = bounds.lowerBound
        var n = distance(from: lo, to: bounds.upperBound)
        while n > 0 {
            let half = n / 2
            let mid = index(lo, offsetBy: half)
            if belongsBefore(self[mid]) {
                lo = index(after: mid)
                n -= half + 1
            } else {
                n = half
            }
        }
        return lo
    }
}
