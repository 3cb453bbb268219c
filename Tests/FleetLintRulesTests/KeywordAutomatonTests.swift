import Testing
import TestSupport
@testable import FleetLintRules


/// Every keyword occurrence by brute force: for each end offset, the ids (ascending) of the keywords that
/// end there, compared ASCII case-insensitively and never across a line break. Independent of the DFA.
private func bruteForceHits(_ bytes: [UInt8], keywords: [String]) -> [Int] {
    let words = keywords.map { Array($0.lowercased().utf8) }
    let lower = bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
    var out: [Int] = []
    for end in lower.indices {
        for (id, w) in words.enumerated() where !w.isEmpty && w.count <= end + 1 && w[w.count - 1] == lower[end] {
            let start = end + 1 - w.count
            if w.indices.allSatisfy({ lower[start + $0] == w[$0] }) { out.append(end << 16 | id) }
        }
    }
    return out
}

/// Where two hit lists first differ (`nil` when equal), as `(index, endOffset, keywordId)` of each side:
/// a short failure message instead of two long arrays.
private func firstDifference(_ a: [Int], _ b: [Int]) -> String? {
    guard a != b else { return nil }
    let k = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    func show(_ l: [Int]) -> String { k < l.count ? "(\(l[k] >> 16), \(l[k] & 0xFFFF))" : "end" }
    return "at hit \(k): \(show(a)) vs \(show(b)); \(a.count) vs \(b.count) hits"
}

private func hits(_ a: KeywordAutomaton, _ bytes: [UInt8]) -> [Int] {
    bytes.withUnsafeBufferPointer { a.hits($0) }
}

struct KeywordAutomatonTests {
    static let catalogueKeywords: [String] = {
        var seen = Set<String>()
        return SecretCatalogue.builtIn.flatMap { $0.keywords + $0.fileKeywords }.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }()

    /// A random buffer around `size` bytes: keyword-ish letters, separators, CR/LF/CRLF, upper case and
    /// whole keywords, with keywords planted right at (and across) the nominal piece borders.
    fileprivate static func randomBuffer(size: Int, keywords: [String], rng: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("aeikostwpy_-:/.\"= \t".utf8) + [0x0A, 0x0D, 0x41, 0x4B, 0x53, 0xC3, 0xA9]
        var out: [UInt8] = []
        out.reserveCapacity(size + 64)
        while out.count < size {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1:
                let word = keywords.randomElement(using: &rng)!
                out += Bool.random(using: &rng) ? Array(word.uppercased().utf8) : Array(word.utf8)
            case 2:
                out += [0x0D, 0x0A]
            default:
                out.append(alphabet.randomElement(using: &rng)!)
            }
        }
        // Keywords straddling and abutting each nominal cut (and the line breaks a cut looks for).
        for k in 1..<KeywordAutomaton.streams where out.count > 64 {
            let at = out.count * k / KeywordAutomaton.streams
            let word = Array(keywords.randomElement(using: &rng)!.utf8)
            let shift = Int.random(in: -word.count...2, using: &rng)
            for (j, b) in word.enumerated() where at + shift + j >= 0 && at + shift + j < out.count { out[at + shift + j] = b }
            if Bool.random(using: &rng), at + shift + word.count < out.count { out[at + shift + word.count] = 0x0A }
            if Bool.random(using: &rng), at + shift - 1 >= 0, at + shift - 1 < out.count { out[at + shift - 1] = 0x0D }
        }
        return out
    }

    @Test("the interleaved scan gives exactly the hits of one stream and of brute force, on random buffers")
    func interleavedEqualsReference() {
        let sets: [[String]] = [Self.catalogueKeywords, ["he", "she", "hers", "his", "akia", "sk", "s", "e"], ["://", "eyj", "aws", "token"]]
        var rng = SeededGenerator(state: 0x5EC2E7)
        for trial in 0..<300 {
            let keywords = sets[trial % sets.count]
            let automaton = KeywordAutomaton(keywords: keywords)
            let size = [0, 1, 3, 17, 1023, 1024, 1025, 1500, 4099, 9000][trial % 10] + Int.random(in: 0..<8, using: &rng)
            let bytes = Self.randomBuffer(size: size, keywords: keywords, rng: &rng)
            let expected = bruteForceHits(bytes, keywords: keywords)
            let oneStream = bytes.withUnsafeBufferPointer { automaton.hitsOneStream($0) }
            let got = hits(automaton, bytes)
            #expect(firstDifference(oneStream, expected) == nil, "trial \(trial): one stream against brute force")
            #expect(firstDifference(got, expected) == nil, "trial \(trial), \(bytes.count) bytes: interleaved against brute force")
        }
    }

    @Test("pieces cover the buffer in order, each after a class-0 byte; a line longer than the search limit merges pieces")
    func cutsAtClassZeroBytes() {
        let automaton = KeywordAutomaton(keywords: ["token", "sk"])
        let filler = Array(repeating: UInt8(ascii: "t"), count: 3000)
        let buffers: [[UInt8]] = [
            Array(repeating: UInt8(ascii: "k"), count: 20000),                  // no class-0 byte at all: one piece
            filler + [0x0A] + filler + [0x0D, 0x0A] + filler + [0x0D] + filler,   // CR, CRLF and LF cuts
            Array(String(repeating: "token sk\n", count: 2000).utf8),
            Array(repeating: UInt8(ascii: "o"), count: 9000) + [0x0A],          // only a final line break
        ]
        for bytes in buffers {
            let pieces = bytes.withUnsafeBufferPointer { automaton.cut($0, into: KeywordAutomaton.streams) }
            #expect(pieces.first?.lowerBound == 0)
            #expect(pieces.last?.upperBound == bytes.count)
            for (p, q) in zip(pieces, pieces.dropFirst()) {
                #expect(p.upperBound == q.lowerBound)
                #expect(!p.isEmpty)
                let before = bytes[q.lowerBound - 1]
                #expect(before == 0x0A || before == 0x0D || before == 0x20, "piece starts after \(before)")
            }
            #expect(firstDifference(hits(automaton, bytes), bruteForceHits(bytes, keywords: ["token", "sk"])) == nil)
        }
        let long = Array(repeating: UInt8(ascii: "k"), count: 20000)
        #expect(long.withUnsafeBufferPointer { automaton.cut($0, into: 4) } == [0..<20000])
        let cut = buffers[1].withUnsafeBufferPointer { automaton.cut($0, into: 4) }
        #expect(cut.count == 4)
    }

    @Test("a keyword split by a cut's line break is not found; one just after it is")
    func keywordsAtTheBorder() {
        let automaton = KeywordAutomaton(keywords: ["token"])
        var bytes = Array(repeating: UInt8(ascii: "x"), count: 4096)
        // The first cut looks from 1024: "tok\nen" straddles it, "token" starts right after the break.
        let at = 1024
        bytes.replaceSubrange(at - 3..<at + 8, with: Array("tok\ntokenen".utf8))
        let got = hits(automaton, bytes)
        #expect(got == [(at + 5) << 16 | 0])
        #expect(got == bruteForceHits(bytes, keywords: ["token"]))
    }
}
