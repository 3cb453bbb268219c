// Recursive-descent parser for Python 3.8–3.13 with statement-level error recovery.
// Grammar: https://docs.python.org/3/reference/grammar.html (PEG grammar, followed informally).
// Design after ruff_python_parser: tokens -> parser -> AST with exact positions; errors become problems.

/// Parses Python source into a `PyModule`. Never throws; syntax errors become `ParseProblem`s with code `syntax-error`.
public enum PythonParser {
    /// Maximum nesting (brackets, unary operators, blocks) before the parser gives up on a construct.
    public static let maxDepth = 90
    /// Maximum height of the syntax tree: statements nested in blocks or `elif` chains plus the expression nesting
    /// below them. Long flat chains (`1+1+…`, `a.b.b…`, `f()()…`) nest one level per term. Deeper trees are not built
    /// (the file gets "expression nested too deeply"), so walks and deallocation cannot overflow a thread's stack.
    /// CPython 3.11 gives up compiling such chains at around 3,000 terms.
    public static let maxTreeDepth = 1000
    /// Tree levels an `elif` chain leaves free for the statements and expressions in its last branches.
    static let elifReserve = 100
    /// Syntax errors reported per file at most (the rest are counted in one last problem).
    public static let maxProblems = 100

    /// Parses a whole file.
    public static func parse(_ bytes: [UInt8]) -> PyModule {
        if bytes.count >= Int(Int32.max) { return tooLarge(bytes) }
        return bytes.withUnsafeBufferPointer { buf in
            let map = PyPositionMap(buf)
            return parse(bytes, buf, map: map, lex: PyLexer.tokenizeCompact(buf, map: map))
        }
    }

    private static func parse(_ bytes: [UInt8], _ buf: UnsafeBufferPointer<UInt8>, map: PyPositionMap,
                              lex: (tokens: PyTokenBuffer, comments: [PyToken], problems: [ParseProblem]),
                              keepsTree: Bool = true) -> PyModule {
        let body: PyList<PyStmt>, parseProblems: [ParseProblem]
        let lists = PyParserLists(source: bytes, tokens: keepsTree ? lex.tokens.count : 256)
        if keepsTree {
            var p = PyParserState<PyKeepsTree>(b: buf, map: map, tokens: lex.tokens, lists: lists)
            (body, parseProblems) = (p.parseFileBody(), p.problems)
        } else {
            var p = PyParserState<PyProblemsOnly>(b: buf, map: map, tokens: lex.tokens, lists: lists)
            (body, parseProblems) = (p.parseFileBody(), p.problems)
        }
        var problems = lex.problems
        problems.append(contentsOf: parseProblems)
        problems.append(contentsOf: encodingProblems(bytes, buf, map: map))
        problems.sort { $0.range < $1.range }
        if problems.count > maxProblems {
            // CPython stops at the first error; keep the first ones so a garbage file stays a handful of findings.
            let rest = problems.count - maxProblems
            problems.removeSubrange(maxProblems...)
            problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: \(rest) more syntax errors not reported",
                                         range: problems[maxProblems - 1].range))
        }
        return PyModule(tree: lists.tree, body: body, comments: lex.comments, problems: problems, source: bytes, positions: map,
                        declaredEncoding: encodingDeclaration(buf, map: map))
    }

    /// Token offsets are 32-bit; a file of 2 GiB or more is one problem, not a tree.
    static func tooLarge(_ bytes: [UInt8]) -> PyModule {
        let map = bytes.withUnsafeBufferPointer { PyPositionMap(UnsafeBufferPointer(rebasing: $0[0..<0])) }
        let tree = PyTree()
        return PyModule(tree: tree, body: PyList(empty: tree), comments: [], problems: [ParseProblem(code: "syntax-error", message: "`syntax-error`: file too large to parse", range: SourceRange(line: 1, column: 1))],
                        source: bytes, positions: map, declaredEncoding: nil)
    }

    /// Parses a `String`.
    public static func parse(_ text: String) -> PyModule { parse(Array(text.utf8)) }

    /// Imports-only parse for `PythonImportScanner`: statements are kept only when they are imports or compound
    /// statements (whose headers are parsed in full); problems are not collected.
    static func parseImportsOnly(_ bytes: [UInt8]) -> PyModule {
        if bytes.count >= Int(Int32.max) { return tooLarge(bytes) }
        return bytes.withUnsafeBufferPointer { buf in
            let map = PyPositionMap(buf)
            return importsOnly(bytes, buf, map: map, tokens: PyLexer.tokenizeCompact(buf, map: map).tokens)
        }
    }

    /// What `PythonImportScanner.recordsAndProblems` needs from one tokenization: the module of a full parse that
    /// keeps no tree (its problems, comments and encoding are `parse(bytes)`'s, its body is empty: each top-level
    /// statement is dropped as soon as it is parsed), and, when `imports` is true, the imports-only tree.
    static func problemsAndImportsOnly(_ bytes: [UInt8], imports: Bool) -> (problems: PyModule, imports: PyModule?) {
        if bytes.count >= Int(Int32.max) { return (tooLarge(bytes), nil) }
        return bytes.withUnsafeBufferPointer { buf in
            let map = PyPositionMap(buf)
            let lex = PyLexer.tokenizeCompact(buf, map: map)
            let problems = parse(bytes, buf, map: map, lex: lex, keepsTree: false)
            return (problems, imports ? importsOnly(bytes, buf, map: map, tokens: lex.tokens) : nil)
        }
    }

    /// The imports-only tree from tokens already made.
    private static func importsOnly(_ bytes: [UInt8], _ buf: UnsafeBufferPointer<UInt8>, map: PyPositionMap,
                                    tokens: PyTokenBuffer) -> PyModule {
        // Skimming makes strings for import statements only: a small table will do.
        let lists = PyParserLists(source: bytes, tokens: 256)
        var p = PyParserState<PyKeepsTree>(b: buf, map: map, tokens: tokens, lists: lists)
        p.skim = true
        return PyModule(tree: lists.tree, body: p.parseFileBody(), comments: [], problems: [], source: bytes, positions: map, declaredEncoding: nil)
    }

    /// PEP 263/3120 checks: a BOM with a non-UTF-8 declaration, and invalid UTF-8 in a file declared (or defaulting to) UTF-8.
    static func encodingProblems(_ bytes: [UInt8], _ buf: UnsafeBufferPointer<UInt8>, map: PyPositionMap) -> [ParseProblem] {
        let declared = encodingDeclaration(buf, map: map)?.lowercased().replacingUnderscores()
        let isUTF8 = declared == nil || declared!.hasPrefix("utf-8") || declared == "utf8"
        if SourceText.hasUTF8BOM(bytes), let d = declared, !d.hasPrefix("utf-8") {
            let r = SourceRange(line: 1, column: 1)
            return [ParseProblem(code: "syntax-error", message: "`syntax-error`: encoding problem: \(d) with BOM", range: r)]
        }
        if isUTF8, !map.isASCII, let bad = SourceText.firstInvalidUTF8Offset(bytes) {
            let loc = map.location(of: bad, in: buf)
            return [ParseProblem(code: "syntax-error", message: "`syntax-error`: source is not valid utf-8", range: SourceRange(start: loc, end: SourceLocation(line: loc.line, column: loc.column + 1)))]
        }
        return []
    }

    static func encodingDeclaration(_ b: UnsafeBufferPointer<UInt8>, map: PyPositionMap) -> String? {
        for l in 0..<min(2, map.lineStarts.count) {
            var i = map.lineStarts[l]
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0C { i += 1 }
            guard i < b.count, b[i] == 0x23 else {
                if i < b.count, b[i] != 0x0A, b[i] != 0x0D { return nil }
                continue
            }
            var e = i
            while e < b.count, b[e] != 0x0A, b[e] != 0x0D { e += 1 }
            let line = Array(b[i..<e])
            let key: [UInt8] = Array("coding".utf8)
            var k = 0
            while k + key.count < line.count {
                if Array(line[k..<(k + key.count)]) == key, line[k + key.count] == 0x3A || line[k + key.count] == 0x3D {
                    var j = k + key.count + 1
                    while j < line.count, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
                    let st = j
                    while j < line.count {
                        let c = line[j]
                        let ok = (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
                        if !ok { break }
                        j += 1
                    }
                    if j > st { return String(decoding: line[st..<j], as: UTF8.self) }
                }
                k += 1
            }
        }
        return nil
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}

struct PySyntaxError: Error {
    var message: String
    var token: Int
}

/// Where a construct starts: a byte offset; its position is computed only if a node is built from it.
struct PyStart { let off: Int }

/// What a parse builds: the tree (`PyKeepsTree`), or only what its own checks need (`PyProblemsOnly`). A type
/// parameter rather than a flag, so that the full parse, specialised, pays nothing for the other mode.
protocol PyParseMode {
    /// False when only the problems are wanted: names and numbers get no strings, and the tree is emptied after each
    /// top-level statement (its arena keeps its capacity for the next).
    static var keepsTree: Bool { get }
}
enum PyKeepsTree: PyParseMode { static var keepsTree: Bool { true } }
enum PyProblemsOnly: PyParseMode { static var keepsTree: Bool { false } }

struct PyParserState<Mode: PyParseMode> {
    let b: UnsafeBufferPointer<UInt8>
    let map: PyPositionMap
    let toks: PyTokenBuffer
    /// `toks.count`, read at every `advance` and `peekKind`: `Array.count` was left out of line there (a call per read).
    let tokenCount: Int
    var p = 0
    var problems: [ParseProblem] = []
    var depth = 0
    /// Statement nesting of the tree being built (blocks and `elif` links); see `PythonParser.maxTreeDepth`.
    var stmtDepth = 0
    /// Set once a too-deep expression was reported for the current statement.
    var reportedTooDeep = false
    /// Imports-only mode (`PythonImportScanner`): a statement line without an `import` keyword is skipped to its NEWLINE
    /// instead of parsed. Compound-statement headers and same-line bodies are still parsed, so the block structure,
    /// error recovery and every import come out exactly as in a full parse.
    var skim = false
    @inline(__always) var keepsTree: Bool { Mode.keepsTree }
    var lastEndOff: Int
    /// The line of the last position computed (positions are computed from byte offsets only when a node needs them,
    /// mostly on the same line as the previous one): its number, byte range `[lineStart, nextLineStart)` and whether
    /// it is ASCII. An offset on it, on an ASCII line, is a subtraction (`loc`); anything else asks the position map.
    var line = 0
    var lineStart = 0
    var nextLineStart = 0
    var lineIsASCII = false
    /// Where element lists are built (shared with f-string sub-parsers).
    let lists: PyParserLists
    /// `lists.tree`, read without going through `lists` (`lists` keeps it alive).
    unowned(unsafe) let tree: PyTree
    /// `tree.s`: nodes are appended through it (`addExpr`, `addStmt`), not by a method of `tree`. A call of a method on
    /// an `unowned(unsafe)` reference makes a strong one for the call: a retain and a release per node, atomic, ~2.4
    /// million of them parsing the 1x synthetic tree.
    let st: UnsafeMutablePointer<PyTree.Storage>

    /// `lists` holds the file's bytes (`b` is a pointer to them) and is shared with the f-string sub-parsers.
    init(b: UnsafeBufferPointer<UInt8>, map: PyPositionMap, tokens: PyTokenBuffer, lists: PyParserLists) {
        self.b = b; self.map = map; self.toks = tokens; tokenCount = tokens.count
        self.lists = lists
        tree = lists.tree
        st = lists.tree.s
        lastEndOff = tokens.first?.start ?? 0
    }

    /// End position of the last consumed token.
    var lastEnd: SourceLocation { mutating get { loc(lastEndOff) } }

    @inline(__always) mutating func loc(_ off: Int) -> SourceLocation {
        if off >= lineStart && off < nextLineStart && lineIsASCII { return SourceLocation(line: line, column: off - lineStart + 1) }
        return locOnAnotherLine(off)
    }

    mutating func locOnAnotherLine(_ off: Int) -> SourceLocation {
        let l = map.line(of: off, hint: line)
        line = l
        lineStart = map.lineStarts[l - 1]
        nextLineStart = l < map.lineStarts.count ? map.lineStarts[l] : Int.max
        lineIsASCII = map.isASCIILine(l)
        // As `PyPositionMap.location`, without finding the line a second time.
        if off <= lineStart { return SourceLocation(line: l, column: 1) }
        if lineIsASCII { return SourceLocation(line: l, column: off - lineStart + 1) }
        return map.location(of: off, in: b, hint: l)
    }
    @inline(__always) mutating func range(_ t: PyTok) -> SourceRange { SourceRange(start: loc(t.start), end: loc(t.end)) }

    // MARK: token helpers

    @inline(__always) var kind: PyTokenKind { toks.kind(p) }
    @inline(__always) var tok: PyTok { toks[p] }
    @inline(__always) func peekKind(_ k: Int) -> PyTokenKind { p + k < tokenCount ? toks.kind(p + k) : .endMarker }

    @inline(__always) mutating func advance() {
        lastEndOff = toks.end(p)
        if p < tokenCount - 1 { p += 1 }
    }

    @inline(__always) mutating func accept(_ k: PyTokenKind) -> Bool {
        if kind == k { advance(); return true }
        return false
    }

    mutating func expect(_ k: PyTokenKind, _ what: String) throws {
        if kind == k { advance(); return }
        throw err("expected \(what)")
    }

    func err(_ msg: String) -> PySyntaxError {
        let t = toks[p]
        switch t.kind {
        case .indent: return PySyntaxError(message: "unexpected indent", token: p)
        case .dedent where msg.hasPrefix("expected an indented"): return PySyntaxError(message: msg, token: p)
        case .endMarker: return PySyntaxError(message: "unexpected end of file, \(msg)", token: p)
        default: return PySyntaxError(message: "invalid syntax, \(msg)", token: p)
        }
    }

    /// The token's text, shared by every token of the same spelling; empty when no tree is kept (the parser's own
    /// checks never read names or numbers).
    @inline(__always) func text(_ t: PyTok) -> String {
        keepsTree ? lists.tokenStrings.string(b, t.start, t.end) : ""
    }

    func isName(_ t: PyTok, _ w: StaticString) -> Bool {
        t.kind == .name && t.end - t.start == w.utf8CodeUnitCount && b.hasBytes(w, at: t.start)
    }

    @inline(__always) func startOf(_ i: Int) -> PyStart { PyStart(off: toks[i].start) }

    @inline(__always) mutating func node(_ k: consuming PyExprKind, _ s: PyStart) -> PyExpr {
        make(k, SourceRange(start: loc(s.off), end: lastEnd), s.off..<max(s.off, lastEndOff))
    }
    /// `node` for a name or constant (a leaf): its summary is known (height 1, no flags), so `PyExpr.summary(of:)` is
    /// not called for the commonest nodes.
    @inline(__always) mutating func leaf(_ k: consuming PyExprKind, _ s: PyStart) -> PyExpr {
        let span = PyCompactRange(SourceRange(start: loc(s.off), end: lastEnd), s.off..<max(s.off, lastEndOff))
        if stmtDepth + 1 > PythonParser.maxTreeDepth { return tooDeep(span) }
        return addExpr(k, span, summary: 1)
    }
    @inline(__always) mutating func node(_ k: consuming PyExprKind, from e: PyExpr) -> PyExpr {
        let span = e.span
        let start = SourceLocation(line: Int(span.startLine), column: Int(span.startColumn)), lower = Int(span.lower)
        return make(k, SourceRange(start: start, end: lastEnd), lower..<max(lower, lastEndOff))
    }

    /// Appends an expression node to the arena (see `st`). `mutating`, as `make` is, so that the parser is not copied.
    @inline(__always) mutating func addExpr(_ k: consuming PyExprKind, _ span: PyCompactRange, summary: UInt32) -> PyExpr {
        let i = Int32(truncatingIfNeeded: st.pointee.exprs.count)
        st.pointee.exprs.append(PyExprNode(kind: k, span: span, summary: summary))
        return PyExpr(tree, i)
    }
    /// Appends a statement node to the arena (see `st`).
    @inline(__always) mutating func addStmt(_ k: consuming PyStmtKind, _ span: PyCompactRange) -> PyStmt {
        let i = Int32(truncatingIfNeeded: st.pointee.stmts.count)
        st.pointee.stmts.append(PyStmtNode(kind: k, span: span))
        return PyStmt(tree, i)
    }

    /// Appends a function definition's record (see `st`); consumed, not copied into the arena.
    @inline(__always) mutating func addFunction(_ f: consuming PyFunctionDefNode) -> PyFunctionDef {
        let i = Int32(truncatingIfNeeded: st.pointee.functions.count)
        st.pointee.functions.append(f)
        return PyFunctionDef(tree, i)
    }
    /// Appends a class definition's record (see `st`).
    @inline(__always) mutating func addClass(_ c: consuming PyClassDefNode) -> PyClassDef {
        let i = Int32(truncatingIfNeeded: st.pointee.classes.count)
        st.pointee.classes.append(c)
        return PyClassDef(tree, i)
    }

    /// The node for `k`, added to the tree; a node that would make the tree taller than `PythonParser.maxTreeDepth`
    /// is an `.invalid` leaf instead (its subtree is dropped; see `tooDeep`). `mutating` so that the call passes the
    /// parser by reference: a non-mutating call copied it (retaining its references).
    @inline(__always) mutating func make(_ k: consuming PyExprKind, _ r: SourceRange, _ br: Range<Int>) -> PyExpr {
        let summary = PyExpr.summary(of: k)
        let span = PyCompactRange(r, br)
        if stmtDepth + Int(summary & PyExpr.heightMask) > PythonParser.maxTreeDepth { return tooDeep(span) }
        return addExpr(k, span, summary: summary)
    }

    /// The `.invalid` leaf that replaces a node nested too deeply, reported once per statement at the token where the
    /// limit was reached.
    mutating func tooDeep(_ span: PyCompactRange) -> PyExpr {
        if !reportedTooDeep {
            reportedTooDeep = true
            let t = toks[max(0, p - 1)]
            problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: expression nested too deeply", range: range(t)))
        }
        return addExpr(.invalid, span, summary: 1)
    }
    /// A statement node.
    @inline(__always) mutating func stmt(_ k: consuming PyStmtKind, _ s: PyStart) -> PyStmt {
        addStmt(k, PyCompactRange(SourceRange(start: loc(s.off), end: lastEnd), s.off..<max(s.off, lastEndOff)))
    }

    mutating func enter() throws {
        depth += 1
        if depth > PythonParser.maxDepth { depth -= 1; throw PySyntaxError(message: "too many nested parentheses or blocks", token: p) }
    }

    // MARK: statements and recovery

    mutating func record(_ e: PySyntaxError) {
        let t = toks[min(e.token, toks.count - 1)]
        problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: \(e.message)", range: range(t)))
    }

    /// Skips to just after the next NEWLINE (or to a DEDENT/end). Always makes progress when possible.
    mutating func synchronize(from start: Int) {
        if p == start, kind != .endMarker, kind != .dedent { advance() }
        while true {
            switch kind {
            case .endMarker, .dedent: return
            case .newline: advance(); return
            case .indent:
                if p > start { return }
                advance()
            default: advance()
            }
        }
    }

    mutating func parseFileBody() -> PyList<PyStmt> {
        let mark = lists.stmts.count
        defer { lists.stmts.discard(from: mark) }
        while kind != .endMarker {
            if kind == .dedent { advance(); continue }
            parseStatementRecovering()
            if !keepsTree { lists.stmts.discard(from: mark); tree.removeAll() }
        }
        return lists.stmtList(from: mark)
    }

    /// Parses a statement onto `lists.stmts` (the statement list being built).
    mutating func parseStatementRecovering() {
        let start = p
        reportedTooDeep = false
        do {
            try parseStatement()
        } catch let e as PySyntaxError {
            record(e)
            synchronize(from: start)
            // An orphaned indented block after a broken header: parse it so its contents are still analysed.
            if kind == .indent { parseOrphanBlock() }
        } catch {}
    }

    /// Parses an unexpected indented block (at an INDENT token) as statements, or skips it when nested too deeply.
    mutating func parseOrphanBlock() {
        advance()
        if depth < PythonParser.maxDepth {
            depth += 1; stmtDepth += 1
            parseBlockStatements()
            depth -= 1; stmtDepth -= 1
            return
        }
        var level = 1
        while kind != .endMarker && level > 0 {
            if kind == .indent { level += 1 } else if kind == .dedent { level -= 1 }
            advance()
        }
    }

    mutating func parseBlockStatements() {
        while kind != .endMarker && kind != .dedent {
            parseStatementRecovering()
        }
        _ = accept(.dedent)
    }

    mutating func parseStatement() throws {
        switch kind {
        case .indent:
            record(PySyntaxError(message: "unexpected indent", token: p))
            parseOrphanBlock()
        case .newline:
            advance()
        case .kwDef, .kwClass, .at, .kwIf, .kwWhile, .kwFor, .kwTry, .kwWith, .kwAsync:
            lists.stmts.push(try parseCompound())
        case .name where isName(tok, "match"):
            if let m = try tryParseMatch() { lists.stmts.push(m) }
            else if skim && skipLineWithoutImport() { return }
            else { try parseSimpleStatements() }
        default:
            if skim && skipLineWithoutImport() { return }
            try parseSimpleStatements()
        }
    }

    /// In `skim` mode: when the logical line at `p` holds no `import` keyword, moves past its NEWLINE (where error
    /// recovery would also resume, so nothing after it differs) and returns true. A line naming `sys` or `site` (or
    /// with an f-string whose text does) is kept too: the import context (`sys.path` edits) reads those lines.
    mutating func skipLineWithoutImport() -> Bool {
        var j = p
        while true {
            switch toks.kind(j) {
            case .kwImport: return false
            case .name where mentionsPathModule(j, fString: false): return false
            case .fstring where mentionsPathModule(j, fString: true): return false
            case .newline:
                p = j; advance(); return true
            case .endMarker:
                p = j; return true
            default: j += 1
            }
        }
    }

    /// Whether token `j` is the name `sys` or `site`, or (an f-string) contains either word.
    func mentionsPathModule(_ j: Int, fString: Bool) -> Bool {
        let t = toks[j]
        if !fString { return isName(t, "sys") || isName(t, "site") }
        var k = t.start
        while k + 3 <= t.end {
            if b[k] == UInt8(ascii: "s"), (b[k + 1] == UInt8(ascii: "y") && b[k + 2] == UInt8(ascii: "s"))
                || (k + 4 <= t.end && b[k + 1] == UInt8(ascii: "i") && b[k + 2] == UInt8(ascii: "t") && b[k + 3] == UInt8(ascii: "e")) {
                return true
            }
            k += 1
        }
        return false
    }

    /// `:` followed by a simple-statement line or an indented block.
    mutating func parseBlock() throws -> PyList<PyStmt> {
        try expect(.colon, "':'")
        let mark = lists.stmts.count
        defer { lists.stmts.discard(from: mark) }
        if kind == .newline {
            advance()
            guard kind == .indent else { throw err("expected an indented block") }
            advance()
            try enter(); defer { depth -= 1 }
            stmtDepth += 1; defer { stmtDepth -= 1 }
            parseBlockStatements()
        } else {
            stmtDepth += 1; defer { stmtDepth -= 1 }
            try parseSimpleStatements()
        }
        return lists.stmtList(from: mark)
    }

    /// Parses `a; b; c` NEWLINE onto `lists.stmts`; the statements before a syntax error stay there.
    mutating func parseSimpleStatements() throws {
        while true {
            lists.stmts.push(try parseSimpleStatement())
            if accept(.semi) {
                if kind == .newline || kind == .endMarker { break }
                continue
            }
            break
        }
        if kind == .newline { advance() } else if kind != .endMarker { throw err("expected newline") }
    }

    mutating func parseSimpleStatement() throws -> PyStmt {
        let s = startOf(p)
        switch kind {
        case .kwPass: advance(); return stmt(.pass, s)
        case .kwBreak: advance(); return stmt(.break, s)
        case .kwContinue: advance(); return stmt(.continue, s)
        case .kwReturn:
            advance()
            let v = atExprEnd ? nil : try parseStarExpressions()
            return stmt(.return(v), s)
        case .kwRaise:
            advance()
            var e: PyExpr? = nil, c: PyExpr? = nil
            if !atExprEnd {
                e = try parseTest()
                if accept(.kwFrom) { c = try parseTest() }
            }
            return stmt(.raise(exc: e, cause: c), s)
        case .kwGlobal, .kwNonlocal:
            let isGlobal = kind == .kwGlobal
            advance()
            var names: [String] = []
            repeat {
                guard kind == .name else { throw err("expected a name") }
                names.append(text(tok)); advance()
            } while accept(.comma)
            return stmt(isGlobal ? .global(names) : .nonlocal(names), s)
        case .kwDel:
            advance()
            let targets = lists.exprs, mark = targets.count
            defer { targets.discard(from: mark) }
            repeat {
                if atExprEnd { break }
                let t = try parseBitOr(allowStar: false)
                try validateTarget(t, del: true)
                targets.push(t)
            } while accept(.comma)
            if targets.count == mark { throw err("expected an expression") }
            return stmt(.delete(lists.exprList(from: mark)), s)
        case .kwAssert:
            advance()
            let t = try parseTest()
            let m = accept(.comma) ? try parseTest() : nil
            return stmt(.assert(test: t, msg: m), s)
        case .kwImport:
            advance()
            let names = lists.aliases, mark = names.count
            defer { names.discard(from: mark) }
            repeat { names.push(try parseDottedAlias()) } while accept(.comma)
            return stmt(.import(lists.aliasList(from: mark)), s)
        case .kwFrom:
            return try parseFromImport()
        case .name where isName(tok, "type") && peekKind(1) == .name && (peekKind(2) == .equal || peekKind(2) == .lsqb):
            advance()
            let ns = startOf(p)
            let nm = text(tok); advance()
            let nameExpr = node(.name(nm), ns)
            let tps = kind == .lsqb ? try parseTypeParams() : lists.empty()
            try expect(.equal, "'='")
            let v = try parseTest()
            return stmt(.typeAlias(name: nameExpr, typeParams: tps, value: v), s)
        default:
            return try parseExpressionStatement()
        }
    }

    var atExprEnd: Bool {
        switch kind { case .newline, .semi, .endMarker, .rpar, .rsqb, .rbrace, .colon, .equal: return true; default: return false }
    }

    mutating func parseDottedName() throws -> String {
        guard kind == .name || kind == .kwAsync || kind == .kwAwait else { throw err("expected a module name") }
        let p0 = p, first = tok
        advance()
        guard kind == .dot else { return text(first) }
        // `a.b.c` written without spaces is one slice of the source; otherwise the names (tokens `p0`, `p0 + 2`, ...)
        // are joined.
        var adjacent = true, end = first.end
        while kind == .dot {
            let dot = tok
            advance()
            guard kind == .name else { throw err("expected a name") }
            let t = tok
            if dot.start != end || t.start != dot.end { adjacent = false }
            end = t.end
            advance()
        }
        guard keepsTree else { return "" }
        if adjacent { return lists.tokenStrings.string(b, first.start, end) }
        var s = text(first), i = p0 + 2
        while i < p { s += "."; s += text(toks[i]); i += 2 }
        return s
    }

    mutating func parseDottedAlias() throws -> PyAlias {
        let s = startOf(p)
        let name = try parseDottedName()
        var asName: String? = nil
        if accept(.kwAs) {
            guard kind == .name else { throw err("expected a name after 'as'") }
            asName = text(tok); advance()
        }
        return PyAlias(name: name, asName: asName, range: SourceRange(start: loc(s.off), end: lastEnd))
    }

    mutating func parseFromImport() throws -> PyStmt {
        let s = startOf(p)
        advance()
        var level = 0
        while kind == .dot || kind == .ellipsis { level += kind == .dot ? 1 : 3; advance() }
        var module: String? = nil
        if kind != .kwImport { module = try parseDottedName() }
        if level == 0 && module == nil { throw err("expected a module name") }
        try expect(.kwImport, "'import'")
        let names = lists.aliases, mark = names.count
        defer { names.discard(from: mark) }
        if kind == .star {
            let r = range(tok); advance()
            names.push(PyAlias(name: "*", asName: nil, range: r))
        } else {
            let paren = accept(.lpar)
            repeat {
                if paren && kind == .rpar { break }
                let ns = startOf(p)
                guard kind == .name else { throw err("expected a name to import") }
                let n = text(tok); advance()
                var a: String? = nil
                if accept(.kwAs) {
                    guard kind == .name else { throw err("expected a name after 'as'") }
                    a = text(tok); advance()
                }
                names.push(PyAlias(name: n, asName: a, range: SourceRange(start: loc(ns.off), end: lastEnd)))
            } while accept(.comma)
            if paren { try expect(.rpar, "')'") }
            else if names.count == mark { throw err("expected a name to import") }
            if !paren, toks[p - 1].kind == .comma { throw err("trailing comma not allowed without surrounding parentheses") }
        }
        return stmt(.importFrom(module: module, names: lists.aliasList(from: mark), level: level), s)
    }

    static func augOp(_ k: PyTokenKind) -> PyBinOp? {
        switch k {
        case .plusEqual: return .add; case .minusEqual: return .sub; case .starEqual: return .mult
        case .atEqual: return .matMult; case .slashEqual: return .div; case .percentEqual: return .mod
        case .amperEqual: return .bitAnd; case .vbarEqual: return .bitOr; case .circumflexEqual: return .bitXor
        case .leftShiftEqual: return .lShift; case .rightShiftEqual: return .rShift; case .doubleStarEqual: return .pow
        case .doubleSlashEqual: return .floorDiv
        default: return nil
        }
    }

    mutating func parseExpressionStatement() throws -> PyStmt {
        let s = startOf(p)
        let first = kind == .kwYield ? try parseYield() : try parseStarExpressions(allowNamed: true)
        if kind == .equal {
            // `a = b = v`: every expression but the last is a target.
            let targets = lists.exprs, mark = targets.count
            defer { targets.discard(from: mark) }
            targets.push(first)
            advance()
            var value = kind == .kwYield ? try parseYield() : try parseStarExpressions()
            while accept(.equal) {
                targets.push(value)
                value = kind == .kwYield ? try parseYield() : try parseStarExpressions()
            }
            for i in mark..<targets.count { try validateTarget(targets[i], del: false) }
            return stmt(.assign(targets: lists.exprList(from: mark), value: value), s)
        }
        if let op = Self.augOp(kind) {
            switch first.kind {
            case .name, .attribute, .subscript: break
            default: throw PySyntaxError(message: "'\(describe(first))' is an illegal expression for augmented assignment", token: p)
            }
            advance()
            let v = kind == .kwYield ? try parseYield() : try parseStarExpressions()
            return stmt(.augAssign(target: first, op: op, value: v), s)
        }
        if kind == .colon {
            switch first.kind {
            case .name, .attribute, .subscript: break
            default: throw PySyntaxError(message: "only single target (not \(describe(first))) can be annotated", token: p)
            }
            advance()
            let ann = try parseTest()
            var v: PyExpr? = nil
            if accept(.equal) { v = kind == .kwYield ? try parseYield() : try parseStarExpressions() }
            return stmt(.annAssign(target: first, annotation: ann, value: v), s)
        }
        return stmt(.expr(first), s)
    }

    func describe(_ e: PyExpr) -> String {
        switch e.kind {
        case .call: return "function call"
        case .tuple: return "tuple"
        case .list: return "list"
        case .constant: return "literal"
        case .binOp, .unaryOp, .boolOp: return "expression"
        case .compare: return "comparison"
        case .lambda: return "lambda"
        case .namedExpr: return "named expression"
        default: return "expression"
        }
    }

    mutating func validateTarget(_ e: PyExpr, del: Bool) throws {
        switch e.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let xs), .list(let xs): for x in xs { try validateTarget(x, del: del) }
        case .starred(let x) where !del: try validateTarget(x, del: del)
        default:
            problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: cannot \(del ? "delete" : "assign to") \(describe(e))", range: e.range))
        }
    }

    // MARK: compound statements

    mutating func parseCompound() throws -> PyStmt {
        switch kind {
        case .at:
            let ds = lists.exprs, mark = ds.count
            defer { ds.discard(from: mark) }
            while accept(.at) {
                ds.push(try parseNamedExpr())
                try expect(.newline, "newline after decorator")
            }
            let decorators = lists.exprList(from: mark)
            if kind == .kwDef { return try parseFunctionDef(decorators: decorators, asyncStart: nil) }
            if kind == .kwClass { return try parseClassDef(decorators: decorators) }
            if kind == .kwAsync && peekKind(1) == .kwDef {
                let s = startOf(p); advance()
                return try parseFunctionDef(decorators: decorators, asyncStart: s)
            }
            throw err("expected 'def' or 'class' after decorator")
        case .kwDef: return try parseFunctionDef(decorators: lists.empty(), asyncStart: nil)
        case .kwClass: return try parseClassDef(decorators: lists.empty())
        case .kwAsync:
            let s = startOf(p)
            advance()
            switch kind {
            case .kwDef: return try parseFunctionDef(decorators: lists.empty(), asyncStart: s)
            case .kwFor: return try parseFor(start: s, isAsync: true)
            case .kwWith: return try parseWith(start: s, isAsync: true)
            default: throw err("expected 'def', 'for' or 'with' after 'async'")
            }
        case .kwIf: return try parseIf()
        case .kwWhile:
            let s = startOf(p); advance()
            let t = try parseNamedExpr()
            let body = try parseBlock()
            var orElse: PyList<PyStmt> = lists.empty()
            if kind == .kwElse { advance(); orElse = try parseBlock() }
            return stmt(.while(test: t, body: body, orElse: orElse), s)
        case .kwFor: return try parseFor(start: startOf(p), isAsync: false)
        case .kwTry: return try parseTry()
        case .kwWith: return try parseWith(start: startOf(p), isAsync: false)
        default: throw err("expected a statement")
        }
    }

    /// `if`/`elif`/`else`. The `elif` chain is parsed in a loop (thousands of branches must not recurse) and then
    /// nested as CPython does (`orElse = [If]`); each link counts as one level of `PythonParser.maxTreeDepth`.
    mutating func parseIf() throws -> PyStmt {
        var clauses: [(start: PyStart, test: PyExpr, body: PyList<PyStmt>)] = []
        var orElse: PyList<PyStmt> = lists.empty()
        let baseDepth = stmtDepth
        defer { stmtDepth = baseDepth }
        var truncated = false
        while true {
            let s = startOf(p)
            advance() // `if` / `elif`
            let t = try parseNamedExpr()
            let body = try parseBlock()
            if !truncated { clauses.append((s, t, body)) }
            if kind == .kwElif {
                if !truncated && stmtDepth + 1 > PythonParser.maxTreeDepth - PythonParser.elifReserve {
                    // Keep parsing (to stay in step with the source) but drop the branches that would nest too deeply.
                    truncated = true
                    stmtDepth = baseDepth
                    problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: too many 'elif' branches (statement nested too deeply)", range: range(tok)))
                }
                if !truncated { stmtDepth += 1 }
                continue
            }
            if kind == .kwElse { advance(); let e = try parseBlock(); if !truncated { orElse = e } }
            break
        }
        // Nest from the last clause outwards; each statement ends where the whole chain ends (as in CPython).
        let endLoc = lastEnd, endOff = lastEndOff
        var result: PyStmt? = nil
        for c in clauses.reversed() {
            let st = addStmt(.if(test: c.test, body: c.body, orElse: result.map { tree.list(CollectionOfOne($0)) } ?? orElse),
                                        PyCompactRange(SourceRange(start: loc(c.start.off), end: endLoc), c.start.off..<max(c.start.off, endOff)))
            result = st
        }
        return result!
    }

    mutating func parseFor(start s: PyStart, isAsync: Bool) throws -> PyStmt {
        advance()
        let target = try parseTargetList()
        try expect(.kwIn, "'in'")
        let iter = try parseStarExpressions()
        let body = try parseBlock()
        var orElse: PyList<PyStmt> = lists.empty()
        if kind == .kwElse { advance(); orElse = try parseBlock() }
        return stmt(.for(target: target, iter: iter, body: body, orElse: orElse, isAsync: isAsync), s)
    }

    mutating func parseTargetList() throws -> PyExpr {
        let s = startOf(p)
        let xs = lists.exprs, mark = xs.count
        defer { xs.discard(from: mark) }
        var trailing = false
        repeat {
            if kind == .kwIn || kind == .equal { trailing = true; break }
            xs.push(try parseBitOr(allowStar: true))
        } while accept(.comma)
        if xs.count == mark { throw err("expected a target") }
        let t = (xs.count - mark == 1 && !trailing && toks[p - 1].kind != .comma) ? xs[mark] : node(.tuple(lists.exprList(from: mark)), s)
        try validateTarget(t, del: false)
        return t
    }

    mutating func parseWith(start s: PyStart, isAsync: Bool) throws -> PyStmt {
        advance()
        var items: [PyWithItem] = []
        if kind == .lpar {
            let save = p, saveProblems = problems.count, saveEnd = lastEndOff
            advance()
            var ok = true
            do {
                repeat {
                    if kind == .rpar { break }
                    items.append(try parseWithItem())
                } while accept(.comma)
                try expect(.rpar, "')'")
                if kind != .colon { ok = false }
            } catch { ok = false }
            if !ok {
                p = save; problems.removeSubrange(saveProblems...); lastEndOff = saveEnd
                items = []
            }
        }
        if items.isEmpty {
            repeat { items.append(try parseWithItem()) } while accept(.comma)
        }
        let body = try parseBlock()
        return stmt(.with(items: tree.list(items), body: body, isAsync: isAsync), s)
    }

    mutating func parseWithItem() throws -> PyWithItem {
        let e = try parseTest()
        var v: PyExpr? = nil
        if accept(.kwAs) {
            v = try parseBitOr(allowStar: true)
            try validateTarget(v!, del: false)
        }
        return PyWithItem(contextExpr: e, optionalVars: v)
    }

    mutating func parseTry() throws -> PyStmt {
        let s = startOf(p)
        advance()
        let body = try parseBlock()
        var handlers: [PyExceptHandlerNode] = []
        var isStar = false
        while kind == .kwExcept {
            let hs = startOf(p)
            advance()
            if accept(.star) { isStar = true }
            var type: PyExpr? = nil
            var name: String? = nil
            if kind != .colon {
                type = try parseTest()
                if kind == .comma {
                    // `except A, B:` is a 3.14 form; parenthesised tuple otherwise.
                    var xs = [type!]
                    while accept(.comma) { if kind == .colon { break }; xs.append(try parseTest()) }
                    type = node(.tuple(tree.list(xs)), from: xs[0])
                    throw PySyntaxError(message: "multiple exception types must be parenthesized", token: p)
                }
                if accept(.kwAs) {
                    guard kind == .name else { throw err("expected a name after 'as'") }
                    name = text(tok); advance()
                }
            }
            let hb = try parseBlock()
            handlers.append(PyExceptHandlerNode(type: type, name: name, body: hb, range16: PyRange16(SourceRange(start: loc(hs.off), end: lastEnd))))
        }
        var orElse: PyList<PyStmt> = lists.empty(), finalBody: PyList<PyStmt> = lists.empty()
        if kind == .kwElse {
            if handlers.isEmpty { throw err("expected 'except' or 'finally' block") }
            advance(); orElse = try parseBlock()
        }
        if kind == .kwFinally { advance(); finalBody = try parseBlock() }
        if handlers.isEmpty && finalBody.isEmpty {
            // Keep the body (it is still analysed) and report at the token where a handler was expected.
            record(err("expected 'except' or 'finally' block"))
        }
        return stmt(.try(body: body, handlers: tree.list(handlers), orElse: orElse, finalBody: finalBody, isStar: isStar), s)
    }

    mutating func parseTypeParams() throws -> PyList<PyExpr> {
        try expect(.lsqb, "'['")
        var out: [PyExpr] = []
        repeat {
            if kind == .rsqb { break }
            _ = accept(.star) || accept(.doubleStar)
            let s = startOf(p)
            guard kind == .name else { throw err("expected a type parameter name") }
            let n = text(tok); advance()
            out.append(node(.name(n), s))
            if accept(.colon) { out.append(try parseTest()) }
            if accept(.equal) { out.append(try parseTest()) }
        } while accept(.comma)
        try expect(.rsqb, "']'")
        return tree.list(out)
    }

    mutating func parseFunctionDef(decorators: PyList<PyExpr>, asyncStart: PyStart?) throws -> PyStmt {
        let s = asyncStart ?? startOf(p)
        advance() // def
        guard kind == .name else { throw err("expected a function name") }
        let name = text(tok), nameRange = range(tok)
        advance()
        let tps = kind == .lsqb ? try parseTypeParams() : lists.empty()
        try expect(.lpar, "'('")
        let args = try parseParameters(lambda: false)
        try expect(.rpar, "')'")
        var returns: PyExpr? = nil
        if accept(.rarrow) { returns = try parseTest() }
        let body = try parseBlock()
        let f = addFunction(PyFunctionDefNode(name: name, nameRange16: PyRange16(nameRange), args: args, returns: returns, body: body,
                                                         decorators: decorators, isAsync: asyncStart != nil, typeParams: tps))
        return stmt(.functionDef(f), s)
    }

    mutating func parseClassDef(decorators: PyList<PyExpr>) throws -> PyStmt {
        let s = startOf(p)
        advance()
        guard kind == .name else { throw err("expected a class name") }
        let name = text(tok), nameRange = range(tok)
        advance()
        let tps = kind == .lsqb ? try parseTypeParams() : lists.empty()
        var bases: PyList<PyExpr> = lists.empty(), kws: PyList<PyKeyword> = lists.empty()
        if accept(.lpar) {
            (bases, kws) = try parseCallArguments()
        }
        let body = try parseBlock()
        let c = addClass(PyClassDefNode(name: name, nameRange16: PyRange16(nameRange), bases: bases, keywords: kws, body: body,
                                                   decorators: decorators, typeParams: tps))
        return stmt(.classDef(c), s)
    }

    mutating func parseParameters(lambda: Bool) throws -> PyArguments {
        var a = PyArguments()
        var sawStar = false, sawSlash = false, sawDefault = false
        let close: PyTokenKind = lambda ? .colon : .rpar
        // The list being read (positional, then positional-or-keyword, then keyword-only) is built on `lists.params`.
        let ps = lists.params, mark = ps.count
        defer { ps.discard(from: mark) }
        while kind != close {
            if kind == .slash {
                if sawSlash || sawStar || ps.count == mark { throw err("invalid '/' in parameters") }
                advance(); sawSlash = true
                a.posOnly = ps.pop(from: mark)
            } else if kind == .star {
                if sawStar { throw err("'*' may appear only once") }
                advance(); sawStar = true
                a.args = ps.pop(from: mark)
                if kind == .name { a.vararg = try parseParam(lambda: lambda, allowDefault: false, starAnnotation: true) }
                else if kind != .comma { throw err("expected a parameter name after '*'") }
            } else if kind == .doubleStar {
                advance()
                a.kwarg = try parseParam(lambda: lambda, allowDefault: false, starAnnotation: false)
                _ = accept(.comma)
                if kind != close { throw err("parameters cannot follow '**' parameter") }
                break
            } else {
                let prm = try parseParam(lambda: lambda, allowDefault: true, starAnnotation: false)
                if !sawStar {
                    if prm.defaultValue != nil { sawDefault = true }
                    else if sawDefault { throw PySyntaxError(message: "non-default argument follows default argument", token: p - 1) }
                }
                ps.push(prm)
            }
            if !accept(.comma) { break }
        }
        if sawStar { a.kwOnly = ps.pop(from: mark) } else { a.args = ps.pop(from: mark) }
        return a
    }

    mutating func parseParam(lambda: Bool, allowDefault: Bool, starAnnotation: Bool) throws -> PyParameter {
        guard kind == .name else { throw err("expected a parameter name") }
        let s = startOf(p)
        let n = text(tok); advance()
        var ann: PyExpr? = nil, def: PyExpr? = nil
        if !lambda && accept(.colon) {
            ann = (starAnnotation && kind == .star) ? try parseStarredBitOr() : try parseTest()
        }
        let r = SourceRange(start: loc(s.off), end: lastEnd)
        if allowDefault && accept(.equal) { def = try parseTest() }
        return PyParameter(name: n, range: r, annotation: ann, defaultValue: def)
    }

    mutating func parseStarredBitOr() throws -> PyExpr {
        let s = startOf(p)
        advance()
        let v = try parseBitOr(allowStar: false)
        return node(.starred(v), s)
    }

    /// `match` soft keyword: returns nil (with position restored) when the line is not a match statement.
    mutating func tryParseMatch() throws -> PyStmt? {
        let save = p, saveProblems = problems.count, saveEnd = lastEndOff
        let s = startOf(p)
        advance()
        let next = kind
        if next == .equal || next == .dot || next == .newline || next == .colon || next == .comma || next == .rpar || Self.augOp(next) != nil {
            p = save; lastEndOff = saveEnd; return nil
        }
        var subject: PyExpr
        do {
            subject = try parseStarExpressions(allowNamed: true)
            guard kind == .colon, peekKind(1) == .newline, peekKind(2) == .indent else { throw err("x") }
        } catch {
            p = save; problems.removeSubrange(saveProblems...); lastEndOff = saveEnd
            return nil
        }
        advance(); advance(); advance()
        var cases: [PyMatchCase] = []
        while kind != .dedent && kind != .endMarker {
            let cs = p
            do {
                guard isName(tok, "case") else { throw err("expected 'case'") }
                advance()
                let ps = tok.start
                var d = 0
                var guardExpr: PyExpr? = nil
                var pe = ps
                while kind != .endMarker && kind != .newline {
                    if d == 0 && (kind == .colon || kind == .kwIf) { break }
                    switch kind {
                    case .lpar, .lsqb, .lbrace: d += 1
                    case .rpar, .rsqb, .rbrace: d -= 1
                    default: break
                    }
                    pe = tok.end
                    advance()
                }
                if pe == ps { throw err("expected a pattern") }
                if accept(.kwIf) { guardExpr = try parseNamedExpr() }
                let body = try parseBlock()
                cases.append(PyMatchCase(patternByteRange: ps..<pe, guardExpr: guardExpr, body: body))
            } catch let e as PySyntaxError {
                record(e)
                synchronize(from: cs)
                if kind == .indent {
                    let mark = lists.stmts.count
                    parseOrphanBlock()
                    lists.stmts.discard(from: mark)
                }
            }
        }
        _ = accept(.dedent)
        return stmt(.match(subject: subject, cases: tree.list(cases)), s)
    }

    // MARK: expressions

    /// `star_expressions`: a possibly unparenthesised tuple of expressions / starred expressions.
    mutating func parseStarExpressions(allowNamed: Bool = false) throws -> PyExpr {
        let s = startOf(p)
        let first = try parseStarOrTest(allowNamed: allowNamed)
        guard kind == .comma else { return first }
        let xs = lists.exprs, mark = xs.count
        defer { xs.discard(from: mark) }
        xs.push(first)
        while accept(.comma) {
            if atExprEnd || kind == .kwIn || Self.augOp(kind) != nil { break }
            xs.push(try parseStarOrTest(allowNamed: allowNamed))
        }
        return node(.tuple(lists.exprList(from: mark)), s)
    }

    mutating func parseStarOrTest(allowNamed: Bool) throws -> PyExpr {
        if kind == .star { return try parseStarredBitOr() }
        return allowNamed ? try parseNamedExpr() : try parseTest()
    }

    mutating func parseYield() throws -> PyExpr {
        let s = startOf(p)
        advance()
        if accept(.kwFrom) {
            let v = try parseTest()
            return node(.yieldFrom(v), s)
        }
        if atExprEnd { return node(.yield(nil), s) }
        let v = try parseStarExpressions()
        return node(.yield(v), s)
    }

    mutating func parseNamedExpr() throws -> PyExpr {
        if kind == .name && peekKind(1) == .colonEqual {
            let s = startOf(p)
            let t = node(.name(text(tok)), s)
            advance(); advance()
            let v = try parseTest()
            let target = addExpr(t.kind, PyCompactRange(SourceRange(start: loc(s.off), end: loc(toks[p].start)), t.byteRange), summary: 1)
            return node(.namedExpr(target: target, value: v), s)
        }
        return try parseTest()
    }

    mutating func parseTest() throws -> PyExpr {
        try enter(); defer { depth -= 1 }
        if startsLoneAtom { return try parseAtom() }
        if kind == .kwLambda { return try parseLambda() }
        let e = try parseOr()
        if kind == .kwIf {
            advance()
            let t = try parseOr()
            try expect(.kwElse, "'else' in conditional expression")
            let o = try parseTest()
            return node(.ifExp(test: t, body: e, orElse: o), from: e)
        }
        return e
    }

    /// True at a name, number, string or constant keyword followed by a token that ends every expression: the
    /// descent through the ten precedence levels would return `parseAtom()`'s node unchanged, so it is skipped.
    /// `@inline(__always)`: left out of line, each call copied the whole parser state (a non-mutating getter).
    @inline(__always) var startsLoneAtom: Bool {
        switch kind {
        case .name, .number, .string, .kwNone, .kwTrue, .kwFalse, .ellipsis: break
        default: return false
        }
        switch peekKind(1) {
        case .comma, .rpar, .rsqb, .rbrace, .colon, .equal, .newline, .semi, .endMarker: return true
        default: return false
        }
    }

    mutating func parseTestNoCond() throws -> PyExpr {
        if kind == .kwLambda { return try parseLambda() }
        return try parseOr()
    }

    mutating func parseLambda() throws -> PyExpr {
        let s = startOf(p)
        advance()
        let a = try parseParameters(lambda: true)
        try expect(.colon, "':'")
        let body = try parseTest()
        return node(.lambda(args: a, body: body), s)
    }

    mutating func parseOr() throws -> PyExpr {
        let e = try parseAnd()
        guard kind == .kwOr else { return e }
        let xs = lists.exprs, mark = xs.count
        defer { xs.discard(from: mark) }
        xs.push(e)
        while accept(.kwOr) { xs.push(try parseAnd()) }
        return node(.boolOp(op: .or, values: lists.exprList(from: mark)), from: e)
    }

    mutating func parseAnd() throws -> PyExpr {
        let e = try parseNot()
        guard kind == .kwAnd else { return e }
        let xs = lists.exprs, mark = xs.count
        defer { xs.discard(from: mark) }
        xs.push(e)
        while accept(.kwAnd) { xs.push(try parseNot()) }
        return node(.boolOp(op: .and, values: lists.exprList(from: mark)), from: e)
    }

    mutating func parseNot() throws -> PyExpr {
        if kind == .kwNot {
            try enter(); defer { depth -= 1 }
            let s = startOf(p); advance()
            let v = try parseNot()
            return node(.unaryOp(op: .not, operand: v), s)
        }
        return try parseComparison()
    }

    mutating func compOp() -> PyCmpOp? {
        switch kind {
        case .eqEqual: advance(); return .eq
        case .notEqual: advance(); return .notEq
        case .less: advance(); return .lt
        case .lessEqual: advance(); return .ltE
        case .greater: advance(); return .gt
        case .greaterEqual: advance(); return .gtE
        case .kwIn: advance(); return .in
        case .kwNot where peekKind(1) == .kwIn: advance(); advance(); return .notIn
        case .kwIs:
            advance()
            if accept(.kwNot) { return .isNot }
            return .is
        default: return nil
        }
    }

    mutating func parseComparison() throws -> PyExpr {
        let e = try parseBitOr(allowStar: false)
        guard var op = compOp() else { return e }
        let cs = lists.exprs, mark = cs.count
        defer { cs.discard(from: mark) }
        var ops: [PyCmpOp] = []
        ops.reserveCapacity(1)
        while true {
            ops.append(op)
            cs.push(try parseBitOr(allowStar: false))
            guard let next = compOp() else { break }
            op = next
        }
        return node(.compare(left: e, ops: tree.list(ops), comparators: lists.exprList(from: mark)), from: e)
    }

    static func binOp(_ k: PyTokenKind) -> (PyBinOp, Int)? {
        switch k {
        case .vbar: return (.bitOr, 1)
        case .circumflex: return (.bitXor, 2)
        case .amper: return (.bitAnd, 3)
        case .leftShift: return (.lShift, 4)
        case .rightShift: return (.rShift, 4)
        case .plus: return (.add, 5)
        case .minus: return (.sub, 5)
        case .star: return (.mult, 6)
        case .slash: return (.div, 6)
        case .percent: return (.mod, 6)
        case .doubleSlash: return (.floorDiv, 6)
        case .at: return (.matMult, 6)
        default: return nil
        }
    }

    /// `bitwise_or` level (precedence climbing over the binary operators), optionally a `*starred` element.
    mutating func parseBitOr(allowStar: Bool) throws -> PyExpr {
        if allowStar && kind == .star { return try parseStarredBitOr() }
        return try parseBinary(minPrec: 1)
    }

    mutating func parseBinary(minPrec: Int) throws -> PyExpr {
        var left = try parseUnary()
        while let (op, prec) = Self.binOp(kind), prec >= minPrec {
            advance()
            let right = try parseBinary(minPrec: prec + 1)
            left = node(.binOp(left: left, op: op, right: right), from: left)
        }
        return left
    }

    mutating func parseUnary() throws -> PyExpr {
        let op: PyUnaryOp
        switch kind {
        case .minus: op = .uSub
        case .plus: op = .uAdd
        case .tilde: op = .invert
        default: return try parsePower()
        }
        try enter(); defer { depth -= 1 }
        let s = startOf(p); advance()
        let v = try parseUnary()
        return node(.unaryOp(op: op, operand: v), s)
    }

    mutating func parsePower() throws -> PyExpr {
        var e: PyExpr
        if kind == .kwAwait {
            let s = startOf(p); advance()
            let v = try parsePrimary()
            e = node(.await(v), s)
        } else {
            e = try parsePrimary()
        }
        if accept(.doubleStar) {
            try enter(); defer { depth -= 1 }
            let r = try parseUnary()
            e = node(.binOp(left: e, op: .pow, right: r), from: e)
        }
        return e
    }

    mutating func parsePrimary() throws -> PyExpr {
        let s = startOf(p)
        var e = try parseAtom()
        while true {
            switch kind {
            case .dot:
                advance()
                guard kind == .name || (kind.rawValue >= PyTokenKind.kwFalse.rawValue) else { throw err("expected an attribute name") }
                if kind != .name { throw err("expected an attribute name") }
                let n = text(tok)
                advance()
                e = node(.attribute(value: e, attr: n), s)
            case .lpar:
                advance()
                let (args, kws) = try parseCallArguments()
                e = node(.call(func: e, args: args, keywords: kws), s)
                // A sole generator argument spans the call's parentheses (as in CPython).
            case .lsqb:
                advance()
                let sl = try parseSlices()
                try expect(.rsqb, "']'")
                e = node(.subscript(value: e, slice: sl), s)
            default:
                return e
            }
        }
    }

    /// Parses call arguments after `(` up to and including `)`.
    mutating func parseCallArguments() throws -> (PyList<PyExpr>, PyList<PyKeyword>) {
        try enter(); defer { depth -= 1 }
        let open = startOf(p - 1)
        let args = lists.exprs, kws = lists.keywords
        let argMark = args.count, kwMark = kws.count
        defer { args.discard(from: argMark); kws.discard(from: kwMark) }
        /// A `**mapping` argument came before.
        func unpacksMapping() -> Bool {
            for i in kwMark..<kws.count where kws[i].name == nil { return true }
            return false
        }
        while kind != .rpar {
            let s = startOf(p)
            let argTok = p
            if kind == .star {
                if unpacksMapping() {
                    throw PySyntaxError(message: "iterable argument unpacking follows keyword argument unpacking", token: p)
                }
                args.push(try parseStarredBitOr2())
            } else if kind == .doubleStar {
                advance()
                let v = try parseTest()
                kws.push(PyKeyword(name: nil, value: v, range: SourceRange(start: loc(s.off), end: lastEnd)))
            } else if kind == .name && peekKind(1) == .equal {
                let n = text(tok); advance(); advance()
                let v = try parseTest()
                kws.push(PyKeyword(name: n, value: v, range: SourceRange(start: loc(s.off), end: lastEnd)))
            } else {
                let v = try parseNamedExpr()
                if kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
                    let gens = try parseComprehensionClauses()
                    if kind == .rpar && args.count == argMark && kws.count == kwMark {
                        let k = PyExprKind.generator(elt: v, generators: gens), summary = PyExpr.summary(of: k)
                        let g = addExpr(k, PyCompactRange(SourceRange(start: loc(open.off), end: loc(toks[p].end)), open.off..<toks[p].end), summary: summary)
                        args.push(g)
                    } else {
                        args.push(node(.generator(elt: v, generators: gens), from: v))
                        if kind != .rpar || args.count - argMark > 1 || kws.count != kwMark {
                            throw PySyntaxError(message: "generator expression must be parenthesized", token: p)
                        }
                    }
                } else {
                    if kind == .equal {
                        throw PySyntaxError(message: "expression cannot contain assignment, perhaps you meant \"==\"?", token: p)
                    }
                    if kws.count != kwMark, unpacksMapping() {
                        throw PySyntaxError(message: "positional argument follows keyword argument unpacking", token: p - 1)
                    }
                    if kws.count != kwMark { throw PySyntaxError(message: "positional argument follows keyword argument", token: p - 1) }
                    args.push(v)
                }
            }
            if kind != .comma && kind != .rpar && startsExpression { throw PySyntaxError(message: "invalid syntax. Perhaps you forgot a comma?", token: argTok) }
            if !accept(.comma) { break }
        }
        try expect(.rpar, "')'")
        return (lists.exprList(from: argMark), lists.keywordList(from: kwMark))
    }

    /// Tokens that can only begin a new expression (used for CPython's "forgot a comma" diagnostic).
    var startsExpression: Bool {
        switch kind {
        case .name, .number, .string, .fstring, .kwNone, .kwTrue, .kwFalse, .kwLambda, .lbrace, .ellipsis: return true
        default: return false
        }
    }

    mutating func parseStarredBitOr2() throws -> PyExpr {
        let s = startOf(p)
        advance()
        let v = try parseTest()
        return node(.starred(v), s)
    }

    mutating func parseSlices() throws -> PyExpr {
        let s = startOf(p)
        let first = try parseSlice()
        guard kind == .comma else { return first }
        let xs = lists.exprs, mark = xs.count
        defer { xs.discard(from: mark) }
        xs.push(first)
        while accept(.comma) {
            if kind == .rsqb { break }
            xs.push(try parseSlice())
        }
        return node(.tuple(lists.exprList(from: mark)), s)
    }

    mutating func parseSlice() throws -> PyExpr {
        let s = startOf(p)
        if kind == .star { return try parseStarredBitOr() }
        var lower: PyExpr? = nil
        if kind != .colon {
            lower = try parseNamedExpr()
            if kind != .colon { return lower! }
        }
        advance()
        var upper: PyExpr? = nil, step: PyExpr? = nil
        if kind != .colon && kind != .rsqb && kind != .comma { upper = try parseTest() }
        if accept(.colon) {
            if kind != .rsqb && kind != .comma { step = try parseTest() }
        }
        return node(.slice(lower: lower, upper: upper, step: step), s)
    }

    mutating func parseComprehensionClauses() throws -> PyList<PyComprehension> {
        var gens: [PyComprehension] = []
        while kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
            let isAsync = accept(.kwAsync)
            advance()
            let target = try parseTargetList()
            try expect(.kwIn, "'in'")
            let iter = try parseOr()
            var ifs: [PyExpr] = []
            while accept(.kwIf) { ifs.append(try parseTestNoCond()) }
            gens.append(PyComprehension(target: target, iter: iter, ifs: tree.list(ifs), isAsync: isAsync))
        }
        return tree.list(gens)
    }

    mutating func parseAtom() throws -> PyExpr {
        let s = startOf(p)
        switch kind {
        case .name:
            let n = text(tok); advance()
            return leaf(.name(n), s)
        case .number:
            let n = text(tok); advance()
            return leaf(.constant(.number(n)), s)
        case .kwNone: advance(); return leaf(.constant(.none), s)
        case .kwTrue: advance(); return leaf(.constant(.true), s)
        case .kwFalse: advance(); return leaf(.constant(.false), s)
        case .ellipsis: advance(); return leaf(.constant(.ellipsis), s)
        case .string, .fstring: return try parseStrings()
        case .lpar:
            try enter(); defer { depth -= 1 }
            advance()
            if accept(.rpar) { return node(.tuple(lists.empty()), s) }
            if kind == .kwYield {
                let y = try parseYield()
                try expect(.rpar, "')'")
                return y
            }
            let first = try parseStarOrTest(allowNamed: true)
            if kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
                let gens = try parseComprehensionClauses()
                try expect(.rpar, "')'")
                return node(.generator(elt: first, generators: gens), s)
            }
            if accept(.rpar) {
                if case .starred = first.kind { throw PySyntaxError(message: "cannot use starred expression here", token: p - 1) }
                return first
            }
            guard kind == .comma else { throw err("expected ')'") }
            let xs = lists.exprs, mark = xs.count
            defer { xs.discard(from: mark) }
            xs.push(first)
            while accept(.comma) {
                if kind == .rpar { break }
                xs.push(try parseStarOrTest(allowNamed: true))
            }
            try expect(.rpar, "')'")
            return node(.tuple(lists.exprList(from: mark)), s)
        case .lsqb:
            try enter(); defer { depth -= 1 }
            advance()
            if accept(.rsqb) { return node(.list(lists.empty()), s) }
            let firstTok = p
            let first = try parseStarOrTest(allowNamed: true)
            if kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
                let gens = try parseComprehensionClauses()
                try expect(.rsqb, "']'")
                return node(.listComp(elt: first, generators: gens), s)
            }
            if startsExpression { throw PySyntaxError(message: "invalid syntax. Perhaps you forgot a comma?", token: firstTok) }
            let xs = lists.exprs, mark = xs.count
            defer { xs.discard(from: mark) }
            xs.push(first)
            while accept(.comma) {
                if kind == .rsqb { break }
                let et = p
                xs.push(try parseStarOrTest(allowNamed: true))
                if kind != .comma && kind != .rsqb && startsExpression { throw PySyntaxError(message: "invalid syntax. Perhaps you forgot a comma?", token: et) }
            }
            try expect(.rsqb, "']'")
            return node(.list(lists.exprList(from: mark)), s)
        case .lbrace:
            try enter(); defer { depth -= 1 }
            advance()
            if accept(.rbrace) { return node(.dict(keys: lists.empty(), values: lists.empty()), s) }
            return try parseDictOrSet(s)
        case .kwYield:
            throw err("'yield' outside parentheses")
        default:
            throw err("expected an expression")
        }
    }

    mutating func parseDictOrSet(_ s: PyStart) throws -> PyExpr {
        // A dict's values and a set's elements are built on `lists.exprs`, a dict's keys on `lists.optionalExprs`.
        let keys = lists.optionalExprs, values = lists.exprs, elts = lists.exprs
        let keyMark = keys.count, mark = values.count
        defer { keys.discard(from: keyMark); values.discard(from: mark) }
        var isDict = false
        // first element decides
        if kind == .doubleStar {
            isDict = true
            advance()
            keys.push(nil); values.push(try parseBitOr(allowStar: false))
        } else {
            let k = try parseStarOrTest(allowNamed: true)
            if accept(.colon) {
                isDict = true
                let v = try parseTest()
                if kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
                    let gens = try parseComprehensionClauses()
                    try expect(.rbrace, "'}'")
                    return node(.dictComp(key: k, value: v, generators: gens), s)
                }
                keys.push(k); values.push(v)
            } else {
                if kind == .kwFor || (kind == .kwAsync && peekKind(1) == .kwFor) {
                    let gens = try parseComprehensionClauses()
                    try expect(.rbrace, "'}'")
                    return node(.setComp(elt: k, generators: gens), s)
                }
                elts.push(k)
            }
        }
        while accept(.comma) {
            if kind == .rbrace { break }
            if isDict {
                if accept(.doubleStar) { keys.push(nil); values.push(try parseBitOr(allowStar: false)); continue }
                let k = try parseTest()
                try expect(.colon, "':'")
                keys.push(k); values.push(try parseTest())
            } else {
                elts.push(try parseStarOrTest(allowNamed: true))
            }
        }
        try expect(.rbrace, "'}'")
        return isDict ? node(.dict(keys: lists.optionalExprList(from: keyMark), values: lists.exprList(from: mark)), s) : node(.set(lists.exprList(from: mark)), s)
    }

    /// Adjacent string literals (implicit concatenation); f-string replacement fields are parsed as expressions.
    mutating func parseStrings() throws -> PyExpr {
        let s = startOf(p)
        let values = lists.exprs, mark = values.count
        defer { values.discard(from: mark) }
        var anyF = false, anyBytes = false
        while kind == .string || kind == .fstring {
            let t = tok
            var q = t.start
            var raw = false
            while b[q] != 0x22 && b[q] != 0x27 {
                if b[q] | 0x20 == 0x62 { anyBytes = true }
                if b[q] | 0x20 == 0x72 { raw = true }
                q += 1
            }
            if t.kind == .fstring {
                anyF = true
                var fields: [Range<Int>]? = nil
                _ = PyLexer.scanString(b, from: q, limit: t.end, isF: true, raw: raw, fields: &fields)
                for f in fields ?? [] {
                    if let e = try parseField(f) { values.push(e) }
                }
            }
            advance()
        }
        if anyF {
            var fields = values.pop(from: mark)
            fields.sort { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
            return node(.fstring(values: tree.list(fields)), s)
        }
        let literal = PyStringLiteral(tree: tree, s.off..<lastEndOff)
        return node(.constant(anyBytes ? .bytes(literal) : .string(literal)), s)
    }

    /// Parses one replacement-field expression `bytes[r]` with a sub-lexer; positions are file positions.
    mutating func parseField(_ r: Range<Int>) throws -> PyExpr? {
        var lo = r.lowerBound, hi = r.upperBound
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == 0x0A || b[hi - 1] == 0x0D { hi -= 1 }
        if hi > lo, b[hi - 1] == 0x3D, hi - 2 < lo || !(b[hi - 2] == 0x3D || b[hi - 2] == 0x21 || b[hi - 2] == 0x3C || b[hi - 2] == 0x3E) {
            hi -= 1
        }
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 || b[lo] == 0x0A || b[lo] == 0x0D { lo += 1 }
        if lo >= hi { throw PySyntaxError(message: "f-string: empty expression not allowed", token: p) }
        try enter(); defer { depth -= 1 }
        let lex = PyLexer.tokenizeCompact(b, map: map, range: lo..<hi, subMode: true)
        var sub = PyParserState(b: b, map: map, tokens: lex.tokens, lists: lists)
        sub.depth = depth
        sub.stmtDepth = stmtDepth + 1 // the f-string node holding the field
        sub.reportedTooDeep = reportedTooDeep
        do {
            let e = sub.kind == .kwYield ? try sub.parseYield() : try sub.parseStarExpressions(allowNamed: true)
            if sub.kind != .endMarker { throw sub.err("f-string: expecting '}'") }
            if !sub.problems.isEmpty { problems.append(contentsOf: sub.problems) }
            reportedTooDeep = reportedTooDeep || sub.reportedTooDeep
            return e
        } catch let e as PySyntaxError {
            let t = sub.toks[min(e.token, sub.toks.count - 1)]
            problems.append(contentsOf: sub.problems)
            problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: \(e.message)", range: sub.range(t)))
            return nil
        }
    }
}

