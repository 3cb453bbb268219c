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
        // Counted by the key's bytes: the findings of an NFC and an NFD spelling of one path are numbered apart, as
        // the passes' occurrence index of their fingerprints is.
        var occurrences: [UTF8Key: Int] = [:]
        return findings.map { f in
            let code = codeHash(f, sourceLine: sourceLine)
            let scope = f.scope ?? ""
            let counter = UTF8Key("\(f.ruleID)\u{1F}\(f.path)\u{1F}\(scope)\u{1F}\(code)")
            let n = occurrences[counter, default: 0]
            occurrences[counter] = n + 1
            return BaselineEntry(rule: f.ruleID, path: f.path, scope: scope, code: code, occurrence: n)
        }
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

    public init(entries: [BaselineEntry]) { self.entries = entries.sorted() }

    public init(findings: [Finding], sourceLine: (Finding) -> String?) {
        self.init(entries: BaselineEntry.entries(for: findings, sourceLine: sourceLine))
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
        let doc: Document
        do { doc = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw .malformed(path, "\(error)".split(separator: "\n").first.map(String.init) ?? "invalid JSON")
        }
        guard doc.version == formatVersion else {
            throw .malformed(path, "format version \(doc.version) is not supported (this fleetlint reads \(formatVersion))")
        }
        return Baseline(entries: doc.entries)
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
