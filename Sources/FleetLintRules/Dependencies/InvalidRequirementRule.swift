import FleetLintCore
import FleetLintProject
import FleetLintSyntax

/// A requirements/pyproject/Dockerfile install line that pip would reject or silently misread.
public struct InvalidRequirementRule: BuiltInRule, ProjectRule {
    public static let description = RuleDescription(
        id: "invalid-requirement",
        summary: "A requirement that pip would reject or silently misread",
        category: .dependencies,
        defaultSeverity: .error,
        inputs: [.requirements, .dockerfile, .pyproject],
        rationale: """
            ## What it does
            Reads requirements files exactly as pip 26 does (continuations, comments, options, `-r`/`-c`
            includes relative to the including file) and reports every line pip would reject or misread:
            two requirements glued onto one line, a `-r` whose file does not exist or forms a cycle, an
            unknown option, a specifier or marker pip rejects, words pip silently drops after an option,
            credentials in an index URL (redacted). In Dockerfiles: `pip install flask>=2.3.0` (an unquoted
            `>` is a shell redirection: pip installs `flask` unpinned and the shell writes a file `=2.3.0`)
            and a `pip install -r` of a file no `COPY` brings into the image. In pyproject: requirement
            strings that are not PEP 508 and `include-group` cycles.

            ## Why is this bad?
            pip stops at the first bad line, so the whole file fails to install at deploy time; or worse,
            it installs something other than what the line says, and the image runs untested versions.

            ## Example
            ```
            requests==2.31.0google-cloud-storage==2.14.0
            ```

            ## Use instead
            ```
            requests==2.31.0
            google-cloud-storage==2.14.0
            ```
            """,
        triggering: [
            Example(path: "svc/requirements.txt", "flask==2.3.3\nrequests==2.31.0↓google-cloud-storage==2.14.0\n"),
            Example(path: "svc/requirements.txt", "↓-r ../missing.txt\nflask==2.3.3\n"),
            Example(path: "svc/requirements.txt", "↓--frobnicate\n"),
            Example(path: "svc/requirements.txt", "pandas↓=>2.0\n"),
            Example(["svc/Dockerfile": "FROM python:3.11\nRUN pip install ↓flask>=2.3.0\n"]),
            Example(["svc/Dockerfile": "FROM python:3.11\nWORKDIR /app\nRUN pip install -r ↓requirements.txt\n", "svc/requirements.txt": "flask\n"]),
            // The base image built in the repository works in /app; the file went to /srv.
            Example([
                "base/Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\n",
                "cloudbuild.yaml": "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [\"build\", \"-t\", \"gcr.io/$PROJECT_ID/py-base\", \"-f\", \"base/Dockerfile\", \".\"]\n",
                "svc/Dockerfile": "FROM gcr.io/my-project/py-base:latest\nCOPY svc/requirements.txt /srv/\nRUN pip install -r ↓requirements.txt\n",
                "svc/requirements.txt": "flask\n",
            ]),
        ],
        nonTriggering: [
            Example(path: "svc/requirements.txt", "# pinned\nflask==2.3.3  # web\nrequests[socks]>=2.31,<3 ; python_version >= \"3.8\"\n-e ./libs/common\n--extra-index-url https://pypi.internal.example/simple\n"),
            Example(["svc/Dockerfile": "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt 'flask>=2.3.0'\n", "svc/requirements.txt": "flask\n"]),
            // WORKDIR comes from a local base image (built in the repository and tagged by its Cloud Build config) …
            Example([
                "base/Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\n",
                "cloudbuild.yaml": "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: [\"build\", \"-t\", \"gcr.io/$PROJECT_ID/py-base\", \"-f\", \"base/Dockerfile\", \".\"]\n",
                "svc/Dockerfile": "FROM gcr.io/my-project/py-base:latest\nCOPY svc/requirements.txt /app/\nRUN pip install -r requirements.txt\n",
                "svc/requirements.txt": "flask\n",
            ]),
            // … or from an earlier stage.
            Example(["svc/Dockerfile": "FROM python:3.11 AS base\nWORKDIR /app\nFROM base\nCOPY requirements.txt /app/\nRUN pip install -r requirements.txt\n", "svc/requirements.txt": "flask\n"]),
        ]
    )

    public static let optionsSection = "dependencies"
    let settings: DependencySettings

    public init(options: OptionsTable) throws(ConfigurationError) {
        settings = try DependencySettings(options: options)
    }

    public func check(_ project: Project, in context: RuleContext) -> [Finding] {
        let index = dependencyIndex(project)
        var seen = Set<String>()
        var out: [Finding] = []
        for p in index.problems {
            let key = "\(p.path):\(p.problem.range.start):\(p.problem.code)"
            guard seen.insert(key).inserted else { continue }
            let sensitive = p.problem.code == "credentials-in-url"
            out.append(context.finding(
                path: p.path, range: p.problem.range, message: p.problem.message, help: p.problem.help,
                metadata: ["code": .string(p.problem.code)],
                anchor: sensitive ? p.problem.code + ":" + p.problem.message : nil,
                showsSource: !sensitive))
        }
        return out
    }
}
