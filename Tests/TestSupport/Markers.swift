import FleetLintCore
import FleetLintSyntax

/// A file of an example with its `↓` markers removed.
public struct MarkedFile: Sendable {
    public let path: String
    public let contents: String
    /// Where each marker stood (1-based line/column in Unicode scalars, after removal).
    public let markers: [SourceLocation]
}

public enum Markers {
    /// Strips `↓` from every file of an example and records where they were.
    public static func strip(_ example: Example) -> [MarkedFile] {
        example.files.map { file in
            var out = String.UnicodeScalarView()
            var markers: [SourceLocation] = []
            var line = 1, column = 1
            var previousCR = false
            for u in file.contents.unicodeScalars {
                if u == "↓" {
                    markers.append(SourceLocation(line: line, column: column))
                    continue
                }
                out.append(u)
                if u == "\n" {
                    if !previousCR { line += 1 }
                    column = 1
                } else if u == "\r" {
                    line += 1; column = 1
                } else {
                    column += 1
                }
                previousCR = u == "\r"
            }
            return MarkedFile(path: file.path, contents: String(out), markers: markers)
        }
    }

    /// The example with a standalone `# fleetlint: ignore[id]` line inserted above each marked line.
    public static func suppressed(_ files: [MarkedFile], ruleID: String) -> [(path: String, contents: String)] {
        files.map { file in
            let marked = Set(file.markers.map(\.line))
            guard !marked.isEmpty else { return (file.path, file.contents) }
            var lines = file.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for n in marked.sorted(by: >) where n - 1 < lines.count {
                let indent = String(lines[n - 1].prefix { $0 == " " || $0 == "\t" })
                lines.insert("\(indent)# fleetlint: ignore[\(ruleID)]", at: n - 1)
            }
            return (file.path, lines.joined(separator: "\n"))
        }
    }
}
