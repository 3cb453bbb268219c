import FleetLintSyntax

/// A parsed Python file: the syntax tree, its semantic model and the module's dotted name.
public struct PythonFile: Sendable {
    public let module: PyModule
    public let semantic: PythonSemanticModel
    /// `svc/app.py` → `svc.app`; `pkg/__init__.py` → `pkg`.
    public let moduleName: String
    public let isPackage: Bool

    public static func moduleName(forPath path: String) -> (name: String, isPackage: Bool) {
        // `asciiSplit`/`utf8HasSuffix` are `split`/`hasSuffix` on bytes for ASCII text (over Characters this cost
        // ~27,000 instructions a file).
        var parts = path.asciiSplit(0x2F)
        guard var last = parts.popLast() else { return (path, false) }
        if last.utf8HasSuffix(".pyi") { last = last.dropLast(4) } else if last.utf8HasSuffix(".py") { last = last.dropLast(3) }
        if last == "__init__" { return (parts.joined(separator: "."), true) }
        parts.append(last)
        return (parts.joined(separator: "."), false)
    }
}

/// Parses Python sources once per file (lexer, parser with recovery, semantic model).
public struct PythonFileParser: FileParser {
    public init() {}
    public var key: String { "python" }
    public var kinds: Set<FileKind> { [.python] }

    public func parse(_ file: AnalyzedFile) -> (artifact: any Sendable, problems: [ParseProblem]) {
        let module = PythonParser.parse(file.bytes)
        let (name, isPackage) = PythonFile.moduleName(forPath: file.path)
        let semantic = PythonSemanticModel(module: module, moduleName: name, isPackage: isPackage)
        return (PythonFile(module: module, semantic: semantic, moduleName: name, isPackage: isPackage), module.problems)
    }
}

/// Parses pip requirements files (each file once; includes are followed by the dependency index).
public struct RequirementsFileParser: FileParser {
    public init() {}
    public var key: String { "requirements" }
    public var kinds: Set<FileKind> { [.requirements] }

    public func parse(_ file: AnalyzedFile) -> (artifact: any Sendable, problems: [ParseProblem]) {
        // Requirements problems are reported by `invalid-requirement`, not `parse-error`.
        (RequirementsParser.parse(file.bytes, path: file.path), [])
    }
}

extension AnalyzedFile {
    /// The parsed requirements file, when this is one and a dependency rule is enabled.
    public var requirements: RequirementsDocument? { artifact("requirements") }
}

/// Parses Dockerfiles (BuildKit's syntax) and extracts their `pip install` commands.
public struct DockerfileFileParser: FileParser {
    public init() {}
    public var key: String { "dockerfile" }
    public var kinds: Set<FileKind> { [.dockerfile] }

    public func parse(_ file: AnalyzedFile) -> (artifact: any Sendable, problems: [ParseProblem]) {
        let dockerfile = DockerfileParser.parse(bytes: file.bytes)
        let installs = PipInstallExtractor.extract(from: dockerfile)
        return (ParsedDockerfile(dockerfile: dockerfile, installs: installs), dockerfile.problems)
    }
}

/// A Dockerfile with its pip installs.
public struct ParsedDockerfile: Sendable {
    public let dockerfile: Dockerfile
    public let installs: PipInstallExtraction
}

/// Parses `pyproject.toml` (PEP 621, PEP 735, Poetry).
public struct PyProjectFileParser: FileParser {
    public init() {}
    public var key: String { "pyproject" }
    public var kinds: Set<FileKind> { [.pyproject] }

    public func parse(_ file: AnalyzedFile) -> (artifact: any Sendable, problems: [ParseProblem]) {
        let project = PyProjectParser.parse(bytes: file.bytes)
        // Invalid TOML is a parse error; bad requirement strings are `invalid-requirement`.
        return (project, project.problems.filter { $0.code.contains("toml") })
    }
}

extension AnalyzedFile {
    public var dockerfile: ParsedDockerfile? { artifact("dockerfile") }
    public var pyproject: PyProject? { artifact("pyproject") }
}
