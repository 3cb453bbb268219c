import FleetLintCore
import Foundation

/// The secret scanner's keyword search through Vectorscan (Hyperscan's portable fork; Debian's libvectorscan5, as
/// Nosey Parker uses it): the literals compiled into one block-mode database, matched ASCII case-insensitively by its
/// SIMD literal matchers. It reports what `KeywordAutomaton`'s DFA reports, every occurrence of every keyword by its
/// last byte, in order (`KeywordFilterTests` compares the two and brute force). `KeywordAutomaton` uses it when it
/// compiles and the CPU is one Vectorscan supports, and its own DFA otherwise.
final class KeywordFilter: @unchecked Sendable {
    private let literals: LiteralDatabase

    /// Nil when Vectorscan does not run on this CPU, there are no keywords, or the database does not compile.
    /// Keywords holding a line break are left out: the DFA never matches across a line break either.
    init?(keywords: [String]) {
        let kept = keywords.enumerated().filter { !$0.element.isEmpty && !$0.element.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) }
        guard let db = LiteralDatabase(literals: kept.map { (Array($0.element.utf8), UInt32($0.offset)) }, caseless: true) else { return nil }
        literals = db
    }

    /// Every keyword occurrence as `endOffset << 16 | keywordId`, sorted (the DFA's order: by end, then id).
    /// Nil if the scan fails (the caller falls back to the DFA).
    func hits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        var found = Found()
        let scanned = withUnsafeMutablePointer(to: &found) { context in
            literals.scan(bytes, context: context) { id, _, to, _, raw in
                let found = raw!.assumingMemoryBound(to: Found.self)
                let hit = (Int(to) - 1) << 16 | Int(id)
                if let last = found.pointee.hits.last, last > hit { found.pointee.sorted = false }
                found.pointee.hits.append(hit)
                return 0
            }
        }
        guard scanned else { return nil }
        // Matches come by end offset; ids that end at one offset may come in any order.
        if !found.sorted { found.hits.sort() }
        return found.hits
    }

    /// What a scan collects, through its context pointer.
    private struct Found {
        var hits: [Int] = []
        var sorted = true
    }
}
