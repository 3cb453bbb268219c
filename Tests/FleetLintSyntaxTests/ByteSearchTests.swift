import Testing
import TestSupport
@testable import FleetLintSyntax

@Suite("Byte search")
struct ByteSearchTests {
    /// The first occurrence at or after `from`, by trying every offset.
    static func naive(_ needle: [UInt8], _ hay: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= hay.count else { return nil }
        var i = max(0, from)
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func find(_ needle: String, _ hay: String, from: Int = 0) -> Int? {
        Array(hay.utf8).withUnsafeBufferPointer { ByteSearch.find(Array(needle.utf8), in: $0, from: from) }
    }

    @Test("anchored on the rarest byte, the first occurrence is still found, at either end and after `from`")
    func examples() {
        #expect(ByteSearch.rarestOffset(Array("requests".utf8)) == 2)  // the `q`
        #expect(Self.find("requests", "import requests") == 7)
        #expect(Self.find("requests", "requests") == 0)
        #expect(Self.find("requests", "requestsrequests", from: 1) == 8)
        #expect(Self.find("requests", "requesta requestq") == nil)
        #expect(Self.find("qq", "q") == nil)
        #expect(Self.find("qq", "aqqq", from: 2) == 2)
        #expect(Self.find("qq", "aqqq", from: 3) == nil)
        #expect(Self.find("", "abc") == nil)
        #expect(Array("abc".utf8).withUnsafeBufferPointer { ByteSearch.contains([], in: $0) })
    }

    @Test("agrees with a naive search on random inputs over a small alphabet (many near misses)")
    func randomAgreesWithNaive() {
        var rng = SeededGenerator(seed: 0xF1EE7)
        let alphabet = Array("aqz_ e".utf8)
        for _ in 0..<3000 {
            let hay = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let needle = (0..<Int(1 + rng.next() % 5)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let from = Int(rng.next() % 8)
            let got = hay.withUnsafeBufferPointer { ByteSearch.find(needle, in: $0, from: from) }
            #expect(got == Self.naive(needle, hay, from: from), "needle \(needle) hay \(hay) from \(from)")
            // Any anchor inside the needle gives the same answer (globs work theirs out once).
            let anchor = Int(rng.next() % UInt64(needle.count))
            #expect(hay.withUnsafeBufferPointer { ByteSearch.find(needle, anchor: anchor, in: $0, from: from) } == got)
        }
    }

    @Test("hasBytes: a literal at every offset of a buffer where it fits, compared with the bytes there")
    func literalAtOffsets() {
        let hay = Array("class def async\t_test.py".utf8)
        hay.withUnsafeBufferPointer { b in
            for offset in 0...b.count {
                for (literal, bytes) in [("def", Array("def".utf8)), ("_test.py", Array("_test.py".utf8)), ("", [])] as [(StaticString, [UInt8])]
                where offset + bytes.count <= b.count {
                    #expect(b.hasBytes(literal, at: offset) == (Array(b[offset..<(offset + bytes.count)]) == bytes), "\(literal) at \(offset)")
                }
            }
        }
    }
}

