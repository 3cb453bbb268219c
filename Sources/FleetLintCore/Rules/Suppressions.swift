import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FleetLintSyntax

/// One `# fleetlint: ignore[...]` or `# fleetlint: ignore-file[...]` comment.
public struct SuppressionComment: Hashable, Sendable, Codable {
    public enum Scope: String, Hashable, Sendable, Codable { case line, file }
    public var scope: Scope
    /// Rule ids named in the brackets; empty for a bare `ignore` (which is itself a finding).
    public var ruleIDs: [String]
    /// Free text after the closing bracket, e.g. `-- test credential`.
    public var reason: String?
    /// The line the comment is on.
    public var line: Int
    /// The range of the `fleetlint: …` directive.
    public var range: SourceRange
    /// True when nothing but the comment is on its line; it then applies to the next line.
    public var isStandalone: Bool
    /// Whether the brackets were malformed (unterminated).
    public var isMalformed: Bool
}

/// Finds suppression comments in any `#`-comment format (Python, requirements, Dockerfile, TOML,
/// YAML, `.env`). The directive must follow a `#` on the same line.
public enum SuppressionParser {
    private static let needle = Array("fleetlint:".utf8)

    /// `needle` through Vectorscan: anchored on its rarest byte, `:`, a `memchr` search stopped at every colon of a
    /// Python file (~8,500 instructions a file on the large real tree).
    private static let gate = KeywordGate(words: [needle])

    /// A cheap check before `parse` (which needs the file's line index).
    public static func mayContainDirective(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { gate.occurs(in: $0) }
    }

    public static func parse(_ bytes: [UInt8], lineIndex: LineIndex) -> [SuppressionComment] {
        bytes.withUnsafeBufferPointer { buf in
            var out: [SuppressionComment] = []
            var searchFrom = 0
            while let hit = ByteSearch.find(needle, in: buf, from: searchFrom) {
                searchFrom = hit + needle.count
                // Walk back over spaces to a `#`.
                var j = hit - 1
                while j >= 0, buf[j] == 0x20 || buf[j] == 0x09 { j -= 1 }
                guard j >= 0, buf[j] == UInt8(ascii: "#") else { continue }
                let line = lineIndex.line(ofByteOffset: hit)
                let lineRange = lineIndex.byteRange(ofLine: line, in: buf)
                var k = lineRange.lowerBound
                while k < j, buf[k] == 0x20 || buf[k] == 0x09 { k += 1 }
                let standalone = k == j
                var i = hit + needle.count
                while i < lineRange.upperBound, buf[i] == 0x20 { i += 1 }
                // The next directive on the line (its `#`) ends this one's text: read to the end of the line instead,
                // a line of thousands of directives was read once per directive (5,000 of them: 19 s, 513 MB).
                var textEnd = lineRange.upperBound
                var from = searchFrom
                while from < lineRange.upperBound,
                      let next = ByteSearch.find(needle, in: UnsafeBufferPointer(rebasing: buf[..<lineRange.upperBound]), from: from) {
                    var p = next - 1
                    while p >= i, buf[p] == 0x20 || buf[p] == 0x09 { p -= 1 }
                    if p >= i, buf[p] == UInt8(ascii: "#") { textEnd = p; break }
                    from = next + needle.count
                }
                let rest = String(decoding: UnsafeBufferPointer(rebasing: buf[i..<textEnd]), as: UTF8.self)
                let scope: SuppressionComment.Scope
                var afterKeyword: Substring
                if rest.hasPrefix("ignore-file") {
                    scope = .file; afterKeyword = rest.dropFirst("ignore-file".count)
                } else if rest.hasPrefix("ignore") {
                    scope = .line; afterKeyword = rest.dropFirst("ignore".count)
                } else {
                    continue
                }
                var ids: [String] = []
                var malformed = false
                var reason: Substring = afterKeyword
                if afterKeyword.first == "[" {
                    if let close = afterKeyword.firstIndex(of: "]") {
                        ids = afterKeyword[afterKeyword.index(after: afterKeyword.startIndex)..<close]
                            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                            .filter { !$0.isEmpty }
                        reason = afterKeyword[afterKeyword.index(after: close)...]
                    } else {
                        malformed = true
                        reason = ""
                    }
                } else if let first = afterKeyword.first, first != " ", first != "\t" {
                    continue  // e.g. `fleetlint: ignored` is prose, not a directive
                }
                var trimmed = reason.trimmingCharacters(in: .whitespaces)
                for prefix in ["--", "—", ":", "-"] where trimmed.hasPrefix(prefix) {
                    trimmed = String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
                    break
                }
                let start = lineIndex.location(ofByteOffset: j, in: buf)
                let end = lineIndex.location(ofByteOffset: lineRange.upperBound, in: buf)
                out.append(SuppressionComment(
                    scope: scope, ruleIDs: ids, reason: trimmed.isEmpty ? nil : trimmed, line: line,
                    range: SourceRange(start: start, end: end), isStandalone: standalone, isMalformed: malformed))
            }
            return out
        }
    }
}

/// Applies the suppression comments of one file to its findings, and records which were used.
public struct SuppressionSet: Sendable {
    public let comments: [SuppressionComment]
    /// Line → rule id → the first line-scoped comment (in comment order) that covers the line and names the rule;
    /// file-scoped comments apart.
    private let byLine: [Int: [String: Int]]
    private let fileScoped: [Int]
    public private(set) var used: [Bool]
    /// Reasons of the suppressions applied, for the JSON report.
    public private(set) var applied: [(comment: Int, finding: Finding)] = []

    /// `continuesOnNextLine(n)`: line `n` ends with a `\` continuation (Dockerfile, requirements,
    /// shell), so a directive above it covers the whole logical line.
    public init(comments: [SuppressionComment], continuesOnNextLine: (Int) -> Bool = { _ in false }) {
        self.comments = comments
        // A comment alone on its line covers itself and the next line that is not another standalone
        // directive (so stacked directives all apply to the code below them). That line, for each directive
        // line, from the last up (a stack of thousands of directives skipped the rest of the stack once each).
        let directiveLines = Set(comments.filter { $0.isStandalone }.map(\.line))
        var codeAfter: [Int: Int] = [:]
        codeAfter.reserveCapacity(directiveLines.count)
        for line in directiveLines.sorted(by: >) {
            codeAfter[line] = directiveLines.contains(line + 1) ? codeAfter[line + 1]! : line + 1
        }
        var byLine: [Int: [String: Int]] = [:]
        var fileScoped: [Int] = []
        for (i, c) in comments.enumerated() {
            if c.scope == .file {
                if c.line <= 20 { fileScoped.append(i) }
                continue
            }
            func cover(_ line: Int) {
                for rule in c.ruleIDs where byLine[line]?[rule] == nil { byLine[line, default: [:]][rule] = i }
            }
            if c.isStandalone {
                cover(c.line)
                let next = codeAfter[c.line]!
                cover(next)
                var last = next
                while continuesOnNextLine(last) && last - next < 500 {
                    last += 1
                    cover(last)
                }
            } else {
                cover(c.line)
            }
        }
        self.byLine = byLine
        self.fileScoped = fileScoped
        self.used = Array(repeating: false, count: comments.count)
    }

    /// Whether `finding` is silenced; marks the matching comment used.
    /// Constant work per finding (comments are indexed by the lines they cover and the rules they name), so a
    /// file with many suppressed findings stays linear.
    public mutating func suppresses(_ finding: Finding) -> Bool {
        // Comment order decides which comment is credited, as before: the first that matches.
        var best = byLine[finding.range.start.line]?[finding.ruleID]
        for i in fileScoped where comments[i].ruleIDs.contains(finding.ruleID) {
            if best == nil || i < best! { best = i }
            break
        }
        guard let i = best else { return false }
        used[i] = true
        applied.append((i, finding))
        return true
    }
}
