import FleetLintCore
import Testing

@Suite("Glob")
struct GlobTests {
    @Test("matching", arguments: [
        ("__pycache__", "svc/__pycache__/a.pyc", true),
        ("*.pyc", "svc/a.pyc", true),
        ("*.pyc", "svc/a.py", false),
        ("build/gen", "build/gen/x.py", true),
        ("build/gen/", "build/gen/x.py", true),
        ("build/gen", "other/build/gen/x.py", false),
        ("**/tests/**", "svc/tests/test_a.py", true),
        ("**/tests/**", "tests/test_a.py", true),
        ("svc/*.py", "svc/a.py", true),
        ("svc/*.py", "svc/sub/a.py", false),
        ("svc/**/*.py", "svc/sub/deep/a.py", true),
        ("svc/**/*.py", "svc/a.py", true),
        ("/legacy", "legacy/a.py", true),
        ("requirements-[ab].txt", "requirements-a.txt", true),
        ("requirements-[!ab].txt", "requirements-a.txt", false),
        ("fixtures", "fixtures/x/.env", true),
        ("?.py", "a.py", true),
        ("?.py", "ab.py", false),
    ])
    func matching(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }

    @Test("file classifier uses names, not directory names")
    func classifier() {
        let c = FileClassifier()
        #expect(c.kind(of: "svc/requirements.txt") == .requirements)
        #expect(c.kind(of: "svc/requirements-lock.txt") == .requirements)
        #expect(c.kind(of: "svc/dev-requirements.txt") == .requirements)
        #expect(c.kind(of: "requirements/base.txt") == .requirements)
        #expect(c.kind(of: "svc/requirements/base.txt") == .requirements)
        #expect(c.kind(of: "constraints.txt") == .requirements)
        #expect(c.kind(of: "requirements-tools/readme.txt") == .text)
        #expect(c.kind(of: "svc/Dockerfile") == .dockerfile)
        #expect(c.kind(of: "svc/Dockerfile.prod") == .dockerfile)
        #expect(c.kind(of: "svc/worker.Dockerfile") == .dockerfile)
        #expect(c.kind(of: "docs/dockerfile.md") == .text)
        #expect(c.kind(of: "svc/.env") == .envFile)
        #expect(c.kind(of: "svc/.env.production") == .envFile)
        #expect(c.kind(of: "job-config.env") == .envFile)
        #expect(c.kind(of: "svc/app.py") == .python)
        #expect(c.kind(of: "pyproject.toml") == .pyproject)
    }
}
