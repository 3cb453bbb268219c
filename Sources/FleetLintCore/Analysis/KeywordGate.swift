import CVectorscan
import FleetLintSyntax
import Foundation

/// Whether any of a few words occurs in a buffer (`FileAnalyzer.needsFullParse`: the keyword-gated rules' words in a
/// Python file), in one pass. The words are one Vectorscan literal database (case-sensitive, as `ByteSearch`), and
/// the scan stops at the first match. Searched word by word with `memchr`, a file holding none of the seven default
/// words was scanned seven times over, and every false hit of a word's anchor byte cost a call (122 M instructions
/// on the large real tree). The database is compiled on first use (a run answered by the run memo asks nothing);
/// where Vectorscan cannot run, and in buffers under 64 bytes, the words are searched one by one as before.
/// `KeywordGateTests` compares the answers with that search.
final class KeywordGate: @unchecked Sendable {
    let words: [[UInt8]]
    /// An empty word occurs everywhere.
    private let always: Bool
    private let lock = NSLock()
    private var compiled = false
    private var database: OpaquePointer?
    /// Scratch spaces (one per concurrent scan), reused across scans.
    private var idle: [OpaquePointer] = []

    init(words: [[UInt8]]) {
        self.words = words
        always = words.contains(where: \.isEmpty)
    }

    deinit {
        for s in idle { hs_free_scratch(s) }
        if let database { hs_free_database(database) }
    }

    func occurs(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if always { return true }
        if bytes.count >= 64, bytes.count <= Int(UInt32.max), let base = bytes.baseAddress, let (db, scratch) = take() {
            defer { giveBack(scratch) }
            var found = false
            let status = withUnsafeMutablePointer(to: &found) { flag in
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                    hs_scan(db, chars, UInt32(bytes.count), 0, scratch, { _, _, _, _, raw in
                        raw!.assumingMemoryBound(to: Bool.self).pointee = true
                        return 1  // the first match answers: stop
                    }, flag)
                }
            }
            if status == HS_SUCCESS || status == HS_SCAN_TERMINATED { return found }
        }
        return words.contains { ByteSearch.contains($0, in: bytes) }
    }

    /// Calls `body` with each occurrence of each word (the word's index, the offset where the occurrence starts), in
    /// order of where the occurrences end, until it returns false. An empty word is never reported.
    func forEachOccurrence(in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ word: Int, _ start: Int) -> Bool) {
        if bytes.count >= 64, bytes.count <= Int(UInt32.max), let base = bytes.baseAddress, let (db, scratch) = take() {
            defer { giveBack(scratch) }
            var ends: [Int] = []  // (end << 8 | word), as reported
            let status = withUnsafeMutablePointer(to: &ends) { out in
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                    hs_scan(db, chars, UInt32(bytes.count), 0, scratch, { id, _, to, _, raw in
                        raw!.assumingMemoryBound(to: [Int].self).pointee.append(Int(to) << 8 | Int(id))
                        return 0
                    }, out)
                }
            }
            if status == HS_SUCCESS {
                if words.count <= 256 {
                    for e in ends where !body(e & 0xFF, (e >> 8) - words[e & 0xFF].count) { return }
                    return
                }
            }
        }
        // Word by word, merged by end (then word) as the database reports them.
        var all: [(end: Int, word: Int)] = []
        for (k, w) in words.enumerated() where !w.isEmpty {
            let anchor = ByteSearch.rarestOffset(w)
            var from = 0
            while let i = ByteSearch.find(w, anchor: anchor, in: bytes, from: from) {
                all.append((i + w.count, k))
                from = i + 1
            }
        }
        all.sort { ($0.end, $0.word) < ($1.end, $1.word) }
        for (end, k) in all where !body(k, end - words[k].count) { return }
    }

    /// The database (compiled on the first call) and a scratch space; nil when Vectorscan cannot be used.
    private func take() -> (OpaquePointer, OpaquePointer)? {
        lock.lock()
        defer { lock.unlock() }
        if !compiled {
            compiled = true
            database = Self.compile(words)
        }
        guard let database else { return nil }
        if let s = idle.popLast() { return (database, s) }
        var fresh: OpaquePointer?
        guard hs_alloc_scratch(database, &fresh) == HS_SUCCESS, let fresh else { return nil }
        return (database, fresh)
    }

    private func giveBack(_ scratch: OpaquePointer) {
        lock.lock()
        idle.append(scratch)
        lock.unlock()
    }

    private static func compile(_ words: [[UInt8]]) -> OpaquePointer? {
        guard !words.isEmpty, hs_valid_platform() == HS_SUCCESS else { return nil }
        var bytes: [CChar] = []
        var offsets: [Int] = [], lengths: [Int] = []
        for w in words {
            offsets.append(bytes.count)
            lengths.append(w.count)
            bytes += w.map { CChar(bitPattern: $0) }
        }
        let ids = (0..<words.count).map { UInt32($0) }
        let flags = [UInt32](repeating: 0, count: words.count)
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let status: hs_error_t = bytes.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
            return hs_compile_lit_multi(pointers, flags, ids, lengths, UInt32(words.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
        }
        if let error { hs_free_compile_error(error) }
        guard status == HS_SUCCESS else { return nil }
        return db
    }
}
