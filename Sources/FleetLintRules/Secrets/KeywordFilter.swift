import CVectorscan
import Foundation

/// The secret scanner's keyword search through Vectorscan (Hyperscan's portable fork; Debian's libvectorscan5, as
/// Nosey Parker uses it): the literals compiled into one block-mode database, matched ASCII case-insensitively by its
/// SIMD literal matchers. It reports what `KeywordAutomaton`'s DFA reports, every occurrence of every keyword by its
/// last byte, in order (`KeywordFilterTests` compares the two and brute force). `KeywordAutomaton` uses it when it
/// compiles and the CPU is one Vectorscan supports, and its own DFA otherwise.
final class KeywordFilter: @unchecked Sendable {
    private let database: OpaquePointer
    /// Scratch spaces (one per concurrent scan; Vectorscan needs one per thread), reused across scans.
    private var idle: [OpaquePointer] = []
    private let lock = NSLock()

    /// Nil when Vectorscan does not run on this CPU, there are no keywords, or the database does not compile.
    /// Keywords holding a line break are left out: the DFA never matches across a line break either.
    init?(keywords: [String]) {
        guard hs_valid_platform() == HS_SUCCESS else { return nil }
        // All literals in one buffer, each found by its offset and length.
        var bytes: [CChar] = []
        var offsets: [Int] = [], lengths: [Int] = []
        var ids: [UInt32] = []
        for (id, word) in keywords.enumerated() where !word.isEmpty && !word.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            offsets.append(bytes.count)
            lengths.append(word.utf8.count)
            bytes += word.utf8.map { CChar(bitPattern: $0) }
            ids.append(UInt32(id))
        }
        guard !ids.isEmpty else { return nil }
        let flags = [UInt32](repeating: UInt32(HS_FLAG_CASELESS), count: ids.count)
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let status: hs_error_t = bytes.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
            return hs_compile_lit_multi(pointers, flags, ids, lengths, UInt32(ids.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
        }
        if let error { hs_free_compile_error(error) }
        guard status == HS_SUCCESS, let db else { return nil }
        database = db
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(db)
            return nil
        }
        idle = [scratch]
    }

    deinit {
        for s in idle { hs_free_scratch(s) }
        hs_free_database(database)
    }

    /// Every keyword occurrence as `endOffset << 16 | keywordId`, sorted (the DFA's order: by end, then id).
    /// Nil if the scan fails (the caller falls back to the DFA).
    func hits(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        // (Nil only on a failed scan: the caller then runs the DFA.)
        guard let base = bytes.baseAddress, bytes.count > 0 else { return [] }
        guard bytes.count <= Int(UInt32.max) else { return nil }
        guard let scratch = takeScratch() else { return nil }
        defer { giveBack(scratch) }
        var out: [Int] = []
        var sorted = true
        let status = withUnsafeMutablePointer(to: &out) { outPointer in
            withUnsafeMutablePointer(to: &sorted) { sortedPointer in
                var context = (outPointer, sortedPointer)
                return withUnsafeMutablePointer(to: &context) { ctx in
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                        hs_scan(database, chars, UInt32(bytes.count), 0, scratch, { id, _, to, _, raw in
                            let c = raw!.assumingMemoryBound(to: (UnsafeMutablePointer<[Int]>, UnsafeMutablePointer<Bool>).self).pointee
                            let hit = (Int(to) - 1) << 16 | Int(id)
                            if let last = c.0.pointee.last, last > hit { c.1.pointee = false }
                            c.0.pointee.append(hit)
                            return 0
                        }, ctx)
                    }
                }
            }
        }
        guard status == HS_SUCCESS else { return nil }
        // Matches come by end offset; ids that end at one offset may come in any order.
        if !sorted { out.sort() }
        return out
    }

    private func takeScratch() -> OpaquePointer? {
        lock.lock()
        if let s = idle.popLast() { lock.unlock(); return s }
        lock.unlock()
        // Another scan holds every scratch space: a new one (kept for later scans when it is given back).
        var fresh: OpaquePointer?
        guard hs_alloc_scratch(database, &fresh) == HS_SUCCESS else { return nil }
        return fresh
    }

    private func giveBack(_ scratch: OpaquePointer) {
        lock.lock()
        idle.append(scratch)
        lock.unlock()
    }
}
