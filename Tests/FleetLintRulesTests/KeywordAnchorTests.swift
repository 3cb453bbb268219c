import Foundation
import Testing
import TestSupport
@testable import FleetLintRules

struct KeywordAnchorTests {
    @Test("a regex is keyword-anchored only when every way it can begin is a literal starting with a keyword")
    func analysis() {
        #expect(KeywordAnchor.isAnchored(#"(?i)aws[A-Z]{0,20}\s*="#, keywords: ["aws"]))
        #expect(KeywordAnchor.isAnchored(#"(?<![A-Za-z0-9])((?:AKIA|ASIA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Za-z0-9])"#, keywords: ["akia", "asia", "a3t"]))
        #expect(!KeywordAnchor.isAnchored(#"(?<![A-Za-z0-9])((?:AKIA|ASIA|A3T[A-Z0-9])[A-Z2-7]{16})"#, keywords: ["akia", "asia"]))
        #expect(KeywordAnchor.isAnchored(#"://([^:/@\s]{0,64}):([^@/\s]{1,128})@"#, keywords: ["://"]))
        #expect(KeywordAnchor.isAnchored(#"(?i:discord)[^\n]{0,60}?x"#, keywords: ["discord"]))
        #expect(KeywordAnchor.isAnchored(#"hooks\.slack\.com/(?:a|b)"#, keywords: ["hooks.slack.com/"]))
        #expect(!KeywordAnchor.isAnchored(#"aws?x"#, keywords: ["aws"]))            // the `s` is optional
        #expect(!KeywordAnchor.isAnchored(#"x|aws"#, keywords: ["aws"]))            // another way to begin
        #expect(!KeywordAnchor.isAnchored(#"(?:aws)?token"#, keywords: ["aws"]))
        #expect(!KeywordAnchor.isAnchored(#"(?:aws)*"#, keywords: ["aws"]))
        #expect(!KeywordAnchor.isAnchored(#"^aws"#, keywords: ["aws"]))
        #expect(!KeywordAnchor.isAnchored(#".aws"#, keywords: ["aws"]))
        #expect(!KeywordAnchor.isAnchored(#"\\?"auth\\?""#, keywords: ["\"auth"]))  // an optional backslash first
        #expect(!KeywordAnchor.isAnchored(#"(?x) aws"#, keywords: ["aws"]))
        #expect(!KeywordAnchor.isAnchored(#"(?=a)aws"#, keywords: ["aws"]))         // lookahead: not understood
        #expect(!KeywordAnchor.isAnchored(#"(aws"#, keywords: ["aws"]))             // unbalanced
        #expect(!KeywordAnchor.isAnchored(#"(?:sk|rk)_live_"#, keywords: ["sk_live_", "rk_live_"]))  // conservative
        #expect(KeywordAnchor.isAnchored(#"(?:sk|rk)_live_"#, keywords: ["sk", "rk"]))
        #expect(!KeywordAnchor.isAnchored(#"(?<!ab)aws"#, keywords: ["aws"]))          // a lookbehind of two characters
        #expect(!KeywordAnchor.isAnchored(#"aws(?<=[a-z]{3})x"#, keywords: ["aws"]))
        #expect(KeywordAnchor.isAnchored(#"aws(?<![0-9a-f])x(?<=\.)"#, keywords: ["aws"]))
    }

    @Test("the costly catalogue patterns are anchored; line-anchored and generic ones are not")
    func catalogue() throws {
        let scanner = try SecretScanner()
        let anchored = Set(scanner.patterns.filter(\.isKeywordAnchored).map(\.pattern.id))
        for id in ["aws-access-key-id", "aws-secret-access-key", "url-with-password", "slack-webhook-url", "twilio-api-key"] {
            #expect(anchored.contains(id), "\(id)")
        }
        #expect(!anchored.contains("jwt-line"))
        #expect(!anchored.contains("generic-secret"))
        #expect(!anchored.contains("jwt"))
    }

    /// Random ASCII lines built from a pattern's keywords (any case), runs of the characters its regexes
    /// want, assignment punctuation and URL pieces, so that real matches, overlapping candidates and
    /// near-misses all occur.
    static func line(_ keywords: [String], _ rng: inout SeededGenerator) -> String {
        let runAlphabets = [Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"),
                            Array("0123456789abcdef"), Array("abc_-.")]
        let pieces = ["_secret_key", "token", " = ", "=", ":", "\"", "'", " ", "://", "user:", "p4ss", "@", "host", "/", "-", "_", ".",
                      "Dončić", "é", "\u{1F600}", "ſ", "\u{212A}"]
        var out = ""
        for _ in 0..<Int.random(in: 1..<40, using: &rng) {
            switch Int.random(in: 0..<7, using: &rng) {
            case 6:
                // A keyword then what its regex wants next.
                let k = keywords.randomElement(using: &rng)!
                let alphabet = runAlphabets.randomElement(using: &rng)!
                let run = String((0..<[16, 32, 40].randomElement(using: &rng)!).map { _ in alphabet.randomElement(using: &rng)! })
                out += [k.uppercased() + run, "Z" + k.uppercased() + run, "9" + k + run, k + "_secret_key = \"" + run + "\"", k + "user:p4ss" + run + "@host", k + run + "/" + run].randomElement(using: &rng)!
            case 0:
                let k = keywords.randomElement(using: &rng)!
                out += Bool.random(using: &rng) ? k.uppercased() : k
            case 1:
                let alphabet = runAlphabets.randomElement(using: &rng)!
                out += String((0..<[16, 20, 32, 36, 40, 41, 3].randomElement(using: &rng)!).map { _ in alphabet.randomElement(using: &rng)! })
            default:
                out += pieces.randomElement(using: &rng)!
            }
        }
        return out
    }

    @Test("anchored attempts at the keyword hits find exactly the matches of a full search (ASCII lines; any line for case-sensitive regexes)")
    func anchoredEqualsFullSearch() throws {
        let scanner = try SecretScanner()
        var rng = SeededGenerator(state: 0xA4C40)
        var matched = 0
        for (p, compiled) in scanner.patterns.enumerated() where compiled.isKeywordAnchored {
            let filler = String(repeating: "aws_ x ", count: 120)   // hits whose attempts fail inside the window
            let fixed = ["ZAKIAABCDEFGHIJKLMNOP2 AKIAABCDEFGHIJKLMNOP23 AKIAABCDEFGHIJKLMNOP", "x9aws_secret_key = \"" + String(repeating: "Ab3/", count: 10) + "\"",
                         filler + "aws_secret_key =" + String(repeating: " ", count: 700) + "\"" + String(repeating: "Ab3/", count: 10) + "\" " + filler,
                         filler + "://user:" + String(repeating: "p", count: 100) + "@h " + filler + "AKIAABCDEFGHIJKLMNOPQ " + filler,
                         "Jokić \u{1F600} AKIAABCDEFGHIJKLMNOPQ " + filler + "é://usér:pässwörd@h AKIAABCDEFGHIJKLMNOPQ é"]
            for trial in 0..<150 {
                let text = trial < fixed.count ? fixed[trial] : Self.line(compiled.pattern.keywords, &rng)
                let bytes = Array(text.utf8)
                let hits = bytes.withUnsafeBufferPointer { scanner.automaton.hits($0) }
                let starts = scanner.keywordStarts(of: p, inLine: 0..<bytes.count, hits: hits)
                let isASCII = bytes.allSatisfy { $0 < 0x80 }
                if !isASCII && !compiled.isCaseSensitive { continue }
                let anchored = bytes.withUnsafeBufferPointer { buffer -> [NSTextCheckingResult] in
                    let ns = SecretScanner.UTF16Line(text, bytes: buffer, isASCII: isASCII)
                    return scanner.anchoredMatches(compiled.regex, in: text, line: ns, bytes: buffer, at: starts)
                }
                let full = compiled.regex.matches(in: text, range: NSRange(location: 0, length: text.utf16.count))
                func ranges(_ m: [NSTextCheckingResult]) -> [[NSRange]] { m.map { r in (0..<r.numberOfRanges).map { r.range(at: $0) } } }
                #expect(ranges(anchored) == ranges(full), "\(compiled.pattern.id): \(text)")
                matched += full.count
            }
        }
        #expect(matched > 50, "the generated lines hold real matches (\(matched))")
    }
}
