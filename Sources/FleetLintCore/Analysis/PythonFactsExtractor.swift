import FleetLintSyntax

/// A dotted-name pattern with `*` wildcards (`*.bigquery_pool.get_bigquery_client`, `requests.*`).
/// Matched with the classic two-pointer wildcard algorithm: linear in practice, never exponential.
public struct DottedNamePattern: Sendable, Hashable, Codable, CustomStringConvertible {
    public let pattern: String
    private let bytes: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8)
    }

    public var description: String { pattern }

    public func matches(_ name: String) -> Bool {
        let s = Array(name.utf8)
        var p = 0, i = 0, star = -1, mark = 0
        while i < s.count {
            if p < bytes.count && bytes[p] == s[i] && bytes[p] != UInt8(ascii: "*") {
                p += 1; i += 1
            } else if p < bytes.count && bytes[p] == UInt8(ascii: "*") {
                star = p; mark = i; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; i = mark
            } else {
                return false
            }
        }
        while p < bytes.count && bytes[p] == UInt8(ascii: "*") { p += 1 }
        return p == bytes.count
    }

    public init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(pattern)
    }
}

/// Reduces a parsed module to the facts that outlive it.
public enum PythonFactsExtractor {
    /// Imports always (the project rules read them); classes and call sites only for callee patterns
    /// (adoption reads them, no project rule does, and a check run keeps every file's facts to the end).
    public static func facts(from python: PythonFile, callPatterns: [DottedNamePattern]) -> PythonFacts {
        let semantic = python.semantic
        let imports = semantic.imports.map(ImportFact.init)
        guard !callPatterns.isEmpty else {
            return PythonFacts(
                moduleName: python.moduleName, isPackage: python.isPackage, imports: imports, classes: [], calls: [], fullParse: true)
        }
        var classOfDef: [ObjectIdentifier: String] = [:]
        for f in semantic.functions { if let c = f.enclosingClass { classOfDef[ObjectIdentifier(f.def)] = c.name } }
        func scopeName(_ functions: [PyFunctionDef]) -> (String, String?) {
            guard let last = functions.last else { return ("<module>", nil) }
            let names = functions.map { f in classOfDef[ObjectIdentifier(f)].map { "\($0).\(f.name)" } ?? f.name }
            return (names.joined(separator: "."), classOfDef[ObjectIdentifier(last)])
        }
        var classes: [ClassFact] = []
        for c in semantic.classes {
            let prefix = c.enclosingFunctions.map(\.name).joined(separator: ".")
            classes.append(ClassFact(
                name: c.def.name, qualifiedName: prefix.isEmpty ? c.def.name : prefix + "." + c.def.name,
                line: c.statement.range.start.line, bases: c.baseQualifiedNames, endLine: c.statement.range.end.line))
        }
        var calls: [CallFact] = []
        for call in semantic.calls {
            guard let q = call.qualifiedName, callPatterns.contains(where: { $0.matches(q) }) else { continue }
            let (scope, cls) = scopeName(call.enclosingFunctions)
            calls.append(CallFact(callee: q, range: call.calleeRange, scope: scope, enclosingClass: cls, isDecorator: false))
        }
        for f in semantic.functions {
            let outer = f.scope.parent ?? semantic.moduleScope
            for d in f.def.decorators {
                if case .call = d.kind { continue }  // `@retry(...)` is a call site already
                guard let q = semantic.qualifiedName(of: d, in: outer),
                      callPatterns.contains(where: { $0.matches(q) }) else { continue }
                let (scope, cls) = scopeName(f.enclosingFunctions + [f.def])
                calls.append(CallFact(callee: q, range: d.range, scope: scope, enclosingClass: cls, isDecorator: true))
            }
        }
        calls.sort { $0.range < $1.range }
        return PythonFacts(
            moduleName: python.moduleName, isPackage: python.isPackage, imports: imports, classes: classes,
            calls: calls, fullParse: true)
    }
}
