import Testing
@testable import FleetLintSyntax

@Suite struct SatisfiabilityTests {
    static func sets(_ texts: [String]) -> [SpecifierSet] { texts.map { SpecifierSet($0)! } }

    @Test("satisfiability.json: interval answers agree with a brute-force grid") func gridVectors() {
        let cases = RequirementsVectors.list("satisfiability.json")
        #expect(cases.count >= 300)
        for c in cases {
            let texts = c["sets"] as! [String]
            let r = SpecifierSet.intersection(of: Self.sets(texts))
            #expect(r.isSatisfiableAllowingPrereleases == c["anyVersion"] as! Bool, "\(texts) -> \(r)")
            #expect(r.isSatisfiableByFinalRelease == c["anyFinal"] as! Bool, "\(texts) final -> \(r)")
            for ex in c["examples"] as! [String] { #expect(r.contains(Version(ex)!), "\(texts) should contain \(ex)") }
        }
    }

    @Test("readable intersections", arguments: [
        (["flask==2.3.3", ">=3.0"], "<empty>"),
        ([">=2.0", "<2.3"], ">=2.0,<2.3"),
        (["~=2.3", "==2.*"], ">=2.3,<3"),
        (["==2.*", "!=2.3.*"], "==2.*,!=2.3.*"),
        ([">=1.0", "!=1.5"], ">=1.0,!=1.5"),
        (["~=2.3", "!=2.3.2"], ">=2.3,<3,!=2.3.2"),
        (["==2.3.3", "~=2.3"], "==2.3.3"),
        ([">=1.0", "<=1.0"], "==1.0"),
        ([], ""),
    ])
    func readable(_ texts: [String], _ expected: String) {
        var input = texts
        if let i = input.firstIndex(of: "flask==2.3.3") { input[i] = "==2.3.3" }
        let r = SpecifierSet.intersection(of: Self.sets(input))
        #expect(r.description == expected)
    }

    @Test("pre-release-only sets are satisfiable only when pre-releases are allowed") func prereleaseOnly() {
        let r = SpecifierSet.intersection(of: Self.sets([">=2.0a1", "<2.0b1"]))
        #expect(r.isSatisfiableAllowingPrereleases)
        #expect(!r.isSatisfiableByFinalRelease)
        #expect(!r.isSatisfiable(prereleases: false))
        #expect(r.isSatisfiable)  // a specifier names a pre-release, so PEP 440 allows them
        #expect(!SpecifierSet.intersection(of: Self.sets([">=2.0a1", "<2.0"])).isSatisfiableAllowingPrereleases)  // `<2.0` excludes 2.0's pre-releases
        let q = SpecifierSet.intersection(of: Self.sets([">1.0", "<1.0.post5"]))
        #expect(!q.isSatisfiableAllowingPrereleases)  // `>1.0` excludes 1.0's post-releases
    }

    @Test("exact edge cases", arguments: [
        ([">1.0a1", "<1.0a2"], true), ([">1.0a1", "<1.0a2.dev0"], false), ([">=1.0a1", "<1.0a2"], true), (["==1.0", "!=1.0"], false),
        (["==1.0+local", "!=1.0"], false), (["==1.0", "!=1.0+local"], true), (["<0"], false), (["<0.dev0"], false),
        (["==1.*", "!=1.*"], false), (["~=1.4.2", ">=1.5"], false), (["~=1.4.2", ">=1.4.9"], true),
        (["===1.0", ">=2"], false), (["===1.0", "===1.1"], false), (["===foo"], true), ([">1.0.post1", "<=1.0.post1"], false),
        ([">1.0.dev1", "<1.0.dev2"], false), (["!=2.*", "==2.5"], false), (["==2.0.0", "==2"], true),
    ])
    func edges(_ texts: [String], _ expected: Bool) {
        #expect(SpecifierSet.intersection(of: Self.sets(texts)).isSatisfiableAllowingPrereleases == expected, "\(texts)")
    }

    @Test("a running intersection gives, for every prefix, what intersecting the whole prefix gives") func runningIntersection() {
        var cases = RequirementsVectors.list("satisfiability.json").map { $0["sets"] as! [String] }
        cases += [["===1.0", ">=1"], [">=2", "===1.0"], ["===foo", "===FOO"], ["===1.0", "===1.1"], [">=1", "===foo"],
                  [">=2.0a1", "<2.0"], ["<2.0", ">=2.0a1"]]
        for texts in cases {
            let sets = Self.sets(texts)
            var running = RunningIntersection()
            for i in sets.indices {
                running.add(sets[i])
                #expect(running.range == SpecifierSet.intersection(of: Array(sets[0...i])), "\(texts[0...i])")
            }
        }
    }
}
