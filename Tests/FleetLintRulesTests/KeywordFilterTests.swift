import FleetLintCore
import Foundation
import Testing
import TestSupport
@testable import FleetLintRules

/// The Vectorscan keyword search (KeywordFilter) against the DFA and brute force: it must report exactly the same
/// hits, in the same order, whatever the input.
struct KeywordFilterTests {
    static let isSupported = KeywordAutomaton(keywords: ["token"]).filteredHits(UnsafeBufferPointer(start: nil, count: 0)) != nil

    /// Every occurrence by brute force (ids ascending per end offset), ASCII case-insensitive, never across a
    /// line break (a keyword holding CR or LF never matches, as in the DFA).
    static func bruteForce(_ bytes: [UInt8], _ keywords: [String]) -> [Int] {
        let words = keywords.map { Array($0.utf8).map(KeywordAutomaton.lower) }
        let lower = bytes.map(KeywordAutomaton.lower)
        var out: [Int] = []
        for end in lower.indices {
            for (id, w) in words.enumerated() where !w.isEmpty && w.count <= end + 1 && !w.contains(0x0A) && !w.contains(0x0D) {
                let start = end + 1 - w.count
                if w.indices.allSatisfy({ lower[start + $0] == w[$0] }) { out.append(end << 16 | id) }
            }
        }
        return out
    }

    static func check(_ automaton: KeywordAutomaton, _ bytes: [UInt8], _ keywords: [String], _ label: String) {
        let (filtered, dfa, public_) = bytes.withUnsafeBufferPointer {
            (automaton.filteredHits($0), automaton.automatonHits($0), automaton.hits($0))
        }
        let expected = bruteForce(bytes, keywords)
        #expect(dfa == expected, "\(label): the DFA against brute force")
        #expect(filtered == expected, "\(label): Vectorscan against brute force (\(filtered?.count ?? -1) vs \(expected.count) hits)")
        #expect(public_ == expected, "\(label): hits(_:)")
    }

    /// A random mix of keyword pieces, whole keywords in random case, non-ASCII UTF-8 (whose nibbles alias
    /// ASCII letters'), separators and line breaks.
    static func randomBuffer(size: Int, keywords: [String], lineBreaks: Bool, rng: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("aeikostwpy_-:/.\"= \tKSXZ09@[`{".utf8) + [0xC3, 0xA9, 0xE2, 0x80, 0x94, 0xF0, 0x9F, 0x98, 0x80, 0x8B, 0xEB, 0xFF]
        var out: [UInt8] = []
        out.reserveCapacity(size + 64)
        while out.count < size {
            switch Int.random(in: 0..<12, using: &rng) {
            case 0, 1, 2:
                let word = Array(keywords.randomElement(using: &rng)!.utf8)
                out += word.map { Bool.random(using: &rng) && $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
            case 3:
                let word = Array(keywords.randomElement(using: &rng)!.utf8)
                out += word.prefix(Int.random(in: 0...word.count, using: &rng))  // a keyword cut short
            case 4 where lineBreaks:
                out += [[0x0A], [0x0D], [0x0D, 0x0A]].randomElement(using: &rng)!
            default:
                out.append(alphabet.randomElement(using: &rng)!)
            }
        }
        return Array(out.prefix(size))
    }

    /// Whether this CPU has AVX2 (what the prebuilt database is compiled for), from /proc/cpuinfo.
    static var hasAVX2: Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return info.split(separator: "\n").contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx2") }
    }

    /// The secret catalogue's keywords, as the scanner's automaton holds them (lowercased).
    static func catalogueKeywords() throws -> [String] { try SecretScanner.shared.get().automaton.keywords }

    @Test("the prebuilt keyword database is current: made from the catalogue's keywords, loaded, and scanning as compiled",
          .enabled(if: isSupported))
    func prebuiltCurrent() throws {
        let keywords = try Self.catalogueKeywords()
        let source = try #require(KeywordFilter.prebuiltSource(keywords: keywords))
        let path = RepositoryPaths.root.appendingPathComponent("Sources/FleetLintRules/Secrets/PrebuiltKeywords.swift")
        if ProcessInfo.processInfo.environment["FLEETLINT_WRITE_PREBUILT"] == "1" {
            try source.write(to: path, atomically: true, encoding: .utf8)
        }
        let literals = KeywordFilter.literals(keywords)
        #expect(PrebuiltKeywords.database.fingerprint == LiteralDatabase.fingerprint(literals: literals, caseless: true),
                "the catalogue's keywords changed: regenerate \(path.path) (FLEETLINT_WRITE_PREBUILT=1 swift test --filter prebuiltCurrent)")
        let prebuilt = try #require(KeywordFilter(keywords: keywords))
        // It is compiled for x86-64 with AVX2: elsewhere it is compiled at run time, which is correct too.
        #expect(prebuilt.isPrebuilt || !Self.hasAVX2, "the prebuilt database does not load with this Vectorscan")
        // Another list is compiled, and finds the same hits as the prebuilt one on the same keywords.
        let compiled = try #require(KeywordFilter(keywords: keywords + ["zzqqxx"]))
        #expect(!compiled.isPrebuilt)
        var rng = SeededGenerator(state: 0x5EC2E7)
        for size in [64, 100, 1000, 20_000] {
            let bytes = Self.randomBuffer(size: size, keywords: keywords, lineBreaks: true, rng: &rng)
            let (a, b) = bytes.withUnsafeBufferPointer { (prebuilt.hits($0), compiled.hits($0)) }
            #expect(a != nil && a == b, "size \(size)")
            #expect(a == Self.bruteForce(bytes, keywords), "size \(size): against brute force")
        }
    }

    @Test("Vectorscan equals the DFA and brute force on random buffers of every length around the 32-byte blocks",
          .enabled(if: isSupported))
    func randomBuffers() {
        let sets: [[String]] = [
            KeywordAutomatonTests.catalogueKeywords,
            ["he", "she", "hers", "his", "akia", "sk", "s", "e"],
            ["://", "eyj", "aws", "token", "tok", "oken", "ken", "en"],
            ["a", "aa", "aaa", "aaaa", "aaaaa", "ab", "ba"],
            ["token", "Token", "TOKEN", "", "to\nken", "x\ry", "é", "naïve", "\u{1F600}"],  // duplicates, empty, line breaks, non-ASCII
        ]
        var rng = SeededGenerator(state: 0x7EDD1)
        for trial in 0..<200 {
            let keywords = sets[trial % sets.count]
            let automaton = KeywordAutomaton(keywords: keywords)
            let size = [0, 1, 2, 3, 31, 32, 33, 34, 35, 63, 64, 65, 66, 67, 95, 96, 97, 100, 1000, 5000][trial % 20]
            let bytes = Self.randomBuffer(size: size, keywords: keywords, lineBreaks: trial % 3 != 0, rng: &rng)
            Self.check(automaton, bytes, keywords, "trial \(trial), \(bytes.count) bytes")
        }
    }

    @Test("every catalogue keyword is found at every offset of a 32-byte block, at the start and at the very end",
          .enabled(if: isSupported))
    func everyKeywordAtEveryOffset() {
        let keywords = KeywordAutomatonTests.catalogueKeywords
        let automaton = KeywordAutomaton(keywords: keywords)
        for word in keywords {
            // '#' is in no keyword: the hits are those inside the planted word, moved to where it is.
            let alone = Self.bruteForce(Array(word.utf8), keywords)
            for size in [64, 67, 96] {
                for offset in 0...(size - word.utf8.count) where offset < 36 || offset > size - word.utf8.count - 36 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "#"), count: size)
                    let upper = offset % 2 == 0 ? word.uppercased() : word
                    bytes.replaceSubrange(offset..<offset + word.utf8.count, with: Array(upper.utf8))
                    let got = bytes.withUnsafeBufferPointer { automaton.filteredHits($0) }
                    let expected = alone.map { $0 + offset << 16 }
                    if got != expected {
                        Issue.record("\(word) at \(offset) of \(size): \(got ?? []) vs \(expected)")
                        return
                    }
                }
            }
        }
    }

    @Test("a long line, many overlapping hits per position (the output buffer refills) and hits past 64 KiB",
          .enabled(if: isSupported))
    func longLinesAndManyHits() {
        let overlapping = (1...40).map { String(repeating: "a", count: $0) }
        let automaton = KeywordAutomaton(keywords: overlapping)
        let run = [UInt8](repeating: UInt8(ascii: "A"), count: 3000)
        Self.check(automaton, run, overlapping, "3000 × A, 40 nested keywords")

        var rng = SeededGenerator(state: 42)
        let catalogue = KeywordAutomatonTests.catalogueKeywords
        let line = Self.randomBuffer(size: 70_000, keywords: catalogue, lineBreaks: false, rng: &rng)
        Self.check(KeywordAutomaton(keywords: catalogue), line, catalogue, "one 70 KB line")

        // No keyword anywhere: a long text of bytes that alias keyword bytes' nibbles.
        let quiet = [UInt8]((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7 | 0x80) })
        Self.check(KeywordAutomaton(keywords: catalogue), quiet, catalogue, "non-ASCII only")
    }

    @Test("a keyword with a line break, or empty, never matches", .enabled(if: isSupported))
    func buckets() {
        let automaton = KeywordAutomaton(keywords: ["token", "", "a\nb", "sk"])
        let bytes = Array("token sk a\nb".utf8)
        #expect(bytes.withUnsafeBufferPointer { automaton.filteredHits($0) } == [4 << 16 | 0, 7 << 16 | 3])
    }
}
