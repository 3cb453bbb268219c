import Foundation

/// One accepted finding of a baseline: which rule, in which file, in which scope, on which code, and
/// which occurrence of that code in that scope. Never a line number, so inserting lines above a
/// finding keeps it matched.
public struct BaselineEntry: Hashable, Sendable, Codable, Comparable {
    public var rule: String
    /// Repository-relative path when the baseline was written (renames are followed by content).
    public var path: String
    /// Qualified name of the enclosing Python function/class, or "" for the file.
    public var scope: String
    /// 16 hex digits: FNV-1a of the finding's code with whitespace normalised (for findings that may
    /// show a secret: of the rule's anchor, itself a hash — the secret never reaches the baseline).
    public var code: String
    /// 0 for the first finding of this rule on this code in this scope, 1 for the second, …
    public var occurrence: Int

    /// Equal when every field is, the path by its bytes (as `<` orders it).
    public static func == (a: BaselineEntry, b: BaselineEntry) -> Bool {
        a.rule == b.rule && a.path.utf8Equals(b.path) && a.scope == b.scope && a.code == b.code && a.occurrence == b.occurrence
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule); hasher.combine(UTF8Key(path)); hasher.combine(scope); hasher.combine(code); hasher.combine(occurrence)
    }

    public init(rule: String, path: String, scope: String, code: String, occurrence: Int) {
        self.rule = rule
        self.path = path
        self.scope = scope
        self.code = code
        self.occurrence = occurrence
    }

    public static func < (a: BaselineEntry, b: BaselineEntry) -> Bool {
        // Paths by their bytes: an NFC and an NFD spelling of one name are two files, and two entries (equal Strings
        // otherwise) whose order the sort would leave to chance.
        if !a.path.utf8Equals(b.path) { return a.path.utf8Precedes(b.path) }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.scope != b.scope { return a.scope < b.scope }
        if a.code != b.code { return a.code < b.code }
        return a.occurrence < b.occurrence
    }

    /// The key without the path, for following a renamed file.
    var contentKey: String { "\(rule)\u{1F}\(scope)\u{1F}\(code)\u{1F}\(occurrence)" }
    var key: String { "\(path)\u{1F}" + contentKey }

    /// The entries of these findings, in their order. `sourceLine` gives a finding's code (its source
    /// line(s)); it is asked only for findings whose source may be shown.
    public static func entries(for findings: [Finding], sourceLine: (Finding) -> String?) -> [BaselineEntry] {
        numbered(findings, codes: findings.map { codeHash($0, sourceLine: sourceLine) })
    }

    /// The entries of findings whose code hashes are `codes`: each numbered among the findings before it with the same
    /// rule, path, scope and code.
    private static func numbered(_ findings: [Finding], codes: [String]) -> [BaselineEntry] {
        // Counted by the key's bytes: the findings of an NFC and an NFD spelling of one path are numbered apart, as
        // the passes' occurrence index of their fingerprints is.
        var occurrences: [UTF8Key: Int] = [:]
        return findings.indices.map { i in
            let f = findings[i]
            let scope = f.scope ?? ""
            let counter = UTF8Key("\(f.ruleID)\u{1F}\(f.path)\u{1F}\(scope)\u{1F}\(codes[i])")
            let n = occurrences[counter, default: 0]
            occurrences[counter] = n + 1
            return BaselineEntry(rule: f.ruleID, path: f.path, scope: scope, code: codes[i], occurrence: n)
        }
    }

    /// The entries of these findings, in their order, their code read from each file's bytes (`fileBytes(path)`, asked
    /// at most once per run of a file's findings, from any thread): what `entries(for:sourceLine:)` gives with
    /// `code(of:in:)` for `sourceLine`, the code hashes computed on every core. On the 16x synthetic tree (90,314
    /// findings) a `check --baseline` spent ~1.2 s of its 2.6 s making a `String` of every line of every file with a
    /// finding, one file after another.
    public static func entries(for findings: [Finding], fileBytes: @Sendable (String) -> [UInt8]?) -> [BaselineEntry] {
        // Runs of one file's findings (the report is sorted by path), a few dozen runs per task.
        var runs: [Range<Int>] = []
        var start = 0
        for i in findings.indices.dropFirst() where !findings[i].path.utf8Equals(findings[i - 1].path) {
            runs.append(start..<i)
            start = i
        }
        if !findings.isEmpty { runs.append(start..<findings.count) }
        let perTask = 32
        var codes = [String](repeating: "", count: findings.count)
        codes.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: (runs.count + perTask - 1) / perTask) { task in
                for run in runs[(task * perTask)..<min(runs.count, (task + 1) * perTask)] {
                    var lines: SourceLines?
                    for i in run {
                        base[i] = codeHash(findings[i]) { f in
                            guard f.range.start.line >= 1 else { return nil }
                            // A file that cannot be read has one empty line (what the lines of no bytes always were).
                            if lines == nil { lines = SourceLines(fileBytes(f.path) ?? []) }
                            return code(of: f, in: lines!)
                        }
                    }
                }
            }
        }
        return numbered(findings, codes: codes)
    }

    /// A file's bytes with the start of each line (`\n`-separated, the last line possibly empty). Not `LineStarts`: a
    /// lone `\r` never ended a line of a baseline key, and keys must not change.
    public struct SourceLines: Sendable {
        let bytes: [UInt8]
        let starts: [Int]

        public init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts = [0]
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
            self.starts = starts
        }

        var count: Int { starts.count }

        /// Line `n` (1-based) without its line break (a `\r` before the `\n` dropped too).
        func line(_ n: Int) -> String {
            let from = starts[n - 1]
            var to = n < starts.count ? starts[n] - 1 : bytes.count
            if to > from && bytes[to - 1] == UInt8(ascii: "\r") { to -= 1 }
            return String(decoding: bytes[from..<to], as: UTF8.self)
        }
    }

    /// A finding's code for its key: its lines (from its start line to its end line, at most 10), joined by `\n`;
    /// nil when its start line is not in the file.
    public static func code(of f: Finding, in lines: SourceLines) -> String? {
        guard f.range.start.line >= 1, f.range.start.line <= lines.count else { return nil }
        let last = min(max(f.range.end.line, f.range.start.line), f.range.start.line + 9, lines.count)
        return (f.range.start.line...last).map(lines.line).joined(separator: "\n")
    }

    static func codeHash(_ f: Finding, sourceLine: (Finding) -> String?) -> String {
        let text: String
        if !f.showsSource {
            // The line may hold a secret: use the rule's anchor (secret rules set a hash of the secret).
            text = "anchor:" + (f.anchor ?? f.message)
        } else if let line = sourceLine(f) {
            text = normalised(line)
        } else {
            text = "anchor:" + (f.anchor ?? f.message)
        }
        return StableHash.hex16(StableHash.fnv1a64(text.utf8))
    }

    /// Runs of whitespace become one space; leading and trailing whitespace go.
    static func normalised(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
            .joined(separator: " ")
    }
}

/// A baseline file (`.fleetlint-baseline.json`): sorted entries, one per line, no timestamps or
/// commits, so parallel branches that each fix or accept findings merge line by line.
public struct Baseline: Sendable, Equatable {
    public static let defaultPath = ".fleetlint-baseline.json"
    public static let formatVersion = 1
    public var entries: [BaselineEntry]

    public init(entries: [BaselineEntry]) {
        // A baseline file is written sorted: checked in one pass, sorted only when it is not.
        self.entries = entries.indices.dropFirst().allSatisfy { !(entries[$0] < entries[$0 - 1]) } ? entries : entries.sorted()
    }

    public init(findings: [Finding], sourceLine: (Finding) -> String?) {
        self.init(entries: BaselineEntry.entries(for: findings, sourceLine: sourceLine))
    }

    public init(findings: [Finding], fileBytes: @Sendable (String) -> [UInt8]?) {
        self.init(entries: BaselineEntry.entries(for: findings, fileBytes: fileBytes))
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String, String)
        case malformed(String, String)
        public var description: String {
            switch self {
            case .unreadable(let path, let why): "cannot read baseline \(path): \(why)"
            case .malformed(let path, let why): "\(path) is not a fleetlint baseline: \(why)"
            }
        }
    }

    private struct Document: Codable {
        var version: Int
        var entries: [BaselineEntry]
        enum CodingKeys: String, CodingKey { case version = "fleetlint-baseline", entries }
    }

    public static func load(_ path: String) throws(LoadError) -> Baseline {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path, (error as NSError).localizedDescription)
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws(LoadError) -> Baseline {
        if let entries = parseWritten(Array(data)) { return Baseline(entries: entries) }
        let doc: Document
        do { doc = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw .malformed(path, "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid JSON")
        }
        guard doc.version == formatVersion else {
            throw .malformed(path, "format version \(doc.version) is not supported (this fleetlint reads \(formatVersion))")
        }
        return Baseline(entries: doc.entries)
    }

    /// The entries of a file exactly as `serialized()` writes it (version 1, no escape in any string, valid UTF-8); nil
    /// for anything else, which `JSONDecoder` then reads (and names what is wrong). `JSONDecoder` took 0.4 s for the
    /// 90,314 entries of the 16x synthetic tree's baseline, a third of a `check --baseline` from the cache.
    static func parseWritten(_ b: [UInt8]) -> [BaselineEntry]? {
        var i = 0
        func take(_ literal: StaticString) -> Bool {
            let n = literal.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            let matches = literal.withUTF8Buffer { lit in (0..<n).allSatisfy { b[i + $0] == lit[$0] } }
            if matches { i += n }
            return matches
        }
        func string() -> String? {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
            var j = i + 1
            while j < b.count, b[j] != UInt8(ascii: "\""), b[j] != UInt8(ascii: "\\"), b[j] >= 0x20 { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: "\"") else { return nil }  // an escape, a control byte, or the end
            defer { i = j + 1 }
            return b.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[(i + 1)..<j]), as: UTF8.self) }
        }
        func integer() -> Int? {
            var n = 0, digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39, digits < 18 {
                n = n * 10 + Int(b[i] - 0x30)
                i += 1
                digits += 1
            }
            return digits > 0 && (i >= b.count || b[i] < 0x30 || b[i] > 0x39) ? n : nil
        }
        guard take("{\n  \"fleetlint-baseline\": 1,\n  \"entries\": [") else { return nil }
        var entries: [BaselineEntry] = []
        if take("]\n}\n") { return i == b.count ? entries : nil }
        while true {
            guard take("\n    {\"rule\": "), let rule = string(), take(", \"path\": "), let path = string(),
                  take(", \"scope\": "), let scope = string(), take(", \"code\": "), let code = string(),
                  take(", \"occurrence\": "), let occurrence = integer(), take("}")
            else { return nil }
            entries.append(BaselineEntry(rule: rule, path: path, scope: scope, code: code, occurrence: occurrence))
            if take(",") { continue }
            return take("\n  ]\n}\n") && i == b.count ? entries : nil
        }
    }

    /// Pretty JSON with one entry per line, sorted; byte-identical for the same entries.
    public func serialized() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let quoted = { (s: String) in (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\"" }
        var out = "{\n  \"fleetlint-baseline\": \(Self.formatVersion),\n  \"entries\": ["
        for (i, e) in entries.enumerated() {
            // Keys in reading order (rule, path, scope, code, occurrence), one entry per line.
            let line = "{\"rule\": \(quoted(e.rule)), \"path\": \(quoted(e.path)), \"scope\": \(quoted(e.scope)), "
                + "\"code\": \(quoted(e.code)), \"occurrence\": \(e.occurrence)}"
            out += (i == 0 ? "\n    " : ",\n    ") + line
        }
        out += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}
