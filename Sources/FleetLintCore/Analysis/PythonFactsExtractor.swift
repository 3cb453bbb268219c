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
    /// The last line of a block statement's own code. The parser ends a block's range where its DEDENT sits, at the
    /// first character of the next statement (`class A:` / `pass` / `x = f()` is lines 1-3, where CPython's
    /// `end_lineno` is 2): such an end, at or before the first non-blank character of its line, is moved back to the
    /// last line before it that is not blank. A site on the statement after a class was taken for the class's.
    static func blockEndLine(_ range: SourceRange, source: [UInt8], lines: inout LineStarts?) -> Int {
        let end = range.end
        guard end.line > range.start.line else { return end.line }
        if lines == nil { lines = LineStarts(source) }  // the lexer's lines: `\n`, `\r\n` or a lone `\r`
        let index = lines!
        return source.withUnsafeBufferPointer { bytes in
            func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0C }
            if end.line <= index.lineCount {
                // Blank bytes before the end's column on its line: the end sits at the line's first character.
                let text = index.byteRange(ofLine: end.line, in: bytes)
                guard text.count >= end.column - 1, bytes[text.lowerBound..<(text.lowerBound + end.column - 1)].allSatisfy(isBlank)
                else { return end.line }
            }
            var line = min(end.line, index.lineCount + 1) - 1
            while line > range.start.line, bytes[index.byteRange(ofLine: line, in: bytes)].allSatisfy(isBlank) { line -= 1 }
            return line
        }
    }

    /// Imports always (the project rules read them); classes and call sites only for callee patterns
    /// (adoption reads them, no project rule does, and a check run keeps every file's facts to the end).
    /// `interner`: the run's, whose shared targets the facts then hold (nil: a target of its own per statement).
    public static func facts(from python: PythonFile, callPatterns: [DottedNamePattern]) -> PythonFacts {
        facts(from: python, callPatterns: callPatterns, interner: nil)
    }

    static func facts(from python: PythonFile, callPatterns: [DottedNamePattern], interner: FactInterner?) -> PythonFacts {
        let semantic = python.semantic
        let imports = interner.map { interner in semantic.imports.map { ImportFact($0, target: interner.target(of: $0)) } }
            ?? semantic.imports.map { ImportFact($0) }
        // The semantic model has every call of the file already: no second walk over the expressions.
        let context = imports.isEmpty ? ImportContextFact()
            : importContext(python.module.body, source: python.module.source, imports: semantic.imports, calls: { visit in
                for c in semantic.calls where visit(c.call) { break }
            })
        guard !callPatterns.isEmpty else {
            return PythonFacts(
                isPackage: python.isPackage, imports: imports, classes: [], calls: [], fullParse: true,
                importContext: context)
        }
        var classOfDef: [PyFunctionDef: String] = [:]
        for f in semantic.functions { if let c = f.enclosingClass { classOfDef[f.def] = c.name } }
        func scopeName(_ functions: [PyFunctionDef]) -> (String, String?) {
            guard let last = functions.last else { return ("<module>", nil) }
            let names = functions.map { f in classOfDef[f].map { "\($0).\(f.name)" } ?? f.name }
            return (names.joined(separator: "."), classOfDef[last])
        }
        var classes: [ClassFact] = []
        var lines: LineStarts?
        for c in semantic.classes {
            let prefix = c.enclosingFunctions.map(\.name).joined(separator: ".")
            classes.append(ClassFact(
                name: c.def.name, qualifiedName: prefix.isEmpty ? c.def.name : prefix + "." + c.def.name,
                line: c.statement.range.start.line, bases: c.baseQualifiedNames,
                endLine: blockEndLine(c.statement.range, source: python.module.source, lines: &lines)))
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
            isPackage: python.isPackage, imports: imports, classes: classes,
            calls: calls, fullParse: true, importContext: context)
    }

    /// The import context of an imports-only tree (`PythonImportScanner.recordsAndTree`) of `source`: the tree holds
    /// every import, `try` and line naming `sys` or `site`, so its own (small) expressions give the calls.
    public static func importContext(importsOnlyTree module: PyModule?, source: [UInt8], imports: [PyImportRecord]) -> ImportContextFact {
        guard let module else { return ImportContextFact() }
        let body = module.body
        return withExtendedLifetime(module) { importContext(body, source: source, imports: imports, calls: { visit in
            // Depth first with an explicit stack (trees may be a thousand levels tall); subtrees without a call skipped.
            var work: [PyNode] = body.map { .stmt($0) }
            while let n = work.popLast() {
                if case .expr(let e) = n {
                    guard e.holdsCall else { continue }
                    if case .call = e.kind, visit(e) { return }
                }
                PyWalker.forEachChild(n) { work.append($0) }
            }
        }) }
    }

    /// The words `importContext` looks for in a file's bytes, by index: `except`, `path`, `sys`, `addsitedir`.
    static let contextWords = KeywordGate(words: ["except", "path", "sys", "addsitedir"].map { Array($0.utf8) })

    /// The import context of a tree of `source`: statements are visited here (every statement kind, as
    /// `PyImportCollector` does); `calls` hands over every call expression of the same tree (however the caller finds
    /// them) until `visit` returns true. Only what the bytes allow is looked for: a handler needs the word `except`,
    /// a `sys.path` edit the words `sys` and `path` (or `addsitedir`); without the latter, only statements that hold
    /// two of the file's `imports` (the tree's import records) can hold a fallback and are entered.
    /// `ImportContextTests` checks the result against a walk over every node of the full tree.
    static func importContext(_ body: PyList<PyStmt>, source: [UInt8], imports: [PyImportRecord],
                              calls: ((PyExpr) -> Bool) -> Void) -> ImportContextFact {
        let (fallbacks, sysPath, sysOffsets) = source.withUnsafeBufferPointer { buf in
            // The four words in one pass over the bytes (`contextWords`), not one search per word.
            var except = false, path = false, addsitedir = false
            var sysHits: [Int] = []
            contextWords.forEachOccurrence(in: buf) { word, start in
                switch word {
                case 0: except = true
                case 1: path = true
                case 2: sysHits.append(start)
                default: addsitedir = true
                }
                return true
            }
            // A fallback needs two import statements (one in a `try` body, one in a handler).
            let fallbacks = imports.count >= 2 && except
            // Where the word `sys` occurs (in code or not): an assignment to `sys.path` lies in a statement holding one.
            var sys: [Int] = []
            guard path else { return (fallbacks, addsitedir, sys) }
            func isIdentifier(_ b: UInt8) -> Bool {
                b >= 0x80 || b == UInt8(ascii: "_") || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            }
            for i in sysHits where (i == 0 || !isIdentifier(buf[i - 1])) && (i + 3 == buf.count || !isIdentifier(buf[i + 3])) {
                sys.append(i)
            }
            return (fallbacks, !sys.isEmpty || addsitedir, sys)
        }
        guard fallbacks || sysPath else { return ImportContextFact() }
        var walker = ImportContextWalker(
            wantsFallbacks: fallbacks, wantsSysPath: sysPath, importOffsets: imports.map { $0.statement.byteRange.lowerBound }.sorted(),
            sysOffsets: sysOffsets)
        walker.visit(body)
        if sysPath && !walker.extendsSysPath {
            calls { e in
                if case .call(let f, _, _) = e.kind, case .attribute(let v, let attr) = f.kind,
                   (ImportContextWalker.isSysPath(v) && (attr == "insert" || attr == "append" || attr == "extend"))
                    || (attr == "addsitedir" && { if case .name("site") = v.kind { return true } else { return false } }()) {
                    walker.extendsSysPath = true
                }
                return walker.extendsSysPath
            }
        }
        return ImportContextFact(fallbacks: walker.fallbacks, extendsSysPath: walker.extendsSysPath)
    }
}

/// The statement part of `PythonFactsExtractor.importContext`: `try` fallbacks and assignments to `sys.path`.
private struct ImportContextWalker {
    let wantsFallbacks: Bool
    let wantsSysPath: Bool
    /// Where the file's import statements start, ascending.
    let importOffsets: [Int]
    /// Where the word `sys` occurs, ascending.
    let sysOffsets: [Int]
    var fallbacks: [ImportContextFact.Fallback] = []
    var extendsSysPath = false

    static func isSysPath(_ e: PyExpr) -> Bool {
        if case .attribute(let v, "path") = e.kind, case .name("sys") = v.kind { return true }
        return false
    }

    /// The modules an import statement imports (none for a relative `from` import).
    static func importedModules(_ s: PyStmt) -> [String] {
        switch s.kind {
        case .import(let names): return names.map(\.name)
        case .importFrom(let m, _, let level): return level == 0 ? [m ?? ""] : []
        default: return []
        }
    }

    mutating func visit(_ body: PyList<PyStmt>) { for s in body { stmt(s) } }

    /// Whether `count` of the ascending `offsets` lie inside `range`.
    static func holds(_ count: Int, of offsets: [Int], in range: Range<Int>) -> Bool {
        var lo = 0, hi = offsets.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if offsets[mid] < range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        return lo + count - 1 < offsets.count && offsets[lo + count - 1] < range.upperBound
    }

    mutating func stmt(_ s: PyStmt) {
        // Only a statement holding two imports can hold a fallback (one in a `try` body, one in a handler), and only
        // one holding the word `sys` an assignment to `sys.path`: the others are not entered.
        guard wantsFallbacks && Self.holds(2, of: importOffsets, in: s.byteRange)
            || wantsSysPath && !extendsSysPath && Self.holds(1, of: sysOffsets, in: s.byteRange) else { return }
        switch s.kind {
        case .assign(let targets, _):
            if wantsSysPath, targets.contains(where: Self.isSysPath) { extendsSysPath = true }
        case .augAssign(let target, _, _):
            if wantsSysPath, Self.isSysPath(target) { extendsSysPath = true }
        case .try(let b, let hs, let o, let f, _):
            let guarded = wantsFallbacks ? b.flatMap(Self.importedModules) : []
            if !guarded.isEmpty {
                var lines: [Int] = []
                for h in hs { Self.forEachStatement(h.body) { x in if !Self.importedModules(x).isEmpty { lines.append(x.range.start.line) } } }
                if !lines.isEmpty { fallbacks.append(.init(guardedModules: guarded, handlerImportLines: lines)) }
            }
            visit(b)
            for h in hs { visit(h.body) }
            visit(o); visit(f)
        case .functionDef(let f): visit(f.body)
        case .classDef(let c): visit(c.body)
        case .for(_, _, let b, let o, _), .while(_, let b, let o):
            visit(b); visit(o)
        case .if:
            // `elif` chains in a loop (they can be thousands long).
            var cur = s
            while case .if(_, let b, let o) = cur.kind {
                visit(b)
                if o.count == 1, case .if = o[0].kind { cur = o[0]; continue }
                visit(o)
                break
            }
        case .with(_, let b, _): visit(b)
        case .match(_, let cases): for c in cases { visit(c.body) }
        case .expr, .annAssign, .import, .importFrom, .return, .delete, .pass, .break, .continue, .raise, .assert, .global,
             .nonlocal, .typeAlias, .invalid:
            break
        }
    }

    /// Every statement of a body and of the bodies nested in it (handlers' included), in source order.
    static func forEachStatement(_ body: PyList<PyStmt>, _ visit: (PyStmt) -> Void) {
        var work: [PyNode] = body.reversed().map { .stmt($0) }
        while let n = work.popLast() {
            if case .expr = n { continue }
            if case .stmt(let s) = n { visit(s) }
            PyWalker.pushChildren(n, on: &work)
        }
    }
}
