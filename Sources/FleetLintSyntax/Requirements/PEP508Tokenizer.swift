// PEP 508 dependency specifiers: https://peps.python.org/pep-0508/
// A scalar-level port of packaging 26.3's context-sensitive tokenizer and hand-written parser
// (`packaging/_tokenizer.py`, `packaging/_parser.py`); messages and spans match packaging's.

struct PEP508Tokenizer {
    let s: [Unicode.Scalar]
    var pos = 0
    /// Parenthesised marker groups currently open (bounded by `maxMarkerDepth`).
    var markerDepth = 0
    /// packaging recurses three Python frames per parenthesis and fails near 330 levels (recursion
    /// limit 1000); beyond this depth the marker is a syntax error at the parenthesis.
    static let maxMarkerDepth = 100

    init(_ text: String) { s = Array(text.unicodeScalars) }

    @inline(__always) func at(_ i: Int) -> Unicode.Scalar? { i < s.count ? s[i] : nil }

    static func isWord(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        if c == "_" { return true }
        if c.value < 128 { return (c.value >= 48 && c.value <= 57) || (c.value | 0x20 >= 97 && c.value | 0x20 <= 122) }
        let p = c.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .decimalNumber
    }

    func boundary(_ i: Int) -> Bool { Self.isWord(i > 0 ? s[i - 1] : nil) != Self.isWord(at(i)) }

    func error(_ message: String, start: Int? = nil, end: Int? = nil) -> RequirementSyntaxError {
        RequirementSyntaxError(message: message, spanStart: start ?? pos, spanEnd: end ?? pos)
    }

    // MARK: token matchers (return the end offset when the token matches at `pos`)

    func matchWS() -> Int? {
        var i = pos
        while let c = at(i), c == " " || c == "\t" { i += 1 }
        return i > pos ? i : nil
    }

    mutating func consumeWS() { if let e = matchWS() { pos = e } }

    func matchIdentifier() -> Int? {
        guard boundary(pos), let c = at(pos), c.isASCII, Self.isWord(c), c != "_" else { return nil }
        var i = pos + 1
        while let d = at(i), d.isASCII, Self.isWord(d) || d == "." || d == "-" { i += 1 }
        while i > pos + 1 && !boundary(i) { i -= 1 }
        return boundary(i) ? i : nil
    }

    func matchLiteral(_ lit: String, from i: Int) -> Int? {
        var k = i
        for c in lit.unicodeScalars {
            guard at(k) == c else { return nil }
            k += 1
        }
        return k
    }

    func matchWordToken(_ words: [String]) -> (String, Int)? {
        guard boundary(pos) else { return nil }
        for w in words {
            if let e = matchLiteral(w, from: pos), boundary(e) { return (w, e) }
        }
        return nil
    }

    static let variables = [
        "python_version", "python_full_version", "os.name", "os_name", "sys.platform", "sys_platform",
        "platform_release", "platform_system", "platform.version", "platform_version", "platform.machine",
        "platform_machine", "platform.python_implementation", "platform_python_implementation",
        "python_implementation", "implementation_name", "implementation_version", "extras", "extra",
        "dependency_groups",
    ]

    func matchOp() -> (String, Int)? {
        for op in ["===", "==", "~=", "!=", "<=", ">=", "<", ">"] {
            if let e = matchLiteral(op, from: pos) { return (op, e) }
        }
        return nil
    }

    func matchQuoted() -> Int? {
        guard let q = at(pos), q == "'" || q == "\"" else { return nil }
        var i = pos + 1
        while let c = at(i) {
            if c == q { return i + 1 }
            i += 1
        }
        return nil
    }

    // Greedy port of `Specifier._specifier_regex_str` (IGNORECASE, unanchored at the end).
    func matchSpecifier() -> Int? {
        guard let (op, opEnd) = matchOp() else { return nil }
        var i = opEnd
        while let c = at(i), isPythonStrWhitespace(c) { i += 1 }
        if op == "===" {
            while let c = at(i), !isPythonStrWhitespace(c), c != ";", c != ")" { i += 1 }
            return i
        }
        func lower(_ c: Unicode.Scalar?) -> Unicode.Scalar? { c.map(PEP440Scanner.lower) }
        func digits(_ j: inout Int) -> Bool {
            let b = j
            while PEP440Scanner.isDigit(at(j)) { j += 1 }
            return j > b
        }
        func word(_ j: inout Int, _ ws: [String]) -> Bool {
            for w in ws {
                var k = j, ok = true
                for ch in w.unicodeScalars { if lower(at(k)) != ch { ok = false; break }; k += 1 }
                if ok { j = k; return true }
            }
            return false
        }
        func sep(_ j: inout Int) { if PEP440Scanner.isSep(at(j)) { j += 1 } }
        if lower(at(i)) == "v" { i += 1 }
        do { var j = i; if digits(&j), at(j) == "!" { i = j + 1 } }
        guard digits(&i) else { return nil }
        var releaseCount = 1
        while at(i) == ".", PEP440Scanner.isDigit(at(i + 1)) { i += 1; _ = digits(&i); releaseCount += 1 }
        if op == "~=" && releaseCount < 2 { return nil }
        let allowsWildcardAndLocal = op == "==" || op == "!="
        if allowsWildcardAndLocal, at(i) == ".", at(i + 1) == "*" { return i + 2 }
        // pre
        do { var j = i; sep(&j); if word(&j, ["alpha", "beta", "preview", "pre", "a", "b", "c", "rc"]) { sep(&j); _ = digits(&j); i = j } }
        // post
        do {
            var j = i
            if at(j) == "-", PEP440Scanner.isDigit(at(j + 1)) { j += 1; _ = digits(&j); i = j }
            else { sep(&j); if word(&j, ["post", "rev", "r"]) { sep(&j); _ = digits(&j); i = j } }
        }
        // dev
        do { var j = i; sep(&j); if word(&j, ["dev"]) { sep(&j); _ = digits(&j); i = j } }
        if allowsWildcardAndLocal, at(i) == "+" {
            var j = i + 1
            func alnum(_ c: Unicode.Scalar?) -> Bool {
                guard let c = lower(c) else { return false }
                return PEP440Scanner.isDigit(c) || (c.value >= 97 && c.value <= 122)
            }
            if alnum(at(j)) {
                while alnum(at(j)) { j += 1 }
                while PEP440Scanner.isSep(at(j)), alnum(at(j + 1)) { j += 1; while alnum(at(j)) { j += 1 } }
                i = j
            }
        }
        return i
    }

    func matchLocalLabelTrail() -> Bool {
        guard at(pos) == "+", let c = at(pos + 1) else { return false }
        return (c.value >= 48 && c.value <= 57) || (c.value >= 97 && c.value <= 122)
    }

    func text(_ a: Int, _ b: Int) -> String { String(scalars: s[a..<b]) }

    mutating func expectEnd(_ expected: String) throws {
        if pos != s.count { throw error("Expected \(expected)") }
    }

    // MARK: grammar

    struct ParsedRequirement {
        var name: String
        var nameSpan: Range<Int>
        var url: String
        var extras: [String]
        var specifier: String
        var specifierSpan: Range<Int>
        var marker: [Marker.Element]?
    }

    mutating func parseRequirement() throws -> ParsedRequirement {
        consumeWS()
        guard let ne = matchIdentifier() else { throw error("Expected package name at the start of dependency specifier") }
        let nameStart = pos
        let name = text(pos, ne)
        pos = ne
        consumeWS()
        let extras = try parseExtras()
        consumeWS()
        var url = "", spec = "", marker: [Marker.Element]? = nil
        var specSpan = pos..<pos
        if at(pos) == "@" {
            pos += 1
            consumeWS()
            let urlStart = pos
            var i = pos
            while let c = at(i), c != " ", c != "\t" { i += 1 }
            if i == pos { throw error("Expected URL after @") }
            url = text(pos, i)
            pos = i
            if pos != s.count {
                guard let w = matchWS() else { throw error("Expected whitespace after URL") }
                pos = w
                if pos != s.count {
                    marker = try parseRequirementMarker(spanStart: urlStart, expected: "semicolon (after URL and whitespace)")
                }
            }
        } else {
            let specStart = pos
            spec = try parseSpecifier()
            specSpan = specStart..<pos
            consumeWS()
            if pos != s.count {
                marker = try parseRequirementMarker(
                    spanStart: specStart,
                    expected: spec.isEmpty ? "semicolon (after name with no version specifier)"
                        : "comma (within version specifier), semicolon (after version specifier)")
            }
        }
        try expectEnd("end of dependency specifier")
        return ParsedRequirement(name: name, nameSpan: nameStart..<ne, url: url, extras: extras, specifier: spec, specifierSpan: specSpan, marker: marker)
    }

    mutating func parseRequirementMarker(spanStart: Int, expected: String) throws -> [Marker.Element] {
        guard at(pos) == ";" else { throw error("Expected \(expected) or end", start: spanStart) }
        pos += 1
        let m = try parseMarker()
        consumeWS()
        return m
    }

    mutating func parseExtras() throws -> [String] {
        guard at(pos) == "[" else { return [] }
        let open = pos
        pos += 1
        consumeWS()
        var extras: [String] = []
        if let e = matchIdentifier() {
            extras.append(text(pos, e)); pos = e
            while true {
                consumeWS()
                if matchIdentifier() != nil { throw error("Expected comma between extra names") }
                guard at(pos) == "," else { break }
                pos += 1
                consumeWS()
                guard let e2 = matchIdentifier() else { throw error("Expected extra name after comma") }
                extras.append(text(pos, e2)); pos = e2
            }
        }
        consumeWS()
        guard at(pos) == "]" else { throw error("Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", start: open) }
        pos += 1
        return extras
    }

    mutating func parseSpecifier() throws -> String {
        var open: Int? = nil
        if at(pos) == "(" { open = pos; pos += 1 }
        consumeWS()
        var out = ""
        while let e = matchSpecifier() {
            let start = pos
            let spec = text(pos, e)
            pos = e
            out += spec
            if at(pos) == ".", at(pos + 1) == "*" {
                var msg = ".* suffix can only be used with `==` or `!=` operators"
                if spec.hasPrefix("!=") || (spec.hasPrefix("==") && !spec.hasPrefix("===")) {
                    msg = ".* suffix cannot be used with pre-release, post-release, dev or local versions"
                }
                throw error(msg, start: start, end: pos + 1)
            }
            if matchLocalLabelTrail() {
                throw error("Local version label can only be used with `==` or `!=` operators", start: start, end: pos)
            }
            consumeWS()
            guard at(pos) == "," else { break }
            out += ","
            pos += 1
            consumeWS()
        }
        consumeWS()
        if let o = open {
            guard at(pos) == ")" else {
                throw error("Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier", start: o)
            }
            pos += 1
        }
        return out
    }

    mutating func parseMarker() throws -> [Marker.Element] {
        var expr = [try parseMarkerAtom()]
        while let (w, e) = matchWordToken(["or", "and"]) {
            pos = e
            expr.append(w == "or" ? .or : .and)
            expr.append(try parseMarkerAtom())
        }
        return expr
    }

    mutating func parseMarkerAtom() throws -> Marker.Element {
        consumeWS()
        let result: Marker.Element
        if at(pos) == "(" {
            let open = pos
            guard markerDepth < Self.maxMarkerDepth else {
                throw error("Marker expression nests more than \(Self.maxMarkerDepth) parentheses", start: open, end: open + 1)
            }
            markerDepth += 1
            defer { markerDepth -= 1 }
            pos += 1
            consumeWS()
            let m = try parseMarker()
            consumeWS()
            guard at(pos) == ")" else {
                throw error("Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression", start: open)
            }
            pos += 1
            result = .list(m)
        } else {
            consumeWS()
            let l = try parseMarkerVar()
            consumeWS()
            let op = try parseMarkerOp()
            consumeWS()
            let r = try parseMarkerVar()
            consumeWS()
            result = .item(l, op, r)
        }
        consumeWS()
        return result
    }

    mutating func parseMarkerVar() throws -> Marker.Operand {
        if let (w, e) = matchWordToken(Self.variables) {
            pos = e
            var name = String(w.map { $0 == "." ? "_" : $0 })
            if name == "python_implementation" { name = "platform_python_implementation" }
            return .variable(name)
        }
        if let e = matchQuoted() {
            let start = pos
            pos = e
            guard let v = PythonStringLiteral.evaluate(Array(s[start..<e])) else {
                throw error("Invalid quoted string", start: start, end: e)
            }
            return .value(v)
        }
        throw error("Expected a marker variable or quoted string")
    }

    mutating func parseMarkerOp() throws -> String {
        if let (_, e) = matchWordToken(["in"]) { pos = e; return "in" }
        if let (_, e) = matchWordToken(["not"]) {
            pos = e
            guard let w = matchWS() else { throw error("Expected whitespace after 'not'") }
            pos = w
            guard let (_, e2) = matchWordToken(["in"]) else { throw error("Expected 'in' after 'not'") }
            pos = e2
            return "not in"
        }
        if let (op, e) = matchOp() { pos = e; return op }
        throw error("Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in")
    }
}

/// `ast.literal_eval` for a quoted string token (`'…'` or `"…"`, no prefixes).
enum PythonStringLiteral {
    static func evaluate(_ tok: [Unicode.Scalar]) -> String? {
        var out = String.UnicodeScalarView()
        var i = 1
        let end = tok.count - 1
        func hex(_ n: Int) -> UInt32? {
            guard i + n <= end else { return nil }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let d = Int(String(tok[i + k]), radix: 16) else { return nil }
                v = v * 16 + UInt32(d)
            }
            i += n
            return v
        }
        while i < end {
            let c = tok[i]
            if c == "\n" || c == "\r" || c.value == 0 { return nil }
            if c != "\\" { out.append(c); i += 1; continue }
            i += 1
            guard i < end else { return nil }
            let e = tok[i]
            i += 1
            switch e {
            case "\n": break
            case "\\", "'", "\"": out.append(e)
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var v = e.value - 48
                var k = 0
                while k < 2, i < end, tok[i].value >= 48, tok[i].value <= 55 { v = v * 8 + tok[i].value - 48; i += 1; k += 1 }
                guard let u = Unicode.Scalar(v) else { return nil }
                out.append(u)
            case "x": guard let v = hex(2), let u = Unicode.Scalar(v) else { return nil }; out.append(u)
            case "u": guard let v = hex(4), let u = Unicode.Scalar(v) else { return nil }; out.append(u)
            case "U": guard let v = hex(8), let u = Unicode.Scalar(v) else { return nil }; out.append(u)
            case "N": return nil
            default: out.append("\\"); out.append(e)
            }
        }
        return String(out)
    }
}
