#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Python tokenizer for Python 3.8–3.13 source.
// Spec: https://docs.python.org/3/reference/lexical_analysis.html
// F-strings: PEP 498 and PEP 701 (https://peps.python.org/pep-0701/).

/// The kind of a Python token. Keywords get their own kinds; soft keywords (`match`, `case`, `type`) stay `.name`.
public enum PyTokenKind: UInt8, Sendable {
    case name, number, string, fstring, newline, nl, comment, indent, dedent, endMarker, error
    // operators
    case lpar, rpar, lsqb, rsqb, lbrace, rbrace, colon, comma, semi, plus, minus, star, slash, vbar, amper
    case less, greater, equal, dot, percent, eqEqual, notEqual, lessEqual, greaterEqual, tilde, circumflex
    case leftShift, rightShift, doubleStar, plusEqual, minusEqual, starEqual, slashEqual, percentEqual
    case amperEqual, vbarEqual, circumflexEqual, leftShiftEqual, rightShiftEqual, doubleStarEqual
    case doubleSlash, doubleSlashEqual, at, atEqual, rarrow, ellipsis, colonEqual, exclamation
    // keywords
    case kwFalse, kwNone, kwTrue, kwAnd, kwAs, kwAssert, kwAsync, kwAwait, kwBreak, kwClass, kwContinue
    case kwDef, kwDel, kwElif, kwElse, kwExcept, kwFinally, kwFor, kwFrom, kwGlobal, kwIf, kwImport, kwIn
    case kwIs, kwLambda, kwNonlocal, kwNot, kwOr, kwPass, kwRaise, kwReturn, kwTry, kwWhile, kwWith, kwYield
}

/// One token: byte range in the file and 1-based start/end positions (columns in Unicode scalars).
public struct PyToken: Sendable {
    public var kind: PyTokenKind
    /// Byte offsets `[start, end)` into the source buffer.
    public var start: Int
    public var end: Int
    public var range: SourceRange
}

/// A token as the parser reads it: kind and byte offsets only; positions are computed from the offsets when a node
/// or problem needs them. Stored packed in a `PyTokenBuffer`.
struct PyTok {
    var kind: PyTokenKind
    private var s32: Int32, e32: Int32
    @inline(__always) init(kind: PyTokenKind, start: Int, end: Int) { self.kind = kind; s32 = Int32(truncatingIfNeeded: start); e32 = Int32(truncatingIfNeeded: end) }
    @inline(__always) var start: Int { Int(s32) }
    @inline(__always) var end: Int { Int(e32) }
}

/// The token array in 8 bytes per token (32-bit start, 24-bit length, 8-bit kind) instead of 12, trimmed to its
/// length after lexing: the tokens of a whole file live while it is parsed, next to the tree. A token of 16 MiB or
/// more (a huge string literal) keeps its end in a side table.
struct PyTokenBuffer {
    private var packed: [UInt64] = []
    private var longEnds: [Int: Int] = [:]
    private static let longLength: UInt64 = 0xFF_FFFF

    @inline(__always) var count: Int { packed.count }

    /// The tokens a `PyTokenWriter` wrote, in an array of exactly their number.
    fileprivate init(_ words: UnsafeBufferPointer<UInt64>, longEnds: [Int: Int]) {
        packed = Array(words)
        self.longEnds = longEnds
    }
    init() {}

    /// A token's word: 32-bit start, 24-bit length (`longLength` when the end is in `longEnds`), 8-bit kind.
    @inline(__always) fileprivate static func word(_ t: PyTok) -> UInt64 {
        let len = UInt64(t.end - t.start)
        return UInt64(UInt32(truncatingIfNeeded: t.start)) | (min(len, longLength) << 32) | (UInt64(t.kind.rawValue) << 56)
    }
    @inline(__always) fileprivate static func isLong(_ t: PyTok) -> Bool { UInt64(t.end - t.start) >= longLength }

    /// Word `i`, bounds-checked, read through the buffer pointer: the parser reads a token word several times per
    /// node, and `Array`'s subscript was sometimes left out of line in its larger functions (a call per read).
    @inline(__always) private func word(_ i: Int) -> UInt64 {
        packed.withUnsafeBufferPointer { buf in
            precondition(i >= 0 && i < buf.count, "token index out of range")
            return buf[i]
        }
    }

    @inline(__always) subscript(i: Int) -> PyTok {
        let w = word(i)
        let start = Int(UInt32(truncatingIfNeeded: w))
        let len = (w >> 32) & Self.longLength
        let end = len == Self.longLength ? longEnds[i]! : start + Int(len)
        return PyTok(kind: unsafeBitCast(UInt8(truncatingIfNeeded: w >> 56), to: PyTokenKind.self), start: start, end: end)
    }
    /// Only kinds are stored in the top byte, so every value there is a valid raw value.
    @inline(__always) func kind(_ i: Int) -> PyTokenKind { unsafeBitCast(UInt8(truncatingIfNeeded: word(i) >> 56), to: PyTokenKind.self) }

    /// End offset of token `i` (what `advance` needs), without building the whole token.
    @inline(__always) func end(_ i: Int) -> Int {
        let w = word(i)
        let len = (w >> 32) & Self.longLength
        return len == Self.longLength ? longEnds[i]! : Int(UInt32(truncatingIfNeeded: w)) + Int(len)
    }

    var first: PyTok? { packed.isEmpty ? nil : self[0] }
    var last: PyTok? { packed.isEmpty ? nil : self[packed.count - 1] }
    func map<T>(_ f: (PyTok) -> T) -> [T] { (0..<packed.count).map { f(self[$0]) } }

}

/// Where the lexer appends its tokens: a buffer it owns, copied into the `PyTokenBuffer`'s array of exact length when
/// lexing ends (`finish`). An append is a capacity check and a store; appending to the array itself cost ~30
/// instructions a token (a call to check that the buffer is uniquely referenced, then the capacity), and growth by
/// doubling left up to a third of the array unused. A plain struct: `PyLexer` holds the only copy that writes, and
/// `finish` must be called once (it frees the buffer).
struct PyTokenWriter {
    private var base: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0
    private var longEnds: [Int: Int] = [:]

    init(capacity: Int) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always) mutating func append(_ t: PyTok) {
        if count == capacity { grow() }
        if PyTokenBuffer.isLong(t) { longEnds[count] = t.end }
        base[count] = PyTokenBuffer.word(t)
        count &+= 1
    }

    private mutating func grow() {
        let n = capacity * 2
        let nb = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        nb.moveInitialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = n
    }

    /// The kind of the last token written, if any.
    var lastKind: PyTokenKind? {
        count == 0 ? nil : unsafeBitCast(UInt8(truncatingIfNeeded: base[count - 1] >> 56), to: PyTokenKind.self)
    }
    /// Offsets of the last token written (it is never a long one where this is asked: a colon).
    var last: PyTok? {
        guard count > 0 else { return nil }
        let w = base[count - 1]
        let start = Int(UInt32(truncatingIfNeeded: w)), len = Int((w >> 32) & 0xFF_FFFF)
        let end = longEnds[count - 1] ?? start + len
        return PyTok(kind: unsafeBitCast(UInt8(truncatingIfNeeded: w >> 56), to: PyTokenKind.self), start: start, end: end)
    }

    /// The tokens as a `PyTokenBuffer`; frees this buffer.
    mutating func finish() -> PyTokenBuffer {
        let out = PyTokenBuffer(UnsafeBufferPointer(start: base, count: count), longEnds: longEnds)
        base.deallocate()
        count = 0; capacity = 0
        return out
    }
}

/// The lexer's stack of open brackets (kind byte and offset), in a buffer of its own: pushed and popped at every
/// bracket, where an array of tuples paid a uniqueness check per change. `free` must be called once, when lexing ends.
/// Not a `PyListStack`: a lexer is made per f-string field too, and that class, generic over a tuple, cost a metadata
/// lookup and three allocations per lexer (+30 M instructions on the large real tree).
struct PyBracketStack {
    private var base: UnsafeMutablePointer<(kind: UInt8, offset: Int)>
    private var capacity = 16
    private var count = 0

    init() { base = .allocate(capacity: 16) }

    @inline(__always) var isEmpty: Bool { count == 0 }
    /// The outermost open bracket.
    var first: (kind: UInt8, offset: Int)? { count == 0 ? nil : base[0] }

    @inline(__always) mutating func push(_ kind: UInt8, _ offset: Int) {
        if count == capacity {
            let nb = UnsafeMutablePointer<(kind: UInt8, offset: Int)>.allocate(capacity: capacity * 2)
            nb.moveInitialize(from: base, count: count)
            base.deallocate()
            base = nb; capacity *= 2
        }
        (base + count).initialize(to: (kind, offset))
        count &+= 1
    }
    /// Removes the innermost bracket (the stack is not empty) and returns its kind.
    @inline(__always) mutating func popKind() -> UInt8 {
        count &-= 1
        return base[count].kind
    }
    mutating func removeAll() { count = 0 }
    mutating func free() { base.deallocate(); count = 0; capacity = 0 }
}

/// The line of the last position looked up (a hint for the next one, which is usually on the same line).
final class PyLineHint { var line = 1 }

/// Converts byte offsets to `SourceLocation`s (scalar columns), ignoring a leading UTF-8 BOM.
public struct PyPositionMap: Sendable {
    public let lineStarts: [Int]
    /// Per line, whether it is ASCII; empty when the whole file is (`isASCII`), which is most files.
    private let asciiLine: [Bool]
    private let bom: Int
    /// True when every byte after the BOM is ASCII (then the file is valid UTF-8 without checking).
    public let isASCII: Bool

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        bom = (n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ? 3 : 0
        guard let base = bytes.baseAddress, n > bom else {
            lineStarts = [bom]; asciiLine = []; isASCII = true
            return
        }
        var starts: [Int] = []
        starts.reserveCapacity(n / 30 + 2)  // before the first element: one allocation, not two
        starts.append(bom)
        let allAscii = !LineIndex.hasNonASCII(UnsafeBufferPointer(start: base + bom, count: n - bom))
        LineIndex.appendLineStarts(bytes, from: bom, to: &starts)
        // A line is ASCII when no byte of it (terminator included) is 0x80 or above.
        var ascii: [Bool]
        if allAscii {
            ascii = []
        } else {
            ascii = []
            ascii.reserveCapacity(starts.count)
            for k in 0..<starts.count {
                let s = starts[k], e = k + 1 < starts.count ? starts[k + 1] : n
                ascii.append(!LineIndex.hasNonASCII(UnsafeBufferPointer(start: base + s, count: e - s)))
            }
        }
        isASCII = allAscii
        lineStarts = starts
        asciiLine = ascii
    }

    /// 1-based line of a byte offset.
    @inline(__always)
    public func line(of offset: Int, hint: Int = 0) -> Int {
        let c = lineStarts.count
        if hint > 0, hint <= c, lineStarts[hint - 1] <= offset {
            // On the hinted line or a few lines below it (the next position is usually close to the last one).
            var l = hint
            while l <= hint + 8 {
                if l == c || lineStarts[l] > offset { return l }
                l += 1
            }
        }
        var lo = 0, hi = c - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// True when 1-based line `l` holds only ASCII bytes (its columns are byte offsets).
    @inline(__always) func isASCIILine(_ l: Int) -> Bool { isASCII || asciiLine[l - 1] }

    public func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, hint: Int = 0) -> SourceLocation {
        let l = line(of: offset, hint: hint)
        let s = lineStarts[l - 1]
        if offset <= s { return SourceLocation(line: l, column: 1) }
        if isASCIILine(l) { return SourceLocation(line: l, column: offset - s + 1) }
        var col = 1
        var i = s
        let e = min(offset, bytes.count)
        while i < e { if bytes[i] & 0xC0 != 0x80 { col += 1 }; i += 1 }
        return SourceLocation(line: l, column: col)
    }
}

/// Result of tokenizing a file (or a sub-range, for f-string replacement fields).
public struct PyLexResult: Sendable {
    public var tokens: [PyToken]
    /// Comment tokens, in order (also absent from `tokens`).
    public var comments: [PyToken]
    public var problems: [ParseProblem]
}

/// Tokenizer over UTF-8 bytes. Produces NEWLINE/INDENT/DEDENT like CPython's tokenizer; NL and comments go to `comments`.
public struct PyLexer {
    let b: UnsafeBufferPointer<UInt8>
    let map: PyPositionMap
    var i: Int
    let end: Int
    var tokens: PyTokenWriter
    var comments: [PyToken] = []
    var problems: [ParseProblem] = []
    /// Indentation stacks (`[0]` at the start of a file; empty and never used in `subMode`, where a lexer per
    /// f-string field would otherwise allocate both).
    var indents: [Int]
    var altIndents: [Int]
    /// Open brackets, innermost last.
    var parens = PyBracketStack()
    var atLineStart = true
    var lineHint = 1
    let subMode: Bool
    var sawNUL = false

    /// Nesting limit of f-strings inside f-string replacement fields (CPython's `MAXFSTRINGLEVEL`).
    public static let maxFStringNesting = 150

    /// Tokenizes `bytes[range]`. In `subMode` (f-string fields) the text behaves as if inside brackets.
    public static func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, map: PyPositionMap, range: Range<Int>? = nil, subMode: Bool = false) -> PyLexResult {
        let lx = tokenizeCompact(bytes, map: map, range: range, subMode: subMode)
        let hint = PyLineHint()
        func loc(_ off: Int) -> SourceLocation {
            let l = map.location(of: off, in: bytes, hint: hint.line); hint.line = l.line; return l
        }
        let tokens = lx.tokens.map { PyToken(kind: $0.kind, start: $0.start, end: $0.end, range: SourceRange(start: loc($0.start), end: loc($0.end))) }
        return PyLexResult(tokens: tokens, comments: lx.comments, problems: lx.problems)
    }

    /// Tokens as the parser keeps them (no positions).
    static func tokenizeCompact(_ bytes: UnsafeBufferPointer<UInt8>, map: PyPositionMap, range: Range<Int>? = nil, subMode: Bool = false) -> (tokens: PyTokenBuffer, comments: [PyToken], problems: [ParseProblem]) {
        var lx = PyLexer(b: bytes, map: map, i: range?.lowerBound ?? map.lineStarts[0], end: range?.upperBound ?? bytes.count, subMode: subMode)
        if subMode { lx.atLineStart = false }
        lx.run()
        lx.parens.free()
        return (lx.tokens.finish(), lx.comments, lx.problems)
    }

    init(b: UnsafeBufferPointer<UInt8>, map: PyPositionMap, i: Int, end: Int, subMode: Bool) {
        self.b = b; self.map = map; self.i = i; self.end = end; self.subMode = subMode
        indents = []; altIndents = []
        if !subMode {
            // Room for ordinary nesting, so that the stacks do not grow by doubling from one element.
            indents.reserveCapacity(16); altIndents.reserveCapacity(16)
            indents.append(0); altIndents.append(0)
        }
        tokens = PyTokenWriter(capacity: subMode ? 8 : (end - i) / 6)
    }

    @inline(__always) func peek(_ k: Int = 0) -> UInt8 { i + k < end ? b[i + k] : 0 }

    mutating func loc(_ off: Int) -> SourceLocation {
        let l = map.location(of: off, in: b, hint: lineHint)
        lineHint = l.line
        return l
    }

    @inline(__always) mutating func add(_ kind: PyTokenKind, _ s: Int, _ e: Int) {
        if kind == .comment { addComment(s, e) } else { tokens.append(PyTok(kind: kind, start: s, end: e)) }
    }

    mutating func addComment(_ s: Int, _ e: Int) {
        comments.append(PyToken(kind: .comment, start: s, end: e, range: SourceRange(start: loc(s), end: loc(e))))
    }

    mutating func problem(_ msg: String, _ s: Int, _ e: Int) {
        problems.append(ParseProblem(code: "syntax-error", message: "`syntax-error`: \(msg)", range: SourceRange(start: loc(s), end: loc(max(e, s)))))
    }

    var inBrackets: Bool { subMode || !parens.isEmpty }

    mutating func run() {
        while i < end {
            if atLineStart && !subMode {
                if handleIndentation() { continue }
            }
            let c = b[i]
            switch c {
            case 0x20, 0x09, 0x0C:
                // A run of spaces in one loop, not one trip through the dispatch per space.
                var j = i &+ 1
                while j < end, b[j] == 0x20 { j &+= 1 }
                i = j
            case 0x0A, 0x0D:
                let s = i
                if c == 0x0D, peek(1) == 0x0A { i += 2 } else { i += 1 }
                if !inBrackets {
                    add(.newline, s, i)
                    atLineStart = true
                } else if !subMode {
                    // Recovery: a statement keyword at the start of the next line, or a `def`/`class` header line
                    // that ends in `:` with its bracket still open, closes runaway brackets.
                    if lineStartsWithStatementKeyword() != nil || headerEndsInsideBracket(newlineAt: s) {
                        let open = parens.first!
                        do {
                            let ch = String(UnicodeScalar(open.kind))
                            problem("'\(ch)' was never closed", open.offset, open.offset + 1)
                            parens.removeAll()
                            add(.newline, s, i)
                            atLineStart = true
                        }
                    }
                }
            case 0x23: // '#'
                let s = i
                while i < end, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
                add(.comment, s, i)
            case 0x5C: // '\'
                if peek(1) == 0x0A { i += 2; lineHint += 1 }
                else if peek(1) == 0x0D { i += peek(2) == 0x0A ? 3 : 2 }
                else {
                    problem("unexpected character after line continuation character", i, i + 1)
                    add(.error, i, i + 1); i += 1
                }
                if i >= end, !subMode { problem("unexpected EOF while parsing", i - 1, i) }
            case 0x00:
                // CPython refuses the whole file; report the first NUL only, so a file full of them stays one finding.
                if !sawNUL { sawNUL = true; problem("source code cannot contain null bytes", i, i + 1) }
                i += 1
            case 0x30...0x39:
                lexNumber()
            case 0x2E where peek(1) >= 0x30 && peek(1) <= 0x39:
                lexNumber()
            case 0x22, 0x27:
                lexString(prefixStart: i, isF: false)
            default:
                if isIdentStart(c) {
                    lexNameOrString()
                } else {
                    lexOperator()
                }
            }
        }
        if !subMode {
            if let open = parens.first {
                let ch = String(UnicodeScalar(open.kind))
                problem("'\(ch)' was never closed", open.offset, open.offset + 1)
            }
            if let last = tokens.lastKind, last != .newline, last != .dedent, last != .indent {
                add(.newline, end, end)
            }
            while indents.count > 1 { indents.removeLast(); add(.dedent, end, end) }
        }
        add(.endMarker, end, end)
    }

    /// True when the last token before the newline at `nl` is `:` and the outermost open bracket sits on a line
    /// that starts with `def` or `class` (e.g. `def f(:`), so the header can never be completed.
    // `mutating` (here and in `lineStartsWithStatementKeyword`, `keywordKind`) only so that the call from `run` passes
    // the lexer by reference: a non-mutating call copied the whole struct (a memcpy per name token).
    mutating func headerEndsInsideBracket(newlineAt nl: Int) -> Bool {
        guard let last = tokens.last, last.kind == .colon, let open = parens.first else { return false }
        var j = open.offset
        while j > 0, b[j - 1] != 0x0A, b[j - 1] != 0x0D { j -= 1 }
        while j < open.offset, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0C { j += 1 }
        func word(_ w: StaticString) -> Bool {
            let n = w.utf8CodeUnitCount
            guard j + n < end, b.hasBytes(w, at: j) else { return false }
            return b[j + n] == 0x20 || b[j + n] == 0x09
        }
        if !(word("def") || word("class") || word("async")) { return false }
        // the colon must be on the same line as the newline
        return last.end <= nl && map.line(of: last.start) == map.line(of: nl)
    }

    /// If the line at `i` begins with a keyword that can never continue a bracketed expression, its offset.
    mutating func lineStartsWithStatementKeyword() -> Int? {
        var j = i
        while j < end, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0C { j += 1 }
        let s = j
        while j < end, isIdentChar(b[j]) { j += 1 }
        guard j > s, j - s <= 8 else { return nil }
        if j < end, b[j] != 0x20, b[j] != 0x3A, b[j] != 0x0A, b[j] != 0x0D, b[j] != 0x28, b[j] != 0x09 { return nil }
        switch keywordKind(s, j) {
        case .kwDef, .kwClass, .kwImport, .kwReturn, .kwRaise, .kwTry, .kwWhile, .kwWith, .kwPass, .kwBreak, .kwContinue,
             .kwGlobal, .kwNonlocal, .kwAssert, .kwDel, .kwElif, .kwExcept, .kwFinally:
            return s
        default:
            return nil
        }
    }

    /// Handles indentation at the start of a line. Returns true if the whole line was consumed (blank/comment).
    mutating func handleIndentation() -> Bool {
        var col = 0, alt = 0
        let lineStart = i
        while i < end {
            let c = b[i]
            if c == 0x20 { col += 1; alt += 1 }
            else if c == 0x09 { col = (col / 8 + 1) * 8; alt += 1 }
            else if c == 0x0C { col = 0; alt = 0 }
            else { break }
            i += 1
        }
        if i >= end { atLineStart = false; return true }
        let c = b[i]
        if c == 0x23 || c == 0x0A || c == 0x0D {
            // blank or comment-only line: NL, no indentation change
            if c == 0x23 {
                let s = i
                while i < end, b[i] != 0x0A, b[i] != 0x0D { i += 1 }
                add(.comment, s, i)
            }
            if i < end {
                if b[i] == 0x0D, peek(1) == 0x0A { i += 2 } else { i += 1 }
            }
            return true
        }
        atLineStart = false
        let top = indents[indents.count - 1]
        if col > top {
            if alt <= altIndents[altIndents.count - 1] {
                problem("inconsistent use of tabs and spaces in indentation", lineStart, i)
            }
            indents.append(col); altIndents.append(alt)
            add(.indent, lineStart, i)
        } else if col < top {
            while indents.count > 1, col < indents[indents.count - 1] {
                indents.removeLast(); altIndents.removeLast()
                add(.dedent, i, i)
            }
            if col != indents[indents.count - 1] {
                problem("unindent does not match any outer indentation level", lineStart, i)
                // Treat it as the nearest outer level to keep going.
            } else if alt != altIndents[altIndents.count - 1] {
                problem("inconsistent use of tabs and spaces in indentation", lineStart, i)
            }
        } else if alt != altIndents[altIndents.count - 1] {
            problem("inconsistent use of tabs and spaces in indentation", lineStart, i)
        }
        return false
    }

    /// Bit `c & 63` of these words says whether ASCII byte `c` may continue an identifier: digits (0x30–0x39) in the
    /// word of bytes 0–63, `A`–`Z`, `_` and `a`–`z` in the word of bytes 64–127. A test is a shift and a mask, the same for
    /// every byte (the chain of range comparisons it replaces took ~20 instructions for anything but a lowercase letter).
    @usableFromInline static let identLow: UInt64 = 0x03FF_0000_0000_0000, identHigh: UInt64 = 0x07FF_FFFE_87FF_FFFE

    /// The high bit of each byte of `w` that cannot continue an identifier (as `isIdentChar`: not a letter, digit,
    /// `_` or byte of 0x80 and above), all eight bytes tested at once. With bytes read in order into a little-endian
    /// word, the first such byte is the lowest set bit's byte. Ranges are tested per byte on the low seven bits: adding
    /// `0x80 - lo` to a byte of at most 0x7F sets its high bit exactly when it is `lo` or above, and no byte carries into
    /// the next; letters are tested once, their case bit set.
    @inline(__always) static func nonIdentBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let x = w & ~high  // low seven bits of each byte
        @inline(__always) func atLeast(_ v: UInt64, _ lo: UInt64) -> UInt64 { (v &+ ones &* (0x80 &- lo)) & high }
        @inline(__always) func above(_ v: UInt64, _ hi: UInt64) -> UInt64 { (v &+ ones &* (0x7F &- hi)) & high }
        let folded = x | (ones &* 0x20)
        let letter = atLeast(folded, 0x61) & ~above(folded, 0x7A)
        let digit = atLeast(x, 0x30) & ~above(x, 0x39)
        let u = x ^ (ones &* 0x5F)  // zero where the byte is `_`
        let underscore = ~((u &+ ones &* 0x7F) | u) & high
        return ~(w | letter | digit | underscore) & high
    }

    /// The high bit of each byte of `w` that equals `c`, exactly (the low seven bits are added without a carry into
    /// the next byte), so the first such byte is the lowest set bit's byte.
    @inline(__always) static func bytesEqual(_ w: UInt64, _ c: UInt8) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let u = w ^ (0x0101_0101_0101_0101 &* UInt64(c))
        return ~(((u & low7) &+ low7) | u) & ~low7
    }

    @inline(__always) func isIdentStart(_ c: UInt8) -> Bool {
        c >= 0x80 || (c >= 0x40 && (PyLexer.identHigh &>> UInt64(c & 63)) & 1 != 0)
    }
    @inline(__always) func isIdentChar(_ c: UInt8) -> Bool {
        c >= 0x80 || ((c < 0x40 ? PyLexer.identLow : PyLexer.identHigh) &>> UInt64(c & 63)) & 1 != 0
    }

    /// A name, keyword or prefixed string literal (`rb"…"`, `f'…'`) at `i`, which holds an identifier's first byte.
    /// The identifier is scanned once, in a local (a stored `i` was written back at every byte); only one of 1–3 bytes
    /// followed by a quote is then checked for being a string prefix (letters `r`, `b`, `u`, `f` in any case).
    mutating func lexNameOrString() {
        let s = i
        var j = s &+ 1
        // Eight bytes at a time while eight can be read before `end`, then byte by byte.
        while j &+ 8 <= end {
            let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress! + j).loadUnaligned(as: UInt64.self))
            let stop = PyLexer.nonIdentBytes(w)
            if stop != 0 { j &+= stop.trailingZeroBitCount >> 3; break }
            j &+= 8
        }
        while j < end, isIdentChar(b[j]) { j &+= 1 }
        if j &- s <= 3, j < end, b[j] == 0x22 || b[j] == 0x27 {
            var isF = false, valid = true
            for k in s..<j {
                switch b[k] | 0x20 {
                case 0x72, 0x62, 0x75: break // r b u
                case 0x66: isF = true
                default: valid = false
                }
            }
            if valid {
                i = j
                lexString(prefixStart: s, isF: isF)
                return
            }
        }
        i = j
        add(keywordKind(s, j), s, j)
    }

    mutating func keywordKind(_ s: Int, _ e: Int) -> PyTokenKind {
        let n = e - s
        guard n >= 2, n <= 8 else { return .name }
        let c0 = b[s]
        @inline(__always) func eq(_ w: StaticString) -> Bool { w.utf8CodeUnitCount == n && b.hasBytes(w, at: s) }
        switch c0 {
        case 0x46: return eq("False") ? .kwFalse : .name
        case 0x4E: return eq("None") ? .kwNone : .name
        case 0x54: return eq("True") ? .kwTrue : .name
        case 0x61:
            if eq("and") { return .kwAnd }; if eq("as") { return .kwAs }; if eq("assert") { return .kwAssert }
            if eq("async") { return .kwAsync }; if eq("await") { return .kwAwait }
        case 0x62: if eq("break") { return .kwBreak }
        case 0x63: if eq("class") { return .kwClass }; if eq("continue") { return .kwContinue }
        case 0x64: if eq("def") { return .kwDef }; if eq("del") { return .kwDel }
        case 0x65: if eq("elif") { return .kwElif }; if eq("else") { return .kwElse }; if eq("except") { return .kwExcept }
        case 0x66: if eq("finally") { return .kwFinally }; if eq("for") { return .kwFor }; if eq("from") { return .kwFrom }
        case 0x67: if eq("global") { return .kwGlobal }
        case 0x69: if eq("if") { return .kwIf }; if eq("import") { return .kwImport }; if eq("in") { return .kwIn }; if eq("is") { return .kwIs }
        case 0x6C: if eq("lambda") { return .kwLambda }
        case 0x6E: if eq("nonlocal") { return .kwNonlocal }; if eq("not") { return .kwNot }
        case 0x6F: if eq("or") { return .kwOr }
        case 0x70: if eq("pass") { return .kwPass }
        case 0x72: if eq("raise") { return .kwRaise }; if eq("return") { return .kwReturn }
        case 0x74: if eq("try") { return .kwTry }
        case 0x77: if eq("while") { return .kwWhile }; if eq("with") { return .kwWith }
        case 0x79: if eq("yield") { return .kwYield }
        default: break
        }
        return .name
    }

    mutating func lexNumber() {
        let s = i
        @inline(__always) func isDigitish(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || c == 0x5F }
        if b[i] == 0x30, i + 1 < end, [0x78, 0x58, 0x6F, 0x4F, 0x62, 0x42].contains(b[i + 1]) {
            i += 2
            while i < end, isIdentChar(b[i]) { i += 1 } // hex digits/underscores (lenient)
        } else {
            while i < end, isDigitish(b[i]) { i += 1 }
            let intEnd = i
            if i < end, b[i] == 0x2E { i += 1; while i < end, isDigitish(b[i]) { i += 1 } }
            if i < end, b[i] | 0x20 == 0x65 {
                let save = i
                i += 1
                if i < end, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                if i < end, b[i] >= 0x30 && b[i] <= 0x39 { while i < end, isDigitish(b[i]) { i += 1 } } else { i = save }
            }
            if i < end, b[i] | 0x20 == 0x6A { i += 1 }
            if i == intEnd, b[s] == 0x30, (s..<intEnd).contains(where: { b[$0] != 0x30 && b[$0] != 0x5F }) {
                problem("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", s, i)
            }
        }
        add(.number, s, i)
    }

    /// Lexes a string starting at the quote `b[i]`, with its prefix beginning at `prefixStart`.
    mutating func lexString(prefixStart: Int, isF: Bool) {
        var fields: [Range<Int>]? = nil
        var raw = false
        for k in prefixStart..<i where b[k] | 0x20 == 0x72 { raw = true }
        var tooDeep = false
        let (e, ok) = PyLexer.scanString(b, from: i, limit: end, isF: isF, raw: raw, fields: &fields, level: 0, tooDeep: &tooDeep)
        if tooDeep {
            problem("f-string: expressions nested too deeply", prefixStart, i + 1)
        } else if !ok {
            let triple = i + 2 < end && b[i + 1] == b[i] && b[i + 2] == b[i]
            problem(triple ? "unterminated triple-quoted string literal" : "unterminated string literal", prefixStart, i + 1)
        }
        i = e
        add(ok ? (isF ? .fstring : .string) : .error, prefixStart, e)
    }

    /// Scans a string literal whose opening quote is at `q`. Returns the end offset (after the closing quote) and
    /// whether it was terminated. For f-strings, appends the byte ranges of replacement-field expressions to `fields`.
    static func scanString(_ b: UnsafeBufferPointer<UInt8>, from q: Int, limit: Int, isF: Bool, raw: Bool = false, fields: inout [Range<Int>]?) -> (Int, Bool) {
        var tooDeep = false
        return scanString(b, from: q, limit: limit, isF: isF, raw: raw, fields: &fields, level: 0, tooDeep: &tooDeep)
    }

    /// `level` counts enclosing f-string fields; beyond `maxFStringNesting` scanning stops with `tooDeep` set
    /// (the string is then unterminated), so nesting cannot exhaust the stack.
    static func scanString(_ b: UnsafeBufferPointer<UInt8>, from q: Int, limit: Int, isF: Bool, raw: Bool, fields: inout [Range<Int>]?,
                           level: Int, tooDeep: inout Bool) -> (Int, Bool) {
        if level > maxFStringNesting { tooDeep = true; return (limit, false) }
        let quote = b[q]
        var i = q + 1
        let triple = i + 1 < limit && b[i] == quote && b[i + 1] == quote
        if triple { i += 2 }
        while i < limit {
            // Eight bytes at a time past those that mean nothing here (a literal's body is most of its bytes, and
            // docstrings most of a file's: byte by byte this loop was the lexer's largest cost on a real monorepo).
            if let base = b.baseAddress {
                while i &+ 8 <= limit {
                    let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                    var stop = PyLexer.bytesEqual(w, quote) | PyLexer.bytesEqual(w, 0x5C)
                    if !triple { stop |= PyLexer.bytesEqual(w, 0x0A) | PyLexer.bytesEqual(w, 0x0D) }
                    if isF { stop |= PyLexer.bytesEqual(w, 0x7B) }
                    if stop != 0 { i &+= stop.trailingZeroBitCount &>> 3; break }
                    i &+= 8
                }
                if i >= limit { break }
            }
            let c = b[i]
            if c == 0x5C {
                if isF, i + 1 < limit {
                    let n = b[i + 1]
                    if n == 0x7B || n == 0x7D { i += 1; continue }
                    if !raw, n == 0x4E, i + 2 < limit, b[i + 2] == 0x7B {
                        i += 3
                        while i < limit, b[i] != 0x7D, b[i] != quote, b[i] != 0x0A { i += 1 }
                        if i < limit, b[i] == 0x7D { i += 1 }
                        continue
                    }
                }
                i += 2; continue
            }
            if c == quote {
                if !triple { return (i + 1, true) }
                if i + 2 < limit + 0, b[i + 1] == quote, b[i + 2] == quote { return (i + 3, true) }
                i += 1; continue
            }
            if (c == 0x0A || c == 0x0D) && !triple { return (i, false) }
            if isF && c == 0x7B {
                if i + 1 < limit, b[i + 1] == 0x7B { i += 2; continue }
                i = scanField(b, from: i + 1, limit: limit, fields: &fields, level: level + 1, tooDeep: &tooDeep)
                if tooDeep { return (limit, false) }
                continue
            }
            i += 1
        }
        return (limit, false)
    }

    /// Scans a replacement field starting after `{`. Returns the offset after the closing `}`.
    static func scanField(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int, fields: inout [Range<Int>]?, level: Int, tooDeep: inout Bool) -> Int {
        if level > maxFStringNesting { tooDeep = true; return limit }
        var i = start
        var depth = 0
        var exprEnd = -1
        while i < limit {
            let c = b[i]
            switch c {
            case 0x28, 0x5B, 0x7B: depth += 1; i += 1
            case 0x29, 0x5D: depth -= 1; i += 1
            case 0x7D:
                if depth == 0 {
                    if exprEnd < 0 { exprEnd = i }
                    if fields != nil { fields!.append(start..<exprEnd) } else { fields = [start..<exprEnd] }
                    return i + 1
                }
                depth -= 1; i += 1
            case 0x22, 0x27:
                // nested string (PEP 701 allows any quotes); detect prefix letters just before
                var j = i - 1
                var nestedF = false, nestedRaw = false
                while j >= start, (b[j] | 0x20) == 0x66 || (b[j] | 0x20) == 0x72 || (b[j] | 0x20) == 0x62 || (b[j] | 0x20) == 0x75 {
                    if b[j] | 0x20 == 0x66 { nestedF = true }
                    if b[j] | 0x20 == 0x72 { nestedRaw = true }
                    j -= 1
                }
                if j >= start, (b[j] >= 0x30 && b[j] <= 0x39) || (b[j] >= 0x41 && b[j] <= 0x5A) || (b[j] >= 0x61 && b[j] <= 0x7A) || b[j] == 0x5F { nestedF = false }
                var ignored: [Range<Int>]? = nil
                let (e, _) = scanString(b, from: i, limit: limit, isF: nestedF, raw: nestedRaw, fields: &ignored, level: level, tooDeep: &tooDeep)
                if tooDeep { return limit }
                i = e
            case 0x21: // '!'
                if depth == 0, i + 1 < limit, b[i + 1] != 0x3D {
                    if exprEnd < 0 { exprEnd = i }
                    i += 1
                } else { i += 1 }
            case 0x3A: // ':'
                if depth == 0 {
                    if exprEnd < 0 { exprEnd = i }
                    // format spec: literal text with nested fields, until the matching '}'
                    i += 1
                    while i < limit {
                        let d = b[i]
                        if d == 0x7B {
                            i = scanField(b, from: i + 1, limit: limit, fields: &fields, level: level + 1, tooDeep: &tooDeep)
                            if tooDeep { return limit }
                            continue
                        }
                        if d == 0x7D {
                            if fields != nil { fields!.append(start..<exprEnd) } else { fields = [start..<exprEnd] }
                            return i + 1
                        }
                        if d == 0x5C { i += 2; continue }
                        if d == 0x22 || d == 0x27 || d == 0x0A { break }
                        i += 1
                    }
                    return i
                }
                i += 1
            case 0x23: // comment inside a field (3.12)
                while i < limit, b[i] != 0x0A { i += 1 }
            default:
                i += 1
            }
        }
        return limit
    }

    mutating func lexOperator() {
        let s = i
        let c = b[i], c1 = peek(1), c2 = peek(2)
        var kind: PyTokenKind = .error
        var len = 1
        switch c {
        case 0x28: kind = .lpar; parens.push(c, i)
        case 0x5B: kind = .lsqb; parens.push(c, i)
        case 0x7B: kind = .lbrace; parens.push(c, i)
        case 0x29, 0x5D, 0x7D:
            kind = c == 0x29 ? .rpar : (c == 0x5D ? .rsqb : .rbrace)
            if parens.isEmpty { if !subMode { problem("unmatched '\(String(UnicodeScalar(c)))'", i, i + 1) } }
            else {
                let open = parens.popKind()
                let want: UInt8 = c == 0x29 ? 0x28 : (c == 0x5D ? 0x5B : 0x7B)
                if open != want { problem("closing parenthesis '\(String(UnicodeScalar(c)))' does not match opening parenthesis '\(String(UnicodeScalar(open)))'", i, i + 1) }
            }
        case 0x3A: if c1 == 0x3D { kind = .colonEqual; len = 2 } else { kind = .colon }
        case 0x2C: kind = .comma
        case 0x3B: kind = .semi
        case 0x2B: if c1 == 0x3D { kind = .plusEqual; len = 2 } else { kind = .plus }
        case 0x2D: if c1 == 0x3D { kind = .minusEqual; len = 2 } else if c1 == 0x3E { kind = .rarrow; len = 2 } else { kind = .minus }
        case 0x2A:
            if c1 == 0x2A { if c2 == 0x3D { kind = .doubleStarEqual; len = 3 } else { kind = .doubleStar; len = 2 } }
            else if c1 == 0x3D { kind = .starEqual; len = 2 } else { kind = .star }
        case 0x2F:
            if c1 == 0x2F { if c2 == 0x3D { kind = .doubleSlashEqual; len = 3 } else { kind = .doubleSlash; len = 2 } }
            else if c1 == 0x3D { kind = .slashEqual; len = 2 } else { kind = .slash }
        case 0x7C: if c1 == 0x3D { kind = .vbarEqual; len = 2 } else { kind = .vbar }
        case 0x26: if c1 == 0x3D { kind = .amperEqual; len = 2 } else { kind = .amper }
        case 0x3C:
            if c1 == 0x3C { if c2 == 0x3D { kind = .leftShiftEqual; len = 3 } else { kind = .leftShift; len = 2 } }
            else if c1 == 0x3D { kind = .lessEqual; len = 2 } else if c1 == 0x3E { kind = .notEqual; len = 2 } else { kind = .less }
        case 0x3E:
            if c1 == 0x3E { if c2 == 0x3D { kind = .rightShiftEqual; len = 3 } else { kind = .rightShift; len = 2 } }
            else if c1 == 0x3D { kind = .greaterEqual; len = 2 } else { kind = .greater }
        case 0x3D: if c1 == 0x3D { kind = .eqEqual; len = 2 } else { kind = .equal }
        case 0x2E: if c1 == 0x2E && c2 == 0x2E { kind = .ellipsis; len = 3 } else { kind = .dot }
        case 0x25: if c1 == 0x3D { kind = .percentEqual; len = 2 } else { kind = .percent }
        case 0x7E: kind = .tilde
        case 0x5E: if c1 == 0x3D { kind = .circumflexEqual; len = 2 } else { kind = .circumflex }
        case 0x40: if c1 == 0x3D { kind = .atEqual; len = 2 } else { kind = .at }
        case 0x21: if c1 == 0x3D { kind = .notEqual; len = 2 } else { kind = .exclamation }
        default:
            kind = .error
            problem("invalid character in source", i, i + 1)
        }
        i += len
        add(kind, s, i)
    }
}
