import Foundation
@testable import FleetLintProject
import Testing

/// The project memo's deployment evidence is the same bytes for the same evidence, whatever order its
/// dictionaries were filled in (a dictionary's order differs from process to process).
@Suite("Deployment evidence: memo bytes")
struct DeploymentEvidenceMemoTests {
    @Test("keys are sorted, so the bytes do not depend on insertion order; they decode to the same evidence")
    func sortedAndRoundTrips() throws {
        let names = (0..<40).map { "services/svc\($0)/Dockerfile" }
        var forward = DeploymentEvidence(), backward = DeploymentEvidence()
        for n in names { forward.dockerfiles[n] = "cloudbuild.yaml"; forward.imageNames["img-\(n.count)-\(n)"] = n }
        for n in names.reversed() { backward.dockerfiles[n] = "cloudbuild.yaml"; backward.imageNames["img-\(n.count)-\(n)"] = n }
        forward.sourceDirectories = ["b": "x.yaml", "a": "y.yaml", "": "z.yaml"]
        backward.sourceDirectories = ["": "z.yaml", "a": "y.yaml", "b": "x.yaml"]
        let bytes = try #require(DeploymentEvidence.memoBytes(forward))
        #expect(DeploymentEvidence.memoBytes(backward) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        // The Dockerfile keys appear in sorted order in the text (JSONEncoder writes `/` as `\/`).
        let positions = names.sorted().map { name in
            text.range(of: "\"" + name.replacingOccurrences(of: "/", with: "\\/") + "\":\"cloudbuild.yaml\"")?.lowerBound
        }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        let decoded = try JSONDecoder().decode(DeploymentEvidence.self, from: Data(bytes))
        #expect(decoded.dockerfiles == forward.dockerfiles && decoded.imageNames == forward.imageNames
                && decoded.sourceDirectories == forward.sourceDirectories)
    }
}
