import Foundation
import Testing
@testable import FleetLintRules

struct SecretScannerLineTextTests {
    /// Obviously fake values, assembled at run time.
    static let lines = [
        "password = \"" + "Tr0ub4" + "dor&3xK9\"",
        "DB = \"postgresql://app:" + "Qz8rLm2" + "Xv9Tn4Kp@db:5432/app\"",
        "  db_password: " + "Hx7qL2" + "mZ9vK4tP8",
        "TOKEN = \"ghp_" + "Zq8Xw2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0UyVa2R\"",
    ]

    @Test("an ASCII line and the same line after a non-ASCII comment give the same secrets at the same columns", arguments: lines)
    func asciiAndUnicodePathsAgree(_ line: String) throws {
        let scanner = try SecretScanner()
        let plain = scanner.scan(path: "a.py", text: Array((line + "\n").utf8)).matches
        let unicode = scanner.scan(path: "a.py", text: Array((line + "  # é🔑\n").utf8)).matches
        #expect(!plain.isEmpty)
        #expect(plain.map(\.kindId) == unicode.map(\.kindId))
        #expect(plain.map(\.range) == unicode.map(\.range))
        #expect(plain.map(\.secretHash) == unicode.map(\.secretHash))
    }

    @Test("substrings and units of a line equal NSString's, ASCII or not")
    func utf16LineAgreesWithNSString() {
        for text in ["abc = -----x", "é🔑 = -----BEGIN", "", "a-----", "😀😀-----😀"] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buf in
                let line = SecretScanner.UTF16Line(text, bytes: buf, isASCII: bytes.allSatisfy { $0 < 0x80 })
                let ns = text as NSString
                #expect(line.length == ns.length)
                #expect(line.codeUnits() == Array(text.utf16))
                for start in 0...ns.length {
                    for end in start...ns.length {
                        let r = NSRange(location: start, length: end - start)
                        let aligned = SecretScanner.scalarAligned(r, in: line)
                        #expect(line.substring(with: aligned) == ns.substring(with: aligned), "\(text) \(aligned)")
                    }
                }
                let dash = ns.range(of: "-----", options: .literal, range: NSRange(location: 0, length: ns.length))
                #expect(line.firstDashRun(in: NSRange(location: 0, length: ns.length)) == (dash.location == NSNotFound ? nil : dash.location))
            }
        }
    }
}

struct PlaceholderGateTests {
    /// The check before the byte gate: Foundation's `contains` for every fragment.
    static func reference(_ secret: String) -> Bool {
        let lower = secret.lowercased()
        for fragment in SecretHeuristics.placeholderFragments where lower.contains(fragment) { return true }
        let bytes = Array(lower.utf8)
        guard !bytes.isEmpty else { return true }
        var same = 1, ascending = 1
        for i in 1..<max(bytes.count, 1) {
            same = bytes[i] == bytes[i - 1] ? same + 1 : 1
            let isAlnum = (bytes[i] >= 0x30 && bytes[i] <= 0x39) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A)
            ascending = (isAlnum && bytes[i] == bytes[i - 1] &+ 1) ? ascending + 1 : 1
            if same >= 5 || ascending >= 6 { return true }
        }
        return Set(bytes).count <= 3
    }

    @Test("the byte gate never changes isPlaceholder, Unicode edge cases included")
    func gateKeepsTheAnswer() {
        var inputs = ["", "a", "Zq8Xw2Lm5Nv7Bc9D", "EXAMPLE_key_9xQ", "exa\u{301}mple9xQz", "example\u{301}9xQz", "k9≮Xq2Lm5",
                      "k9<\u{338}Xq2Lm5", "k9…Xq2", "k9...Xq2", "K9$\u{301}{Xq2Lm", "ＥＸＡＭＰＬＥ9xQz", "\u{212A}9xQzLm2", "Ⅹxxx9Qz"]
        for fragment in SecretHeuristics.placeholderFragments {
            inputs += ["Qz8" + fragment + "Lm2", "Qz8" + fragment.uppercased() + "Lm2", fragment + "\u{301}Qz8Lm2", "Qz8" + String(fragment.dropLast())]
        }
        for s in inputs {
            #expect(SecretHeuristics.isPlaceholder(s) == Self.reference(s), "\(s.debugDescription)")
        }
    }
}
