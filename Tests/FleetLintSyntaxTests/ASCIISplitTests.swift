import Testing
@testable import FleetLintSyntax

/// `asciiSplit` / `asciiLastComponent` give exactly what `split(separator:)` gives, for ASCII strings (the
/// byte path) and for the others (combining marks after a separator, `\r\n`, bridged text).
@Suite struct ASCIISplitTests {
    static let samples: [String] = [
        "", "/", "//", "a", "a/b", "/a/b/", "a//b", "svc/app/main.py", "./x/../y", "a.b.c", ".a.", "...", "a..b",
        "tests/samples/nbac_player_movement/exp_1ecdb80d.json", "dir/\r\n/x", "a/\u{301}b/c", "é/ü.py", "a.\u{301}b",
        "日本/語.py", "🇩🇪/x/🇫🇷", String(repeating: "ab/", count: 200),
    ]

    @Test(arguments: samples, [UInt8(ascii: "/"), UInt8(ascii: ".")])
    func sameAsSplit(_ s: String, _ separator: UInt8) {
        let character = Character(Unicode.Scalar(separator))
        #expect(s.asciiSplit(separator) == s.split(separator: character))
        #expect(s.asciiLastComponent(separator) == s.split(separator: character).last)
        // Pieces are slices of the string itself, so their indices work on it.
        for piece in s.asciiSplit(separator) { #expect(String(s[piece.startIndex..<piece.endIndex]) == String(piece)) }
    }

    @Test func nonContiguousStringsFallBack() {
        let bridged = String(decoding: Array("a/b/c".utf16), as: UTF16.self)
        #expect(bridged.asciiSplit(UInt8(ascii: "/")) == ["a", "b", "c"])
        #expect(bridged.asciiLastComponent(UInt8(ascii: "/")) == "c")
    }
}

/// `utf8HasSuffix` answers as `hasSuffix` (Characters, canonical equivalence) for every name and suffix.
@Suite struct UTF8HasSuffixTests {
    @Test func sameAsHasSuffix() {
        let suffixes = [".py", ".pyi", ".sh", ".yaml", "", "y", "main.py"]
        var names = ASCIISplitTests.samples + [
            "main.py", "x.pyi", ".py", "py", "a.p\u{0079}", "x.p\u{212A}", "x.py\u{301}", "é.py", "\u{301}.py", "日.py",
            "x.pY", "run.sh", "a.yaml\r\n", "a\r\n.py", "ab", "a.\u{37E}py",
        ]
        names += names.map { "dir/" + $0 }
        for name in names {
            for suffix in suffixes {
                let sub = Substring(name)
                #expect(sub.utf8HasSuffix(suffix) == sub.hasSuffix(suffix), "\(name.debugDescription) \(suffix)")
                // A slice that does not end at the string's end.
                let longer = name + "/tail"
                let slice = longer[longer.startIndex..<longer.index(longer.endIndex, offsetBy: -5)]
                #expect(slice.utf8HasSuffix(suffix) == slice.hasSuffix(suffix), "\(name.debugDescription) \(suffix) (slice)")
            }
        }
        let bridged = Substring(String(decoding: Array("a/b.py".utf16), as: UTF16.self))
        #expect(bridged.utf8HasSuffix(".py"))
    }
}

/// `utf8Precedes` orders exactly as `utf8.lexicographicallyPrecedes`.
@Suite struct UTF8OrderTests {
    @Test func sameOrderAsUTF8Views() {
        let samples = ASCIISplitTests.samples + ["a", "ab", "a/b", "a.b", "a\u{0}", "é", "e\u{301}", "Z", "z", "", "日本"]
        for a in samples {
            for b in samples { #expect(a.utf8Precedes(b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) vs \(b)") }
        }
    }

    @Test("isASCIIBytes agrees with a byte-by-byte check: every length to 24, a non-ASCII byte at each place")
    func asciiBytes() {
        for n in 0...24 {
            let plain = String(repeating: "a", count: n)
            #expect(plain.isASCIIBytes)
            for k in 0..<n {
                var chars = Array(plain)
                chars[k] = "\u{E9}"
                let s = String(chars)
                #expect(!s.isASCIIBytes, "\(n) \(k)")
                #expect(s.isASCIIBytes == s.utf8.allSatisfy { $0 < 0x80 })
            }
        }
        #expect("x\u{7F}".isASCIIBytes)
        #expect(!Substring("caf\u{E9}/a.py").base.isASCIIBytes)
    }

    /// `joiningPath` gives the bytes `+` gives, for long and short (inline) results, non-ASCII and combining marks
    /// (a mark after the `/` must stay a separate byte sequence, not fold into the directory's last character).
    @Test(arguments: ASCIISplitTests.samples)
    func joiningPathSameAsConcatenation(_ s: String) {
        for name in ["x", "main.py", "\u{301}b", "日本.py", String(repeating: "n", count: 40)] {
            let joined = String.joiningPath(s, name)
            let expected = s.isEmpty ? name : s + "/" + name
            #expect(Array(joined.utf8) == Array(expected.utf8))
            #expect(joined.utf8.count == expected.utf8.count)
        }
    }
}
