import Testing
import TestSupport
@testable import FleetLintRules

/// `SecretScanner.containsHashOption` (a `memchr` search) against a byte-by-byte one.
struct HashOptionTests {
    static func naive(_ line: [UInt8]) -> Bool {
        let needle = Array("--hash=".utf8)
        guard line.count >= needle.count else { return false }
        return (0...(line.count - needle.count)).contains { i in line[i..<(i + needle.count)].elementsEqual(needle) }
    }

    @Test("finds `--hash=` wherever a byte-by-byte search does, in lines of option pieces")
    func agreesWithNaive() {
        var rng = SeededGenerator(seed: 0x4A54)
        let pieces = ["--hash=", "--hash", "-hash=", "--", "-", "hash=", "=", "sha256:", "abc", " ", "\\", "é", "---hash="]
        var found = 0
        for _ in 0..<2_000 {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<12, using: &rng) { line += Array(pieces.randomElement(using: &rng)!.utf8) }
            let expected = Self.naive(line)
            #expect(line.withUnsafeBufferPointer { SecretScanner.containsHashOption($0) } == expected, "\(String(decoding: line, as: UTF8.self))")
            if expected { found += 1 }
        }
        #expect(found > 100)
    }
}
