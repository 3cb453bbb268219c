// Maps container paths back to the repository files that COPY/ADD brought into a stage.
// https://docs.docker.com/reference/dockerfile/#copy

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

    public init(dockerfile: Dockerfile, stage: DockerStage, contextDirectory: String, ignore: DockerIgnore? = nil,
                baseWorkdir: String = "/",
                fileExists: @escaping (String) -> Bool, listFiles: @escaping (String) -> [String],
                hasFiles: ((String) -> Bool)? = nil) {
        self.baseWorkdir = baseWorkdir
        self.dockerfile = dockerfile
        self.stage = stage
        self.contextDirectory = DockerPath.clean(contextDirectory) == "." ? "" : DockerPath.clean(contextDirectory)
        self.fileExists = fileExists
        self.listFiles = listFiles
        self.hasFiles = hasFiles ?? { !listFiles($0).isEmpty }
        self.ignore = ignore
        self.allSteps = Self.steps(of: stage, in: dockerfile, baseWorkdir: baseWorkdir)
    }

    struct CopyStep { var inst: DockerInstruction; var index: Int; var workdir: String; var stageIndex: Int }

    /// COPY/ADD instructions of this stage and its ancestor stages, in build order (so by instruction
    /// index): computed once per mapper, as a chain may be thousands of stages long and every resolve reads it.
    private let allSteps: [CopyStep]

    static func steps(of stage: DockerStage, in dockerfile: Dockerfile, baseWorkdir: String) -> [CopyStep] {
        var chain = [stage.index]
        chain += dockerfile.parentChain(of: stage)
        var out: [CopyStep] = []
        var sawWorkdir = false
        for i in chain.reversed() {
            let s = i == stage.index ? stage : dockerfile.stages[i]
            let states = dockerfile.states(of: s)
            for (k, inst) in s.instructions.enumerated() {
                if inst.keyword == "WORKDIR" { sawWorkdir = true }
                if inst.keyword == "COPY" || inst.keyword == "ADD" {
                    out.append(CopyStep(inst: inst, index: s.instructionIndices[k], workdir: sawWorkdir ? states[k].workdir : baseWorkdir,
                                        stageIndex: s.index))
                }
            }
        }
        return out
    }

    /// The COPY/ADD steps of the chain, optionally only those before instruction `limit`.
    func steps(before limit: Int?) -> ArraySlice<CopyStep> {
        guard let limit else { return allSteps[...] }
        // Binary search: steps are in instruction order.
        var lo = 0, hi = allSteps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if allSteps[mid].index < limit { lo = mid + 1 } else { hi = mid }
        }
        return allSteps[..<lo]
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
        for step in steps(before: beforeInstruction).reversed() {
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
        return .notCopied
    }

    /// Every repo file or directory this stage (and the stages it builds on) copies in from the build context.
    public func copiedSources() -> [DockerCopiedSource] {
        var out: [DockerCopiedSource] = []
        for step in steps(before: nil) where step.inst.flag("from") == nil {
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
        var seen: Set<String> = []
        var out: [String] = []
        for s in copiedSources() {
            let files = s.isDirectory ? listFiles(s.repoPath) : [s.repoPath]
            for f in files where !ignored(f) && seen.insert(f).inserted { out.append(f) }
        }
        return out
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
