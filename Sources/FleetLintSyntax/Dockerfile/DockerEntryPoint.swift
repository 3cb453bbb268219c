// Effective CMD/ENTRYPOINT of a stage and the Python entry they start.
// https://docs.docker.com/reference/dockerfile/#understand-how-cmd-and-entrypoint-interact

import Foundation

/// A stage's effective command line.
public struct DockerCommandLine: Hashable, Sendable {
    /// ENTRYPOINT argv (shell form becomes `SHELL + [text]`), if any.
    public var entrypoint: [String]?
    /// CMD argv (ignored by Docker when ENTRYPOINT is in shell form), if any.
    public var cmd: [String]?
    /// What the container runs: ENTRYPOINT + CMD (CMD dropped after a shell-form ENTRYPOINT).
    public var argv: [String]
    /// Instruction indices (in `Dockerfile.instructions`) of the ENTRYPOINT and CMD in effect.
    public var entrypointInstruction: Int?
    public var cmdInstruction: Int?
}

/// The Python program a container starts.
/// A new stored property must join `key` (project-memo keys of reach walks are built from it).
public struct PythonEntryPoint: Hashable, Sendable {
    /// `python`, `gunicorn`, `uvicorn`, `functions-framework`, `celery`, `hypercorn`, `daphne`, `streamlit`.
    public var tool: String
    /// Dotted module (`app.main`, `proj`) when the entry is a module.
    public var module: String?
    /// Script path (`app/main.py`, or functions-framework's `--source`).
    public var script: String?
    /// Attribute: `app` in `main:app`, the `--target` function.
    public var attribute: String?

    /// Every field in one string (memo keys), built directly: `"\(entryPoint)"` went through the runtime's
    /// reflection, ~90 k instructions a call in the static binary.
    public var key: String {
        [tool, module ?? "\u{2}", script ?? "\u{2}", attribute ?? "\u{2}"].joined(separator: "\u{3}")
    }

    public init(tool: String, module: String? = nil, script: String? = nil, attribute: String? = nil) {
        self.tool = tool
        self.module = module
        self.script = script
        self.attribute = attribute
    }
}

extension Dockerfile {
    /// Effective CMD/ENTRYPOINT of a stage: last one wins, inherited from the parent stage for `FROM <stage>`;
    /// an ENTRYPOINT resets a CMD inherited from the parent.
    public func commandLine(of stage: DockerStage) -> DockerCommandLine {
        if stage.index >= 0, stage.index < commandLinesCache.count, stage.index < stages.count,
           stages[stage.index].instructionIndices == stage.instructionIndices {
            return commandLinesCache[stage.index]
        }
        // Not one of this file's stages as parsed: fold its parent chain (iteratively) first.
        let chain = parentChain(of: stage)
        var inherited: (DockerCommandLine, [String])? = nil
        for b in chain.reversed() { inherited = Self.commandLine(of: stages[b], parent: inherited, instructions: instructions) }
        return Self.commandLine(of: stage, parent: inherited, instructions: instructions).0
    }

    /// `commandLine(of:)` of every stage, each parent computed once (linear in the file).
    func allCommandLines() -> [DockerCommandLine] {
        var lines: [DockerCommandLine] = []
        var shells: [[String]] = []
        lines.reserveCapacity(stages.count)
        for stage in stages {
            var parent: (DockerCommandLine, [String])? = nil
            if let b = stage.baseStageIndex, b < stage.index, b < lines.count { parent = (lines[b], shells[b]) }
            let (line, shell) = Self.commandLine(of: stage, parent: parent, instructions: instructions)
            lines.append(line)
            shells.append(shell)
        }
        return lines
    }

    /// One stage's command line given its parent's (and the JSON `SHELL` in effect at the parent's end);
    /// also returns the shell in effect at this stage's end.
    static func commandLine(of stage: DockerStage, parent: (DockerCommandLine, [String])?,
                            instructions: [DockerInstruction]) -> (DockerCommandLine, [String]) {
        var ep: [String]? = nil, cmd: [String]? = nil
        var epIdx: Int? = nil, cmdIdx: Int? = nil
        var epShell = false
        var shell = ["/bin/sh", "-c"]
        if let (p, parentShell) = parent {
            ep = p.entrypoint; cmd = p.cmd; epIdx = p.entrypointInstruction; cmdIdx = p.cmdInstruction
            if let i = epIdx, i < instructions.count { epShell = !instructions[i].isJSON }
            shell = parentShell
        }
        var cmdSetHere = false
        for (k, inst) in stage.instructions.enumerated() {
            let idx = stage.instructionIndices[k]
            switch inst.keyword {
            case "SHELL" where inst.isJSON: shell = inst.arguments
            case "CMD":
                cmd = inst.isJSON ? inst.arguments : shell + [inst.rawArguments]
                cmdIdx = idx; cmdSetHere = true
            case "ENTRYPOINT":
                ep = inst.isJSON ? inst.arguments : shell + [inst.rawArguments]
                epIdx = idx; epShell = !inst.isJSON
                if !cmdSetHere { cmd = nil; cmdIdx = nil }
            default: break
            }
        }
        let argv = (ep ?? []) + (epShell ? [] : (cmd ?? []))
        return (DockerCommandLine(entrypoint: ep, cmd: cmd, argv: argv, entrypointInstruction: epIdx, cmdInstruction: cmdIdx), shell)
    }
}

/// Recognises the Python entry in a container argv.
public enum PythonEntryPointDetector {
    static let wrappers: Set<String> = ["exec", "tini", "dumb-init", "env", "nohup", "gosu", "su-exec", "ddtrace-run",
                                        "opentelemetry-instrument", "newrelic-admin", "poetry", "pipenv", "uv"]
    static let gunicornValueOptions: Set<String> = [
        "-b", "--bind", "-w", "--workers", "-k", "--worker-class", "-c", "--config", "-t", "--timeout", "--threads",
        "--chdir", "--log-level", "--access-logfile", "--error-logfile", "--log-file", "-e", "--env", "-n", "--name",
        "--pythonpath", "-p", "--pid", "-u", "--user", "-g", "--group", "-m", "--umask", "--max-requests",
        "--max-requests-jitter", "--graceful-timeout", "--keep-alive", "--worker-connections", "--forwarded-allow-ips",
        "--log-config", "--certfile", "--keyfile", "--backlog", "--limit-request-line", "--access-logformat", "--worker-tmp-dir",
    ]
    static let uvicornValueOptions: Set<String> = [
        "--host", "--port", "--workers", "--app-dir", "--log-level", "--root-path", "--env-file", "--uds", "--fd",
        "--loop", "--http", "--ws", "--lifespan", "--timeout-keep-alive", "--log-config", "--forwarded-allow-ips",
        "--limit-concurrency", "--backlog", "--ssl-keyfile", "--ssl-certfile", "--reload-dir", "--interface", "-b", "--bind",
        "-w", "-k", "--worker-class", "--config", "-c", "--access-logfile", "--error-logfile",
    ]

    /// The Python entry started by `argv` (`sh -c` strings and wrappers such as `exec`, `tini --` are looked through).
    public static func detect(argv: [String]) -> PythonEntryPoint? {
        detect(argv[...], depth: 0)
    }

    static func base(_ s: String) -> String { s.asciiLastComponent(0x2F).map(String.init) ?? s }

    /// The shell script a container argv runs, looked through wrappers: `sh start.sh`, `bash -e /app/run.sh`,
    /// `./start.sh`, `/docker-entrypoint.sh`. `isExplicitShell` is false when the script is run directly (then
    /// only a `.sh` name or a shell shebang makes it one). `nil` for `sh -c '…'` (that is `detect`'s case).
    public static func shellScript(argv: [String]) -> (path: String, isExplicitShell: Bool)? {
        var a = argv[...]
        while let f = a.first {
            if f.containsEquals, !f.hasPrefix("-"), f.first?.isLetter == true || f.first == "_" { a = a.dropFirst(); continue }
            if f == "--" { a = a.dropFirst(); continue }
            if wrappers.contains(base(f)) {
                a = a.dropFirst()
                while let o = a.first, o.hasPrefix("-"), o != "--" { a = a.dropFirst() }
                continue
            }
            break
        }
        guard let prog = a.first else { return nil }
        if PipInstallExtractor.shells.contains(base(prog)) {
            var it = a.dropFirst()
            while let o = it.first, o.hasPrefix("-") {
                if o == "--" { it = it.dropFirst(); break }
                if !o.hasPrefix("--"), o.contains("c") { return nil }
                it = it.dropFirst()
            }
            return it.first.map { ($0, true) }
        }
        if prog.contains("/") || prog.hasSuffix(".sh") { return (prog, false) }
        return nil
    }

    static func detect(_ argv: ArraySlice<String>, depth: Int) -> PythonEntryPoint? {
        var a = argv
        while let f = a.first {
            let b = base(f)
            if f.containsEquals, !f.hasPrefix("-"), f.first?.isLetter == true || f.first == "_" { a = a.dropFirst(); continue }
            if f == "--" { a = a.dropFirst(); continue }
            if wrappers.contains(b) {
                a = a.dropFirst()
                if b == "poetry" || b == "pipenv" || b == "uv", a.first == "run" { a = a.dropFirst() }
                while let o = a.first, o.hasPrefix("-"), o != "--" { a = a.dropFirst() }
                continue
            }
            break
        }
        guard let prog = a.first else { return nil }
        let name = base(prog)
        let rest = a.dropFirst()
        if PipInstallExtractor.shells.contains(name), depth < 3 {
            var it = rest
            while let o = it.first, o.hasPrefix("-") {
                it = it.dropFirst()
                if o.contains("c") && !o.hasPrefix("--") {
                    guard let script = it.first else { return nil }
                    for c in ShellSplitter.split(script) {
                        if let e = detect(c.words.map(\.value)[...], depth: depth + 1) { return e }
                    }
                    return nil
                }
            }
            return nil
        }
        if PipInstallExtractor.isPython(prog) {
            var it = rest
            while let o = it.first {
                if o == "-m" {
                    guard let mod = it.dropFirst().first else { return nil }
                    let more = it.dropFirst(2)
                    let tool = mod.replacingOccurrences(of: "_", with: "-")
                    if ["gunicorn", "uvicorn", "celery", "functions-framework", "hypercorn", "daphne", "streamlit"].contains(tool),
                       let e = detect([tool] + Array(more), depth: depth + 1) { return e }
                    return PythonEntryPoint(tool: "python", module: mod, script: nil, attribute: nil)
                }
                if o.hasPrefix("-m") && o.count > 2 { return PythonEntryPoint(tool: "python", module: String(o.dropFirst(2)), script: nil, attribute: nil) }
                if o == "-c" { return nil }
                if o.hasPrefix("-") {
                    it = it.dropFirst()
                    if o == "-X" || o == "-W" { it = it.dropFirst() }
                    continue
                }
                return PythonEntryPoint(tool: "python", module: nil, script: o, attribute: nil)
            }
            return nil
        }
        switch name {
        case "gunicorn", "uvicorn", "hypercorn", "daphne":
            let valueOpts = name == "gunicorn" ? gunicornValueOptions : uvicornValueOptions
            var it = rest
            while let o = it.first {
                it = it.dropFirst()
                if o.hasPrefix("-") {
                    if !o.containsEquals, valueOpts.contains(o) { it = it.dropFirst() }
                    continue
                }
                return appRef(o, tool: name)
            }
            return nil
        case "functions-framework", "functions-framework-python":
            var target: String?, source: String?
            var it = rest
            while let o = it.first {
                it = it.dropFirst()
                if o.hasPrefix("--target=") { target = String(o.dropFirst(9)) }
                else if o == "--target" { target = it.first; it = it.dropFirst() }
                else if o.hasPrefix("--source=") { source = String(o.dropFirst(9)) }
                else if o == "--source" { source = it.first; it = it.dropFirst() }
                else if o == "--port" || o == "--host" || o == "--signature-type" { it = it.dropFirst() }
            }
            return PythonEntryPoint(tool: "functions-framework", module: nil, script: source ?? "main.py", attribute: target)
        case "celery":
            var it = rest
            while let o = it.first {
                it = it.dropFirst()
                if o == "-A" || o == "--app" { return it.first.map { appRef($0, tool: "celery") } ?? nil }
                if o.hasPrefix("--app=") { return appRef(String(o.dropFirst(6)), tool: "celery") }
                if o.hasPrefix("-A"), o.count > 2 { return appRef(String(o.dropFirst(2)), tool: "celery") }
            }
            return nil
        case "streamlit":
            if rest.first == "run", let s = rest.dropFirst().first { return PythonEntryPoint(tool: "streamlit", module: nil, script: s, attribute: nil) }
            return nil
        default:
            return nil
        }
    }

    static func appRef(_ s: String, tool: String) -> PythonEntryPoint {
        var ref = s
        if ref.hasPrefix("'") || ref.hasPrefix("\"") { ref = String(ref.dropFirst().dropLast()) }
        let parts = ref.split(separator: ":", maxSplits: 1).map(String.init)
        let mod = parts.first ?? ref
        if mod.hasSuffix(".py") { return PythonEntryPoint(tool: tool, module: nil, script: mod, attribute: parts.count > 1 ? parts[1] : nil) }
        return PythonEntryPoint(tool: tool, module: mod, script: nil, attribute: parts.count > 1 ? parts[1] : nil)
    }
}
