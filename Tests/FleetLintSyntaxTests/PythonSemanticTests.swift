import Testing
@testable import FleetLintSyntax

struct PythonSemanticTests {
    static func model(_ src: String, moduleName: String? = nil, isPackage: Bool = false) -> PythonSemanticModel {
        PythonSemanticModel(module: PythonParser.parse(src), moduleName: moduleName, isPackage: isPackage)
    }

    /// Qualified name of the call whose callee text is `callee` (the last such call).
    static func resolve(_ src: String, _ callee: String, moduleName: String? = nil) -> String?? {
        let m = model(src, moduleName: moduleName)
        guard let c = m.calls.last(where: { $0.calleeText == callee }) else { return .none }
        return .some(c.qualifiedName)
    }

    @Test(arguments: [
        ("import google.cloud.bigquery as bq\nbq.Client()\n", "bq.Client", "google.cloud.bigquery.Client"),
        ("from google.cloud import bigquery as bq\nbq.Client()\n", "bq.Client", "google.cloud.bigquery.Client"),
        ("from requests import get as fetch\nfetch(u)\n", "fetch", "requests.get"),
        ("import google.cloud.bigquery\ngoogle.cloud.bigquery.Client()\n", "google.cloud.bigquery.Client", "google.cloud.bigquery.Client"),
        ("import requests\nrequests.get('u')\n", "requests.get", "requests.get"),
        ("import requests\ndef get(): ...\nget()\n", "get", nil),
        ("from requests import get\ndef get(): ...\nget()\n", "get", nil),
        ("import requests\nrequests.Session().get('u')\n", "requests.Session().get", nil),
        ("import requests\ngetattr(requests, 'get')('u')\n", "getattr", "getattr"),
        ("from google.cloud.bigquery.client import Client\nClient()\n", "Client", "google.cloud.bigquery.Client"),
        ("from requests.api import post\npost(u)\n", "post", "requests.post"),
        ("import requests.api as ra\nra.delete(u)\n", "ra.delete", "requests.delete"),
        ("import time as t\nt.sleep(1)\n", "t.sleep", "time.sleep"),
        ("from time import sleep\nsleep(1)\n", "sleep", "time.sleep"),
        // parameters and local assignments shadow imports for the whole function
        ("import requests\ndef f(requests):\n    requests.get(u)\n", "requests.get", nil),
        ("import requests\ndef f():\n    requests.get(u)\n    requests = None\n", "requests.get", nil),
        ("import requests\ndef f():\n    x = 1\n    requests.get(u)\n", "requests.get", "requests.get"),
        // function-local imports are visible from their position on
        ("def f():\n    get(1)\n    from requests import get\n", "get", nil),
        ("def f():\n    from requests import get\n    get(1)\n", "get", "requests.get"),
        // module-level imports are visible file-wide (from functions defined earlier, inside try/if)
        ("def f():\n    requests.get(u)\ntry:\n    import requests\nexcept ImportError:\n    requests = None\n", "requests.get", "requests.get"),
        ("if True:\n    import requests\nrequests.get(u)\n", "requests.get", "requests.get"),
        // class bodies are invisible to methods
        ("import requests\nclass C:\n    requests = 1\n    def m(self):\n        requests.get(u)\n", "requests.get", "requests.get"),
        ("class C:\n    from requests import get\n    def m(self):\n        get(u)\n", "get", nil),
        ("class C:\n    from requests import get\n    get(u)\n", "get", "requests.get"),
        // global / nonlocal
        ("import requests\ndef f():\n    global requests\n    requests.get(u)\n    requests = 2\n", "requests.get", "requests.get"),
        ("def outer():\n    import requests\n    def inner():\n        requests.get(u)\n    return inner\n", "requests.get", "requests.get"),
        ("def outer():\n    import requests as r\n    def inner():\n        nonlocal r\n        r.get(u)\n", "r.get", "requests.get"),
        // comprehension and lambda scopes
        ("import requests\n[requests.get(x) for x in xs]\n", "requests.get", "requests.get"),
        ("import requests\n[requests.get(x) for requests in xs]\n", "requests.get", nil),
        ("import requests\nf = lambda requests: requests.get(u)\n", "requests.get", nil),
        ("import requests\nf = lambda: requests.get(u)\n", "requests.get", "requests.get"),
        ("unknown.call()\n", "unknown.call", nil),
    ] as [(String, String, String?)])
    func resolution(_ src: String, _ callee: String, _ expected: String?) {
        let r = Self.resolve(src, callee)
        #expect(r != .none, "call \(callee) not found")
        #expect(r == .some(expected))
    }

    @Test(arguments: [
        ("pkg.sub.mod", false, "from . import x\nx.run()\n", "x.run", "pkg.sub.x.run"),
        ("pkg.sub.mod", false, "from ..util import helper\nhelper()\n", "helper", "pkg.util.helper"),
        ("pkg.sub", true, "from .mod import f\nf()\n", "f", "pkg.sub.mod.f"),
        ("pkg.mod", false, "def local(): ...\nlocal()\n", "local", "pkg.mod.local"),
    ] as [(String, Bool, String, String, String)])
    func relativeImports(_ module: String, _ isPackage: Bool, _ src: String, _ callee: String, _ expected: String) {
        let m = Self.model(src, moduleName: module, isPackage: isPackage)
        #expect(m.calls.first { $0.calleeText == callee }?.qualifiedName == expected)
    }

    @Test func relativeImportWithoutModuleNameKeepsDots() {
        let m = Self.model("from ..util import helper\nhelper()\n")
        #expect(m.calls.first?.qualifiedName == "..util.helper")
    }

    @Test func importRecords() {
        let src = """
        import os, os.path as osp
        from ..x import (a as b, c)
        try:
            import ujson as json
        except ImportError:
            import json
        try:
            import yaml
        except OSError:
            pass
        if TYPE_CHECKING:
            from typing import Any
        if typing.TYPE_CHECKING:
            import collections
        def f():
            import time
        class C:
            import re

        """
        let m = PythonSemanticTests.model(src)
        let byModule = Dictionary(grouping: m.imports, by: { $0.module })
        #expect(m.imports.count == 10)
        #expect(byModule["os.path"]?.first?.names.first?.asName == "osp")
        let rel = byModule["x"]?.first
        #expect(rel?.level == 2 && rel?.isFrom == true && rel?.names.map(\.name) == ["a", "c"] && rel?.names.first?.asName == "b")
        #expect(byModule["ujson"]?.first?.isGuardedByTry == true)
        #expect(byModule["json"]?.first?.isGuardedByTry == false)
        #expect(byModule["yaml"]?.first?.isGuardedByTry == false)
        #expect(byModule["typing"]?.first?.isTypeCheckingOnly == true)
        #expect(byModule["collections"]?.first?.isTypeCheckingOnly == true)
        #expect(byModule["time"]?.first?.context == .function)
        #expect(byModule["re"]?.first?.context == .class)
        #expect(byModule["os"]?.first?.isTopLevel == true)
        #expect(byModule["ujson"]?.first?.range.start == SourceLocation(line: 4, column: 5))
    }

    @Test func callContext() {
        let src = """
        import time, requests
        setup()
        class K:
            attr = make()
        def retry(fn):
            for i in range(3):
                try:
                    return fn()
                except Exception:
                    time.sleep(2)
            while True:
                g = lambda: inner()
        """
        let m = Self.model(src + "\n")
        func call(_ t: String) -> PyCallRecord? { m.calls.first { $0.calleeText == t } }
        #expect(call("setup")?.isModuleLevel == true)
        #expect(call("make")?.isModuleLevel == true)
        #expect(call("fn")?.isModuleLevel == false)
        #expect(call("fn")?.enclosingFunctions.map(\.name) == ["retry"])
        #expect(call("fn")?.enclosingLoops.count == 1)
        #expect(call("fn")?.inExceptHandler == false)
        let sleep = call("time.sleep")
        #expect(sleep?.inExceptHandler == true)
        #expect(sleep?.qualifiedName == "time.sleep")
        if case .for = sleep?.enclosingLoops.first?.kind {} else { Issue.record("loop is not the for statement") }
        #expect(call("inner")?.inLambda == true)
        #expect(call("inner")?.enclosingLoops.count == 1)
        #expect(call("range")?.enclosingLoops.isEmpty == true)
        #expect(call("range")?.qualifiedName == "range")
    }

    @Test func classesAndFunctions() {
        let src = """
        import abc
        from google.cloud import bigquery
        class A(abc.ABC, bigquery.Client, Local, metaclass=abc.ABCMeta):
            def m(self): ...
            async def n(self): ...
        def top(): ...
        """
        let m = Self.model(src + "\n")
        #expect(m.classes.first?.baseQualifiedNames == ["abc.ABC", "google.cloud.bigquery.Client", nil])
        #expect(m.functions.map(\.def.name) == ["m", "n", "top"])
        #expect(m.functions.first?.enclosingClass?.name == "A")
        #expect(m.functions.last?.enclosingClass == nil)
        #expect(m.functions[1].def.isAsync)
        #expect(m.functions[0].context == .class)
    }

    @Test func lookupGivesBindingsForTracing() {
        let src = "DELAY = 5\ndef f():\n    d = DELAY\n    time.sleep(d)\n"
        let m = PythonSemanticTests.model(src)
        guard let call = m.calls.first(where: { $0.calleeText == "time.sleep" }), let arg = call.args.first,
              case .name(let n) = arg.kind else { Issue.record("no call"); return }
        let b = m.lookup(n, at: arg.byteRange.lowerBound, in: call.scope)
        guard case .assignment(let v)? = b?.kind, let v, case .name(let n2) = v.kind else { Issue.record("no binding"); return }
        let b2 = m.lookup(n2, at: v.byteRange.lowerBound, in: call.scope)
        guard case .assignment(let v2)? = b2?.kind, case .constant(.number("5"))? = v2?.kind else { Issue.record("no constant"); return }
    }

    @Test func walkerVisitsWithParents() {
        let m = PythonParser.parse("for x in y:\n    try:\n        f(g(1))\n    except E:\n        pass\n")
        var seen: [(String, Int)] = []
        PyWalker.walk(m.body) { node, parents in
            if case .expr(let e) = node, case .call(let fn, _, _) = e.kind, case .name(let n) = fn.kind { seen.append((n, parents.count)) }
            return true
        }
        #expect(seen.map(\.0) == ["f", "g"])
        #expect(seen.map(\.1) == [3, 4])  // for, try, expression statement (, call f)
    }
}

/// The storage behind the model: interned names, the (scope, name) → newest binding map, binding chains and frames.
struct PythonSemanticStoreTests {
    @Test func nameTableInternsEachNameOnceThroughGrowth() {
        var t = PyNameTable(capacity: 1)
        let names = (0..<5000).map { "n\($0)" } + ["", "é", "a.b", String(repeating: "long_identifier_", count: 8)]
        let ids = names.map { t.intern($0) }
        #expect(ids == (0..<Int32(names.count)).map { $0 })
        #expect(names.map { t.intern($0) } == ids)
        #expect(names.map { t.find($0) } == ids.map { Optional($0) })
        #expect(t.find("missing") == nil && t.find("n5000") == nil)
        #expect(t.names == names)
    }

    @Test func indexMapKeepsTheLatestValuePerKey() {
        var m = PyIndexMap(capacity: 1)
        var expected: [UInt64: Int32] = [:]
        var g = SystemRandomNumberGenerator()
        for i in 0..<20_000 {
            let k = UInt64.random(in: 0..<3000, using: &g) << 32 | UInt64.random(in: 0..<4, using: &g)
            #expect(m.set(k, Int32(i)) == (expected[k] ?? -1))
            expected[k] = Int32(i)
        }
        for (k, v) in expected { #expect(m.get(k) == v) }
        #expect(m.get(UInt64(1) << 50) == -1)
    }

    @Test func aliasFilterPassesEveryKey() {
        let keys = Array(PythonSemanticModel.defaultCanonicalAliases.keys) + ["x", "a.b.c"]
        let f = PyAliasFilter(keys)
        #expect(keys.allSatisfy(f.mayContain))
        #expect(!f.mayContain("time.sleep") || !f.mayContain("os.getenv"))
    }

    @Test(arguments: [("a.b.c", "a"), ("abc", "abc"), ("", ""), (".a.b", "a"), ("é.b", "é"), ("a..b", "a")])
    func importBindsTheFirstComponent(_ name: String, _ bound: String) {
        #expect(Binder.firstComponent(name) == bound)
        #expect(Binder.firstComponent(name) == String(name.asciiSplit(0x2E).first ?? ""))
    }

    @Test(arguments: ["", ".", "..", "a", "a.", "pkg.sub", "é.", "x\u{0600}.", "\u{0600}.", "\r\n.", "a.\u{301}", String(repeating: "long.", count: 9)])
    func memberNamesJoinLikeStringConcatenation(_ base: String) {
        #expect(PythonSemanticModel.endsWithDot(base) == base.hasSuffix("."))
        for name in ["x", "Client", "ünï", String(repeating: "y", count: 20)] {
            let expected = base.isEmpty ? name : (base.hasSuffix(".") ? base + name : base + "." + name)
            #expect(PythonSemanticModel.member(name, of: base) == expected)
            #expect(PythonSemanticModel.dotted(base, name) == base + "." + name)
        }
    }

    @Test func bindingsAreListedOldestFirstPerScope() {
        let src = "x = 1\nx = 2\ndef f(x):\n    x = 3\n    y = x\nx = 4\n"
        let m = PythonSemanticTests.model(src)
        #expect(m.moduleScope.bindings["x"]?.map(\.offset) == [5, 11, 47])
        #expect(m.moduleScope.bindings["y"] == nil)
        #expect(m.moduleScope.bindings["nowhere"] == nil)
        let fs = m.functions.first?.scope
        guard let binds = fs?.bindings["x"] else { Issue.record("no function bindings"); return }
        #expect(binds.count == 2)
        if case .parameter = binds[0].kind {} else { Issue.record("first is not the parameter") }
        #expect(fs?.bindings["y"]?.count == 1)
    }

    @Test func globalForgetsEarlierLocalBindings() {
        let src = "import requests\ndef f():\n    requests = 1\n    global requests\n    requests = 2\n    requests.get(u)\n"
        let m = PythonSemanticTests.model(src)
        #expect(m.functions.first?.scope.bindings["requests"] == nil)
        #expect(m.calls.first { $0.calleeText == "requests.get" }?.qualifiedName == "requests.get")
    }

    @Test func lookupPicksByOffsetAndDeferral() {
        let src = "try:\n    import a as m\nexcept ImportError:\n    m = None\nm.x()\ndef f():\n    m.y()\n"
        let m = PythonSemanticTests.model(src)
        // At module level the newest binding before the read wins (the fallback); a function reads later, and the
        // binding outside the `except` handler counts.
        #expect(m.calls.first { $0.calleeText == "m.x" }?.qualifiedName == nil)
        #expect(m.calls.first { $0.calleeText == "m.y" }?.qualifiedName == "a.y")
        let b = m.lookup("m", at: 0, in: m.moduleScope)
        #expect(b == nil)
        guard case .import(let q)? = m.lookup("m", at: 22, in: m.moduleScope)?.kind else { Issue.record("no import"); return }
        #expect(q == "a")
    }

    @Test func callRecordsReadTheirContextThroughFrames() {
        let src = """
        for i in xs:
            a()
            def f():
                b()
                while t():
                    for j in ys:
                        c()
                    d()
            e()
        g()
        """
        let m = PythonSemanticTests.model(src + "\n")
        func call(_ t: String) -> PyCallRecord? { m.calls.first { $0.calleeText == t } }
        func loops(_ t: String) -> [Int] { call(t)?.enclosingLoops.map(\.range.start.line) ?? [-1] }
        #expect(loops("a") == [1] && loops("b") == [] && loops("t") == [5] && loops("c") == [5, 6] && loops("d") == [5])
        #expect(loops("e") == [1] && loops("g") == [])
        #expect(call("c")?.enclosingFunctions.map(\.name) == ["f"] && call("e")?.enclosingFunctions.isEmpty == true)
        #expect(call("a")?.isModuleLevel == true && call("b")?.isModuleLevel == false)
        #expect(call("c")?.args.isEmpty == true && call("c")?.keywords.isEmpty == true && call("c")?.calleeText == "c")
        #expect(m.calls.map(\.calleeText) == ["a", "b", "t", "c", "d", "e", "g"])
    }

    @Test func aModelFreesDeeplyNestedScopes() {
        // 40 nested functions: the scopes are released innermost first, not in a chain of 40 releases.
        var src = ""
        for d in 0..<40 { src += String(repeating: " ", count: d) + "def f\(d)():\n" }
        src += String(repeating: " ", count: 40) + "g()\n"
        let m = PythonParser.parse(src)
        #expect(m.problems.isEmpty, "\(m.problems.first.map { "\($0.message) \($0.range)" } ?? "")")
        var sem: PythonSemanticModel? = PythonSemanticModel(module: m)
        #expect(sem?.calls.first?.enclosingFunctions.count == 40)
        sem = nil
        #expect(sem == nil)
    }

    /// Names are looked up as Swift strings compare them (canonical equivalence, as the `[String: …]` tables did, and
    /// as Python's NFKC normalisation of identifiers makes them one name): `é` spelled precomposed where it is bound
    /// and decomposed where it is used is one binding.
    @Test func canonicallyEquivalentNamesAreOneBinding() {
        let nfc = "r\u{E9}", nfd = "re\u{301}"
        let src = "import requests as \(nfc)\n\(nfd).get(u)\n"
        #expect(PythonSemanticTests.resolve(src, "\(nfd).get") == .some("requests.get"))
        let m = PythonSemanticTests.model(src)
        #expect(m.moduleScope.bindings[nfd]?.count == 1)
        #expect(m.moduleScope.bindings[nfc]?.count == 1)
        // The Kelvin sign is canonically `K` (an ASCII name).
        #expect(PythonSemanticTests.resolve("import requests as \u{212A}\nK.get(u)\n", "K.get") == .some("requests.get"))
    }

    /// The binder makes the import records: a class body keeps the `try` guards and `TYPE_CHECKING` around it, a def's
    /// body starts afresh, an `elif TYPE_CHECKING:` guards its own branch only, and a name is bound to the record's
    /// qualified name.
    @Test func importContextThroughClassesAndDefs() {
        let src = """
        try:
            class A:
                import ujson
                def f(self):
                    import simplejson
        except ImportError:
            pass
        if TYPE_CHECKING:
            class B:
                from typing import Any
        elif TYPE_CHECKING:
            import collections
        else:
            from .. import abc
        def g():
            class C:
                import re
        """
        let m = PythonSemanticTests.model(src, moduleName: "pkg.sub.mod")
        #expect(m.imports.map(\.module) == ["ujson", "simplejson", "typing", "collections", "", "re"])
        guard m.imports.count == 6 else { return }
        let (ujson, simplejson, typing, collections, abc, re) = (m.imports[0], m.imports[1], m.imports[2], m.imports[3], m.imports[4], m.imports[5])
        #expect(ujson.isGuardedByTry && ujson.guardedBy == "ImportError" && ujson.context == .class)
        #expect(!simplejson.isGuardedByTry && simplejson.guardedBy == nil && simplejson.context == .function)
        #expect(typing.isTypeCheckingOnly && typing.context == .class && !typing.isGuardedByTry)
        #expect(collections.isTypeCheckingOnly && collections.context == .module)
        #expect(!abc.isTypeCheckingOnly && abc.level == 2 && abc.names.first?.qualifiedName == "pkg.abc")
        #expect(re.context == .function && !re.isGuardedByTry)
        #expect(PythonSemanticTests.resolve(src + "\nabc.x()\n", "abc.x", moduleName: "pkg.sub.mod") == .some("pkg.abc.x"))
        // `from m import *` is a record (its name qualified as `m.*`) but binds nothing.
        let star = PythonSemanticTests.model("from os.path import *\n")
        #expect(star.imports.first?.names.first?.qualifiedName == "os.path.*" && star.moduleScope.hasStarImport)
        #expect(star.moduleScope.bindings["*"] == nil)
    }

    /// A name's hash depends on its bytes only: an inline ASCII string (up to 15 bytes, hashed from its two words) and
    /// the same bytes in a string with spare capacity hash alike, as do canonically equivalent spellings.
    @Test func nameHashIsAFunctionOfTheBytes() {
        for name in ["", "x", "requests", "abcdefghijklmno", "abcdefghijklmnop", "a_rather_long_identifier_name"] {
            var spare = String()
            spare.reserveCapacity(64)
            spare += name
            #expect(unsafeBitCast(spare, to: (UInt64, UInt64).self).1 >> 60 != 0xE, "\(name) is not stored inline")
            #expect(PyNameTable.hash(spare) == PyNameTable.hash(name), "\(name)")
            var t = PyNameTable()
            let id = t.intern(name)
            #expect(t.find(spare) == id, "\(name)")
        }
        #expect(PyNameTable.hash("\u{212A}") == PyNameTable.hash("K"))
        #expect(PyNameTable.hash("r\u{E9}") == PyNameTable.hash("re\u{301}"))
        #expect(PyNameTable.hash("a") != PyNameTable.hash("b"))
    }

    /// `function(_:)` answers from an index by node (it was a search of every def for every call's enclosing defs:
    /// a 200,000-line module of 100,000 defs took 6.3 s, 77 % of it there; now 0.9 s, and the times at 25,000,
    /// 50,000 and 100,000 defs, 0.19 / 0.42 / 0.90 s, are linear).
    @Test("a def's record by its node: methods, nested and decorated defs, async, defs in branches; another tree's def is not one")
    func functionRecordByNode() {
        let src = """
            import functools

            class Job:
                def run(self):
                    def inner():
                        return 1
                    return inner()

                @functools.cache
                async def fetch(self, url):
                    return url

            if True:
                def branch():
                    class Local:
                        def method(self):
                            pass
                    return Local
            else:
                def branch():
                    pass

            f = lambda: 1
            """
        let m = PythonSemanticTests.model(src)
        #expect(m.functions.count == 6)
        for record in m.functions {
            let found = m.function(record.def)
            #expect(found?.def == record.def)
            #expect(found?.def == m.functions.first { $0.def == record.def }?.def)
            #expect(found?.enclosingClass?.name == record.enclosingClass?.name)
        }
        let methods = m.functions.compactMap { r in m.function(r.def)?.enclosingClass.map { "\($0.name).\(r.def.name)" } }
        #expect(methods.sorted() == ["Job.fetch", "Job.run", "Local.method"])
        // A def of another module's tree (same index) is not this module's.
        let other = PythonSemanticTests.model("def run():\n    pass\n")
        #expect(other.function(m.functions[0].def) == nil)
        #expect(m.function(other.functions[0].def) == nil)
    }
}
