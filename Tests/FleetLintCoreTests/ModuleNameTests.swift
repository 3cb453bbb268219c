@testable import FleetLintCore
import Testing
import TestSupport

/// `PythonFile.moduleName(forPath:)` works on bytes; it must agree with the plain definition over Characters.
@Suite("Module names of paths")
struct ModuleNameTests {
    static func reference(_ path: String) -> (name: String, isPackage: Bool) {
        var parts = path.split(separator: "/").map(String.init)
        guard var last = parts.popLast() else { return (path, false) }
        if last.hasSuffix(".pyi") { last.removeLast(4) } else if last.hasSuffix(".py") { last.removeLast(3) }
        if last == "__init__" { return (parts.joined(separator: "."), true) }
        return ((parts + [last]).joined(separator: "."), false)
    }

    @Test("examples")
    func examples() {
        #expect(PythonFile.moduleName(forPath: "svc/app/main.py") == ("svc.app.main", false))
        #expect(PythonFile.moduleName(forPath: "svc/app/__init__.py") == ("svc.app", true))
        #expect(PythonFile.moduleName(forPath: "__init__.py") == ("", true))
        #expect(PythonFile.moduleName(forPath: "stubs/api.pyi") == ("stubs.api", false))
        #expect(PythonFile.moduleName(forPath: "a//b/./c.py") == ("a.b...c", false))
        #expect(PythonFile.moduleName(forPath: "") == ("", false))
        #expect(PythonFile.moduleName(forPath: "/") == ("/", false))
    }

    @Test("agrees with the Character-based definition on generated paths")
    func differential() {
        let pieces = ["a", "pkg", "__init__", "__init__.py", ".py", ".pyi", "x.py", "y.pyi", "é", "café.py", "/", "//", ".", "py", "日本.py", "e\u{301}.py"]
        var g = SeededGenerator(seed: 11)
        for _ in 0..<5_000 {
            let path = (0..<Int.random(in: 0...5, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            let got = PythonFile.moduleName(forPath: path), want = Self.reference(path)
            #expect(got.name == want.name && got.isPackage == want.isPackage, "\(path)")
        }
    }
}
