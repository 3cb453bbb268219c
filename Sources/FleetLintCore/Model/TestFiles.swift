import FleetLintSyntax

/// Which repository paths are test code, for everything that treats tests apart: `missing-dependency` (a missing
/// import in a test file fails the test run, not a service: reported as a warning), `fixed-sleep-retry` (its findings
/// in test files take `test-severity`) and the adoption figures (test files counted apart).
///
/// A path is a test file when
/// - a directory above it is named `tests` or `test` (at any depth: `tests/a.py`, `svc/test/unit/a.py`), or
/// - its file name is `test_*.py`, `*_test.py` or `conftest.py` (pytest's default discovery and its fixtures file).
///
/// Names compare by their bytes, case-sensitively (`Tests/`, `Test_a.py` are not tests; neither is `testing/` nor a
/// stub `test_a.pyi`). Empty segments (`a//tests/x.py`, a leading `/`) are skipped, and the last non-empty segment is
/// the file name: a path ending in `tests` or `tests/` names no file below that directory.
public enum TestFiles {
    /// Whether `path` (repository-relative, `/`-separated) is a test file.
    public static func contains(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { contains(bytes: $0) }
    }

    /// `contains` on a path's UTF-8 bytes. Asked for every Python file a rule reports on: every criterion has the
    /// bytes `test` (`tests`, `test`, `test_`, `_test.py`, `conftest.py`), so most paths are answered by that search
    /// alone; the rest are walked once, without splitting them into strings.
    public static func contains(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard mentionsTest(b) else { return false }
        let slash = UInt8(ascii: "/")
        var end = b.count
        while end > 0, b[end - 1] == slash { end -= 1 }
        var start = end
        while start > 0, b[start - 1] != slash { start -= 1 }
        if isTestFileName(b, start..<end) { return true }
        var i = 0
        while i < start {
            var j = i
            while j < start, b[j] != slash { j += 1 }
            if equals(b, i..<j, "tests") || equals(b, i..<j, "test") { return true }
            i = j + 1
        }
        return false
    }

    /// `test_*.py`, `*_test.py` or `conftest.py`.
    static func isTestFileName(_ b: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        // `test_.py` and `_test.py` (8 bytes) are the shortest names of the first two forms.
        guard name.count >= 8 else { return false }
        let suffixPy = b.hasBytes(".py", at: name.upperBound - 3)
        if suffixPy, b.hasBytes("test_", at: name.lowerBound) { return true }
        if b.hasBytes("_test.py", at: name.upperBound - 8) { return true }
        return equals(b, name, "conftest.py")
    }

    /// Whether the bytes in `r` are `literal`.
    @inline(__always)
    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ literal: StaticString) -> Bool {
        r.count == literal.utf8CodeUnitCount && b.hasBytes(literal, at: r.lowerBound)
    }

    /// Whether the bytes hold `test`.
    static func mentionsTest(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 4 else { return false }
        for i in 0...(b.count - 4) where b[i] == 0x74 && b[i + 1] == 0x65 && b[i + 2] == 0x73 && b[i + 3] == 0x74 { return true }
        return false
    }
}
