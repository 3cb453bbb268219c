import Testing
@testable import FleetLintSyntax

@Suite struct SpecifierTests {
    @Test("specifiers.json: validity and printing match packaging") func parseVectors() {
        let cases = RequirementsVectors.list("specifiers.json")
        for c in cases {
            let spec = c["spec"] as! String
            let s = Specifier(spec)
            if c["valid"] as! Bool {
                #expect(s?.description == c["str"] as? String, "\(spec.debugDescription)")
            } else {
                #expect(s == nil, "\(spec.debugDescription) should be invalid")
            }
        }
    }

    @Test("specifier_contains.json: Specifier.contains matches packaging 26") func containsVectors() {
        let cases = RequirementsVectors.list("specifier_contains.json")
        #expect(cases.count > 1000)
        for c in cases {
            let s = Specifier(c["spec"] as! String)!
            let pre = RequirementsVectors.optionalBool(c["prereleases"])
            let v = c["version"] as! String
            #expect(s.contains(v, prereleases: pre) == c["result"] as! Bool, "\(s) contains \(v) pre=\(String(describing: pre))")
        }
    }

    @Test("specifier_set_contains.json: SpecifierSet.contains matches packaging 26") func setContainsVectors() {
        for c in RequirementsVectors.list("specifier_set_contains.json") {
            var s = SpecifierSet(c["set"] as! String)!
            if let e = c["explicit"] as? Bool { s.prereleases = e }
            let pre = RequirementsVectors.optionalBool(c["prereleases"])
            let v = c["version"] as! String
            #expect(s.contains(v, prereleases: pre) == c["result"] as! Bool, "\(c["set"]!) contains \(v) pre=\(String(describing: pre)) explicit=\(String(describing: c["explicit"]))")
        }
    }

    @Test("specifier_set_filter.json: SpecifierSet.filter matches packaging 26") func filterVectors() {
        for c in RequirementsVectors.list("specifier_set_filter.json") {
            let s = SpecifierSet(c["set"] as! String)!
            let pre = RequirementsVectors.optionalBool(c["prereleases"])
            #expect(s.filter(c["items"] as! [String], prereleases: pre) == c["result"] as! [String], "\(c["set"]!) pre=\(String(describing: pre))")
        }
    }

    @Test("specifier_sets.json: printing and is_unsatisfiable match packaging") func setVectors() {
        for c in RequirementsVectors.list("specifier_sets.json") {
            let text = c["set"] as! String
            let s = SpecifierSet(text)
            guard c["valid"] as! Bool else { #expect(s == nil, "\(text)"); continue }
            #expect(s?.description == c["str"] as? String, "\(text)")
            #expect(s?.isSatisfiable == !(c["unsatisfiable"] as! Bool), "\(text)")
        }
    }

    @Test("SpecifierSet edge cases checked against packaging 26.3 by hand") func setEdges() {
        #expect(SpecifierSet("")!.contains("foo"))
        #expect(SpecifierSet("")!.contains("1.0a1"))
        #expect(!SpecifierSet("", prereleases: false)!.contains("1.0a1"))
        #expect(SpecifierSet("===foo")!.contains("FOO"))
        #expect(!SpecifierSet("===foo,>=1")!.contains("foo"))
        #expect(!SpecifierSet("===1.0a1")!.contains("1.0a1", prereleases: false))
        #expect(SpecifierSet("")!.filter(["1.0a1", "foo", "1.0"]) == ["foo", "1.0"])
        #expect(SpecifierSet("")!.filter(["foo", "1.0a1"]) == ["foo", "1.0a1"])
    }

    @Test("pre-release rules", arguments: [
        (">=1.0", "2.0a1", nil as Bool?, true), (">=1.0", "2.0a1", false, false), (">=1.0a1", "2.0a1", false, false),
        ("<2.0", "2.0a1", true, false), ("<2.0a2", "2.0a1", nil, true), (">1.0", "1.0.post1", nil, false),
        (">1.0.post1", "1.0.post2", nil, true), ("==1.0", "1.0+local", nil, true), ("==1.0+a", "1.0", nil, false),
        ("==1.*", "1.0a1", nil, true), ("!=1.0.*", "1.0.5", nil, false), ("~=2.3", "3.0", nil, false),
        ("===1.0", "1.0", nil, true), ("===1.0", "1.0.0", nil, false), ("<=1.0", "1.0+x", nil, true),
    ])
    func prereleaseRules(_ spec: String, _ v: String, _ pre: Bool?, _ expected: Bool) {
        #expect(Specifier(spec)!.contains(v, prereleases: pre) == expected)
    }
}
