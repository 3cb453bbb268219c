import Testing
@testable import FleetLintSyntax

struct PipInstallTests {
    static func installs(_ text: String) -> PipInstallExtraction {
        PipInstallExtractor.extract(from: DockerfileParser.parse(text))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var run: String
        var launcher: String
        var packages: [String]
        var reqs: [String] = []
        var testDescription: String { run }
    }

    static let cases: [Case] = [
        Case(run: "RUN pip install flask==2.3.3 requests", launcher: "pip", packages: ["flask==2.3.3", "requests"]),
        Case(run: "RUN pip3 install --no-cache-dir -r requirements.txt", launcher: "pip3", packages: [], reqs: ["requirements.txt"]),
        Case(run: "RUN pip3.11 install -Ur reqs.txt six", launcher: "pip3.11", packages: ["six"], reqs: ["reqs.txt"]),
        Case(run: "RUN python -m pip install -i https://example.org/simple flask", launcher: "python -m pip", packages: ["flask"]),
        Case(run: "RUN python3.11 -m pip install --upgrade pip setuptools", launcher: "python3.11 -m pip", packages: ["pip", "setuptools"]),
        Case(run: "RUN uv pip install --system 'fastapi>=0.110'", launcher: "uv pip", packages: ["fastapi>=0.110"]),
        Case(run: "RUN /usr/local/bin/pip install --requirement=/app/req.txt", launcher: "/usr/local/bin/pip", packages: [], reqs: ["/app/req.txt"]),
        Case(run: "RUN set -ex && apt-get update && sudo -H pip install \"psycopg[binary]==3.1\"", launcher: "pip", packages: ["psycopg[binary]==3.1"]),
        Case(run: "RUN PIP_NO_CACHE_DIR=1 exec pip install gunicorn; echo done", launcher: "pip", packages: ["gunicorn"]),
        Case(run: "RUN sh -c 'pip install numpy==1.26.4 && pip check'", launcher: "pip", packages: ["numpy==1.26.4"]),
        Case(run: "RUN bash -c \"pip install pandas\" || true", launcher: "pip", packages: ["pandas"]),
        Case(run: "RUN [\"pip\", \"install\", \"flask>=2\"]", launcher: "pip", packages: ["flask>=2"]),
        Case(run: "RUN [\"/bin/sh\", \"-c\", \"pip install redis\"]", launcher: "pip", packages: ["redis"]),
        Case(run: "RUN pip install psycopg\\[binary\\] --extra-index-url https://x/simple --no-deps", launcher: "pip", packages: ["psycopg[binary]"]),
        Case(run: "RUN pip --disable-pip-version-check install -q  -e ./lib six", launcher: "pip", packages: ["six"]),
        Case(run: "RUN echo $(pip install nope) && pip install yes", launcher: "pip", packages: ["yes"]),
        Case(run: "RUN pip install \\\n    flask \\\n    celery", launcher: "pip", packages: ["flask", "celery"]),
        Case(run: "RUN if [ -f x ]; then pip install lxml; fi", launcher: "pip", packages: ["lxml"]),
    ]

    @Test(arguments: cases)
    func extractsPackages(_ c: Case) {
        let r = Self.installs("FROM python:3.11\n" + c.run + "\n")
        #expect(r.installs.count == 1)
        guard let pi = r.installs.first else { return }
        #expect(pi.launcher == c.launcher)
        #expect(pi.packages.map(\.value) == c.packages)
        #expect(pi.requirementFiles.map(\.value) == c.reqs)
    }

    @Test func notPipInstall() {
        for run in ["RUN pip download flask", "RUN pipx install black", "RUN pip wheel x", "RUN echo pip install x",
                    "RUN python -c 'import pip'", "RUN pipenv install", "ONBUILD RUN pip install x"] {
            #expect(Self.installs("FROM python:3.11\n\(run)\n").installs.isEmpty, "\(run)")
        }
    }

    @Test func redirectionIsReported() {
        let r = Self.installs("FROM python:3.11\nRUN pip install flask>=2.3.0 requests\n")
        #expect(r.installs.first?.packages.map(\.value) == ["flask", "requests"])
        #expect(r.problems.count == 1)
        let p = r.problems[0]
        #expect(p.code == "pip-shell-redirection")
        #expect(p.range == SourceRange(start: .init(line: 2, column: 17), end: .init(line: 2, column: 29)))
        #expect(p.message.contains("`=2.3.0`"))
        #expect(Self.installs("FROM python:3.11\nRUN pip install 'flask>=2.3.0' \"x<3\"\n").problems.isEmpty)
        #expect(Self.installs("FROM python:3.11\nRUN pip install x 2>/dev/null >log\n").problems.isEmpty)
        #expect(Self.installs("FROM python:3.11\nRUN pip install x<3\n").problems.first?.message.contains("reads") == true)
    }

    @Test func argumentRanges() {
        let r = Self.installs("FROM python:3.11\nRUN pip install \\\n    \"flask==3.0\" six\n")
        let pkgs = r.installs[0].packages
        #expect(pkgs[0].range == SourceRange(start: .init(line: 3, column: 5), end: .init(line: 3, column: 17)))
        #expect(pkgs[1].range == SourceRange(line: 3, column: 18, length: 3))
        let e = Self.installs("FROM python:3.11\nRUN [\"pip\", \"install\", \"x==1\"]\n").installs[0].packages[0]
        #expect(e.range == SourceRange(line: 2, column: 24, length: 6))
        let s = Self.installs("FROM python:3.11\nRUN sh -c 'pip install abc'\n").installs[0].packages[0]
        #expect(s.range == SourceRange(line: 2, column: 24, length: 3))
    }

    @Test func argEnvSubstitution() {
        let text = """
        ARG PY=3.11
        FROM python:${PY}
        ARG REQS=requirements.txt
        ENV EXTRA="six==1.16 attrs"
        ARG UNKNOWN
        WORKDIR /app
        RUN pip install -r $REQS $EXTRA ${UNKNOWN} ${MISSING:-fallback}
        """
        let r = Self.installs(text)
        let pi = r.installs[0]
        #expect(pi.requirementFiles.map(\.value) == ["requirements.txt"])
        #expect(pi.packages.map(\.value) == ["six==1.16", "attrs", "${UNKNOWN}", "fallback"])
        #expect(pi.packages.map(\.isDynamic) == [false, false, true, false])
        #expect(pi.workdir == "/app")
    }

    /// A variable's value is split where `splitOnBlanks` splits, at spaces, tabs and LFs, also when its only break is
    /// the LF of a CRLF (one Character, which a Character comparison took for neither CR nor LF).
    @Test func variableValueSplitAtTheLFOfACRLF() {
        let words = ShellSplitter.split("pip install $PKGS", lookup: { $0 == "PKGS" ? "six\r\nattrs" : nil })
            .flatMap { $0.words.map(\.value) }
        #expect(words == ["pip", "install", "six\r", "attrs"])
        let quoted = ShellSplitter.split("pip install \"$PKGS\"", lookup: { _ in "six\r\nattrs" }).flatMap { $0.words.map(\.value) }
        #expect(quoted == ["pip", "install", "six\r\nattrs"])
    }

    @Test func options() {
        let pi = Self.installs("FROM python:3.11\nRUN pip install --user --target /t -c c.txt -i URL --find-links=./w --no-index --progress-bar off -U x\n").installs[0]
        #expect(pi.user && pi.noIndex && pi.upgrade)
        #expect(pi.target?.value == "/t")
        #expect(pi.constraintFiles.map(\.value) == ["c.txt"])
        #expect(pi.indexURL?.value == "URL")
        #expect(pi.findLinks.map(\.value) == ["./w"])
        #expect(pi.options.map(\.name) == ["--progress-bar"])
        #expect(pi.options.first?.value?.value == "off")
        #expect(pi.packages.map(\.value) == ["x"])
        #expect(pi.editables.isEmpty)
        let e = Self.installs("FROM python:3.11\nRUN pip install -e . --editable=git+https://x/y#egg=y\n").installs[0]
        #expect(e.editables.map(\.value) == [".", "git+https://x/y#egg=y"])
    }

    @Test func heredocs() {
        let text = "FROM python:3.12\nRUN <<EOF\nset -e\npip install requests==2.31.0\nEOF\nRUN python3 <<'PY'\npip install notshell\nPY\nRUN <<EOF bash\npip install celery\nEOF\n"
        let r = Self.installs(text)
        #expect(r.installs.map { $0.packages.map(\.value) } == [["requests==2.31.0"], ["celery"]])
        #expect(r.installs[0].isInHeredoc)
        #expect(r.installs[0].packages[0].range == SourceRange(line: 4, column: 13, length: 16))
    }

    @Test func stagesAndConditional() {
        let r = Self.installs("FROM python:3.11 AS a\nRUN pip install a\nFROM a\nRUN true || pip install b\n")
        #expect(r.installs.map(\.stageIndex) == [0, 1])
        #expect(r.installs.map(\.isConditional) == [false, true])
    }
}
