/// A rule example: a tiny virtual repository (ordered path → contents). Expected findings are marked
/// with `↓` immediately before the first character of the flagged range.
public struct Example: Sendable, CustomStringConvertible {
    public let files: [(path: String, contents: String)]
    /// Optional `fleetlint.toml` contents to lint the example with.
    public let configuration: String?
    public let sourceFile: String
    public let sourceLine: UInt

    public init(
        _ files: KeyValuePairs<String, String>,
        configuration: String? = nil,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        self.files = files.map { (path: $0.key, contents: $0.value) }
        self.configuration = configuration
        self.sourceFile = "\(file)"
        self.sourceLine = line
    }

    /// A single-file example.
    public init(
        path: String,
        _ contents: String,
        configuration: String? = nil,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        self.init([path: contents], configuration: configuration, file: file, line: line)
    }

    /// Examples loaded from YAML have no Swift source position.
    public init(files: [(path: String, contents: String)], configuration: String?, origin: String, line: Int) {
        self.files = files
        self.configuration = configuration
        self.sourceFile = origin
        self.sourceLine = UInt(max(line, 0))
    }

    public var description: String {
        files.map { "--- \($0.path)\n\($0.contents)" }.joined(separator: "\n")
    }

    /// The marker that shows where a finding must start.
    public static let marker: Character = "↓"
}
