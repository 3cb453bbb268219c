import FleetLintCore
import FleetLintSyntax
import Testing

/// One definition of a test file (`TestFiles`) for missing-dependency, fixed-sleep-retry and the adoption figures,
/// which had three: missing-dependency's (`tests`/`test` directories, names starting `test_` with any extension),
/// fixed-sleep-retry's globs (`tests` directories only, `test_*.py`) and the figures' (`tests`/`test`/`testing`).
@Suite("Test files")
struct TestFilesTests {
    /// Path, then the answers of missing-dependency's, fixed-sleep-retry's and the figures' old definitions, then
    /// the answer now (the documented one: `tests/` or `test/` directories, `test_*.py`, `*_test.py`, `conftest.py`).
    static let table: [(String, old: (md: Bool, fs: Bool, fg: Bool), now: Bool)] = [
        ("svc/app.py", (false, false, false), false),
        ("tests/a.py", (true, true, true), true),
        ("svc/tests/a.py", (true, true, true), true),
        ("svc/tests/unit/a.py", (true, true, true), true),
        ("test/a.py", (true, false, true), true),            // fixed-sleep-retry did not count `test/`
        ("svc/test/a.py", (true, false, true), true),
        ("testing/a.py", (false, false, true), false),       // only the figures counted `testing/`
        ("svc/testing/a.py", (false, false, true), false),
        ("test_a.py", (true, true, true), true),
        ("svc/test_a.py", (true, true, true), true),
        ("test_.py", (true, true, true), true),
        ("test_a.pyi", (true, false, true), false),          // a stub is not a test module (`test_*.py`)
        ("a_test.py", (true, true, true), true),
        ("_test.py", (true, true, true), true),
        ("a_test.pyi", (false, false, false), false),
        ("conftest.py", (true, true, true), true),
        ("svc/conftest.py", (true, true, true), true),
        ("conftest.pyi", (false, false, false), false),
        ("Tests/a.py", (false, false, false), false),        // case-sensitive
        ("svc/TEST/a.py", (false, false, false), false),
        ("Test_a.py", (false, false, false), false),
        ("tests.py", (false, false, false), false),
        ("test.py", (false, false, false), false),
        ("contest.py", (false, false, false), false),
        ("latest/app.py", (false, false, false), false),
        ("attest.py", (false, false, false), false),
        ("t\u{E9}sts/a.py", (false, false, false), false),
        ("t\u{E9}st/tests/a.py", (true, true, true), true),
        ("test_\u{301}a.py", (false, true, false), true),   // by bytes (scalars), not Characters: `test_` then a mark
        ("svc/tests\r/a.py", (false, false, false), false),
        ("/tests/a.py", (true, true, true), true),           // empty segments are skipped
        ("svc//tests//a.py", (true, true, true), true),
        ("a/b/c/d_test.py", (true, true, true), true),
        // Not the path of a Python file, which ends in `.py` or `.pyi`: never asked by the rules.
        ("test_a", (true, false, true), false),
        ("tests", (false, true, false), false),
        ("svc/tests", (false, true, false), false),
        ("tests/", (false, true, false), false),
        ("", (false, false, false), false),
        ("/", (false, false, false), false),
    ]

    @Test("which paths are test files", arguments: table.indices)
    func paths(_ i: Int) {
        let (path, _, now) = Self.table[i]
        #expect(TestFiles.contains(path) == now, "\(path.debugDescription)")
    }

    /// The definition as globs (the form fixed-sleep-retry's was written in): the byte walk answers as they do.
    static let globs = ["**/tests/**/*", "**/test/**/*", "**/test_*.py", "**/*_test.py", "**/conftest.py"].map(Glob.init)

    @Test("the byte walk answers as the globs of the definition", arguments: table.map(\.0) + [
        "svc/tes", "pytest.ini", "svc/Test_x.py", "test/", "a/test", "tests/tests", "test/test_a.py", "x/test_y/z.py",
        "svc/tests.d/a.py", "svc/my_tests/a.py", "test_a.py/b", "conftest.py/x.txt", "a/_test.py",
    ])
    func matchesGlobs(_ path: String) {
        // Globs skip empty segments too, but a path with a leading `/` is not relative: left out.
        guard !path.hasPrefix("/") else { return }
        #expect(TestFiles.contains(path) == Self.globs.contains { $0.matchesWholePath(path) }, "\(path.debugDescription)")
    }
}
