import FleetLintSyntax
import CLibXML2
import Foundation

/// JUnit XML for CI test-report widgets, valid against the Jenkins xUnit `junit-10.xsd`, written with
/// libxml2's `xmlTextWriter` (see `reference/ci-formats.md` §4).
///
/// One `<testsuite>` per file with findings and one `<testcase>` per finding. `classname` is the path
/// without its extension (Jenkins splits class names at the last dot); `name` is `rule-id: message`,
/// made unique within the report, with no line numbers so GitLab can track a finding across commits.
/// A clean run has one passing test case.
///
/// `failOn` (the `--fail-on` threshold) decides what fails: a finding below it is a *passing* test case
/// that carries the finding as `<system-out>`, so the report agrees with the exit code and the finding
/// stays visible in test widgets (GitLab, Jenkins) without failing them.
public struct JUnitReporter: Reporter {
    public static let id = "junit"
    public var failOn: Severity
    public init(failOn: Severity = .info) { self.failOn = failOn }

    /// The document as libxml2 writes it, handed on in pieces of about 64 KiB: the text writer writes through an
    /// output buffer whose write callback gathers the bytes (libxml2 hands them over a few KiB at a time), and a
    /// piece goes to `emit` after each test case that fills one. `xmlNewTextWriterMemory` is this same output
    /// buffer with a callback into one `xmlBuffer`, so the bytes (escaping, encoding, indentation) are those it
    /// gave; the whole document in that buffer, then as a `String`, then as bytes, was ~2x the analysis' memory.
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        let sink = Sink()
        withExtendedLifetime(sink) {
            let context = Unmanaged.passUnretained(sink).toOpaque()
            guard let output = xmlOutputBufferCreateIO(Self.write, nil, context, nil) else { return }
            guard let writer = xmlNewTextWriter(output) else {
                xmlOutputBufferClose(output)
                return
            }
            write(report, to: writer) {
                guard sink.bytes.count >= ReportPieces.size else { return }
                emit(sink.bytes)
                sink.bytes.removeAll(keepingCapacity: true)
            }
            xmlTextWriterEndDocument(writer)
            // Closes the output buffer, which hands over what it still holds.
            xmlFreeTextWriter(writer)
            if !sink.bytes.isEmpty { emit(sink.bytes) }
        }
    }

    /// The same document through `xmlNewTextWriterMemory`, whole (the reference the streamed one is tested against).
    func renderWithMemoryWriter(_ report: LintReport) -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else { return "" }
        write(report, to: writer) {}
        xmlTextWriterEndDocument(writer)
        xmlFreeTextWriter(writer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))), as: UTF8.self)
    }

    /// The bytes libxml2 wrote since the last piece was handed on.
    private final class Sink {
        var bytes: [UInt8] = []
        init() { bytes.reserveCapacity(ReportPieces.size + 8_192) }
    }

    /// The output buffer's write callback: appends to the `Sink` that `context` is.
    private static let write: xmlOutputWriteCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return length < 0 ? -1 : 0 }
        let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
        UnsafeRawPointer(buffer).withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        return length
    }

    /// The document up to its end; `written` after each test case (where a piece may be handed on).
    private func write(_ report: LintReport, to writer: xmlTextWriterPtr, written: () -> Void) {
        xmlTextWriterSetIndent(writer, 1)
        _ = xml("  ") { xmlTextWriterSetIndentString(writer, $0) }
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)

        let findings = report.findings
        // A test suite per run of findings of one path (findings are in path order), as index ranges.
        var groups: [Range<Int>] = []
        var groupsPerClass: [String: Int] = [:]
        var failures = 0
        var first = 0, index = 0
        var previousPath: String?
        // Read in place, a chunk at a time (an encoded list, a warm run's, is decoded once here and once per suite).
        findings.forEachChunk { fs in
            for k in fs.indices {
                let f = fs.baseAddress! + k
                if f.pointee.severity >= failOn { failures += 1 }
                if let p = previousPath, f.pointee.path != p {
                    groups.append(first..<index)
                    groupsPerClass[Self.classname(p), default: 0] += 1
                    first = index
                }
                previousPath = f.pointee.path
                index += 1
            }
        }
        if let p = previousPath {
            groups.append(first..<index)
            groupsPerClass[Self.classname(p), default: 0] += 1
        }
        let total = max(findings.count, 1)
        start(writer, "testsuites")
        attr(writer, "name", "fleetlint")
        attr(writer, "tests", String(total))
        attr(writer, "failures", String(failures))
        attr(writer, "errors", "0")
        attr(writer, "time", "0")
        if groups.isEmpty {
            start(writer, "testsuite")
            attr(writer, "name", "fleetlint")
            attr(writer, "tests", "1")
            attr(writer, "failures", "0")
            attr(writer, "errors", "0")
            attr(writer, "skipped", "0")
            attr(writer, "time", "0")
            start(writer, "testcase")
            attr(writer, "classname", "fleetlint")
            attr(writer, "name", "no findings")
            attr(writer, "time", "0")
            end(writer)
            end(writer)
        }
        // Test-case names are unique per class name. A class name is mostly one file's (one suite), whose
        // names are dropped after it; those of files that share one (`a.py`, `a.txt`) are kept until its last
        // suite, so no set of every name in the report is held.
        var scopes: [String: NameScope] = [:]
        for group in groups {
            findings.withContiguousFindings(group) { suite in
                let path = suite[0].path
                start(writer, "testsuite")
                attr(writer, "name", path)
                attr(writer, "tests", String(group.count))
                attr(writer, "failures", String(suite.reduce(0) { $0 + ($1.severity >= failOn ? 1 : 0) }))
                attr(writer, "errors", "0")
                attr(writer, "skipped", "0")
                attr(writer, "time", "0")
                attr(writer, "file", path)
                let classname = Self.classname(path)
                var scope = scopes.removeValue(forKey: classname) ?? NameScope()
                for f in suite {
                    let message = f.message.singleLine
                    let name = scope.unique("\(f.ruleID): \(message)")
                    start(writer, "testcase")
                    attr(writer, "classname", classname)
                    attr(writer, "name", name)
                    attr(writer, "time", "0")
                    let fails = f.severity >= failOn
                    if fails {
                        start(writer, "failure")
                        attr(writer, "message", message)
                        attr(writer, "type", f.ruleID)
                    } else {
                        start(writer, "system-out")
                    }
                    let at = "\(f.path):\(f.range.start.line):\(f.range.start.column)"
                    var body = "\(at): \(f.severity.rawValue)[\(f.ruleID)] \(message)\n"
                    if let help = f.help { body += "help: \(help.singleLine)\n" }
                    for r in f.related {
                        body += "related: \(r.path):\(r.range.start.line):\(r.range.start.column) \(r.note.singleLine)\n"
                    }
                    body += "fingerprint: \(f.fingerprint)"
                    text(writer, body)
                    end(writer)
                    end(writer)
                    written()
                }
                end(writer)
                let left = groupsPerClass[classname]! - 1
                groupsPerClass[classname] = left
                if left > 0 { scopes[classname] = scope }
            }
        }
        end(writer)
    }

    /// The test-case names taken under one class name.
    private struct NameScope {
        var used = Set<String>()
        /// Next suffix to try per name, so n identical messages cost n insertions, not n²/2.
        var nextSuffix: [String: Int] = [:]

        /// `base`, or the first of `base (2)`, `base (3)`, … not taken yet; taken now.
        mutating func unique(_ base: String) -> String {
            if used.insert(base).inserted { return base }
            var n = nextSuffix[base, default: 2]
            var name: String
            repeat {
                name = "\(base) (\(n))"
                n += 1
            } while !used.insert(name).inserted
            nextSuffix[base] = n
            return name
        }
    }

    static func classname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") ?? Optional(path.startIndex) else { return path }
        let nameStart = path[slash...].hasPrefix("/") ? path.index(after: slash) : slash
        if let dot = path[nameStart...].lastIndex(of: "."), dot > nameStart { return String(path[..<dot]) }
        return path
    }

    /// Maps characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF) to a
    /// visible `#xNN` escape, so the document stays well-formed whatever a message contains.
    static func xmlSafe(_ s: String) -> String {
        // Most text holds none: its UTF-8 has no C0 control but tab, LF, CR, and no EF BF BE/BF (U+FFFE/U+FFFF).
        var clean = true
        s.utf8.withContiguousStorageIfAvailable { b in
            for i in b.indices where b[i] < 0x20 || b[i] == 0xEF {
                let c = b[i]
                if c == 0x9 || c == 0xA || c == 0xD { continue }
                if c == 0xEF && !(i + 2 < b.count && b[i + 1] == 0xBF && (b[i + 2] == 0xBE || b[i + 2] == 0xBF)) { continue }
                clean = false
                break
            }
        } ?? { clean = false }()
        if clean { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            let allowed = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v)
                || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
            if allowed { out.append(u) } else { out.append(contentsOf: String(format: "#x%02X", v).unicodeScalars) }
        }
        return String(out)
    }

    private func xml<T>(_ s: String, _ body: (UnsafePointer<xmlChar>) -> T) -> T {
        s.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: s.utf8.count + 1, body) }
    }
    private func start(_ w: xmlTextWriterPtr, _ name: String) { _ = xml(name) { xmlTextWriterStartElement(w, $0) } }
    private func end(_ w: xmlTextWriterPtr) { xmlTextWriterEndElement(w) }
    private func attr(_ w: xmlTextWriterPtr, _ name: String, _ value: String) {
        _ = xml(name) { n in xml(Self.xmlSafe(value)) { v in xmlTextWriterWriteAttribute(w, n, v) } }
    }
    private func text(_ w: xmlTextWriterPtr, _ value: String) { _ = xml(Self.xmlSafe(value)) { xmlTextWriterWriteString(w, $0) } }
}
