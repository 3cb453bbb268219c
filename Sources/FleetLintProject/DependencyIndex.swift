import Foundation
import FleetLintSyntax
#if canImport(Glibc)
import Glibc
#endif
import FleetLintCore

/// One requirement as it goes into a deployable unit, with where it was written.
///
/// What the requirement says and where it is written is one shared object (`Written`): a requirements file's
/// closure is resolved once, and every image that installs it copies only the reference and the two fields that
/// depend on the install (`isConstraint`, `installInstruction`). Copied whole, the 16x synthetic tree's images held
/// ~4.4 MiB of requirements (208 bytes each) at the run's peak; a copy is now 24 bytes.
public struct UnitRequirement: Sendable {
    final class Written: Sendable {
        let name: String
        let text: String
        let specifier: SpecifierSet?
        let pinned: Version?
        let marker: Marker?
        let appliesToTarget: Bool
        let path: String
        let range: SourceRange
        let isDirectReference: Bool

        init(name: String, text: String, specifier: SpecifierSet?, pinned: Version?, marker: Marker?,
             appliesToTarget: Bool, path: String, range: SourceRange, isDirectReference: Bool) {
            self.name = name
            self.text = text
            self.specifier = specifier
            self.pinned = pinned
            self.marker = marker
            self.appliesToTarget = appliesToTarget
            self.path = path
            self.range = range
            self.isDirectReference = isDirectReference
        }
    }
    private let written: Written

    /// Whether two requirements share what they say (one written entry reached through two closures or images).
    func sharesWritten(with other: UnitRequirement) -> Bool { written === other.written }

    /// PEP 503-normalised name ("" when pip cannot tell, e.g. a URL without `#egg=`).
    public var name: String { written.name }
    /// The requirement as written (`flask==2.3.3`, `./libs/common`).
    public var text: String { written.text }
    public var specifier: SpecifierSet? { written.specifier }
    /// `==X` without wildcard: the pinned version.
    public var pinned: Version? { written.pinned }
    public var marker: Marker? { written.marker }
    /// Whether the marker holds in the target environment (true without a marker).
    public var appliesToTarget: Bool { written.appliesToTarget }
    public var path: String { written.path }
    public var range: SourceRange { written.range }
    /// A URL, path or VCS requirement (no version to compare).
    public var isDirectReference: Bool { written.isDirectReference }
    /// For images: the Dockerfile instruction (index) whose `pip install` installs it. Requirements of
    /// different commands do not have to hold together for pip (the later command wins), but the
    /// image then runs versions the earlier files were not tested with.
    public var installInstruction: Int? = nil
    /// Declared after `installInstruction`, so that it fits in that optional's padding (24 bytes, not 32).
    public var isConstraint: Bool

    public init(name: String, text: String, specifier: SpecifierSet?, pinned: Version?, marker: Marker?,
                appliesToTarget: Bool, path: String, range: SourceRange, isConstraint: Bool, isDirectReference: Bool,
                installInstruction: Int? = nil) {
        written = Written(name: name, text: text, specifier: specifier, pinned: pinned, marker: marker,
                          appliesToTarget: appliesToTarget, path: path, range: range, isDirectReference: isDirectReference)
        self.isConstraint = isConstraint
        self.installInstruction = installInstruction
    }
}

/// A separately deployable thing: an image (a Dockerfile stage that installs Python packages), a root
/// requirements file with its `-r`/`-c` closure, or a pyproject.
public struct DeployableUnit: Sendable {
    public enum Kind: String, Sendable { case image, requirements, project }
    public var kind: Kind
    /// The defining file: the Dockerfile, the root requirements file or the pyproject.
    public var path: String
    /// Stage name or index for multi-stage images.
    public var stage: String?
    /// The unit's directory (where its own files live).
    public var directory: String
    /// Requirements in install order.
    public var requirements: [UnitRequirement]
    /// Requirements files that go into the unit, in install order.
    public var requirementFiles: [String]
    /// Python files that belong to the unit.
    public var sourceFiles: [String]
    /// Python programs the image starts (CMD/ENTRYPOINT), and the tools it runs with their locations.
    public var entryPoints: [PythonEntryPoint]
    public var tools: [(name: String, path: String, range: SourceRange)]
    /// False for a requirements file an image already installs (it is deployed through the image).
    public var isDeployedSeparately: Bool
    /// For an image with a recognised entry point: the source files reachable from it through
    /// first-party imports (the others are copied in but may never run).
    public var reachableFiles: Set<String>? = nil
    /// Reachable files that only imports inside functions reach (lazy imports, PEP 562 `__getattr__`): they
    /// load when that code runs, not when the service starts.
    public var lazilyReachableFiles: Set<String> = []
    /// An install reads a requirements file that is not copied in or does not exist: the image cannot
    /// build, so its imports are not judged.
    public var hasUnresolvedInstalls = false
    /// Whether the unit ships: a build or deploy configuration references it, or it does not lie under an
    /// archived path. An undeployed image claims no files, so their directory's own requirements still apply.
    public var isDeployed = true
    /// The evidence behind `isDeployed` (`built by cloudbuild.yaml`, `under the archived path docs/`).
    public var deployment: String? = nil

    /// `image predictions/worker/Dockerfile` (with `[stage]` when there are several stages).
    public var displayName: String {
        let base = "\(kind == .requirements ? "requirements" : kind.rawValue) \(path)"
        return stage.map { "\(base) [\($0)]" } ?? base
    }

    /// The file a missing requirement should be added to: the unit's own requirements file (the last one
    /// inside its directory), else its first, else the pyproject.
    public var ownRequirementsFile: String? {
        // Constraints files (`-c`) install nothing, so they are never the place to add a requirement.
        let installing = requirementFiles.filter { file in
            requirements.contains { $0.path == file && !$0.isConstraint } || !requirements.contains { $0.path == file }
        }
        if kind == .requirements, installing.contains(path) { return path }
        return installing.last { directory.isEmpty || $0.hasPrefix(directory + "/") } ?? installing.first
            ?? (kind == .project ? path : nil)
    }
}

/// A problem of a manifest (reported by `invalid-requirement`).
public struct ManifestProblem: Sendable {
    public var path: String
    public var problem: ParseProblem
}

/// Every deployable unit of the repository with its install set, built once per run from the parsed
/// manifests (requirements files, Dockerfiles, pyprojects) and shared by the dependency rules.
public struct DependencyIndex: Sendable {
    public var units: [DeployableUnit]
    public var problems: [ManifestProblem]
    /// How many requirements files were read (also those only reached through `-r` or a Dockerfile).
    public var requirementFilesRead: Int

    /// Deployment evidence the index was built with.
    public var evidence = DeploymentEvidence()
    /// The repository's module and package names (built with the index, on another core; no configured extras).
    public var firstParty = FirstPartyIndex()

    /// - Parameter archived: path globs whose units are not deployed unless a build configuration
    ///   references them (`nil`: `DeploymentEvidence.defaultArchived`).
    public static func of(_ project: Project, environment: MarkerEnvironment = .default, buildContexts: [String: String] = [:],
                          archived: [String]? = nil) -> DependencyIndex {
        project.cached("dependency-index") {
            project.preloadManifests()
            project.parseManifests()
            var builder = DependencyIndexBuilder(project: project, environment: environment)
            builder.contextOverrides = buildContexts
            if let archived { builder.archived = archived.map(Glob.init) }  // else the compiled defaults
            let index = builder.build()
            // The units hold what the rules read of the manifests; the parsed documents can go before
            // the rules allocate their own (a later reader parses a manifest again).
            project.releaseParsedManifests()
            return index
        }
    }

    /// Whether `path` lies under one of the archived globs.
    public static func isArchived(_ path: String, archived: [Glob]) -> Bool {
        archived.contains { $0.matches(path) }
    }
}

struct DependencyIndexBuilder {
    let project: Project
    let environment: MarkerEnvironment
    var documents: [String: RequirementsDocument] = [:]
    var problems: [ManifestProblem] = []
    var reportedProblemFiles = Set<String>()
    var contextOverrides: [String: String] = [:]
    var archived: [Glob] = DependencyIndexBuilder.defaultArchived
    /// The default archived globs, compiled once (every walk's builder starts with them).
    static let defaultArchived = DeploymentEvidence.defaultArchived.map(Glob.init)
    var evidence = DeploymentEvidence()
    var firstParty = FirstPartyIndex()

    init(project: Project, environment: MarkerEnvironment) {
        self.project = project
        self.environment = environment
    }

    mutating func document(_ path: String) -> RequirementsDocument? {
        if let d = documents[path] { return d }
        let parsed: RequirementsDocument
        if let f = project.file(path), let d = f.requirements {
            parsed = d
        } else if let bytes = project.contents(path) {
            parsed = RequirementsParser.parse(bytes, path: path)
        } else {
            return nil
        }
        documents[path] = parsed
        if reportedProblemFiles.insert(path).inserted {
            problems += parsed.problems.map { ManifestProblem(path: path, problem: $0) }
        }
        return parsed
    }

    /// The `-r`/`-c` closure of a requirements file, in pip's order, recording include problems once.
    mutating func closure(_ root: String, seenProblems: inout Set<String>) -> (requirements: [UnitRequirement], files: [String]) {
        // Each root's closure is resolved once (images of a stage chain, or many images, install the same file).
        if let done = closures[root] { return done }
        let result = resolveClosure(root, seenProblems: &seenProblems)
        closures[root] = result
        return result
    }

    var closures: [String: (requirements: [UnitRequirement], files: [String])] = [:]

    /// What a unit's reachability walk decides: its source files, the files its entry points reach (nil:
    /// unknown, every source counts) and those reached only lazily (inside functions).
    struct Reach {
        /// nil: the unit keeps its source files as they are.
        var sources: [String]?
        var reachable: Set<String>?
        var lazily: Set<String> = []
    }

    /// Reachability walks of the units built so far, by unit index: they read facts and the project memo
    /// only, so `runWalks` runs them in parallel once every unit exists (they were half of the index). `cost`:
    /// the number of candidate files (a walk's work grows with it).
    var walks: [(unit: Int, cost: Int, walk: @Sendable () -> Reach)] = []

    /// The builder a pending walk captures: a fresh one over the same project (a walk reads the project
    /// only; a copy of this builder would make each later append to its collections copy them whole).
    var walker: DependencyIndexBuilder {
        var builder = DependencyIndexBuilder(project: project, environment: environment)
        builder.reachSlot = reachSlot
        return builder
    }

    /// The walks' shared index of the project's Python files and their imports (nil: walk by path strings,
    /// as `referenceWalk` does; the tests compare the two).
    var reachSlot: ReachIndexSlot? = ReachIndexSlot()

    /// Runs the pending walks in parallel and stores their results in `units`.
    mutating func runWalks(_ units: inout [DeployableUnit]) {
        let pending = walks
        walks = []
        var results = [Reach?](repeating: nil, count: pending.count)
        // The costliest walks first: one taken last would keep a core busy while the other has nothing left.
        let order = pending.indices.sorted { (pending[$0].cost, $1) > (pending[$1].cost, $0) }
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: pending.count) { k in
                let i = order[k]
                base[i] = pending[i].walk()
            }
        }
        for (job, result) in zip(pending, results) {
            guard let result else { continue }
            if let sources = result.sources { units[job.unit].sourceFiles = sources.sorted() }
            units[job.unit].reachableFiles = result.reachable
            units[job.unit].lazilyReachableFiles = result.lazily
        }
    }

    private mutating func resolveClosure(_ root: String, seenProblems: inout Set<String>) -> (requirements: [UnitRequirement], files: [String]) {
        // Every file is parsed once for the whole index; the resolver only follows the includes.
        let resolved = RequirementsResolver.resolve(root: root) { path in document(path) }
        for (file, ps) in resolved.problems {
            for p in ps where ["include-cycle", "include-missing", "include-escapes-repo", "include-url"].contains(p.code) {
                let key = "\(file):\(p.range.start):\(p.code)"
                if seenProblems.insert(key).inserted { problems.append(ManifestProblem(path: file, problem: p)) }
            }
        }
        let reqs = resolved.requirements.map { r in
            let key = WrittenKey(path: UTF8Key(r.file), line: r.entry.range.start.line, column: r.entry.range.start.column)
            var u: UnitRequirement
            if let known = written[key] {
                u = known
            } else {
                u = unitRequirement(entry: r.entry, path: r.file)
                written[key] = u
            }
            u.isConstraint = r.isConstraint
            return u
        }
        return (reqs, resolved.files)
    }

    /// Where a requirement is written: its file (by bytes: an NFC and an NFD spelling are two files) and position.
    struct WrittenKey: Hashable {
        let path: UTF8Key
        let line: Int
        let column: Int
    }

    /// The requirement each written entry makes (`UnitRequirement`, its `isConstraint` set per closure): a file that
    /// many closures include (a shared requirements file every service's file includes with `-r`) makes one object
    /// per entry, not one per closure, and its marker is evaluated once (16x synthetic tree: 1,600 closures).
    var written: [WrittenKey: UnitRequirement] = [:]

    /// The requirement an entry of a requirements file makes (`isConstraint` false: a closure sets it).
    func unitRequirement(entry: RequirementsEntry, path: String) -> UnitRequirement {
        let req = entry.requirement
        return unitRequirement(
            name: req.map { PackageName.normalize($0.name) } ?? entry.derivedName.map(PackageName.normalize) ?? "",
            text: entry.requirementText ?? entry.rawText, specifier: req?.specifier, marker: req?.marker,
            url: req?.url ?? entry.location, path: path, range: entry.range,
            isDirect: req?.url != nil || entry.kind != .requirement)
    }

    /// A requirement with its normalised `name`: a wheel `url` pins the version in its file name (`wheelPin`, and is
    /// then no direct reference); the marker is evaluated in the target environment.
    private func unitRequirement(
        name: String, text: String, specifier: SpecifierSet?, marker: Marker?, url: String?, path: String,
        range: SourceRange, isDirect: Bool
    ) -> UnitRequirement {
        let wheel = Self.wheelPin(name: name, url: url)
        return UnitRequirement(
            name: name, text: text, specifier: wheel?.specifier ?? specifier,
            pinned: wheel?.version ?? specifier.flatMap(Self.pin(of:)), marker: marker,
            appliesToTarget: marker.map { $0.evaluate(in: environment, extra: nil) } ?? true,
            path: path, range: range, isConstraint: false, isDirectReference: wheel == nil && isDirect)
    }

    /// A wheel URL or file (`pkg @ https://…/pkg-2.5.0-py3-none-any.whl`) installs exactly the version in
    /// its file name, so it is compared like `==2.5.0` (and is not a direct reference).
    static func wheelPin(name: String, url: String?) -> (specifier: SpecifierSet, version: Version)? {
        guard let url, !name.isEmpty else { return nil }
        let file = url.split(separator: "#").first.map { $0.split(separator: "/").last.map(String.init) ?? "" } ?? ""
        guard file.hasSuffix(".whl") else { return nil }
        let parts = file.dropLast(4).split(separator: "-")
        guard parts.count >= 5, PackageName.normalize(String(parts[0])) == name,
              let version = Version(String(parts[1])), let set = SpecifierSet("==\(version)") else { return nil }
        return (set, version)
    }

    /// A PEP 508 requirement written outside a requirements file (pyproject, `RUN pip install x`).
    func unitRequirement(_ req: Requirement, text: String, path: String, range: SourceRange, isDirect: Bool) -> UnitRequirement {
        unitRequirement(
            name: PackageName.normalize(req.name), text: text, specifier: req.specifier, marker: req.marker, url: req.url,
            path: path, range: range, isDirect: req.url != nil || isDirect)
    }

    static func pin(of set: SpecifierSet) -> Version? {
        let specs = set.specifiers
        guard specs.count == 1, let s = specs.first, s.op == .equal || s.op == .arbitrary, !s.isWildcard else { return nil }
        return s.version
    }

    /// Build contexts named by compose and Cloud Build files, read once.
    lazy var configuredContexts: [String: String] = {
        var out: [String: String] = [:]
        for (_, targets) in buildConfigTargets {
            for t in targets where out[t.dockerfilePath] == nil { out[t.dockerfilePath] = t.contextDirectory }
        }
        return out
    }()

    /// The targets of every compose and Cloud Build file, in path order, each file read on its own core; the
    /// deployment evidence reuses them (it reads these files with the same reader).
    lazy var buildConfigTargets: [(path: String, targets: [DockerBuildTarget])] = {
        // Every name below ends in `.yml` or `.yaml`: other paths are ruled out by their last byte.
        var files: [(path: String, isCompose: Bool)] = []
        for path in project.allPaths where path.utf8.last == UInt8(ascii: "l") {
            let name = path.asciiLastComponent(0x2F).map(String.init) ?? path
            let isCompose = name.hasPrefix("docker-compose") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))
                || name == "compose.yml" || name == "compose.yaml"
            let isCloudBuild = name.hasPrefix("cloudbuild") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))
            if isCompose || isCloudBuild { files.append((path, isCompose)) }
        }
        var parsed = [[DockerBuildTarget]?](repeating: nil, count: files.count)
        let project = self.project
        parsed.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                let (path, isCompose) = files[i]
                guard let bytes = project.contents(path) else { return }
                let dir = Self.directory(of: path)
                base![i] = isCompose ? DockerBuildConfigReader.composeTargets(bytes, fileDirectory: dir)
                    : DockerBuildConfigReader.cloudBuildTargets(bytes, fileDirectory: dir)
            }
        }
        return zip(files, parsed).compactMap { file, targets in targets.map { (file.path, $0) } }
    }()

    func isArchived(_ path: String) -> Bool { archived.contains { $0.matches(path) } }

    /// Deployed from evidence: built or deployed by a configuration file, else not under an archived path.
    func deployment(of path: String, kind: DeployableUnit.Kind, directory: String, evidence: DeploymentEvidence) -> (Bool, String?) {
        if kind == .image, let config = evidence.dockerfiles[path] { return (true, "built by \(config)") }
        if kind != .image, let config = evidence.sourceDirectories[directory] { return (true, "deployed from source by \(config)") }
        if isArchived(path) {
            let glob = archived.first { $0.matches(path) }?.pattern ?? ""
            return (false, "under the archived path `\(glob)` and no build configuration references it")
        }
        return (true, nil)
    }

    mutating func build() -> DependencyIndex {
        prepareInParallel()
        var units: [DeployableUnit] = []
        var seenProblems = Set<String>()
        // Parse every requirements file once; collect which files are included by others.
        let requirementFiles = project.files(of: .requirements).map(\.path)
        var included = Set<String>()
        for path in requirementFiles {
            guard let doc = document(path) else { continue }
            let dir = Self.directory(of: path)
            for e in doc.entries where e.kind == .include || e.kind == .constraintInclude {
                if let target = e.includePath, let resolved = RequirementsResolver.normalize(dir.isEmpty ? target : dir + "/" + target) {
                    included.insert(resolved)
                }
            }
        }

        // Images.
        var installedByImages = Set<String>()
        let dockerfiles = project.files(of: .dockerfile)
        // The stage facts of the next 32 Dockerfiles are worked out in parallel before their images are built.
        var prepared = 0
        for (k, file) in dockerfiles.enumerated() {
            if k == prepared {
                prepared = min(k + 32, dockerfiles.count)
                prepareStageFacts(Array(dockerfiles[k..<prepared]))
            }
            guard let parsed = file.dockerfile else { continue }
            units += imageUnits(file: file, parsed: parsed, firstUnit: units.count, seenProblems: &seenProblems, installed: &installedByImages)
            // Its units hold what the rules read of it: the parsed Dockerfile goes now, not with the other manifests
            // once the index is built (1,600 of them, ~5.6 KiB each, were alive at the 16x tree's peak). A later
            // reader (a base image's workdir, a declarative rule) parses it again.
            file.releaseDocuments()
            // A pending walk holds its image's copy mapper: run them in batches so memory stays bounded
            // by the batch, not by the number of images.
            if walks.count >= 64 { runWalks(&units) }
        }

        // Root requirements files; then any file nothing reached (e.g. files that include each other).
        var visited = Set<String>()
        var roots = requirementFiles.filter { !included.contains($0) }
        roots += requirementFiles.filter { included.contains($0) }
        for path in roots {
            if included.contains(path) && visited.contains(path) { continue }
            let (reqs, files) = closure(path, seenProblems: &seenProblems)
            visited.formUnion(files)
            let dir = Self.directory(of: path)
            units.append(DeployableUnit(
                kind: .requirements, path: path, stage: nil, directory: dir, requirements: reqs,
                requirementFiles: files, sourceFiles: pythonFiles(under: dir), entryPoints: [], tools: [],
                isDeployedSeparately: !installedByImages.contains(path)))
        }

        // Projects, with the requirements files installed beside them.
        for file in project.files(of: .pyproject) {
            guard let pyproject = file.pyproject else { continue }
            problems += pyproject.problems.filter { $0.code != "invalid-toml" }.map { ManifestProblem(path: file.path, problem: $0) }
            let dir = Self.directory(of: file.path)
            var reqs: [UnitRequirement] = []
            for r in pyproject.requirements where r.origin == .project || r.origin == .poetry(group: "main") {
                if case .poetry = r.origin, r.isOptional { continue }
                switch Requirement.parse(r.requirement) {
                case .success(let req):
                    reqs.append(unitRequirement(req, text: r.requirement, path: file.path, range: r.range, isDirect: r.kind != .version))
                case .failure(let error):
                    problems.append(ManifestProblem(path: file.path, problem: ParseProblem(
                        code: "invalid-requirement", message: "`\(r.requirement)` is not a valid requirement: \(error.message)", range: r.range)))
                }
            }
            // A pyproject that declares nothing (tool configuration only) is not a deployable unit.
            guard !reqs.isEmpty else { continue }
            var files: [String] = []
            for sibling in requirementFiles where Self.directory(of: sibling) == dir && !included.contains(sibling) {
                let (more, fs) = closure(sibling, seenProblems: &seenProblems)
                reqs += more
                files += fs
            }
            units.append(DeployableUnit(
                kind: .project, path: file.path, stage: nil, directory: dir, requirements: reqs, requirementFiles: files,
                sourceFiles: pythonFiles(under: dir), entryPoints: [], tools: [],
                isDeployedSeparately: !installedByImages.contains(file.path)))
        }
        // Problems of requirements files nothing reaches are still problems.
        for path in requirementFiles { _ = document(path) }
        for i in units.indices {
            (units[i].isDeployed, units[i].deployment) = deployment(of: units[i].path, kind: units[i].kind, directory: units[i].directory, evidence: evidence)
            // Deployed from source with a Procfile (buildpacks): its process lines are the entry points.
            if units[i].kind != .image, let procfile = procfileEntryPoints(in: units[i].directory) {
                units[i].entryPoints = procfile
                let candidates = Set(units[i].sourceFiles)
                let dir = units[i].directory
                let inputs = project.memo == nil ? nil
                    : ["procfile", dir, procfile.map(\.key).joined(separator: "\u{1}"), ContentHash.sha256(units[i].sourceFiles)]
                let builder = walker
                walks.append((i, candidates.count, {
                    let (reached, _) = builder.memoizedReach(inputs: inputs) { startup, visited in
                        builder.reachableSources(from: procfile, context: dir, dockerDir: dir, candidates: candidates, startup: &startup, visited: &visited)
                    }
                    return Reach(sources: nil, reachable: Set(reached))
                }))
            }
        }
        runWalks(&units)
        units.sort { ($0.path, $0.stage ?? "") < ($1.path, $1.stage ?? "") }
        var index = DependencyIndex(units: units, problems: problems, requirementFilesRead: documents.count)
        index.evidence = evidence
        index.firstParty = firstParty
        return index
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    func pythonFiles(under dir: String) -> [String] {
        var files = project.paths(under: dir).filter { $0.utf8HasSuffix(".py") }
        files.trimCapacity()  // a unit's list, kept until the project rules end
        return files
    }

    // MARK: Images

    /// The image units of one Dockerfile; `firstUnit` is the index the first of them will have (for its walk).
    mutating func imageUnits(file: ProjectFile, parsed: ParsedDockerfile, firstUnit: Int, seenProblems: inout Set<String>,
                             installed: inout Set<String>) -> [DeployableUnit] {
        let df = parsed.dockerfile
        let dockerDir = Self.directory(of: file.path)
        let context = buildContext(for: file.path, dockerfile: df)
        let ignored = ignoredPaths(context: context)
        let listing = listing(context: context)
        for p in parsed.installs.problems { problems.append(ManifestProblem(path: file.path, problem: p)) }
        let installsByStage = Dictionary(grouping: parsed.installs.installs, by: \.stageIndex)
        var out: [DeployableUnit] = []
        // The image that ships is the last stage; when it installs nothing itself (a builder stage
        // installs into a venv it copies), the last stage that installs stands for the image.
        // What a stage installs: its own `pip install`s, its parent stages' (`FROM builder`), and those
        // of the stages it copies from (`COPY --from=builder /install /usr/local`), transitively.
        /// The stages whose installs flow into `index` (its `FROM` parent, then the stages it copies from),
        /// each before the stages that use it: a post-order walk, iterative as chains may be thousands long.
        // A parent that several shipped stages build on (a fan off a chain's end): its installs and its chain's stages are
        // worked out once, not walked again for each of them (quadratic).
        let sharedParent = Self.sharedParents(df, of: df.stages.map(\.index))
        var parentInstalls: [Int: (installs: [PipInstall], seen: Set<Int>)] = [:]
        var parentAncestors: [Int: Set<Int>] = [:]
        func installsOfStage(_ index: Int) -> [PipInstall] {
            guard let b = sharedParent(index) else { return Self.installs(ofStage: index, in: df, byStage: installsByStage) }
            let parent = parentInstalls[b] ?? Self.installsAndStages(ofStage: b, in: df, byStage: installsByStage, parent: nil)
            parentInstalls[b] = parent
            return Self.installsAndStages(ofStage: index, in: df, byStage: installsByStage, parent: parent).installs
        }
        /// The stages `index` builds `FROM`, directly or not.
        func ancestorsOf(_ index: Int) -> (Int) -> Bool {
            guard let b = sharedParent(index) else {
                let ancestors = Set(df.parentChain(of: df.stages[index]))
                return { ancestors.contains($0) }
            }
            let above = parentAncestors[b] ?? Set(df.parentChain(of: df.stages[b]))
            parentAncestors[b] = above
            return { $0 == b || above.contains($0) }
        }
        // The image that ships is the last stage when it installs anything (itself or through the stages
        // it builds on or copies from); otherwise the last stage that installs stands for the image.
        let lastStage = df.stages.last?.index
        let lastStageInstalls = lastStage.map(installsOfStage) ?? []
        let lastInstalling = lastStageInstalls.isEmpty ? df.stages.last { !(installsByStage[$0.index] ?? []).isEmpty }?.index : lastStage
        var mappers: [Int: DockerCopyMapper] = [:]
        for index in Self.shippedStages(df, byStage: installsByStage, lastStageInstalls: !lastStageInstalls.isEmpty) {
            let stage = df.stages[index]
            let isLast = stage.index == lastStage
            let installs = isLast ? lastStageInstalls : installsOfStage(stage.index)
            func stageMapper(_ index: Int) -> DockerCopyMapper {
                if let m = mappers[index] { return m }
                let m = makeMapper(df, stage: df.stages[index], path: file.path, context: context, ignored: ignored, listing: listing)
                mappers[index] = m
                return m
            }
            let precomputed = stageFactsOf[file.path]?[stage.index]
            if let precomputed, mappers[stage.index] == nil { mappers[stage.index] = precomputed.mapper }
            let mapper = stageMapper(stage.index)
            // An install of a stage this one builds `FROM` reads what that stage had copied in by then: the
            // same COPY steps this stage's mapper holds, before the install's instruction.
            let isAncestor = ancestorsOf(stage.index)
            func mapperFor(_ install: PipInstall) -> DockerCopyMapper {
                install.stageIndex == stage.index || isAncestor(install.stageIndex) ? mapper : stageMapper(install.stageIndex)
            }
            var reqs: [UnitRequirement] = []
            var files: [String] = []
            var unresolved = false
            for install in installs {
                for (arg, isConstraint) in install.requirementFiles.map({ ($0, false) }) + install.constraintFiles.map({ ($0, true) }) {
                    if arg.isDynamic { continue }
                    // An install of another stage (a builder) reads files that stage copied in.
                    let installMapper = mapperFor(install)
                    switch installMapper.resolve(containerPath: arg.value, workdir: workdir(of: install, in: df, path: file.path),
                                                 beforeInstruction: install.instructionIndex) {
                    case .repoFile(let repoPath):
                        installed.insert(repoPath)
                        guard document(repoPath) != nil else { unresolved = true; continue }
                        let (r, fs) = closure(repoPath, seenProblems: &seenProblems)
                        reqs += r.map {
                            var x = $0
                            x.isConstraint = x.isConstraint || isConstraint
                            x.installInstruction = install.instructionIndex
                            return x
                        }
                        files += fs
                    case .notCopied:
                        unresolved = true
                        if stage.index == install.stageIndex {
                            problems.append(ManifestProblem(path: file.path, problem: ParseProblem(
                                code: "requirements-not-copied",
                                message: "`pip install \(isConstraint ? "-c" : "-r") \(arg.value)` reads a file that no `COPY`/`ADD` brings into the image",
                                range: arg.range,
                                help: "copy it first (`COPY \(arg.value) \(arg.value)`), or fix the path (build context: `\(context.isEmpty ? "." : context)`)")))
                        }
                    case .heredoc, .otherStage:
                        continue
                    }
                }
                for pkg in install.packages + install.editables where !pkg.isDynamic {
                    if case .success(let req) = Requirement.parse(pkg.value) {
                        var r = unitRequirement(req, text: pkg.value, path: file.path, range: pkg.range, isDirect: false)
                        r.installInstruction = install.instructionIndex
                        reqs.append(r)
                        continue
                    }
                    // `pip install .` / `-e ./lib`: a project of this repository; its dependencies come along.
                    let local = pkg.value.hasPrefix(".") || pkg.value.hasPrefix("/")
                    guard local, !pkg.value.contains("://") else { continue }
                    let manifest = DockerPath.join(pkg.value, "pyproject.toml")
                    let installMapper = mapperFor(install)
                    if case .repoFile(let repoPath) = installMapper.resolve(containerPath: manifest, workdir: workdir(of: install, in: df, path: file.path),
                                                                            beforeInstruction: install.instructionIndex),
                       let pyproject = project.file(repoPath)?.pyproject {
                        installed.insert(repoPath)
                        for r in pyproject.requirements where r.origin == .project || r.origin == .poetry(group: "main") {
                            if case .poetry = r.origin, r.isOptional { continue }
                            if case .success(let req) = Requirement.parse(r.requirement) {
                                var u = unitRequirement(req, text: r.requirement, path: repoPath, range: r.range, isDirect: r.kind != .version)
                                u.installInstruction = install.instructionIndex
                                reqs.append(u)
                            }
                        }
                    }
                }
            }
            let facts = precomputed ?? stageFacts(file: file, df: df, stage: stage, context: context, dockerDir: dockerDir,
                                                  listing: listing, mapper: mapper)
            let (workdir, entryPoints, scriptStartsNoPython, tools) = (facts.workdir, facts.entryPoints, facts.scriptStartsNoPython, facts.tools)
            let (workdirRepository, copiesWholeContext, sources, inputs) = (facts.workdirRepository, facts.copiesWholeContext, facts.sources, facts.inputs)
            if facts.missingCopySource { unresolved = true }
            let builder = walker
            walks.append((firstUnit + out.count, sources.count, { [entryPoints, scriptStartsNoPython, workdirRepository] in
                if scriptStartsNoPython {
                    // The script runs no Python program itself: nothing copied in is known to run.
                    return copiesWholeContext ? Reach(sources: [], reachable: nil) : Reach(sources: sources, reachable: [])
                } else if !entryPoints.isEmpty {
                    let (r, startup) = builder.memoizedReach(inputs: inputs) { startup, visited in
                        builder.reachableSources(from: entryPoints, context: context, dockerDir: dockerDir, candidates: Set(sources),
                                                 mapper: mapper, workdirRepository: .some(workdirRepository), workdir: workdir,
                                                 startup: &startup, visited: &visited)
                    }
                    let lazily = Set(r).subtracting(startup)
                    if copiesWholeContext { return Reach(sources: r, reachable: nil, lazily: lazily) }
                    return Reach(sources: sources, reachable: r.count > 0 ? Set(r) : nil, lazily: lazily)
                } else if copiesWholeContext {
                    return Reach(sources: builder.reachableSources(from: entryPoints, context: context, dockerDir: dockerDir,
                                                                   candidates: Set(sources), mapper: mapper,
                                                                   workdirRepository: .some(workdirRepository), workdir: workdir),
                                 reachable: nil)
                }
                return Reach(sources: sources, reachable: nil)
            }))
            // The requirements were appended install by install: without the room they grew (~200 bytes each), as
            // the unit lives until the project rules end (~2 MB of the 16x tree's peak).
            reqs.trimCapacity()
            files.trimCapacity()
            out.append(DeployableUnit(
                kind: .image, path: file.path,
                stage: df.stages.count > 1 && (stage.name != nil || stage.index != lastStage) ? (stage.name ?? String(stage.index)) : nil,
                directory: dockerDir, requirements: reqs, requirementFiles: files, sourceFiles: [],
                entryPoints: entryPoints, tools: tools, isDeployedSeparately: stage.index == lastInstalling,
                hasUnresolvedInstalls: unresolved))
        }
        stageFactsOf[file.path] = nil
        return out
    }

    /// The installs that flow into stage `index`: its own, its `FROM` parent's and those of the stages it copies
    /// from, transitively, each stage's before the stages that use it (a post-order walk, iterative as chains may
    /// be thousands long).
    static func installs(ofStage index: Int, in df: Dockerfile, byStage installsByStage: [Int: [PipInstall]]) -> [PipInstall] {
        installsAndStages(ofStage: index, in: df, byStage: installsByStage, parent: nil).installs
    }

    /// `installs(ofStage:)` and the stages it walked. `parent`: that answer for the stage's `FROM` parent (the first stage
    /// the walk goes to, so its installs come first and its stages are taken as walked), read, not walked again.
    static func installsAndStages(ofStage index: Int, in df: Dockerfile, byStage installsByStage: [Int: [PipInstall]],
                                  parent: (installs: [PipInstall], seen: Set<Int>)?) -> (installs: [PipInstall], seen: Set<Int>) {
        func inputs(_ i: Int) -> [Int] {
            let stage = df.stages[i]
            var out: [Int] = []
            if let base = stage.baseStageIndex, base < i { out.append(base) }
            for inst in stage.instructions where inst.keyword == "COPY" || inst.keyword == "ADD" {
                guard let from = inst.flag("from") else { continue }
                let source = df.stageIndex(named: from, before: stage.fromInstructionIndex + 1) ?? Int(from)
                if let source, source >= 0, source < i { out.append(source) }
            }
            return out
        }
        var seen: Set<Int> = [index]
        var out: [PipInstall] = []
        var stack: [(stage: Int, inputs: [Int], next: Int)] = [(index, inputs(index), 0)]
        // The parent is the stage's first input: the walk would take its stages first (with only `index` seen, which
        // is none of them: a stage's inputs come before it).
        var parentSeen: Set<Int> = []
        if let parent, let b = stack[0].inputs.first, b == df.stages[index].baseStageIndex {
            out = parent.installs
            parentSeen = parent.seen
            stack[0].next = 1
        }
        while !stack.isEmpty {
            let top = stack.count - 1
            if stack[top].next < stack[top].inputs.count {
                let child = stack[top].inputs[stack[top].next]
                stack[top].next += 1
                if !parentSeen.contains(child), seen.insert(child).inserted { stack.append((child, inputs(child), 0)) }
            } else {
                out += installsByStage[stack[top].stage] ?? []
                stack.removeLast()
            }
        }
        // Only a parent's answer is asked for its stages (a stage built on it inherits them).
        return (out, parent == nil ? seen : [])
    }

    /// The stages of a Dockerfile that are images of their own, in order: a stage that installs and that no later
    /// stage builds on, and the last stage when anything installs into it (`lastStageInstalls`: itself or through
    /// the stages it builds on or copies from). A stage that a later stage builds `FROM` is a build step of that
    /// stage: everything it installs and copies is also in the later stage, which is judged instead (a chain of n
    /// stages is one image, not n images that repeat their ancestors' installs).
    static func shippedStages(_ df: Dockerfile, byStage installsByStage: [Int: [PipInstall]], lastStageInstalls: Bool) -> [Int] {
        var isBuiltOn = Set<Int>()
        for stage in df.stages { if let b = stage.baseStageIndex, b < stage.index { isBuiltOn.insert(b) } }
        let lastStage = df.stages.last?.index
        return df.stages.filter { stage in
            let installsItself = !(installsByStage[stage.index] ?? []).isEmpty
            return (installsItself && !isBuiltOn.contains(stage.index)) || (stage.index == lastStage && lastStageInstalls)
        }.map(\.index)
    }

    /// What an image stage's unit and walk read of its Dockerfile, build context and the facts, and nothing of the
    /// builder's state: worked out for a batch of Dockerfiles on every core (`prepareStageFacts`) before their
    /// images are built in order (one core, as they share the requirements closures and the problems' order).
    struct StageFacts {
        var mapper: DockerCopyMapper
        var workdir: String
        var entryPoints: [PythonEntryPoint]
        var scriptStartsNoPython: Bool
        /// A COPY whose source is not in the build context fails the build: the image never ships.
        var missingCopySource: Bool
        var tools: [(name: String, path: String, range: SourceRange)]
        /// The repository directory the workdir holds (`repoDirectory(ofContainerDirectory:copied:)`).
        var workdirRepository: String?
        var copiesWholeContext: Bool
        var sources: [String]
        /// The walk's memo key inputs (nil: not memoised).
        var inputs: [String]?
    }

    /// Stage facts of the next images' shipped stages, by Dockerfile path and stage index (taken by `imageUnits`).
    var stageFactsOf: [String: [Int: StageFacts]] = [:]

    /// The copy mapper of `stage` (`.dockerignore` is applied once per context, through `ignored`, not per file).
    /// `parent`: the memo of the stage's parent chain for its base workdir (`baseWorkdir`, when the caller knows it).
    func makeMapper(_ df: Dockerfile, stage: DockerStage, path: String, context: String, ignored: Set<String>,
                    listing: ContextListing, baseWorkdir known: String? = nil, parent: DockerParentStepsMemo? = nil) -> DockerCopyMapper {
        DockerCopyMapper(
            dockerfile: df, stage: stage, contextDirectory: context, ignore: nil,
            baseWorkdir: known ?? baseWorkdir(of: stage, in: df, path: path),
            fileExists: { [project] in project.exists($0) && !ignored.contains($0) },
            listFiles: { dir in listing.paths(under: dir) }, hasFiles: { dir in listing.hasPaths(under: dir) }, parentSteps: parent)
    }

    /// What the parent chain of a stage copies in, worked out once for every stage of a Dockerfile built `FROM` that
    /// parent (with the same base workdir): a fan of n stages off the end of an n-stage chain expanded, listed and
    /// resolved the chain's COPY steps again for each of them (quadratic).
    final class ParentChainFacts {
        let memo: DockerParentStepsMemo
        let copied: [DockerCopiedSource]
        let copiesWholeContext: Bool
        let python: ContextListing.CopiedPython?
        init(memo: DockerParentStepsMemo, copied: [DockerCopiedSource], context: String, listing: ContextListing) {
            self.memo = memo
            self.copied = copied
            copiesWholeContext = copied.contains { $0.isDirectory && $0.repoPath == context }
            python = listing.copiedPythonFiles(copied, after: nil)
        }
        /// `copiedFiles()` of the parent's sources (only for a listing with a path that is not ASCII).
        private var parentFiles: (files: [String], seen: Set<String>)?
        func copiedFiles(_ mapper: DockerCopyMapper) -> (files: [String], seen: Set<String>) {
            if let parentFiles { return parentFiles }
            let made = mapper.copiedFiles(of: copied, after: nil)
            parentFiles = made
            return made
        }
        /// The parent's sources' part of a memo key (only with a memo).
        lazy var copiedKey = DependencyIndexBuilder.copiedKey(copied)
        /// By the workdir's bytes (two spellings of one name are equal Strings, and the answer cuts the workdir).
        private var workdirRepositories: [[UInt8]: String?] = [:]
        /// `repoDirectory(ofContainerDirectory:copied:)` of the parent's sources.
        func workdirRepository(_ workdir: String) -> String? {
            let key = Array(workdir.utf8)
            if let known = workdirRepositories[key] { return known }
            let found = DependencyIndexBuilder.repoDirectory(ofContainerDirectory: workdir, copied: copied)
            workdirRepositories[key] = .some(found)
            return found
        }
    }

    /// For a stage among `stages`, the stage it builds `FROM` when more than one of `stages` builds on that one (a fan
    /// off a chain: what the parent chain gives them is worked out once); nil otherwise.
    static func sharedParents(_ df: Dockerfile, of stages: [Int]) -> (Int) -> Int? {
        var builtOn: [Int: Int] = [:]
        for index in stages { if let b = df.stages[index].baseStageIndex, b < index { builtOn[b, default: 0] += 1 } }
        return { index in
            guard let b = df.stages[index].baseStageIndex, b < index, builtOn[b, default: 0] > 1 else { return nil }
            return b
        }
    }

    static func copiedKey(_ copied: [DockerCopiedSource]) -> String {
        // Three parts a source (a path may hold any byte but NUL: joined in one part, two lists could read alike).
        ContentHash.sha256(copied.flatMap { [$0.repoPath, $0.isDirectory ? "d" : "f", $0.containerPath] })
    }

    func stageFacts(file: ProjectFile, df: Dockerfile, stage: DockerStage, context: String, dockerDir: String,
                    listing: ContextListing, mapper: DockerCopyMapper, parent: ParentChainFacts? = nil) -> StageFacts {
        let command = df.commandLine(of: stage)
        let workdir = Self.hasWorkdir(df, stage: stage, before: nil) ? (df.states(of: stage).last?.workdir ?? "/")
            : baseWorkdir(of: stage, in: df, path: file.path)
        var entryPoints: [PythonEntryPoint] = []
        var scriptStartsNoPython = false
        if let ep = PythonEntryPointDetector.detect(argv: command.argv) {
            entryPoints.append(ep)
        } else if let script = PythonEntryPointDetector.shellScript(argv: command.argv) {
            // `CMD ["./start.sh"]`: follow the script one level for the Python program it starts.
            let followed = shellScriptEntryPoints(script, mapper: mapper, workdir: workdir)
            entryPoints = followed ?? []
            scriptStartsNoPython = followed?.isEmpty == true
        }
        let missing = missingCopySource(df, stage: stage, context: context)
        var tools: [(name: String, path: String, range: SourceRange)] = []
        if let ep = entryPoints.first, ep.tool != "python",
           let idx = command.entrypointInstruction ?? command.cmdInstruction, idx < df.instructions.count {
            tools.append((ep.tool, file.path, df.instructions[idx].range))
        }
        let copied: [DockerCopiedSource], copiesWholeContext: Bool, sources: [String], workdirRepository: String?
        let own: [DockerCopiedSource]
        if let parent {
            // The stage's own sources, after its parent chain's (not copied into one list per stage).
            own = mapper.copiedSources(from: stage.fromInstructionIndex)
            copied = []
            workdirRepository = Self.repoDirectory(ofContainerDirectory: workdir, copied: own) ?? parent.workdirRepository(workdir)
            copiesWholeContext = parent.copiesWholeContext || own.contains { $0.isDirectory && $0.repoPath == context }
            sources = parent.python.flatMap { listing.copiedPythonFiles(own, after: $0)?.files }
                ?? mapper.copiedFiles(of: own, after: parent.copiedFiles(mapper)).files.filter { $0.utf8HasSuffix(".py") }
        } else {
            own = []
            copied = mapper.copiedSources()
            workdirRepository = Self.repoDirectory(ofContainerDirectory: workdir, copied: copied)
            copiesWholeContext = copied.contains { $0.isDirectory && $0.repoPath == context }
            sources = listing.copiedPythonFiles(copied) ?? mapper.copiedFiles().filter { $0.utf8HasSuffix(".py") }
        }
        // Without the Dockerfile's blob id the walk is not memoised (nil inputs); without entry points
        // there is no memoised walk.
        // The key's inputs (a hash of every copied path) only when there is a memo to look them up in; the copied
        // files' hash is made once per listing and distinct copied sources (`ContextListing.sourcesDigest`).
        let inputs = entryPoints.isEmpty || project.memo == nil ? nil : project.blob(file.path).map { blob -> [String] in
            // The parent chain's sources hashed once for all the stages built on it (a NUL part: no repository path).
            let copiedKey = parent.map { ContentHash.sha256(["\u{0}parent", $0.copiedKey, Self.copiedKey(own)]) } ?? Self.copiedKey(copied)
            return [file.path, blob.hex, String(stage.index), context, dockerDir, workdir, mapper.baseWorkdir,
                    entryPoints.map(\.key).joined(separator: "\u{1}"), copiedKey,
                    listing.sourcesDigest(copiedKey: copiedKey) { ContentHash.sha256(sources) }]
        }
        return StageFacts(mapper: mapper, workdir: workdir, entryPoints: entryPoints, scriptStartsNoPython: scriptStartsNoPython,
                          missingCopySource: missing, tools: tools, workdirRepository: workdirRepository, copiesWholeContext: copiesWholeContext,
                          sources: sources, inputs: inputs)
    }

    /// Works out the stage facts of `files`' shipped stages, one Dockerfile per task, into `stageFactsOf`. Their
    /// contexts, verdicts and listings are known by now (`prepareInParallel`); a Dockerfile without them is left
    /// to `imageUnits`, as is any stage not listed here.
    mutating func prepareStageFacts(_ files: [ProjectFile]) {
        let reader = self
        var results = [[Int: StageFacts]](repeating: [:], count: files.count)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                let file = files[i]
                guard let parsed = file.dockerfile, let context = reader.contextOfDockerfile[file.path],
                      let listing = reader.listingByContext[context], let ignored = reader.ignoredByContext[context] else { return }
                let df = parsed.dockerfile
                let byStage = Dictionary(grouping: parsed.installs.installs, by: \.stageIndex)
                let dockerDir = Self.directory(of: file.path)
                var facts: [Int: StageFacts] = [:]
                let lastStageInstalls = df.stages.last.map { !Self.installs(ofStage: $0.index, in: df, byStage: byStage).isEmpty } ?? false
                let shipped = Self.shippedStages(df, byStage: byStage, lastStageInstalls: lastStageInstalls)
                // Parents that more than one shipped stage builds on: what their chains copy is worked out once.
                let sharedParent = Self.sharedParents(df, of: shipped)
                var parents: [[UInt8]: ParentChainFacts] = [:]
                for index in shipped {
                    let stage = df.stages[index]
                    let mapper: DockerCopyMapper
                    var parent: ParentChainFacts? = nil
                    if let b = sharedParent(index) {
                        // The parent chain's steps are the same for its stages only with the same base workdir.
                        let baseWorkdir = reader.baseWorkdir(of: stage, in: df, path: file.path)
                        let key = Array("\(b)\u{0}\(baseWorkdir)".utf8)  // by bytes: the steps hold the workdir as spelt
                        let memo = parents[key]?.memo ?? DockerParentStepsMemo()
                        mapper = reader.makeMapper(df, stage: stage, path: file.path, context: context, ignored: ignored, listing: listing,
                                                   baseWorkdir: baseWorkdir, parent: memo)
                        let known = parents[key] ?? ParentChainFacts(memo: memo, copied: mapper.copiedSources(to: stage.fromInstructionIndex),
                                                                      context: context, listing: listing)
                        parents[key] = known
                        parent = known
                    } else {
                        mapper = reader.makeMapper(df, stage: stage, path: file.path, context: context, ignored: ignored, listing: listing)
                    }
                    facts[index] = reader.stageFacts(file: file, df: df, stage: stage, context: context, dockerDir: dockerDir,
                                                     listing: listing, mapper: mapper, parent: parent)
                }
                base[i] = facts
            }
        }
        for (file, facts) in zip(files, results) where !facts.isEmpty { stageFactsOf[file.path] = facts }
    }

    /// The Python programs a directory's `Procfile` starts (`web: gunicorn app:app`), or nil without one
    /// (or when no line starts a recognisable Python program).
    func procfileEntryPoints(in directory: String) -> [PythonEntryPoint]? {
        let path = directory.isEmpty ? "Procfile" : directory + "/Procfile"
        guard let bytes = project.contents(path), bytes.count <= 1 << 20 else { return nil }
        var out: [PythonEntryPoint] = []
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
            let process = trimmed[..<colon]
            guard !process.isEmpty, process.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { continue }
            for command in ShellSplitter.split(String(trimmed[trimmed.index(after: colon)...])) {
                if let ep = PythonEntryPointDetector.detect(argv: command.words.map(\.value)), !out.contains(ep) { out.append(ep) }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// Whether a plain `COPY`/`ADD` of the stage's chain names a source that is not in the build context
    /// (no `--from`, URL, heredoc, glob or variable).
    func missingCopySource(_ df: Dockerfile, stage: DockerStage, context: String) -> Bool {
        var s: DockerStage? = stage
        var depth = 0
        while let current = s, depth < 64 {
            for inst in current.instructions where (inst.keyword == "COPY" || inst.keyword == "ADD") && inst.flag("from") == nil {
                let args = inst.expandedArguments
                guard args.count >= 2 else { continue }
                for src in args.dropLast() where !src.hasPrefix("<<") && !src.contains("://") && !src.hasPrefix("git@") && !src.hasPrefix("-")
                    && !src.contains("$") && !src.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
                    let cleaned = DockerPath.clean(src)
                    let rel = cleaned.hasPrefix("/") ? String(cleaned.dropFirst()) : cleaned
                    if rel == "." || rel.isEmpty { continue }
                    let path = context.isEmpty ? rel : context + "/" + rel
                    if !project.exists(path) && !project.hasPaths(under: path) { return true }
                }
            }
            s = current.baseStageIndex.flatMap { $0 < current.index ? df.stages[$0] : nil }
            depth += 1
        }
        return false
    }

    /// Whether a WORKDIR instruction of the stage's chain (itself and its parent stages) comes before `index`.
    static func hasWorkdir(_ df: Dockerfile, stage: DockerStage, before index: Int?) -> Bool {
        var s: DockerStage? = stage
        var depth = 0
        while let current = s, depth < 64 {
            for (k, inst) in current.instructions.enumerated() where inst.keyword == "WORKDIR" {
                if index.map({ current.instructionIndices[k] < $0 }) ?? true { return true }
            }
            s = current.baseStageIndex.flatMap { $0 < current.index ? df.stages[$0] : nil }
            depth += 1
        }
        return false
    }

    /// The working directory an install runs in, starting from a local base image's WORKDIR when nothing
    /// in the Dockerfile set one before it.
    func workdir(of install: PipInstall, in df: Dockerfile, path: String) -> String {
        let stage = df.stages[install.stageIndex]
        if Self.hasWorkdir(df, stage: stage, before: install.instructionIndex) { return install.workdir }
        return baseWorkdir(of: stage, in: df, path: path)
    }

    /// The WORKDIR a stage inherits from its base image when that image is built in this repository
    /// (its Dockerfile tagged with the `FROM` name by a compose/Cloud Build/CI file); `/` otherwise.
    func baseWorkdir(of stage: DockerStage, in df: Dockerfile, path: String, depth: Int = 0) -> String {
        var root = stage
        var guardCount = 0
        while let b = root.baseStageIndex, b < root.index, guardCount < 64 { root = df.stages[b]; guardCount += 1 }
        guard depth < 4, root.baseStageIndex == nil, let basePath = evidence.dockerfile(building: root.baseImage), basePath != path,
              let base = project.file(basePath)?.dockerfile?.dockerfile, let last = base.stages.last else { return "/" }
        if Self.hasWorkdir(base, stage: last, before: nil) { return base.states(of: last).last?.workdir ?? "/" }
        return baseWorkdir(of: last, in: base, path: basePath, depth: depth + 1)
    }

    /// Repository paths a context's `.dockerignore` excludes, computed once per context.
    var ignoredByContext: [String: Set<String>] = [:]

    /// The deploy evidence and every build context's `.dockerignore` verdicts read files only (no other step's
    /// results), and were a third of the index's serial time: they are worked out on every core before the
    /// images are walked in order (which then finds each context's verdicts in `ignoredByContext`). The evidence
    /// is read one configuration file per task (one task for all of them kept a core busy for a third of the
    /// project phase while the other had nothing left), the costliest tasks first.
    mutating func prepareInParallel() {
        var contexts = Set<String>()
        for file in project.files(of: .dockerfile) {
            guard let parsed = file.dockerfile else { continue }
            contexts.insert(buildContext(for: file.path, dockerfile: parsed.dockerfile))
        }
        let pending = contexts.subtracting(ignoredByContext.keys).sorted()
        let reader = self
        let plan = DeploymentEvidence.Plan(project, isArchived: { p in reader.archived.contains { $0.matches(p) } })
        var yamlTargets: [String: [DockerBuildTarget]] = [:]
        for (path, targets) in buildConfigTargets { yamlTargets[path] = targets }
        let configs = plan.stored == nil ? plan.configs : []
        // Tasks, in the order they are handed out (the longest first): the first-party module names, the walks'
        // index of imports (images walk from their entry points), the contexts' verdicts, the configuration files.
        let slot = contexts.isEmpty ? nil : reader.reachSlot
        let fixed = slot == nil ? 1 : 2
        // The first-party index is made by one task into an object of its own. (Not an array literal of one empty
        // value written through its buffer: in a release build, Swift 6.3.1 read back such a literal's constant
        // elements after `withUnsafeMutableBufferPointer` and dropped what the tasks had written there; stop 55 found
        // it with a literal of two empty tables, the same shape as `[FirstPartyIndex()]`, which had still worked.)
        let firstParty = FirstPartySlot()
        var prepared = [(ignored: Set<String>, listing: ContextListing)?](repeating: nil, count: pending.count)
        var parts = [DeploymentEvidence](repeating: DeploymentEvidence(), count: configs.count)
        prepared.withUnsafeMutableBufferPointer { out in
            parts.withUnsafeMutableBufferPointer { partsOut in
                let base = out.baseAddress, partsBase = partsOut.baseAddress
                DispatchQueue.concurrentPerform(iterations: fixed + pending.count + configs.count) { i in
                    if i == 0 {
                        firstParty.value = FirstPartyIndex(project: reader.project)
                    } else if i < fixed {
                        _ = slot?.get(reader.project)
                    } else if i < fixed + pending.count {
                        let ignored = reader.computeIgnoredPaths(context: pending[i - fixed])
                        base![i - fixed] = (ignored, ContextListing(project: reader.project, ignored: ignored))
                    } else {
                        let k = i - fixed - pending.count
                        partsBase![k] = DeploymentEvidence.scan(reader.project, config: configs[k], yamlTargets: yamlTargets[configs[k]])
                    }
                }
            }
        }
        self.firstParty = firstParty.value
        evidence = plan.stored ?? plan.finish(parts)
        for case let (context, (ignored, listing)?) in zip(pending, prepared) {
            ignoredByContext[context] = ignored
            listingByContext[context] = listing
        }
    }

    /// What the first-party task of `prepareInParallel` makes, read once every task is done.
    private final class FirstPartySlot: @unchecked Sendable {
        var value = FirstPartyIndex()
    }

    /// The files a context's `COPY` sees, per context.
    var listingByContext: [String: ContextListing] = [:]

    mutating func listing(context: String) -> ContextListing {
        if let known = listingByContext[context] { return known }
        let listing = ContextListing(project: project, ignored: ignoredPaths(context: context))
        listingByContext[context] = listing
        return listing
    }

    mutating func ignoredPaths(context: String) -> Set<String> {
        if let cached = ignoredByContext[context] { return cached }
        let ignored = computeIgnoredPaths(context: context)
        ignoredByContext[context] = ignored
        return ignored
    }

    /// The paths of a build context its `.dockerignore` excludes (from the project memo when it knows them).
    func computeIgnoredPaths(context: String) -> Set<String> {
        var ignored = Set<String>()
        if let bytes = project.contents(context.isEmpty ? ".dockerignore" : context + "/.dockerignore") {
            let under = project.paths(under: context)
            // Matching every path of a large context is costly and its answer rarely changes: it is kept in
            // the project memo, keyed by the `.dockerignore` and the context's path list.
            let key = project.memo.map { _ in
                ProjectMemo.key("dockerignore", [context, BlobID.of(bytes).hex, ContentHash.sha256(under)])
            }
            if let key, let stored = project.memo?.value(key) {
                ignored.reserveCapacity(stored.count / 32)
                Self.forEachRecord(stored) { rel in ignored.insert(String(decoding: rel, as: UTF8.self)); return true }
            } else {
                var verdicts = DockerIgnoreVerdicts(DockerIgnore(String(decoding: bytes, as: UTF8.self)))
                let prefixLength = context.isEmpty ? 0 : context.utf8.count + 1
                // One pass over the context with per-directory verdicts shared by everything below.
                // A path is its context, `/`, and the context-relative path: the prefix is `prefixLength` bytes.
                for path in under {
                    let rel = Substring(path.utf8.dropFirst(prefixLength))
                    if path.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
                        if verdicts.isExcluded(rel) { ignored.insert(path) }
                    } else {
                        // Its own string, so that its characters start at its first byte (a `\r\n` or a combining
                        // mark straddling the prefix must not join it).
                        if verdicts.isExcluded(Substring(String(rel))) { ignored.insert(path) }
                    }
                }
                if let key { project.memo?.store(key, Self.joined(ignored.sorted())) }
            }
        }
        return ignored
    }

    /// A Dockerfile's build context: the caller's override, else what a compose or Cloud Build file names,
    /// else what its `COPY` sources imply.
    mutating func buildContext(for dockerfilePath: String, dockerfile: Dockerfile) -> String {
        if let known = contextOfDockerfile[dockerfilePath] { return known }
        let context = contextOverrides[dockerfilePath] ?? configuredContexts[dockerfilePath] ?? inferredContext(for: dockerfilePath, dockerfile: dockerfile)
        contextOfDockerfile[dockerfilePath] = context
        return context
    }

    /// Each Dockerfile's build context, once worked out (`prepareInParallel` asks for every one, then each image
    /// again: inferring one probes the paths of every COPY source).
    var contextOfDockerfile: [String: String] = [:]

    /// Without a compose/Cloud Build file naming it: the Dockerfile's directory when its COPY/ADD
    /// sources exist there, else the repository root.
    func inferredContext(for dockerfilePath: String, dockerfile: Dockerfile) -> String {
        let sources = dockerfile.instructions.filter { ($0.keyword == "COPY" || $0.keyword == "ADD") && $0.flag("from") == nil }
            .flatMap { $0.expandedArguments.dropLast() }
            .filter { !$0.hasPrefix("<<") && !$0.contains("://") }
        return DockerCopyMapper.inferContext(
            dockerfileDir: Self.directory(of: dockerfilePath), copySources: sources,
            fileExists: { [project] p in project.exists(p) || project.hasPaths(under: p) })
    }

    /// With `COPY . .`, only the Python files reachable from the entry point through first-party
    /// imports belong to the image (otherwise every copied monorepo file would be blamed on it).
    /// The Python programs a shell script (mapped into the repository through the stage's COPYs) starts.
    /// `nil` when the script is not a shell script of the repository (then nothing is known).
    func shellScriptEntryPoints(_ script: (path: String, isExplicitShell: Bool), mapper: DockerCopyMapper, workdir: String) -> [PythonEntryPoint]? {
        guard case .repoFile(let repoPath) = mapper.resolve(containerPath: script.path, workdir: workdir),
              let bytes = project.contents(repoPath), bytes.count <= 1 << 20 else { return nil }
        if !script.isExplicitShell && !repoPath.hasSuffix(".sh") {
            // Run directly: only a shell shebang makes it a shell script.
            let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
            guard firstLine.hasPrefix("#!"), firstLine.hasSuffix("sh") || firstLine.contains("/sh ") || firstLine.contains("bash") else { return nil }
        }
        var out: [PythonEntryPoint] = []
        for command in ShellSplitter.split(bytes: bytes, lookup: { _ in nil }) {
            if let ep = PythonEntryPointDetector.detect(argv: command.words.map(\.value)), !out.contains(ep) { out.append(ep) }
        }
        return out
    }

    /// The repository directory a container directory holds (through the latest directory COPY that covers it).
    static func repoDirectory(ofContainerDirectory dir: String, copied: [DockerCopiedSource]) -> String? {
        for source in copied.reversed() where source.isDirectory {
            let c = source.containerPath
            if dir == c { return source.repoPath }
            let prefix = c == "/" ? "/" : c + "/"
            if dir.hasPrefix(prefix) {
                let rest = String(dir.dropFirst(prefix.count))
                return source.repoPath.isEmpty ? rest : source.repoPath + "/" + rest
            }
        }
        return nil
    }

    func reachableSources(from entryPoints: [PythonEntryPoint], context: String, dockerDir: String, candidates: Set<String>,
                          mapper: DockerCopyMapper? = nil, workdirRepository: String?? = nil, workdir: String = "/",
                          startupOnly: Bool = false) -> [String] {
        var ignored = Set<String>()
        return reachableSources(from: entryPoints, context: context, dockerDir: dockerDir, candidates: candidates,
                                mapper: mapper, workdirRepository: workdirRepository, workdir: workdir, startupOnly: startupOnly, startup: &ignored)
    }

    func reachableSources(from entryPoints: [PythonEntryPoint], context: String, dockerDir: String, candidates: Set<String>,
                          mapper: DockerCopyMapper? = nil, workdirRepository: String?? = nil, workdir: String = "/",
                          startupOnly: Bool = false, startup: inout Set<String>) -> [String] {
        var visited: [String] = []
        return reachableSources(from: entryPoints, context: context, dockerDir: dockerDir, candidates: candidates, mapper: mapper,
                                workdirRepository: workdirRepository, workdir: workdir, startupOnly: startupOnly, startup: &startup, visited: &visited)
    }

    /// A reachability walk answered from the project memo when the files it read imports from are
    /// unchanged (their blob ids are stored with the answer), else computed and stored.
    func memoizedReach(inputs: [String]?, compute: (inout Set<String>, inout [String]) -> [String]) -> ([String], Set<String>) {
        guard let memo = project.memo, let inputs else {
            var startup = Set<String>(), visited: [String] = []
            let r = compute(&startup, &visited)
            return (r, startup)
        }
        let key = ProjectMemo.key("reachable", inputs)
        if let stored = memo.value(key) {
            // Records: "R" reached, "S" reached at start-up, "V" a file whose imports were read + its blob id.
            var reached: [String] = [], startup = Set<String>(), valid = true
            Self.forEachRecord(stored) { record in
                let body = UnsafeBufferPointer(rebasing: record.dropFirst())
                switch record[0] {
                case UInt8(ascii: "R"): reached.append(String(decoding: body, as: UTF8.self))
                case UInt8(ascii: "S"):
                    let text = String(decoding: body, as: UTF8.self)
                    reached.append(text); startup.insert(text)
                case UInt8(ascii: "V"):
                    // `path` U+0001 `blob id`, split on bytes (a U+0001 is one byte, and a grapheme of its own): split
                    // as a String, Character by Character, this was most of reusing a walk (~0.2 M instructions a walk).
                    guard let cut = body.firstIndex(of: 1), cut > body.startIndex, cut + 1 < body.endIndex else { valid = false; break }
                    let path = String(decoding: UnsafeBufferPointer(rebasing: body[..<cut]), as: UTF8.self)
                    let hex = UnsafeBufferPointer(rebasing: body[(cut + 1)...])
                    valid = project.blob(path).map { $0.hex.utf8.elementsEqual(hex) } ?? false
                default: valid = false
                }
                return valid
            }
            if valid { return (reached, startup) }
        }
        var startup = Set<String>(), visited: [String] = []
        let r = compute(&startup, &visited)
        var records: [String] = r.map { (startup.contains($0) ? "S" : "R") + $0 }
        for path in visited.sorted() {
            // A file read without a known blob id cannot be checked later: then nothing is stored.
            guard let blob = project.blob(path)?.hex else { return (r, startup) }
            records.append("V" + path + "\u{1}" + blob)
        }
        memo.store(key, Self.joined(records))
        return (r, startup)
    }

    /// `a.b.c` → `a/b/c` (byte-wise: this runs for every import of every walked file).
    static func modulePath(_ module: String) -> String {
        String(decoding: module.utf8.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }

    /// `a.b` then `a` for `a.b.c`: the module cut at each `.`, last dot first (`a..b` gives `a.` and `a`).
    static func dottedPrefixes(_ module: String) -> [String] {
        var out: [String] = []
        let bytes = Array(module.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            var i = bytes.count
            while i > 0 {
                i -= 1
                if bytes[i] == UInt8(ascii: ".") { out.append(String(decoding: bytes[..<i], as: UTF8.self)) }
            }
            return out
        }
        // Not ASCII: a `.` followed by a combining mark is no `.` Character, as `lastIndex(of:)` sees it.
        var prefix = Substring(module)
        while let dot = prefix.lastIndex(of: ".") {
            prefix = prefix[..<dot]
            out.append(String(prefix))
        }
        return out
    }

    /// `body` for each non-empty record of a memo value made by `joined`, in order, until it returns false; records
    /// are found with `memchr` (`split(separator: 0)` called a closure per byte: ~12 M instructions to read back the
    /// nba tree's two `.dockerignore` verdicts in a staged check).
    static func forEachRecord(_ stored: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Bool) {
        stored.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var start = 0
            while start < buf.count {
                let end = memchr(base + start, 0, buf.count - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? buf.count
                if end > start, !body(UnsafeBufferPointer(start: base + start, count: end - start)) { return }
                start = end + 1
            }
        }
    }

    /// Strings joined by NUL (which no path contains).
    static func joined(_ items: [String]) -> [UInt8] {
        // Sized first: the project memo holds it to the end of the project rules, and grown by doubling it held up
        // to twice its bytes (a 4-copy nba tree: 3.8 MiB of joined path lists at the peak for 2 MB of them).
        var count = max(items.count - 1, 0)
        for item in items { count += item.utf8.count }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(0) }
            out += item.utf8
        }
        return out
    }

    /// `workdirRepository`: the repository directory the workdir holds (`repoDirectory(ofContainerDirectory:copied:)`),
    /// when the caller has it already (else it is worked out from `mapper.copiedSources()`, which expands every COPY source).
    func reachableSources(from entryPoints: [PythonEntryPoint], context: String, dockerDir: String, candidates: Set<String>,
                          mapper: DockerCopyMapper? = nil, workdirRepository: String?? = nil, workdir: String = "/",
                          startupOnly: Bool = false, startup: inout Set<String>, visited: inout [String]) -> [String] {
        func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "/" + b }
        func moduleFile(_ module: String, bases: [String]) -> String? { lookupModuleFile(module, bases: bases) }
        /// The file module path `rel` names under `base` (`rel.py`, else `rel/__init__.py`), if a candidate.
        // What a module path's last component must be for a probe to hit: a candidate `…/x.py` gives `x`, a
        // candidate `…/x/__init__.py` gives `x` (both cut at `/` bytes, as the probed paths are). Most imports
        // (the standard library, third-party packages) name nothing in the candidates and stop here.
        var stems: Set<Substring>?
        func mayExist(_ rel: String) -> Bool {
            if stems == nil {
                var out = Set<Substring>()
                for c in candidates {
                    let u = c.utf8
                    let slash = u.lastIndex(of: UInt8(ascii: "/"))
                    let nameStart = slash.map { u.index(after: $0) } ?? u.startIndex
                    let name = c[nameStart...]
                    if name == "__init__.py" {
                        let dirEnd = slash ?? u.startIndex
                        let parent = c[..<dirEnd]
                        let parentSlash = parent.utf8.lastIndex(of: UInt8(ascii: "/"))
                        out.insert(parentSlash.map { parent[parent.utf8.index(after: $0)...] } ?? parent)
                    }
                    if name.utf8.count >= 3, name.utf8.suffix(3).elementsEqual(".py".utf8) {
                        out.insert(name[..<name.utf8.index(name.utf8.endIndex, offsetBy: -3)])
                    }
                }
                stems = out
            }
            let u = rel.utf8
            let last = u.lastIndex(of: UInt8(ascii: "/")).map { rel[u.index(after: $0)...] } ?? rel[...]
            return stems!.contains(last)
        }
        func probe(_ base: String, _ rel: String) -> String? {
            guard mayExist(rel) else { return nil }
            for candidate in [join(base, rel + ".py"), join(join(base, rel), "__init__.py")] where candidates.contains(candidate) {
                return candidate
            }
            return nil
        }
        func lookupModuleFile(_ module: String, bases: [String]) -> String? {
            let rel = Self.modulePath(module)
            for base in bases {
                if let found = probe(base, rel) { return found }
            }
            return nil
        }
        var queue: [String] = []
        // Entry scripts and modules are container paths: map them through WORKDIR and the COPYs first.
        var bases: [String] = []
        if let mapper, let wd = workdirRepository ?? Self.repoDirectory(ofContainerDirectory: workdir, copied: mapper.copiedSources()) {
            bases.append(wd)
        }
        for ep in entryPoints {
            if let mapper {
                var mapped: [String] = []
                if let script = ep.script { mapped.append(script) }
                if let module = ep.module {
                    let rel = Self.modulePath(module)
                    mapped += [rel + ".py", rel + "/__init__.py", rel + "/__main__.py"]
                }
                if let hit = mapped.lazy.compactMap({ path -> String? in
                    if case .repoFile(let p) = mapper.resolve(containerPath: path, workdir: workdir), candidates.contains(p) { return p }
                    return nil
                }).first {
                    queue.append(hit)
                    let dir = Self.directory(of: hit)
                    if !bases.contains(dir) { bases.append(dir) }
                    continue
                }
            }
            if let script = ep.script {
                let cleaned = script.hasPrefix("/") ? String(script.dropFirst()) : script
                for base in [context, dockerDir, ""] where candidates.contains(join(base, cleaned)) { queue.append(join(base, cleaned)); break }
            }
            if let module = ep.module, let f = moduleFile(module, bases: [context, dockerDir, ""]) { queue.append(f) }
        }
        if queue.isEmpty {
            // No recognisable entry point: the files under the Dockerfile's directory.
            return candidates.filter { dockerDir.isEmpty || $0.hasPrefix(dockerDir + "/") }.sorted()
        }
        // One walk: a file is reached at start-up when a chain of module-level imports leads to it; a file
        // reached otherwise (through an import inside a function) is reached lazily. A file is walked at
        // most twice (lazily, then at start-up), its imports resolved once.
        if let index = reachSlot?.get(project),
           let walk = index.walk(roots: queue, candidates: candidates, leading: bases + [context], trailing: [dockerDir, ""]) {
            startup = walk.startup
            visited = walk.visited
            return startupOnly ? walk.startup.sorted() : walk.reached.sorted()
        }
        // The reference walk, by path strings (what the reach index answers by ids).
        var seen = Set(queue)
        var startupFiles = Set(queue)
        var work = queue.map { ($0, true) }
        var edgesOf: [String: [(file: String, atStartup: Bool)]] = [:]
        // directory → module → the file it resolves to from there.
        var fileMemo: [String: [String: String?]] = [:]
        // A file's imports resolve against `bases + [context, its directory, dockerDir, ""]`: every base but the
        // file's directory is the same for the whole walk, so their probes are kept per module path (slot k:
        // bases[k], then context, dockerDir, root); the directory's probe is asked once per (directory, module).
        var constantProbes: [String: [String??]] = [:]
        let constant = bases + [context, dockerDir, ""]
        func lookupFromFile(_ module: String, dir: String) -> String? {
            let rel = Self.modulePath(module)
            var slots = constantProbes.removeValue(forKey: rel) ?? Array(repeating: nil, count: constant.count)
            defer { constantProbes[rel] = slots }
            func cached(_ k: Int) -> String? {
                if let known = slots[k] { return known }
                let found = probe(constant[k], rel)
                slots[k] = .some(found)
                return found
            }
            for k in 0...bases.count { if let f = cached(k) { return f } }  // bases, then context
            if let f = probe(dir, rel) { return f }
            if let f = cached(bases.count + 1) { return f }
            return cached(bases.count + 2)
        }
        func edges(_ path: String) -> [(file: String, atStartup: Bool)] {
            if let e = edgesOf[path] { return e }
            var out: [(file: String, atStartup: Bool)] = []
            if let python = project.file(path)?.python {
                let dir = Self.directory(of: path)
                var dirMemo = fileMemo.removeValue(forKey: dir) ?? [:]
                for record in python.imports {
                    var modules = [record.module]
                    if record.isFrom { modules += record.names.map { record.module + "." + $0.name } }
                    // Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first.
                    modules += Self.dottedPrefixes(record.module)
                    for m in modules where !m.isEmpty {
                        let found: String?
                        if let hit = dirMemo[m] { found = hit } else {
                            found = lookupFromFile(m, dir: dir)
                            dirMemo[m] = .some(found)
                        }
                        if let f = found { out.append((f, record.context != "function")) }
                    }
                }
                fileMemo[dir] = dirMemo
            }
            edgesOf[path] = out
            return out
        }
        while let (path, atStartup) = work.popLast() {
            for (target, startupEdge) in edges(path) {
                let reachedAtStartup = atStartup && startupEdge
                if seen.insert(target).inserted {
                    if reachedAtStartup { startupFiles.insert(target) }
                    work.append((target, reachedAtStartup))
                } else if reachedAtStartup, startupFiles.insert(target).inserted {
                    work.append((target, true))
                }
            }
        }
        startup = startupFiles
        visited = Array(edgesOf.keys)
        if startupOnly { return startupFiles.sorted() }
        return seen.sorted()
    }
}
