import Testing
@testable import FleetLintSyntax

@Suite struct RequirementTests {
    @Test("requirements.json: PEP 508 lines parse and print as packaging") func vectors() {
        let cases = RequirementsVectors.list("requirements.json")
        #expect(cases.count >= 300)
        for c in cases {
            let line = c["line"] as! String
            switch Requirement.parse(line) {
            case .success(let r):
                guard c["valid"] as! Bool else { Issue.record("\(line.debugDescription) should be invalid, got \(r)"); continue }
                #expect(r.description == c["str"] as! String, "\(line)")
                #expect(r.name == c["name"] as! String)
                #expect(r.extras.sorted() == c["extras"] as! [String])
                #expect(r.specifier.description == c["specifier"] as! String)
                #expect(r.url == c["url"] as? String)
                #expect(r.marker?.description == c["marker"] as? String)
            case .failure(let e):
                guard !(c["valid"] as! Bool) else { Issue.record("\(line.debugDescription) should parse: \(e)"); continue }
                #expect(e.message == c["message"] as! String, "\(line)")
                if let s = c["spanStart"] as? Int { #expect(e.spanStart == s && e.spanEnd == c["spanEnd"] as! Int, "\(line) span") }
            }
        }
    }

    @Test("extras are PEP 685 normalised on request") func extras() {
        let r = try! Requirement.parse("Pkg[Foo_Bar, foo-bar ,Baz]>=1").get()
        #expect(r.normalizedExtras == ["baz", "foo-bar"])
        #expect(r.normalizedName == "pkg")
    }

    @Test("error column points where packaging stops") func column() {
        guard case .failure(let e) = Requirement.parse("name>=1.0 <2.0") else { Issue.record("should fail"); return }
        #expect(e.spanStart == 4 && e.column == 11)
    }
}
