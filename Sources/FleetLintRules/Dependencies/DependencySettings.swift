import FleetLintCore
import FleetLintProject
import FleetLintSyntax

/// `[tool.fleetlint.dependencies]`: the settings the dependency rules share (target environment,
/// drift policy, import-map overrides).
public struct DependencySettings: Sendable {
    public enum Policy: String, Sendable, CaseIterable {
        case singleVersion = "single-version", pinned, sameRange = "same-range", sameMajor = "same-major", ignore
    }

    public struct Group: Sendable {
        public var packages: [Glob]
        public var policy: Policy
    }

    public struct Exemption: Sendable {
        public var unit: Glob
        public var packages: [Glob]
        public var reason: String
    }

    public var pythonVersion: (major: Int, minor: Int) = (3, 11)
    public var environment: MarkerEnvironment = .default
    public var policy: Policy = .singleVersion
    public var groups: [Group] = []
    public var exempt: [Exemption] = []
    /// distribution → import names it provides (overrides the built-in map).
    public var importMap: [String: [String]] = [:]
    /// Well-known hard dependencies of a declared distribution count as provided (the reviewed table
    /// `Resources/transitive.tsv`); `include-transitive = false` turns it off.
    public var includeTransitive = true
    /// Report imports satisfied only through such a dependency as an info-level hygiene finding.
    public var reportTransitive = false
    public var reportUnused = false
    /// Path globs (a name without `/` matches a folder at any depth) whose units are not deployed unless a
    /// build or deploy configuration references them; `nil` = `DeploymentEvidence.defaultArchived`.
    public var archived: [String]? = nil
    public var firstParty: [String] = []
    /// Dockerfile path → build-context directory, overriding compose/Cloud Build files and inference.
    public var buildContexts: [String: String] = [:]

    public static let keys: [String: String] = [
        "python-version": "target Python version for markers and the standard library (default `3.11`)",
        "platform": "target `sys_platform` for markers (default `linux`)",
        "policy": "default drift policy: `single-version` (default), `pinned`, `same-range`, `same-major`, `ignore`",
        "groups": "array of tables `{packages = [globs], policy = ...}`; the first matching group sets a package's policy",
        "exempt": "array of tables `{unit = glob, packages = [globs], reason = \"...\"}` excluded from drift",
        "import-map": "table of distribution → list of import names, overriding the built-in map",
        "include-transitive": "count well-known hard dependencies of declared distributions as provided (default true)",
        "report-transitive": "report imports satisfied only through such a dependency, at info level (default false)",
        "archived": "path globs whose Dockerfiles and requirements are not deployed unless a build config references them (default: archive, archived, deprecated, docs, backup, … folders)",
        "report-unused": "also report declared requirements that no file of the unit imports (default false)",
        "first-party": "extra top-level module names that are first-party code",
        "build-contexts": "table of Dockerfile path → build-context directory (`\"svc/Dockerfile\" = \".\"`), overriding compose/Cloud Build files and inference",
    ]

    public init() {}

    public init(options: OptionsTable) throws(ConfigurationError) {
        try options.validateKeys(Self.keys.keys)
        if let v = try options.string("python-version") {
            let parts = v.split(separator: ".").compactMap { Int($0) }
            guard parts.count >= 2, parts[0] == 3 else {
                throw options.error("python-version", "`python-version` must look like \"3.11\", not \"\(v)\"")
            }
            pythonVersion = (parts[0], parts[1])
            environment = environment.with([
                "python_version": "\(parts[0]).\(parts[1])", "python_full_version": "\(parts[0]).\(parts[1]).0",
                "implementation_version": "\(parts[0]).\(parts[1]).0",
            ])
        }
        if let p = try options.string("platform") {
            let system = ["linux": "Linux", "darwin": "Darwin", "win32": "Windows"][p]
            guard let system else { throw options.error("platform", "`platform` must be linux, darwin or win32") }
            environment = environment.with(["sys_platform": p, "platform_system": system, "os_name": p == "win32" ? "nt" : "posix"])
        }
        if let p = try options.string("policy") {
            guard let policy = Policy(rawValue: p) else {
                throw options.error("policy", "`policy` must be one of \(Policy.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))")
            }
            self.policy = policy
        }
        for g in try options.tableArray("groups") ?? [] {
            try g.validateKeys(["packages", "policy"])
            guard let packages = try g.stringArray("packages"), let p = try g.string("policy"), let policy = Policy(rawValue: p) else {
                throw options.error("groups", "each `groups` entry needs `packages` (globs) and a valid `policy`")
            }
            groups.append(Group(packages: packages.map { Glob(PackageName.normalize($0)) }, policy: policy))
        }
        for e in try options.tableArray("exempt") ?? [] {
            try e.validateKeys(["unit", "packages", "reason"])
            guard let unit = try e.string("unit"), let reason = try e.string("reason"), !reason.isEmpty else {
                throw options.error("exempt", "each `exempt` entry needs `unit` (a path glob) and a `reason`")
            }
            exempt.append(Exemption(unit: Glob(unit), packages: (try e.stringArray("packages") ?? ["*"]).map(Glob.init), reason: reason))
        }
        if let map = try options.table("import-map") {
            for dist in map.values.keys {
                importMap[PackageName.normalize(dist)] = try map.stringArray(dist) ?? []
            }
        }
        includeTransitive = try options.bool("include-transitive") ?? true
        reportTransitive = try options.bool("report-transitive") ?? false
        archived = try options.stringArray("archived")
        reportUnused = try options.bool("report-unused") ?? false
        firstParty = try options.stringArray("first-party") ?? []
        if let contexts = try options.table("build-contexts") {
            for dockerfile in contexts.values.keys {
                guard let dir = try contexts.string(dockerfile) else { continue }
                var cleaned = dir
                while cleaned.hasPrefix("./") { cleaned.removeFirst(2) }
                while cleaned.hasSuffix("/") { cleaned.removeLast() }
                buildContexts[dockerfile] = cleaned == "." ? "" : cleaned
            }
        }
    }

    public func policy(for package: String) -> Policy {
        groups.first { g in g.packages.contains { $0.matchesWholePath(package) } }?.policy ?? policy
    }

    public func isExempt(unit: DeployableUnit, package: String) -> Bool {
        exempt.contains { e in
            e.unit.matches(unit.path) && e.packages.contains { $0.matchesWholePath(package) }
        }
    }
}

/// A project rule that reads the dependency index.
protocol DependencyIndexRule: ProjectRule {
    var settings: DependencySettings { get }
}

extension DependencyIndexRule {
    /// The index, built once per project before the checks (`ProjectRule.prepare`).
    public func prepare(_ project: Project) { _ = dependencyIndex(project) }

    /// The project's dependency index under these settings (built on first use, then shared).
    func dependencyIndex(_ project: Project) -> DependencyIndex {
        DependencyIndex.of(project, environment: settings.environment, buildContexts: settings.buildContexts, archived: settings.archived)
    }
}

extension MissingDependencyRule: DependencyIndexRule {}
extension DependencyVersionConflictRule: DependencyIndexRule {}
extension DependencyVersionDriftRule: DependencyIndexRule {}
extension InvalidRequirementRule: DependencyIndexRule {}
