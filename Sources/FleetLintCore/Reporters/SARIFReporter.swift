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
        init(path: String) {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~!$&'()*+,;=@")
            uri = path.split(separator: "/", omittingEmptySubsequences: false)
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

    public func render(_ report: LintReport) -> String {
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
