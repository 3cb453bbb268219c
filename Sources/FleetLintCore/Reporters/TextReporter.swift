import FleetLintSyntax
/// `path:line:col: severity[rule-id] message`, an indented `help:` line, the source line with a caret,
/// and a summary line. Colour only when asked (the CLI asks when stdout is a TTY).
public struct TextReporter: Reporter {
    public static let id = "text"
    public var color: Bool
    /// False for `--quiet`: findings only.
    public var showsSummary: Bool

    public init(color: Bool = false, showsSummary: Bool = true) {
        self.color = color
        self.showsSummary = showsSummary
    }

    private func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// Source lines longer than this many characters are shown as a window around the finding.
    public static let sourceWindow = 160

    /// The report in pieces of about 64 KiB, a finding's lines at a time.
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        var pieces = ReportPieces()
        var out = ""
        // The last line's scalars, shared by every finding on it (findings are sorted by path and line).
        var lastLine: (path: String, line: Int, scalars: [Unicode.Scalar])? = nil
        // A chunk of findings at a time: an encoded list (a warm run) decodes each chunk with one decoder, whose
        // metadata tables consecutive findings share (one by one, each finding was decoded alone, tables and all).
        report.findings.forEachChunk { fs in
            for k in fs.indices {
                let f = fs[k]
                let sevColor = f.severity == .error ? "31;1" : f.severity == .warning ? "33;1" : "36;1"
                out += paint("\(f.path.withoutControlCharacters):\(f.range.start.line):\(f.range.start.column)", "1") + ": "
                out += paint("\(f.severity.rawValue)[\(f.ruleID)]", sevColor) + " " + f.message.singleLine + "\n"
                if let line = f.sourceLine, f.showsSource {
                    let number = String(f.range.start.line)
                    // What is printed of the line, where its carets start, its scalars and the whole line's.
                    let shown: String, caretStart: Int, shownCount: Int, lineCount: Int
                    if line.utf8.count <= Self.sourceWindow, !line.anyUTF8({ $0 < 0x20 || $0 > 0x7E }) {
                        // Printable ASCII within the window (most code): a scalar is a byte, no tab to widen, nothing
                        // to cut; the line as it is, without the scalars' array and the strings made from it.
                        lineCount = line.utf8.count
                        (shown, shownCount) = (line, lineCount)
                        caretStart = min(max(f.range.start.column - 1, 0), lineCount)
                    } else {
                        if lastLine?.path != f.path || lastLine?.line != f.range.start.line {
                            lastLine = (f.path, f.range.start.line, Array(line.unicodeScalars))
                        }
                        let scalars = lastLine!.scalars
                        // A long line is shown as a window around the finding, so the report stays linear in the
                        // number of findings whatever the line's length.
                        let column = min(max(f.range.start.column - 1, 0), scalars.count)
                        var lo = 0, hi = scalars.count
                        if scalars.count > Self.sourceWindow {
                            lo = max(0, min(column - Self.sourceWindow / 3, scalars.count - Self.sourceWindow))
                            hi = lo + Self.sourceWindow
                        }
                        // The scalars' UTF-8 made into a string at once: appending scalars to a `String` was ~20,000
                        // instructions a line.
                        func text(_ range: Range<Int>) -> String {
                            var bytes: [UInt8] = []
                            bytes.reserveCapacity(range.count + 8)
                            for i in range {
                                let u = scalars[i]
                                if u.isASCII { bytes.append(UInt8(u.value)) } else { bytes.append(contentsOf: u.utf8) }
                            }
                            return String(decoding: bytes, as: UTF8.self)
                        }
                        lineCount = scalars.count
                        shown = (lo > 0 ? "…" : "") + text(lo..<hi).replacingTabs + (hi < scalars.count ? "…" : "")
                        shownCount = shown.unicodeScalars.count
                        caretStart = ((lo > 0 ? "…" : "") + text(lo..<max(lo, column)).replacingTabs).unicodeScalars.count
                    }
                    let width = f.range.end.line == f.range.start.line
                        ? max(1, f.range.end.column - f.range.start.column) : max(1, lineCount - f.range.start.column + 1)
                    out += "  "; out += number; out += " | "; out += shown; out += "\n  "
                    out += Self.repeated(" ", number.count); out += " | "; out += Self.repeated(" ", caretStart)
                    out += paint(Self.repeated("^", min(width, max(1, shownCount - caretStart))), sevColor); out += "\n"
                }
                if let help = f.help { out += "  " + paint("help:", "32;1") + " \(help.singleLine)\n" }
                for r in f.related {
                    out += "  note: \(r.path.withoutControlCharacters):\(r.range.start.line):\(r.range.start.column): \(r.note.singleLine)\n"
                }
                pieces.append(out)
                out.removeAll(keepingCapacity: true)
                pieces.offer(emit)
            }
        }
        if showsSummary {
            if !report.findings.isEmpty { out += "\n" + Self.statistics(report) }
            out += summaryLine(report) + "\n"
            out += Self.skippedLines(report.summary.unreadFiles)
        }
        pieces.append(out)
        pieces.flush(emit)
    }

    /// `n` times an ASCII character (`String(repeating:count:)` took ~4,700 instructions for a few spaces).
    private static func repeated(_ c: Unicode.Scalar, _ n: Int) -> String {
        String(unsafeUninitializedCapacity: n) { buffer in
            buffer.initialize(repeating: UInt8(c.value))
            return n
        }
    }

    /// Counts per rule and severity, worst first (`--statistics`, and the end of a text report):
    /// `   24  error    dependency-version-conflict`.
    public static func statistics(_ report: LintReport) -> String {
        let counts = report.ruleCounts
        let width = String(counts.map(\.count).max() ?? 0).count
        return counts.map { c in
            let n = String(c.count)
            let sev = c.severity.rawValue
            return String(repeating: " ", count: width - n.count + 2) + n + "  " + sev
                + String(repeating: " ", count: 9 - sev.count) + c.rule + "\n"
        }.joined()
    }

    /// How many skipped files the summary names before it only counts the rest.
    public static let skippedShown = 10

    /// The files the run listed but no rule read (`LintSummary.unreadFiles`), after the summary line: such a file must
    /// not pass for a clean one. Files skipped by design are only counted in the JSON and SARIF reports: every
    /// repository has some. The first `skippedShown` are named; the JSON report lists all.
    static func skippedLines(_ unread: [SkippedFile]) -> String {
        guard !unread.isEmpty else { return "" }
        let n = unread.count
        var out = "Skipped \(n) file\(n == 1 ? "" : "s") over the size limit, without analysing \(n == 1 ? "it" : "them"):\n"
        for f in unread.prefix(skippedShown) { out += "  \(f.path.withoutControlCharacters)\n" }
        if n > skippedShown { out += "  …and \(n - skippedShown) more (the JSON report lists every one)\n" }
        return out
    }

    func summaryLine(_ report: LintReport) -> String {
        let files = report.summary.files
        let fileWord = files == 1 ? "file" : "files"
        if report.findings.isEmpty { return "No findings in \(files) \(fileWord)." }
        let n = report.findings.count
        return "Found \(n) finding\(n == 1 ? "" : "s") (\(report.severityCounts)) in \(files) \(fileWord)."
    }
}

extension String {
    /// Messages are single-line in every format, and carry no control characters.
    var singleLine: String {
        var s = self
        // The bytes are searched first (a string without a CR or LF byte is returned as it is), then split by
        // scalars: a CRLF is one Character, neither "\n" nor "\r", so a split by Characters kept it (shown as ␍␊).
        if s.anyUTF8({ $0 == 0x0A || $0 == 0x0D }) {
            s = s.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { String(Substring($0)) }.joined(separator: " ")
        }
        return s.withoutControlCharacters
    }

    /// Whether a UTF-8 byte passes `test`, in order, through the string's contiguous storage when it has one
    /// (iterating `utf8` was ~10 instructions a byte).
    func anyUTF8(_ test: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? utf8.contains(where: test)
    }

    /// Tabs as four spaces (a tab byte first: Foundation's search is slow, see `singleLine`).
    var replacingTabs: String { (anyUTF8({ $0 == 0x09 }) && contains("\t") ? replacingOccurrences(of: "\t", with: "    ") : self).withoutControlCharacters }

    /// File content must not drive the terminal or a CI log: C0 controls (ESC, BEL, …) become their
    /// visible control pictures (␛, ␇), DEL ␡ and C1 controls U+FFFD. One scalar for one, so columns hold.
    public var withoutControlCharacters: String {
        // The UTF-8 bytes tell: a C0 control is its byte, DEL 0x7F, a C1 control C2 80...C2 9F.
        var afterC2 = false
        guard anyUTF8({ b in
            defer { afterC2 = b == 0xC2 }
            return b < 0x20 && b != 0x09 || b == 0x7F || afterC2 && b <= 0x9F
        }) else { return self }
        var out = String.UnicodeScalarView()
        for u in unicodeScalars {
            if u.value < 0x20 && u != "\t" { out.append(Unicode.Scalar(0x2400 + u.value)!) }
            else if u.value == 0x7F { out.append("\u{2421}") }
            else if (0x80...0x9F).contains(u.value) { out.append("\u{FFFD}") }
            else { out.append(u) }
        }
        return String(out)
    }
}

import Foundation
