import Foundation
import FleetLintSyntax
/// The JSON report of the contract in `architecture.md` ("Contracts other tools depend on").
public struct JSONReporter: Reporter {
    public static let id = "json"
    public init() {}

    struct Document: Encodable {
        var version = 1
        var tool: Tool
        var root: String
        var findings: [Item]
        var summary: Summary
        var suppressions: [AppliedSuppression]
    }
    struct Tool: Encodable { var name = "fleetlint"; var version: String }
    struct Related: Encodable { var path: String; var line: Int; var column: Int; var note: String }
    struct Item: Encodable {
        var rule: String
        var severity: String
        var path: String
        var line: Int
        var column: Int
        var endLine: Int
        var endColumn: Int
        var message: String
        var help: String?
        var fingerprint: String
        var related: [Related]
        var metadata: [String: MetadataValue]
    }
    struct Summary: Encodable {
        var files: Int
        var findingsByRule: [String: Int]
        var parseErrors: Int
        var skipped: [String: Int]
        /// Present when files were skipped: each with its reason.
        var skippedFiles: [SkippedFile]?
    }

    public func render(_ report: LintReport) -> String { String(decoding: renderBytes(report), as: UTF8.self) }

    public func renderBytes(_ report: LintReport) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + report.findings.count * 600)
        renderBytes(report) { out += $0 }
        return out
    }

    /// The document in pieces of about 64 KiB (the writer's state is its indentation, not its bytes), so
    /// a report of many thousands of findings is written out without being held whole.
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        var j = PrettyJSON(reserving: 1 << 17)
        j.beginObject()
        j.field("findings")
        j.beginArray()
        // A finding's members are one level inside its object, which is one inside this array.
        let members = MemberPrefixes(keys: Self.findingKeys, indent: j.indent + 1)
        let findings = report.findings
        if findings.count < Self.chunkedFrom {
            var metadata = MetadataCache()
            findings.forEachChunk { fs in
                for i in fs.indices {
                    Self.write(fs.baseAddress! + i, to: &j, members: members, metadata: &metadata)
                    if j.count >= 1 << 16 { j.flush(emit) }
                }
            }
        } else {
            j.flush(emit)
            Self.writeInChunks(findings, after: j, members: members, emit: emit)
            j.markElementWritten()
        }
        j.endArray()
        j.field("root"); j.string(report.root)
        let s = report.summary
        j.field("summary")
        j.beginObject()
        j.field("files"); j.int(s.files)
        j.field("findingsByRule"); j.object(s.findingsByRule) { $0.int($1) }
        j.field("parseErrors"); j.int(s.parseErrors)
        j.field("skipped"); j.object(s.skipped) { $0.int($1) }
        if !s.skippedFiles.isEmpty {
            j.field("skippedFiles")
            j.beginArray()
            for f in s.skippedFiles {
                j.element()
                j.beginObject()
                j.field("path"); j.string(f.path)
                j.field("reason"); j.string(f.reason)
                j.endObject()
            }
            j.endArray()
        }
        j.endObject()
        j.field("suppressions")
        j.beginArray()
        for a in report.suppressions.sorted(by: { ($0.path, $0.line, $0.rule) < ($1.path, $1.line, $1.rule) }) {
            j.element()
            j.beginObject()
            j.field("line"); j.int(a.line)
            j.field("path"); j.string(a.path)
            if let reason = a.reason { j.field("reason"); j.string(reason) }
            j.field("rule"); j.string(a.rule)
            j.endObject()
        }
        j.endArray()
        j.field("tool")
        j.beginObject()
        j.field("name"); j.string("fleetlint")
        j.field("version"); j.string(report.toolVersion)
        j.endObject()
        j.field("version"); j.int(1)
        j.endObject()
        j.newline()
        j.flush(emit)
    }

    /// Findings per chunk of a report rendered on several threads (about 0.5 MiB of JSON).
    static let chunkSize = 1_024
    /// Reports of fewer findings are rendered on one thread: their JSON takes a few tens of milliseconds, and the
    /// chunks in flight (~3 MiB) would be the peak of a small run (1x tree: 40.1 -> 43.6 MiB).
    static let chunkedFrom = 16 * chunkSize

    /// The findings of a large report, rendered a chunk per thread, as many chunks at a time as there are
    /// processors, and handed to `emit` in order: the same bytes as one writer's (each chunk's writer goes on
    /// in `j`'s open array), with at most one wave of chunks held. The JSON of 90,000 findings took ~0.2 s of
    /// one core after everything else had finished.
    private static func writeInChunks(
        _ findings: FindingList, after j: borrowing PrettyJSON, members: MemberPrefixes, emit: ([UInt8]) -> Void
    ) {
        let chunks = (findings.count + chunkSize - 1) / chunkSize
        let wave = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        // A slot's writer buffer and rendered bytes are kept from one wave to the next. A chunk is ~0.6 MiB of
        // JSON and often grew past 1 MiB, where jemalloc hands out fresh pages and takes them back on free: new
        // buffers per chunk faulted in ~100 MiB on the 16x synthetic tree (a third of the run's page faults).
        let buffers = (0..<wave).map { _ in ByteBuffer(capacity: chunkSize * 640) }
        var rendered = [[UInt8]](repeating: [], count: wave)
        // An encoded list (a warm run's) is decoded here, a chunk per thread.
        for first in stride(from: 0, to: chunks, by: wave) {
            let count = min(wave, chunks - first)
            rendered.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: count) { k in
                    let c = first + k
                    var w = PrettyJSON(continuing: j, afterElement: c > 0, buffer: buffers[k])
                    var metadata = MetadataCache()
                    findings.withContiguousFindings(c * chunkSize..<min(findings.count, (c + 1) * chunkSize)) { fs in
                        for i in fs.indices { write(fs.baseAddress! + i, to: &w, members: members, metadata: &metadata) }
                    }
                    buffers[k].copy(into: &out[k])
                }
            }
            for k in 0..<count { emit(rendered[k]) }
        }
    }

    /// A finding's keys in the order written (sorted, as `JSONEncoder` sorts them); `write` indexes them.
    private static let findingKeys: [StaticString] = [
        "column", "endColumn", "endLine", "fingerprint", "help", "line", "message", "metadata", "path", "related",
        "rule", "severity",
    ]

    /// One finding. A static function of `inout` state, not a closure over it: the closure's captured
    /// variables were checked for exclusive access (a runtime call) at every use. Read through a pointer into the
    /// report's array: passed as a value (even `borrowing`), each finding was copied out of it first.
    private static func write(
        _ f: UnsafePointer<Finding>, to j: inout PrettyJSON, members m: borrowing MemberPrefixes,
        metadata: inout MetadataCache
    ) {
        j.element()
        j.beginObject()
        j.member(m, 0); j.int(f.pointee.range.start.column)
        j.member(m, 1); j.int(f.pointee.range.end.column)
        j.member(m, 2); j.int(f.pointee.range.end.line)
        j.member(m, 3); j.string(f.pointee.fingerprint)
        if let help = f.pointee.help { j.member(m, 4); j.string(help) }
        j.member(m, 5); j.int(f.pointee.range.start.line)
        j.member(m, 6); j.string(f.pointee.message)
        j.member(m, 7)
        metadata.write(f.pointee.metadata, to: &j)
        j.member(m, 8); j.string(f.pointee.path)
        j.member(m, 9)
        j.beginArray()
        for r in f.pointee.related {
            j.element()
            j.beginObject()
            j.field("column"); j.int(r.range.start.column)
            j.field("line"); j.int(r.range.start.line)
            j.field("note"); j.string(r.note)
            j.field("path"); j.string(r.path)
            j.endObject()
        }
        j.endArray()
        j.member(m, 10); j.string(f.pointee.ruleID)
        j.member(m, 11); j.string(f.pointee.severity.rawValue)
        j.endObject()
    }

    /// The same document through `JSONEncoder` (the reference `PrettyJSON` is tested against).
    func renderWithEncoder(_ report: LintReport) -> String {
        let doc = Document(
            tool: Tool(version: report.toolVersion), root: report.root,
            findings: report.findings.map { f in
                Item(
                    rule: f.ruleID, severity: f.severity.rawValue, path: f.path,
                    line: f.range.start.line, column: f.range.start.column,
                    endLine: f.range.end.line, endColumn: f.range.end.column,
                    message: f.message, help: f.help, fingerprint: f.fingerprint,
                    related: f.related.map { Related(path: $0.path, line: $0.range.start.line, column: $0.range.start.column, note: $0.note) },
                    metadata: f.metadata)
            },
            summary: Summary(
                files: report.summary.files, findingsByRule: report.summary.findingsByRule,
                parseErrors: report.summary.parseErrors, skipped: report.summary.skipped,
                skippedFiles: report.summary.skippedFiles.isEmpty ? nil : report.summary.skippedFiles),
            suppressions: report.suppressions.sorted { ($0.path, $0.line, $0.rule) < ($1.path, $1.line, $1.rule) })
        return JSONOutput.encode(doc)
    }
}
