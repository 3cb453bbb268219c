import Foundation
import Testing
@testable import FleetLintRules

struct RequiredLiteralsTests {
    @Test("required bytes are top-level punctuation no quantifier makes optional", arguments: [
        ("://([^:/@]{0,64}):([^@/]{1,128})@[A-Za-z0-9\\[]", "/:@"),
        ("x@+", "@"), ("x@{1,3}", "@"), ("x@?", ""), ("x@*", ""), ("x@{0,2}", ""), ("x@{,2}", ""),
        ("(@)", ""), ("(?:a@)", ""), ("(?<![@])b", ""), ("[@:]", ""), ("[]@]", ""), ("[[a-z]&&[^@]]:", ":"),
        ("\\@", "@"), ("\\.x", "."), ("\\\\?\"", "\""), ("\\p{L}:", ":"), ("\\x{40}=", "="),
        ("a@|b", ""), ("(a|b)@", "@"), ("\\Q@\\E", ""), ("(?x) @ ", ""), ("(?i)aws:", ":"), ("@(", ""), ("@)", ""),
        ("ab.c$", ""),
    ])
    func requiredBytes(_ regex: String, _ expected: String) {
        #expect(RequiredLiterals.bytes(of: regex) == Array(expected.utf8).sorted())
    }

    /// Every line a built-in regex matches holds that pattern's required bytes (else the gate would lose it).
    @Test("a built-in pattern's regex never matches a line without its required bytes")
    func builtInsMatchOnlyLinesWithTheirBytes() throws {
        let lines = [
            "postgresql://app:Qz8rLm2Xv9Tn4Kp@db:5432/app", "https://github.com/org/repo", "redis://:pw@host", "mailto:a@b.c",
            "AWS_SECRET_ACCESS_KEY=\"k9Xq2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0Uy/Va2Wb8Ec\"", "aws_key: k9Xq2Lm5Nv7Bc9Df3Gh1Jk4Pr6St0Uy/Va2Wb8Ec",
            "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE", "\"auth\": \"dXNlcjpwYXNzd29yZA==\"",
            "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        ]
        for pattern in SecretCatalogue.builtIn where pattern.engine == .regex {
            let required = RequiredLiterals.bytes(of: pattern.regex)
            let regex = try NSRegularExpression(pattern: pattern.regex)
            for line in lines where regex.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil {
                #expect(required.allSatisfy { line.utf8.contains($0) }, "\(pattern.id) matched \(line) without \(required)")
            }
        }
        let url = SecretCatalogue.builtIn.first { $0.id == "url-with-password" }!
        #expect(RequiredLiterals.bytes(of: url.regex).contains(UInt8(ascii: "@")))
    }

    @Test("a `://` line without `@` gives no URL password; the same line with credentials does")
    func urlGate() throws {
        let scanner = try SecretScanner()
        let password = "Qz8r" + "Lm2Xv9Tn4Kp"
        #expect(scanner.scan(path: "README.md", bytes: Array("see https://example.com/docs:page\n".utf8)).matches.isEmpty)
        let found = scanner.scan(path: "a.py", bytes: Array("DB = \"postgresql://app:\(password)@db:5432/app\"\n".utf8)).matches
        #expect(found.map(\.kindId) == ["url-with-password"])
    }
}
