import FleetLintSyntax
import Testing

/// `.dockerignore` lines as BuildKit reads them (moby/patternmatcher's `ignorefile.ReadAll`, then `patternmatcher.New`):
/// lines end at LF only, one CR before it dropped; a byte order mark is dropped from the first line; `#` starts a
/// comment only as the line's first character; Unicode White_Space is trimmed (Go's `strings.TrimSpace`). The
/// expected patterns are worked out from that source by hand (no reference implementation runs here).
@Suite("DockerIgnore lines")
struct DockerIgnoreTests {
    /// The patterns `DockerIgnore` keeps, an exception with its `!`.
    func patterns(_ text: String) -> [String] {
        DockerIgnore(text).patterns.map { ($0.isException ? "!" : "") + $0.text }
    }

    @Test("line breaks, comments and white space as BuildKit reads them", arguments: [
        // A lone CR does not end a line (Go's ScanLines splits at LF): one pattern holding the CR.
        ("a.py\rb.py\n", ["a.py\rb.py"]),
        ("a.py\r", ["a.py"]),                                  // a CR at the end of the file is trimmed
        // CRLF: one CR dropped by the scanner; further CRs are white space.
        ("a.py\r\nb.py\r\n", ["a.py", "b.py"]),
        ("a.py\r\r\n\r\nb.py", ["a.py", "b.py"]),
        // Trailing and leading VT, FF, NEL (U+0085), NBSP and the other White_Space scalars are trimmed.
        ("a.py\u{0B}\nb.py\u{0C}\n\u{0B}\u{0C}c.py\n", ["a.py", "b.py", "c.py"]),
        ("a.py\u{85}\n\u{85}b.py\n", ["a.py", "b.py"]),
        ("a.py\u{A0}\n\u{A0}b.py\n", ["a.py", "b.py"]),
        ("\u{2028}a.py\u{2029}\n\u{3000}b.py\u{202F}\u{205F}\u{1680}\u{2000}\u{200A}\n", ["a.py", "b.py"]),
        // Not White_Space: a zero-width space, a byte order mark after the first line's start.
        ("a.py\u{200B}\n", ["a.py\u{200B}"]),
        ("x\n\u{FEFF}y\n", ["x", "\u{FEFF}y"]),
        // A byte order mark at the start of the file is dropped, also before a comment.
        ("\u{FEFF}a.py\n", ["a.py"]),
        ("\u{FEFF}# comment\nb.py\n", ["b.py"]),
        // `#` is a comment only as the line's first character: tested before trimming.
        ("  # not a comment\n#comment\n", ["# not a comment"]),
        // An exception's `!` and the white space after it; `!` alone excludes nothing.
        ("*\n! /keep/ me \n!\n! \n", ["*", "!keep/ me"]),
        ("!\u{0B}keep\n", ["!keep"]),
        // Cleaning can leave a space at an end, which the matcher trims again.
        ("a /b/..\n", ["a"]),
        ("\n\n/a//b/./c/\n\t\n", ["a/b/c"]),
    ])
    func lines(_ text: String, _ expected: [String]) {
        #expect(patterns(text) == expected)
    }

    @Test("patternLines is ReadAll's list: exceptions keep `!`, an empty one included")
    func readAllList() {
        #expect(DockerIgnore.patternLines("test1\n/test2\n\n# c\n! /inv/abs\n!\n! \n/\n") == ["test1", "test2", "!inv/abs", "!", "!", "/"])
        #expect(DockerIgnore.patternLines("a.py\rb.py\r\n c \u{0B}") == ["a.py\rb.py", "c"])
    }

    @Test("a trailing VT or NEL no longer keeps a pattern from matching; a lone CR does not split one")
    func verdicts() {
        #expect(DockerIgnore("secrets.env\u{0B}\n").isExcluded("secrets.env"))
        #expect(DockerIgnore("secrets.env\u{85}\n").isExcluded("secrets.env"))
        #expect(DockerIgnore("\u{FEFF}secrets.env\n").isExcluded("secrets.env"))
        let loneCR = DockerIgnore("a.py\rb.py\n")
        #expect(!loneCR.isExcluded("a.py") && !loneCR.isExcluded("b.py"))
    }
}
