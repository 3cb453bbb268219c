import FleetLintCore
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    let rules: Set<String> = ["committed-env-file", "parse-error", "unpooled-client"]
    let sections: Set<String> = ["unpooled-client", "files"]

    func parse(_ text: String, table: [String] = []) throws -> Configuration {
        try Configuration.parse(text: text, path: "fleetlint.toml", table: table, knownRules: rules, knownSections: sections)
    }

    func error(_ text: String, table: [String] = []) -> ConfigurationError? {
        do { _ = try parse(text, table: table); return nil } catch let e as ConfigurationError { return e } catch { return nil }
    }

    @Test("reads every top-level key")
    func readsKeys() throws {
        let c = try parse("""
            select = ["committed-env-file", "parse-error"]
            ignore = ["parse-error"]
            exclude = ["legacy/"]
            fail-on = "error"
            report-unused-suppressions = true
            [severity]
            committed-env-file = "warning"
            [[overrides]]
            paths = ["tests/**"]
            ignore = ["committed-env-file"]
            """)
        #expect(c.select == ["committed-env-file", "parse-error"])
        #expect(c.failOn == .error)
        #expect(c.reportUnusedSuppressions)
        #expect(c.exclude.map(\.pattern) == ["legacy/"])
        let defaults: [String: (enabled: Bool, severity: Severity)] = [
            "committed-env-file": (true, .error), "parse-error": (true, .warning), "unpooled-client": (true, .warning),
        ]
        let root = c.settings(for: "svc/a.py", defaults: defaults)
        #expect(root.enabledRules == ["committed-env-file"])
        #expect(root.severity["committed-env-file"] == .warning)
        #expect(c.settings(for: "tests/a.py", defaults: defaults).enabledRules.isEmpty)
    }

    @Test("the command line wins over overrides")
    func commandLineWins() throws {
        var c = try parse("""
            [[overrides]]
            paths = ["svc/**"]
            select = ["unpooled-client", "parse-error"]
            """)
        let defaults: [String: (enabled: Bool, severity: Severity)] = [
            "committed-env-file": (true, .error), "parse-error": (true, .warning), "unpooled-client": (true, .warning),
        ]
        c.applyCommandLine(select: ["committed-env-file"], ignore: [], failOn: nil)
        #expect(c.settings(for: "svc/a.py", defaults: defaults).enabledRules == ["committed-env-file"])
        var d = try parse("[[overrides]]\npaths = [\"svc/**\"]\nextend-select = [\"ALL\"]\n")
        d.applyCommandLine(select: nil, ignore: ["parse-error"], failOn: nil)
        #expect(d.settings(for: "svc/a.py", defaults: defaults).enabledRules == ["committed-env-file", "unpooled-client"])
    }

    @Test("[tool.fleetlint] in pyproject.toml")
    func pyproject() throws {
        let c = try parse("""
            [project]
            name = "x"
            [tool.fleetlint]
            ignore = ["parse-error"]
            [tool.fleetlint.unpooled-client]
            callees = ["httpx.get"]
            """, table: ["tool", "fleetlint"])
        #expect(c.ignore == ["parse-error"])
        #expect(try c.options("unpooled-client").stringArray("callees") == ["httpx.get"])
    }

    @Test("unknown keys name the file, the line and the valid keys")
    func unknownKey() throws {
        let e = try #require(error("select = []\nselcet = [\"parse-error\"]\n"))
        #expect(e.file == "fleetlint.toml")
        #expect(e.line == 2)
        #expect(e.message.contains("unknown key `selcet`"))
        #expect(e.message.contains("`select`"))
        // CRLF line breaks: the same line (a CRLF is one Character: split by Characters, the file was one line).
        let crlf = try #require(error("select = []\r\nselcet = [\"parse-error\"]\r\n"))
        #expect(crlf.line == 2)
    }

    /// The lines of a table's keys are found in one pass (`keyLines`), as `line(of:in:)` finds each: the first line
    /// that names the key, by a dotted key, a key under a sub-table's header or the header itself.
    @Test("a table's key lines in one pass equal each key's line")
    func keyLinesInOnePass() throws {
        let text = """
        [tool.fleetlint]
        select = ["parse-error"]
        dotted.key = "info"
        [tool.fleetlint.unpooled-client]
        callees = ["httpx.get"]
        [tool.fleetlint.severity]
        unpooled-client = "error"
        [tool.other]
        select = 1
        """ + (0..<3_000).map { "\nk\($0) = \($0)" }.joined() + "\n[tool.fleetlint.late]\n"
        let doc = try TOMLDocument(path: "pyproject.toml", text: text)
        #expect(doc.keyLines(in: ["tool"]) == ["fleetlint": 1, "other": 8])
        #expect(doc.keyLines(in: ["tool", "fleetlint"]) == ["select": 2, "dotted": 3, "unpooled-client": 4, "severity": 6, "late": 3_010])
        #expect(doc.keyLines(in: ["tool", "fleetlint", "severity"]) == ["unpooled-client": 7])
        let other = doc.keyLines(in: ["tool", "other"])
        #expect(other.count == 3_001 && other["select"] == 9 && other["k0"] == 10 && other["k2999"] == 3_009)
        #expect(doc.line(of: "callees", in: ["tool", "fleetlint", "unpooled-client"]) == 5)
        // A header below the table names its key too: `[tool.fleetlint.a.a.a]` is the line of the unknown key `a`.
        let deep = try #require(error("[tool.fleetlint]\n[tool.fleetlint.a.a.a]\n", table: ["tool", "fleetlint"]))
        #expect(deep.line == 2 && deep.message.contains("unknown key `a`"))
        // 3,000 unknown keys: the first is reported at its line (the file was read once per key: 12 s).
        let e = try #require(error("select = []\n" + (0..<3_000).map { "k\($0) = \($0)\n" }.joined()))
        #expect(e.line == 2 && e.message.contains("unknown key `k0`"))
    }

    @Test("unknown rule ids are errors")
    func unknownRule() throws {
        let e = try #require(error("[tool.fleetlint]\nselect = [\"unpooled-clients\"]\n", table: ["tool", "fleetlint"]))
        #expect(e.line == 2)
        #expect(e.message.contains("unknown rule id `unpooled-clients`"))
    }

    @Test("wrong types are errors", arguments: [
        "select = \"parse-error\"", "fail-on = \"fatal\"", "report-unused-suppressions = 1", "[severity]\nparse-error = \"loud\"",
        "[[overrides]]\nselect = [\"parse-error\"]",
    ])
    func wrongTypes(_ text: String) throws {
        let e = try #require(error(text))
        #expect(e.line != nil)
    }

    @Test("invalid TOML reports its line")
    func invalidTOML() throws {
        let e = try #require(error("select = [\n\"a\"\nfail-on = \n"))
        #expect(e.message.hasPrefix("invalid TOML"))
        #expect(e.line != nil)
    }

    /// A configuration or rule file that is not UTF-8 is an error at its first invalid byte: the line (LF breaks) and the
    /// column in code points, as TOML errors count them (it named the file alone).
    @Test("invalid UTF-8 is located at its first invalid byte", arguments: [
        ([0x61, 0xE9, 0x62], 1, 2, "E9"),                                  // Latin-1 é
        (Array("é = 1\n# caf".utf8) + [0xE9, 0x0A], 2, 6, "E9"),           // after a line with a two-byte character
        (Array("x\r\n# ü ".utf8) + [0xC3, 0x28], 2, 5, "C3"),              // a lead byte without its continuation
        ([0xEF, 0xBB, 0xBF, 0x61, 0xFF], 1, 2, "FF"),                       // a byte order mark is not counted
        ([0xFF, 0x0A], 1, 1, "FF"),
        (Array("a\n\n€".utf8) + [0xE2, 0x82], 3, 2, "E2"),                  // truncated at the end of the file
        ([0x61, 0xED, 0xA0, 0x80], 1, 2, "ED"),                             // an encoded surrogate
        ([0x61, 0xC0, 0xAF], 1, 2, "C0"),                                   // an overlong `/`
    ] as [([UInt8], Int, Int, String)])
    func invalidUTF8(_ bytes: [UInt8], _ line: Int, _ column: Int, _ hex: String) throws {
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let e = try #require(ConfigurationError.invalidUTF8(file: "fleetlint.toml", bytes: bytes, what: "configuration file"))
        #expect(e.file == "fleetlint.toml" && e.line == line, "\(e)")
        #expect(e.message.contains("byte 0x\(hex) at column \(column) "), "\(e)")
        #expect(e.message.hasSuffix("save the file as UTF-8"))
        #expect(ConfigurationError.invalidUTF8(file: "f", bytes: Array("é = 1\n€\r\n".utf8), what: "x") == nil)
    }
}
