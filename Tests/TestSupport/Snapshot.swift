import Foundation

/// Golden files: compares `actual` with the stored snapshot, or rewrites it when
/// `FLEETLINT_UPDATE_SNAPSHOTS=1`. Returns a failure description, or nil when they match.
public enum Snapshot {
    public static var isUpdating: Bool { ProcessInfo.processInfo.environment["FLEETLINT_UPDATE_SNAPSHOTS"] == "1" }

    public static func verify(_ actual: String, named name: String, in directory: URL = RepositoryPaths.snapshots) -> String? {
        let url = directory.appendingPathComponent(name)
        if isUpdating {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: url)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "snapshot \(name) is missing; run `FLEETLINT_UPDATE_SNAPSHOTS=1 swift test` and review it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end of file>"
            let al = i < a.count ? String(a[i]) : "<end of file>"
            if el != al { return "snapshot \(name) differs at line \(i + 1):\n  expected: \(el)\n  actual:   \(al)" }
        }
        return "snapshot \(name) differs"
    }
}
