import Foundation
import Testing
@testable import FleetLintSyntax

/// Differential tests against CPython's `ast` (vectors from scripts/vectors/gen_python_vectors.py).
struct PythonDifferentialTests {
    struct Expected: Decodable {
        struct Imp: Decodable { let line: Int; let col: Int; let module: String; let level: Int; let names: [[String]] }
        struct Call: Decodable { let text: String; let line: Int; let col: Int; let endLine: Int; let endCol: Int }
        struct Def: Decodable { let name: String; let line: Int; let col: Int }
        struct File: Decodable {
            let file: String; let valid: Bool
            let errorLine: Int?
            let imports: [Imp]?; let calls: [Call]?; let functions: [Def]?; let classes: [Def]?
        }
        let reference: String
        let files: [File]
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/python")

    static func load() throws -> Expected {
        let data = try Data(contentsOf: root.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// Observed facts of one file, in the same string form as the vectors.
    static func observe(_ bytes: [UInt8]) -> (problems: [ParseProblem], imports: [String], calls: [String], functions: [String], classes: [String]) {
        let m = PythonParser.parse(bytes)
        let sem = PythonSemanticModel(module: m)
        var imports: [String] = []
        PyWalker.walk(m.body) { node, _ in
            guard case .stmt(let s) = node else { return true }
            switch s.kind {
            case .import(let names):
                imports.append("\(s.range.start.line):\(s.range.start.column) '' 0 " + names.map { "\($0.name)/\($0.asName ?? "")" }.joined(separator: ","))
            case .importFrom(let mod, let names, let level):
                imports.append("\(s.range.start.line):\(s.range.start.column) '\(mod ?? "")' \(level) " + names.map { "\($0.name)/\($0.asName ?? "")" }.joined(separator: ","))
            default: break
            }
            return true
        }
        let calls = sem.calls.map { "\($0.call.range.start.line):\($0.call.range.start.column)-\($0.call.range.end.line):\($0.call.range.end.column) \($0.calleeText)" }
        let functions = sem.functions.map { "\($0.def.name)@\($0.statement.range.start.line):\($0.statement.range.start.column)" }
        let classes = sem.classes.map { "\($0.def.name)@\($0.statement.range.start.line):\($0.statement.range.start.column)" }
        return (m.problems, imports.sorted(), calls.sorted(), functions.sorted(), classes.sorted())
    }

    @Test func corpusAgreesWithCPythonAst() throws {
        let exp = try Self.load()
        #expect(exp.files.count >= 300)
        var total = 0, agreed = 0
        var mismatches: [String] = []
        for f in exp.files {
            let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("corpus/\(f.file)")))
            let o = Self.observe(bytes)
            if !f.valid {
                total += 1
                let line = f.errorLine ?? 0
                if o.problems.contains(where: { $0.range.start.line == line }) { agreed += 1 }
                else { mismatches.append("\(f.file): expected a syntax error on line \(line), got \(o.problems.map { "\($0.range.start) \($0.message)" })") }
                continue
            }
            if !o.problems.isEmpty { mismatches.append("\(f.file): unexpected problems \(o.problems.map { "\($0.range.start) \($0.message)" })") }
            let ei = (f.imports ?? []).map { "\($0.line):\($0.col) '\($0.module)' \($0.level) " + $0.names.map { "\($0[0])/\($0[1])" }.joined(separator: ",") }.sorted()
            let ec = (f.calls ?? []).map { "\($0.line):\($0.col)-\($0.endLine):\($0.endCol) \($0.text)" }.sorted()
            let ef = (f.functions ?? []).map { "\($0.name)@\($0.line):\($0.col)" }.sorted()
            let ek = (f.classes ?? []).map { "\($0.name)@\($0.line):\($0.col)" }.sorted()
            for (label, e, g) in [("imports", ei, o.imports), ("calls", ec, o.calls), ("functions", ef, o.functions), ("classes", ek, o.classes)] {
                var remaining = g
                for x in e {
                    total += 1
                    if let k = remaining.firstIndex(of: x) { agreed += 1; remaining.remove(at: k) }
                    else { mismatches.append("\(f.file) \(label): missing \(x)") }
                }
                for x in remaining { total += 1; mismatches.append("\(f.file) \(label): extra \(x)") }
            }
        }
        let rate = Double(agreed) / Double(max(total, 1))
        print("python differential agreement: \(agreed)/\(total) = \(String(format: "%.4f", rate)) against \(exp.reference)")
        for m in mismatches.prefix(40) { print("  mismatch: \(m)") }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches")
    }
}
