import Foundation
import Testing
@testable import FleetLintSyntax

struct PyProjectParserTests {
    @Test(arguments: [
        ("^1.2.3", ">=1.2.3,<2.0.0"), ("^0.2.3", ">=0.2.3,<0.3.0"), ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^1.2", ">=1.2,<2.0"), ("^1", ">=1,<2"), ("^0.0", ">=0.0,<0.1"), ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"), ("~1.2", ">=1.2,<1.3"), ("~1", ">=1,<2"), ("*", ""), ("", ""),
        (">=1.2,<2.0", ">=1.2,<2.0"), (">= 1.2, < 2.0", ">=1.2,<2.0"), (">=1.2 <2.0", ">=1.2,<2.0"),
        ("==1.0", "==1.0"), ("1.2.3", "==1.2.3"), ("=1.2", "==1.2"), ("1.2.*", "==1.2.*"), ("~=1.4", "~=1.4"),
        ("!=1.5", "!=1.5"), ("^2.0.0b1", ">=2.0.0b1,<3.0.0"),
    ])
    func poetryConstraint(_ input: String, _ expected: String) {
        #expect(PoetryConstraint.specifier(input) == expected)
    }

    @Test func poetryAlternatives() {
        #expect(PoetryConstraint.specifier("^1.2 || ^2.0") == nil)
        #expect(PoetryConstraint.alternatives("^1.2 || ^2.0") == [">=1.2,<2.0", ">=2.0,<3.0"])
        #expect(PoetryConstraint.specifier("banana") == nil)
    }

    @Test func pep621() {
        let text = """
        [project]
        name = "svc"
        requires-python = ">=3.10"
        dependencies = [
            "flask>=2.3",  # web
            'requests[socks]==2.31.0',
            # a comment, with "quotes"
            "attrs",
        ]

        [project.optional-dependencies]
        test = ["pytest>=7", "pytest-cov"]
        """
        let p = PyProjectParser.parse(text)
        #expect(p.problems.isEmpty)
        #expect(p.name == "svc")
        #expect(p.requiresPython == ">=3.10")
        #expect(p.requiresPythonRange == SourceRange(line: 3, column: 19, length: 8))
        #expect(p.projectDependencies.map(\.requirement) == ["flask>=2.3", "requests[socks]==2.31.0", "attrs"])
        #expect(p.projectDependencies.map(\.range.start.line) == [5, 6, 8])
        #expect(p.projectDependencies[1].range == SourceRange(line: 6, column: 5, length: 25))
        #expect(p.optionalDependencies("test").map(\.requirement) == ["pytest>=7", "pytest-cov"])
        #expect(p.optionalDependencies("test").map(\.range.start) == [.init(line: 12, column: 9), .init(line: 12, column: 22)])
    }

    @Test func dottedKeysAndInlineTables() {
        let text = """
        project.name = "x"
        project.dependencies = ["six"]
        [tool.poetry.dependencies]
        python = "^3.11"
        requests = { version = "^2.31", extras = ["socks"], markers = "sys_platform == 'linux'" }
        "quoted.name" = "1.0"
        local = { path = "../lib", develop = true }
        gitdep = { git = "https://github.com/a/b.git", tag = "v1" }
        wheel = { url = "https://x/w-1.0-py3-none-any.whl" }
        opt = { version = "~1.2", optional = true, python = ">=3.9" }
        multi = [
          { version = "<=1.9", python = "<3.8" },
          { version = "^2.0", python = ">=3.8" },
        ]
        [tool.poetry.dev-dependencies]
        black = "*"
        [tool.poetry.group.test.dependencies]
        pytest = ">=7 || ^6.2"
        """
        let p = PyProjectParser.parse(text)
        #expect(p.problems.isEmpty)
        #expect(p.projectDependencies.map(\.range.start) == [.init(line: 2, column: 25)])
        #expect(p.requiresPython == ">=3.11,<4.0")
        let main = p.poetryGroup("main")
        #expect(main.map { $0.name ?? "" } == ["requests", "quoted.name", "local", "gitdep", "wheel", "opt", "multi", "multi"])
        #expect(main[0].requirement == "requests[socks]>=2.31,<3.0 ; sys_platform == 'linux'")
        #expect(main[0].range.start == .init(line: 5, column: 12))
        #expect(main[1].specifier == "==1.0")
        #expect(main[1].range.start.line == 6)
        #expect(main[2].kind == .path && main[2].target == "../lib" && main[2].specifier == nil)
        #expect(main[3].requirement == "gitdep @ git+https://github.com/a/b.git@v1")
        #expect(main[4].kind == .url)
        #expect(main[5].isOptional && main[5].pythonSpecifier == ">=3.9" && main[5].specifier == ">=1.2,<1.3")
        #expect(main[6].specifier == "<=1.9" && main[6].range.start.line == 12)
        #expect(main[7].specifier == ">=2.0,<3.0" && main[7].range.start.line == 13)
        #expect(p.poetryGroup("dev").map(\.requirement) == ["black"])
        let t = p.poetryGroup("test")[0]
        #expect(t.specifier == nil && t.specifierAlternatives == [">=7", ">=6.2,<7.0"])
        #expect(t.range.start.line == 18)
    }

    @Test func dependencyGroups() {
        let text = """
        [dependency-groups]
        test = ["pytest", {include-group = "lint"}]
        lint = ["ruff==0.5", { include-group = "Typing" }]
        typing = ["mypy"]
        loop-a = [{include-group = "loop-b"}]
        loop-b = [{include-group = "loop_a"}]
        bad = [{include-group = "nope"}]
        """
        let p = PyProjectParser.parse(text)
        #expect(p.dependencyGroup("test").map(\.requirement) == ["pytest", "ruff==0.5", "mypy"])
        #expect(p.dependencyGroup("test")[2].origin == .group(name: "test", via: ["lint", "typing"]))
        #expect(p.dependencyGroup("test")[1].range.start == .init(line: 3, column: 9))
        #expect(p.problems.map(\.code).sorted() == ["dependency-group-cycle", "dependency-group-cycle", "unknown-dependency-group"])
        #expect(p.problems.first { $0.code == "unknown-dependency-group" }?.range.start.line == 7)
    }

    @Test func invalidTOML() {
        let p = PyProjectParser.parse("[project]\nname = \"x\"\ndependencies = [\"a\",\nfoo = \n")
        #expect(p.problems.count == 1)
        #expect(p.problems[0].code == "invalid-toml")
        #expect(p.problems[0].range.start.line >= 3)
        #expect(p.requirements.isEmpty)
        let q = PyProjectParser.parse("[project]\ndependencies = \"flask\"\n")
        #expect(q.problems.map(\.code) == ["invalid-pyproject"])
    }
}

/// `TOMLPreflight` (issue 15) must never flag valid TOML: a `[` that is not a table header, or a header
/// that starts with a key, passes; only headers toml++ 3.4.0 would assert on are flagged.
struct TOMLPreflightTests {
    @Test("valid TOML passes", arguments: [
        "[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n  [\"b\"],\n]\n",
        "matrix = [\n  [\n    1,\n  ],\n  [ {a = 1} ],\n  [+1, -1],\n  [\n  ],\n]\n[tool.x]\n",
        "text = \"\"\"\n[=not a header]\n[[[\n\"\"\"\nlit = '''\n[.x]\n'''\n[a]\n",
        "q = \"\"\"\\\"\"\"\n[=x] is in the string\"\"\"\"\"\n[b]\n",
        "# [=comment]\n[ \"quoted\".key ] # [=\n[[ arr ]]\n[[arr]]\n['lit']\n[-_9]\n",
        "a = \"[=\" # x\nb = '[=' \n\"k=[\" = 1\nc = { d = [ \"]\" ] }\n[e]\r\nf = 1\r\n",
        "\u{FEFF}[project]\nname = \"x\"\n",
        // Dots that are not key parts: in values, strings and comments, and 256 parts exactly.
        "v = [" + Array(repeating: "1.5", count: 400).joined(separator: ", ") + "]\nt = { a = 1.5, b = \"" +
            String(repeating: ".", count: 400) + "\" }\n# " + String(repeating: ".", count: 400) + "\n[x]\n" +
            Array(repeating: "k", count: 256).joined(separator: ".") + " = 1\n",
    ])
    func validPasses(_ text: String) {
        #expect(TOMLPreflight.check(text) == nil)
        #expect(!PyProjectParser.parse(text).problems.contains { $0.code == "invalid-toml" }, "\(PyProjectParser.parse(text).problems)")
    }

    /// toml++ recurses once per part of a dotted key: tens of thousands of parts overflowed the stack (a SIGSEGV of
    /// the whole run). More than 256 parts are invalid TOML here, in a header, a key and an inline table's key.
    @Test("dotted keys of more than 256 parts are flagged, never parsed")
    func dottedKeyDepth() {
        let deep = Array(repeating: "a", count: 50_000).joined(separator: ".")
        for (text, line) in [("[\(deep)]\n", 1), ("[tool.fleetlint]\n\(deep) = 1\n", 2), ("x = 1\ny = { \(deep) = 1 }\n", 2),
                             ("[t]\n" + Array(repeating: "k", count: 257).joined(separator: ".") + " = 1\n", 2)] {
            let p = TOMLPreflight.check(text)
            #expect(p?.line == line && p?.message.contains("parts") == true, "\(String(describing: p))")
            #expect(PyProjectParser.parse(text).problems.first?.code == "invalid-toml")
        }
    }

    /// Found by the `pyproject` fuzz target: a header, key or inline table whose dotted key had too many parts was
    /// reported at its start, with the column counted from the start of the scan's current line; when a multi-line
    /// string in the key (or an inline table's line break) had taken the scan past that line, the range was
    /// reversed and the run trapped ("Range requires lowerBound <= upperBound"). Now the problem is at the start.
    @Test("a too-long dotted key reported from a later line is a problem at its start, not a trap")
    func dottedKeyAcrossLines() {
        let parts = String(repeating: ".a", count: 300)
        for (text, line, column) in [
            ("[x\"\"\"\n\"\"\"\(parts)]\n", 1, 1),                      // header: a multi-line string in the key
            ("name = 1\n  \"\"\"\n\"\"\"\(parts) = 1\n", 2, 3),             // key: the same
            ("x = {\n" + String(repeating: "a.", count: 300) + "a = 1}\n", 1, 5),  // inline table over two lines
            ("\u{FEFF}y = {\n" + String(repeating: "é.", count: 300) + "a = 1}\n", 1, 5),
        ] as [(String, Int, Int)] {
            let p = TOMLPreflight.check(text)
            #expect(p?.line == line && p?.column == column && p?.message.contains("parts") == true, "\(String(describing: p))")
            let problems = PyProjectParser.parse(text).problems
            #expect(problems.count == 1 && problems.first?.code == "invalid-toml")
        }
        // The fuzzer's input (579 bytes): a header `[]` followed by quotes, CRs and dots.
        let input = Array(Data(base64Encoded: Self.fuzzCrash)!)
        let problems = PyProjectParser.parse(bytes: input).problems
        #expect(problems.first?.code == "invalid-toml")
    }

    static let fuzzCrash = "W10iICIiYiIiIiIiIiJ0np6enp6eR0dHR0dHR0dHR0dHR0dHRw0NDQ0NDUcNLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLmdHR0dHR0dHR0dHR0dHR0dHR0dHDQ0NDQ0NRw0uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uDQ0NDQ0NDQ0uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4qLlBQUFBQUFAuLi4uLkdHRy4uLi6yLi4uLi4uLi4uLi4uLiouUFBQUFBQUC4uLi4uR0dHR0dHR0cNDQ0NDQ1HDS4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi7M0S4uLi4uLi4NDQ0NDQ0NDS4uLi4uLi4uLi5QUFAuLi4uLi4uLi4uLg0NDQ0NDQ0NLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uKi5QUFBQUFBQLi4uLi5HR0cuLi4usi4uLi4uLi4uLi4uLi4qLlBQUFBQUFAuLi4uLkdHR0dHR0dHDQ0NDQ0NRw0uLi4uLi4uLi4uLi4uLi4uLi4uLi4uLi4uzNEuLlBQUC4uLi4uLi4uLi4uLi4uLi4uXl5HRy5+Li4uLi4uLi4uLicnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnJycnbC5mbGVlXl5eXl5eXl5eXl5eXl5eXi7KLi4uLi4uLi4uniIK"

    /// toml++ reads TOML text as a C string: everything after a NUL was ignored (a configuration with a line `\0 = 1`
    /// was valid). A NUL is invalid TOML, at its position.
    @Test("a NUL byte is invalid TOML at its position")
    func nulByte() {
        let p = TOMLPreflight.check("[tool.fleetlint]\né = 1\u{0} = 1\nselect = []\n")
        #expect(p?.line == 2 && p?.column == 6 && p?.message.contains("NUL") == true, "\(String(describing: p))")
        #expect(PyProjectParser.parse("[project]\nname = \"x\"\n\u{0}\n").problems.first?.code == "invalid-toml")
        #expect(TOMLPreflight.check("[a]\nb = 1\n") == nil)
    }

    @Test("headers toml++ asserts on are flagged with their position", arguments: [
        ("[=x]\n", 1, 1), ("[project]\n  [[[x]]]\n", 2, 3), ("a = [\n 1,\n]\n[.x]\n", 4, 1), ("é = 1\nb = \"é\" [ =\n", nil, nil),
    ] as [(String, Int?, Int?)])
    func flagged(_ text: String, _ line: Int?, _ column: Int?) {
        let p = TOMLPreflight.check(text)
        if let line {
            #expect(p?.line == line && p?.column == column, "\(String(describing: p))")
        } else {
            // after a syntax error toml++ stops; flagging there or not is both fine, but never an abort
            _ = PyProjectParser.parse(text)
        }
    }
}
