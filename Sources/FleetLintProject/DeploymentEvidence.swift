import FleetLintCore
import FleetLintSyntax
import Foundation

/// What the repository's build and deploy configuration says gets built: the Dockerfiles that
/// compose, Cloud Build, CI workflows, Makefiles and deploy scripts build, and the directories they
/// deploy from source (`gcloud run deploy --source`, `gcloud functions deploy --source`).
///
/// A Dockerfile nothing references is still deployed unless it lies under an archived path
/// (`[tool.fleetlint.dependencies] archived`); a referenced one is deployed wherever it lies.
public struct DeploymentEvidence: Sendable, Codable {
    /// Dockerfile (repo path) → the configuration file that builds it.
    public var dockerfiles: [String: String] = [:]
    /// Directory (repo path, `""` = root) → the configuration file that deploys it from source.
    public var sourceDirectories: [String: String] = [:]
    /// Image name (without tag or digest) → the Dockerfile that builds it, for `FROM` of a local base image.
    public var imageNames: [String: String] = [:]

    /// `gcr.io/p/base:1.2@sha256:…` → `gcr.io/p/base`.
    public static func imageName(_ reference: String) -> String {
        var r = Substring(reference)
        if let at = r.firstIndex(of: "@") { r = r[..<at] }
        if let colon = r.lastIndex(of: ":"), !r[colon...].contains("/") { r = r[..<colon] }
        return String(r)
    }

    /// The repository Dockerfile that builds `reference`: by exact name, else by its last path component
    /// when exactly one tagged image ends that way (tags often spell the registry with `$PROJECT_ID`).
    public func dockerfile(building reference: String) -> String? {
        let name = Self.imageName(reference)
        if let hit = imageNames[name] { return hit }
        let last = name.asciiLastComponent(0x2F).map(String.init) ?? name
        let matches = Set(imageNames.filter { ($0.key.asciiLastComponent(0x2F).map(String.init) ?? $0.key) == last }.values)
        return matches.count == 1 ? matches.first : nil
    }

    /// Folder names (any depth) whose contents are kept for reference and never built by default.
    public static let defaultArchived = [
        "archive", "archived", "_archive", ".archive", "deprecated", "*-deprecated", "*_deprecated", "attic",
        "docs", "backup", "backups",
    ]

    static let maximumConfigSize = 1 << 20

    static let deployConfigNames: Set<Substring> = [
        "Makefile", "makefile", "GNUmakefile", "Jenkinsfile", "justfile", "Justfile", ".gitlab-ci.yml",
        "bitbucket-pipelines.yml", "skaffold.yaml", "Procfile",
    ]

    /// Whether a repo file is a build/deploy configuration that may name Dockerfiles or source directories.
    static func isDeployConfig(_ path: String) -> Bool {
        // Every name below ends in `e`, `l`, `k` or `h` (`Makefile`, `.yml`, `.mk`, `.sh`): most paths of a
        // repository (`.py`, `.json`, `.md`) are ruled out by their last byte.
        guard let last = path.utf8.last,
              last == UInt8(ascii: "e") || last == UInt8(ascii: "l") || last == UInt8(ascii: "k") || last == UInt8(ascii: "h") else { return false }
        let name = path.asciiLastComponent(0x2F) ?? path[...]
        if deployConfigNames.contains(name) { return true }
        if name.utf8HasSuffix(".mk") || name.utf8HasSuffix(".sh") || name.utf8HasSuffix(".bash") { return true }
        let isYAML = name.utf8HasSuffix(".yml") || name.utf8HasSuffix(".yaml")
        if isYAML && (path.hasPrefix(".github/workflows/") || name.hasPrefix("cloudbuild") || name.hasPrefix("docker-compose")
            || name.hasPrefix("compose")) { return true }
        return false
    }

    /// Reads every deploy configuration outside the archived paths.
    public static func scan(_ project: Project, isArchived: (String) -> Bool) -> DeploymentEvidence {
        let plan = Plan(project, isArchived: isArchived)
        if let stored = plan.stored { return stored }
        return plan.finish(plan.configs.map { scan(project, config: $0) })
    }

    /// A scan split into independent parts: the configuration files (each read on its own, in any order or in
    /// parallel), then `finish` merges their evidence in path order — the evidence of one scan in that order.
    public struct Plan: Sendable {
        /// The configuration files to read, in path order.
        public let configs: [String]
        /// The evidence the project memo kept for these files (then nothing needs reading).
        public let stored: DeploymentEvidence?
        private let key: String?
        private let project: Project

        public init(_ project: Project, isArchived: (String) -> Bool) {
            self.project = project
            configs = project.allPaths.filter { DeploymentEvidence.isDeployConfig($0) && !isArchived($0) }
            // Reading and splitting every script and workflow is kept in the project memo, keyed by the path list
            // and the configuration files' blob ids (only when every one of them is known without reading it).
            var key: String? = nil
            if project.memo != nil {
                var inputs = [ContentHash.sha256(project.allPaths)]
                for path in configs {
                    guard let blob = project.blob(path)?.hex else { inputs = []; break }
                    inputs.append(path + "\u{1}" + blob)
                }
                if !inputs.isEmpty { key = ProjectMemo.key("deployment-evidence", inputs) }
            }
            self.key = key
            stored = key.flatMap { project.memo?.value($0) }.flatMap { try? JSONDecoder().decode(DeploymentEvidence.self, from: Data($0)) }
        }

        /// The evidence of the parts (one per entry of `configs`, in that order), stored in the project memo.
        public func finish(_ parts: [DeploymentEvidence]) -> DeploymentEvidence {
            var evidence = DeploymentEvidence()
            for part in parts { evidence.merge(part) }
            if let key, let bytes = DeploymentEvidence.memoBytes(evidence) { project.memo?.store(key, bytes) }
            return evidence
        }
    }

    /// The evidence as the project memo stores it: JSON with sorted keys, so that the same evidence is the same
    /// bytes in every run (a dictionary's order changes from process to process).
    static func memoBytes(_ evidence: DeploymentEvidence) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(evidence)).map { [UInt8]($0) }
    }

    /// Adds what a later configuration file says: the first file to name a Dockerfile, directory or image wins.
    mutating func merge(_ later: DeploymentEvidence) {
        // Within one file every Dockerfile and directory maps to that file, and each image name to the first
        // target that tags it: taking them in any order, first wins, gives what one pass over the files gives.
        for (k, v) in later.dockerfiles where dockerfiles[k] == nil { dockerfiles[k] = v }
        for (k, v) in later.sourceDirectories where sourceDirectories[k] == nil { sourceDirectories[k] = v }
        for (k, v) in later.imageNames where imageNames[k] == nil { imageNames[k] = v }
    }

    /// What one configuration file says. `yamlTargets`: the targets `DockerBuildConfigReader` already read from it
    /// when it is a compose or Cloud Build file (the dependency index reads those for their build contexts).
    public static func scan(_ project: Project, config path: String, yamlTargets: [DockerBuildTarget]? = nil) -> DeploymentEvidence {
        var evidence = DeploymentEvidence()
        guard let bytes = project.contents(path), bytes.count <= maximumConfigSize else { return evidence }
        let dir = DependencyIndexBuilder.directory(of: path)
        let name = path.asciiLastComponent(0x2F).map(String.init) ?? path
        var targets: [DockerBuildTarget] = []
        // The index reads a file with the same reader as here (compose files by the same names, Cloud Build files
        // by theirs), so its targets stand for a second read.
        if name.hasPrefix("docker-compose") || name.hasPrefix("compose") {
            targets += yamlTargets ?? DockerBuildConfigReader.composeTargets(bytes, fileDirectory: dir)
        } else if name.hasPrefix("cloudbuild") {
            targets += yamlTargets ?? DockerBuildConfigReader.cloudBuildTargets(bytes, fileDirectory: dir)
        }
        // Every other file (and the scripts inside the YAML ones) is read as shell command lines: a Makefile
        // recipe, a workflow's `run:` and a deploy script all spell `docker build -f …` the same way. A file
        // that never spells `docker` or `gcloud` cannot build anything: it has no such lines, nothing is split.
        for command in Self.commandLines(mentioningBuildToolsIn: bytes).flatMap({ ShellSplitter.split(bytes: $0, lookup: { _ in nil }) }) {
            let words = command.words.map(\.value)
            for start in words.indices {
                let tool = words[start].asciiLastComponent(0x2F).map(String.init) ?? words[start]
                guard tool == "docker" || tool == "gcloud" else { continue }
                let argv = Array(words[start...])
                if tool == "docker" {
                    // Scripts run from the repository root or from their own directory: take whichever names a file.
                    for base in [dir, ""] {
                        if let t = DockerBuildConfigReader.buildTarget(argv, dir: base), project.exists(t.dockerfilePath) {
                            targets.append(t)
                            break
                        }
                    }
                } else {
                    evidence.readGcloud(argv, configPath: path, dir: dir, project: project)
                }
                break
            }
        }
        for t in targets where evidence.dockerfiles[t.dockerfilePath] == nil { evidence.dockerfiles[t.dockerfilePath] = path }
        evidence.record(tags: targets)
        return evidence
    }

    mutating func record(tags targets: [DockerBuildTarget]) {
        for t in targets {
            for tag in t.tags where !tag.isEmpty {
                let name = Self.imageName(tag)
                if imageNames[name] == nil { imageNames[name] = t.dockerfilePath }
            }
        }
    }

    /// The logical lines (backslash-newline continuations joined) that contain `docker` or `gcloud`: only they
    /// can build or deploy anything, so only they are shell-split. The file is searched once for the words;
    /// only the lines around a hit are cut out (a line break is a newline not preceded by a backslash).
    static func commandLines(mentioningBuildToolsIn bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let n = bytes.count
        func isBreak(_ i: Int) -> Bool { bytes[i] == UInt8(ascii: "\n") && !(i > 0 && bytes[i - 1] == UInt8(ascii: "\\")) }
        var from = 0
        // The next `docker` and `gcloud` at or after `from` (`n`: none), each searched again only once `from`
        // passes it: together the searches read the file once.
        var nextDocker = -1, nextGcloud = -1
        func mention() -> Int? {
            if nextDocker < from { nextDocker = find(docker, in: bytes, from: from) ?? n }
            if nextGcloud < from { nextGcloud = find(gcloud, in: bytes, from: from) ?? n }
            let first = min(nextDocker, nextGcloud)
            return first < n ? first : nil
        }
        while let hit = mention() {
            var start = hit
            while start > from, !isBreak(start - 1) { start -= 1 }
            var end = hit
            while end < n, !isBreak(end) { end += 1 }
            out.append(Array(bytes[start..<end]))
            from = end + 1
            if from >= n { break }
        }
        return out
    }

    static let docker = Array("docker".utf8), gcloud = Array("gcloud".utf8)

    /// The position of the first `word` in `bytes` at or after `from`: libc's `memchr` jumps to each candidate
    /// first byte, then the rest is compared (not a bounds-checked loop over every byte).
    static func find(_ word: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        let m = word.count
        guard m > 0, from >= 0, from + m <= bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { hay -> Int? in
            word.withUnsafeBufferPointer { needle -> Int? in
                let base = hay.baseAddress!, last = hay.count - m
                var i = from
                while i <= last {
                    guard let p = memchr(base + i, Int32(needle[0]), last - i + 1) else { return nil }
                    let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                    var k = 1
                    while k < m && base[at + k] == needle[k] { k += 1 }
                    if k == m { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    /// The position of the first `docker` or `gcloud` at or after `from` (the reference `commandLines` is
    /// tested against).
    static func firstMention(in bytes: [UInt8], from: Int) -> Int? {
        let docker = Array("docker".utf8), gcloud = Array("gcloud".utf8)
        var i = from
        let n = bytes.count
        while i + 6 <= n {
            let b = bytes[i]
            if b == UInt8(ascii: "d") || b == UInt8(ascii: "g") {
                let word = b == UInt8(ascii: "d") ? docker : gcloud
                var k = 1
                while k < 6 && bytes[i + k] == word[k] { k += 1 }
                if k == 6 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Whether `text` contains `character` (the ASCII byte `byte`): an ASCII text by its bytes (no combining mark
    /// can join the byte to a neighbour), anything else by Foundation's search.
    static func contains(_ text: String, _ byte: UInt8, _ character: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.contains(byte) }
        return text.contains(character)
    }

    /// `gcloud builds submit DIR --tag …` builds `DIR/Dockerfile`; `gcloud run|functions deploy --source DIR`
    /// deploys DIR (its Dockerfile when it has one, else its requirements).
    mutating func readGcloud(_ argv: [String], configPath: String, dir: String, project: Project) {
        let words = argv.dropFirst()
        let verbs = Array(words.prefix { !$0.hasPrefix("-") })
        var source: String?
        var positional: [String] = []
        var it = words[...]
        while let w = it.first {
            it = it.dropFirst()
            if w == "--source" { source = it.first; it = it.dropFirst(); continue }
            if w.hasPrefix("--source=") { source = String(w.dropFirst(9)); continue }
            if w.hasPrefix("-") {
                if !Self.contains(w, 0x3D, "="), let next = it.first, !next.hasPrefix("-") { it = it.dropFirst() }
                continue
            }
            positional.append(w)
        }
        var directory: String?
        if verbs.starts(with: ["builds", "submit"]) {
            directory = positional.dropFirst(2).first ?? "."
        } else if (verbs.starts(with: ["run", "deploy"]) || verbs.starts(with: ["functions", "deploy"])
                   || verbs.starts(with: ["beta", "run", "deploy"])), let source {
            directory = source
        }
        guard let directory, !(directory.utf8.allSatisfy { $0 < 0x80 } ? directory.utf8.contains(0x3A) && directory.contains("://") : directory.contains("://")),
              !directory.hasPrefix("gs:") else { return }
        for base in [dir, ""] {
            let d = DockerBuildConfigReader.repoJoin(base, directory)
            let dockerfile = d.isEmpty ? "Dockerfile" : d + "/Dockerfile"
            if project.exists(dockerfile) {
                if dockerfiles[dockerfile] == nil { dockerfiles[dockerfile] = configPath }
                if sourceDirectories[d] == nil { sourceDirectories[d] = configPath }
                return
            }
            if project.hasPaths(under: d), d != "" || directory == "." {
                if sourceDirectories[d] == nil { sourceDirectories[d] = configPath }
                return
            }
        }
    }
}
