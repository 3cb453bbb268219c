import Foundation
import Testing
import TestSupport
@testable import FleetLintRules

private let builtIn: ImportResolver = {
    do { return try ImportResolver.loadBuiltIn() } catch { fatalError("loadBuiltIn failed: \(error)") }
}()

private let resourcesDir = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/FleetLintRules/Resources")

private func resourceText(_ name: String) throws -> String {
    try String(contentsOf: resourcesDir.appendingPathComponent(name), encoding: .utf8)
}

struct ImportResolverTests {
    // MARK: import → distribution

    struct DistCase: CustomTestStringConvertible, Sendable {
        let module: String
        let expected: [String]
        var testDescription: String { "\(module) → \(expected)" }
    }

    static let distCases: [DistCase] = [
        // Common mismatches.
        .init(module: "sklearn", expected: ["scikit-learn"]),
        .init(module: "sklearn.linear_model", expected: ["scikit-learn"]),
        .init(module: "yaml", expected: ["pyyaml"]),
        .init(module: "bs4", expected: ["beautifulsoup4"]),
        .init(module: "dateutil.parser", expected: ["python-dateutil"]),
        .init(module: "jwt", expected: ["pyjwt", "jwt"]),
        .init(module: "PIL.Image", expected: ["pillow"]),
        .init(module: "cv2", expected: ["opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"]),
        .init(module: "dotenv", expected: ["python-dotenv"]),
        .init(module: "magic", expected: ["python-magic"]),
        .init(module: "OpenSSL.crypto", expected: ["pyopenssl"]),
        .init(module: "Crypto.Cipher.AES", expected: ["pycryptodome", "pycrypto"]),
        .init(module: "attr", expected: ["attrs"]),
        .init(module: "attrs", expected: ["attrs"]),
        .init(module: "google.protobuf.json_format", expected: ["protobuf"]),
        .init(module: "googleapiclient.discovery", expected: ["google-api-python-client"]),
        .init(module: "pkg_resources", expected: ["setuptools"]),
        .init(module: "docx", expected: ["python-docx"]),
        .init(module: "fitz", expected: ["pymupdf"]),
        .init(module: "serial.tools.list_ports", expected: ["pyserial"]),
        .init(module: "zmq.asyncio", expected: ["pyzmq"]),
        .init(module: "psycopg2.extras", expected: ["psycopg2", "psycopg2-binary"]),
        .init(module: "MySQLdb", expected: ["mysqlclient"]),
        .init(module: "skimage", expected: ["scikit-image"]),
        .init(module: "git", expected: ["gitpython"]),
        .init(module: "websocket", expected: ["websocket-client"]),
        .init(module: "websockets", expected: ["websockets"]),
        .init(module: "win32api", expected: ["pywin32"]),
        .init(module: "_pytest.fixtures", expected: ["pytest"]),
        .init(module: "rest_framework.views", expected: ["djangorestframework"]),
        .init(module: "pdfminer.high_level", expected: ["pdfminer-six"]),
        .init(module: "mpl_toolkits.mplot3d", expected: ["matplotlib"]),
        .init(module: "jinja2", expected: ["jinja2"]),
        // From installed metadata (top_level.txt / RECORD).
        .init(module: "samtranslator", expected: ["aws-sam-translator"]),
        .init(module: "cpuinfo", expected: ["py-cpuinfo"]),
        // GCP namespace members: most specific dotted prefix wins.
        .init(module: "google.cloud.bigquery", expected: ["google-cloud-bigquery"]),
        .init(module: "google.cloud.bigquery.job", expected: ["google-cloud-bigquery"]),
        .init(module: "google.cloud.bigquery_storage_v1", expected: ["google-cloud-bigquery-storage"]),
        .init(module: "google.cloud.storage.blob", expected: ["google-cloud-storage"]),
        .init(module: "google.cloud.pubsub_v1", expected: ["google-cloud-pubsub"]),
        .init(module: "google.cloud.secretmanager", expected: ["google-cloud-secret-manager"]),
        .init(module: "google.cloud.sql.connector", expected: ["cloud-sql-python-connector"]),
        .init(module: "google.cloud.alloydb.connector", expected: ["google-cloud-alloydb-connector"]),
        .init(module: "google.cloud.devtools.cloudbuild_v1", expected: ["google-cloud-build"]),
        .init(module: "google.auth.transport.requests", expected: ["google-auth"]),
        .init(module: "google.oauth2.service_account", expected: ["google-auth"]),
        .init(module: "google.api_core.exceptions", expected: ["google-api-core"]),
        .init(module: "google.rpc.status_pb2", expected: ["googleapis-common-protos"]),
        .init(module: "vertexai.generative_models", expected: ["google-cloud-aiplatform"]),
        .init(module: "grpc", expected: ["grpcio"]),
        // Namespace convention for members not in the table.
        .init(module: "google.cloud.made_up_thing_v2.types", expected: ["google-cloud-made-up-thing"]),
        .init(module: "azure.mgmt.madeup", expected: ["azure-mgmt-madeup"]),
        .init(module: "azure.madeup.sub", expected: ["azure-madeup"]),
        .init(module: "jaraco.madeup", expected: ["jaraco-madeup"]),
        // Other namespaces.
        .init(module: "azure.storage.blob.aio", expected: ["azure-storage-blob"]),
        .init(module: "azure.identity", expected: ["azure-identity"]),
        .init(module: "backports.zoneinfo", expected: ["backports-zoneinfo"]),
        .init(module: "jaraco.functools", expected: ["jaraco-functools"]),
        .init(module: "zope.interface.declarations", expected: ["zope-interface"]),
        .init(module: "sphinxcontrib.napoleon", expected: ["sphinxcontrib-napoleon"]),
        .init(module: "ruamel.yaml", expected: ["ruamel-yaml"]),
        .init(module: "opentelemetry.sdk.trace", expected: ["opentelemetry-sdk"]),
        .init(module: "opentelemetry.trace", expected: ["opentelemetry-api"]),
        // Bare namespace roots never resolve to the root.
        .init(module: "google", expected: []),
        .init(module: "google.cloud", expected: []),
        .init(module: "google.madeup", expected: []),
        .init(module: "azure", expected: []),
        .init(module: "azure.mgmt", expected: []),
        .init(module: "backports", expected: []),
        .init(module: "zope", expected: []),
        .init(module: "sphinxcontrib", expected: []),
        .init(module: "ruamel", expected: []),
        // Identity fallback after PEP 503 normalisation with `_` → `-`.
        .init(module: "some_unknown_pkg.sub", expected: ["some-unknown-pkg"]),
        .init(module: "Foo_Bar", expected: ["foo-bar"]),
        .init(module: "requests", expected: ["requests"]),
        .init(module: "", expected: []),
    ]

    @Test(arguments: distCases)
    func distributionsForModule(_ c: DistCase) {
        #expect(builtIn.distributions(for: c.module) == c.expected)
    }

    // MARK: standard library per version

    struct StdCase: CustomTestStringConvertible, Sendable {
        let module: String
        let version: (Int, Int)
        let expected: Bool
        var testDescription: String { "\(module) on \(version.0).\(version.1) → \(expected)" }
    }

    static let stdCases: [StdCase] = [
        .init(module: "tomllib", version: (3, 10), expected: false),
        .init(module: "tomllib", version: (3, 11), expected: true),
        .init(module: "tomllib", version: (3, 13), expected: true),
        .init(module: "distutils", version: (3, 11), expected: true),
        .init(module: "distutils.core", version: (3, 12), expected: false),
        .init(module: "asyncore", version: (3, 11), expected: true),
        .init(module: "asyncore", version: (3, 12), expected: false),
        .init(module: "imp", version: (3, 12), expected: false),
        .init(module: "smtpd", version: (3, 12), expected: false),
        .init(module: "cgi", version: (3, 12), expected: true),
        .init(module: "cgi", version: (3, 13), expected: false),
        .init(module: "telnetlib", version: (3, 13), expected: false),
        .init(module: "lib2to3", version: (3, 13), expected: false),
        .init(module: "zoneinfo", version: (3, 8), expected: false),
        .init(module: "zoneinfo", version: (3, 9), expected: true),
        .init(module: "graphlib", version: (3, 9), expected: true),
        .init(module: "binhex", version: (3, 10), expected: true),
        .init(module: "binhex", version: (3, 11), expected: false),
        .init(module: "parser", version: (3, 9), expected: true),
        .init(module: "parser", version: (3, 10), expected: false),
        .init(module: "dummy_threading", version: (3, 8), expected: true),
        .init(module: "_thread", version: (3, 12), expected: true),
        .init(module: "__future__", version: (3, 8), expected: true),
        .init(module: "os.path", version: (3, 11), expected: true),
        .init(module: "collections.abc", version: (3, 13), expected: true),
        .init(module: "typing", version: (3, 8), expected: true),
        .init(module: "_colorize", version: (3, 12), expected: false),
        .init(module: "_colorize", version: (3, 13), expected: true),
        .init(module: "yaml", version: (3, 11), expected: false),
        .init(module: "requests", version: (3, 11), expected: false),
        // Out-of-range versions are clamped: 3.14 behaves like 3.13, 3.7 like 3.8.
        .init(module: "cgi", version: (3, 14), expected: false),
        .init(module: "tomllib", version: (3, 14), expected: true),
        .init(module: "distutils", version: (3, 7), expected: true),
    ]

    @Test(arguments: stdCases)
    func standardLibrary(_ c: StdCase) {
        #expect(builtIn.isStandardLibrary(c.module, pythonVersion: c.version) == c.expected)
    }

    // MARK: overrides, stubs, transitive

    @Test func overridesTakePrecedence() {
        let resolver = ImportResolver(
            importMap: ["yaml": ["PyYAML"], "google.cloud.storage": ["google-cloud-storage"]],
            stdlib: [:],
            overrides: ["My_Yaml.Fork": ["yaml"], "internal-gcs": ["google.cloud.storage.blob"], "types-requests": ["requests"]]
        )
        #expect(resolver.distributions(for: "yaml.loader") == ["my-yaml-fork"])
        #expect(resolver.distributions(for: "google.cloud.storage.blob") == ["internal-gcs"])
        #expect(resolver.distributions(for: "google.cloud.storage") == ["google-cloud-storage"])
        // Stub-only overrides never provide.
        #expect(resolver.distributions(for: "requests") == ["requests"])
    }

    @Test func builtInOverrides() throws {
        let resolver = try ImportResolver.loadBuiltIn(overrides: ["acme-utils": ["acme", "acmetools.core"]])
        #expect(resolver.distributions(for: "acme.x") == ["acme-utils"])
        #expect(resolver.distributions(for: "acmetools.core.y") == ["acme-utils"])
        #expect(resolver.distributions(for: "acmetools.other") == ["acmetools"])
    }

    @Test func stubDistributionsNeverProvide() {
        let resolver = ImportResolver(
            importMap: ["requests": ["types-requests", "requests"], "yaml": ["types-PyYAML"], "six": ["six-stubs"]],
            stdlib: [:]
        )
        #expect(resolver.distributions(for: "requests") == ["requests"])
        #expect(resolver.distributions(for: "yaml") == ["yaml"])  // entry dropped → identity fallback
        #expect(resolver.distributions(for: "six") == ["six"])
        #expect(ImportResolver.isStubDistribution("types-requests"))
        #expect(ImportResolver.isStubDistribution("Django_Stubs"))
        #expect(!ImportResolver.isStubDistribution("stubs-helper"))
        #expect(!builtIn.isProvided("requests", byAnyOf: ["types-requests"]))
    }

    @Test func providedByAnyDeclaredAlternative() {
        #expect(builtIn.isProvided("psycopg2", byAnyOf: ["psycopg2-binary"]))
        #expect(builtIn.isProvided("cv2", byAnyOf: ["opencv-python-headless==4.9.0.80".split(separator: "=").map(String.init)[0]]))
        #expect(builtIn.isProvided("yaml", byAnyOf: ["pyyaml"]))
        #expect(builtIn.isProvided("PIL", byAnyOf: ["PILLOW"]))
        #expect(!builtIn.isProvided("yaml", byAnyOf: ["ruamel.yaml"]))
        #expect(!builtIn.isProvided("google.cloud.bigquery", byAnyOf: ["google-cloud-storage"]))
    }

    @Test func transitiveProvides() {
        let direct = builtIn.transitiveProvides("google-cloud-bigquery")
        for dist in ["google-api-core", "google-auth", "requests", "urllib3", "protobuf"] {
            #expect(direct.contains(dist), "\(dist)")
        }
        #expect(!direct.contains("google-cloud-bigquery"))
        #expect(Set(builtIn.transitiveProvides("Flask")).isSuperset(of: ["werkzeug", "jinja2", "click", "itsdangerous", "markupsafe"]))
        #expect(builtIn.transitiveProvides("requests").prefix(4) == ["urllib3", "idna", "certifi", "charset-normalizer"])
        #expect(Set(builtIn.transitiveProvides("pandas")).isSuperset(of: ["numpy", "python-dateutil", "pytz", "six"]))
        #expect(builtIn.transitiveProvides("no-such-dist").isEmpty)
        // Opt-in only.
        #expect(!builtIn.isProvided("urllib3", byAnyOf: ["requests"]))
        #expect(builtIn.isProvided("urllib3", byAnyOf: ["requests"], includeTransitive: true))
        #expect(builtIn.isProvided("werkzeug.exceptions", byAnyOf: ["Flask"], includeTransitive: true))
    }

    @Test func transitiveCyclesTerminate() {
        let resolver = ImportResolver(importMap: [:], stdlib: [:], transitive: ["a": ["b"], "b": ["a", "c"], "c": ["a"]])
        #expect(resolver.transitiveProvides("A") == ["b", "c"])
    }

    @Test(arguments: [
        ("Foo.Bar_baz", "foo-bar-baz"), ("a--__..b", "a-b"), ("PyYAML", "pyyaml"),
        ("ruamel.yaml", "ruamel-yaml"), ("_x_", "-x-"),
    ])
    func pep503Normalisation(_ input: String, _ expected: String) {
        #expect(ImportResolver.normalizedName(input) == expected)
    }

    // MARK: data files

    @Test func importMapParsesWithEnoughEntries() throws {
        let map = try ImportResolver.parseImportMap(resourceText("import-map.tsv"))
        #expect(map.count >= 300)
        #expect(map.keys.filter { $0.hasPrefix("google.cloud.") }.count >= 60)
        #expect(builtIn.importMap.count == map.count)
        // The curated table of docs/reference/import-map.md must be present verbatim.
        for key in ["google.cloud.bigquery", "google.cloud.monitoring_v3", "google.iam.v1", "proto", "vertexai",
                    "functions_framework", "sqlalchemy_bigquery", "Cryptodome", "Levenshtein", "faiss", "gi",
                    "corsheaders", "llama_index", "pyasn1_modules", "backports.zoneinfo", "apiclient"] {
            #expect(map[key] != nil, "\(key)")
        }
    }

    @Test func stdlibParsesWithoutDuplicates() throws {
        let table = try ImportResolver.parseStdlib(resourceText("stdlib.tsv"))
        #expect(table.count >= 300)
        #expect(table["distutils"] == PythonVersionSpan(first: .init(3, 8), last: .init(3, 11)))
        #expect(table["tomllib"] == PythonVersionSpan(first: .init(3, 11), last: nil))
        #expect(table["asyncore"] == PythonVersionSpan(first: .init(3, 8), last: .init(3, 11)))
        #expect(table["imp"] == PythonVersionSpan(first: .init(3, 8), last: .init(3, 11)))
        #expect(table["cgi"] == PythonVersionSpan(first: .init(3, 8), last: .init(3, 12)))
        #expect(table["zoneinfo"] == PythonVersionSpan(first: .init(3, 9), last: nil))
        #expect(table["graphlib"] == PythonVersionSpan(first: .init(3, 9), last: nil))
    }

    @Test func transitiveParsesWithEnoughEntries() throws {
        let table = try ImportResolver.parseTransitive(resourceText("transitive.tsv"))
        #expect(table.values.reduce(0) { $0 + $1.count } >= 40)
    }

    @Test func parsersRejectDuplicatesAndMalformedLines() {
        #expect(throws: ImportResolverError.duplicateKey(file: "import-map.tsv", line: 3, key: "yaml")) {
            try ImportResolver.parseImportMap("# c\nyaml\tPyYAML\nyaml\tother\n")
        }
        #expect(throws: ImportResolverError.malformedLine(file: "import-map.tsv", line: 1, text: "yaml PyYAML")) {
            try ImportResolver.parseImportMap("yaml PyYAML\n")
        }
        #expect(throws: ImportResolverError.malformedLine(file: "import-map.tsv", line: 1, text: "bad-name\tx")) {
            try ImportResolver.parseImportMap("bad-name\tx\n")
        }
        #expect(throws: ImportResolverError.malformedLine(file: "stdlib.tsv", line: 1, text: "x\t3.12\t3.11")) {
            try ImportResolver.parseStdlib("x\t3.12\t3.11\n")
        }
        #expect(throws: ImportResolverError.duplicateKey(file: "stdlib.tsv", line: 2, key: "os")) {
            try ImportResolver.parseStdlib("os\t3.8\t-\nos\t3.8\t-\n")
        }
        #expect(throws: ImportResolverError.duplicateKey(file: "transitive.tsv", line: 2, key: "a -> b")) {
            try ImportResolver.parseTransitive("a\tb\nA\tB\n")
        }
    }

    @Test func lookupThroughput() {
        let modules = Self.distCases.map(\.module) + Self.stdCases.map(\.module)
        let start = Date()
        var hits = 0
        for _ in 0..<2_000 {
            for module in modules {
                if builtIn.isStandardLibrary(module, pythonVersion: (3, 11)) { hits += 1 }
                hits += builtIn.distributions(for: module).count
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        print("ImportResolver: \(2_000 * modules.count) lookups in \(elapsed)s")
        #expect(hits > 0)
    }
}

extension ImportResolverTests {
    /// The tables are parsed once per process: every load gives what parsing them afresh gives, with its own overrides.
    @Test func builtInParsedOnce() throws {
        let fresh = ImportResolver(
            importMap: try ImportResolver.parseImportMap(BuiltInTables.importMap),
            stdlib: try ImportResolver.parseStdlib(BuiltInTables.stdlib),
            transitive: try ImportResolver.parseTransitive(BuiltInTables.transitive))
        for overrides in [[:], ["acme-utils": ["acme"]], [:]] as [[String: [String]]] {
            let loaded = try ImportResolver.loadBuiltIn(overrides: overrides)
            #expect(loaded.importMap == fresh.importMap)
            #expect(loaded.stdlib == fresh.stdlib)
            #expect(loaded.transitive == fresh.transitive)
        }
        // Overrides as the configuration gives them (distribution → import names), looked up by import name; names
        // normalised, blanks trimmed and dropped, stub distributions left out, each list deduplicated.
        #expect(try ImportResolver.loadBuiltIn().overrideMap == [:])
        #expect(try ImportResolver.loadBuiltIn(overrides: ["acme-utils": ["acme"]]).overrideMap == ["acme": ["acme-utils"]])
        #expect(try ImportResolver.loadBuiltIn(overrides: [
            "Acme_Utils": [" acme ", "acme.core", ""], "acme.tools": ["acme"], "types-acme": ["acme"],
        ]).overrideMap == ["acme": ["acme-utils", "acme-tools"], "acme.core": ["acme-utils"]])
    }
}

@Suite("Import map name check")
struct DottedIdentifierTests {
    /// The definition by Unicode properties (what the byte path must agree with on ASCII).
    static func reference(_ text: Substring) -> Bool {
        !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
        }
    }

    @Test("ASCII names are judged by bytes exactly as by Unicode properties; other names by the properties")
    func asciiPathAgrees() {
        let samples = ["yaml", "google.cloud", "_x1", "a..b", ".a", "a.", "1a", "a-b", "a b", "A_Z.z9", "", ".", "__", "é", "a.é1", "x\u{301}"]
        for s in samples { #expect(ImportResolver.isDottedIdentifier(Substring(s)) == Self.reference(Substring(s)), "\(s)") }
        var rng = SeededGenerator(seed: 0xD07)
        let alphabet = Array("aZ_9.-".unicodeScalars)
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<Int(rng.next() % 7) { s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            #expect(ImportResolver.isDottedIdentifier(Substring(s)) == Self.reference(Substring(s)), "\(s)")
        }
    }
}
