import Testing
@testable import FleetLintSyntax

@Suite struct VersionTests {
    @Test("hand-picked spellings normalise as packaging does", arguments: [
        ("1.0-1", "1.0.post1"), ("v1.0", "1.0"), ("1.0ALPHA1", "1.0a1"), ("1.0c1", "1.0rc1"), ("1.0-pre", "1.0rc0"),
        ("1.0.r", "1.0.post0"), ("1.0rev2", "1.0.post2"), ("1!2.0", "1!2.0"), ("1.0+ABC-1_x", "1.0+abc.1.x"),
        (" 1.0\n", "1.0"), ("1.0-dev-3", "1.0.dev3"), ("01.002", "1.2"), ("1.0preview2", "1.0rc2"),
    ])
    func normalises(_ input: String, _ expected: String) {
        #expect(Version(input)?.description == expected)
    }

    @Test("invalid spellings are rejected", arguments: ["", "1.0.", "1..0", "1.0+", "abc", "1.0 a1", "1.0-", "1.0.*"])
    func rejects(_ input: String) { #expect(Version(input) == nil) }

    @Test("ordering of dev, pre, post and local") func ordering() {
        let chain = ["1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0a1.post1.dev1", "1.0a1.post1", "1.0b1", "1.0rc1", "1.0",
                     "1.0+abc", "1.0+abc.1", "1.0+1", "1.0.post1.dev0", "1.0.post1", "1.1.dev0", "1!0.1"]
        let vs = chain.map { Version($0)! }
        for (a, b) in zip(vs, vs.dropFirst()) { #expect(a < b, "\(a) < \(b)") }
        #expect(Version("1.0")! == Version("1.0.0")!)
        #expect(Version("1.0.0")!.hashValue == Version("1")!.hashValue)
    }

    @Test("versions.json: parse, normalise and properties match packaging") func versionVectors() {
        let cases = RequirementsVectors.list("versions.json")
        #expect(cases.count > 300)
        for c in cases {
            let input = c["input"] as! String
            let v = Version(input)
            guard c["valid"] as! Bool else { #expect(v == nil, "\(input.debugDescription) should be invalid"); continue }
            guard let v else { Issue.record("\(input.debugDescription) should parse"); continue }
            #expect(v.description == c["normalized"] as! String, "\(input)")
            #expect(v.public == c["public"] as! String)
            #expect(v.baseVersion == c["base"] as! String)
            #expect(v.isPrerelease == c["isPrerelease"] as! Bool, "\(input)")
            #expect(v.isDevrelease == c["isDevrelease"] as! Bool)
            #expect(v.isPostrelease == c["isPostrelease"] as! Bool)
            #expect(v.epoch == c["epoch"] as! Int)
            #expect(v.release == c["release"] as! [Int])
            #expect(v.major == c["major"] as! Int)
            #expect(v.localLabel == c["local"] as? String)
        }
    }

    @Test("version_compare.json: ordering matches packaging") func compareVectors() {
        let cases = RequirementsVectors.list("version_compare.json")
        #expect(cases.count > 500)
        for c in cases {
            let a = Version(c["a"] as! String)!, b = Version(c["b"] as! String)!
            let got = a < b ? -1 : (a == b ? 0 : 1)
            #expect(got == c["cmp"] as! Int, "\(c["a"]!) vs \(c["b"]!)")
        }
    }

    @Test("PEP 503 names", arguments: [
        ("Django", "django"), ("zope.interface", "zope-interface"), ("Google.Cloud__Storage", "google-cloud-storage"),
        ("a-_-.b", "a-b"), ("requests", "requests"), ("google-cloud-storage", "google-cloud-storage"), ("a--b", "a-b"),
        ("-a_", "-a-"), ("ZOPE", "zope"), ("x.Y-z", "x-y-z"), ("ruamel.yaml.clib", "ruamel-yaml-clib"),
    ])
    func normalizeName(_ raw: String, _ expected: String) {
        #expect(PackageName.normalize(raw) == expected)
        #expect(PackageName.normalize(expected) == expected)
        #expect(PackageName.isValid(raw) == !raw.hasPrefix("-"))
    }

    /// The ASCII path and the Unicode one agree: every byte string of separators, letters of both cases and digits up
    /// to four long, against packaging's rule written out (lowercase, then runs of `-_.` to one `-`).
    @Test func normalizeASCIIAgreesWithTheRule() {
        let alphabet: [Character] = ["-", "_", ".", "a", "Z", "0"]
        func rule(_ s: String) -> String {
            var out = "", inRun = false
            for c in s.lowercased() {
                if c == "-" || c == "_" || c == "." { if !inRun { out.append("-") }; inRun = true } else { out.append(c); inRun = false }
            }
            return out
        }
        var names = [""]
        for _ in 0..<4 { names = names + names.flatMap { n in alphabet.map { n + String($0) } } }
        for n in Set(names) { #expect(PackageName.normalize(n) == rule(n), "\(n)") }
        #expect(PackageName.normalize("Ünïcode_Name") == "ünïcode-name")
    }

    @Test("invalid names", arguments: ["", "-a", "a-", "_a", "a b", "é"])
    func invalidName(_ raw: String) { #expect(!PackageName.isValid(raw)) }
}
