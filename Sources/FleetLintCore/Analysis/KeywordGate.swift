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
    private var literals: LiteralDatabase?

    init(words: [[UInt8]]) {
        self.words = words
        always = words.contains(where: \.isEmpty)
    }

    func occurs(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if always { return true }
        if bytes.count >= 64, let db = database() {
            var found = false
            if db.scan(bytes, { _, _ in found = true; return false }) { return found }  // the first match answers
        }
        return words.contains { ByteSearch.contains($0, in: bytes) }
    }

    /// Calls `body` with each occurrence of each word (the word's index, the offset where the occurrence starts), in
    /// order of where the occurrences end (then of the words), until it returns false. An empty word is never reported.
    func forEachOccurrence(in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ word: Int, _ start: Int) -> Bool) {
        var all: [(end: Int, word: Int)] = []
        var scanned = false
        if bytes.count >= 64, let db = database() {
            scanned = db.scan(bytes) { id, end in all.append((end, Int(id))); return true }
            if !scanned { all = [] }
        }
        if !scanned {
            // Word by word.
            for (k, w) in words.enumerated() where !w.isEmpty {
                let anchor = ByteSearch.rarestOffset(w)
                var from = 0
                while let i = ByteSearch.find(w, anchor: anchor, in: bytes, from: from) {
                    all.append((i + w.count, k))
                    from = i + 1
                }
            }
        }
        // The database reports by end, words ending at one offset in any order; the search, word by word.
        if !all.indices.dropFirst().allSatisfy({ (all[$0 - 1].end, all[$0 - 1].word) < (all[$0].end, all[$0].word) }) {
            all.sort { ($0.end, $0.word) < ($1.end, $1.word) }
        }
        for (end, k) in all where !body(k, end - words[k].count) { return }
    }

    /// The database, compiled on the first call; nil when Vectorscan cannot be used.
    private func database() -> LiteralDatabase? {
        lock.lock()
        defer { lock.unlock() }
        if !compiled {
            compiled = true
            literals = LiteralDatabase(
                literals: words.indices.filter { !words[$0].isEmpty }.map { (words[$0], UInt32($0)) }, caseless: false)
        }
        return literals
    }
}
