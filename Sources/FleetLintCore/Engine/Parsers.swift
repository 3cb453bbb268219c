import FleetLintSyntax

/// A parsed Python file: the syntax tree, its semantic model and the module's dotted name.
public struct PythonFile: Sendable {
    public let module: PyModule
    public let semantic: PythonSemanticModel
    /// `svc/app.py` → `svc.app`; `pkg/__init__.py` → `pkg`.
    public let moduleName: String
    public let isPackage: Bool

    public static func moduleName(forPath path: String) -> (name: String, isPackage: Bool) {
        // By bytes: splitting and comparing Characters cost ~27,000 instructions a file.
        let u = Array(path.utf8)
        var parts: [Range<Int>] = []
        var start = 0
        for i in 0...u.count where i == u.count || u[i] == 0x2F {
            if i > start { parts.append(start..<i) }  // empty components are dropped, as `split` does
            start = i + 1
        }
        guard var last = parts.popLast() else { return (path, false) }
        func ends(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            return last.count >= n && u[(last.upperBound - n)..<last.upperBound].elementsEqual(
                UnsafeBufferPointer(start: suffix.utf8Start, count: n))
        }
        if ends(".pyi") { last = last.lowerBound..<(last.upperBound - 4) } else if ends(".py") { last = last.lowerBound..<(last.upperBound - 3) }
        let isPackage = u[last].elementsEqual("__init__".utf8)
        if !isPackage { parts.append(last) }
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        for (k, r) in parts.enumerated() {
            if k > 0 { out.append(0x2E) }
            out += u[r]
        }
        return (String(decoding: out, as: UTF8.self), isPackage)
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
