import Foundation
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
            For every deployed unit (an image, a root requirements file, a pyproject), checks that each
            third-party module its Python files import is provided by a distribution the unit installs. The
            import → distribution mapping needs no installed environment: a built-in table of ~800 entries
            (`google.cloud.bigquery` → `google-cloud-bigquery`, `sklearn` → `scikit-learn`, `yaml` → `PyYAML`,
            …), most specific prefix first, then the normalised name; overridable in
            `[tool.fleetlint.dependencies] import-map`. The standard library (for the target Python), first-party
            code, imports under `if TYPE_CHECKING:` and fallbacks whose `try` imports a module the target Python
            always has are not missing; imports guarded by a `try`/`except` are reported at info level as
            optional. A reviewed table of well-known hard dependencies (`google-api-core` with the Google Cloud
            clients, `numpy` with `pandas`) counts as installed (`include-transitive = false` turns it off;
            `report-transitive = true` reports such imports at info level).

            What is deployed comes from evidence: a Dockerfile that a compose file, Cloud Build config, CI
            workflow, Makefile or deploy script builds is deployed wherever it lies; otherwise everything under an
            `archived` path (default: `archive`, `archived`, `deprecated`, `docs`, `backup` folders) is not, and
            an undeployed image neither reports nor hides the files it copies. An image's files are the ones its
            `COPY`/`ADD` bring in; files not reachable from its entry point (mapped through `WORKDIR` and `COPY`,
            following a shell-script `CMD` one level) are reported at info level, and with `COPY . .` not at all.
            Each unit gets its own verdict; units with the same verdict on an import share one finding. An
            unknown module in a file that extends `sys.path` is reported as a missing first-party module. Servers
            an image runs (`gunicorn`, `uvicorn`, `celery`, `functions-framework`) must be installed too. With
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
            // An archived Dockerfile that is never built does not hide the directory's own requirements.
            Example([
                "docs/archive/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ .\nRUN pip install flask==2.0.0 PyYAML==5.4\nCMD [\"python\", \"app.py\"]\n",
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/app.py": "import flask\n↓import yaml\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"docs/archive/Dockerfile\" = \".\" }\n"),
            // An image under an archived path that a build config builds is deployed.
            Example([
                "cloudbuild.yaml": "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [\"build\", \"-f\", \"deprecated/worker/Dockerfile\", \".\"]\n",
                "deprecated/worker/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY deprecated/worker/ .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n",
                "deprecated/worker/requirements.txt": "flask==3.0.0\n",
                "deprecated/worker/main.py": "import flask\n↓import redis\n",
            ]),
            // Per unit: a shared module that service B runs is an error for B, whatever service A says about it.
            Example([
                "a/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY a/ a/\nCOPY shared/ shared/\nRUN pip install -r a/requirements.txt\nCMD [\"python\", \"a/main.py\"]\n",
                "a/requirements.txt": "flask==3.0.0\n",
                "a/main.py": "import flask\n",
                "b/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY b/ b/\nCOPY shared/ shared/\nRUN pip install -r b/requirements.txt\nCMD [\"python\", \"b/main.py\"]\n",
                "b/requirements.txt": "flask==3.0.0\n",
                "b/main.py": "import flask\nfrom shared import cache\n",
                "shared/__init__.py": "",
                "shared/cache.py": "↓import redis\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"a/Dockerfile\" = \".\", \"b/Dockerfile\" = \".\" }\n"),
            // The hard-dependency table is on by default; with it off, an import of a dependency's dependency is missing.
            Example([
                "svc/requirements.txt": "google-cloud-bigquery==3.25.0\n",
                "svc/app.py": "from google.cloud import bigquery\n↓from google.api_core import retry\n",
            ], configuration: "[dependencies]\ninclude-transitive = false\n"),
            // … and can be reported as a lower-severity hygiene finding.
            Example([
                "svc/requirements.txt": "pandas==2.2.2\n",
                "svc/app.py": "import pandas\n↓import numpy\n",
            ], configuration: "[dependencies]\nreport-transitive = true\n"),
            // A module that every importer imports inside `try`/`except ImportError` is optional with all its imports.
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/app.py": "import flask\ntry:\n    from svc.firestore_pool import get_client\nexcept ImportError:\n    get_client = None\n",
                "svc/__init__.py": "",
                "svc/firestore_pool.py": "↓from google.cloud import firestore\n",
            ]),
            // An import inside a function fails when that code runs, not at start-up: reported at warning level.
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/app.py": "import flask\n\ndef load(path):\n    ↓import catboost\n    return catboost.CatBoost().load_model(path)\n",
            ]),
            // Importing `shared.utils.slack` runs `shared/utils/__init__.py` first: its imports are reachable too.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ svc/\nCOPY shared/ shared/\nRUN pip install -r svc/requirements.txt\nCMD [\"python\", \"svc/main.py\"]\n",
                "svc/requirements.txt": "requests==2.32.0\n",
                "svc/main.py": "from shared.utils.slack import post\n",
                "shared/__init__.py": "",
                "shared/utils/__init__.py": "↓from google.cloud import secretmanager\n",
                "shared/utils/slack.py": "import requests\n",
                "shared/utils/unused.py": "↓import boto3\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"svc/Dockerfile\" = \".\" }\n"),
            // A module loaded only from inside a function (here PEP 562 `__getattr__`) fails when that runs: a warning.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY svc/ svc/\nRUN pip install -r svc/requirements.txt\nCMD [\"python\", \"svc/main.py\"]\n",
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/main.py": "import flask\nfrom svc import metrics\n",
                "svc/__init__.py": "",
                "svc/metrics/__init__.py": "def __getattr__(name):\n    from .prom import Gauge\n    return Gauge\n",
                "svc/metrics/prom.py": "↓import psutil\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"svc/Dockerfile\" = \".\" }\n"),
            // A directory deployed from source with a Procfile runs the programs its process lines start.
            Example([
                "Procfile": "web: gunicorn --bind :$PORT api.main:app\n",
                "requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
                "api/__init__.py": "",
                "api/main.py": "import flask\nfrom api import views\n",
                "api/views.py": "↓import yaml\n",
                "scripts/backfill.py": "↓import tabulate\n",
            ]),
            // In a test file the run that fails is the test run: reported at warning level.
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/tests/test_app.py": "import flask\n↓import responses\n",
            ]),
            // `except Exception` also makes an import optional (reported at info level, worded for any `except`).
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/app.py": "try:\n    ↓import orjson\nexcept Exception:\n    orjson = None\n",
            ]),
            // A first-party folder that does not exist, reached through `sys.path`: a missing module, not a requirement.
            Example([
                "functions/requirements.txt": "flask\n",
                "functions/stage_one/main.py": "import sys\nsys.path.insert(0, \"../functions\")\n↓from stage_two_handler.main import handle\n",
            ]),
            // The entry script given relative to WORKDIR is mapped through COPY; the other copied files are not reachable.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nCOPY svc/ /app/svc/\nWORKDIR /app/svc\nRUN pip install -r requirements.txt\nENTRYPOINT [\"python\", \"runners/main.py\"]\n",
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/runners/main.py": "import flask\n↓import yaml\n",
                "svc/tools/backfill.py": "↓import boto3\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"svc/Dockerfile\" = \".\" }\n"),
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
            // An archived Dockerfile nobody builds is not judged (it installs an old requirements file).
            Example([
                "docs/archive/dockerfiles/Dockerfile.legacy": "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install flask\nCMD [\"python\", \"svc/app.py\"]\n",
                "svc/requirements.txt": "flask==3.0.0\npandas==2.2.2\n",
                "svc/app.py": "import flask\nimport pandas\n",
            ], configuration: "[dependencies]\nbuild-contexts = { \"docs/archive/dockerfiles/Dockerfile.legacy\" = \".\" }\n"),
            // Well-known hard dependencies come with what is declared: `google-api-core` and `requests` with the
            // Google Cloud clients, `numpy` with `pandas`.
            Example([
                "svc/requirements.txt": "google-cloud-bigquery==3.25.0\ngoogle-cloud-storage==2.16.0\npandas==2.2.2\n",
                "svc/app.py": "from google.api_core import retry\nfrom google.api_core.exceptions import NotFound\nimport requests\nimport numpy as np\n",
            ]),
            // An absolute entry script is a container path: mapped through COPY, so only what it reaches counts.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /srv\nCOPY . /srv/svc/\nRUN pip install -r /srv/svc/requirements.txt\nENTRYPOINT [\"python\", \"/srv/svc/runners/main.py\"]\n",
                "svc/requirements.txt": "flask==3.0.0\n",
                "svc/runners/main.py": "import flask\nfrom runners import views\n",
                "svc/runners/__init__.py": "",
                "svc/runners/views.py": "import flask\n",
                "svc/scripts/backfill.py": "import boto3\n",
            ]),
            // A shell-script CMD is followed one level to the server it starts.
            Example([
                "svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"./start.sh\"]\n",
                "svc/start.sh": "#!/bin/sh\nset -e\nexec gunicorn -b :8080 app:app\n",
                "svc/requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
                "svc/app.py": "import flask\napp = flask.Flask(__name__)\n",
                "svc/tools/backfill.py": "import boto3\n",
            ]),
            // A fallback whose `try` imports a module the target Python always has is dead code.
            Example([
                "svc/requirements.txt": "flask\n",
                "svc/app.py": "try:\n    import zoneinfo\nexcept ImportError:\n    import pytz\n",
            ]),
        ]
    )

    public static let optionsSection = "dependencies"
    static let toolDistributions: [String: String] = [
        "gunicorn": "gunicorn", "uvicorn": "uvicorn", "celery": "celery", "functions-framework": "functions-framework",
        "hypercorn": "hypercorn", "daphne": "daphne", "streamlit": "streamlit",
    ]

    let settings: DependencySettings
    private let lazyResolver: LazyImportResolver
    /// The import map with the configured overrides, built when first needed: a run answered by the run memo
    /// never resolves an import (building it was a fifth of such a run).
    var resolver: ImportResolver { lazyResolver.value }

    public init(options: OptionsTable) throws(ConfigurationError) {
        settings = try DependencySettings(options: options)
        lazyResolver = LazyImportResolver(overrides: settings.importMap)
    }

    /// Parses the built-in import map (~13 M instructions) while the files are listed (`Linter.startWarmUp`), not
    /// once the project rules begin.
    public func warmUp() { _ = ImportResolver.builtIn }

    /// Builds the dependency index (as every dependency rule does) while the resolver (the configuration's import-map
    /// overrides over the built-in tables) is made on another core: the index build has serial steps (the images, in
    /// order), and `check` would otherwise make the resolver first, with the other core idle once the other rules'
    /// checks are done.
    public func prepare(_ project: Project) {
        let lazy = lazyResolver
        DispatchQueue.global().async { _ = lazy.value }
        _ = dependencyIndex(project)
    }

    /// How an import resolves, computed once per module name for the whole run (not per unit and file).
    struct ModuleResolution {
        var ignored: Bool  // standard library, a bare namespace root, nothing to attribute
        var candidates: [String]
        var knows: Bool
    }

    /// What a unit can import: the distributions it installs, and those only their dependencies bring.
    struct Provided {
        var direct: Set<String>
        /// Distribution → the declared distribution that brings it in.
        var transitive: [String: String]
    }

    /// One unit's verdict on one import; identical verdicts of several units become one finding.
    enum Verdict: String { case missing, optional, unreachable, transitive, missingFirstParty = "missing-first-party" }

    struct PendingFinding {
        var path: String
        var range: SourceRange
        var module: String
        var distribution: String
        var verdict: Verdict
        var guessed: Bool
        var target: String
        var via: String?
        var units: [String]
        /// In a test file (`TestFiles`): the test run fails, not a deployed service.
        var isTest: Bool
        /// Imported inside a function: it fails when that code runs, not when the service starts.
        var isLazy: Bool
    }

    /// A unit's candidate findings (keyed for merging across units) and its own findings (an unused
    /// requirement carries the key that keeps it to one finding per line and name).
    struct UnitVerdicts {
        var candidates: [(key: String, finding: PendingFinding)] = []
        var findings: [(unusedKey: String?, finding: Finding)] = []
    }

    /// What the units of one check share about their requirements, worked out before the units are judged (in
    /// parallel, they only read it: no table filled under a lock while they run).
    struct RequirementTables {
        var stubs: [String: Bool] = [:]
        var transitive: [String: [String]] = [:]
        func isStub(_ name: String) -> Bool { stubs[name] ?? ImportResolver.isStubDistribution(name) }
    }

    /// One import of a file that may need a declaration, whichever unit ships the file: a third-party
    /// module by the import map, not first-party from the root, `src` or the file's own directories.
    ///
    /// 16 bytes: the statement by its index in the file's imports (`PreparedFile.records`) and the target's shared
    /// answer. Each holding a copy of the statement and of its target's strings (80 bytes), the 16x synthetic tree's
    /// prepared imports were 6.6 MiB at the run's peak.
    struct PreparedImport {
        /// The statement: its index in `PreparedFile.records`.
        var index: Int32
        var target: TargetImport
        var top: String { target.top }
        var resolution: ModuleResolution { target.resolution }
        var shownModule: String { target.shownModule }
    }

    /// What a file's imports say independently of the units that ship it, worked out once per check (a file
    /// is shipped by many units: every image that copies the repository root).
    struct PreparedFile {
        /// The file's path (its analysis's string, shared): the module name is made from it only when asked.
        var path: String
        var moduleName: String { PythonFile.moduleName(forPath: path).name }
        var isTest: Bool
        /// A `try` of the file imports a module the target Python always has (its fallbacks may be dead).
        var hasStdlibTry: Bool
        /// The file's import statements (its facts' array, shared, not copied), which `imports` point into.
        var records: [ImportFact]
        var imports: [PreparedImport]
        /// The modules the file imports inside a `try` that catches the failure (see `guardedModules`); listed
        /// only for a file that has such an import (guarded imports are rare).
        var guardedNames: [String]
        /// Lines of fallbacks that never run under the target Python (worked out only when `hasStdlibTry` and an
        /// import outside a `try` may be reported).
        var deadFallbackLines: Set<Int> = []
        /// The file extends `sys.path` (an unknown name is then first-party code that is not there).
        var extendsSysPath = false
    }

    /// One module a statement's target names that may need a declaration, whichever file holds the statement: not
    /// the standard library, attributable, and not an unknown name that is a module or directory somewhere in the
    /// repository. Targets are shared objects (`FactInterner`: about one distinct target per eight statements), so
    /// a worker works this out once per target, by identity, not by building and hashing `module.name` strings for
    /// every statement (1x synthetic tree: 81 M instructions in the files' preparation).
    ///
    /// One object per distinct target and worker, shared by the prepared imports that name it.
    final class TargetImport: @unchecked Sendable {
        /// The top-level name (first-party when the unit's directory has a module of that name).
        let top: String
        let resolution: ModuleResolution
        /// What the finding names: the `from` module when it resolves to the same distributions.
        let shownModule: String

        init(top: String, resolution: ModuleResolution, shownModule: String) {
            self.top = top
            self.resolution = resolution
            self.shownModule = shownModule
        }
    }

    /// What one worker of the files' preparation has worked out, for its later files.
    struct PrepareMemo {
        var resolutions: [String: ModuleResolution] = [:]
        var targets: [ObjectIdentifier: [TargetImport]] = [:]
        /// Whether a guarded level-0 statement imports the standard library (`hasStdlibTry`).
        var stdlibGuards: [ObjectIdentifier: Bool] = [:]
        /// The directory of the last ASCII file prepared and its first-party answers by top-level name.
        var directory: Substring? = nil
        var firstParty: [String: Bool] = [:]
    }

    /// Modules of the unit that every importer imports inside a `try`/`except` (`try: from shared.clients.firestore_pool
    /// import …` / `except ImportError: …`): their own imports fail into that guard, so they are optional too. The
    /// caller asks only about the modules of the unit's files that import something: these are the candidates — the
    /// names the files guard (listed once per file for the check) that are such a module. A candidate that a file of
    /// the unit imports without a guard is then struck (`unguardedImports`, once per file for the check).
    /// `indices`: the unit's files in `prepared` (read in place: a copied `PreparedFile` retains its arrays).
    static func optionalCandidates(_ indices: [Int32], in prepared: [PreparedFile?]) -> Set<String> {
        guard indices.contains(where: { prepared[Int($0)]?.guardedNames.isEmpty == false }) else { return [] }
        var guardedNames = Set<String>()
        for i in indices { if let names = prepared[Int(i)]?.guardedNames { guardedNames.formUnion(names) } }
        var candidates = Set<String>()
        for k in indices {
            let i = Int(k)
            guard prepared[i]?.imports.isEmpty == false, let name = prepared[i]?.moduleName, guardedNames.contains(name) else { continue }
            candidates.insert(name)
        }
        return candidates
    }

    /// The modules one file imports (relative imports made absolute), each with whether its import is inside a
    /// `try` that catches the failure; `TYPE_CHECKING` imports never run.
    static func forEachImportedName(_ python: PythonFacts, path: String, _ body: (String, Bool) -> Void) {
        var packageParts: [String]?
        for record in python.imports where !record.isTypeCheckingOnly {
            var base = record.module
            if record.level > 0 {
                let package = packageParts ?? {
                    var parts = PythonFile.moduleName(forPath: path).name.asciiSplit(0x2E).map(String.init)
                    if !python.isPackage, !parts.isEmpty { parts.removeLast() }
                    packageParts = parts
                    return parts
                }()
                let up = record.level - 1
                guard up <= package.count else { continue }
                let prefix = package.dropLast(up).joined(separator: ".")
                base = [prefix, record.module].filter { !$0.isEmpty }.joined(separator: ".")
            }
            for n in record.names { body(record.isFrom ? (base.isEmpty ? n.name : base + "." + n.name) : n.name, record.isGuardedByTry) }
            if record.isFrom, !base.isEmpty { body(base, record.isGuardedByTry) }
        }
    }

    /// The names of `names` that the file imports without a guard (as `forEachImportedName` lists them), each once,
    /// in the order the file first imports them.
    static func unguardedImports(_ python: PythonFacts, path: String, among names: Set<String>) -> [String] {
        var hits: [String] = []
        forEachImportedName(python, path: path) { name, isGuarded in
            if !isGuarded, names.contains(name), !hits.contains(name) { hits.append(name) }
        }
        return hits
    }

    /// The requirement names `provided(by:)` reads for a unit.
    static func providedCandidates(_ unit: DeployableUnit) -> some Sequence<String> {
        unit.requirements.lazy.filter { !$0.isConstraint && $0.appliesToTarget && !$0.name.isEmpty }.map(\.name)
    }

    /// - Parameter tables: the check's requirement tables (units share most of their distributions).
    func provided(by unit: DeployableUnit, tables: RequirementTables) -> Provided {
        let direct = Set(Self.providedCandidates(unit).filter { !tables.isStub($0) })
        var transitive: [String: String] = [:]
        if settings.includeTransitive {
            for d in direct.sorted() {
                let provides = tables.transitive[d] ?? resolver.transitiveProvides(d)
                for t in provides where !direct.contains(t) && transitive[t] == nil { transitive[t] = d }
            }
        }
        return Provided(direct: direct, transitive: transitive)
    }

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let resolver = self.resolver  // built here on the first check, then read without the lock
        let index = dependencyIndex(project)
        // Built with the index (on another core than its serial steps), with this rule's configured names.
        var firstParty = index.firstParty
        firstParty.extra = Set(settings.firstParty)
        // Boxed: a `Glob` read from an immutable class property is matched in place, where one read from an array was
        // copied (a dozen references retained and released) for every path and pattern.
        let archived = (settings.archived ?? DeploymentEvidence.defaultArchived).map { GlobBox(Glob($0)) }
        let pythonVersion = (settings.pythonVersion.major, settings.pythonVersion.minor)
        func resolve(_ module: String) -> ModuleResolution {
            resolver.isStandardLibrary(module, pythonVersion: pythonVersion)
                ? ModuleResolution(ignored: true, candidates: [], knows: false)
                : { let r = resolver.resolution(for: module); return ModuleResolution(ignored: r.candidates.isEmpty, candidates: r.candidates, knows: r.knows) }()
        }
        // Images are checked against exactly the files they copy in. Code that no deployed image ships (Cloud
        // Functions deployed from a directory, scripts) is checked against the requirements files and pyproject
        // of its nearest enclosing directory that has any. Undeployed units (archived, never built) claim nothing.
        let images = index.units.filter { $0.kind == .image && $0.isDeployed }
        // A file an image copies in but never reaches is still its own directory's code (a Cloud Function
        // copied along with the repository): the image does not take it away from its own check.
        let imageFiles = Set(images.flatMap { unit in unit.reachableFiles.map { unit.sourceFiles.filter($0.contains) } ?? unit.sourceFiles })
        var groups: [String: DeployableUnit] = [:]
        for unit in index.units where unit.kind != .image && unit.isDeployed {
            if var g = groups[unit.directory] {
                g.requirements += unit.requirements
                g.requirementFiles += unit.requirementFiles.filter { !g.requirementFiles.contains($0) }
                if unit.kind == .project { g.path = unit.path; g.kind = .project }
                g.isDeployedSeparately = g.isDeployedSeparately || unit.isDeployedSeparately
                if let r = unit.reachableFiles { g.reachableFiles = (g.reachableFiles ?? []).union(r) }
                groups[unit.directory] = g
            } else {
                groups[unit.directory] = unit
            }
        }
        let filesByGroup = Self.filesByGroup(
            project.allPaths.lazy.filter { $0.utf8HasSuffix(".py") && !imageFiles.contains($0) },
            groups: Set(groups.keys), archived: archived)
        var checked: [DeployableUnit] = images
        for dir in groups.keys.sorted() {
            var g = groups[dir]!
            // Requirements that only images install are judged through those images: the directory's other
            // files (copied but not reached, or not copied at all) do not run in production.
            guard g.isDeployedSeparately else { continue }
            g.sourceFiles = filesByGroup[dir] ?? []
            g.tools = []
            checked.append(g)
        }
        // A file's imports are judged against the import map and the first-party names once, not once per unit.
        // `memo`: what this worker has worked out (each worker keeps its own: no table shared under a lock).
        func prepare(_ path: String, memo: inout PrepareMemo) -> PreparedFile? {
            guard let python = project.file(path)?.python else { return nil }
            func resolved(_ module: String) -> ModuleResolution {
                if let known = memo.resolutions[module] { return known }
                let r = resolve(module)
                memo.resolutions[module] = r
                return r
            }
            // What a statement's target says, whichever file holds it (see `TargetImport`): the names of one `from`
            // import share `resolved(record.module)`, looked up once per target.
            func targetImports(_ record: ImportFact) -> [TargetImport] {
                if let known = memo.targets[record.targetIdentity] { return known }
                var out: [TargetImport] = []
                let modules = record.isFrom ? record.names.map { record.module + "." + $0.name } : record.names.map(\.name)
                var fromCandidates: [String]? = nil
                for module in modules {
                    let resolution = resolved(module)
                    guard !resolution.ignored, !resolution.candidates.isEmpty else { continue }
                    let top = ImportResolver.topLevel(module)
                    if top.isEmpty { continue }
                    // A name the import map does not know, that is also a module or directory somewhere
                    // in the repository, is most likely first-party code reached through `sys.path`.
                    if !resolution.knows && firstParty.existsAnywhere(top) { continue }
                    var shownModule = module
                    if record.isFrom && !record.module.isEmpty {
                        let candidates = fromCandidates ?? resolved(record.module).candidates
                        fromCandidates = candidates
                        if resolution.candidates == candidates { shownModule = record.module }
                    }
                    out.append(TargetImport(top: top, resolution: resolution, shownModule: shownModule))
                }
                memo.targets[record.targetIdentity] = out
                return out
            }
            func isStdlibGuard(_ record: ImportFact) -> Bool {
                if let known = memo.stdlibGuards[record.targetIdentity] { return known }
                let ignored = resolved(record.module.isEmpty ? (record.names.first?.name ?? "") : record.module).ignored
                memo.stdlibGuards[record.targetIdentity] = ignored
                return ignored
            }
            var file = PreparedFile(
                path: path, isTest: TestFiles.contains(path),
                hasStdlibTry: python.imports.contains { $0.isGuardedByTry && $0.level == 0 && isStdlibGuard($0) },
                records: python.imports, imports: [], guardedNames: [], extendsSysPath: python.importContext.extendsSysPath)
            if python.imports.contains(where: { $0.isGuardedByTry && !$0.isTypeCheckingOnly }) {
                Self.forEachImportedName(python, path: path) { name, isGuarded in if isGuarded { file.guardedNames.append(name) } }
            }
            // Whether a top-level name is first-party depends on the file's directory only: the answers of the
            // worker's last directory are kept (it takes files in path order), for an ASCII path (cut at its last
            // `/` byte as its ancestors are; a `/` before a combining mark is not a `/` Character).
            var ancestors: [String]? = nil
            var answers: [String: Bool] = [:]
            let directory: Substring? = path.utf8.allSatisfy { $0 < 0x80 }
                ? path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? "" : nil
            if let directory, let last = memo.directory, last == directory { answers = memo.firstParty }
            func isFirstParty(_ top: String) -> Bool {
                if let known = answers[top] { return known }
                let list = ancestors ?? FirstPartyIndex.ancestors(of: path, unitDirectory: "")
                ancestors = list
                let answer = firstParty.isFirstParty(top, ancestors: list)
                answers[top] = answer
                return answer
            }
            for (k, record) in python.imports.enumerated() where record.level == 0 && !record.isTypeCheckingOnly {
                for target in targetImports(record) where !isFirstParty(target.top) {
                    file.imports.append(PreparedImport(index: Int32(truncatingIfNeeded: k), target: target))
                }
            }
            if let directory {
                memo.directory = directory
                memo.firstParty = answers
            }
            // Dead fallbacks under this target's standard library, for a file that may report an import outside a `try`.
            if file.hasStdlibTry, file.imports.contains(where: { !file.records[Int($0.index)].isGuardedByTry }) {
                file.deadFallbackLines = python.importContext.deadFallbackLines { resolver.isStandardLibrary($0, pythonVersion: pythonVersion) }
            }
            return file
        }
        // With a change set (`--staged`), only units the change touches can yield a reportable finding
        // (one on a changed line, or one to fix in a changed requirements file).
        let focus = project.focus
        func touched(_ unit: DeployableUnit) -> Bool {
            guard let focus else { return true }
            return focus.contains(unit.path) || unit.requirementFiles.contains(where: focus.contains)
                || unit.sourceFiles.contains(where: focus.contains)
        }
        // The units that look at their files (the others return before, in the loop below).
        func judged(_ unit: DeployableUnit) -> Bool {
            touched(unit) && !unit.hasUnresolvedInstalls
                && !(unit.kind == .image && unit.requirements.contains(where: { $0.isDirectReference && $0.name.isEmpty }))
        }
        // Every file a judged unit ships is prepared once, in parallel, before the units read it (memoized inside
        // the unit loop, two units running at once could both prepare a file that they share).
        // Each judged unit's files by index, numbered as they are first met (one lookup per file of a unit).
        // A repository path's number comes from the project's table (`Project.pathIndex`), not a dictionary of its
        // own (~2 MB on the 16x tree); a path the project does not list (none in practice) gets one from `otherPaths`.
        var numberOfPath = [Int32](repeating: -1, count: project.allPaths.count)
        var otherPaths: [String: Int32] = [:]
        var filePaths: [String] = []
        // 32-bit: a file is listed once per unit that ships it (units overlap: ~190,000 on the 16x tree).
        var fileIndicesOfUnit = [[Int32]](repeating: [], count: checked.count)
        for (u, unit) in checked.enumerated() where judged(unit) {
            fileIndicesOfUnit[u] = unit.sourceFiles.map { path in
                let next = Int32(truncatingIfNeeded: filePaths.count)
                if let p = project.pathIndex(path) {
                    if numberOfPath[p] >= 0 { return numberOfPath[p] }
                    numberOfPath[p] = next
                } else {
                    if let known = otherPaths[path] { return known }
                    otherPaths[path] = next
                }
                filePaths.append(path)
                return next
            }
        }
        var preparedFiles = [PreparedFile?](repeating: nil, count: filePaths.count)
        if !filePaths.isEmpty {
            let paths = filePaths
            // One worker per core, each over every `workers`-th file with its own resolution memo: a name is
            // resolved at most once per worker, and nothing is shared under a lock.
            let workers = min(paths.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
            preparedFiles.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var memo = PrepareMemo()
                    for i in stride(from: w, to: paths.count, by: workers) { base[i] = prepare(paths[i], memo: &memo) }
                }
            }
        }
        let preparedByIndex = preparedFiles
        // Each judged unit's optional-module candidates, and for every file of a unit that has some, the candidates
        // (of any unit) it imports without a guard: listed once per file, in parallel.
        var candidatesOfUnit = [Set<String>](repeating: [], count: checked.count)
        var unguardedHits = [[String]](repeating: [], count: filePaths.count)
        do {
            var wanted = Set<String>()
            var needed = [Bool](repeating: false, count: filePaths.count)
            for (u, unit) in checked.enumerated() where judged(unit) {
                let indices = fileIndicesOfUnit[u]
                let candidates = Self.optionalCandidates(indices, in: preparedByIndex)
                guard !candidates.isEmpty else { continue }
                candidatesOfUnit[u] = candidates
                wanted.formUnion(candidates)
                for i in indices { needed[Int(i)] = true }
            }
            if !wanted.isEmpty {
                let names = wanted, paths = filePaths, neededFiles = needed
                unguardedHits.withUnsafeMutableBufferPointer { buffer in
                    let base = buffer.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: paths.count) { i in
                        guard neededFiles[i], preparedByIndex[i] != nil, let python = project.file(paths[i])?.python else { return }
                        base[i] = Self.unguardedImports(python, path: paths[i], among: names)
                    }
                }
            }
        }
        let unitFileIndices = fileIndicesOfUnit, unitCandidates = candidatesOfUnit, hitsOfFile = unguardedHits
        // Whether each requirement name is a stub, and what it brings in, once per check before the units run.
        var tables = RequirementTables()
        for unit in checked where judged(unit) {
            for name in Self.providedCandidates(unit) where tables.stubs[name] == nil {
                let isStub = ImportResolver.isStubDistribution(name)
                tables.stubs[name] = isStub
                if !isStub, settings.includeTransitive { tables.transitive[name] = resolver.transitiveProvides(name) }
            }
        }
        let requirementTables = tables
        // Units are judged in parallel; their candidates are merged below in unit order, exactly as one
        // loop over the units would.
        var results = [UnitVerdicts?](repeating: nil, count: checked.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: checked.count) { u in
                let unit = checked[u]
                guard touched(unit) else { return }
                var result = UnitVerdicts()
                defer { base[u] = result }
                if unit.kind == .image, unit.requirements.contains(where: { $0.isDirectReference && $0.name.isEmpty }) {
                    // An unnamed local/URL install could provide anything: do not guess.
                    return
                }
                if unit.hasUnresolvedInstalls { return }  // the image cannot build; invalid-requirement says why
                let provides = provided(by: unit, tables: requirementTables)
                let target = unit.kind == .project ? unit.path : (unit.ownRequirementsFile ?? unit.path)
                var importedDistributions = Set<String>()
                let indices = unitFileIndices[u]
                var guardedModules = unitCandidates[u]
                for i in indices where preparedByIndex[Int(i)] != nil {
                    if guardedModules.isEmpty { break }
                    for name in hitsOfFile[Int(i)] { guardedModules.remove(name) }
                }
                // The only first-party names that depend on the unit: the modules of its own directory.
                let unitModules = firstParty.modulesByDirectory[unit.directory]
                for (path, i) in zip(unit.sourceFiles, indices) {
                    guard let file = preparedByIndex[Int(i)] else { continue }
                    let importedOnlyGuarded = !guardedModules.isEmpty && guardedModules.contains(file.moduleName)
                    let unreachable = unit.reachableFiles.map { !$0.contains(path) } ?? false
                    for prepared in file.imports {
                        if unitModules?.contains(prepared.top) == true { continue }
                        let record = file.records[Int(prepared.index)], resolution = prepared.resolution
                        guard let best = resolution.candidates.first else { continue }
                        importedDistributions.formUnion(resolution.candidates)
                        if resolution.candidates.contains(where: provides.direct.contains) { continue }
                        var verdict: Verdict
                        var via: String? = nil
                        if let hit = resolution.candidates.first(where: { provides.transitive[$0] != nil }) {
                            guard settings.reportTransitive else { continue }
                            verdict = .transitive
                            via = provides.transitive[hit]
                        } else {
                            verdict = record.isGuardedByTry || importedOnlyGuarded ? .optional : unreachable ? .unreachable : .missing
                        }
                        // `try: import zoneinfo` / `except ImportError: import pytz`: the fallback never runs.
                        if !record.isGuardedByTry, file.hasStdlibTry, file.deadFallbackLines.contains(record.range.start.line) {
                            continue
                        }
                        // An unknown name in a file that extends `sys.path`: first-party code that is not there.
                        if !resolution.knows, verdict == .missing, file.extendsSysPath {
                            verdict = .missingFirstParty
                        }
                        let key = "\(path):\(record.range.start.line):\(best):\(verdict.rawValue):\(target)"
                        result.candidates.append((key, PendingFinding(
                            path: path, range: record.range, module: prepared.shownModule, distribution: best, verdict: verdict,
                            guessed: !resolution.knows, target: target, via: via, units: [unit.displayName],
                            isTest: file.isTest, isLazy: record.context == "function" || unit.lazilyReachableFiles.contains(path))))
                    }
                }
                for tool in unit.tools {
                    guard let dist = Self.toolDistributions[tool.name], !provides.direct.contains(dist) else { continue }
                    result.findings.append((nil, context.finding(
                        path: tool.path, range: tool.range,
                        message: "\(unit.displayName) runs `\(tool.name)`, but its requirements do not install `\(dist)`; add it to \(target)",
                        help: "add `\(dist)` to \(target)",
                        metadata: ["module": .string(tool.name), "distribution": .string(dist), "unit": .string(unit.displayName)],
                        anchor: "tool:\(tool.name)")))
                    importedDistributions.insert(dist)
                }
                if settings.reportUnused {
                    for tool in unit.tools { if let d = Self.toolDistributions[tool.name] { importedDistributions.insert(d) } }
                    for r in unit.requirements where !r.isConstraint && !r.name.isEmpty && !r.isDirectReference
                        && !importedDistributions.contains(r.name) {
                        result.findings.append(("\(r.path):\(r.range.start.line):\(r.name)", context.finding(
                            path: r.path, range: r.range,
                            message: "`\(r.name)` is declared, but no Python file of \(unit.displayName) imports it",
                            help: "remove it, or keep it if it is a plugin or runtime-only dependency",
                            severity: .warning,
                            metadata: ["distribution": .string(r.name), "unit": .string(unit.displayName), "unused": .bool(true)],
                            anchor: "unused:\(r.name)")))
                    }
                }
            }
        }
        var pending: [PendingFinding] = []
        var pendingByKey: [String: Int] = [:]
        var out: [Finding] = []
        var unusedSeen = Set<String>()
        for (u, result) in results.enumerated() {
            guard let result else { continue }
            let name = checked[u].displayName
            for (key, candidate) in result.candidates {
                if let i = pendingByKey[key] {
                    if !pending[i].units.contains(name) { pending[i].units.append(name) }
                    continue
                }
                pendingByKey[key] = pending.count
                pending.append(candidate)
            }
            for (unusedKey, finding) in result.findings {
                if let unusedKey, !unusedSeen.insert(unusedKey).inserted { continue }
                out.append(finding)
            }
        }
        // Per unit: one finding per verdict; units with the same verdict on the same import share it.
        let groupedPerLine = Dictionary(grouping: pending.indices) { "\(pending[$0].path):\(pending[$0].range.start.line):\(pending[$0].distribution)" }
        for p in pending {
            let siblings = groupedPerLine["\(p.path):\(p.range.start.line):\(p.distribution)"]?.count ?? 1
            out.append(finding(p, distinctVerdicts: siblings, context: context))
        }
        return out
    }

    /// The Python files of each directory group (`groups`: the directories of the non-image units), by group, in the
    /// order of `paths` (sorted): a file belongs to the group of its deepest enclosing directory that is one (the root
    /// `""` last), unless an `archived` glob matches it or one of its directories.
    ///
    /// The files of one directory come together in sorted paths and share its answers: the group (looked up from the
    /// deepest ancestor, one lookup per level) and whether a glob matches the directory or a parent, are worked out once
    /// per directory. Per file only the name is tried, bytes first (`Glob.mayMatch`). Per file, the lookups and the
    /// globs' byte searches over the whole path were ~20 ms of the 16x tree's project rules on one core, its 32,000
    /// Python files outside images (`DependencyRuleTests.filesByGroupReference` is that loop).
    static func filesByGroup(_ paths: some Sequence<String>, groups: Set<String>, archived: [GlobBox]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        // The directory of the last file (by bytes) and its answers; the files of its group not yet added to `out`.
        var directory: Substring? = nil
        var directoryArchived = false
        var group: String? = nil
        var pending: [String] = []
        func flush() {
            if let group, !pending.isEmpty { out[group, default: []].append(contentsOf: pending) }
            pending.removeAll(keepingCapacity: true)
        }
        for path in paths {
            // An ASCII path is cut at `/` bytes (the same places as its `/` Characters, without grapheme breaking).
            let ascii = path.utf8.allSatisfy { $0 < 0x80 }
            let slash = ascii ? path.utf8.lastIndex(of: UInt8(ascii: "/")) : path.lastIndex(of: "/")
            let dir = slash.map { path[..<$0] } ?? ""
            if directory == nil || !dir.utf8.elementsEqual(directory!.utf8) {
                flush()
                directory = dir
                directoryArchived = !dir.isEmpty && archived.contains { $0.glob.matches(String(dir)) }
                // Cut from the path as the reference does (the first cut is `dir`; the ones after depend on it alone).
                group = nil
                var d = Substring(path)
                while true {
                    guard let up = ascii ? d.utf8.lastIndex(of: UInt8(ascii: "/")) : d.lastIndex(of: "/") else {
                        if groups.contains("") { group = "" }
                        break
                    }
                    d = d[..<up]
                    if groups.contains(String(d)) { group = String(d); break }
                }
            }
            if directoryArchived { continue }
            // The path's own match (a glob on the file name, or a whole-path pattern): a byte check first.
            let nameStart = slash.map { path.utf8.distance(from: path.utf8.startIndex, to: $0) + 1 } ?? 0
            var bytes = path
            let nameArchived = bytes.withUTF8 { p in
                let name = UnsafeBufferPointer(rebasing: p[nameStart...])
                return archived.contains { $0.glob.mayMatch(path: p, name: name) && $0.glob.matchesWholePath(path) }
            }
            if nameArchived || group == nil { continue }
            pending.append(path)
        }
        flush()
        return out
    }

    static func unitList(_ units: [String]) -> String {
        switch units.count {
        case 1: return units[0]
        case 2: return "\(units[0]) and \(units[1])"
        case 3: return "\(units[0]), \(units[1]) and \(units[2])"
        default: return "\(units[0]), \(units[1]) and \(units.count - 2) other units"
        }
    }

    func finding(_ p: PendingFinding, distinctVerdicts: Int, context: RuleContext) -> Finding {
        let units = Self.unitList(p.units)
        let subject = p.units.count > 1 ? "the requirements of \(units) do not declare" : "no requirements of \(units) declare"
        let base = p.guessed
            ? "imports `\(p.module)`, which is neither first-party code nor declared by \(units) (guessing the distribution `\(p.distribution)`)"
            : "imports `\(p.module)`, but \(subject) `\(p.distribution)`"
        let message: String
        let help: String
        let severity: Severity?
        switch p.verdict {
        case .missing where p.isLazy && !p.isTest:
            message = base + " (loaded only from inside a function: it fails when that code runs, not at start-up); add it to \(p.target)"
            help = "add `\(p.distribution)` to \(p.target)"
            severity = .warning
        case .missing where p.isTest:
            message = base + " (a test file: the test run fails, not a service)"
            help = "add `\(p.distribution)` to the test requirements, or to \(p.target)"
            severity = .warning
        case .missing:
            message = base + "; add it to \(p.target)"
            help = "add `\(p.distribution)` to \(p.target)"
            severity = nil
        case .optional:
            message = base + " (the import is optional: a `try`/`except` around it handles its absence)"
            help = "declare it if the code path matters in production, or ignore this finding"
            severity = .info
        case .unreachable where p.units.allSatisfy({ !$0.hasPrefix("image ") }):
            message = base + " (the file is not reachable from the programs the Procfile starts)"
            help = "add `\(p.distribution)` to \(p.target) if the file runs in production"
            severity = .info
        case .unreachable:
            message = base + " (the file is copied into the image but not reachable from its entry point)"
            help = "add `\(p.distribution)` to \(p.target) if the file runs in the image, or stop copying it in"
            severity = .info
        case .missingFirstParty:
            let top = p.module.prefix { $0 != "." }
            message = "imports `\(p.module)`, but no `\(top)` exists in the repository: the file extends `sys.path` for first-party code, so the import points at a missing first-party module"
            help = "fix the `sys.path` entry or the import (no requirement provides `\(top)`)"
            severity = p.isTest ? .warning : nil
        case .transitive:
            message = "imports `\(p.module)`, which \(units) \(p.units.count > 1 ? "get" : "gets") only as a dependency of `\(p.via ?? "?")`"
            help = "declare `\(p.distribution)` in \(p.target) so an upgrade of `\(p.via ?? "?")` cannot remove it"
            severity = .info
        }
        return context.finding(
            path: p.path, range: p.range, message: message, help: help, severity: severity,
            metadata: [
                "module": .string(p.module), "distribution": .string(p.distribution),
                "unit": .string(p.units[0]), "units": .array(p.units.map { .string($0) }),
                "verdict": .string(p.verdict.rawValue),
                "optional": .bool(p.verdict == .optional), "reachable": .bool(p.verdict != .unreachable), "addTo": .string(p.target),
            ],
            anchor: distinctVerdicts > 1 ? "\(p.module):\(p.distribution):\(p.verdict.rawValue):\(p.target)" : "\(p.module):\(p.distribution)")
    }
}

/// A compiled glob behind a reference (see the archived globs in `MissingDependencyRule.check`).
final class GlobBox: Sendable {
    let glob: Glob
    init(_ glob: Glob) { self.glob = glob }
}

/// An `ImportResolver` built on first use, once, whichever thread asks first.
final class LazyImportResolver: @unchecked Sendable {
    private let overrides: [String: [String]]
    private var built: ImportResolver?
    private let lock = NSLock()

    init(overrides: [String: [String]]) { self.overrides = overrides }

    var value: ImportResolver {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        do {
            let resolver = try ImportResolver.loadBuiltIn(overrides: overrides)
            built = resolver
            return resolver
        } catch {
            // The tables are compiled in and parsed by every test run (`BuiltInTablesTests`): this is a defect of
            // the build, never of any input.
            fatalError("fleetlint's built-in import map does not parse: \(error)")
        }
    }
}
