@testable import FleetLintCore
import FleetLintRules
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

/// The import-context fact (`ImportContextFact`) is worked out by the analyser from whichever tree it has (the full
/// tree with its semantic model's calls, or the imports-only tree), and must say exactly what a walk over every node
/// of the full tree says (the way `missing-dependency` read it before it was a fact).
@Suite("Import context facts")
struct ImportContextTests {
    /// The reference: every node of the full tree, visited by `PyWalker`.
    struct Reference {
        var deadFallbackLines = Set<Int>()
        var extendsSysPath = false

        init(_ source: [UInt8], isStandardLibrary: (String) -> Bool) {
            let module = PythonParser.parse(source)
            func importedModules(_ s: PyStmt) -> [String] {
                switch s.kind {
                case .import(let names): return names.map(\.name)
                case .importFrom(let m, _, let level): return level == 0 ? [m ?? ""] : []
                default: return []
                }
            }
            func isSysPath(_ e: PyExpr) -> Bool {
                if case .attribute(let v, "path") = e.kind, case .name("sys") = v.kind { return true }
                return false
            }
            var dead = Set<Int>(), sysPath = false
            PyWalker.walk(module.body) { node, _ in
                switch node {
                case .stmt(let s):
                    switch s.kind {
                    case .try(let body, let handlers, _, _, _):
                        let guarded = body.flatMap(importedModules)
                        if !guarded.isEmpty, guarded.allSatisfy({ !$0.isEmpty && isStandardLibrary($0) }) {
                            for h in handlers {
                                PyWalker.walk(h.body) { inner, _ in
                                    if case .stmt(let x) = inner, !importedModules(x).isEmpty { dead.insert(x.range.start.line) }
                                    return true
                                }
                            }
                        }
                    case .assign(let targets, _): if targets.contains(where: isSysPath) { sysPath = true }
                    case .augAssign(let target, _, _): if isSysPath(target) { sysPath = true }
                    default: break
                    }
                case .expr(let e):
                    if case .call(let f, _, _) = e.kind, case .attribute(let v, let attr) = f.kind {
                        if isSysPath(v), ["insert", "append", "extend"].contains(attr) { sysPath = true }
                        if attr == "addsitedir", case .name("site") = v.kind { sysPath = true }
                    }
                case .handler: break
                }
                return true
            }
            deadFallbackLines = dead
            extendsSysPath = sysPath
        }
    }

    /// Two targets: one whose standard library has every module, one with a few.
    static let targets: [(String) -> Bool] = [{ _ in true }, { ["zoneinfo", "json", "tomllib", "os", "sys"].contains($0) }]

    /// The facts of both analyser paths, checked against the reference; false when one differs.
    @discardableResult
    static func expectSame(_ b: [UInt8], _ label: String) -> Bool {
        let module = PythonParser.parse(b)
        let semantic = PythonSemanticModel(module: module, moduleName: "pkg.mod")
        let full = PythonFactsExtractor.importContext(module.body, source: b, imports: semantic.imports, calls: { visit in for c in semantic.calls where visit(c.call) { break } })
        let (records, tree) = PythonImportScanner.recordsAndTree(b, moduleName: "pkg.mod")
        let lean = PythonFactsExtractor.importContext(importsOnlyTree: tree, source: b, imports: records)
        var same = true
        for (k, isStandardLibrary) in targets.enumerated() {
            let want = Reference(b, isStandardLibrary: isStandardLibrary)
            let fullOK = full.extendsSysPath == want.extendsSysPath
                && full.deadFallbackLines(isStandardLibrary: isStandardLibrary) == want.deadFallbackLines
            #expect(fullOK, "\(label): full tree, target \(k)")
            // Without imports the file has nothing the context qualifies (it is never read).
            let leanOK = records.isEmpty || lean.extendsSysPath == want.extendsSysPath
                && lean.deadFallbackLines(isStandardLibrary: isStandardLibrary) == want.deadFallbackLines
            #expect(leanOK, "\(label): imports-only tree, target \(k)")
            same = same && fullOK && leanOK
        }
        return same
    }

    static var corpus: [URL] {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = here.deletingLastPathComponent().deletingLastPathComponent()
        var out: [URL] = []
        for dir in [root.appendingPathComponent("Tests/FleetLintSyntaxTests/Vectors/python/corpus"), root.appendingPathComponent("fixtures")] {
            guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { continue }
            out += e.compactMap { $0 as? URL }.filter { $0.pathExtension == "py" }
        }
        return out.sorted { $0.path < $1.path }
    }

    @Test("dead fallbacks and sys.path edits, in each place they can be written")
    func cases() {
        let cases: [(String, [Int], Bool)] = [
            ("try:\n    import zoneinfo\nexcept ImportError:\n    import pytz\n", [4], false),
            ("try:\n    import zoneinfo, json\nexcept ImportError:\n    if x:\n        from backports import zoneinfo\n", [5], false),
            ("try:\n    from . import local\nexcept ImportError:\n    import pytz\n", [], false),
            ("try:\n    import zoneinfo\n    from . import x\nexcept ValueError:\n    import pytz\n    from . import y\n", [5], false),
            ("def f():\n    try:\n        import tomllib\n    except ImportError:\n        import tomli as tomllib\n", [5], false),
            ("import sys\nsys.path.insert(0, '..')\n", [], true),
            ("import sys\nsys.path.remove('..')\nos.sys.path.append(1)\n", [], false),
            ("import sys\nclass A:\n    def f(self):\n        sys.path += ['x']\n", [], true),
            ("import sys\na = sys.path = []\n", [], true),
            ("import site\nsite.addsitedir('d')\n", [], true),
            ("import sys\nx = f\"{sys.path.append(1)}\"\n", [], true),
            ("import sys\nf(lambda: sys.path.extend([]))\n", [], true),
            ("import sys\nif sys.path.append(1): pass\n", [], true),
            ("import sys\n@deco(sys.path.append(1))\ndef g(): pass\n", [], true),
            ("import sys\nsys . path . append(\n    1)\n", [], true),
            ("import sys\nsys.path\n", [], false),
        ]
        for (source, dead, sysPath) in cases {
            let b = Array(source.utf8)
            Self.expectSame(b, source)
            let (records, tree) = PythonImportScanner.recordsAndTree(b)
            let lean = PythonFactsExtractor.importContext(importsOnlyTree: tree, source: b, imports: records)
            #expect(lean.deadFallbackLines(isStandardLibrary: Self.targets[1]) == Set(dead), "\(source)")
            #expect(lean.extendsSysPath == sysPath, "\(source)")
        }
    }

    @Test("both analyser paths agree with a walk over every node, on every corpus file and on mutations of them")
    func corpusAndMutations() throws {
        let files = Self.corpus
        #expect(files.count >= 300)
        let snippets = [
            "sys.path.insert(0, 'x')\n", "    sys.path += ['y']\n", "f(lambda: sys.path.append(1))\n", "x = f\"{sys.path.extend([])}\"\n",
            "site.addsitedir('d')\n", "a = sys.path = []\n", "if sys.path.append(1): pass\n", "os.sys.path.append(1)\n",
            "try:\n    import json\nexcept ImportError:\n    import simplejson as json\n",
            "try:\n  import zoneinfo\nexcept Exception:\n  try:\n    import pytz\n  except ImportError:\n    pytz = None\n",
            "sys.path.remove(1)\n", "import sys\n", "(\n", "\"\"\"\n",
        ].map { Array($0.utf8) }
        var rng = SeededGenerator(seed: 11)
        var runs = 0
        for f in files {
            let bytes = [UInt8](try Data(contentsOf: f))
            guard Self.expectSame(bytes, f.path) else { return }
            guard !PythonImportScanner.recordsAndTree(bytes).records.isEmpty else { continue }
            for _ in 0..<3 {
                var b = bytes
                let lineStarts = [0] + b.indices.filter { b[$0] == 0x0A }.map { $0 + 1 }
                for _ in 0..<(1 + rng.next() % 3) {
                    let at = lineStarts[Int(rng.next() % UInt64(lineStarts.count))]
                    b.insert(contentsOf: snippets[Int(rng.next() % UInt64(snippets.count))], at: min(at, b.count))
                }
                if !Self.expectSame(b, "\(f.lastPathComponent) mutation \(runs)") {
                    print(String(decoding: b, as: UTF8.self)); return
                }
                runs += 1
            }
        }
        #expect(runs >= 300)
    }

    @Test("the import context survives the cache codec, and the analyser fills it on both paths")
    func codecAndAnalyser() throws {
        let source = "import sys\nsys.path.append('..')\ntry:\n    import zoneinfo\nexcept ImportError:\n    import pytz\n"
        // The default rules parse the file in full only when a file rule's keyword occurs: `requests` makes one.
        for text in [source, source + "import requests\nrequests.get('x', timeout=1)\n"] {
            let linter = try FleetLintSetup.makeLinter(configuration: Configuration())
            let run = linter.run(MemorySnapshot(files: [("svc/app.py", text)]), rootDisplay: ".", reportOnly: nil, cache: nil)
            let facts = try #require(run.project.file("svc/app.py")?.python)
            #expect(facts.fullParse == (text != source))
            #expect(facts.importContext.extendsSysPath)
            #expect(facts.importContext.deadFallbackLines(isStandardLibrary: { $0 == "zoneinfo" }) == [6])
            #expect(facts.importContext.deadFallbackLines(isStandardLibrary: { _ in false }).isEmpty)
            let back = try #require(FactsCodec.decode(FactsCodec.encode(facts)[...], path: "svc/app.py", blob: nil)?.python)
            #expect(back.importContext == facts.importContext)
        }
    }
}
