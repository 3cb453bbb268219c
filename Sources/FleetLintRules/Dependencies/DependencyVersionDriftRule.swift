import FleetLintCore
import FleetLintProject
import FleetLintSyntax

/// Separately deployed units that require different versions of one package.
public struct DependencyVersionDriftRule: BuiltInRule, ProjectRule {
    public static let description = RuleDescription(
        id: "dependency-version-drift",
        summary: "Separately deployed units require different versions of one package",
        category: .dependencies,
        defaultSeverity: .warning,
        inputs: [.requirements, .dockerfile, .pyproject],
        rationale: """
            ## What it does
            Compares the versions each separately deployed unit (image, root requirements file, pyproject)
            requires of every package, under a policy set in `[tool.fleetlint.dependencies]` (in the spirit of
            syncpack): `single-version` by default (every unit that pins a package pins the same version, and
            ranges must admit it), or per package group `pinned` (same exact pin everywhere), `same-range`,
            `same-major` or `ignore`; units can be exempted with a reason. Each requirement that deviates from
            the majority choice (ties: the highest version) is reported on the line to change, with the
            majority's locations as related. `fleetlint deps --drift` prints the whole table.

            ## Why is this bad?
            Services that share code but not versions behave differently in production than in tests, and a
            shared module that works against one version breaks in the service that pins another. Drift also
            makes every security upgrade a hunt across dozens of files.

            ## Example
            ```
            # services/api/requirements.txt      # services/worker/requirements.txt
            requests==2.31.0                      requests==2.28.1
            ```

            ## Use instead
            Pin `requests==2.31.0` in both, or move the pin into a shared requirements file.
            """,
        triggering: [
            Example([
                "a/requirements.txt": "requests==2.31.0\n",
                "b/requirements.txt": "requests==2.31.0\n",
                "c/requirements.txt": "↓requests==2.28.1\n",
            ]),
            Example([
                "a/requirements.txt": "flask==3.0.0\n",
                "b/requirements.txt": "↓flask>=2.0,<3\n",
            ]),
            Example([
                "a/requirements.txt": "google-cloud-bigquery==3.25.0\n",
                "b/requirements.txt": "↓google-cloud-bigquery>=3.0\n",
            ], configuration: "[dependencies]\ngroups = [{ packages = [\"google-cloud-*\"], policy = \"pinned\" }]\n"),
            // The image installs a shared range and then a lock: the lock's pin is what it runs.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install -r requirements-shared.txt\nRUN pip install -r requirements-lock.txt\n",
                "svc/requirements-shared.txt": "requests>=2.0\n",
                "svc/requirements-lock.txt": "↓requests==2.28.1\n",
                "b/requirements.txt": "requests==2.32.0\n",
                "c/requirements.txt": "requests==2.32.0\n",
            ]),
        ],
        nonTriggering: [
            // The image installs the project (`pip install .`): one deployed unit, not two.
            Example([
                "svc/pyproject.toml": "[project]\nname = \"svc\"\nversion = \"1\"\ndependencies = [\"pydantic==2.5.0\"]\n",
                "svc/requirements.txt": "pydantic==2.6.0\n",
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install -r requirements.txt && pip install .\n",
            ]),
            Example([
                "a/requirements.txt": "requests==2.31.0\n",
                "b/requirements.txt": "requests>=2.31,<3\n",
            ]),
            Example([
                "a/requirements.txt": "numpy==1.26.4\n",
                "b/requirements.txt": "numpy==1.26.0\n",
            ], configuration: "[dependencies]\ngroups = [{ packages = [\"numpy\"], policy = \"same-major\" }]\n"),
            Example([
                "a/requirements.txt": "pandas==2.2.2\n",
                "legacy/requirements.txt": "pandas==1.5.3\n",
            ], configuration: "[dependencies]\nexempt = [{ unit = \"legacy\", reason = \"frozen until decommissioned\" }]\n"),
            // The effective requirement of a unit is its last install: the lock's pin, not the shared range before it.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install -r requirements-shared.txt\nRUN pip install -r requirements-lock.txt\n",
                "svc/requirements-shared.txt": "requests>=2.0,<2.30\n",
                "svc/requirements-lock.txt": "requests==2.32.0\n",
                "b/requirements.txt": "requests==2.32.0\n",
            ]),
            // Units under an archived path that nothing deploys are not compared.
            Example([
                "a/requirements.txt": "pandas==2.2.2\n",
                "archive/old-etl/requirements.txt": "pandas==1.5.3\n",
            ]),
        ]
    )

    let settings: DependencySettings

    public static let optionsSection = "dependencies"

    public init(options: OptionsTable) throws(ConfigurationError) {
        settings = try DependencySettings(options: options)
    }

    public init(settings: DependencySettings) {
        self.settings = settings
    }

    /// One unit's requirement of a package, with the unit's display name (all that is read of the unit: a copy of the
    /// unit itself, ~140 bytes, was most of a choice, and the 16x tree's ~16,000 choices were alive at its peak).
    struct Choice {
        var unitName: String
        var requirement: UnitRequirement
    }

    /// The drift summary of one package (also `fleetlint deps --drift`).
    public struct PackageDrift: Sendable {
        public var package: String
        public var policy: DependencySettings.Policy
        public var units: Int
        /// Distinct requirement texts (`==2.31.0`, `>=2.0`) with the number of units using each.
        public var versions: [(spec: String, count: Int)]
        public var majority: String?
    }

    public static func summary(_ index: DependencyIndex, settings: DependencySettings) -> [PackageDrift] {
        let rule = DependencyVersionDriftRule(settings: settings)
        return rule.analyze(index).summaries
    }

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let analysis = analyze(dependencyIndex(project))
        var out: [Finding] = []
        var seen = Set<String>()
        for d in analysis.deviations {
            let r = d.choice.requirement
            let key = "\(r.path):\(r.range.start)"
            guard seen.insert(key).inserted else { continue }
            let related = d.majority.prefix(5).map {
                RelatedLocation(path: $0.requirement.path, range: $0.requirement.range,
                                note: "\($0.unitName) requires `\(Self.spec($0.requirement))`")
            }
            out.append(context.finding(
                path: r.path, range: r.range, message: d.message,
                help: d.help, related: Array(related),
                metadata: [
                    "package": .string(d.summary.package),
                    "policy": .string(d.summary.policy.rawValue),
                    "units": .int(d.summary.units),
                    "versions": .object(Dictionary(uniqueKeysWithValues: d.summary.versions.map { ($0.spec, MetadataValue.int($0.count)) })),
                    "majority": .string(d.summary.majority ?? ""),
                    "unit": .string(d.choice.unitName),
                ],
                anchor: "\(d.summary.package):\(Self.spec(r))"))
        }
        return out
    }

    struct Deviation {
        var choice: Choice
        var majority: [Choice]
        var summary: PackageDrift
        var message: String
        var help: String
    }

    static func spec(_ r: UnitRequirement) -> String {
        let s = r.specifier?.description ?? ""
        return s.isEmpty ? "(any version)" : s
    }

    /// The requirement of each package that decides what a unit runs: a later `pip install` replaces what an
    /// earlier one installed, and within one install the most restrictive line (a pin) decides. In order of
    /// first appearance.
    static func effectiveRequirements(of unit: DeployableUnit) -> [UnitRequirement] {
        var order: [String] = []
        var chosen: [String: UnitRequirement] = [:]
        for r in unit.requirements where !r.name.isEmpty && !r.isConstraint && r.appliesToTarget && !r.isDirectReference {
            guard let current = chosen[r.name] else {
                order.append(r.name)
                chosen[r.name] = r
                continue
            }
            let later = (r.installInstruction ?? 0) > (current.installInstruction ?? 0)
            let sameInstall = (r.installInstruction ?? 0) == (current.installInstruction ?? 0)
            if later || (sameInstall && Self.restrictiveness(r) > Self.restrictiveness(current)) { chosen[r.name] = r }
        }
        return order.compactMap { chosen[$0] }
    }

    /// A pin beats a range, a range beats no specifier.
    static func restrictiveness(_ r: UnitRequirement) -> Int {
        if r.pinned != nil { return 2 }
        return (r.specifier?.specifiers.isEmpty ?? true) ? 0 : 1
    }

    func analyze(_ index: DependencyIndex) -> (summaries: [PackageDrift], deviations: [Deviation]) {
        var byPackage: [String: [Choice]] = [:]
        for unit in index.units where unit.isDeployedSeparately && unit.isDeployed {
            let name = unit.displayName
            for r in Self.effectiveRequirements(of: unit) {
                if settings.isExempt(unit: unit, package: r.name) { continue }
                byPackage[r.name, default: []].append(Choice(unitName: name, requirement: r))
            }
        }
        var summaries: [PackageDrift] = []
        var deviations: [Deviation] = []
        for package in byPackage.keys.sorted() {
            let choices = byPackage[package]!
            guard choices.count > 1 else { continue }
            let policy = settings.policy(for: package)
            var counts: [String: Int] = [:]
            for c in choices { counts[Self.spec(c.requirement), default: 0] += 1 }
            let versions = counts.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map { (spec: $0.key, count: $0.value) }
            let pins = choices.compactMap { c in c.requirement.pinned.map { (c, $0) } }
            // The majority pin (ties: the highest version).
            var pinCounts: [Version: Int] = [:]
            for (_, v) in pins { pinCounts[v, default: 0] += 1 }
            let majorityPin = pinCounts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
            var summary = PackageDrift(package: package, policy: policy, units: Set(choices.map(\.unitName)).count,
                                       versions: versions, majority: majorityPin.map { "==\($0)" })
            guard policy != .ignore else { summaries.append(summary); continue }
            func deviation(_ c: Choice, _ majority: [Choice], _ message: String, _ help: String) {
                deviations.append(Deviation(choice: c, majority: majority, summary: summary, message: message, help: help))
            }
            switch policy {
            case .singleVersion, .pinned:
                guard let m = majorityPin else {
                    if policy == .pinned {
                        for c in choices {
                            deviation(c, [], "`\(package)` is not pinned in \(c.unitName) (policy `pinned`)", "pin an exact version with `==`")
                        }
                    }
                    continue
                }
                let majority = choices.filter { $0.requirement.pinned == m }
                let n = majority.count
                for c in choices where c.requirement.pinned != m {
                    let r = c.requirement
                    if let p = r.pinned {
                        deviation(c, majority,
                            "`\(package)==\(p)` in \(c.unitName) differs from `==\(m)`, pinned by \(n) of \(choices.count) units",
                            "pin `\(package)==\(m)` (or agree on another version everywhere)")
                    } else if policy == .pinned {
                        deviation(c, majority,
                            "`\(package)\(Self.spec(r))` in \(c.unitName) is a range; policy `pinned` requires `==\(m)` as \(n) of \(choices.count) units pin it",
                            "pin `\(package)==\(m)`")
                    } else if let s = r.specifier, !s.contains(m, prereleases: true) {
                        deviation(c, majority,
                            "`\(package)\(Self.spec(r))` in \(c.unitName) excludes `\(m)`, pinned by \(n) of \(choices.count) units",
                            "widen the range to admit \(m), or pin `\(package)==\(m)`")
                    }
                }
                summary.majority = "==\(m)"
            case .sameRange:
                guard let top = versions.first?.spec else { continue }
                let majority = choices.filter { Self.spec($0.requirement) == top }
                for c in choices where Self.spec(c.requirement) != top {
                    deviation(c, majority,
                        "`\(package)\(Self.spec(c.requirement))` in \(c.unitName) differs from `\(top)`, used by \(majority.count) of \(choices.count) units (policy `same-range`)",
                        "use `\(package)\(top)`")
                }
            case .sameMajor:
                var majors: [Int: Int] = [:]
                for (_, v) in pins { majors[v.major, default: 0] += 1 }
                guard let m = majors.max(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key else { continue }
                let majority = choices.filter { $0.requirement.pinned?.major == m }
                for c in choices {
                    guard let p = c.requirement.pinned, p.major != m else { continue }
                    deviation(c, majority,
                        "`\(package)==\(p)` in \(c.unitName) is major version \(p.major); \(majority.count) of \(choices.count) units use \(m).x (policy `same-major`)",
                        "move to a \(m).x release")
                }
            case .ignore:
                break
            }
            summaries.append(summary)
        }
        return (summaries, deviations)
    }
}
