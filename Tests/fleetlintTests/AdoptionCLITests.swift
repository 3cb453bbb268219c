import Foundation
import Testing
import TestSupport

/// `fleetlint adoption` through the binary: exit codes of the ratchet and floors, files written.
@Suite("fleetlint adoption executable", .serialized)
struct AdoptionCLITests {
    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ProcessRunner.fleetlint(args)
        return (r.status, r.stdout, r.stderr)
    }

    @Test("--no-regression exits 1 naming the file; --at, --history, --chart, --record; bad migrations exit 2")
    func ratchetAndFiles() throws {
        let repo = try TempGitRepo(name: "adoption-cli")
        try repo.write("svc/a.py", "from shared.http_pool import get_http_session\n\ndef f(u):\n    return get_http_session().get(u)\n")
        try repo.commitAll("pooled", date: "2024-05-01T10:00:00Z")
        try repo.write("svc/b.py", "import requests\n\ndef g(u):\n    return requests.get(u)\n")
        try repo.commitAll("legacy call", date: "2024-05-03T10:00:00Z")
        let cache = repo.url.appendingPathComponent(".fleetlint-cache").path

        let regressed = try run(["adoption", repo.path, "--cache-dir", cache, "--no-regression", "HEAD~1"])
        #expect(regressed.status == 1)
        #expect(regressed.stderr.contains("http-pool: percent fell from 100.0% to 50.0%"))
        #expect(regressed.stderr.contains("svc/b.py: 0 → 1 legacy sites"))

        let before = try run(["adoption", repo.path, "--cache-dir", cache, "--at", "HEAD~1", "--format", "json", "--fail-under", "http-pool=90"])
        #expect(before.status == 0)
        #expect(before.stdout.contains("\"percent\" : 100"))

        let floor = try run(["adoption", repo.path, "--cache-dir", cache, "--fail-under", "60"])
        #expect(floor.status == 1)
        #expect(floor.stderr.contains("http-pool: 50.0% is under the floor of 60.0%"))

        let svg = repo.url.appendingPathComponent("out.svg").path, record = repo.url.appendingPathComponent("out.jsonl").path
        let history = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--every", "day", "--format", "csv",
                               "--chart", svg, "--record", record])
        #expect(history.status == 0)
        #expect(history.stdout.split(separator: "\n").count == 1 + 3 * 3)  // header + 3 days × 3 migrations
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<polyline"))
        #expect(try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").count == 3)
        // A JSON history, written a point at a time: to stdout and to a file, the same document.
        let jsonFile = repo.url.appendingPathComponent("history.json").path
        let json = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--every", "day", "--format", "json"])
        let toFile = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--every", "day", "--format", "json", "-o", jsonFile])
        #expect(json.status == 0 && toFile.status == 0 && toFile.stdout.isEmpty)
        #expect(try String(contentsOfFile: jsonFile, encoding: .utf8) == json.stdout)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["points"] as? [[String: Any]])?.count == 3)
        #expect(document["root"] as? String == repo.path && document["version"] as? Int == 1)
        let unwritable = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--format", "json", "-o", repo.path + "/no/such/dir/h.json"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("cannot write"))

        try repo.write("pyproject.toml", "[tool.fleetlint]\n\n[[tool.fleetlint.migrations]]\nid = \"x\"\nlegacy = [\"a.b\"]\nadopted = [\"c d\"]\n")
        let bad = try run(["adoption", repo.path, "--cache-dir", cache])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("pyproject.toml:6:"))
    }

    @Test("--commits spacing, --html report, --include-tests counting test files with the rest, --depth of the breakdown")
    func historyOptions() throws {
        let repo = try TempGitRepo(name: "adoption-cli-options")
        try repo.write("svc/api/a.py", "import requests\n\ndef g(u):\n    return requests.get(u)\n")
        try repo.commitAll("legacy", date: "2024-05-01T10:00:00Z")
        try repo.write("svc/api/b.py", "from shared.http_pool import get_http_session\n\ndef f(u):\n    return get_http_session().get(u)\n")
        try repo.commitAll("pooled", date: "2024-05-02T10:00:00Z")
        try repo.write("tests/test_api.py", "import requests\n\ndef test_g():\n    requests.get('http://x')\n")
        try repo.commitAll("a test", date: "2024-05-03T10:00:00Z")
        let cache = repo.url.appendingPathComponent(".fleetlint-cache").path

        // Every commit a point; every other commit one.
        let every = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--commits", "1", "--format", "csv"])
        #expect(every.status == 0, "\(every.stderr)")
        #expect(every.stdout.split(separator: "\n").count == 1 + 3 * 3, "\(every.stdout)")
        let second = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--commits", "2", "--format", "csv"])
        #expect(second.stdout.split(separator: "\n").count == 1 + 2 * 3, "\(second.stdout)")

        let html = repo.url.appendingPathComponent("report.html").path
        let withHTML = try run(["adoption", repo.path, "--cache-dir", cache, "--history", "--every", "day", "--html", html])
        #expect(withHTML.status == 0, "\(withHTML.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") || page.hasPrefix("<!doctype html>"), "\(page.prefix(60))")
        #expect(page.contains("<svg") && page.contains("http-pool"))

        // Test files are counted apart unless asked for: with them, the legacy calls of http-pool are 2, not 1.
        func httpPool(_ extra: [String]) throws -> [String: Any] {
            let r = try run(["adoption", repo.path, "--cache-dir", cache, "--format", "json"] + extra)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            return try #require((object["migrations"] as? [String: Any])?["http-pool"] as? [String: Any])
        }
        #expect((try httpPool([])["legacy"] as? [String: Int])?["calls"] == 1)
        #expect((try httpPool(["--include-tests"])["legacy"] as? [String: Int])?["calls"] == 2)
        // --depth 1 breaks the figures down by top-level directory only.
        let shallow = try run(["adoption", repo.path, "--cache-dir", cache, "--depth", "1"])
        // (A directory row is the path and then spaces; the remaining files below the table are listed after a tab.)
        #expect(shallow.stdout.contains("  svc   ") && !shallow.stdout.contains("  svc/api "), "\(shallow.stdout)")
        let deep = try run(["adoption", repo.path, "--cache-dir", cache, "--depth", "2"])
        #expect(deep.stdout.contains("  svc/api "), "\(deep.stdout)")
    }
}
