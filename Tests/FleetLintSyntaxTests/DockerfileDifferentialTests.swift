import Foundation
import Testing
@testable import FleetLintSyntax

/// Compares DockerfileParser with BuildKit's parser output recorded by scripts/vectors/gen_dockerfile_vectors.py.
struct DockerfileDifferentialTests {
    struct Expected: Decodable {
        struct Inst: Decodable {
            var cmd: String
            var sub_cmd: String?
            var json: Bool
            var start_line: Int
            var end_line: Int
            var flags: [String]
            var value: [String]
            var heredocs: [Heredoc]
        }
        struct Heredoc: Decodable { var name: String; var content: String }
        struct File: Decodable { var instructions: [Inst]?; var error: String? }
        var files: [String: File]
    }

    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/dockerfile")
    static func load() -> Expected {
        let data = try! Data(contentsOf: dir.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode(Expected.self, from: data)
    }
    static let names: [String] = load().files.keys.sorted()

    @Test func thereAreEnoughVectors() {
        #expect(Self.names.count >= 15)
    }

    @Test(arguments: names)
    func matchesBuildKit(_ name: String) throws {
        let expected = Self.load().files[name]!
        let bytes = [UInt8](try Data(contentsOf: Self.dir.appendingPathComponent("files/\(name)")))
        let df = DockerfileParser.parse(bytes: bytes)
        if let error = expected.error {
            // BuildKit rejects the file; we must report a problem for it and keep going.
            #expect(!df.problems.isEmpty, "BuildKit error: \(error)")
            if error.contains("heredoc") { #expect(df.problems.contains { $0.code == "unterminated-heredoc" }) }
            return
        }
        let exp = expected.instructions!
        #expect(df.instructions.count == exp.count, "instruction count")
        for (got, want) in zip(df.instructions, exp) {
            let ctx = "\(name):\(want.start_line) \(want.cmd)"
            #expect(got.rawKeyword == want.cmd, "\(ctx)")
            #expect(got.keyword == want.cmd.uppercased(), "\(ctx)")
            #expect(got.subKeyword == want.sub_cmd?.uppercased(), "\(ctx)")
            #expect(got.isJSON == want.json, "\(ctx)")
            #expect(got.startLine == want.start_line, "\(ctx)")
            #expect(got.endLine == want.end_line, "\(ctx)")
            #expect(got.flags == want.flags, "\(ctx)")
            let value = got.isKnown ? got.arguments : [""]
            #expect(value == want.value, "\(ctx)")
            // For ONBUILD, BuildKit attaches the heredocs to the child node, which the wrapper does not expose.
            if want.sub_cmd == nil { #expect(got.heredocs.map(\.name) == want.heredocs.map(\.name), "\(ctx)") }
            for (h, w) in zip(got.heredocs, want.heredocs) where !h.stripsLeadingTabs {
                #expect(h.content == w.content, "\(ctx) heredoc \(w.name)")
            }
        }
    }
}
