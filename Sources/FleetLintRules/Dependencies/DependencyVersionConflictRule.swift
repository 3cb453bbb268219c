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
            requirement, with the earlier ones as related locations.

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

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let index = DependencyIndex.of(project, environment: settings.environment, buildContexts: settings.buildContexts)
        var out: [Finding] = []
        var byLocation: [String: Int] = [:]
        // A pyproject that an image installs (`pip install .`) is checked as part of that image.
        for unit in index.units where unit.kind != .project || unit.isDeployedSeparately {
            var byName: [String: [UnitRequirement]] = [:]
            var order: [String] = []
            for r in unit.requirements where !r.name.isEmpty && r.appliesToTarget && !r.isDirectReference && r.specifier != nil {
                if byName[r.name] == nil { order.append(r.name) }
                byName[r.name, default: []].append(r)
            }
            for name in order {
                let reqs = byName[name]!
                guard reqs.count > 1 else { continue }
                for i in 1..<reqs.count {
                    let sets = reqs[0...i].map { $0.specifier! }
                    if SpecifierSet.intersection(of: sets).isSatisfiable { continue }
                    let later = reqs[i]
                    let earlier = Array(reqs[0..<i])
                    let key = "\(later.path):\(later.range.start):\(name)"
                    if let existing = byLocation[key] {
                        // The same conflict seen through another unit: name it in the metadata.
                        if case .array(var units) = out[existing].metadata["units"] ?? .array([]) {
                            units.append(.string(unit.displayName))
                            out[existing].metadata["units"] = .array(units)
                        }
                        break
                    }
                    let parts = (earlier + [later]).map { "\(Self.spec($0)) (\($0.path):\($0.range.start.line))" }
                    let separateCommands = earlier.contains { $0.installInstruction != later.installInstruction }
                    let message = "`\(name)`: " + Self.list(parts) + (parts.count == 2 ? " cannot both hold" : " cannot all hold") + " in \(unit.displayName)"
                        + (separateCommands ? " (separate `pip install` commands: the later one replaces the earlier pin)" : "")
                    var related: [RelatedLocation] = []
                    for e in earlier {
                        related.append(RelatedLocation(path: e.path, range: e.range, note: "`\(name)` is required as `\(Self.spec(e))` here"))
                    }
                    byLocation[key] = out.count
                    out.append(context.finding(
                        path: later.path, range: later.range, message: message,
                        help: "make the specifiers agree (one pin in the shared file, or a range that admits it)",
                        related: related,
                        metadata: [
                            "package": .string(name),
                            "specifiers": .array((earlier + [later]).map { .string(Self.spec($0)) }),
                            "unit": .string(unit.displayName),
                            "units": .array([.string(unit.displayName)]),
                            "separateCommands": .bool(separateCommands),
                        ],
                        anchor: "\(name):\(Self.spec(later))"))
                    break
                }
            }
        }
        return out
    }

    static func spec(_ r: UnitRequirement) -> String {
        let s = r.specifier?.description ?? ""
        return s.isEmpty ? "(any version)" : s
    }

    static func list(_ parts: [String]) -> String {
        parts.count <= 2 ? parts.joined(separator: " and ") : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}
