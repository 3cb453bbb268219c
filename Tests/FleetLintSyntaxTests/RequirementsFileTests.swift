import Foundation
import Testing
@testable import FleetLintSyntax

@Suite struct RequirementsFileTests {
    static let filesDir = RequirementsVectors.directory.appendingPathComponent("files")
    static let env = ["PIP_TEST_VERSION": "1.2.3", "INDEX_HOST": "pypi.example.com"]

    static func loader(_ path: String) -> [UInt8]? {
        (try? Data(contentsOf: filesDir.appendingPathComponent(path))).map { [UInt8]($0) }
    }

    static func parse(_ text: String, env: [String: String] = [:]) -> RequirementsDocument {
        RequirementsParser.parse(Array(text.utf8), path: "requirements.txt", environment: env)
    }

    static func codes(_ d: RequirementsDocument) -> [String] { d.problems.map(\.code) }

    @Test("pip_files.json: the include closure matches pip's reading of each file") func pipVectors() {
        let all = RequirementsVectors.load("pip_files.json") as! [String: [String: Any]]
        #expect(all.count >= 20)
        for (file, expected) in all.sorted(by: { $0.key < $1.key }) {
            let resolved = RequirementsResolver.resolve(root: file, environment: Self.env, loader: Self.loader)
            let pipEntries = expected["entries"] as! [[String: Any]]
            let ours = resolved.requirements
            let allProblems = resolved.problems.values.flatMap { $0 }
            if expected["error"] is NSNull {
                #expect(ours.count == pipEntries.count, "\(file): \(ours.map { $0.entry.requirementText ?? "" })")
            } else {
                // pip stops at the first error; we keep going, so pip's entries are a prefix of ours
                // and we must have reported a problem.
                #expect(ours.count >= pipEntries.count, "\(file)")
                #expect(!allProblems.isEmpty, "\(file): pip rejects it but no problem was recorded")
            }
            for (o, p) in zip(ours, pipEntries) {
                #expect(o.entry.requirementText == p["requirement"] as? String, "\(file)")
                #expect((o.entry.kind == .editable) == p["isEditable"] as! Bool, "\(file) \(o.entry.rawText)")
                #expect(o.isConstraint == p["isConstraint"] as! Bool, "\(file)")
                let from = p["comesFrom"] as! String
                #expect(from == "\(o.isConstraint ? "-c" : "-r") \(o.file) (line \(o.line))", "\(file)")
                let opts = p["options"] as! [String: Any]
                let hashes = (opts["hashes"] as? [String: [String]]) ?? [:]
                #expect(o.entry.hashes == hashes, "\(file)")
                let cfg = (opts["config_settings"] as? [String: String]) ?? [:]
                #expect(Dictionary(uniqueKeysWithValues: o.entry.configSettings.map { ($0.name, $0.value ?? "") }) == cfg)
                let pep508 = p["pep508Valid"] as! Bool
                if o.entry.kind == .requirement {
                    #expect((o.entry.requirement != nil) == pep508, "\(file): \(o.entry.rawText)")
                }
            }
        }
    }

    @Test("problem codes per tricky file", arguments: [
        ("09_glued.txt", "glued-requirements"), ("10_glued_space.txt", "glued-requirements"),
        ("11_unknown_option.txt", "unknown-option"), ("12_missing_arg.txt", "option-missing-argument"),
        ("13_dropped_words.txt", "dropped-arguments"), ("14_bare_editable.txt", "editable-without-target"),
        ("15_credentials.txt", "credentials-in-url"), ("16_bad_marker.txt", "invalid-marker"),
        ("17_bad_specifier.txt", "invalid-specifier"), ("18_env_vars.txt", "unexpanded-variable"),
        ("22_cycle_a.txt", "include-cycle"), ("23_missing_include.txt", "include-missing"),
        ("24_unbalanced_quote.txt", "unbalanced-quote"), ("25_bad_hash_and_ignored.txt", "invalid-option-value"),
        ("25_bad_hash_and_ignored.txt", "ignored-option"), ("26_bad_feature.txt", "invalid-option-value"),
        ("27_flag_value.txt", "option-takes-no-value"), ("28_abbrev.txt", "ambiguous-option"),
        ("29_options_on_req.txt", "ignored-option"), ("29_options_on_req.txt", "dropped-arguments"),
        ("30_token.txt", "credentials-in-url"),
    ])
    func problemCodes(_ file: String, _ code: String) {
        let r = RequirementsResolver.resolve(root: file, environment: Self.env, loader: Self.loader)
        #expect(r.problems.values.flatMap { $0 }.contains { $0.code == code }, "\(file): \(r.problems)")
    }

    @Test("clean files have no problems", arguments: ["01_basic.txt", "02_continuation.txt", "03_continuation_comment.txt",
                                                     "04_global_options.txt", "05_hashes.txt", "06_editable.txt", "07_urls.txt",
                                                     "08_includes.txt", "19_bom.txt", "20_pep263.txt", "21_line_endings.txt"])
    func clean(_ file: String) {
        let r = RequirementsResolver.resolve(root: file, environment: Self.env, loader: Self.loader)
        let probs = r.problems.values.flatMap { $0 }.filter { $0.code != "invalid-requirement" || file != "01_basic.txt" }
        #expect(probs.isEmpty || file == "01_basic.txt", "\(file): \(probs)")
    }

    @Test("redaction never shows the password") func redaction() {
        let d = Self.parse("-i https://alice:hunter2-fake@pypi.example.com/simple\n")
        let p = d.problems.first { $0.code == "credentials-in-url" }
        #expect(p != nil)
        #expect(p?.message.contains("https://alice:****@pypi.example.com/simple") == true)
        #expect(d.problems.allSatisfy { !$0.message.contains("hunter2") })
        #expect(RequirementsParser.redactedCredentials("https://tok@h/x") == "https://****@h/x")
        let bad = Self.parse("pkg @ https://bob:pa55-fake@h.example/p.tgz extra\n--unknown https://bob:pa55-fake@h.example/\n")
        #expect(bad.problems.count == 3, "\(bad.problems)")
        #expect(bad.problems.allSatisfy { !$0.message.contains("pa55") }, "\(bad.problems)")
        #expect(RequirementsParser.redactedCredentials("https://h/x") == nil)
    }

    @Test("lines, ranges and kinds") func linesAndKinds() {
        let d = Self.parse("# c\nfoo==1.0 \\\n  ; python_version > '3'\n-r other.txt\n-c cons.txt\n-e .\n./x.whl\n--pre\n")
        #expect(d.entries.map(\.kind) == [.requirement, .include, .constraintInclude, .editable, .urlOrPath, .globalOption])
        #expect(d.entries[0].line == 2 && d.entries[0].lastLine == 3)
        #expect(d.entries[0].range.start == SourceLocation(line: 2, column: 1))
        #expect(d.entries[0].requirement?.marker?.description == "python_version > \"3\"")
        #expect(d.entries[1].includePath == "other.txt")
        #expect(d.entries[5].options == [RequirementsOption(name: "--pre", value: nil)])
    }

    /// pip splits lines where `str.splitlines()` does (also at VT, FF, U+001C-U+001E, NEL, U+2028, U+2029) and numbers
    /// them so (`line`, as in pip's "line N"); positions count lines as every other reader does, at LF, CRLF and a lone
    /// CR, where a suppression comment and an editor see them.
    @Test("positions count lines at LF, CRLF and CR only; `line` is pip's number") func positionsAfterSplitlinesBreaks() {
        let d = Self.parse("requests==2.0\n# a\u{0C} comment\nflask>=2.3;;\n")
        // pip reads ` comment` after the FF as a requirement of its own, on its line 3.
        #expect(d.entries.map(\.line) == [1, 3, 4])
        #expect(d.entries[1].range.start == SourceLocation(line: 2, column: 6))
        #expect(d.problems.map(\.range.start.line) == [3])
        let same = Self.parse("a==1.0\u{0B}b==2.0\r\nc==3.0\u{2028}  d==4.0 \\\n  ; python_version > '3'\n")
        #expect(same.entries.map(\.line) == [1, 2, 3, 4])
        #expect(same.entries.map(\.range.start) == [
            SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 8),
            SourceLocation(line: 2, column: 1), SourceLocation(line: 2, column: 10),
        ])
        #expect(same.entries[3].range.end.line == 3)
    }

    @Test("keeps going after a bad line") func keepsGoing() {
        let d = Self.parse("--bogus\nrequests==2.31.0google-cloud-storage==2.14.0\nflask==2.0 django==4.0\nok==1\n")
        #expect(Self.codes(d) == ["unknown-option", "glued-requirements", "glued-requirements"])
        #expect(d.entries.last?.requirement?.name == "ok")
        let glued = d.problems[1]
        #expect(glued.range.start == SourceLocation(line: 2, column: 17))
    }

    @Test("glued detection does not fire on pre-release letters") func notGlued() {
        #expect(Self.parse("pkg==1.0b1\npkg==2.0rc1\n").problems.isEmpty)
        let d = Self.parse("requests==2.31.0beautifulsoup4==4.12.2\n")
        #expect(Self.codes(d) == ["glued-requirements"])
    }

    @Test("specifier errors carry the column") func specifierColumn() {
        let d = Self.parse("pkg>=1.0.*\n")
        #expect(d.problems.first?.code == "invalid-specifier")
        #expect(d.problems.first?.range.start == SourceLocation(line: 1, column: 4))
    }

    @Test("variables expand only in ${UPPER} form") func variables() {
        let d = Self.parse("a==${V}\nb==$V\nc==${v}\n", env: ["V": "1.0", "v": "2.0"])
        #expect(d.entries.map { $0.requirementText ?? "" } == ["a==1.0", "b==$V", "c==${v}"])
    }

    @Test("comment handling as pip") func comments() {
        let d = Self.parse("pkg==1.0#frag\nhttps://x/y.tar.gz#egg=y\npkg2 # c\n")
        #expect(d.entries.map { $0.requirementText ?? "" } == ["pkg==1.0#frag", "https://x/y.tar.gz#egg=y", "pkg2"])
        #expect(d.entries[1].derivedName == "y")
    }

    @Test("resolver rejects escaping paths and follows relative includes") func resolver() {
        let files: [String: String] = ["svc/requirements.txt": "-r ../common/base.txt\n-r ../../out.txt\n-r https://x/y.txt\nsvc==1\n",
                                       "common/base.txt": "-c ./cons.txt\nbase==1\n", "common/cons.txt": "base<2\n"]
        let r = RequirementsResolver.resolve(root: "svc/requirements.txt") { files[$0].map { Array($0.utf8) } }
        #expect(r.requirements.map { "\($0.file):\($0.line):\($0.isConstraint)" } ==
                ["common/cons.txt:1:true", "common/base.txt:2:false", "svc/requirements.txt:4:false"])
        #expect(r.problems["svc/requirements.txt"]?.map(\.code) == ["include-escapes-repo", "include-url"])
    }
}
