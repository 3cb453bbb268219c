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
