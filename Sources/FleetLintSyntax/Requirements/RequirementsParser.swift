// pip requirements files: https://pip.pypa.io/en/stable/reference/requirements-file-format/
// Mirrors pip 26.3 `pip/_internal/req/req_file.py` (decode, splitlines, join_lines, ignore_comments,
// expand_env_variables, break_args_options, shlex + optparse) and the name logic of
// `req/constructors.py`, but records a `ParseProblem` and keeps going where pip stops.
//
// Problem codes:
//   decode-error                 bytes are not valid in the detected encoding (decoded leniently)
//   unknown-encoding             a PEP 263 coding comment names an encoding we cannot decode
//   unknown-option               `--foo` / `-x` that pip's parser does not know
//   ambiguous-option             an abbreviated long option matching several options
//   option-missing-argument      `--index-url` (etc.) with no value
//   option-takes-no-value        `--pre=1`
//   invalid-option-value         bad `--hash`, `--config-settings`, `--use-feature`, `--no-binary` value
//   unbalanced-quote             shlex cannot split the options part
//   editable-without-target      a bare `-e`
//   dropped-arguments            words after options that pip silently discards
//   ignored-option               a global option on a requirement line (pip ignores it)
//   hash-without-requirement     `--hash` on a line with no requirement (pip ignores it)
//   glued-requirements           two requirements on one line (`a==1.0b==2.0`, `a==1.0 b==2.0`)
//   invalid-specifier            a version specifier pip rejects (range points at it)
//   invalid-marker               an environment marker pip rejects
//   invalid-requirement          any other PEP 508 failure
//   credentials-in-url           user/password in an index or find-links URL (password redacted)
//   unexpanded-variable          `${VAR}` not provided, left verbatim (pip does the same)

/// Parses pip requirements files without touching the disk.
public enum RequirementsParser {
    /// Parses one file. `environment` supplies `${VAR}` values (empty = leave unexpanded).
    public static func parse(_ bytes: [UInt8], path: String, environment: [String: String] = [:]) -> RequirementsDocument {
        var problems: [ParseProblem] = []
        let (text, encoding) = decode(bytes, problems: &problems)
        let physical = splitLines(text)
        var entries: [RequirementsEntry] = []
        for logical in joinLines(physical) {
            if let e = parseLogical(logical, environment: environment, problems: &problems) { entries.append(e) }
        }
        // Grown by doubling, the array has room for up to twice its entries (~290 bytes each); the document lives
        // until the dependency index is built, so it keeps a copy of exact size.
        entries.trimCapacity()
        return RequirementsDocument(path: path, entries: entries, problems: problems, encoding: encoding)
    }

    // MARK: decoding (pip's `_decode_req_file`)

    static func decode(_ bytes: [UInt8], problems: inout [ParseProblem]) -> ([Unicode.Scalar], String) {
        func utf8(_ b: ArraySlice<UInt8>, _ name: String) -> ([Unicode.Scalar], String) {
            let arr = Array(b)
            if let bad = SourceText.firstInvalidUTF8Offset(arr) {
                let loc = LineIndex(arr).location(ofByteOffset: bad, in: arr)
                problems.append(ParseProblem(code: "decode-error", message: "bytes are not valid utf-8; pip falls back to the locale encoding",
                                             range: SourceRange(start: loc, end: SourceLocation(line: loc.line, column: loc.column + 1))))
            }
            return (Array(String(decoding: arr, as: UTF8.self).unicodeScalars), name)
        }
        func utf16(_ b: ArraySlice<UInt8>, bigEndian: Bool) -> [Unicode.Scalar] {
            var units: [UInt16] = []
            var i = b.startIndex
            while i + 1 < b.endIndex {
                units.append(bigEndian ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : UInt16(b[i + 1]) << 8 | UInt16(b[i]))
                i += 2
            }
            return Array(String(decoding: units, as: UTF16.self).unicodeScalars)
        }
        func utf32(_ b: ArraySlice<UInt8>, bigEndian: Bool) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            var i = b.startIndex
            while i + 3 < b.endIndex {
                let v = bigEndian ? UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
                    : UInt32(b[i + 3]) << 24 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i])
                out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                i += 4
            }
            return out
        }
        let b = bytes[...]
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return utf8(b.dropFirst(3), "utf-8") }
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return (utf32(b.dropFirst(4), bigEndian: false), "utf-32") }
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return (utf32(b.dropFirst(4), bigEndian: true), "utf-32") }
        if b.starts(with: [0xFF, 0xFE]) { return (utf16(b.dropFirst(2), bigEndian: false), "utf-16") }
        if b.starts(with: [0xFE, 0xFF]) { return (utf16(b.dropFirst(2), bigEndian: true), "utf-16") }
        // PEP 263: `coding[:=]\s*([-\w.]+)` in one of the first two `\n`-separated lines starting with `#`.
        var lineStart = 0
        for _ in 0..<2 {
            guard lineStart < bytes.count else { break }
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if bytes[lineStart] == 0x23, let enc = codingName(bytes[lineStart..<end]) {
                switch enc.lowercased().replacingUnderscores() {
                case "utf-8", "utf8", "u8", "utf", "utf-8-sig", "ascii", "us-ascii":
                    return utf8(b, enc)
                case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "cp819", "8859", "iso-8859-15", "latin-9":
                    return (bytes.map { Unicode.Scalar($0) }, enc)
                default:
                    problems.append(ParseProblem(code: "unknown-encoding", message: "coding comment names `\(enc)`, which fleetlint decodes as utf-8",
                                                 range: SourceRange(line: lineStart == 0 ? 1 : 2, column: 1, length: end - lineStart)))
                    return utf8(b, enc)
                }
            }
            lineStart = end + 1
        }
        return utf8(b, "utf-8")
    }

    static func codingName(_ line: ArraySlice<UInt8>) -> String? {
        let a = Array(line)
        let pat: [UInt8] = Array("coding".utf8)
        var i = 0
        while i + pat.count < a.count {
            if Array(a[i..<i + pat.count]) == pat, a[i + pat.count] == 0x3A || a[i + pat.count] == 0x3D {
                var j = i + pat.count + 1
                while j < a.count, a[j] == 0x20 || a[j] == 0x09 || a[j] == 0x0C || a[j] == 0x0B || a[j] == 0x0D { j += 1 }
                let s = j
                while j < a.count, a[j] == 0x2D || a[j] == 0x2E || a[j] == 0x5F || (a[j] >= 0x30 && a[j] <= 0x39) || (a[j] | 0x20 >= 0x61 && a[j] | 0x20 <= 0x7A) { j += 1 }
                if j > s { return String(decoding: a[s..<j], as: UTF8.self) }
            }
            i += 1
        }
        return nil
    }

    // MARK: lines

    struct PhysicalLine {
        /// pip's line number (`str.splitlines()` counts every line it splits at).
        var number: Int
        var text: [Unicode.Scalar]
        /// Where the text starts in the file as every other reader (and an editor) numbers lines, at LF, CRLF and a
        /// lone CR only: `str.splitlines()` also splits at VT, FF, U+001C-U+001E, NEL, U+2028 and U+2029, and the
        /// text after one of those continues the same line (a finding there was a line too far, where a suppression
        /// comment on its line did not reach it).
        var line: Int
        /// 1-based column (in scalars) of the text's first scalar on `line`.
        var column: Int
    }

    /// Python `str.splitlines()`.
    static func splitLines(_ s: [Unicode.Scalar]) -> [PhysicalLine] {
        var out: [PhysicalLine] = []
        var start = 0, i = 0, n = 1
        var line = 1, lineStart = 0
        func piece(_ end: Int) -> PhysicalLine {
            PhysicalLine(number: n, text: Array(s[start..<end]), line: line, column: start - lineStart + 1)
        }
        while i < s.count {
            switch s[i].value {
            case 0x0A:
                out.append(piece(i)); n += 1; i += 1; start = i
                line += 1; lineStart = i
            case 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                out.append(piece(i)); n += 1; i += 1; start = i
            case 0x0D:
                out.append(piece(i)); n += 1
                i += (i + 1 < s.count && s[i + 1] == "\n") ? 2 : 1
                start = i
                line += 1; lineStart = i
            default: i += 1
            }
        }
        if start < s.count { out.append(piece(s.count)) }
        return out
    }

    /// A piece of a logical line: where its text came from.
    struct Segment {
        var logicalStart: Int
        var line: Int
        var column: Int  // 1-based column of the segment's first scalar in its physical line
    }

    struct LogicalLine {
        var first: Int
        var last: Int
        var text: [Unicode.Scalar]
        var segments: [Segment]
        var lastLineLength: Int

        func location(_ offset: Int) -> SourceLocation {
            // The last segment starting at or before `offset` (binary search: a line may have thousands).
            var lo = 0, hi = segments.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if segments[mid].logicalStart <= offset { lo = mid } else { hi = mid - 1 }
            }
            let seg = segments[lo]
            return SourceLocation(line: seg.line, column: seg.column + offset - seg.logicalStart)
        }
    }

    /// `COMMENT_RE.match(line)`: `^#` or leading whitespace then `#`.
    static func isCommentLine(_ t: [Unicode.Scalar]) -> Bool {
        var i = 0
        while i < t.count, isPythonStrWhitespace(t[i]) { i += 1 }
        return i < t.count && t[i] == "#"
    }

    static func joinLines(_ lines: [PhysicalLine]) -> [LogicalLine] {
        var out: [LogicalLine] = []
        var pending: LogicalLine? = nil
        for pl in lines {
            let t = pl.text
            if t.last != "\\" || isCommentLine(t) {
                var line = t
                var col = pl.column
                if isCommentLine(t) { line = [" "] + t; col = pl.column - 1 }
                if var p = pending {
                    p.segments.append(Segment(logicalStart: p.text.count, line: pl.line, column: col))
                    p.text += line
                    p.last = pl.number
                    p.lastLineLength = t.count
                    out.append(p)
                    pending = nil
                } else {
                    out.append(LogicalLine(first: pl.number, last: pl.number, text: t,
                                           segments: [Segment(logicalStart: 0, line: pl.line, column: pl.column)], lastLineLength: t.count))
                }
            } else {
                // `line.strip("\\")`: backslashes go from both ends.
                var a = 0, b = t.count
                while a < b, t[a] == "\\" { a += 1 }
                while b > a, t[b - 1] == "\\" { b -= 1 }
                let piece = Array(t[a..<b])
                if pending == nil {
                    pending = LogicalLine(first: pl.number, last: pl.number, text: [], segments: [], lastLineLength: t.count)
                }
                pending!.segments.append(Segment(logicalStart: pending!.text.count, line: pl.line, column: pl.column + a))
                pending!.text += piece
                pending!.last = pl.number
                pending!.lastLineLength = t.count
            }
        }
        if let p = pending { out.append(p) }
        return out
    }

    /// `COMMENT_RE.sub("", line)` then `strip()`; returns the kept range.
    static func stripComment(_ t: [Unicode.Scalar]) -> Range<Int> {
        var end = t.count
        var i = 0
        while i < t.count {
            if t[i] == "#" && (i == 0 || isPythonStrWhitespace(t[i - 1])) {
                var k = i
                while k > 0, isPythonStrWhitespace(t[k - 1]) { k -= 1 }
                end = k
                break
            }
            i += 1
        }
        var a = 0
        while a < end, isPythonStrWhitespace(t[a]) { a += 1 }
        while end > a, isPythonStrWhitespace(t[end - 1]) { end -= 1 }
        return a..<end
    }

    // MARK: one logical line

    static func parseLogical(_ logical: LogicalLine, environment: [String: String], problems: inout [ParseProblem]) -> RequirementsEntry? {
        let kept = stripComment(logical.text)
        if kept.isEmpty { return nil }
        let base = kept.lowerBound
        var text = Array(logical.text[kept])
        let startLoc = logical.location(base)
        let endLoc = logical.location(kept.upperBound - 1)
        let lineRange = SourceRange(start: startLoc, end: SourceLocation(line: endLoc.line, column: endLoc.column + 1))
        func range(_ a: Int, _ b: Int) -> SourceRange {
            let s = logical.location(base + min(a, text.count))
            let e = logical.location(base + max(min(b, text.count), min(a, text.count) + 1) - 1)
            return SourceRange(start: s, end: SourceLocation(line: e.line, column: e.column + 1))
        }
        func problem(_ code: String, _ message: String, _ r: SourceRange? = nil, help: String? = nil) {
            problems.append(ParseProblem(code: code, message: redactingCredentials(in: message), range: r ?? lineRange, help: help))
        }

        text = expandVariables(text, environment: environment) { name, a, b in
            problem("unexpanded-variable", "`${\(name)}` is not set and is left verbatim", range(a, b))
        }

        // break_args_options: split on single spaces; the first token starting with `-` starts the options.
        var argsEnd = text.count
        var optionsStart = text.count
        do {
            var tokStart = 0
            var i = 0
            while i <= text.count {
                if i == text.count || text[i] == " " {
                    if tokStart < text.count, text[tokStart] == "-" {
                        argsEnd = max(tokStart - 1, 0)
                        optionsStart = tokStart
                        break
                    }
                    tokStart = i + 1
                }
                i += 1
            }
        }
        let args = String(scalars: text[0..<argsEnd])
        let optionsText = Array(text[optionsStart..<text.count])

        var entry = RequirementsEntry(kind: .globalOption, line: logical.first, lastLine: logical.last, range: lineRange,
                                      rawText: String(scalars: text), requirementText: nil, requirement: nil,
                                      location: nil, derivedName: nil, includePath: nil, options: [], hashes: [:],
                                      configSettings: [], droppedWords: [])

        // Options: shlex + optparse.
        var editables: [String] = []
        var reqFiles: [String] = [], constraintFiles: [String] = []
        if !optionsText.isEmpty {
            switch PipShlex.splitWithRanges(optionsText) {
            case .failure(let msg):
                problem("unbalanced-quote", "cannot split the options (\(msg.message.lowercased())); pip rejects this line", range(optionsStart, text.count))
                return entry
            case .success(let split):
                let words = split.map(\.word)
                // Where a word sits in `text` (shlex removed quotes, so the span is the source word).
                func wordSpan(_ k: Int) -> Range<Int> {
                    let r = split[min(k, split.count - 1)].range
                    return (optionsStart + r.lowerBound)..<(optionsStart + r.upperBound)
                }
                let result = PipOptionParser.parse(words)
                for e in result.errors {
                    let code: String
                    switch e.kind {
                    case .unknown: code = "unknown-option"
                    case .ambiguous: code = "ambiguous-option"
                    case .missingArgument: code = e.option == "--editable" ? "editable-without-target" : "option-missing-argument"
                    case .takesNoValue: code = "option-takes-no-value"
                    case .invalidValue: code = "invalid-option-value"
                    }
                    let span = wordSpan(e.wordIndex)
                    let r = range(span.lowerBound, span.upperBound)
                    let msg = code == "editable-without-target" ? "`-e` has no path or URL" : e.message
                    problem(code, msg, r)
                }
                entry.options = result.options
                entry.droppedWords = result.positionals
                for (k, o) in result.options.enumerated() {
                    switch o.name {
                    case "--editable": editables.append(o.value ?? "")
                    case "--requirement": reqFiles.append(o.value ?? "")
                    case "--constraint": constraintFiles.append(o.value ?? "")
                    case "--hash":
                        if let v = o.value, let c = v.firstIndex(of: ":") {
                            entry.hashes[String(v[..<c]), default: []].append(String(v[v.index(after: c)...]))
                        }
                    case "--config-settings": if let (name, value) = o.value?.splitAtFirstEquals() {
                        entry.configSettings.append(RequirementsOption(name: name, value: value))
                    }
                    case "--index-url", "--extra-index-url", "--find-links":
                        if let v = o.value, let red = redactedCredentials(v) {
                            let span = wordSpan(result.optionValueWordIndices[k])
                            let inWord = locate(v, in: Array(text[span]), from: 0)
                            let at = inWord.map { (span.lowerBound + $0.lowerBound)..<(span.lowerBound + $0.upperBound) } ?? span
                            let r: SourceRange? = range(at.lowerBound, at.upperBound)
                            problem("credentials-in-url", "`\(o.name)` url `\(red)` embeds credentials", r,
                                    help: "move the credentials to a keyring, `.netrc` or a `${VARIABLE}`")
                        }
                    default: break
                    }
                }
                if !result.positionals.isEmpty {
                    let w = result.positionals.joined(separator: " ")
                    let r = range(wordSpan(result.positionalWordIndices[0]).lowerBound, text.count)
                    problem("dropped-arguments", "pip silently ignores `\(w)` after the options", r,
                            help: "put each requirement on its own line")
                }
            }
        }

        let requirementText: String? = !args.isEmpty ? args : editables.first
        if let req = requirementText {
            entry.requirementText = req
            let isEditable = !editables.isEmpty
            entry.kind = isEditable ? .editable : .requirement
            let ignored = entry.options.filter { !["--hash", "--config-settings", "--editable"].contains($0.name) && !(isEditable && $0.name == "--editable") }
            if !ignored.isEmpty {
                problem("ignored-option", "`\(ignored[0].name)` on a requirement line is ignored by pip", lineRange)
            }
            if isEditable, !entry.hashes.isEmpty {
                problem("ignored-option", "`--hash` on an editable requirement is ignored by pip", lineRange)
            }
            classifyRequirement(&entry, req, isEditable: isEditable, argsInText: !args.isEmpty, range: range, problem: problem)
        } else if let r = reqFiles.first {
            entry.kind = .include; entry.includePath = r
        } else if let c = constraintFiles.first {
            entry.kind = .constraintInclude; entry.includePath = c
        } else {
            if !entry.hashes.isEmpty { problem("hash-without-requirement", "`--hash` on a line with no requirement is ignored by pip") }
        }
        return entry
    }

    static func locate(_ word: String, in text: [Unicode.Scalar], from: Int) -> Range<Int>? {
        let w = Array(word.unicodeScalars)
        guard !w.isEmpty, w.count <= text.count else { return nil }
        var i = from
        while i + w.count <= text.count {
            if text[i] == w[0] {
                var k = 1
                while k < w.count && text[i + k] == w[k] { k += 1 }
                if k == w.count { return i..<i + w.count }
            }
            i += 1
        }
        return nil
    }

    /// `${NAME}` with NAME in `[A-Z0-9_]+`; unset or empty values stay verbatim.
    static func expandVariables(_ t: [Unicode.Scalar], environment: [String: String], unexpanded: (String, Int, Int) -> Void) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(t.count)
        var i = 0
        while i < t.count {
            if t[i] == "$", i + 1 < t.count, t[i + 1] == "{" {
                var j = i + 2
                while j < t.count, (t[j].value >= 65 && t[j].value <= 90) || (t[j].value >= 48 && t[j].value <= 57) || t[j] == "_" { j += 1 }
                if j > i + 2, j < t.count, t[j] == "}" {
                    let name = String(scalars: t[(i + 2)..<j])
                    if let v = environment[name], !v.isEmpty {
                        out += v.unicodeScalars
                    } else {
                        unexpanded(name, i, j + 1)
                        out += t[i...j]
                    }
                    i = j + 1
                    continue
                }
            }
            out.append(t[i])
            i += 1
        }
        return out
    }

    // MARK: requirement classification

    static let vcsSchemes: Set<String> = ["git", "hg", "svn", "bzr"]
    static let urlSchemes: Set<String> = ["http", "https", "file", "ftp"]

    /// pip's `is_url`: a scheme that pip can fetch or a VCS scheme.
    static func isURL(_ s: String) -> Bool {
        guard let colon = s.utf8.firstIndex(of: 0x3A) else { return false }
        let scheme = String(Substring(s.utf8[..<colon])).lowercased()
        if urlSchemes.contains(scheme) || vcsSchemes.contains(scheme) { return true }
        if let plus = scheme.firstIndex(of: "+") { return vcsSchemes.contains(String(scheme[..<plus])) }
        return false
    }

    static let archiveSuffixes = [".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"]

    static func classifyRequirement(_ entry: inout RequirementsEntry, _ req: String, isEditable: Bool, argsInText: Bool,
                                    range: (Int, Int) -> SourceRange, problem: (String, String, SourceRange?, String?) -> Void) {
        let isUrl = isURL(req)
        let sep = isUrl ? "; " : ";"
        var namePart = req
        var markerText: String? = nil
        let rs = Array(req.unicodeScalars), ss = Array(sep.unicodeScalars)
        if let at = locate(sep, in: rs, from: 0) {
            namePart = String(scalars: rs[..<at.lowerBound])
            markerText = String(scalars: rs[(at.lowerBound + ss.count)...]).pythonStrStripped
        }
        namePart = namePart.pythonStrStripped
        let lower = namePart.lowercased()
        // (A `/` Character holds the byte 0x2F: the byte test rejects most names before the Character scan.)
        let looksLikePath = namePart.hasPrefix(".") || namePart.utf8.contains(0x2F) && namePart.contains("/") || namePart.hasPrefix("~")
        let isArchive = archiveSuffixes.contains { lower.hasSuffix($0) }
        if isEditable || ((isUrl || looksLikePath || isArchive) && !looksLikeNameAtURL(namePart)) {
            // pip treats `name @ url` written without spaces around @ as PEP 508 only when it parses so.
            if !isEditable, !isUrl, case .success(let r) = Requirement.parse(req), r.url != nil || !looksLikePath {
                if !isArchive || r.url != nil {
                    entry.requirement = r
                    return
                }
            }
            if !isEditable { entry.kind = .urlOrPath }
            entry.location = namePart
            if let m = markerText, !m.isEmpty, case .failure(let e) = Marker.parse(m) {
                problem("invalid-marker", "marker `\(m)` is invalid: \(e.message.lowercased())", nil, nil)
            }
            entry.derivedName = derivedName(namePart)
            if let n = entry.derivedName, case .success(let r) = Requirement.parse(n) { entry.requirement = r }
            return
        }
        switch Requirement.parse(req) {
        case .success(let r): entry.requirement = r
        case .failure(let e):
            let offset = argsInText ? 0 : (entry.rawText.unicodeScalars.count - req.unicodeScalars.count)
            if let glued = gluedSplit(req, failure: e) {
                problem("glued-requirements", "`\(glued.0)` and `\(glued.1)` are written on one line; pip rejects it",
                        range(offset + glued.2, offset + glued.2 + 1), "put each requirement on its own line")
                return
            }
            let scalars = Array(req.unicodeScalars)
            let semicolon = scalars.firstIndex(of: ";")
            let code: String
            if let sc = semicolon, e.spanEnd > sc { code = "invalid-marker" }
            else if e.message.contains("specifier") || e.message.contains(".*") || e.message.contains("Local version")
                        || (e.spanStart > 0 && e.message.hasPrefix("Expected comma")) { code = "invalid-specifier" }
            else { code = "invalid-requirement" }
            problem(code, "`\(req)` is invalid at column \(e.column): \(e.message.lowercased())",
                    range(offset + e.spanStart, offset + max(e.spanEnd, e.spanStart + 1)), nil)
        }
    }

    /// `name [extras] @ …`: a PEP 508 URL requirement, never a path.
    static func looksLikeNameAtURL(_ text: String) -> Bool {
        var t = PEP508Tokenizer(text)
        guard let e = t.matchIdentifier() else { return false }
        t.pos = e
        t.consumeWS()
        if t.at(t.pos) == "[" {
            while let c = t.at(t.pos), c != "]" { t.pos += 1 }
            t.pos += 1
            t.consumeWS()
        }
        return t.at(t.pos) == "@"
    }

    /// Detects `a==1.0b==2.0`-style and `a==1.0 b==2.0`-style lines: returns the two halves and the
    /// offset where the second starts.
    static func gluedSplit(_ req: String, failure: Requirement.ParseError) -> (String, String, Int)? {
        let s = Array(req.unicodeScalars)
        let versionWords: Set<String> = ["a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "post", "rev", "r", "dev"]
        func str(_ a: Int, _ b: Int) -> String { String(scalars: s[a..<b]) }
        // Candidates: a letter right after a digit, or the first non-space after a space following a version.
        // The second requirement starts at or before where the whole line stopped parsing, inside the
        // last token or two: only a window before the failure is tried, so a long line stays linear.
        let windowEnd = min(s.count, max(failure.spanEnd, failure.spanStart) + 1)
        var k = max(1, windowEnd - 128)
        while k < windowEnd {
            let prev = s[k - 1], c = s[k]
            let isLetter = (c.value | 0x20 >= 97 && c.value | 0x20 <= 122)
            var start: Int? = nil
            if isLetter && PEP440Scanner.isDigit(prev) { start = k }
            else if prev == " " && isLetter && k >= failure.spanStart { start = k }
            if let st = start {
                let first = str(0, st).pythonStrStripped
                if case .success(let r1) = Requirement.parse(first), !r1.specifier.isEmpty,
                   case let second = str(st, s.count).pythonStrStripped,
                   case .success(let r2) = Requirement.parse(second), !r2.specifier.isEmpty || r2.url != nil {
                    let nameWord = r2.name.lowercased().trimmingDigits
                    if !versionWords.contains(nameWord) || !r2.specifier.isEmpty {
                        return (first, second, st)
                    }
                }
            }
            k += 1
        }
        return nil
    }

    /// `#egg=name` fragment, or `name==version` from a wheel file name.
    static func derivedName(_ location: String) -> String? {
        if let hash = location.lastIndex(of: "#") {
            for part in location[location.index(after: hash)...].split(separator: "&") where part.hasPrefix("egg=") {
                let n = String(part.dropFirst(4))
                return n.isEmpty ? nil : n
            }
        }
        var path = location
        if let q = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<q]) }
        let file = path.asciiLastComponent(0x2F).map(String.init) ?? path
        if file.lowercased().hasSuffix(".whl") {
            let parts = file.dropLast(4).split(separator: "-")
            if parts.count >= 5 {
                return PackageName.normalize(String(parts[0])) + "==" + String(parts[1]).replacingUnderscoresWithDashes
            }
        }
        return nil
    }

    /// Replaces the password part of every `scheme://user:password@` in free text with `****`.
    public static func redactingCredentials(in text: String) -> String {
        guard text.contains("@") else { return text }
        var out = ""
        var word = ""
        func flush() {
            out += redactedCredentials(word) ?? word
            word = ""
        }
        for ch in text {
            if ch == " " || ch == "`" || ch == "'" || ch == "\"" { flush(); out.append(ch) } else { word.append(ch) }
        }
        flush()
        return out
    }

    /// Returns the URL with the password (or a lone token user) replaced by `****`, or nil when the URL has no credentials.
    public static func redactedCredentials(_ url: String) -> String? {
        let us = Array(url.unicodeScalars)
        guard let se = locate("://", in: us, from: 0) else { return nil }
        let schemeEnd = url.unicodeScalars.index(url.unicodeScalars.startIndex, offsetBy: se.lowerBound)..<url.unicodeScalars.index(url.unicodeScalars.startIndex, offsetBy: se.upperBound)
        let rest: Substring = url[schemeEnd.upperBound...]
        let hostEnd: String.Index = rest.firstIndex(where: { (c: Character) -> Bool in c == "/" || c == "?" || c == "#" }) ?? rest.endIndex
        let netloc: Substring = rest[..<hostEnd]
        guard let at = netloc.lastIndex(of: "@") else { return nil }
        let userinfo = netloc[..<at]
        if userinfo.hasPrefix("${") && userinfo.hasSuffix("}") && !userinfo.contains(":") { return nil }
        var redactedUser: String
        if let colon = userinfo.firstIndex(of: ":") {
            let password = userinfo[userinfo.index(after: colon)...]
            if password.hasPrefix("${") && password.hasSuffix("}") { return nil }
            redactedUser = String(userinfo[..<colon]) + ":****"
        } else {
            redactedUser = "****"
        }
        return String(url[..<schemeEnd.upperBound]) + redactedUser + String(rest[at...])
    }
}

extension String {
    fileprivate var replacingUnderscoresWithDashes: String { String(map { $0 == "_" ? "-" : $0 }) }
    fileprivate var trimmingDigits: String { String(reversed().drop(while: { $0.isNumber }).reversed()) }
}

/// POSIX `shlex.split` (no comments).
enum PipShlex {
    struct Failure: Error { var message: String }
    static func split(_ s: [Unicode.Scalar]) -> Result<[String], Failure> {
        splitWithRanges(s).map { $0.map(\.word) }
    }

    /// The words and the source span of each (quotes included).
    static func splitWithRanges(_ s: [Unicode.Scalar]) -> Result<[(word: String, range: Range<Int>)], Failure> {
        var words: [(word: String, range: Range<Int>)] = []
        var cur = String.UnicodeScalarView()
        var inWord = false
        var wordStart = 0
        var i = 0
        func isWS(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
        while i < s.count {
            let c = s[i]
            if !inWord && !isWS(c) { wordStart = i }
            if isWS(c) {
                if inWord { words.append((String(cur), wordStart..<i)); cur = .init(); inWord = false }
                i += 1
            } else if c == "'" {
                inWord = true
                i += 1
                while i < s.count, s[i] != "'" { cur.append(s[i]); i += 1 }
                if i >= s.count { return .failure(Failure(message: "No closing quotation")) }
                i += 1
            } else if c == "\"" {
                inWord = true
                i += 1
                while i < s.count, s[i] != "\"" {
                    if s[i] == "\\", i + 1 < s.count, s[i + 1] == "\"" || s[i + 1] == "\\" { cur.append(s[i + 1]); i += 2; continue }
                    cur.append(s[i]); i += 1
                }
                if i >= s.count { return .failure(Failure(message: "No closing quotation")) }
                i += 1
            } else if c == "\\" {
                inWord = true
                if i + 1 >= s.count { return .failure(Failure(message: "No escaped character")) }
                cur.append(s[i + 1]); i += 2
            } else {
                inWord = true
                cur.append(c); i += 1
            }
        }
        if inWord { words.append((String(cur), wordStart..<s.count)) }
        return .success(words)
    }
}

/// The optparse parser pip builds for requirement lines (`req_file.build_parser`).
enum PipOptionParser {
    struct Spec { let long: [String]; let short: String?; let takesValue: Bool }
    static let specs: [Spec] = [
        Spec(long: ["--index-url", "--pypi-url"], short: "-i", takesValue: true),
        Spec(long: ["--extra-index-url"], short: nil, takesValue: true),
        Spec(long: ["--no-index"], short: nil, takesValue: false),
        Spec(long: ["--constraint"], short: "-c", takesValue: true),
        Spec(long: ["--requirement"], short: "-r", takesValue: true),
        Spec(long: ["--editable"], short: "-e", takesValue: true),
        Spec(long: ["--find-links"], short: "-f", takesValue: true),
        Spec(long: ["--no-binary"], short: nil, takesValue: true),
        Spec(long: ["--only-binary"], short: nil, takesValue: true),
        Spec(long: ["--prefer-binary"], short: nil, takesValue: false),
        Spec(long: ["--require-hashes"], short: nil, takesValue: false),
        Spec(long: ["--no-require-hashes"], short: nil, takesValue: false),
        Spec(long: ["--pre"], short: nil, takesValue: false),
        Spec(long: ["--all-releases"], short: nil, takesValue: true),
        Spec(long: ["--only-final"], short: nil, takesValue: true),
        Spec(long: ["--trusted-host"], short: nil, takesValue: true),
        Spec(long: ["--use-feature"], short: nil, takesValue: true),
        Spec(long: ["--hash"], short: nil, takesValue: true),
        Spec(long: ["--config-settings"], short: "-C", takesValue: true),
    ]
    static let features = ["fast-deps", "inprocess-build-deps", "venv-isolation", "truststore", "no-binary-enable-wheel-cache", "build-constraint"]

    enum ErrorKind { case unknown, ambiguous, missingArgument, takesNoValue, invalidValue }
    struct OptionError { var kind: ErrorKind; var option: String; var word: String; var wordIndex: Int; var message: String }
    struct Result {
        var options: [RequirementsOption] = []
        /// For each option, the index of the word holding its value (or the option itself).
        var optionValueWordIndices: [Int] = []
        var positionals: [String] = []
        var positionalWordIndices: [Int] = []
        var errors: [OptionError] = []
    }

    static func parse(_ words: [String]) -> Result {
        var r = Result()
        var i = 0
        var current = 0
        func fail(_ k: ErrorKind, _ opt: String, _ word: String, _ msg: String) {
            r.errors.append(OptionError(kind: k, option: opt, word: word, wordIndex: current, message: msg))
        }
        func add(_ o: RequirementsOption, valueWord: Int) { r.options.append(o); r.optionValueWordIndices.append(valueWord) }
        while i < words.count {
            let w = words[i]
            current = i
            i += 1
            if w == "--" { r.positionals += words[i...]; r.positionalWordIndices += Array(i..<words.count); break }
            if w.hasPrefix("--") {
                var name = w, inline: String? = nil
                if let (before, after) = w.splitAtFirstEquals() { name = before; inline = after }
                let exact = specs.first { $0.long.contains(name) }
                var spec = exact
                var canonicalName = name
                if spec == nil {
                    let matches = specs.flatMap { s in s.long.filter { $0.hasPrefix(name) }.map { (s, $0) } }
                    if matches.count == 1 { spec = matches[0].0; canonicalName = matches[0].1 }
                    else if matches.count > 1 {
                        fail(.ambiguous, name, w, "`\(name)` is ambiguous (\(matches.map(\.1).joined(separator: ", ")))")
                        continue
                    } else {
                        fail(.unknown, name, w, "pip does not know the option `\(name)`")
                        continue
                    }
                }
                let s = spec!
                _ = canonicalName
                let canonical = s.long[0]
                if s.takesValue {
                    var value: String
                    var valueWord = current
                    if let v = inline { value = v }
                    else if i < words.count { value = words[i]; valueWord = i; i += 1 }
                    else { fail(.missingArgument, canonical, w, "`\(name)` needs a value"); continue }
                    if let m = validate(canonical, value) { fail(.invalidValue, canonical, w, m); continue }
                    add(RequirementsOption(name: canonical, value: value), valueWord: valueWord)
                } else {
                    if inline != nil { fail(.takesNoValue, canonical, w, "`\(name)` does not take a value"); continue }
                    add(RequirementsOption(name: canonical, value: nil), valueWord: current)
                }
            } else if w.hasPrefix("-") && w.count > 1 {
                // Short options may be clustered (`-ifoo` = `-i foo`).
                let chars = Array(w.dropFirst())
                var k = 0
                while k < chars.count {
                    let opt = "-" + String(chars[k])
                    guard let s = specs.first(where: { $0.short == opt }) else {
                        fail(.unknown, opt, w, "pip does not know the option `\(opt)`")
                        break
                    }
                    let canonical = s.long[0]
                    if s.takesValue {
                        var value: String
                        var valueWord = current
                        if k + 1 < chars.count { value = String(chars[(k + 1)...]) }
                        else if i < words.count { value = words[i]; valueWord = i; i += 1 }
                        else { fail(.missingArgument, canonical, w, "`\(opt)` needs a value"); break }
                        if let m = validate(canonical, value) { fail(.invalidValue, canonical, w, m) }
                        else { add(RequirementsOption(name: canonical, value: value), valueWord: valueWord) }
                        break
                    }
                    add(RequirementsOption(name: canonical, value: nil), valueWord: current)
                    k += 1
                }
            } else {
                r.positionals.append(w)
                r.positionalWordIndices.append(current)
            }
        }
        return r
    }

    static func validate(_ option: String, _ value: String) -> String? {
        switch option {
        case "--hash":
            guard let c = value.firstIndex(of: ":") else { return "`--hash` must be `algorithm:digest`, got `\(value)`" }
            let algo = String(value[..<c])
            if !["sha256", "sha384", "sha512"].contains(algo) { return "`--hash` algorithm `\(algo)` is not one of sha256, sha384, sha512" }
        case "--config-settings":
            if !value.containsEquals { return "`--config-settings` must be `KEY=VAL`, got `\(value)`" }
        case "--use-feature":
            if !features.contains(value) { return "`--use-feature` does not know `\(value)`" }
        case "--no-binary", "--only-binary":
            if value.hasPrefix("-") { return "`\(option)` needs a value, got `\(value)`" }
        default: break
        }
        return nil
    }
}
