import Foundation
/// SARIF 2.1.0 (OASIS; the subset GitHub code scanning reads). Relative URIs under `%SRCROOT%`.
public struct SARIFReporter: Reporter {
    public static let id = "sarif"
    public init() {}

    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }
    struct Run: Encodable {
        var tool: Tool
        var automationDetails = AutomationDetails()
        var columnKind = "unicodeCodePoints"
        var results: [Result]
        /// Files listed but not analysed, one notification each (present only when there are any).
        var invocations: [Invocation]?
    }
    struct Invocation: Encodable {
        var executionSuccessful = true
        var toolExecutionNotifications: [Notification]
    }
    struct Notification: Encodable {
        var level = "note"
        var message: Text
        var locations: [FileLocation]
    }
    struct FileLocation: Encodable { var physicalLocation: FilePhysicalLocation }
    struct FilePhysicalLocation: Encodable { var artifactLocation: ArtifactLocation }
    struct AutomationDetails: Encodable { var id = "fleetlint/" }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name = "fleetlint"
        var semanticVersion: String
        var version: String
        var informationUri = "https://github.com/fleetlint/fleetlint"
        var rules: [RuleDescriptor]
    }
    struct Text: Encodable { var text: String }
    struct Help: Encodable { var text: String; var markdown: String }
    struct Configuration: Encodable { var level: String }
    struct RuleProperties: Encodable {
        var tags: [String]
        var precision: String
        var problemSeverity: String
        var securitySeverity: String?
        enum CodingKeys: String, CodingKey {
            case tags, precision, problemSeverity = "problem.severity", securitySeverity = "security-severity"
        }
    }
    struct RuleDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Help
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }
    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId = "%SRCROOT%"
        /// A relative URI reference: each path segment percent-encoded (RFC 3986), so `%`, `:` or spaces
        /// in file names cannot turn the path into another URI.
        init(path: String) { uri = Self.uri(path) }

        /// The ASCII bytes a path keeps as they are: `allowed`'s and the separator.
        private static let plain: [Bool] = (0..<256).map { b in
            b < 0x80 && (b == 0x2F || allowed.contains(Unicode.Scalar(UInt8(b))))
        }

        /// The characters a segment keeps as they are.
        private static let allowed: CharacterSet = {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~!$&'()*+,;=@")
            return allowed
        }()

        static func uri(_ path: String) -> String {
            // Most paths are ASCII letters, digits, `/` and marks the set allows: nothing to encode.
            if !path.anyUTF8({ !plain[Int($0)] }) { return path }
            return path.split(separator: "/", omittingEmptySubsequences: false)
                .map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0) }
                .joined(separator: "/")
        }
    }
    struct Region: Encodable { var startLine: Int; var startColumn: Int; var endLine: Int; var endColumn: Int }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region }
    struct Location: Encodable { var id: Int?; var physicalLocation: PhysicalLocation; var message: Text? }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var relatedLocations: [Location]?
        var partialFingerprints: [String: String]
        var properties: [String: MetadataValue]?
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    private static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    private static func region(_ r: FleetLintSyntax.SourceRange) -> Region {
        Region(startLine: max(1, r.start.line), startColumn: max(1, r.start.column),
               endLine: max(r.start.line, r.end.line), endColumn: max(1, r.end.column))
    }

    /// The log written as it goes, in pieces of about 64 KiB: the envelope by hand and each result as it comes
    /// (`PrettyJSON`, the bytes `JSONEncoder` gives `renderWithEncoder`'s types: keys sorted, pretty, slashes
    /// unescaped). A large repository's log held whole was ~5x the memory of its analysis (16x tree: 725 MiB).
    public func renderBytes(_ report: LintReport, into emit: ([UInt8]) -> Void) {
        var j = PrettyJSON(reserving: ReportPieces.size + 4_096)
        j.beginObject()
        j.field("$schema"); j.string("https://json.schemastore.org/sarif-2.1.0.json")
        j.field("runs")
        j.beginArray()
        j.element()
        j.beginObject()
        j.field("automationDetails")
        j.beginObject()
        j.field("id"); j.string("fleetlint/")
        j.endObject()
        j.field("columnKind"); j.string("unicodeCodePoints")
        let skipped = report.summary.skippedFiles
        if !skipped.isEmpty {
            j.field("invocations")
            j.beginArray()
            j.element()
            j.beginObject()
            j.field("executionSuccessful"); j.bool(true)
            j.field("toolExecutionNotifications")
            j.beginArray()
            for f in skipped {
                j.element()
                j.beginObject()
                j.field("level"); j.string("note")
                j.field("locations")
                j.beginArray()
                j.element()
                j.beginObject()
                j.field("physicalLocation")
                j.beginObject()
                Self.artifactLocation(ArtifactLocation.uri(f.path), to: &j)
                j.endObject()
                j.endObject()
                j.endArray()
                j.field("message"); Self.text("not analysed: \(f.reason)", to: &j)
                j.endObject()
                if j.count >= ReportPieces.size { j.flush(emit) }
            }
            j.endArray()
            j.endObject()
            j.endArray()
        }
        j.field("results")
        j.beginArray()
        let rules = report.rules
        var index: [String: Int] = [:]
        for (i, r) in rules.enumerated() { index[r.id] = i }
        // A result's members are one level inside its object, which is one inside this array.
        let members = MemberPrefixes(keys: Self.resultKeys, indent: j.indent + 1)
        var metadata = MetadataCache()
        // Findings come in path order: a file's URI is made once for its run of findings.
        var lastPath: (path: String, uri: String)? = nil
        report.findings.forEachChunk { fs in
            for i in fs.indices {
                let f = fs[i]
                if lastPath?.path != f.path { lastPath = (f.path, ArtifactLocation.uri(f.path)) }
                Self.writeResult(f, ruleIndex: index[f.ruleID] ?? 0, uri: lastPath!.uri, to: &j, members: members, metadata: &metadata)
                if j.count >= ReportPieces.size { j.flush(emit) }
            }
        }
        j.endArray()
        j.field("tool")
        j.beginObject()
        j.field("driver")
        j.beginObject()
        j.field("informationUri"); j.string("https://github.com/fleetlint/fleetlint")
        j.field("name"); j.string("fleetlint")
        j.field("rules")
        j.beginArray()
        for r in rules { Self.writeRule(r, to: &j) }
        j.endArray()
        j.field("semanticVersion"); j.string(report.toolVersion)
        j.field("version"); j.string(report.toolVersion)
        j.endObject()
        j.endObject()
        j.endObject()
        j.endArray()
        j.field("version"); j.string("2.1.0")
        j.endObject()
        j.newline()
        j.flush(emit)
    }

    /// A result's keys in the order written (sorted, as `JSONEncoder` sorts them); `writeResult` indexes them.
    private static let resultKeys: [StaticString] = [
        "level", "locations", "message", "partialFingerprints", "properties", "relatedLocations", "ruleId", "ruleIndex",
    ]

    /// One result (`Result` of `renderWithEncoder`). Static, of `inout` state (see `JSONReporter.write`).
    private static func writeResult(
        _ f: borrowing Finding, ruleIndex: Int, uri: String, to j: inout PrettyJSON, members m: borrowing MemberPrefixes,
        metadata: inout MetadataCache
    ) {
        j.element()
        j.beginObject()
        j.member(m, 0); j.string(level(f.severity))
        j.member(m, 1)
        j.beginArray()
        location(id: nil, uri: uri, range: f.range, message: nil, to: &j)
        j.endArray()
        j.member(m, 2)
        text(f.help.map { f.message.singleLine + ". Help: \($0.singleLine)" } ?? f.message.singleLine, to: &j)
        j.member(m, 3)
        j.beginObject()
        j.field("fleetlint/v1"); j.string(f.fingerprint)
        j.endObject()
        if !f.metadata.isEmpty {
            j.member(m, 4)
            metadata.write(f.metadata, to: &j)
        }
        if !f.related.isEmpty {
            j.member(m, 5)
            j.beginArray()
            for (i, r) in f.related.enumerated() {
                location(id: i + 1, uri: ArtifactLocation.uri(r.path), range: r.range, message: r.note, to: &j)
            }
            j.endArray()
        }
        j.member(m, 6); j.string(f.ruleID)
        j.member(m, 7); j.int(ruleIndex)
        j.endObject()
    }

    /// An element of `locations` or `relatedLocations` (`Location`).
    private static func location(id: Int?, uri: String, range r: FleetLintSyntax.SourceRange, message: String?, to j: inout PrettyJSON) {
        j.element()
        j.beginObject()
        if let id { j.field("id"); j.int(id) }
        if let message { j.field("message"); text(message, to: &j) }
        j.field("physicalLocation")
        j.beginObject()
        artifactLocation(uri, to: &j)
        let region = region(r)
        j.field("region")
        j.beginObject()
        j.field("endColumn"); j.int(region.endColumn)
        j.field("endLine"); j.int(region.endLine)
        j.field("startColumn"); j.int(region.startColumn)
        j.field("startLine"); j.int(region.startLine)
        j.endObject()
        j.endObject()
        j.endObject()
    }

    /// The `artifactLocation` member of a physical location.
    private static func artifactLocation(_ uri: String, to j: inout PrettyJSON) {
        j.field("artifactLocation")
        j.beginObject()
        j.field("uri"); j.string(uri)
        j.field("uriBaseId"); j.string("%SRCROOT%")
        j.endObject()
    }

    /// A `Text` value: `{"text": …}`.
    private static func text(_ s: String, to j: inout PrettyJSON) {
        j.beginObject()
        j.field("text"); j.string(s)
        j.endObject()
    }

    /// An element of the driver's `rules` (`RuleDescriptor`).
    private static func writeRule(_ r: RuleDescription, to j: inout PrettyJSON) {
        j.element()
        j.beginObject()
        j.field("defaultConfiguration")
        j.beginObject()
        j.field("level"); j.string(level(r.defaultSeverity))
        j.endObject()
        j.field("fullDescription"); text(clip(r.summary + ".", 1024), to: &j)
        j.field("help")
        j.beginObject()
        j.field("markdown"); j.string(r.rationale)
        j.field("text"); j.string(clip(r.rationale, 1024))
        j.endObject()
        j.field("id"); j.string(r.id)
        j.field("name"); j.string(r.id)
        j.field("properties")
        j.beginObject()
        j.field("precision"); j.string("high")
        j.field("problem.severity"); j.string(r.defaultSeverity == .info ? "recommendation" : r.defaultSeverity.rawValue)
        if r.category == .secrets { j.field("security-severity"); j.string("8.0") }
        j.field("tags")
        j.beginArray()
        j.element(); j.string(r.category.rawValue)
        j.endArray()
        j.endObject()
        j.field("shortDescription"); text(clip(r.summary, 1024), to: &j)
        j.endObject()
    }

    /// The same log through `JSONEncoder` and the `Encodable` types above (the reference the streamed
    /// log is tested against).
    func renderWithEncoder(_ report: LintReport) -> String {
        let rules = report.rules
        var index: [String: Int] = [:]
        for (i, r) in rules.enumerated() { index[r.id] = i }
        let descriptors = rules.map { r in
            RuleDescriptor(
                id: r.id, name: r.id, shortDescription: Text(text: SARIFReporter.clip(r.summary, 1024)),
                fullDescription: Text(text: SARIFReporter.clip(r.summary + ".", 1024)),
                help: Help(text: SARIFReporter.clip(r.rationale, 1024), markdown: r.rationale),
                defaultConfiguration: Configuration(level: SARIFReporter.level(r.defaultSeverity)),
                properties: RuleProperties(
                    tags: [r.category.rawValue], precision: "high",
                    problemSeverity: r.defaultSeverity == .info ? "recommendation" : r.defaultSeverity.rawValue,
                    securitySeverity: r.category == .secrets ? "8.0" : nil))
        }
        let results = report.findings.map { f in
            Result(
                ruleId: f.ruleID, ruleIndex: index[f.ruleID] ?? 0, level: SARIFReporter.level(f.severity),
                message: Text(text: f.message.singleLine + (f.help.map { ". Help: \($0.singleLine)" } ?? "")),
                locations: [Location(id: nil, physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(path: f.path), region: SARIFReporter.region(f.range)), message: nil)],
                relatedLocations: f.related.isEmpty ? nil : f.related.enumerated().map { i, r in
                    Location(id: i + 1, physicalLocation: PhysicalLocation(
                        artifactLocation: ArtifactLocation(path: r.path), region: SARIFReporter.region(r.range)),
                        message: Text(text: r.note))
                },
                partialFingerprints: ["fleetlint/v1": f.fingerprint],
                properties: f.metadata.isEmpty ? nil : f.metadata)
        }
        let log = Log(runs: [Run(
            tool: Tool(driver: Driver(semanticVersion: report.toolVersion, version: report.toolVersion, rules: descriptors)),
            results: results,
            invocations: report.summary.skippedFiles.isEmpty ? nil : [Invocation(toolExecutionNotifications: report.summary.skippedFiles.map { f in
                Notification(message: Text(text: "not analysed: \(f.reason)"),
                             locations: [FileLocation(physicalLocation: FilePhysicalLocation(artifactLocation: ArtifactLocation(path: f.path)))])
            })])])
        return JSONOutput.encode(log)
    }
}

import FleetLintSyntax
