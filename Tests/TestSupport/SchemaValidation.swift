import CLibXML2
import Foundation

/// Validates reports against the schemas in `Tests/FleetLintIntegrationTests/Schemas`.
public enum SchemaValidation {
    /// Validates XML against an XSD with libxml2; returns the validation errors (empty when valid).
    public static func validateXML(_ xml: String, xsd: URL = RepositoryPaths.schemas.appendingPathComponent("junit.xsd")) -> [String] {
        guard let parserContext = xmlSchemaNewParserCtxt(xsd.path) else { return ["cannot open \(xsd.path)"] }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let schema = xmlSchemaParse(parserContext) else { return ["cannot parse \(xsd.path)"] }
        defer { xmlSchemaFree(schema) }
        guard let validContext = xmlSchemaNewValidCtxt(schema) else { return ["cannot create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(validContext) }
        let bytes = Array(xml.utf8)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), "report.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let doc else { return ["the report is not well-formed XML"] }
        defer { xmlFreeDoc(doc) }
        let handler: xmlStructuredErrorFunc = { context, error in
            guard let context, let error else { return }
            let sink = Unmanaged<SinkBox>.fromOpaque(context).takeUnretainedValue()
            sink.append("line \(error.pointee.line): " + (error.pointee.message.map { String(cString: $0) } ?? "?").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let box = SinkBox()
        let opaque = Unmanaged.passUnretained(box).toOpaque()
        xmlSchemaSetValidStructuredErrors(validContext, handler, opaque)
        let rc = xmlSchemaValidateDoc(validContext, doc)
        withExtendedLifetime(box) {}
        if rc == 0 { return [] }
        return box.messages.isEmpty ? ["invalid (libxml2 code \(rc))"] : box.messages
    }

    final class SinkBox {
        var messages: [String] = []
        func append(_ s: String) { messages.append(s) }
    }

    /// The Python that has `jsonschema`: `$FLEETLINT_TEST_PYTHON`, else the virtual environment
    /// `scripts/bootstrap.sh` makes when it cannot install `python3-jsonschema`, else `python3`.
    static var python: String {
        if let p = ProcessInfo.processInfo.environment["FLEETLINT_TEST_PYTHON"], !p.isEmpty { return p }
        let venv = RepositoryPaths.root.appendingPathComponent(".build/test-venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// Validates a SARIF log against the SARIF 2.1.0 JSON schema (draft-04) with Python's `jsonschema`
    /// (there is no JSON Schema validator for Swift on this platform). Returns the errors.
    public static func validateSARIF(_ json: String) -> [String] {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-\(UUID().uuidString).sarif")
        defer { try? FileManager.default.removeItem(at: tmp) }
        try? Data(json.utf8).write(to: tmp)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)
            for e in errors: print(list(e.path), e.message)
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, RepositoryPaths.schemas.appendingPathComponent("sarif-2.1.0.json").path, tmp.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return ["cannot run python3: \(error)"] }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [] : [out.isEmpty ? "python3 jsonschema failed (is `jsonschema` installed?)" : out]
    }
}
