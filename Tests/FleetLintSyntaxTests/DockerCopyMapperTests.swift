import Testing
@testable import FleetLintSyntax

struct DockerCopyMapperTests {
    static let files: Set<String> = [
        "svc/Dockerfile", "svc/requirements.txt", "svc/requirements-dev.txt", "svc/app/main.py", "svc/app/util.py",
        "svc/constraints/base.txt", "svc/.env", "svc/tests/test_x.py", "shared/lib/setup.py", "requirements.txt",
    ]
    static func exists(_ p: String) -> Bool { files.contains(p) }
    static func list(_ dir: String) -> [String] {
        files.filter { dir.isEmpty || $0.hasPrefix(dir + "/") }.sorted()
    }

    static func mapper(_ text: String, context: String = "svc", ignore: String? = nil, stage: Int = 0) -> (DockerCopyMapper, Dockerfile) {
        let df = DockerfileParser.parse(text)
        return (DockerCopyMapper(dockerfile: df, stage: df.stages[stage], contextDirectory: context,
                                 ignore: ignore.map(DockerIgnore.init), fileExists: exists, listFiles: list), df)
    }

    @Test(arguments: [
        ("COPY requirements.txt .\nRUN x", "requirements.txt", "/app", DockerCopyResolution.repoFile("svc/requirements.txt")),
        ("COPY requirements.txt /tmp/req.txt", "/tmp/req.txt", "/app", .repoFile("svc/requirements.txt")),
        ("COPY requirements.txt requirements-dev.txt ./deps/", "deps/requirements-dev.txt", "/app", .repoFile("svc/requirements-dev.txt")),
        ("COPY . .", "requirements.txt", "/app", .repoFile("svc/requirements.txt")),
        ("COPY . .", "app/main.py", "/app", .repoFile("svc/app/main.py")),
        ("COPY constraints/ /c/", "/c/base.txt", "/app", .repoFile("svc/constraints/base.txt")),
        ("COPY requirements*.txt /r/", "/r/requirements-dev.txt", "/", .repoFile("svc/requirements-dev.txt")),
        ("ADD requirements.txt .", "requirements.txt", "/app", .repoFile("svc/requirements.txt")),
        ("COPY --from=builder /wheels /wheels", "/wheels/req.txt", "/", .otherStage("builder")),
        ("COPY missing.txt .", "missing.txt", "/app", .notCopied),
        ("COPY requirements.txt .", "other.txt", "/app", .notCopied),
        ("COPY <<EOF /app/requirements.txt\nflask\nEOF", "requirements.txt", "/app", .heredoc(instructionIndex: 2, name: "EOF")),
    ])
    func resolves(_ copy: String, _ path: String, _ workdir: String, _ expected: DockerCopyResolution) {
        let (m, _) = Self.mapper("FROM python:3.11\nWORKDIR /app\n\(copy)\n")
        #expect(m.resolve(containerPath: path, workdir: workdir) == expected)
    }

    @Test func latestCopyWinsAndWorkdirApplies() {
        let (m, df) = Self.mapper("FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY requirements-dev.txt requirements.txt\n")
        let run = df.instructions.firstIndex { $0.keyword == "RUN" }!
        #expect(m.resolve(containerPath: "requirements.txt", workdir: "/app", beforeInstruction: run) == .repoFile("svc/requirements.txt"))
        #expect(m.resolve(containerPath: "/app/requirements.txt") == .repoFile("svc/requirements-dev.txt"))
    }

    @Test func inheritsParentStageAndRootContext() {
        let (m, _) = Self.mapper("FROM python:3.11 AS base\nCOPY svc/requirements.txt /r.txt\nFROM base\n", context: "", stage: 1)
        #expect(m.resolve(containerPath: "/r.txt") == .repoFile("svc/requirements.txt"))
    }

    @Test func dockerIgnore() {
        let ig = DockerIgnore("# comment\n**/*.pyc\ntests\n/.env\n*.txt\n!requirements.txt\n")
        #expect(ig.isExcluded("a/b/c.pyc"))
        #expect(ig.isExcluded("tests/test_x.py"))
        #expect(!ig.isExcluded("app/tests/x.py"))
        #expect(ig.isExcluded(".env"))
        #expect(ig.isExcluded("requirements-dev.txt"))
        #expect(!ig.isExcluded("requirements.txt"))
        #expect(!ig.isExcluded("app/main.py"))
        #expect(DockerIgnore("*\n!app\n").isExcluded("x.py") && !DockerIgnore("*\n!app\n").isExcluded("app/main.py"))
        #expect(DockerIgnore("[a-c]*.py\n").isExcluded("b1.py") && !DockerIgnore("[a-c]*.py\n").isExcluded("d.py"))
        let (m, _) = Self.mapper("FROM x\nCOPY . /app\n", ignore: "*.txt\n!requirements.txt\ntests\n")
        #expect(m.resolve(containerPath: "/app/requirements-dev.txt") == .notCopied)
        #expect(m.resolve(containerPath: "/app/requirements.txt") == .repoFile("svc/requirements.txt"))
        #expect(!m.copiedFiles().contains("svc/tests/test_x.py"))
        #expect(m.copiedFiles().contains("svc/app/main.py"))
    }

    @Test func copiedSources() {
        let (m, _) = Self.mapper("FROM x\nWORKDIR /app\nCOPY requirements.txt app ./\nCOPY --from=b /x /y\nADD https://x/y.tgz /z\n")
        #expect(m.copiedSources().map(\.repoPath) == ["svc/requirements.txt", "svc/app"])
        #expect(m.copiedSources().map(\.containerPath) == ["/app/requirements.txt", "/app"])
    }

    @Test func inferContext() {
        let ex: (String) -> Bool = { p in Self.files.contains(p) || Self.files.contains { f in f.hasPrefix(p + "/") } }
        #expect(DockerCopyMapper.inferContext(dockerfileDir: "svc", copySources: ["requirements.txt", "app"], fileExists: ex) == "svc")
        #expect(DockerCopyMapper.inferContext(dockerfileDir: "svc", copySources: ["shared/lib", "svc/app"], fileExists: ex) == "")
        #expect(DockerCopyMapper.inferContext(dockerfileDir: "svc", copySources: ["."], fileExists: ex) == "svc")
    }

    @Test func composeTargets() {
        let yml = """
        version: "3.9"
        services:
          api:
            build: ./api   # short form
            ports: ["8080:8080"]
          worker:
            image: x
            build:
              context: ../services/worker
              dockerfile: docker/Dockerfile.worker
          db:
            image: postgres:16
        """
        let t = DockerBuildConfigReader.composeTargets(Array(yml.utf8), fileDirectory: "deploy")
        #expect(t == [DockerBuildTarget(dockerfilePath: "deploy/api/Dockerfile", contextDirectory: "deploy/api"),
                      DockerBuildTarget(dockerfilePath: "services/worker/docker/Dockerfile.worker", contextDirectory: "services/worker", tags: ["x"])])
    }

    @Test func cloudBuildTargets() {
        let yml = """
        steps:
        - name: 'gcr.io/cloud-builders/docker'
          args: ['build', '-t', 'gcr.io/$PROJECT_ID/api', '-f', 'svc/Dockerfile', '.']
        - name: gcr.io/cloud-builders/docker
          dir: services/worker
          args:
            - build
            - --tag=x
            - .
        - name: gcr.io/cloud-builders/docker
          entrypoint: bash
          args:
            - -c
            - |
              docker build -f jobs/Dockerfile jobs
        - name: 'gcr.io/kaniko-project/executor:latest'
          args: ["--dockerfile=k/Dockerfile", "--context=dir://k"]
        - name: gcr.io/cloud-builders/docker
          args: ['push', 'x']
        """
        let t = DockerBuildConfigReader.cloudBuildTargets(Array(yml.utf8), fileDirectory: "")
        #expect(t.map(\.dockerfilePath) == ["svc/Dockerfile", "services/worker/Dockerfile", "k/Dockerfile"])
        #expect(t.map(\.contextDirectory) == ["", "services/worker", "k"])
        let inline = DockerBuildConfigReader.cloudBuildTargets(Array("steps:\n- name: docker\n  entrypoint: bash\n  args: ['-c', 'docker build -f jobs/Dockerfile jobs && echo ok']\n".utf8), fileDirectory: "ci")
        #expect(inline == [DockerBuildTarget(dockerfilePath: "ci/jobs/Dockerfile", contextDirectory: "ci/jobs")])
    }

    @Test("compose and Cloud Build files with CRLF line breaks give the targets their LF spelling gives")
    func crlfBuildConfigs() {
        let compose = "services:\n  api:\n    build: ./api\n  worker:\n    build:\n      context: ../w\n      dockerfile: D\n"
        let cloud = "steps:\n- name: gcr.io/cloud-builders/docker\n  dir: services/worker\n  args:\n    - build\n    - .\n"
        func crlf(_ s: String) -> [UInt8] { Array(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
        let lfCompose = DockerBuildConfigReader.composeTargets(Array(compose.utf8), fileDirectory: "deploy")
        #expect(lfCompose.count == 2)
        #expect(DockerBuildConfigReader.composeTargets(crlf(compose), fileDirectory: "deploy") == lfCompose)
        let lfCloud = DockerBuildConfigReader.cloudBuildTargets(Array(cloud.utf8), fileDirectory: "")
        #expect(lfCloud.map(\.contextDirectory) == ["services/worker"])
        #expect(DockerBuildConfigReader.cloudBuildTargets(crlf(cloud), fileDirectory: "") == lfCloud)
        // A last line ending in a lone CR (no LF after it).
        let loneCR = "services:\r\n  api:\r\n    build: ./api\r"
        #expect(DockerBuildConfigReader.composeTargets(Array(loneCR.utf8), fileDirectory: "deploy")
                == [DockerBuildTarget(dockerfilePath: "deploy/api/Dockerfile", contextDirectory: "deploy/api")])
    }
}
