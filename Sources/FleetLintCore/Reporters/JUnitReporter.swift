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

    public func render(_ report: LintReport) -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else { return "" }
        xmlTextWriterSetIndent(writer, 1)
        _ = xml("  ") { xmlTextWriterSetIndentString(writer, $0) }
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)

        var groups: [(path: String, findings: [Finding])] = []
        for f in report.findings {
            if groups.last?.path == f.path { groups[groups.count - 1].findings.append(f) } else { groups.append((f.path, [f])) }
        }
        let total = max(report.findings.count, 1)
        start(writer, "testsuites")
        attr(writer, "name", "fleetlint")
        attr(writer, "tests", String(total))
        attr(writer, "failures", String(report.findings.filter { $0.severity >= failOn }.count))
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
        var usedNames = Set<String>()
        // Next suffix to try per name, so n identical messages cost n insertions, not n²/2.
        var nextSuffix: [String: Int] = [:]
        for group in groups {
            start(writer, "testsuite")
            attr(writer, "name", group.path)
            attr(writer, "tests", String(group.findings.count))
            attr(writer, "failures", String(group.findings.filter { $0.severity >= failOn }.count))
            attr(writer, "errors", "0")
            attr(writer, "skipped", "0")
            attr(writer, "time", "0")
            attr(writer, "file", group.path)
            let classname = Self.classname(group.path)
            for f in group.findings {
                let base = "\(f.ruleID): \(f.message.singleLine)"
                var name = base
                let key = classname + "\u{1F}" + base
                if !usedNames.insert(key).inserted {
                    var n = nextSuffix[key, default: 2]
                    repeat {
                        name = "\(base) (\(n))"
                        n += 1
                    } while !usedNames.insert(classname + "\u{1F}" + name).inserted
                    nextSuffix[key] = n
                }
                start(writer, "testcase")
                attr(writer, "classname", classname)
                attr(writer, "name", name)
                attr(writer, "time", "0")
                let fails = f.severity >= failOn
                if fails {
                    start(writer, "failure")
                    attr(writer, "message", f.message.singleLine)
                    attr(writer, "type", f.ruleID)
                } else {
                    start(writer, "system-out")
                }
                var body = "\(f.path):\(f.range.start.line):\(f.range.start.column): \(f.severity.rawValue)[\(f.ruleID)] \(f.message.singleLine)\n"
                if let help = f.help { body += "help: \(help.singleLine)\n" }
                for r in f.related { body += "related: \(r.path):\(r.range.start.line):\(r.range.start.column) \(r.note.singleLine)\n" }
                body += "fingerprint: \(f.fingerprint)"
                text(writer, body)
                end(writer)
                end(writer)
            }
            end(writer)
        }
        end(writer)
        xmlTextWriterEndDocument(writer)
        xmlFreeTextWriter(writer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))), as: UTF8.self)
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
