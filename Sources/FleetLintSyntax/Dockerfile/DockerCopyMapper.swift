// Maps container paths back to the repository files that COPY/ADD brought into a stage.
// https://docs.docker.com/reference/dockerfile/#copy

import Foundation

/// Where a container path came from.
public enum DockerCopyResolution: Hashable, Sendable {
    /// A file of the repository (repo-relative path).
    case repoFile(String)
    /// A `COPY <<NAME dst` heredoc (instruction index in `Dockerfile.instructions`).
    case heredoc(instructionIndex: Int, name: String)
    /// Brought in by `COPY --from=<stage|image>`.
    case otherStage(String)
    case notCopied
}

/// A repository file or directory that a stage copies in.
public struct DockerCopiedSource: Hashable, Sendable {
    /// Repo-relative path (`""` = repository root).
    public var repoPath: String
    public var isDirectory: Bool
    /// Absolute container destination (a directory when the source is one).
    public var containerPath: String
    public var instructionIndex: Int
}

/// What the COPY/ADD steps of one parent stage's chain resolve container paths to, shared by the mappers of every
/// stage built `FROM` it (with the same base workdir and file access): a fan of n stages off the end of an n-stage
/// chain asked each of the chain's steps again per stage (quadratic). Locked: the reachability walks that resolve
/// through their images' mappers run in parallel.
public final class DockerParentStepsMemo: @unchecked Sendable {
    private let lock = NSLock()
    /// By the target's bytes (two spellings of one name are equal Strings, and the answer cuts the target) and the
    /// instruction the steps end before (nil: the whole parent chain).
    private struct Key: Hashable { var target: [UInt8]; var before: Int? }
    private var resolved: [Key: DockerCopyResolution] = [:]
    /// The parent chain's steps (and whether a WORKDIR came among them), made by the first mapper that asks.
    private var steps: (steps: [DockerCopyMapper.CopyStep], sawWorkdir: Bool)?
    public init() {}
    func value(_ target: String, before: Int?) -> DockerCopyResolution? {
        let key = Key(target: Array(target.utf8), before: before)
        lock.lock(); defer { lock.unlock() }
        return resolved[key]
    }
    func store(_ target: String, before: Int?, _ r: DockerCopyResolution) {
        let key = Key(target: Array(target.utf8), before: before)
        lock.lock(); resolved[key] = r; lock.unlock()
    }
    func steps(_ make: () -> (steps: [DockerCopyMapper.CopyStep], sawWorkdir: Bool)) -> (steps: [DockerCopyMapper.CopyStep], sawWorkdir: Bool) {
        lock.lock(); defer { lock.unlock() }
        if let steps { return steps }
        let made = make()
        steps = made
        return made
    }
}

/// Pure COPY/ADD mapping for one stage. File access goes through the closures.
public struct DockerCopyMapper {
    public let dockerfile: Dockerfile
    public let stage: DockerStage
    /// Build-context directory, repo-relative (`""` = root).
    public let contextDirectory: String
    /// Whether a repo-relative path is an existing regular file.
    public let fileExists: (String) -> Bool
    /// All files (repo-relative, recursive) under a repo-relative directory; empty when it is not one.
    public let listFiles: (String) -> [String]
    /// Whether a repo-relative directory holds any file: `!listFiles(dir).isEmpty` without listing them (a COPY of
    /// a directory asked this of a listing of the whole directory, every string of it retained and released).
    public let hasFiles: (String) -> Bool
    public let ignore: DockerIgnore?
    /// The working directory the first stage of the chain starts in: `/`, or the WORKDIR of a base image
    /// built in the repository (`FROM gcr.io/p/base` whose Dockerfile sets `WORKDIR /app`).
    public let baseWorkdir: String
    /// The steps before instruction `end` (the stage's `FROM`: its parent chain's) are made once and resolve through
    /// `memo`, shared with the other stages built on the same parent: only for mappers made with the same `baseWorkdir`
    /// and file access (a memo per parent stage, base workdir and build context).
    public let parentSteps: (end: Int, memo: DockerParentStepsMemo)?

    /// `parentSteps`: a memo shared by the stages of `dockerfile` built on `stage`'s parent (nil: none).
    public init(dockerfile: Dockerfile, stage: DockerStage, contextDirectory: String, ignore: DockerIgnore? = nil,
                baseWorkdir: String = "/",
                fileExists: @escaping (String) -> Bool, listFiles: @escaping (String) -> [String],
                hasFiles: ((String) -> Bool)? = nil, parentSteps: DockerParentStepsMemo? = nil) {
        self.baseWorkdir = baseWorkdir
        self.dockerfile = dockerfile
        self.stage = stage
        self.contextDirectory = DockerPath.clean(contextDirectory) == "." ? "" : DockerPath.clean(contextDirectory)
        self.fileExists = fileExists
        self.listFiles = listFiles
        self.hasFiles = hasFiles ?? { !listFiles($0).isEmpty }
        self.ignore = ignore
        if let memo = parentSteps, let parent = stage.baseStageIndex, parent < stage.index, parent >= 0, parent < dockerfile.stages.count {
            let inherited = memo.steps {
                var sawWorkdir = false
                let steps = Self.steps(of: dockerfile.stages[parent], in: dockerfile, baseWorkdir: baseWorkdir, sawWorkdir: &sawWorkdir)
                return (steps, sawWorkdir)
            }
            var sawWorkdir = inherited.sawWorkdir
            var own: [CopyStep] = []
            Self.appendSteps(of: stage, in: dockerfile, baseWorkdir: baseWorkdir, sawWorkdir: &sawWorkdir, to: &own)
            self.allSteps = StepList(head: inherited.steps, tail: own)
            self.parentSteps = (stage.fromInstructionIndex, memo)
        } else {
            var sawWorkdir = false
            self.allSteps = StepList(head: [], tail: Self.steps(of: stage, in: dockerfile, baseWorkdir: baseWorkdir, sawWorkdir: &sawWorkdir))
            self.parentSteps = nil
        }
    }

    struct CopyStep { var inst: DockerInstruction; var index: Int; var workdir: String; var stageIndex: Int }

    /// The parent chain's steps (shared by reference with the other stages built on the same parent) and then the
    /// stage's own: the steps a fan of stages built on one chain's end holds are not copied per stage.
    struct StepList: RandomAccessCollection {
        let head: [CopyStep]
        let tail: [CopyStep]
        var startIndex: Int { 0 }
        var endIndex: Int { head.count + tail.count }
        subscript(i: Int) -> CopyStep { i < head.count ? head[i] : tail[i - head.count] }
    }

    /// COPY/ADD instructions of this stage and its ancestor stages, in build order (so by instruction
    /// index): computed once per mapper, as a chain may be thousands of stages long and every resolve reads it.
    private let allSteps: StepList

    static func steps(of stage: DockerStage, in dockerfile: Dockerfile, baseWorkdir: String, sawWorkdir: inout Bool) -> [CopyStep] {
        var chain = [stage.index]
        chain += dockerfile.parentChain(of: stage)
        var out: [CopyStep] = []
        for i in chain.reversed() {
            appendSteps(of: i == stage.index ? stage : dockerfile.stages[i], in: dockerfile, baseWorkdir: baseWorkdir,
                        sawWorkdir: &sawWorkdir, to: &out)
        }
        return out
    }

    /// One stage's COPY/ADD steps; `sawWorkdir`: whether a WORKDIR came before, in it or its parent chain.
    static func appendSteps(of s: DockerStage, in dockerfile: Dockerfile, baseWorkdir: String, sawWorkdir: inout Bool,
                            to out: inout [CopyStep]) {
        let states = dockerfile.states(of: s)
        for (k, inst) in s.instructions.enumerated() {
            if inst.keyword == "WORKDIR" { sawWorkdir = true }
            if inst.keyword == "COPY" || inst.keyword == "ADD" {
                out.append(CopyStep(inst: inst, index: s.instructionIndices[k], workdir: sawWorkdir ? states[k].workdir : baseWorkdir,
                                    stageIndex: s.index))
            }
        }
    }

    /// The COPY/ADD steps of the chain, optionally only those before instruction `limit`.
    func steps(before limit: Int?) -> Slice<StepList> {
        guard let limit else { return allSteps[...] }
        return allSteps[..<firstStep(atOrAfter: limit)]
    }

    /// The position in `allSteps` of the first step at instruction `limit` or later (binary search: steps are in
    /// instruction order).
    func firstStep(atOrAfter limit: Int) -> Int {
        var lo = 0, hi = allSteps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if allSteps[mid].index < limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func repo(_ contextRelative: String) -> String {
        let c = DockerPath.clean(contextRelative)
        let rel = c.hasPrefix("/") ? String(c.dropFirst()) : c
        if rel == "." || rel.isEmpty { return contextDirectory }
        return contextDirectory.isEmpty ? rel : contextDirectory + "/" + rel
    }

    func contextRelative(_ repoPath: String) -> String {
        contextDirectory.isEmpty ? repoPath : String(repoPath.dropFirst(contextDirectory.count + 1))
    }

    func ignored(_ repoPath: String) -> Bool { ignore?.isExcluded(contextRelative(repoPath)) ?? false }

    // An ASCII string by bytes (each byte is a Character; none of these joins a neighbour); others by Characters
    // (`*` before a combining mark is no `*` Character).
    static func hasGlob(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return s.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
        }
        return s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }
    private static let schemeSeparator = Array("://".utf8)
    static func isURL(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            // In place: a native string's bytes are contiguous (a copy into an array per source was an allocation).
            let hasScheme = s.utf8.withContiguousStorageIfAvailable { ByteSearch.contains(schemeSeparator, in: $0) }
                ?? s.contains("://")
            return hasScheme || s.hasPrefix("git@")
        }
        return s.contains("://") || s.hasPrefix("git@")
    }

    /// Expands a COPY source to (repo path, isDirectory) pairs.
    func expand(_ src: String) -> [(String, Bool)] {
        let cleaned = DockerPath.clean(src)
        let rel = cleaned.hasPrefix("/") ? String(cleaned.dropFirst()) : cleaned
        if Self.hasGlob(rel) {
            let segs = rel.asciiSplit(0x2F).map(String.init)
            let scalarSegs = segs.map { Array($0.unicodeScalars) }
            let staticSegs = segs.prefix { !Self.hasGlob($0) }
            let baseRel = staticSegs.joined(separator: "/")
            let base = repo(baseRel)
            var results: [String: Bool] = [:]
            for f in listFiles(base) {
                let fr = contextRelative(f).asciiSplit(0x2F).map(String.init)
                // A glob matches a file, or a directory that is a prefix of the file.
                if fr.count >= segs.count, Glob.run(scalarSegs, fr[0..<segs.count].map { Array($0.unicodeScalars) }, stopAtPrefix: false).whole {
                    let m = fr[0..<segs.count].joined(separator: "/")
                    results[repo(m)] = fr.count > segs.count
                }
            }
            return results.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        let r = repo(rel)
        if rel == "." || rel.isEmpty { return [(r, true)] }
        if fileExists(r) { return [(r, false)] }
        if hasFiles(r) { return [(r, true)] }
        return []
    }

    /// The repo file (or heredoc) that put `containerPath` in place, using the latest matching COPY/ADD
    /// before instruction `beforeInstruction` (an index into `Dockerfile.instructions`; nil = whole stage).
    /// A relative `containerPath` resolves against `workdir`.
    public func resolve(containerPath: String, workdir: String = "/", beforeInstruction: Int? = nil) -> DockerCopyResolution {
        let target = DockerPath.join(workdir, containerPath)
        let candidates = steps(before: beforeInstruction)
        if let shared = parentSteps {
            guard let limit = beforeInstruction, limit < shared.end else {
                // The stage's own steps first (the latest match wins), then the parent chain's answer, worked out once.
                let split = firstStep(atOrAfter: shared.end)
                if let own = resolve(target: target, in: candidates[split...]) { return own }
                if let known = shared.memo.value(target, before: nil) { return known }
                let inherited = resolve(target: target, in: candidates[..<split]) ?? .notCopied
                shared.memo.store(target, before: nil, inherited)
                return inherited
            }
            // Before an instruction of the parent chain (an install of one of its stages): its steps only.
            if let known = shared.memo.value(target, before: limit) { return known }
            let found = resolve(target: target, in: candidates) ?? .notCopied
            shared.memo.store(target, before: limit, found)
            return found
        }
        return resolve(target: target, in: candidates) ?? .notCopied
    }

    /// The latest of `steps` that puts `target` in place, if any.
    func resolve(target: String, in steps: Slice<StepList>) -> DockerCopyResolution? {
        for step in steps.reversed() {
            let args = step.inst.expandedArguments
            guard args.count >= 2 else { continue }
            let rawDest = args.last!
            let dest = DockerPath.join(step.workdir, rawDest)
            let sources = args.dropLast()
            let destIsDir = rawDest.hasSuffix("/") || rawDest == "." || sources.count > 1 || sources.contains { Self.hasGlob($0) }
            if let from = step.inst.flag("from") {
                if target == dest || target.hasPrefix(dest == "/" ? "/" : dest + "/") { return .otherStage(from) }
                continue
            }
            for src in sources.reversed() {
                if src.hasPrefix("<<") {
                    guard let h = step.inst.heredocs.first(where: { "<<" + $0.name == src || src.hasSuffix($0.name) }) else { continue }
                    let path = destIsDir ? DockerPath.join(dest, h.name) : dest
                    if path == target { return .heredoc(instructionIndex: step.index, name: h.name) }
                    continue
                }
                if Self.isURL(src) { continue }
                for (repoPath, isDir) in expand(src) {
                    if isDir {
                        let prefix = dest == "/" ? "/" : dest + "/"
                        guard target.hasPrefix(prefix) else { continue }
                        let rel = String(target.dropFirst(prefix.count))
                        let candidate = repoPath.isEmpty ? rel : repoPath + "/" + rel
                        if fileExists(candidate) && !ignored(candidate) { return .repoFile(candidate) }
                    } else {
                        let name = repoPath.asciiLastComponent(0x2F).map(String.init) ?? repoPath
                        let path = destIsDir ? DockerPath.join(dest, name) : dest
                        if path == target && !ignored(repoPath) { return .repoFile(repoPath) }
                    }
                }
            }
        }
        return nil
    }

    /// Every repo file or directory this stage (and the stages it builds on) copies in from the build context; with
    /// `from`/`to`, only the steps of instructions in `from..<to` (`to: stage.fromInstructionIndex`: the parent chain's,
    /// `from:` it: the stage's own; the two in order are the whole list).
    public func copiedSources(from: Int = 0, to: Int? = nil) -> [DockerCopiedSource] {
        var out: [DockerCopiedSource] = []
        let upTo = steps(before: to)
        for step in upTo[min(firstStep(atOrAfter: from), upTo.endIndex)...] where step.inst.flag("from") == nil {
            let args = step.inst.expandedArguments
            guard args.count >= 2 else { continue }
            let rawDest = args.last!
            let dest = DockerPath.join(step.workdir, rawDest)
            let sources = args.dropLast()
            let destIsDir = rawDest.hasSuffix("/") || sources.count > 1 || sources.contains { Self.hasGlob($0) }
            for src in sources where !src.hasPrefix("<<") && !Self.isURL(src) {
                for (repoPath, isDir) in expand(src) where !ignored(repoPath) || isDir {
                    let name = repoPath.asciiLastComponent(0x2F).map(String.init) ?? repoPath
                    let cpath = isDir || !destIsDir ? dest : DockerPath.join(dest, name)
                    out.append(DockerCopiedSource(repoPath: repoPath, isDirectory: isDir, containerPath: cpath, instructionIndex: step.index))
                }
            }
        }
        return out
    }

    /// Repo files copied into the stage (directories expanded, `.dockerignore` applied).
    public func copiedFiles() -> [String] {
        copiedFiles(of: copiedSources(), after: nil).files
    }

    /// `copiedFiles()` of `sources`, after a parent chain's answer (`after`: its files and their set, read, not copied;
    /// the `seen` returned is then this call's own).
    public func copiedFiles(of sources: [DockerCopiedSource], after parent: (files: [String], seen: Set<String>)?)
        -> (files: [String], seen: Set<String>) {
        var seen: Set<String> = []
        var out = parent?.files ?? []
        let parentSeen = parent?.seen ?? []
        for s in sources {
            let files = s.isDirectory ? listFiles(s.repoPath) : [s.repoPath]
            for f in files where !ignored(f) && !parentSeen.contains(f) && seen.insert(f).inserted { out.append(f) }
        }
        return (out, seen)
    }

    /// The build context: `dockerfileDir` when the Dockerfile's COPY/ADD sources exist relative to it, else the
    /// repository root (`""`). `exists` answers for files and directories (repo-relative).
    public static func inferContext(dockerfileDir: String, copySources: [String], fileExists exists: (String) -> Bool) -> String {
        let dir = DockerPath.clean(dockerfileDir) == "." ? "" : DockerPath.clean(dockerfileDir)
        if dir.isEmpty { return "" }
        var here = 0, root = 0
        for s in copySources where !s.hasPrefix("<<") && !isURL(s) {
            let c = DockerPath.clean(s)
            let rel = c.hasPrefix("/") ? String(c.dropFirst()) : c
            if rel == "." || rel.isEmpty || hasGlob(rel) { continue }
            if exists(dir + "/" + rel) { here += 1 } else if exists(rel) { root += 1 }
        }
        return root > here ? "" : dir
    }
}
