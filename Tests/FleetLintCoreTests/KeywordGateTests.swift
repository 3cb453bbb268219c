@testable import FleetLintCore
import FleetLintSyntax
import Testing
import TestSupport

/// `FileAnalyzer`'s keyword gate (one Vectorscan pass for every word) against the word-by-word search it replaced,
/// and the word list it searches.
@Suite("FileAnalyzer: keyword gate")
struct KeywordGateTests {
    static let words = ["bigquery", "requests", "sleep", "tenacity", "backoff", "retry", "wait_"]

    /// Pieces of the words, whole words in either case, and filler: most buffers hold no word, many hold one.
    static func randomBuffer(size: Int, rng: inout SeededGenerator) -> [UInt8] {
        let pieces = words.flatMap { w in [w, String(w.prefix(w.count - 1)), String(w.dropFirst()), w.uppercased()] }
        let filler = Array("abcdeilpqrstwy_ .\n(\"".utf8) + [0xC3, 0xA9]
        var out: [UInt8] = []
        while out.count < size {
            if Int.random(in: 0..<40, using: &rng) == 0 {
                out += Array(pieces.randomElement(using: &rng)!.utf8)
            } else {
                out.append(filler.randomElement(using: &rng)!)
            }
        }
        return out
    }

    @Test("answers as the word-by-word search on random buffers of every size")
    func matchesWordByWord() {
        let gate = KeywordGate(words: Self.words.map { Array($0.utf8) })
        var rng = SeededGenerator(seed: 0x6A7E)
        var found = 0
        for size in [0, 1, 5, 63, 64, 65, 200, 1_000, 5_000] {
            for _ in 0..<60 {
                let bytes = Self.randomBuffer(size: size, rng: &rng)
                let (got, expected) = bytes.withUnsafeBufferPointer { buf in
                    (gate.occurs(in: buf), Self.words.contains { ByteSearch.contains(Array($0.utf8), in: buf) })
                }
                #expect(got == expected, "size \(size): \(String(decoding: bytes, as: UTF8.self))")
                if expected { found += 1 }
            }
        }
        #expect(found > 50)
    }

    @Test("every occurrence of every word, overlapping ones included, in order of their ends, as brute force finds them")
    func occurrences() {
        let words = ["except", "path", "sys", "addsitedir", "sysys"]
        let gate = KeywordGate(words: words.map { Array($0.utf8) })
        var rng = SeededGenerator(seed: 0x5E5)
        let pieces = words + ["sy", "pat", "exc", "sysysys", "x", " ", "\n", "import ", "é"]
        for size in [0, 3, 40, 64, 100, 3_000] {
            for _ in 0..<40 {
                var bytes: [UInt8] = []
                while bytes.count < size { bytes += Array(pieces.randomElement(using: &rng)!.utf8) }
                var expected: [(end: Int, word: Int)] = []
                for end in 0...bytes.count {
                    for (k, w) in words.enumerated() where w.utf8.count <= end && bytes[(end - w.utf8.count)..<end].elementsEqual(w.utf8) {
                        expected.append((end, k))
                    }
                }
                var got: [(end: Int, word: Int)] = []
                bytes.withUnsafeBufferPointer { buf in
                    gate.forEachOccurrence(in: buf) { k, start in got.append((start + words[k].utf8.count, k)); return true }
                }
                // Occurrences ending at one offset may come in any order.
                let sort = { (xs: [(end: Int, word: Int)]) in xs.sorted { ($0.end, $0.word) < ($1.end, $1.word) }.map { "\($0.end):\($0.word)" } }
                #expect(sort(got) == sort(expected), "size \(size)")
                #expect(got.map(\.end) == got.map(\.end).sorted(), "size \(size): by end")
                // Stopping early stops.
                var seen = 0
                bytes.withUnsafeBufferPointer { buf in gate.forEachOccurrence(in: buf) { _, _ in seen += 1; return false } }
                #expect(seen == min(1, expected.count))
            }
        }
    }

    @Test("a word at the very start or end of a buffer, and in a buffer of nothing else")
    func edges() {
        let gate = KeywordGate(words: Self.words.map { Array($0.utf8) })
        let filler = [UInt8](repeating: 0x78, count: 100)
        for w in Self.words.map({ Array($0.utf8) }) {
            for bytes in [w + filler, filler + w, w, filler + w + filler] {
                #expect(bytes.withUnsafeBufferPointer { gate.occurs(in: $0) })
            }
            // Case matters, as in `ByteSearch`.
            let upper = w.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
            #expect(!(filler + upper + filler).withUnsafeBufferPointer { gate.occurs(in: $0) })
        }
        #expect(!filler.withUnsafeBufferPointer { gate.occurs(in: $0) })
        // An empty word occurs everywhere; no words occur nowhere.
        #expect(KeywordGate(words: [[]]).occurs(in: UnsafeBufferPointer(start: nil, count: 0)))
        #expect(!filler.withUnsafeBufferPointer { KeywordGate(words: []).occurs(in: $0) })
    }

    @Test("words held by another word are searched once, through the shorter")
    func subsumedWords() {
        let list = { (words: [String]) in FileAnalyzer.withoutSubsumed(words.map { Array($0.utf8) }).map { String(decoding: $0, as: UTF8.self) } }
        #expect(list(["sleep", "retry", "retrying", "wait_"]) == ["sleep", "retry", "wait_"])
        #expect(list(["retrying", "retry", "retry"]) == ["retry"])
        #expect(list(["a", "", "b"]) == [""])
        #expect(list(["ab", "ba"]) == ["ab", "ba"])
        #expect(list([]) == [])
    }
}

/// The byte-wise reading of a text file's name for hash comments against the Character-wise one it stands in for.
@Suite("FileAnalyzer: hash-comment file names")
struct HashCommentNameTests {
    static func characterWise(_ name: Substring) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return name == "Makefile" }
        return FileAnalyzer.hashCommentExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    @Test("ASCII names answer as the Character-wise reading; other names are left to it")
    func agrees() {
        let names = ["Makefile", "makefile", "Makefile.am", "a.yaml", "a.YML", "x.Env", "notes.txt", "a.tar.gz", "conf", ".env",
                     "settings.ini.bak", "run.SH", "a.", ".", "", "x.properties", "x.propertie", "b.bash", "c.toml", "d.in", "e.cfg2"]
        for name in names {
            let sub = Substring(name)
            #expect(FileAnalyzer.hasHashCommentNameASCII(sub) == Self.characterWise(sub), "\(name)")
            let inPath = ("dir/sub/" + name).split(separator: "/", omittingEmptySubsequences: false).last!
            #expect(FileAnalyzer.hasHashCommentNameASCII(inPath) == Self.characterWise(inPath), "dir/sub/\(name)")
        }
        #expect(FileAnalyzer.hasHashCommentNameASCII("r\u{E9}sum\u{E9}.yaml") == nil)
    }
}
