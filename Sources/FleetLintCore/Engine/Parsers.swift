import FleetLintSyntax

/// A parsed Python file: the syntax tree, its semantic model and the module's dotted name. A class: every Python rule
/// reads it from its `AnalyzedFile` (`file.python`), and as a struct each read copied it, retaining the tree's arrays,
/// the model and the name (~40 retains and releases a file).
public final class PythonFile: Sendable {
    public let module: PyModule
    public let semantic: PythonSemanticModel
    /// `svc/app.py` → `svc.app`; `pkg/__init__.py` → `pkg`.
    public let moduleName: String
    public let isPackage: Bool

    public init(module: PyModule, semantic: PythonSemanticModel, moduleName: String, isPackage: Bool) {
        self.module = module
        self.semantic = semantic
        self.moduleName = moduleName
        self.isPackage = isPackage
    }

    public static func moduleName(forPath path: String) -> (name: String, isPackage: Bool) {
        if let ascii = asciiModuleName(path) { return ascii }
        // `asciiSplit`/`utf8HasSuffix` are `split`/`hasSuffix` (over Characters, as every other split of a path here).
        var parts = path.asciiSplit(0x2F)
        guard var last = parts.popLast() else { return (path, false) }
        if last.utf8HasSuffix(".pyi") { last = last.dropLast(4) } else if last.utf8HasSuffix(".py") { last = last.dropLast(3) }
        if last == "__init__" { return (parts.joined(separator: "."), true) }
        parts.append(last)
        return (parts.joined(separator: "."), false)
    }

    /// `moduleName(forPath:)` of an ASCII path, over its bytes (nil for any other path): splitting, joining and
    /// comparing Substrings cost ~7,000 instructions a file, this ~600.
    static func asciiModuleName(_ path: String) -> (name: String, isPackage: Bool)? {
        var path = path
        return path.withUTF8 { u -> (name: String, isPackage: Bool)? in
            var any: UInt8 = 0
            for b in u { any |= b }
            guard any < 0x80 else { return nil }
            // The pieces between slashes, empty ones left out (as `split` leaves them out).
            var pieces: [Range<Int>] = []
            var start = 0
            for i in 0...u.count where i == u.count || u[i] == UInt8(ascii: "/") {
                if i > start { pieces.append(start..<i) }
                start = i + 1
            }
            guard var last = pieces.popLast() else { return (String(decoding: u, as: UTF8.self), false) }
            func hasSuffix(_ suffix: StaticString) -> Bool {
                let n = suffix.utf8CodeUnitCount
                guard last.count >= n else { return false }
                return suffix.withUTF8Buffer { $0.elementsEqual(u[(last.upperBound - n)..<last.upperBound]) }
            }
            if hasSuffix(".pyi") { last = last.lowerBound..<last.upperBound - 4 } else if hasSuffix(".py") { last = last.lowerBound..<last.upperBound - 3 }
            let isPackage = u[last].elementsEqual("__init__".utf8)
            if !isPackage { pieces.append(last) }
            var name: [UInt8] = []
            name.reserveCapacity(u.count)
            for (k, piece) in pieces.enumerated() {
                if k > 0 { name.append(UInt8(ascii: ".")) }
                name += u[piece]
            }
            return (String(decoding: name, as: UTF8.self), isPackage)
        }
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
