import Testing
@testable import FleetLintSyntax

@Suite struct MarkerTests {
    @Test("markers.json: parsing and printing match packaging") func parseVectors() {
        for c in RequirementsVectors.list("markers.json") {
            let text = c["marker"] as! String
            let m = Marker(text)
            if c["valid"] as! Bool { #expect(m?.description == c["str"] as? String, "\(text)") } else { #expect(m == nil, "\(text)") }
        }
    }

    @Test("marker_eval.json: evaluation matches packaging") func evalVectors() {
        let envs = RequirementsVectors.load("marker_envs.json") as! [String: [String: String]]
        let cases = RequirementsVectors.list("marker_eval.json")
        #expect(cases.count >= 500)
        for c in cases {
            let m = Marker(c["marker"] as! String)!
            let env = MarkerEnvironment(envs[c["env"] as! String]!)
            let extra = c["extra"] as? String
            if let expected = c["result"] as? Bool {
                #expect((try? m.evaluateThrowing(in: env, extra: extra)) == expected, "\(m) in \(c["env"]!) extra=\(String(describing: extra))")
            } else {
                #expect(throws: Marker.EvaluationError.self, "\(m)") { try m.evaluateThrowing(in: env, extra: extra) }
            }
        }
    }

    @Test("default environment is Linux x86_64 CPython 3.11.7", arguments: [
        ("python_version >= '3.11' and sys_platform == 'linux'", true), ("python_full_version == '3.11.7'", true),
        ("platform_machine == 'x86_64' and os_name == 'posix'", true), ("python_version < '3.11'", false),
        ("extra == 'test'", false), ("'linux' in sys_platform", true), ("implementation_name == 'cpython'", true),
    ])
    func defaults(_ text: String, _ expected: Bool) {
        #expect(Marker(text)!.evaluate() == expected)
    }

    @Test("extra is normalised on both sides") func extras() {
        let m = Marker("extra == 'Test_Extra'")!
        #expect(m.evaluate(extra: "test.extra"))
        #expect(!m.evaluate(extra: nil))
    }
}
