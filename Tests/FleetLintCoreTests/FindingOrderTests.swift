@testable import FleetLintCore
import FleetLintSyntax
import Testing
import TestSupport

/// `Finding.sortInReportOrder` (keys and an in-place permutation) against the plain stable sort it replaced.
@Suite("Finding: report order")
struct FindingOrderTests {
    static func randomFindings(_ rng: inout SeededGenerator, count: Int) -> [Finding] {
        let paths = ["a.py", "b/c.py", "b/c.pyi", "B.py", "é.py", "b-c.py", "b/c/d.py"]
        let rules = ["unpooled-client", "fixed-sleep-retry", "parse-error"]
        var out: [Finding] = []
        // Runs of one path, as the engine produces them, with some paths coming back later (project rules).
        while out.count < count {
            let path = paths.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let line = Int.random(in: 1...4, using: &rng), column = Int.random(in: 1...3, using: &rng)
                let range = SourceRange(start: SourceLocation(line: line, column: column),
                                        end: SourceLocation(line: line, column: column + Int.random(in: 0...2, using: &rng)))
                out.append(Finding(ruleID: rules.randomElement(using: &rng)!, severity: .warning,
                                   message: ["m", "n"].randomElement(using: &rng)!, path: path, range: range,
                                   metadata: ["n": .int(out.count)]))  // tells equal findings apart: stability
            }
        }
        return out
    }

    @Test("equals the stable sort by reportOrder, on random runs of findings")
    func matchesStableSort() {
        var rng = SeededGenerator(seed: 7)
        for round in 0..<200 {
            let findings = Self.randomFindings(&rng, count: round % 40)
            var sorted = findings
            Finding.sortInReportOrder(&sorted)
            var expected: [(Int, Finding)] = Array(findings.enumerated())
            expected.sort { Finding.reportOrder($0.1, $1.1) || !Finding.reportOrder($1.1, $0.1) && $0.0 < $1.0 }
            #expect(sorted == expected.map(\.1), "round \(round)")
            #expect(Finding.areInReportOrder(sorted))
        }
    }

    @Test("sorted input is left as it is; a reversed pair is not in order")
    func sortedInput() {
        var rng = SeededGenerator(seed: 11)
        var findings = Self.randomFindings(&rng, count: 30)
        findings.sort(by: Finding.reportOrder)
        let before = findings
        Finding.sortInReportOrder(&findings)
        #expect(findings == before)
        let a = Finding(ruleID: "r", severity: .warning, message: "m", path: "a.py", range: SourceRange(line: 1, column: 1))
        let b = Finding(ruleID: "r", severity: .warning, message: "m", path: "a.py", range: SourceRange(line: 2, column: 1))
        #expect(Finding.areInReportOrder([a, b]))
        #expect(!Finding.areInReportOrder([b, a]))
    }
}
