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

    func may(_ glob: Glob, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { glob.mayMatch(path: $0, name: $0) }
    }

    @Test("a name a glob may match by its literal prefix and suffix bytes is never one it matches otherwise")
    func couldMatchNameNeverRejectsAMatch() {
        let patterns = ["*.pyc", "requirements*.txt", "*requirements*.txt", "Dockerfile", "Dockerfile.*", "*.dockerfile",
                        ".env", ".env.*", "*.env", "?.py", "é*.txt", "*ü", "[ab]*.in", "a\\*b", "*", "constraints*.txt"]
        let names = ["requirements.txt", "requirements-dev.txt", "dev-requirements.txt", "Dockerfile", "Dockerfile.prod",
                     "x.dockerfile", ".env", ".env.local", "job.env", "a.py", "ab.py", "é1.txt", "e\u{301}1.txt", "xü",
                     "xu\u{308}", "a.in", "c.in", "a*b", "aXb", "", "constraints.txt", "requirements.txt\u{301}", "日本.env"]
        for p in patterns {
            let glob = Glob(p)
            for name in names where !may(glob, name) {
                #expect(!glob.matchesName(Array(name.unicodeScalars)), "\(p) \(name.debugDescription)")
            }
        }
        #expect(!may(Glob("*.txt"), "a.txtx") && may(Glob("*.txt"), "a.txt") && may(Glob("*"), ""))
        #expect(!may(Glob("Dockerfile"), "Dockerfil") && may(Glob("Dockerfile"), "Dockerfile"))
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
        // The name is cut at the last `/` by bytes; suffixes are compared by bytes.
        #expect(c.kind(of: "svc/stubs/api.pyi") == .python)
        #expect(c.kind(of: "pkg.py/readme.txt") == .text)
        #expect(c.kind(of: "app.py.bak") == .text)
        #expect(c.kind(of: "svc/pyproject.toml") == .pyproject)
        #expect(c.kind(of: "svc/old-pyproject.toml") == .text)
        #expect(c.kind(of: "dépôt/café.py") == .python)
        #expect(c.kind(of: "dépôt/.env") == .envFile)
        #expect(c.kind(of: ".py") == .python)
        #expect(c.kind(of: "svc/") == .text)
        #expect(c.kind(of: "") == .text)
    }
}

/// The automaton in `Glob.run` against the plain backtracking definition of `**`, on every small
/// pattern and path over a tiny alphabet (the backtracking version is exponential but exact).
@Suite("Glob automaton")
struct GlobAutomatonTests {
    static func reference(_ pattern: ArraySlice<[Unicode.Scalar]>, _ parts: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == ["*", "*"] {
            var p = parts
            while true {
                if reference(pattern.dropFirst(), p) { return true }
                if p.isEmpty { return false }
                p = p.dropFirst()
            }
        }
        guard let part = parts.first else { return false }
        return Glob.matchSegment(first, part) && reference(pattern.dropFirst(), parts.dropFirst())
    }

    @Test("agrees with backtracking on every pattern of up to 4 segments and path of up to 4 parts")
    func exhaustive() {
        let segments: [[Unicode.Scalar]] = [["*", "*"], ["a"], ["*"], ["b", "*"]]
        let parts: [[Unicode.Scalar]] = [["a"], ["b"], ["b", "a"]]
        func all<T>(_ items: [T], upTo n: Int) -> [[T]] {
            var out: [[T]] = [[]]
            var layer: [[T]] = [[]]
            for _ in 0..<n {
                layer = layer.flatMap { prefix in items.map { prefix + [$0] } }
                out += layer
            }
            return out
        }
        var checked = 0
        for pattern in all(segments, upTo: 4) {
            for path in all(parts, upTo: 4) {
                let whole = Self.reference(pattern[...], path[...])
                let prefix = (1...max(path.count, 1)).contains { n in n <= path.count && Self.reference(pattern[...], path[0..<n]) }
                let run = Glob.run(pattern, path, stopAtPrefix: false)
                #expect(run.whole == whole, "\(pattern) vs \(path)")
                #expect(run.prefix == prefix, "\(pattern) vs \(path) (some prefix)")
                #expect(Glob.run(pattern, path, stopAtPrefix: true).prefix == prefix)
                checked += 1
            }
        }
        #expect(checked > 10_000)
    }
}

/// `FileKind.bit` gives each kind its own bit, and a mask holds exactly its kinds (the analyser tests kinds by mask).
@Suite("File kind masks")
struct FileKindMaskTests {
    @Test func bitsAreDistinctAndMasksAreExact() {
        let all = FileKind.allCases
        #expect(Set(all.map(\.bit)).count == all.count)
        #expect(all.allSatisfy { $0.bit.nonzeroBitCount == 1 })
        let some: Set<FileKind> = [.python, .envFile, .binary]
        let mask = FileKind.mask(some)
        for kind in all { #expect((mask & kind.bit != 0) == some.contains(kind), "\(kind)") }
        #expect(FileKind.mask([FileKind]()) == 0)
    }
}

/// A glob's identity is its pattern's bytes: two spellings that `String` holds equal match different names.
@Suite("Glob identity")
struct GlobIdentityTests {
    @Test func equalWhenThePatternBytesAre() {
        let composed = Glob("caf\u{E9}*"), decomposed = Glob("cafe\u{301}*")
        #expect(composed.matchesName(Array("caf\u{E9}s".unicodeScalars)))
        #expect(!decomposed.matchesName(Array("caf\u{E9}s".unicodeScalars)))
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(Glob("src/**") == Glob("src/**"))
        #expect(Set([Glob("src/**"), Glob("src/**"), Glob("*.py")]).count == 2)
        #expect(Glob("*.py").hashValue == Glob("*.py").hashValue)
    }
}
