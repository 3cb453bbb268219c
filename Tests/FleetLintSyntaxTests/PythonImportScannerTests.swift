import Foundation
import Testing
import TestSupport
@testable import FleetLintSyntax

/// `PythonImportScanner` must give exactly the import facts of the full front end (`PythonSemanticModel.imports`).
struct PythonImportScannerTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = here.deletingLastPathComponent().deletingLastPathComponent()

    static func pyFiles(under dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "py" }.sorted { $0.path < $1.path }
    }

    /// The corpora of `PythonDifferentialTests` and every Python file under `fixtures/`.
    static var corpus: [URL] {
        pyFiles(under: here.appendingPathComponent("Vectors/python/corpus")) + pyFiles(under: repoRoot.appendingPathComponent("fixtures"))
    }

    static func full(_ b: [UInt8], _ name: String? = "pkg.sub.mod", _ isPackage: Bool = false) -> [PyImportFact] {
        PythonSemanticModel(module: PythonParser.parse(b), moduleName: name, isPackage: isPackage).imports.map(PyImportFact.init)
    }

    static func expectSame(_ b: [UInt8], _ label: String, _ name: String? = "pkg.sub.mod", _ isPackage: Bool = false) -> Bool {
        let want = full(b, name, isPackage), got = PythonImportScanner.scan(b, moduleName: name, isPackage: isPackage)
        #expect(got == want, "\(label)")
        // The statements-only walk over the full tree (`PyImportCollector`) gives the model's records too.
        let fromFull = PythonImportScanner.containsImportKeyword(b)
            ? PyImportCollector.imports(of: PythonParser.parse(b), moduleName: name, isPackage: isPackage).map(PyImportFact.init) : []
        #expect(fromFull == want, "\(label) (from the full tree)")
        // One tokenization, no full tree: the same records, and exactly the full parse's problems and comments.
        let lean = PythonImportScanner.recordsAndProblems(b, moduleName: name, isPackage: isPackage)
        let parsed = PythonParser.parse(b)
        let leanFacts = lean.records.map(PyImportFact.init)
        #expect(leanFacts == want, "\(label) (records and problems)")
        #expect(lean.problems == parsed.problems, "\(label) (problems without the tree)")
        let sameComments = lean.comments.map(Self.key) == parsed.comments.map(Self.key)
        #expect(sameComments, "\(label) (comments without the tree)")
        return got == want && fromFull == want && leanFacts == want && lean.problems == parsed.problems && sameComments
    }

    static func key(_ t: PyToken) -> [Int] { [t.start, t.end, t.range.start.line, t.range.start.column, t.range.end.line, t.range.end.column] }

    @Test func agreesWithTheSemanticModelOnEveryCorpusFile() throws {
        let files = Self.corpus
        #expect(files.count >= 300)
        var withImports = 0
        for f in files {
            let b = [UInt8](try Data(contentsOf: f))
            _ = Self.expectSame(b, f.path)
            _ = Self.expectSame(b, f.path + " (package, no module name)", nil, true)
            if !Self.full(b).isEmpty { withImports += 1 }
        }
        #expect(withImports >= 100)
    }

    /// Broken files: error recovery must drop and keep the same import statements in both modes.
    @Test func agreesOnMutatedCorpusFiles() throws {
        var rng = SeededGenerator(seed: 7)
        let alphabet: [UInt8] = Array("()[]{}:;'\"\\\n\t =#f@*,.".utf8) + Array(" import ".utf8) + [0xC3, 0xA9, 0x0C, 0x0D]
        var runs = 0
        for f in Self.corpus where runs < 4_000 {
            let bytes = [UInt8](try Data(contentsOf: f))
            guard PythonImportScanner.containsImportKeyword(bytes) else { continue }
            for _ in 0..<12 {
                var b = bytes
                switch rng.next() % 4 {
                case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count + 1))))
                case 1: for _ in 0..<(1 + rng.next() % 5) where !b.isEmpty { b[Int(rng.next() % UInt64(b.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                case 2: for _ in 0..<(1 + rng.next() % 5) { b.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: Int(rng.next() % UInt64(b.count + 1))) }
                default: if b.count > 2 { let i = Int(rng.next() % UInt64(b.count - 1)); b.remove(at: i); b.remove(at: i) }
                }
                if !Self.expectSame(b, "\(f.lastPathComponent) mutation \(runs)") {
                    print(String(decoding: b, as: UTF8.self)); return
                }
                runs += 1
            }
        }
        #expect(runs >= 1_000)
    }

    @Test func contextsGuardsAndTypeChecking() {
        let src = """
            from __future__ import annotations
            import os, sys as system
            from . import sibling
            from ..parent import (a as b, c)
            try:
                import ujson as json
            except ImportError:
                import json
            try:
                from yaml import CSafeLoader
            except (ValueError, ModuleNotFoundError):
                pass
            try:
                import a1
            except:
                pass
            try:
                import a2
            except ValueError:
                import a3
            if TYPE_CHECKING:
                from typing import Protocol
            elif typing.TYPE_CHECKING:
                import nope
            else:
                import x; import y
            class C:
                import in_class
                def m(self):
                    import in_method
                    try:
                        import t1
                    except Exception:
                        pass
            async def f():
                if x: import inline
                with open(p) as fh: from q import r
                match cmd:
                    case "go" if ok:
                        import in_match
            x = 1; import after_semicolon
            y = 1 +; import dropped_with_its_line
            if x: 1 +
            else: import dropped_with_the_if
            def broken(:
                import in_orphan_block
            """
        #expect(Self.expectSame(Array(src.utf8), "hand-written"))
        let facts = PythonImportScanner.scan(Array(src.utf8), moduleName: "pkg.sub.mod")
        let by = Dictionary(facts.map { ($0.names.first?.name ?? $0.module, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(by["ujson"]?.isGuardedByTry == true && by["ujson"]?.guardedBy == "ImportError")
        #expect(by["json"]?.isGuardedByTry == false)
        #expect(by["CSafeLoader"]?.guardedBy == "ModuleNotFoundError")
        #expect(by["a1"]?.guardedBy == "except")
        #expect(by["a2"]?.isGuardedByTry == false)
        #expect(by["Protocol"]?.isTypeCheckingOnly == true)
        #expect(by["nope"]?.isTypeCheckingOnly == true)
        #expect(by["x"]?.isTypeCheckingOnly == false)
        #expect(by["in_class"]?.context == .class)
        #expect(by["in_method"]?.context == .function)
        #expect(by["t1"]?.guardedBy == "Exception")
        #expect(by["after_semicolon"] != nil)
        #expect(by["dropped_with_its_line"] == nil)
        #expect(by["sibling"]?.names.first?.qualifiedName == "pkg.sub.sibling")
        #expect(by["a"]?.names.first?.qualifiedName == "pkg.parent.a")
        #expect(by["in_match"] != nil)
    }

    @Test func hostileInputs() {
        let cases = [
            "import os\nx = " + Array(repeating: "1", count: 14_000).joined(separator: "+") + "\nimport sys\n",
            "if x:\n    import a\n" + (0..<2_000).map { "elif x == \($0):\n    import m\($0)\n" }.joined(),
            String(repeating: "(", count: 10_000) + "\nimport os\n",
            "import os\n" + String(repeating: "f'{", count: 500) + "\nimport sys\n",
        ]
        for (k, c) in cases.enumerated() { #expect(Self.expectSame(Array(c.utf8), "hostile \(k)")) }
    }

    @Test func factsRoundTripThroughJSON() throws {
        let facts = PythonImportScanner.scan(Array("try:\n    from .x import y as z\nexcept ImportError:\n    pass\n".utf8), moduleName: "p.m")
        let data = try JSONEncoder().encode(facts)
        #expect(try JSONDecoder().decode([PyImportFact].self, from: data) == facts)
        #expect(facts.first?.names.first?.qualifiedName == "p.x.y")
    }

    @Test func wholeWordImportCheck() {
        #expect(PythonImportScanner.containsImportKeyword(Array("import".utf8)))
        #expect(PythonImportScanner.containsImportKeyword(Array("x;import os".utf8)))
        #expect(!PythonImportScanner.containsImportKeyword(Array("reimport = importlib; imports".utf8)))
        #expect(PythonImportScanner.scan(Array("x = importlib.import_module('a')\n".utf8)).isEmpty)
    }
}

extension PythonImportScannerTests {
    @Test func importRightAfterAByteOrderMark() {
        let b: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("import sys\n".utf8)
        #expect(PythonImportScanner.scan(b).map(\.module) == ["sys"])
    }
}

/// The problems-only parse (`recordsAndProblems`, which keeps no tree and builds stand-in nodes) must report exactly
/// the full parse's problems, positions included, on input made to hit every check the parser makes of its nodes.
extension PythonImportScannerTests {
    /// Full parse and problems-only parse of `src` on a small stack (deep inputs), compared.
    static func expectSameProblems(_ src: String, _ label: String) {
        let b = Array(src.utf8)
        nonisolated(unsafe) var full: [ParseProblem] = [], lean: [ParseProblem] = []
        PythonHardeningTests.onSmallStack {
            full = PythonParser.parse(b).problems
            lean = PythonImportScanner.recordsAndProblems(b).problems
        }
        #expect(lean == full, "\(label)")
    }

    @Test("invalid targets of every kind are reported alike without the tree")
    func invalidTargets() {
        let targets = ["f()", "a + b", "-a", "a and b", "a < b", "lambda: 1", "(x := 1)", "1", "'s'", "f'{x}'", "a if b else c",
                       "[x for x in y]", "{a: b}", "{a}", "(x for x in y)", "await x", "a.b", "a[0]", "a[1:2]", "(a, f())",
                       "[a, (b, 1)]", "*a", "(*a, b.c)", "...", "None", "{**a}", "a.b.c()", "x[0]()", "(yield)"]
        var src = ""
        for t in targets {
            src += "\(t) = 1\n\(t) += 1\n\(t): int = 1\ndel \(t)\nfor \(t) in x: pass\nwith a as \(t): pass\n"
            src += "[\(t) for \(t) in y]\nx = \(t)\n"
        }
        Self.expectSameProblems(src, "targets")
        for t in targets { Self.expectSameProblems("\(t) = 1\n", t) }
    }

    @Test("too-deep expressions and elif chains are reported alike without the tree", arguments: PythonHardeningTests.chainKinds)
    func tooDeep(kind: String) {
        Self.expectSameProblems("import os\n" + PythonHardeningTests.chain(kind, 14_000) + "ok()\n", kind)
        Self.expectSameProblems("import os\n" + PythonHardeningTests.chain(kind, 900) + "ok()\n", kind + " (below the limit)")
        // Tall expressions under nested blocks reach the limit sooner.
        let nested = (0..<120).map { String(repeating: " ", count: $0) + "if x:\n" }.joined()
        Self.expectSameProblems(nested + String(repeating: " ", count: 120) + PythonHardeningTests.chain(kind, 950), kind + " (nested)")
    }

    @Test func longElifChainsAndDeepBrackets() {
        Self.expectSameProblems("if x == 0:\n    pass\n" + (1..<1_200).map { "elif x == \($0):\n    f\($0)()\n" }.joined() + "import os\n", "elif")
        Self.expectSameProblems(String(repeating: "(", count: 120) + "x" + String(repeating: ")", count: 120) + "\nok()\n", "brackets")
        Self.expectSameProblems("f'{x:" + String(repeating: "{y:", count: 200) + String(repeating: "}", count: 201) + "'\n", "f-string")
        Self.expectSameProblems("x = f(" + String(repeating: "g(", count: 995) + "1" + String(repeating: ")", count: 996) + "\n", "calls")
    }

    /// Random token soup with line structure: most lines are broken in some way.
    @Test func randomTokenSoup() {
        var rng = SeededGenerator(seed: 11)
        let vocabulary = ["x", "f", "a.b", "(", ")", "[", "]", "{", "}", ":", ",", "=", "+=", "+", "-", "*", "**", "<", "==", "not",
                          "in", "is", "and", "or", "if", "else", "for", "lambda", "await", "yield", "del", "return", "import",
                          "from", ".", "as", "1", "'s'", "f'{x}'", "...", ":=", "@", "def", "class", "try", "except", "with",
                          "async", "match", "case", "global", "pass", "->", ";", "\\", "None", "print(x)", "*a", "**k"]
        for n in 0..<1_500 {
            var src = ""
            for _ in 0..<(1 + rng.next() % 8) {
                src += String(repeating: "    ", count: Int(rng.next() % 3))
                for _ in 0..<(1 + rng.next() % 9) { src += vocabulary[Int(rng.next() % UInt64(vocabulary.count))] + " " }
                src += "\n"
            }
            Self.expectSameProblems(src, "soup \(n): \(src)")
        }
    }
}
