import Testing
@testable import FleetLintSyntax

struct DockerfileParserTests {
    @Test func instructionsAndRanges() {
        let df = DockerfileParser.parse("# syntax=docker/dockerfile:1\nfrom python:3.11 as Base\nRUN --mount=type=cache,target=/root/.cache \\\n  pip install x\n")
        #expect(df.directives.map(\.name) == ["syntax"])
        #expect(df.instructions.map(\.keyword) == ["FROM", "RUN"])
        let run = df.instructions[1]
        #expect(run.flags == ["--mount=type=cache,target=/root/.cache"])
        #expect(run.flagValues("mount") == ["type=cache,target=/root/.cache"])
        #expect(run.rawArguments == "pip install x")
        #expect((run.startLine, run.endLine) == (3, 4))
        #expect(run.range == SourceRange(start: .init(line: 3, column: 1), end: .init(line: 4, column: 16)))
        #expect(df.stages.map(\.name) == ["base"])
        #expect(df.problems.isEmpty)
    }

    @Test func escapeDirectiveOnlyAtTop() {
        let a = DockerfileParser.parse("# escape=`\nFROM x\nRUN a `\n  b\n")
        #expect(a.escapeCharacter == UInt8(ascii: "`"))
        #expect(a.instructions[1].arguments == ["a   b"])
        let b = DockerfileParser.parse("FROM x\n# escape=`\nRUN a `\n")
        #expect(b.escapeCharacter == UInt8(ascii: "\\"))
        #expect(b.instructions.count == 2)
    }

    @Test(arguments: [
        ("FROM x\nFROBNICATE y\n", "unknown-instruction"),
        ("FROM x\nRUN a \\", "continuation-at-eof"),
        ("FROM x\nRUN <<EOF\nbody\n", "unterminated-heredoc"),
        ("FROM x\nCMD [\"a\", 'b']\n", "invalid-exec-form"),
        ("RUN x\nFROM y\n", "instruction-before-from"),
        ("FROM x\nRUN a \\\n\n  b\n", "empty-continuation-line"),
        ("FROM x\nENV A\n", "missing-arguments"),
        ("FROM x\nENV A=1 B\n", "invalid-key-value"),
        ("FROM x AS a\nFROM y AS A\n", "duplicate-stage-name"),
        ("# escape=x\nFROM y\n", "invalid-escape-directive"),
        ("FROM x\nRUN [\"a\", 1]\n", "exec-form-not-strings"),
    ])
    func problems(_ text: String, _ code: String) {
        let df = DockerfileParser.parse(text)
        #expect(df.problems.map(\.code).contains(code), "\(df.problems)")
    }

    @Test func keepsGoingAfterProblems() {
        let df = DockerfileParser.parse("FROM x\nBOGUS\nCMD [bad\nRUN ok\n")
        #expect(df.instructions.map(\.keyword) == ["FROM", "BOGUS", "CMD", "RUN"])
        #expect(df.instructions[2].isJSON == false)
        #expect(df.instructions[2].arguments == ["[bad"])
    }

    @Test func variableSubstitution() {
        let text = """
        ARG PY=3.11
        ARG REG
        FROM ${REG:-docker.io}/python:${PY}-slim AS base
        ARG PY
        ENV APP=/srv/app HOME2=$HOME
        ENV LEGACY a b
        WORKDIR $APP
        WORKDIR sub
        COPY ${X:+alt} ${PY-none} ${UNSET-dflt} \\$PY .
        LABEL v="${PY}"
        FROM base AS child
        WORKDIR ../other
        """
        let df = DockerfileParser.parse(text)
        #expect(df.globalArgs.map(\.name) == ["PY", "REG"])
        #expect(df.stages[0].baseImage == "docker.io/python:3.11-slim")
        #expect(df.stages[0].rawBaseImage == "${REG:-docker.io}/python:${PY}-slim")
        #expect(df.stages[1].baseStageIndex == 0)
        let copy = df.instructions.first { $0.keyword == "COPY" }!
        #expect(copy.expandedArguments == ["", "3.11", "dflt", "$PY", "."])
        #expect(df.instructions.first { $0.keyword == "LABEL" }!.expandedArguments == ["v", "3.11"])
        let states = df.states(of: df.stages[0])
        #expect(states.last?.workdir == "/srv/app/sub")
        #expect(states.last?.variables["APP"] == "/srv/app")
        #expect(states.last?.variables["LEGACY"] == "a b")
        #expect(states.last?.variables["PY"] == "3.11")
        #expect(df.states(of: df.stages[1]).last?.workdir == "/srv/app/other")
    }

    /// An `=` followed by a combining mark or a zero-width joiner is one Character with it: the key and value are
    /// split at the byte, as BuildKit splits them (the value is the mark), never read as a key without a value.
    @Test func equalsBeforeACombiningMark() {
        let df = DockerfileParser.parse("FROM x\nENV GREETING=\u{301} NAME=\u{200D}x\nARG A=\u{301}b\nLABEL k=\u{301}\n")
        #expect(df.problems.isEmpty, "\(df.problems)")
        let states = df.states(of: df.stages[0])
        #expect(states.last?.variables["GREETING"] == "\u{301}")
        #expect(states.last?.variables["NAME"] == "\u{200D}x")
        #expect(states.last?.variables["A"] == "\u{301}b")
        #expect(df.instructions.first { $0.keyword == "LABEL" }!.expandedArguments == ["k", "\u{301}"])
    }

    @Test func heredocDetails() {
        let df = DockerfileParser.parse("FROM x\nRUN <<-EOT cat && 3<<'A' cat\n\tone\n\tEOT\n$x\nA\nRUN echo after\n")
        let hs = df.instructions[1].heredocs
        #expect(hs.map(\.name) == ["EOT", "A"])
        #expect(hs[0].content == "one\n" && hs[0].stripsLeadingTabs && hs[0].expandsVariables)
        #expect(hs[1].content == "$x\n" && !hs[1].expandsVariables && hs[1].fileDescriptor == 3)
        #expect(hs[1].bodyStartLine == 5)
        #expect(df.instructions[2].startLine == 7)
        let j = DockerfileParser.parse("FROM x\nRUN [\"sh\", \"<<EOF\"]\nRUN y\n")
        #expect(j.instructions[1].heredocs.isEmpty && j.instructions.count == 3)
    }

    @Test func entryPoints() {
        let df = DockerfileParser.parse("""
        FROM python:3.11 AS base
        CMD ["gunicorn", "-b", ":8080", "main:app"]
        FROM base AS worker
        ENTRYPOINT ["celery"]
        FROM base AS api
        FROM base AS shell
        CMD exec uvicorn pkg.main:app --host 0.0.0.0
        """)
        #expect(df.commandLine(of: df.stages[0]).argv == ["gunicorn", "-b", ":8080", "main:app"])
        #expect(df.commandLine(of: df.stages[1]).argv == ["celery"])
        #expect(df.commandLine(of: df.stages[2]).argv == ["gunicorn", "-b", ":8080", "main:app"])
        #expect(df.commandLine(of: df.stages[3]).argv == ["/bin/sh", "-c", "exec uvicorn pkg.main:app --host 0.0.0.0"])
        #expect(PythonEntryPointDetector.detect(argv: df.commandLine(of: df.stages[3]).argv)
                == PythonEntryPoint(tool: "uvicorn", module: "pkg.main", script: nil, attribute: "app"))
    }

    @Test(arguments: [
        (["python", "-m", "pkg.mod"], PythonEntryPoint(tool: "python", module: "pkg.mod")),
        (["python3", "-u", "app/main.py", "--flag"], PythonEntryPoint(tool: "python", script: "app/main.py")),
        (["gunicorn", "app:app"], PythonEntryPoint(tool: "gunicorn", module: "app", attribute: "app")),
        (["gunicorn", "-b", ":8080", "--workers=2", "-k", "uvicorn.workers.UvicornWorker", "main:app"], PythonEntryPoint(tool: "gunicorn", module: "main", attribute: "app")),
        (["uvicorn", "--port", "80", "pkg.main:app"], PythonEntryPoint(tool: "uvicorn", module: "pkg.main", attribute: "app")),
        (["functions-framework", "--target=handle", "--source=src/main.py"], PythonEntryPoint(tool: "functions-framework", script: "src/main.py", attribute: "handle")),
        (["functions-framework", "--target", "fn"], PythonEntryPoint(tool: "functions-framework", script: "main.py", attribute: "fn")),
        (["celery", "-A", "proj", "worker", "-l", "info"], PythonEntryPoint(tool: "celery", module: "proj")),
        (["/usr/bin/tini", "--", "python", "-m", "svc"], PythonEntryPoint(tool: "python", module: "svc")),
        (["/bin/sh", "-c", "cd /app && exec gunicorn wsgi:application"], PythonEntryPoint(tool: "gunicorn", module: "wsgi", attribute: "application")),
        (["python", "-m", "gunicorn", "x.y:z"], PythonEntryPoint(tool: "gunicorn", module: "x.y", attribute: "z")),
        (["poetry", "run", "python", "main.py"], PythonEntryPoint(tool: "python", script: "main.py")),
    ])
    func pythonEntry(_ argv: [String], _ expected: PythonEntryPoint) {
        #expect(PythonEntryPointDetector.detect(argv: argv) == expected)
    }

    @Test func noPythonEntry() {
        #expect(PythonEntryPointDetector.detect(argv: ["nginx", "-g", "daemon off;"]) == nil)
        #expect(PythonEntryPointDetector.detect(argv: ["python", "-c", "print(1)"]) == nil)
    }
}

