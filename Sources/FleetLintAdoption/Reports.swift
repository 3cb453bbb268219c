import FleetLintCore
import Foundation

extension MigrationFigures {
    enum Keys: String, CodingKey {
        case id, description, legacy, adopted, mixedFiles, percent, filePercent, effectivePercent, effective, tests,
             vendored, directories, remaining
    }

    /// Percent fields are always present (`null` when there are no sites).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(description, forKey: .description)
        try c.encode(legacy, forKey: .legacy)
        try c.encode(adopted, forKey: .adopted)
        try c.encode(mixedFiles, forKey: .mixedFiles)
        try c.encode(percent, forKey: .percent)
        try c.encode(filePercent, forKey: .filePercent)
        try c.encode(effectivePercent, forKey: .effectivePercent)
        try c.encode(effective, forKey: .effective)
        try c.encode(tests, forKey: .tests)
        try c.encode(vendored, forKey: .vendored)
        try c.encode(directories, forKey: .directories)
        try c.encode(remaining, forKey: .remaining)
    }
}

extension DirectoryFigures {
    enum Keys: String, CodingKey { case path, legacy, adopted, percent }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(path, forKey: .path)
        try c.encode(legacy, forKey: .legacy)
        try c.encode(adopted, forKey: .adopted)
        try c.encode(percent, forKey: .percent)
    }
}

/// Output formats of `fleetlint adoption`.
public enum AdoptionFormat: String, CaseIterable, Sendable {
    case text, json, markdown, csv
}

/// The JSON contract: per migration id, legacy/adopted calls and files, percent, filePercent,
/// effectivePercent, directories[], remaining[]; a history is one record per point (commit, date).
public enum AdoptionJSON {
    struct Tool: Encodable {
        let name = "fleetlint"
        let version = FleetLintVersion.current
    }
    struct PointRecord: Encodable {
        let date: String?
        let commit: String?
        let commitDate: String?
        let migrations: [String: MigrationFigures]
        let vendoredCopies: [String: String]
        enum Keys: String, CodingKey { case date, commit, commitDate, migrations, vendoredCopies }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(date, forKey: .date)
            try c.encode(commit, forKey: .commit)
            try c.encode(commitDate, forKey: .commitDate)
            try c.encode(migrations, forKey: .migrations)
            try c.encode(vendoredCopies, forKey: .vendoredCopies)
        }
        init(_ p: AdoptionPoint) {
            date = p.date
            commit = p.commit
            commitDate = p.commitDate
            migrations = Dictionary(uniqueKeysWithValues: p.migrations.map { ($0.id, $0) })
            vendoredCopies = p.vendoredCopies
        }
    }
    struct Single: Encodable {
        let version = 1
        let tool = Tool()
        let root: String
        let date: String?
        let commit: String?
        let commitDate: String?
        let migrations: [String: MigrationFigures]
        let vendoredCopies: [String: String]
        enum Keys: String, CodingKey { case version, tool, root, date, commit, commitDate, migrations, vendoredCopies }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(version, forKey: .version)
            try c.encode(tool, forKey: .tool)
            try c.encode(root, forKey: .root)
            try c.encode(date, forKey: .date)
            try c.encode(commit, forKey: .commit)
            try c.encode(commitDate, forKey: .commitDate)
            try c.encode(migrations, forKey: .migrations)
            try c.encode(vendoredCopies, forKey: .vendoredCopies)
        }
    }
    struct History: Encodable {
        let version = 1
        let tool = Tool()
        let root: String
        let points: [PointRecord]
    }

    static func encode<T: Encodable>(_ value: T, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func render(_ point: AdoptionPoint, root: String) -> String {
        let p = PointRecord(point)
        return encode(Single(root: root, date: p.date, commit: p.commit, commitDate: p.commitDate, migrations: p.migrations, vendoredCopies: p.vendoredCopies), pretty: true) + "\n"
    }

    /// The document after its points: the top-level keys that sort after `points`.
    struct Tail: Encodable {
        let version = 1
        let tool = Tool()
        let root: String
        enum Keys: String, CodingKey { case version, tool, root }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(version, forKey: .version)
            try c.encode(tool, forKey: .tool)
            try c.encode(root, forKey: .root)
        }
    }

    public static func render(history: [AdoptionPoint], root: String) -> String {
        var out = ""
        render(history: history, root: root) { out += $0 }
        return out
    }

    /// The history document a point at a time, as `JSONEncoder` (sorted keys, pretty) writes `History` whole: a
    /// history of every commit of the real monorepo is ~400 MB of JSON, which encoded whole took 2.1 GB.
    public static func render(history: [AdoptionPoint], root: String, write: (String) -> Void) {
        guard !history.isEmpty else {
            write(encode(History(root: root, points: []), pretty: true) + "\n")
            return
        }
        write("{\n  \"points\" : [\n")
        // Each point encoded alone and indented one level (JSONEncoder takes ~4 ms for a point of the real monorepo):
        // a batch at a time on every core, written in order.
        func indented(_ point: AdoptionPoint) -> String {
            var text = ""
            for line in encode(PointRecord(point), pretty: true).split(separator: "\n", omittingEmptySubsequences: false) {
                if !text.isEmpty { text += "\n" }
                if !line.isEmpty { text += "    " + line }  // an empty array's blank line stays blank
            }
            return text
        }
        var start = 0
        while start < history.count {
            let batch = history[start..<min(start + 64, history.count)]
            var texts = [String](repeating: "", count: batch.count)
            texts.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: batch.count) { i in base[i] = indented(batch[batch.startIndex + i]) }
            }
            for (i, text) in texts.enumerated() { write(text + (start + i + 1 < history.count ? ",\n" : "\n")) }
            start += batch.count
        }
        // `{\n` and the tail's keys, one level deep already.
        write("  ],\n" + encode(Tail(root: root), pretty: true).dropFirst(2) + "\n")
    }

    /// One compact line per point (`--record`).
    public static func line(_ point: AdoptionPoint) -> String { encode(PointRecord(point), pretty: false) }
}

func show(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0) } ?? "–" }

/// Text, Markdown and CSV renderings.
public enum AdoptionText {
    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let count = s.count
        guard count < n else { return s }
        let fill = String(repeating: " ", count: n - count)
        return right ? fill + s : s + fill
    }

    static func table(_ header: [String], _ rows: [[String]], rightFrom: Int = 1) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { pad($0.element, widths[$0.offset], right: $0.offset >= rightFrom) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n")
    }

    static func summaryRow(_ f: MigrationFigures) -> [String] {
        [f.id, "\(f.legacy.calls) / \(f.legacy.files)", "\(f.adopted.calls) / \(f.adopted.files)", "\(f.mixedFiles)",
         show(f.percent), show(f.filePercent), show(f.effectivePercent) + " (\(f.effective.adoptedFiles)/\(f.effective.files), +\(f.effective.inheritedFiles) inherited)"]
    }

    static let summaryHeader = ["migration", "legacy calls/files", "adopted calls/files", "mixed", "calls", "files", "effective"]

    public static func render(_ point: AdoptionPoint, remainingLimit: Int = 20) -> String {
        var out = ""
        if let c = point.commit { out += "commit \(c.prefix(12)) (\(point.commitDate ?? ""))\n\n" }
        out += table(summaryHeader, point.migrations.map(summaryRow)) + "\n"
        if !point.vendoredCopies.isEmpty {
            // One per line, the first `remainingLimit` (a real monorepo has dozens, each path a long one: on one line
            // they were 7,000 characters).
            let copies = point.vendoredCopies.sorted { $0.key < $1.key }
            out += "\nvendored copies, counted apart (\(copies.count)):\n"
            for c in copies.prefix(remainingLimit) { out += "  \(c.key) (= \(c.value))\n" }
            if copies.count > remainingLimit { out += "  … and \(copies.count - remainingLimit) more (the JSON report lists every one)\n" }
        }
        for f in point.migrations {
            out += "\n\(f.id): \(f.description)\n"
            if f.tests.legacy.calls + f.tests.adopted.calls > 0 {
                out += "  tests (apart): \(f.tests.legacy.calls) legacy, \(f.tests.adopted.calls) adopted calls\n"
            }
            if f.vendored.legacy.calls + f.vendored.adopted.calls > 0 {
                out += "  vendored copies (apart): \(f.vendored.legacy.calls) legacy, \(f.vendored.adopted.calls) adopted calls\n"
            }
            if !f.directories.isEmpty {
                let rows = f.directories.map { d in
                    [d.path, "\(d.legacy.calls) / \(d.legacy.files)", "\(d.adopted.calls) / \(d.adopted.files)", show(d.percent)]
                }
                out += table(["directory", "legacy", "adopted", "percent"], rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            if !f.remaining.isEmpty {
                out += "  remaining (\(f.remaining.count) files):\n"
                for r in f.remaining.prefix(remainingLimit) { out += "    \(r.legacy)\t\(r.path)\n" }
                if f.remaining.count > remainingLimit { out += "    … and \(f.remaining.count - remainingLimit) more\n" }
            }
        }
        return out
    }

    public static func render(history: [AdoptionPoint]) -> String {
        guard let first = history.first else { return "no points\n" }
        let ids = first.migrations.map(\.id)
        var rows: [[String]] = []
        for p in history {
            var row = [p.date ?? "", String((p.commit ?? "").prefix(10))]
            for id in ids {
                let f = p.figures(id)
                row.append("\(show(f?.percent)) (\(f?.legacy.calls ?? 0)→\(f?.adopted.calls ?? 0))")
            }
            rows.append(row)
        }
        return table(["date", "commit"] + ids.map { "\($0) (legacy→adopted)" }, rows, rightFrom: 2) + "\n"
    }

    static func md(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    /// Shaped like a hand-kept tracking document: summary, per-directory table, checklist of files.
    public static func markdown(_ point: AdoptionPoint) -> String {
        var out = "# Migration status\n\n"
        if let c = point.commit { out += "At commit `\(c.prefix(12))` (\(point.commitDate ?? "")).\n\n" }
        out += "| Migration | Legacy calls | Legacy files | Adopted calls | Adopted files | Mixed | Calls | Files | Effective |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for f in point.migrations {
            out += "| `\(f.id)` | \(f.legacy.calls) | \(f.legacy.files) | \(f.adopted.calls) | \(f.adopted.files) | \(f.mixedFiles) | \(show(f.percent)) | \(show(f.filePercent)) | \(show(f.effectivePercent)) (\(f.effective.adoptedFiles)/\(f.effective.files)) |\n"
        }
        for f in point.migrations {
            out += "\n## \(md(f.id)) — \(md(f.description))\n\n"
            out += "\(f.adopted.files - f.mixedFiles) files migrated of \(f.legacy.files + f.adopted.files - f.mixedFiles) = \(show(f.filePercent))"
                + (f.mixedFiles > 0 ? " (\(f.mixedFiles) more mix both forms)" : "") + "; "
            out += "\(f.effective.adoptedFiles) of \(f.effective.files) effective via inheritance (\(f.effective.inheritedFiles) credited) = \(show(f.effectivePercent)).\n"
            if f.tests.legacy.calls + f.tests.adopted.calls > 0 {
                out += "Tests, counted apart: \(f.tests.legacy.calls) legacy and \(f.tests.adopted.calls) adopted calls.\n"
            }
            if f.vendored.legacy.calls + f.vendored.adopted.calls > 0 {
                out += "Vendored copies, counted apart: \(f.vendored.legacy.calls) legacy and \(f.vendored.adopted.calls) adopted calls.\n"
            }
            if !f.directories.isEmpty {
                out += "\n| Directory | Legacy calls | Adopted calls | Percent |\n|---|---:|---:|---:|\n"
                for d in f.directories { out += "| `\(md(d.path))` | \(d.legacy.calls) | \(d.adopted.calls) | \(show(d.percent)) |\n" }
            }
            if !f.remaining.isEmpty {
                out += "\n### Remaining (\(f.remaining.count) files)\n\n"
                for r in f.remaining { out += "- [ ] `\(md(r.path))` — \(r.legacy) legacy\(r.adopted > 0 ? ", \(r.adopted) adopted" : "")\n" }
            }
        }
        return out
    }

    public static func markdown(history: [AdoptionPoint]) -> String {
        guard let last = history.last else { return "# Migration status\n\nNo points.\n" }
        let ids = last.migrations.map(\.id)
        var out = "# Migration history\n\n| Date | Commit | " + ids.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
        out += "|---|---|" + ids.map { _ in "---:|" }.joined() + "\n"
        for p in history {
            out += "| \(p.date ?? "") | `\((p.commit ?? "").prefix(10))` | " + ids.map { show(p.figures($0)?.percent) }.joined(separator: " | ") + " |\n"
        }
        return out + "\n" + markdown(last).replacingOccurrences(of: "# Migration status\n\n", with: "## Latest point\n\n")
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    public static func csv(_ points: [AdoptionPoint]) -> String {
        var out = "date,commit,migration,legacy_calls,legacy_files,adopted_calls,adopted_files,mixed_files,percent,file_percent,effective_percent,effective_files,effective_adopted_files\n"
        func num(_ d: Double?) -> String { d.map { String(format: "%.1f", $0) } ?? "" }
        for p in points {
            for f in p.migrations {
                out += [p.date ?? "", p.commit ?? "", f.id, "\(f.legacy.calls)", "\(f.legacy.files)", "\(f.adopted.calls)",
                        "\(f.adopted.files)", "\(f.mixedFiles)", num(f.percent), num(f.filePercent), num(f.effectivePercent),
                        "\(f.effective.files)", "\(f.effective.adoptedFiles)"].map(csvField).joined(separator: ",") + "\n"
            }
        }
        return out
    }
}

/// `--no-regression` and `--fail-under`.
public enum Ratchet {
    public struct Regression: Sendable, Equatable {
        public var migration: String
        public var message: String
        /// Files whose legacy sites grew, with (before, after).
        public var files: [(path: String, before: Int, after: Int)]
        public static func == (a: Regression, b: Regression) -> Bool {
            a.migration == b.migration && a.message == b.message && a.files.map(\.path) == b.files.map(\.path)
        }
    }

    /// Migrations whose percent fell or whose legacy count rose from `base` to `current`.
    public static func regressions(base: AdoptionPoint, current: AdoptionPoint) -> [Regression] {
        var out: [Regression] = []
        for now in current.migrations {
            guard let before = base.figures(now.id) else { continue }
            var reasons: [String] = []
            if let a = before.percent, let b = now.percent, b < a { reasons.append("percent fell from \(show(a)) to \(show(b))") }
            if now.legacy.calls > before.legacy.calls {
                reasons.append("legacy call sites rose from \(before.legacy.calls) to \(now.legacy.calls)")
            }
            guard !reasons.isEmpty else { continue }
            let old = Dictionary(before.remaining.map { ($0.path, $0.legacy) }, uniquingKeysWith: +)
            let files = now.remaining.compactMap { r -> (path: String, before: Int, after: Int)? in
                let b = old[r.path] ?? 0
                return r.legacy > b ? (r.path, b, r.legacy) : nil
            }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            out.append(Regression(migration: now.id, message: reasons.joined(separator: "; "), files: files))
        }
        return out
    }

    /// `--fail-under`: `PCT` for every migration or `ID=PCT` for one; returns the failures.
    public static func floors(_ specs: [String], point: AdoptionPoint) throws(ConfigurationError) -> [String] {
        var global: Double?
        var per: [String: Double] = [:]
        for spec in specs {
            if let eq = spec.firstIndex(of: "=") {
                let id = String(spec[..<eq])
                guard let v = Double(spec[spec.index(after: eq)...]), (0...100).contains(v) else {
                    throw ConfigurationError(file: "--fail-under", message: "`\(spec)`: expected ID=PERCENT with a percent from 0 to 100")
                }
                guard point.figures(id) != nil else {
                    throw ConfigurationError(file: "--fail-under", message: "unknown migration `\(id)`; known: \(point.migrations.map(\.id).joined(separator: ", "))")
                }
                per[id] = v
            } else {
                guard let v = Double(spec), (0...100).contains(v) else {
                    throw ConfigurationError(file: "--fail-under", message: "`\(spec)`: expected a percent from 0 to 100, or ID=PERCENT")
                }
                global = v
            }
        }
        var failures: [String] = []
        for f in point.migrations {
            guard let floor = per[f.id] ?? global, let p = f.percent else { continue }
            if p < floor { failures.append("\(f.id): \(show(p)) is under the floor of \(show(floor))") }
        }
        return failures
    }
}
