import Foundation

/// The result of a whole run, remembered for the next run with the same settings over the same
/// contents: when every analysed file has the same blob id (known from git or the stat table, without
/// reading) and every other file the project rules read still hashes the same, the findings are the
/// same, so a warm run that changed nothing skips analysis, project rules and passes alike.
struct RunMemo: Codable {
    /// Hash of the settings fingerprint and every (path, kind, blob id) of the snapshot's entries.
    var key: String
    /// Files read by project rules that are not entries (compose files, `.dockerignore`, …) → blob id
    /// of their bytes ("-" when unreadable).
    var reads: [String: String]
    var findings: [Finding]
    var suppressions: [AppliedSuppression]
    var summary: LintSummary
    var analysed: Int

    static let fileName = "run.memo"
}

extension AnalysisCache {
    func loadMemo() -> RunMemo? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(RunMemo.fileName).path) else { return nil }
        return try? JSONDecoder().decode(RunMemo.self, from: data)
    }

    func saveMemo(_ memo: RunMemo) {
        guard let data = try? JSONEncoder().encode(memo) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        Self.atomicWrite([UInt8](data), to: directory.appendingPathComponent(RunMemo.fileName))
    }
}

/// Records which non-entry files the project read (for the run memo).
final class ReadLog: @unchecked Sendable {
    private var reads: [String: String] = [:]
    private let lock = NSLock()

    func record(_ path: String, _ bytes: [UInt8]?) {
        let id = bytes.map { BlobID.of($0).hex } ?? "-"
        lock.lock()
        reads[path] = id
        lock.unlock()
    }

    var snapshot: [String: String] {
        lock.lock()
        defer { lock.unlock() }
        return reads
    }
}
