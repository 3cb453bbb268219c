import Foundation
import Testing
import TestSupport

/// `fleetlint check --history [REV-RANGE]` through the built binary.
@Suite("fleetlint check --history", .serialized)
struct HistoryCLITests {
    func run(_ args: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ProcessRunner.fleetlint(args, in: directory)
        return (r.status, r.stdout, r.stderr)
    }

    @Test("a deleted .env is still a finding in history; ranges, bad ranges and non-repositories")
    func history() throws {
        let repo = try TempGitRepo(name: "history-cli")
        try repo.write("README.md", "# demo\n")
        try repo.write("svc/.env.production", "DEBUG=false\n")
        let added = try repo.commitAll("add env")
        try repo.remove("svc/.env.production")
        let removed = try repo.commitAll("remove env")

        let full = try run(["check", "--history", "--format", "json", "--no-cache"], in: repo.url)
        #expect(full.status == 1, "\(full.stdout)\(full.stderr)")
        #expect(full.stdout.contains("\"commit\" : \"\(added)\""))
        #expect(full.stdout.contains("\"removedIn\" : \"\(removed)\""))
        #expect(full.stdout.contains("\"presentAtHead\" : false"))

        let text = try run(["check", "--history", "--no-cache", "--verbose"], in: repo.url)
        #expect(text.stdout.contains("removed in \(removed.prefix(7))"), "\(text.stdout)")
        #expect(text.stderr.contains("fleetlint: history (all refs): 2 commits"), "\(text.stderr)")

        let range = try run(["check", "--history", "\(removed)..HEAD", "--no-cache"], in: repo.url)
        #expect(range.status == 0, "\(range.stdout)\(range.stderr)")
        let bad = try run(["check", "--history", "no-such-branch..HEAD", "--no-cache"], in: repo.url)
        #expect(bad.status == 2, "\(bad.stdout)\(bad.stderr)")

        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let notRepo = try run(["check", "--history", "--no-cache"], in: outside)
        #expect(notRepo.status == 2, "\(notRepo.stdout)\(notRepo.stderr)")
    }
}
