// One libFuzzer binary, one entry point per target; `FLEETLINT_FUZZ_TARGET` picks it (see
// `scripts/fuzz.sh`). Each entry point feeds the bytes to a parser and checks what must always hold:
// no crash, no hang (libFuzzer's -timeout), bounded memory (-rss_limit_mb), and a few invariants.
import FleetLintCore
import FleetLintRules
import Foundation

enum FuzzTarget: String, CaseIterable {
    case requirements, pep508, pyproject, dockerfile, glob, yaml, secrets, python, cache
}

nonisolated(unsafe) var target: FuzzTarget = .requirements
nonisolated(unsafe) var secretLinter: Linter?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["FLEETLINT_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write("set FLEETLINT_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".data(using: .utf8)!)
        exit(2)
    }
    target = t
    if t == .secrets {
        var config = Configuration()
        config.applyCommandLine(select: ["committed-secret", "committed-env-file", "unpooled-client"], ignore: [], failOn: nil)
        secretLinter = try? FleetLintSetup.makeLinter(configuration: config)
    }
    return 0
}

/// SwiftPM links an executable with `main` aliased to `<module>_main`, so libFuzzer's own `main` is not
/// used: this entry point hands control to libFuzzer's driver instead.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FleetLintFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in testOneInput(data, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = count == 0 ? [] : Array(UnsafeBufferPointer(start: start, count: count))
    switch target {
    case .requirements: fuzzRequirements(bytes)
    case .pep508: fuzzPEP508(bytes)
    case .pyproject: _ = PyProjectParser.parse(bytes: bytes)
    case .dockerfile: fuzzDockerfile(bytes)
    case .glob: fuzzGlob(bytes)
    case .yaml: fuzzYAML(bytes)
    case .secrets: fuzzSecrets(bytes)
    case .python: fuzzPython(bytes)
    case .cache: fuzzCache(bytes)
    }
    return 0
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant: \(message())") }
}

func fuzzRequirements(_ bytes: [UInt8]) {
    let doc = RequirementsParser.parse(bytes, path: "requirements.txt", environment: ["TOKEN": "t"])
    for p in doc.problems { check(p.range.start.line >= 1 && p.range.start.column >= 0, "problem at \(p.range)") }
    // The same bytes as every file of an include graph: cycles, self-includes and diamonds. Profiled at
    // ~100 executions a second: not the product (parsing is linear, 1×/4×/16×/64× copies of a slow input
    // took 23/76/301/1208 ms) but the harness, which invented a file for every distinct `-r` path of up
    // to three components, k targets giving up to k + k² + k³ files, each parsed again (the slowest corpus
    // inputs made ~1,000, 200 ms an execution under ASan). Now the parsed document stands for every path
    // (the resolver reads `-r` targets and modes from it, not its path), for at most `maxFiles` distinct
    // paths, so an execution costs one parse plus the resolver's own work.
    let maxFiles = 32
    var served: Set<String> = []
    let resolved = RequirementsResolver.resolve(root: "requirements.txt") { path -> RequirementsDocument? in
        guard path.split(separator: "/").count <= 3, served.count < maxFiles || served.contains(path) else { return nil }
        served.insert(path)
        var d = doc
        d.path = path
        return d
    }
    check(resolved.files.count <= maxFiles, "resolver listed \(resolved.files.count) files for \(served.count) served")
    check(Set(resolved.files).count == resolved.files.count, "a file listed twice")
}

func fuzzPEP508(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if case .success(let r) = Requirement.parse(text) {
        // What PEP 508 guarantees: its quoted strings hold printable characters and no backslash, and for
        // those what we print parses again to the same thing. Beyond that, like packaging (26.x), a quoted
        // marker value is read with Python's string escapes and printed between quotes without
        // re-escaping, so printing is not a fixed point: `"3.\\\\2"` prints as `"3.\\2"`, which reads
        // back as `"3.\2"`; `"\0"` and `"\r"` print a NUL or a CR, which packaging cannot read back
        // ("source code string cannot contain null bytes", "unterminated string literal"). The fuzzer
        // found all three; packaging 26.2 prints each of them exactly as we do (regression tests in
        // HostileInputTests). A value holding both quote characters cannot be quoted at all.
        let printed = r.description
        let plain = pep508Printable(printed) && !(r.marker.map { hasBothQuotes($0.elements) } ?? false)
        if case .success(let again) = Requirement.parse(printed) {
            check(!plain || again.description == printed, "round trip: \(printed) → \(again.description)")
        } else {
            check(!plain, "printed requirement does not parse: \(printed)")
        }
    }
    if case .success(let m) = Marker.parse(text) {
        _ = m.evaluate()
        _ = m.evaluate(extra: "dev")
        // The same for a marker on its own (see above).
        let d = m.description.unicodeScalars
        let plain = pep508Printable(m.description) && !(d.contains("'") && d.contains("\""))
        check(!plain || Marker(m.description) != nil, "marker does not reparse: \(m.description)")
    }
    if let v = Version(text) { check(Version(v.description) == v, "version round trip \(v)") }
    if let s = SpecifierSet(text) {
        _ = s.contains("1.0")
        _ = s.contains("2.0rc1", prereleases: true)
        _ = SpecifierSet(s.description)
    }
    _ = Specifier(text)
}

/// No backslash and no control or line-separator characters: the strings PEP 508's grammar allows
/// (`python_str_c` is printable ASCII without `\`; non-ASCII letters are accepted here too).
func pep508Printable(_ s: String) -> Bool {
    !s.unicodeScalars.contains { c in
        c == "\\" || c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
    }
}

func hasBothQuotes(_ elements: [Marker.Element]) -> Bool {
    elements.contains { e in
        switch e {
        case .list(let l): return hasBothQuotes(l)
        case let .item(a, _, b):
            return [a, b].contains { if case .value(let v) = $0 { return v.contains("'") && v.contains("\"") }; return false }
        case .and, .or: return false
        }
    }
}

func fuzzDockerfile(_ bytes: [UInt8]) {
    let df = DockerfileParser.parse(bytes: bytes)
    _ = PipInstallExtractor.extract(from: df)
    for stage in df.stages {
        _ = df.states(of: stage)
        let mapper = DockerCopyMapper(dockerfile: df, stage: stage, contextDirectory: ".",
                                      fileExists: { $0.hasSuffix(".txt") }, listFiles: { ["\($0)/a.txt", "\($0)/b/c.py"] })
        _ = mapper.copiedSources()
        _ = mapper.resolve(containerPath: "/app/requirements.txt")
    }
    let ignore = DockerIgnore(String(decoding: bytes, as: UTF8.self))
    _ = ignore.isExcluded("svc/app/main.py")
    _ = ignore.isExcluded("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p")
}

func fuzzGlob(_ bytes: [UInt8]) {
    // First line: the pattern; the rest: paths.
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let glob = Glob(lines.first ?? "")
    let ignore = DockerIgnore(lines.first ?? "")
    for path in lines.dropFirst().prefix(16) {
        let whole = glob.matchesWholePath(path)
        let any = glob.matches(path)
        check(!whole || any || path.split(separator: "/").isEmpty, "matchesWholePath without matches: \(lines[0]) \(path)")
        _ = ignore.isExcluded(path)
    }
    _ = glob.matches("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z")
}

func fuzzYAML(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let rule = try? DeclarativeRuleLoader.parse(yaml: text, file: "rules/fuzz.yaml") else { return }
    guard let linter = try? FleetLintSetup.makeLinter(configuration: Configuration(), extraRules: [rule]) else { return }
    _ = linter.lint(virtualFiles: [
        (path: "svc/app.py", contents: "import requests\nrequests.get('https://x')\nprint('hi')\n"),
        (path: "svc/Dockerfile", contents: "FROM python:3.12\nRUN pip install requests \\\n  flask\n"),
        (path: "svc/requirements.txt", contents: "requests==2.31.0\n"),
    ])
}

func fuzzSecrets(_ bytes: [UInt8]) {
    guard let linter = secretLinter else { return }
    let text = String(decoding: bytes, as: UTF8.self)
    let report = linter.lint(virtualFiles: [(path: "svc/settings.py", contents: text), (path: "deploy/.env", contents: text)])
    for format in [ReportFormat.text, .json] { _ = format.reporter().render(report) }
}

func fuzzPython(_ bytes: [UInt8]) {
    let module = PythonParser.parse(bytes)
    for p in module.problems { check(p.range.start.line >= 1, "problem at \(p.range)") }
}
