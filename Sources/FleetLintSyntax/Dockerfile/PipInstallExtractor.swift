// Finds `pip install` commands in Dockerfile RUN instructions (shell form, exec form, shell heredocs).
// pip's option table: https://pip.pypa.io/en/stable/cli/pip_install/ ; uv: https://docs.astral.sh/uv/reference/cli/#uv-pip-install
import HashTreeCollections

/// A command-line argument of a pip install with its location in the Dockerfile.
public struct PipArgument: Hashable, Sendable {
    /// Value after quote removal and static ARG/ENV substitution.
    public var value: String
    /// Raw extent in the Dockerfile (quotes included).
    public var range: SourceRange
    /// Holds `$(...)`, backticks or a variable whose value is not statically known.
    public var isDynamic: Bool
}

/// An option of a pip install that is not broken out into its own field.
public struct PipOption: Hashable, Sendable {
    /// Long or short name as written (`--progress-bar`, `-q`).
    public var name: String
    public var value: PipArgument?
}

/// One `pip install` (or `python -m pip install`, `uv pip install`) found in a RUN instruction.
public struct PipInstall: Hashable, Sendable {
    /// How pip was launched, e.g. `pip3`, `python3.11 -m pip`, `uv pip`, `/usr/local/bin/pip`.
    public var launcher: String
    public var stageIndex: Int
    /// Index in `Dockerfile.instructions`.
    public var instructionIndex: Int
    /// Container working directory of the RUN (relative `-r` paths resolve against it).
    public var workdir: String
    public var isExecForm: Bool
    public var isInHeredoc: Bool
    /// Inside an `if`/loop or after `||`.
    public var isConditional: Bool
    /// Range of the whole command (first to last word).
    public var range: SourceRange
    /// Requirement arguments (PEP 508 strings, URLs, paths, wheel files).
    public var packages: [PipArgument] = []
    public var requirementFiles: [PipArgument] = []
    public var constraintFiles: [PipArgument] = []
    public var editables: [PipArgument] = []
    public var indexURL: PipArgument?
    public var extraIndexURLs: [PipArgument] = []
    public var findLinks: [PipArgument] = []
    public var noIndex = false
    public var noDeps = false
    public var upgrade = false
    public var user = false
    public var target: PipArgument?
    /// Every other option, in order.
    public var options: [PipOption] = []
}

/// Result of scanning a Dockerfile for pip installs.
public struct PipInstallExtraction: Sendable {
    public var installs: [PipInstall]
    public var problems: [ParseProblem]
}

/// Extracts pip installs from the RUN instructions of each stage.
public enum PipInstallExtractor {
    /// pip install options that take a value (long names and short letters).
    static let valueOptions: Set<String> = [
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--platform",
        "--python-version", "--implementation", "--abi", "--root", "--prefix", "--src", "--source",
        "--upgrade-strategy", "-C", "--config-settings", "--global-option", "--install-option", "--no-binary",
        "--only-binary", "--progress-bar", "--root-user-action", "--report", "--group", "-i", "--index-url",
        "--pypi-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--proxy", "--retries",
        "--timeout", "--exists-action", "--cert", "--client-cert", "--cache-dir", "--log", "--log-file",
        "--local-log", "--python", "--use-feature", "--use-deprecated", "--keyring-provider", "-b", "--build",
        "--resume-retries", "--hash",
        // uv pip install
        "-p", "--index-strategy", "--resolution", "--prerelease", "--link-mode", "--torch-backend", "--extra",
        "--exclude-newer", "--reinstall-package", "-P", "--upgrade-package", "--overrides", "--build-constraints",
        "--index", "--default-index", "--python-platform", "--config-file", "--directory", "--project",
    ]
    static let shortValueLetters: Set<UInt8> = Array("rceitCfbpP".utf8).reduce(into: []) { $0.insert($1) }
    /// pip global options (before the subcommand) that take a value.
    static let globalValueOptions: Set<String> = [
        "--proxy", "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert",
        "--cache-dir", "--log", "--log-file", "--local-log", "--python", "--use-feature", "--use-deprecated",
        "--keyring-provider", "--resume-retries", "--directory", "--project", "--config-file", "--cache-dir",
    ]
    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ash", "ksh"]

    public static func extract(from df: Dockerfile) -> PipInstallExtraction {
        var out = PipInstallExtraction(installs: [], problems: [])
        for stage in df.stages {
            let states = df.states(of: stage)
            for (k, inst) in stage.instructions.enumerated() where inst.keyword == "RUN" {
                let st = states[k]
                let idx = stage.instructionIndices[k]
                let lookup: (String) -> String? = { st.variables[$0] }
                var ctx = Context(df: df, stage: stage.index, instructionIndex: idx, workdir: st.workdir,
                                  origin: inst.origin, isExec: inst.isJSON, inHeredoc: false)
                if inst.isJSON {
                    let words: [ShellWord] = zip(inst.arguments, inst.argumentRanges).map { v, r in
                        let r = r ?? 0..<0
                        let len = v.utf8.count
                        let origins = (0..<len).map { min(r.lowerBound + 1 + $0, max(r.lowerBound, r.upperBound - 2)) }
                        return ShellWord(value: v, origins: origins, sourceRange: r, isQuoted: true, isDynamic: false, gluedRedirection: nil)
                    }
                    visit(ShellCommand(words: words, isConditional: false), &ctx, &out, lookup: lookup, depth: 0)
                } else {
                    let text = Array(inst.original.utf8)
                    let argText = Array(text[min(inst.argumentsOffset, text.count)...])
                    let cmds = ShellSplitter.split(bytes: argText, lookup: lookup).map { shift($0, by: inst.argumentsOffset) }
                    for c in cmds { visit(c, &ctx, &out, lookup: lookup, depth: 0) }
                    // Heredoc bodies that the shell runs.
                    let onlyHeredocs = cmds.allSatisfy { $0.words.isEmpty }
                    let firstProgram = cmds.first?.words.first.map { basename($0.value) }
                    let shellReads = onlyHeredocs || cmds.isEmpty || (firstProgram.map { shells.contains($0) } ?? false
                        && !(cmds.first?.words.dropFirst().contains { $0.value.hasPrefix("-") && $0.value.contains("c") } ?? false))
                    if shellReads {
                        for h in inst.heredocs {
                            var hctx = ctx
                            hctx.origin = h.origin
                            hctx.inHeredoc = true
                            let lk: (String) -> String? = h.expandsVariables ? lookup : { _ in nil }
                            for c in ShellSplitter.split(bytes: Array(h.content.utf8), lookup: lk) {
                                visit(c, &hctx, &out, lookup: lk, depth: 0)
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    struct Context {
        var df: Dockerfile
        var stage: Int
        var instructionIndex: Int
        var workdir: String
        var origin: TextOrigin
        var isExec: Bool
        var inHeredoc: Bool

        func range(_ r: Range<Int>) -> SourceRange { df.sourceRange(of: r, in: origin) }
        func arg(_ w: ShellWord) -> PipArgument { PipArgument(value: w.value, range: range(w.sourceRange), isDynamic: w.isDynamic) }
    }

    static func shift(_ c: ShellCommand, by d: Int) -> ShellCommand {
        var c = c
        c.words = c.words.map { w in
            var w = w
            w.origins = w.origins.map { $0 + d }
            w.sourceRange = (w.sourceRange.lowerBound + d)..<(w.sourceRange.upperBound + d)
            if let g = w.gluedRedirection { w.gluedRedirection = (g.op, g.target, (g.extent.lowerBound + d)..<(g.extent.upperBound + d)) }
            return w
        }
        return c
    }

    /// Re-expresses words split from `outer.value` in the coordinates of the outer text.
    static func mapThrough(_ c: ShellCommand, _ outer: ShellWord) -> ShellCommand {
        var c = c
        let o = outer.origins
        func m(_ k: Int) -> Int { o.isEmpty ? outer.sourceRange.lowerBound : o[min(max(k, 0), o.count - 1)] }
        func mr(_ r: Range<Int>) -> Range<Int> { r.isEmpty ? m(r.lowerBound)..<m(r.lowerBound) : m(r.lowerBound)..<(m(r.upperBound - 1) + 1) }
        c.words = c.words.map { w in
            var w = w
            w.origins = w.origins.map(m)
            w.sourceRange = mr(w.sourceRange)
            w.isDynamic = w.isDynamic || outer.isDynamic
            if let g = w.gluedRedirection { w.gluedRedirection = (g.op, g.target, mr(g.extent)) }
            return w
        }
        return c
    }

    static func basename(_ s: String) -> String {
        if let slash = s.lastIndex(of: "/") { return String(s[s.index(after: slash)...]) }
        return s
    }

    static func isPip(_ s: String) -> Bool {
        let b = basename(s)
        guard b.hasPrefix("pip") else { return false }
        let rest = b.dropFirst(3)
        return rest.allSatisfy { $0.isNumber || $0 == "." } && !rest.hasPrefix(".")
    }

    static func isPython(_ s: String) -> Bool {
        let b = basename(s)
        guard b.hasPrefix("python") else { return false }
        let rest = b.dropFirst(6)
        return rest.allSatisfy { $0.isNumber || $0 == "." }
    }

    static func visit(_ cmd: ShellCommand, _ ctx: inout Context, _ out: inout PipInstallExtraction,
                      lookup: @escaping (String) -> String?, depth: Int) {
        var w = cmd.words[...]
        // Prefixes: env assignments, sudo, exec, env, nohup, command, time.
        while let f = w.first {
            let v = f.value
            if let (name, _) = v.splitAtFirstEquals(), !name.isEmpty,
               name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }), !(v.first?.isNumber ?? true) {
                w = w.dropFirst(); continue
            }
            if v == "sudo" {
                w = w.dropFirst()
                while let o = w.first, o.value.hasPrefix("-") {
                    w = w.dropFirst()
                    if ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"].contains(o.value) { w = w.dropFirst() }
                    if o.value == "--" { break }
                }
                continue
            }
            if v == "env" {
                w = w.dropFirst()
                while let o = w.first, o.value.hasPrefix("-") { w = w.dropFirst(); if o.value == "-u" { w = w.dropFirst() } }
                continue
            }
            if ["exec", "nohup", "command", "time", "builtin"].contains(v) { w = w.dropFirst(); continue }
            break
        }
        guard let prog = w.first else { return }
        let words = Array(w)
        let name = basename(prog.value)
        // sh -c 'script'
        if shells.contains(name), depth < 4 {
            var k = 1
            var hasC = false
            while k < words.count, words[k].value.hasPrefix("-") || words[k].value.hasPrefix("+") {
                if words[k].value.hasPrefix("-"), !words[k].value.hasPrefix("--"), words[k].value.contains("c") { hasC = true }
                if words[k].value == "-o" { k += 1 }
                k += 1
            }
            if hasC, k < words.count {
                let script = words[k]
                for c in ShellSplitter.split(bytes: Array(script.value.utf8), lookup: lookup) {
                    var inner = mapThrough(c, script)
                    inner.isConditional = inner.isConditional || cmd.isConditional
                    visit(inner, &ctx, &out, lookup: lookup, depth: depth + 1)
                }
            }
            return
        }
        var launcher: String
        var k: Int
        if isPip(prog.value) {
            launcher = prog.value
            k = 1
        } else if isPython(prog.value) {
            k = 1
            var found = false
            while k < words.count {
                let v = words[k].value
                if v == "-m" { if k + 1 < words.count, words[k + 1].value == "pip" { found = true; k += 2 }; break }
                if v == "-mpip" { found = true; k += 1; break }
                if v.hasPrefix("-") && !v.hasPrefix("--") && v.count > 1 {
                    if v == "-X" || v == "-W" { k += 1 }
                    k += 1
                    continue
                }
                break
            }
            guard found else { return }
            launcher = prog.value + " -m pip"
        } else if name == "uv" {
            k = 1
            while k < words.count, words[k].value.hasPrefix("-") {
                if ["--directory", "--project", "--config-file", "--cache-dir", "-p", "--python", "--color"].contains(words[k].value) { k += 1 }
                k += 1
            }
            guard k < words.count, words[k].value == "pip" else { return }
            k += 1
            launcher = prog.value + " pip"
        } else {
            return
        }
        // Global options before the subcommand.
        while k < words.count, words[k].value.hasPrefix("-") {
            let v = words[k].value
            if globalValueOptions.contains(v) { k += 1 }
            k += 1
        }
        guard k < words.count, words[k].value == "install" else { return }
        k += 1
        let first = words.first!.sourceRange.lowerBound
        let last = words.last!.sourceRange.upperBound
        var pi = PipInstall(launcher: launcher, stageIndex: ctx.stage, instructionIndex: ctx.instructionIndex,
                            workdir: ctx.workdir, isExecForm: ctx.isExec, isInHeredoc: ctx.inHeredoc,
                            isConditional: cmd.isConditional, range: ctx.range(first..<last))
        func take(_ opt: String, _ value: ShellWord?) {
            let a = value.map(ctx.arg)
            switch opt {
            case "-r", "--requirement": if let a { pi.requirementFiles.append(a) }
            case "-c", "--constraint": if let a { pi.constraintFiles.append(a) }
            case "-e", "--editable": if let a { pi.editables.append(a) }
            case "-i", "--index-url", "--pypi-url", "--default-index": pi.indexURL = a
            case "--extra-index-url", "--index": if let a { pi.extraIndexURLs.append(a) }
            case "-f", "--find-links": if let a { pi.findLinks.append(a) }
            case "-t", "--target": pi.target = a
            case "--no-index": pi.noIndex = true
            case "--no-deps": pi.noDeps = true
            case "-U", "--upgrade": pi.upgrade = true
            case "--user": pi.user = true
            default: pi.options.append(PipOption(name: opt, value: a))
            }
        }
        var endOfOptions = false
        while k < words.count {
            let word = words[k]
            let v = word.value
            k += 1
            if !endOfOptions, v == "--" { endOfOptions = true; continue }
            if !endOfOptions, v.hasPrefix("--"), v.count > 2 {
                if let eq = v.utf8.firstIndex(of: 0x3D) {  // by bytes, as `splitAtFirstEquals`
                    let optName = String(decoding: v.utf8[..<eq], as: UTF8.self)
                    var valueWord = word
                    let cut = v.utf8.distance(from: v.utf8.startIndex, to: eq) + 1
                    valueWord.value = String(decoding: v.utf8[v.utf8.index(after: eq)...], as: UTF8.self)
                    valueWord.origins = Array(word.origins.dropFirst(cut))
                    if let f = valueWord.origins.first { valueWord.sourceRange = f..<word.sourceRange.upperBound }
                    take(optName, valueWord)
                } else if valueOptions.contains(v) {
                    take(v, k < words.count ? words[k] : nil)
                    k += 1
                } else {
                    take(v, nil)
                }
                continue
            }
            if !endOfOptions, v.hasPrefix("-"), v.count > 1 {
                // Short option cluster: `-qU`, `-rreqs.txt`, `-r reqs.txt`.
                let bytes = Array(v.utf8)
                var j = 1
                while j < bytes.count {
                    let letter = "-" + String(UnicodeScalar(bytes[j]))
                    if shortValueLetters.contains(bytes[j]) {
                        if j + 1 < bytes.count {
                            var valueWord = word
                            valueWord.value = String(decoding: bytes[(j + 1)...], as: UTF8.self)
                            valueWord.origins = Array(word.origins.dropFirst(j + 1))
                            if let f = valueWord.origins.first { valueWord.sourceRange = f..<word.sourceRange.upperBound }
                            take(letter, valueWord)
                        } else {
                            take(letter, k < words.count ? words[k] : nil)
                            k += 1
                        }
                        break
                    }
                    take(letter, nil)
                    j += 1
                }
                continue
            }
            pi.packages.append(ctx.arg(word))
            if let g = word.gluedRedirection {
                let what = g.op.hasPrefix(">")
                    ? "pip installs `\(v)` without the version constraint and the shell writes its output to a file `\(g.target)`"
                    : "the shell reads pip's input from a file `\(g.target)` and pip installs `\(v)` without the version constraint"
                out.problems.append(ParseProblem(
                    code: "pip-shell-redirection",
                    message: "unquoted `\(g.op)` in `\(v)\(g.op)\(g.target)` is a shell redirection: \(what)",
                    range: ctx.range(g.extent),
                    help: "quote the requirement: `'\(v)\(g.op)\(g.target)'`"))
            }
        }
        out.installs.append(pi)
    }
}
