import FleetLintCore
import FleetLintProject
import FleetLintSyntax

/// A unit's Python file imports a third-party module that nothing installed into the unit provides.
public struct MissingDependencyRule: BuiltInRule, ProjectRule {
    public static let description = RuleDescription(
        id: "missing-dependency",
        summary: "A service imports a third-party module that nothing installed into it declares",
        category: .dependencies,
        defaultSeverity: .error,
        inputs: [.python, .requirements, .dockerfile, .pyproject],
        rationale: """
            ## What it does
            For every deployable unit (an image, a root requirements file, a pyproject), checks that each
            third-party module its Python files import is provided by a distribution the unit installs. The
            import → distribution mapping needs no installed environment: a built-in table of ~800 entries
            (`google.cloud.bigquery` → `google-cloud-bigquery`, `sklearn` → `scikit-learn`, `yaml` → `PyYAML`,
            …), most specific prefix first, then the normalised name; overridable in
            `[tool.fleetlint.dependencies] import-map`. The standard library (for the target Python), first-party
            code, and imports under `if TYPE_CHECKING:` are not missing; imports guarded by
            `try: … except ImportError` are reported at info level as optional. An image's files are the ones its
            `COPY`/`ADD` bring in; with `COPY . .`, the files reachable from its entry point. Servers an image runs
            (`gunicorn`, `uvicorn`, `celery`, `functions-framework`) must be installed too. With
            `report-unused = true`, declared requirements that no file imports are reported as well.

            ## Why is this bad?
            The import works on a developer's machine, where everything is installed, and crashes the worker
            in production with `ModuleNotFoundError` on the first request that reaches it.

            ## Example
            ```python
            # predictions/worker/worker.py (requirements.txt lists only google-cloud-bigquery)
            from google.cloud import firestore
            ```

            ## Use instead
            Add `google-cloud-firestore` to `predictions/worker/requirements.txt`.
            """,
        triggering: [
            Example([
                "svc/requirements.txt": "google-cloud-bigquery==3.11.4\n",
                "svc/worker.py": "from google.cloud import bigquery\n↓from google.cloud import firestore\n",
            ]),
            Example([
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/app.py": "import os\nimport flask\n↓import yaml\n",
            ]),
            Example([
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/app.py": "import flask\n",
                "svc/Dockerfile": "FROM python:3.11\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n↓CMD [\"gunicorn\", \"-b\", \":8080\", \"app:app\"]\n",
            ]),
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/app.py": "try:\n    ↓import ujson as json\nexcept ImportError:\n    import json\n",
            ]),
            Example([
                "svc/requirements.txt": "flask==3.0.0\n↓pandas==2.1.3\n",
                "svc/app.py": "import flask\n",
            ], configuration: "[dependencies]\nreport-unused = true\n"),
        ],
        nonTriggering: [
            Example([
                "svc/requirements.txt": "scikit-learn==1.4.0\nPyYAML==6.0.1\ngoogle-cloud-firestore==2.16.0\n",
                "svc/app.py": "import json\nimport sklearn.linear_model\nimport yaml\nfrom google.cloud import firestore\nfrom svc import helpers\nfrom . import local\n",
                "svc/helpers.py": "import typing\nif typing.TYPE_CHECKING:\n    import pandas\n",
            ]),
            // `COPY . .` from the repository root: only files reachable from the entry point belong to the image.
            Example([
                "app/Dockerfile": "FROM python:3.11\nWORKDIR /srv\nCOPY . .\nRUN pip install -r app/requirements.txt\nCMD [\"python\", \"-m\", \"app.main\"]\n",
                "app/requirements.txt": "flask\n",
                "app/main.py": "import flask\nfrom app import views\n",
                "app/views.py": "import flask\n",
                "tools/backfill.py": "import boto3\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"app/Dockerfile\" = \".\" }\n"),
        ]
    )

    public static let optionsSection = "dependencies"
    static let toolDistributions: [String: String] = [
        "gunicorn": "gunicorn", "uvicorn": "uvicorn", "celery": "celery", "functions-framework": "functions-framework",
        "hypercorn": "hypercorn", "daphne": "daphne", "streamlit": "streamlit",
    ]

    let settings: DependencySettings
    let resolver: ImportResolver

    public init(options: OptionsTable) throws(ConfigurationError) {
        settings = try DependencySettings(options: options)
        do {
            resolver = try ImportResolver.loadBuiltIn(overrides: settings.importMap)
        } catch {
            throw ConfigurationError(file: "<built-in import map>", message: "cannot load fleetlint's import map: \(error)")
        }
    }

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let index = DependencyIndex.of(project, environment: settings.environment, buildContexts: settings.buildContexts)
        let firstParty = FirstPartyIndex(project: project, extra: settings.firstParty)
        var out: [Finding] = []
        var byKey: [String: Int] = [:]
        // Images are checked against exactly the files they copy in. Code that no image ships (Cloud
        // Functions deployed from a directory, scripts) is checked against the requirements files and
        // pyproject of its nearest enclosing directory that has any.
        let imageFiles = Set(index.units.filter { $0.kind == .image }.flatMap(\.sourceFiles))
        var groups: [String: DeployableUnit] = [:]
        for unit in index.units where unit.kind != .image {
            if var g = groups[unit.directory] {
                g.requirements += unit.requirements
                g.requirementFiles += unit.requirementFiles.filter { !g.requirementFiles.contains($0) }
                if unit.kind == .project { g.path = unit.path; g.kind = .project }
                groups[unit.directory] = g
            } else {
                groups[unit.directory] = unit
            }
        }
        let groupDirs = groups.keys.sorted { $0.count > $1.count }
        var filesByGroup: [String: [String]] = [:]
        for path in project.allPaths where path.hasSuffix(".py") && !imageFiles.contains(path) {
            if let dir = groupDirs.first(where: { $0.isEmpty || path.hasPrefix($0 + "/") }) { filesByGroup[dir, default: []].append(path) }
        }
        var checked: [DeployableUnit] = index.units.filter { $0.kind == .image }
        for dir in groups.keys.sorted() {
            var g = groups[dir]!
            g.sourceFiles = filesByGroup[dir] ?? []
            g.tools = []
            checked.append(g)
        }
        for unit in checked {
            var declared = Set(unit.requirements.filter { !$0.isConstraint && $0.appliesToTarget && !$0.name.isEmpty }.map(\.name))
            if unit.kind == .image, unit.requirements.contains(where: { $0.isDirectReference && $0.name.isEmpty }) {
                // An unnamed local/URL install could provide anything: do not guess.
                continue
            }
            if settings.includeTransitive { for d in Array(declared) { declared.formUnion(resolver.transitiveProvides(d)) } }
            let target = unit.kind == .project ? unit.path : (unit.ownRequirementsFile ?? unit.path)
            if unit.hasUnresolvedInstalls { continue }  // the image cannot build; invalid-requirement says why
            var importedDistributions = Set<String>()
            for path in unit.sourceFiles {
                guard let python = project.file(path)?.python else { continue }
                for record in python.imports where record.level == 0 && !record.isTypeCheckingOnly {
                    let modules = record.isFrom ? record.names.map { record.module + "." + $0.name } : record.names.map(\.name)
                    for module in modules {
                        guard let top = module.split(separator: ".").first.map(String.init), !top.isEmpty else { continue }
                        if resolver.isStandardLibrary(module, pythonVersion: (settings.pythonVersion.major, settings.pythonVersion.minor)) { continue }
                        if firstParty.isFirstParty(top, importingFile: path, unitDirectory: unit.directory) { continue }
                        let candidates = resolver.distributions(for: module)
                        guard let best = candidates.first else { continue }
                        // A name the import map does not know, that is also a module or directory somewhere
                        // in the repository, is most likely first-party code reached through `sys.path`.
                        if !resolver.knows(module) && firstParty.existsAnywhere(top) { continue }
                        importedDistributions.formUnion(candidates)
                        if resolver.isProvided(module, byAnyOf: declared, includeTransitive: settings.includeTransitive) { continue }
                        let key = "\(path):\(record.range.start.line):\(best)"
                        if let existing = byKey[key] {
                            if case .array(var units) = out[existing].metadata["units"] ?? .array([]) {
                                units.append(.string(unit.displayName))
                                out[existing].metadata["units"] = .array(units)
                            }
                            continue
                        }
                        byKey[key] = out.count
                        let optional = record.isGuardedByTry
                        let unreachable = unit.reachableFiles.map { !$0.contains(path) } ?? false
                        let shownModule = record.isFrom && candidates == resolver.distributions(for: record.module) && !record.module.isEmpty ? record.module : module
                        out.append(context.finding(
                            path: path, range: record.range,
                            message: (resolver.knows(module)
                                ? "imports `\(shownModule)`, but no requirements of \(unit.displayName) declare `\(best)`"
                                : "imports `\(shownModule)`, which is neither first-party code nor declared by \(unit.displayName) (guessing the distribution `\(best)`)")
                                + (optional ? " (the import is optional: it is guarded by `except ImportError`)"
                                   : unreachable ? " (the file is copied into the image but not reachable from its entry point)"
                                   : "; add it to \(target)"),
                            help: optional ? "declare it if the fast path matters in production, or ignore this finding" : "add `\(best)` to \(target)",
                            severity: optional || unreachable ? .info : nil,
                            metadata: [
                                "module": .string(shownModule), "distribution": .string(best),
                                "unit": .string(unit.displayName), "units": .array([.string(unit.displayName)]),
                                "optional": .bool(optional), "reachable": .bool(!unreachable), "addTo": .string(target),
                            ],
                            anchor: "\(shownModule):\(best)"))
                    }
                }
            }
            for tool in unit.tools {
                guard let dist = Self.toolDistributions[tool.name], !declared.contains(dist) else { continue }
                out.append(context.finding(
                    path: tool.path, range: tool.range,
                    message: "\(unit.displayName) runs `\(tool.name)`, but its requirements do not install `\(dist)`; add it to \(target)",
                    help: "add `\(dist)` to \(target)",
                    metadata: ["module": .string(tool.name), "distribution": .string(dist), "unit": .string(unit.displayName)],
                    anchor: "tool:\(tool.name)"))
                importedDistributions.insert(dist)
            }
            if settings.reportUnused {
                for tool in unit.tools { if let d = Self.toolDistributions[tool.name] { importedDistributions.insert(d) } }
                for r in unit.requirements where !r.isConstraint && !r.name.isEmpty && !r.isDirectReference
                    && !importedDistributions.contains(r.name) {
                    let key = "\(r.path):\(r.range.start.line):unused:\(r.name)"
                    guard byKey[key] == nil else { continue }
                    byKey[key] = out.count
                    out.append(context.finding(
                        path: r.path, range: r.range,
                        message: "`\(r.name)` is declared, but no Python file of \(unit.displayName) imports it",
                        help: "remove it, or keep it if it is a plugin or runtime-only dependency",
                        severity: .warning,
                        metadata: ["distribution": .string(r.name), "unit": .string(unit.displayName), "unused": .bool(true)],
                        anchor: "unused:\(r.name)"))
                }
            }
        }
        return out
    }
}

/// Which top-level module names are first-party: a package or module at the repository root, in the
/// unit's directory, or in the importing file's directory or one of its parents (or `src/`).
struct FirstPartyIndex {
    var modulesByDirectory: [String: Set<String>] = [:]
    let extra: Set<String>

    /// Packages (directories with `__init__.py`) anywhere in the repository: scripts often reach them
    /// through `sys.path` changes, so an import of one is first-party whatever the importing file's place.
    var packagesAnywhere: Set<String> = []
    /// Every module file and directory name in the repository.
    var namesAnywhere: Set<String> = []

    func existsAnywhere(_ name: String) -> Bool { namesAnywhere.contains(name) }

    init(project: Project, extra: [String]) {
        self.extra = Set(extra)
        for path in project.allPaths {
            for part in path.split(separator: "/") {
                namesAnywhere.insert(part.hasSuffix(".py") ? String(part.dropLast(3)) : String(part))
            }
            if path.hasSuffix("/__init__.py") {
                let parts = path.split(separator: "/")
                if parts.count >= 2 { packagesAnywhere.insert(String(parts[parts.count - 2])) }
            }
            let parts = path.split(separator: "/").map(String.init)
            // Every directory level contributes its child modules/packages.
            for i in 0..<parts.count {
                let dir = parts[0..<i].joined(separator: "/")
                var name = parts[i]
                if i == parts.count - 1 {
                    guard name.hasSuffix(".py") || name.hasSuffix(".pyi") || name.hasSuffix(".so") else { continue }
                    name = String(name.prefix { $0 != "." })
                }
                modulesByDirectory[dir, default: []].insert(name)
            }
        }
    }

    func isFirstParty(_ top: String, importingFile: String, unitDirectory: String) -> Bool {
        if extra.contains(top) || packagesAnywhere.contains(top) { return true }
        var candidates: [String] = ["", "src", unitDirectory]
        var dir = importingFile.split(separator: "/").dropLast().map(String.init)
        while !dir.isEmpty {
            candidates.append(dir.joined(separator: "/"))
            dir.removeLast()
        }
        return candidates.contains { modulesByDirectory[$0]?.contains(top) == true }
    }
}
