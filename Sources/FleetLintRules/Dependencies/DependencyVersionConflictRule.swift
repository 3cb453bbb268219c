import FleetLintCore
import FleetLintProject
import FleetLintSyntax

/// Specifiers for one package that cannot all hold in one install set.
public struct DependencyVersionConflictRule: BuiltInRule, ProjectRule {
    public static let description = RuleDescription(
        id: "dependency-version-conflict",
        summary: "Specifiers for one package that cannot all hold in one install set",
        category: .dependencies,
        defaultSeverity: .error,
        inputs: [.requirements, .dockerfile, .pyproject],
        rationale: """
            ## What it does
            For each install set — an image (every requirements file and inline package its stages install,
            in order), a requirements file with its `-r`/`-c` closure, a pyproject with the requirements
            files beside it — checks that the specifiers of each package can all hold at once (PEP 440,
            computed exactly on version intervals; markers evaluated for the target environment;
            constraints from `-c` count). Reports one finding per package and install set, on the later
            requirement, with the earlier ones as related locations. One root cause is one finding: when
            a single shared pin contradicts the pins of several install sets (each service's lock file
            against `shared/requirements.txt`), the finding is on the shared pin and lists the others.

            ## Why is this bad?
            pip's resolver refuses to build the image (`ResolutionImpossible`), usually at deploy time, or
            an older pip silently installs whichever line it read last and the service runs a version
            nobody tested.

            ## Example
            ```
            # shared/requirements.txt
            flask==2.3.3
            # predictions/worker/requirements.txt
            -r ../../shared/requirements.txt
            flask==3.0.0
            ```

            ## Use instead
            Pin the package once, in the shared file, or give the service its own compatible range.
            """,
        triggering: [
            Example([
                "shared/requirements.txt": "flask==2.3.3\n",
                "svc/requirements.txt": "-r ../shared/requirements.txt\n↓flask==3.0.0\n",
            ]),
            Example(path: "svc/requirements.txt", "pydantic==1.10.13\n↓pydantic @ https://files.example/pydantic-2.5.0-py3-none-any.whl\n"),
            Example([
                "svc/requirements.txt": "pydantic>=2.0\n-c constraints.txt\n",
                "svc/constraints.txt": "↓pydantic<2\n",
            ]),
            Example([
                "svc/pyproject.toml": "[project]\nname = \"svc\"\nversion = \"1.0\"\ndependencies = [\"flask>=3\"]\n",
                "svc/requirements.txt": "↓flask==2.3.3\n",
            ]),
            Example([
                "svc/pyproject.toml": "[project]\nname = \"svc\"\nversion = \"1\"\ndependencies = [\n  ↓\"pydantic==2.5.0\",\n]\n",
                "svc/requirements.txt": "pydantic==2.6.0\n",
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install -r requirements.txt && pip install .\n",
            ]),
            Example([
                "shared/requirements.txt": "requests==2.31.0\n",
                "svc/requirements.txt": "↓requests>=2.32\n",
                "svc/Dockerfile": "FROM python:3.11\nCOPY shared/requirements.txt shared/\nCOPY svc/requirements.txt svc/\nRUN pip install -r shared/requirements.txt -r svc/requirements.txt\n",
            ]),
            // One shared pin against two services: one finding, on the shared pin.
            Example([
                "shared/requirements.txt": "↓werkzeug==2.3.7\n",
                "a/requirements.txt": "-r ../shared/requirements.txt\nwerkzeug==3.1.5\n",
                "b/requirements.txt": "-r ../shared/requirements.txt\nwerkzeug==3.1.5\n",
            ]),
        ],
        nonTriggering: [
            Example([
                "svc/pyproject.toml": "[project]\nname = \"svc\"\nversion = \"1.0\"\ndependencies = [\"flask>=3\"]\n",
                "svc/requirements.txt": "flask==3.0.0\n",
            ]),
            Example([
                "shared/requirements.txt": "flask>=2.3,<3\n",
                "svc/requirements.txt": "-r ../shared/requirements.txt\nflask==2.3.3\n",
            ]),
            Example(path: "svc/requirements.txt", "numpy==1.26.4 ; python_version < \"3.8\"\nnumpy==2.0.1 ; python_version >= \"3.8\"\n"),
            Example([
                "a/requirements.txt": "flask==2.3.3\n",
                "b/requirements.txt": "flask==3.0.0\n",
            ]),
        ]
    )

    let settings: DependencySettings

    public static let optionsSection = "dependencies"

    public init(options: OptionsTable) throws(ConfigurationError) {
        settings = try DependencySettings(options: options)
    }

    /// One package's specifiers that cannot all hold in one install set: `later` against `earlier`.
    struct Conflict {
        var name: String
        var earlier: [UnitRequirement]
        var later: UnitRequirement
        var separateCommands: Bool
        /// The install sets it was seen in (the same `later` line reached through several units).
        var units: [String]
    }

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let index = dependencyIndex(project)
        var conflicts: [Conflict] = []
        var byLocation: [String: Int] = [:]
        // A pyproject that an image installs (`pip install .`) is checked as part of that image.
        for unit in index.units where unit.kind != .project || unit.isDeployedSeparately {
            var byName: [String: [UnitRequirement]] = [:]
            var order: [String] = []
            // The same line installed again (a stage chain repeating its parents' `pip install -r`) adds
            // nothing to the intersection: each written requirement counts once per unit.
            var seenLines = Set<String>()
            for r in unit.requirements where !r.name.isEmpty && r.appliesToTarget && !r.isDirectReference && r.specifier != nil {
                guard seenLines.insert("\(r.path)\u{1F}\(r.range.start)\u{1F}\(r.text)").inserted else { continue }
                if byName[r.name] == nil { order.append(r.name) }
                byName[r.name, default: []].append(r)
            }
            for name in order {
                let reqs = byName[name]!
                guard reqs.count > 1 else { continue }
                var running = RunningIntersection()
                running.add(reqs[0].specifier!)
                for i in 1..<reqs.count {
                    running.add(reqs[i].specifier!)
                    if running.range.isSatisfiable { continue }
                    let later = reqs[i]
                    let earlier = Array(reqs[0..<i])
                    let key = "\(later.path):\(later.range.start):\(name)"
                    if let existing = byLocation[key] {
                        // The same conflict seen through another unit.
                        conflicts[existing].units.append(unit.displayName)
                        break
                    }
                    byLocation[key] = conflicts.count
                    conflicts.append(Conflict(
                        name: name, earlier: earlier, later: later,
                        separateCommands: earlier.contains { $0.installInstruction != later.installInstruction },
                        units: [unit.displayName]))
                    break
                }
            }
        }

        // One root cause, one finding: a single shared pin that conflicts with the pins of several
        // install sets (each service's lock file against `shared/requirements.txt`) is reported once, on
        // the shared pin, listing the others — not once per service.
        var groups: [String: [Int]] = [:]
        var groupOrder: [String] = []
        for (i, c) in conflicts.enumerated() where c.earlier.count == 1 {
            let shared = c.earlier[0]
            let key = "\(c.name)\u{1F}\(shared.path)\u{1F}\(shared.range.start)"
            if groups[key] == nil { groupOrder.append(key) }
            groups[key, default: []].append(i)
        }
        var grouped = Set<Int>()
        var out: [Finding] = []
        for key in groupOrder {
            let members = groups[key]!
            guard Set(members.map { conflicts[$0].later.path }).count > 1 else { continue }
            grouped.formUnion(members)
            out.append(groupedFinding(members.map { conflicts[$0] }, in: context))
        }
        for (i, c) in conflicts.enumerated() where !grouped.contains(i) {
            out.append(finding(c, in: context))
        }
        return out
    }

    private func finding(_ c: Conflict, in context: RuleContext) -> Finding {
        let (name, earlier, later) = (c.name, c.earlier, c.later)
        let parts = (earlier + [later]).map { "\(Self.spec($0)) (\($0.path):\($0.range.start.line))" }
        let message = "`\(name)`: " + Self.list(parts) + (parts.count == 2 ? " cannot both hold" : " cannot all hold") + " in \(c.units[0])"
            + (c.separateCommands ? " (separate `pip install` commands: the later one replaces the earlier pin)" : "")
        let related = earlier.map { e in
            RelatedLocation(path: e.path, range: e.range, note: "`\(name)` is required as `\(Self.spec(e))` here")
        }
        return context.finding(
            path: later.path, range: later.range, message: message,
            help: "make the specifiers agree (one pin in the shared file, or a range that admits it)",
            related: related,
            metadata: [
                "package": .string(name),
                "specifiers": .array((earlier + [later]).map { .string(Self.spec($0)) }),
                "unit": .string(c.units[0]),
                "units": .array(c.units.map { .string($0) }),
                "separateCommands": .bool(c.separateCommands),
            ],
            anchor: "\(name):\(Self.spec(later))")
    }

    /// One finding on the shared pin for conflicts that all have it as their only earlier requirement.
    private func groupedFinding(_ members: [Conflict], in context: RuleContext) -> Finding {
        let name = members[0].name
        let shared = members[0].earlier[0]
        let units = members.flatMap(\.units)
        let shown = members.prefix(3).map { c in "\(Self.spec(c.later)) (\(c.later.path):\(c.later.range.start.line)) in \(c.units[0])" }
        let more = members.count - shown.count
        let message = "`\(name)`: \(Self.spec(shared)) (\(shared.path):\(shared.range.start.line)) conflicts with the pins of "
            + "\(members.count) install sets that include it: " + shown.joined(separator: "; ")
            + (more > 0 ? "; and \(more) more" : "")
        let related = members.map { c in
            RelatedLocation(path: c.later.path, range: c.later.range,
                            note: "`\(name)` is required as `\(Self.spec(c.later))` here, in \(c.units.joined(separator: ", "))")
        }
        var specifiers = [Self.spec(shared)]
        for c in members where !specifiers.contains(Self.spec(c.later)) { specifiers.append(Self.spec(c.later)) }
        return context.finding(
            path: shared.path, range: shared.range, message: message,
            help: "make the specifiers agree: change this shared pin, or the \(members.count) pins that contradict it",
            related: related,
            metadata: [
                "package": .string(name),
                "specifiers": .array(specifiers.map { .string($0) }),
                "unit": .string(units[0]),
                "units": .array(units.map { .string($0) }),
                "separateCommands": .bool(members.contains { $0.separateCommands }),
                "grouped": .int(members.count),
            ],
            anchor: "\(name):\(Self.spec(shared)):shared")
    }

    static func spec(_ r: UnitRequirement) -> String {
        let s = r.specifier?.description ?? ""
        return s.isEmpty ? "(any version)" : s
    }

    static func list(_ parts: [String]) -> String {
        parts.count <= 2 ? parts.joined(separator: " and ") : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}
