// Stage building and BuildKit's variable substitution (global ARGs in FROM, ARG/ENV in stages).
// Reference: https://docs.docker.com/reference/dockerfile/#environment-replacement
import HashTreeCollections

/// Variables by name, for substitution: a plain dictionary, or the persistent one of stage states.
public protocol DockerEnvironment {
    subscript(_ name: String) -> String? { get }
}
extension Dictionary: DockerEnvironment where Key == String, Value == String {}
extension TreeDictionary: DockerEnvironment where Key == String, Value == String {}

/// Per-instruction state of a stage: the variables and working directory in effect.
public struct DockerStageState: Hashable, Sendable {
    /// ARG (with a default or a global default) and ENV values known statically before the instruction runs.
    /// Persistent (hash-array-mapped trie): every instruction of every stage has its own state, and a
    /// chain of n stages that each set a variable would otherwise hold n² entries; here each state shares
    /// all but O(log n) nodes with the one before.
    public var variables: TreeDictionary<String, String>
    /// Names declared with ARG/ENV whose value is not known statically (ARG without default).
    public var unknownVariables: TreeSet<String>
    /// Absolute container working directory the instruction runs in (after a WORKDIR instruction, its value).
    public var workdir: String
}

enum DockerfileSemantics {
    static func analyze(_ df: inout Dockerfile) {
        var globalEnv: [String: String] = [:]
        var globals: [(name: String, value: String?)] = []
        // The last global declaration of each name (`globals.last(where:)` per stage ARG was quadratic in the
        // number of global ARGs when stages redeclare many of them).
        var lastGlobal: [String: String?] = [:]
        var reportedLongWorkdir = false
        var stages: [DockerStage] = []
        var stageEnds: [(env: TreeDictionary<String, String>, workdir: String)] = []
        var env = TreeDictionary<String, String>()
        var workdir = "/"
        let esc = df.escapeCharacter
        var stageByName: [String: Int] = [:]
        var limits = DockerWords.ExpansionLimits()
        var currentRange = SourceRange(line: 1, column: 1)
        func expand<Env: DockerEnvironment>(_ word: String, _ env: Env) -> String {
            let before = limits
            let v = DockerWords.expand(word, escape: esc, env: env, limits: &limits, depth: 0).value
            if limits.tooDeep && !before.tooDeep {
                df.problems.append(ParseProblem(code: "expansion-too-deep", message: "variable substitution nests more than \(DockerWords.ExpansionLimits.maxDepth) levels; the inner part is left empty", range: currentRange))
            }
            if limits.tooLarge && !before.tooLarge {
                df.problems.append(ParseProblem(code: "expansion-too-large", message: "variable substitution grows beyond \(DockerWords.ExpansionLimits.maxWordBytes / 1024) KiB per word or \(DockerWords.ExpansionLimits.maxTotalBytes / (1024 * 1024)) MiB per file; the value is cut", range: currentRange))
            }
            return v
        }
        for idx in df.instructions.indices {
            var inst = df.instructions[idx]
            let kw = inst.keyword
            currentRange = inst.range
            if kw == "FROM" {
                if !stages.isEmpty { stageEnds.append((env, workdir)) }
                inst.expandedArguments = inst.arguments.map { expand($0, globalEnv) }
                let words = inst.expandedArguments
                var name: String?
                if words.isEmpty {
                    df.problems.append(ParseProblem(code: "missing-arguments", message: "`FROM` has no image", range: inst.range))
                } else if words.count >= 3, words[1].lowercased() == "as" {
                    name = words[2].lowercased()
                    if words.count > 3 {
                        df.problems.append(ParseProblem(code: "invalid-from", message: "`FROM` has extra words after the stage name", range: inst.range))
                    }
                } else if words.count != 1 {
                    df.problems.append(ParseProblem(code: "invalid-from", message: "`FROM` takes `image [AS name]`", range: inst.range))
                }
                if let name, stageByName[name] != nil {
                    df.problems.append(ParseProblem(code: "duplicate-stage-name", message: "stage name `\(name)` is used more than once", range: inst.range))
                }
                let image = words.first ?? ""
                let base = stageByName[image.lowercased()]
                if let name, stageByName[name] == nil { stageByName[name] = stages.count }
                if let base {
                    env = stageEnds[base].env
                    workdir = stageEnds[base].workdir
                } else {
                    env = [:]
                    workdir = "/"
                }
                stages.append(DockerStage(index: stages.count, name: name, baseImage: image, rawBaseImage: inst.arguments.first ?? "",
                                          platform: inst.flag("platform"), baseStageIndex: base, fromInstructionIndex: idx,
                                          instructionIndices: []))
                df.instructions[idx] = inst
                stages[stages.count - 1].instructionIndices.append(idx)
                continue
            }
            if stages.isEmpty {
                if kw == "ARG" {
                    var exp: [String] = []
                    for w in inst.arguments {
                        let (name, value) = splitArg(w, env: globalEnv, expand: expand)
                        globals.append((name, value))
                        lastGlobal[name] = .some(value)
                        if let value { globalEnv[name] = value } else { globalEnv.removeValue(forKey: name) }
                        exp.append(value.map { "\(name)=\($0)" } ?? name)
                    }
                    inst.expandedArguments = exp
                } else {
                    inst.expandedArguments = inst.arguments
                    df.problems.append(ParseProblem(code: "instruction-before-from", message: "`\(kw)` comes before the first `FROM`; only `ARG` may", range: inst.range))
                }
                df.instructions[idx] = inst
                continue
            }
            switch inst.effectiveKeyword == kw ? kw : "" {
            case "ARG":
                var exp: [String] = []
                for w in inst.arguments {
                    var (name, value) = splitArg(w, env: env, expand: expand)
                    if value == nil, let g = lastGlobal[name] { value = g }
                    if let value { env[name] = value } else { env.removeValue(forKey: name) }
                    exp.append(value.map { "\(name)=\($0)" } ?? name)
                }
                inst.expandedArguments = exp
            case "ENV", "LABEL":
                var exp: [String] = []
                var k = 0
                let a = inst.arguments
                while k + 1 < a.count {
                    let v = expand(a[k + 1], env)
                    exp.append(a[k]); exp.append(v)
                    if kw == "ENV" { let name: String = a[k]; env[name] = v }
                    k += 2
                }
                inst.expandedArguments = exp
            case "WORKDIR":
                let v = expand(inst.arguments.first ?? "", env)
                inst.expandedArguments = [v]
                if let w = DockerPath.workdir(after: workdir, v) {
                    workdir = w
                } else if !reportedLongWorkdir {
                    reportedLongWorkdir = true
                    df.problems.append(ParseProblem(code: "workdir-too-long", message: "the working directory grows beyond \(DockerPath.maxWorkdirBytes) bytes (PATH_MAX); this `WORKDIR` and any later one that would are ignored", range: inst.range))
                }
            default:
                if DockerfileParser.expandedInstructions.contains(kw) {
                    inst.expandedArguments = inst.arguments.map { expand($0, env) }
                } else {
                    inst.expandedArguments = inst.arguments
                }
            }
            df.instructions[idx] = inst
            stages[stages.count - 1].instructionIndices.append(idx)
        }
        // Each stage reads its instructions from the file's array (one storage, shared), set now that it is final.
        for k in stages.indices { stages[k].fileInstructions = df.instructions }
        df.stages = stages
        df.globalArgs = globals
        df.stageStatesCache = df.allStageStates()
        df.commandLinesCache = df.allCommandLines()
    }

    static func splitArg<Env: DockerEnvironment>(_ w: String, env: Env, expand: (String, Env) -> String) -> (String, String?) {
        guard let (name, value) = w.splitAtFirstEquals() else { return (w, nil) }
        return (name, expand(value, env))
    }
}

extension Dockerfile {
    /// The parent stages of `stage` (`FROM <stage>`), nearest first, walked iteratively (a chain may be
    /// thousands long); only earlier stages count, so a cycle cannot form.
    public func parentChain(of stage: DockerStage) -> [Int] {
        var chain: [Int] = []
        var cursor = stage.baseStageIndex
        var below = stage.index
        while let b = cursor, b < below, b >= 0, b < stages.count {
            chain.append(b)
            below = b
            cursor = stages[b].baseStageIndex
        }
        return chain
    }

    /// The state (variables, workdir) in effect at each instruction of a stage, parallel to `stage.instructions`.
    /// Variables from the parent stage (`FROM <stage>`) are inherited; global ARGs only after a bare `ARG NAME`.
    public func states(of stage: DockerStage) -> [DockerStageState] {
        if stage.index >= 0, stage.index < stageStatesCache.count, stage.index < stages.count,
           stages[stage.index].instructionIndices == stage.instructionIndices {
            return stageStatesCache[stage.index]
        }
        // The chain of parent stages, walked from the oldest (iteratively: a chain may be thousands long).
        let chain = parentChain(of: stage)
        var inherited = DockerStageState(variables: [:], unknownVariables: [], workdir: "/")
        for b in chain.reversed() {
            inherited = Self.states(of: stages[b], from: inherited).last ?? inherited
        }
        return Self.states(of: stage, from: inherited)
    }

    /// `states(of:)` for every stage at once, each parent computed once (linear in the file).
    public func allStageStates() -> [[DockerStageState]] {
        if stageStatesCache.count == stages.count { return stageStatesCache }
        var out: [[DockerStageState]] = []
        out.reserveCapacity(stages.count)
        for stage in stages {
            var inherited = DockerStageState(variables: [:], unknownVariables: [], workdir: "/")
            if let base = stage.baseStageIndex, base < stage.index, base < out.count {
                inherited = out[base].last ?? inherited
            }
            out.append(Self.states(of: stage, from: inherited))
        }
        return out
    }

    static func states(of stage: DockerStage, from inherited: DockerStageState) -> [DockerStageState] {
        var st = inherited
        var out: [DockerStageState] = []
        out.reserveCapacity(stage.instructions.count)
        for inst in stage.instructions {
            let kw = inst.subKeyword == nil ? inst.keyword : ""
            switch kw {
            case "ARG":
                for w in inst.expandedArguments {
                    if let (name, value) = w.splitAtFirstEquals() {
                        st.variables[name] = value
                        st.unknownVariables.remove(name)
                    } else {
                        st.variables.removeValue(forKey: w)
                        st.unknownVariables.insert(w)
                    }
                }
            case "ENV":
                var k = 0
                let a = inst.expandedArguments
                while k + 1 < a.count {
                    let name: String = a[k], value: String = a[k + 1]
                    st.variables[name] = value
                    st.unknownVariables.remove(name)
                    k += 2
                }
            case "WORKDIR":
                st.workdir = DockerPath.workdir(after: st.workdir, inst.expandedArguments.first ?? "") ?? st.workdir
            default: break
            }
            out.append(st)
        }
        return out
    }
}

/// POSIX path helpers for container paths.
public enum DockerPath {
    /// Cleans `.`/`..`/duplicate slashes; keeps a leading `/` for absolute paths.
    public static func clean(_ p: String) -> String {
        if isClean(p) { return p }
        let absolute = p.hasPrefix("/")
        var parts: [Substring] = []
        for c in p.asciiSplit(0x2F) {
            if c == "." { continue }
            if c == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(c) }
                continue
            }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `clean(p)` is `p` itself: an ASCII path (its `/` bytes are its `/` Characters) without an empty, `.` or
    /// `..` segment, a leading `/` allowed, a trailing one not; or `/`. Most paths of a Dockerfile are (every COPY
    /// source and destination is cleaned, and joined paths again): no segments are split and joined for them.
    static func isClean(_ p: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let answer: Bool? = p.utf8.withContiguousStorageIfAvailable { buf in
            guard let first = buf.first else { return false }
            if buf.count == 1 && first == slash { return true }
            var start = first == slash ? 1 : 0
            var dotsOnly = true
            for i in start...buf.count {
                if i == buf.count || buf[i] == slash {
                    let length = i - start
                    if length == 0 || (dotsOnly && length <= 2) { return false }
                    start = i + 1
                    dotsOnly = true
                } else {
                    if buf[i] >= 0x80 { return false }
                    if buf[i] != dot { dotsOnly = false }
                }
            }
            return true
        }
        return answer ?? false
    }

    /// The longest working directory kept: Linux's PATH_MAX (4,096 bytes with the terminating NUL). A longer one
    /// cannot be created in a build, and relative WORKDIRs that keep growing it (`WORKDIR a` thousands of times)
    /// made every later join, and the state of every later instruction, as long as the file: quadratic time and memory.
    public static let maxWorkdirBytes = 4095

    /// The working directory after `WORKDIR p` in `base`; nil when it would be longer than `maxWorkdirBytes`
    /// (the instruction is then ignored, and reported by the parser).
    public static func workdir(after base: String, _ p: String) -> String? {
        let w = join(base, p)
        return w.utf8.count > maxWorkdirBytes ? nil : w
    }

    /// `base` joined with `p` (absolute `p` wins), cleaned.
    public static func join(_ base: String, _ p: String) -> String {
        if p.isEmpty { return clean(base) }
        if p.hasPrefix("/") { return clean(p) }
        return clean(base + "/" + p)
    }
}
