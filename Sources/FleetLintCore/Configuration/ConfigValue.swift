import FleetLintSyntax
import TOMLKit

/// A configuration value decoded from TOML, with the line it was written on (when it could be found).
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])
    case other(String)

    public var typeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .other(let t): t
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var tableValue: [String: ConfigValue]? { if case .table(let t) = self { t } else { nil } }

    init(toml value: TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .int(value.int ?? 0)
        case .double: self = .double(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        case .array:
            self = .array((value.array.map { Array($0) } ?? []).map { ConfigValue(toml: $0) })
        case .table:
            var out: [String: ConfigValue] = [:]
            if let t = value.table { for key in t.keys { if let v = t[key] { out[key] = ConfigValue(toml: v) } } }
            self = .table(out)
        case .date: self = .other("a date")
        case .time: self = .other("a time")
        case .dateTime: self = .other("a date-time")
        }
    }
}

/// A configuration error: names the file, the line where possible, and what to change. Exits 2.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }

    /// The error for a configuration or rule file (`what`: "configuration file", "rule file") whose bytes are not
    /// valid UTF-8, at the first invalid byte, or nil when they are valid. Its line counts LF line breaks, as TOML,
    /// toml++ and the preflights (`TOMLPreflight`, `DeclarativeRulePreflight`) count them; its column is 1-based
    /// in code points, as the TOML errors' columns are (the line before the byte is valid UTF-8; a byte order mark
    /// at the start of the file is not counted, as toml++ and libyaml skip it).
    public static func invalidUTF8(file: String, bytes: [UInt8], what: String) -> ConfigurationError? {
        guard let bad = SourceText.firstInvalidUTF8Offset(bytes) else { return nil }
        var lineStart = SourceText.hasUTF8BOM(bytes) && bad >= 3 ? 3 : 0
        var line = 1
        for k in 0..<bad where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        let column = bytes[lineStart..<bad].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        let hex = String(bytes[bad], radix: 16, uppercase: true)
        return ConfigurationError(file: file, line: line, message:
            "the \(what) is not valid UTF-8 (byte 0x\(hex) at column \(column) is not part of a UTF-8 character); save the file as UTF-8")
    }
}

/// Parses TOML with TOMLKit and finds the lines of keys, which TOMLKit does not expose.
public struct TOMLDocument: Sendable {
    public let path: String
    public let root: [String: ConfigValue]
    private let lines: [Substring]

    public init(path: String, text: String) throws(ConfigurationError) {
        self.path = path
        self.lines = SourceText.lines(text)
        // Text that would make toml++ abort instead of throwing (see `TOMLPreflight`) is invalid TOML too.
        if let p = TOMLPreflight.check(text) {
            throw ConfigurationError(file: path, line: p.line, message: "invalid TOML: \(p.message) (column \(p.column))")
        }
        do {
            let table = try TOMLTable(string: text)
            var out: [String: ConfigValue] = [:]
            for key in table.keys { if let v = table[key] { out[key] = ConfigValue(toml: v) } }
            root = out
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                file: path, line: error.source.begin.line,
                message: "invalid TOML: \(error.description) (column \(error.source.begin.column))")
        } catch {
            throw ConfigurationError(file: path, message: "invalid TOML: \(error)")
        }
    }

    /// The value at a dotted key path, e.g. `["tool", "fleetlint"]`.
    public func value(at keyPath: [String]) -> ConfigValue? {
        var current: ConfigValue = .table(root)
        for key in keyPath {
            guard case .table(let t) = current, let next = t[key] else { return nil }
            current = next
        }
        return current
    }

    /// Best-effort line of `key` inside the table `tablePath` (e.g. `["tool","fleetlint"]`, `"select"`).
    /// Handles `[a.b]` headers, `[[a.b]]` array headers, dotted keys and quoted keys.
    public func line(of key: String, in tablePath: [String]) -> Int? { keyLines(in: tablePath)[key] }

    /// The line of every key of a table, in one pass over the file (asked key by key, a file of 3,000 keys was read
    /// 3,000 times: 12 s): the first line that names it, by a dotted key, a key under a sub-table's header, or a header
    /// of the key's own table or of one below it (`[tool.fleetlint.a.b]` names `a`).
    public func keyLines(in tablePath: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        var header: [String] = []
        func note(_ key: String, _ index: Int) { if out[key] == nil { out[key] = index + 1 } }
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let inner = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    .split(separator: "#").first.map(String.init) ?? ""
                header = TOMLDocument.splitDotted(inner.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")))
                if header.count > tablePath.count, header.starts(with: tablePath) { note(header[tablePath.count], index) }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let full = header + TOMLDocument.splitDotted(String(line[..<eq]))
            if full.count >= tablePath.count + 1, full.starts(with: tablePath) { note(full[tablePath.count], index) }
        }
        return out
    }

    /// The header line of a table.
    public func line(ofTable tablePath: [String]) -> Int? {
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("[") else { continue }
            let inner = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            if TOMLDocument.splitDotted(inner) == tablePath { return index + 1 }
        }
        return nil
    }

    static func splitDotted(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for ch in s {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "." {
                parts.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}

import Foundation
