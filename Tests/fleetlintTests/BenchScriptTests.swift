import Foundation
import Testing
import TestSupport

/// bench/lib.sh's section helpers: bench/results.md has three writers (run.sh, instructions.sh, staged.sh), each
/// replacing its own sections and keeping the others', whatever order they run in.
@Suite("bench results sections")
struct BenchScriptTests {
    /// Runs `script` in bash with bench/lib.sh sourced, in a temporary directory holding `files`; returns the
    /// directory's files afterwards.
    func bash(_ script: String, files: [String: String]) throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sections-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let lib = RepositoryPaths.root.appendingPathComponent("bench/lib.sh").path
        let r = try ProcessRunner.run(
            URL(fileURLWithPath: "/bin/bash"), ["-euo", "pipefail", "-c", "source \"$LIB\"; \(script)"], in: dir, env: ["LIB": lib])
        #expect(r.status == 0, "\(r.stderr)")
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        return out
    }

    static let results = """
        # fleetlint benchmarks

        header line

        ## /tmp/tree-1x (10 files)

        | a | b |

        ## Instructions (callgrind, cold, one run each)

        old instructions

        ## check --staged on /tmp/nba-wt (warm cache)

        old staged

        """

    @Test("a section is replaced in place; the header and the other sections stay byte for byte")
    func replacesInPlace() throws {
        let out = try bash(
            "replace_sections results.md '^## Instructions' new.md",
            files: ["results.md": Self.results, "new.md": "## Instructions (callgrind, cold, one run each)\n\nnew instructions\n\n"])
        #expect(out["results.md"] == Self.results.replacingOccurrences(of: "old instructions", with: "new instructions"))
    }

    @Test("a section not there yet is added at the end; a missing file is created")
    func appendsWhenAbsent() throws {
        let staged = "## check --staged on /tmp/x (warm cache)\n\nnew staged\n\n"
        let without = Self.results.replacingOccurrences(
            of: "## check --staged on /tmp/nba-wt (warm cache)\n\nold staged\n", with: "")
        #expect(!without.contains("old staged"))
        var out = try bash("replace_sections results.md '^## check --staged' new.md", files: ["results.md": without, "new.md": staged])
        #expect(out["results.md"] == without + staged)
        out = try bash("replace_sections absent.md '^## check --staged' new.md", files: ["new.md": staged])
        #expect(out["absent.md"] == staged)
    }

    @Test("every section matching is replaced, by one copy of the new content")
    func replacesEveryMatch() throws {
        let twice = Self.results + "## Instructions (again)\n\nolder instructions\n\n"
        let out = try bash(
            "replace_sections results.md '^## Instructions' new.md",
            files: ["results.md": twice, "new.md": "## Instructions\n\nnew\n\n"])
        let text = try #require(out["results.md"])
        #expect(!text.contains("old instructions") && !text.contains("older instructions"))
        #expect(text.components(separatedBy: "## Instructions").count == 2)
        #expect(text.hasSuffix("old staged\n"))
    }

    @Test("run.sh's part keeps the other scripts' sections: sections prints only those, in order")
    func keepsOtherScriptsSections() throws {
        let out = try bash(
            "sections results.md '^## (Instructions|check --staged)' > kept.md; sections missing.md '^## x' > none.md",
            files: ["results.md": Self.results])
        #expect(out["kept.md"] == """
            ## Instructions (callgrind, cold, one run each)

            old instructions

            ## check --staged on /tmp/nba-wt (warm cache)

            old staged

            """)
        #expect(out["none.md"] == "")
    }
}
