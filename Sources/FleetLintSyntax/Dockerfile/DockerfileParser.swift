// Dockerfile parser following BuildKit's `frontend/dockerfile/parser` (moby/buildkit):
// parser directives, escape-character continuations (comment and blank lines inside a continuation are
// dropped), heredocs, flags, exec vs shell form, and the per-instruction argument split.
// Reference: https://docs.docker.com/reference/dockerfile/

/// Parses Dockerfiles into instructions, stages and problems. Never throws.
public enum DockerfileParser {
    static let knownInstructions: Set<String> = [
        "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
        "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    ]
    static let expandedInstructions: Set<String> = [
        "ADD", "COPY", "ENV", "ARG", "LABEL", "WORKDIR", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "FROM",
    ]

    /// Parses a Dockerfile's text.
    public static func parse(_ text: String) -> Dockerfile { parse(bytes: Array(text.utf8)) }

    /// Parses a Dockerfile's bytes (UTF-8).
    public static func parse(bytes input: [UInt8]) -> Dockerfile {
        let lineIndex = LineIndex(input)
        var state = State(bytes: input, lineIndex: lineIndex)
        input.withUnsafeBufferPointer { state.run($0) }
        // The instructions moved out of the state: shared with it, the semantic pass's first change copied them all.
        let instructions = state.instructions
        state.instructions = []
        var df = Dockerfile(directives: state.directives, escapeCharacter: state.escape,
                            instructions: consume instructions, stages: [], globalArgs: [],
                            problems: state.problems, bytes: input, lineIndex: lineIndex)
        DockerfileSemantics.analyze(&df)
        return df
    }

    // MARK: - Physical lines and continuation

    struct State {
        let bytes: [UInt8]
        let lineIndex: LineIndex
        var escape: UInt8 = UInt8(ascii: "\\")
        var directives: [DockerDirective] = []
        var instructions: [DockerInstruction] = []
        var problems: [ParseProblem] = []
        /// Physical lines split on `\n` only, as BuildKit's scanner does: (start, contentEnd, nextStart).
        var lines: [(start: Int, end: Int, next: Int)] = []

        init(bytes: [UInt8], lineIndex: LineIndex) {
            self.bytes = bytes
            self.lineIndex = lineIndex
        }

        func range(_ s: Int, _ e: Int) -> SourceRange {
            SourceRange(start: lineIndex.location(ofByteOffset: s, in: bytes),
                        end: lineIndex.location(ofByteOffset: max(s, e), in: bytes))
        }

        func lineRange(_ first: Int, _ last: Int) -> SourceRange {
            let s = lines[first - 1].start
            let e = lines[last - 1].end
            return range(s, e)
        }

        mutating func problem(_ code: String, _ message: String, _ r: SourceRange, help: String? = nil) {
            problems.append(ParseProblem(code: code, message: message, range: r, help: help))
        }

        mutating func splitLines(_ b: UnsafeBufferPointer<UInt8>) {
            var i = SourceText.hasUTF8BOM(bytes) ? 3 : 0
            let n = b.count
            while i < n {
                let s = i
                while i < n, b[i] != 0x0A { i += 1 }
                var e = i
                while e > s, b[e - 1] == 0x0D || b[e - 1] == 0x0A { e -= 1 }
                let next = i < n ? i + 1 : n
                lines.append((s, e, next))
                i = next
                if i == n { break }
            }
        }

        @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
            c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D
        }

        func firstNonSpace(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
            var i = s
            while i < e, State.isSpace(b[i]) { i += 1 }
            return i
        }

        func isComment(_ b: UnsafeBufferPointer<UInt8>, line: Int) -> Bool {
            let l = lines[line]
            let i = firstNonSpace(b, l.start, l.end)
            return i < l.end && b[i] == UInt8(ascii: "#")
        }

        /// End of content without a trailing escape + `[ \t]*`, and whether the line continues.
        func trimContinuation(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Bool) {
            var j = e
            while j > s, b[j - 1] == 0x20 || b[j - 1] == 0x09 { j -= 1 }
            if j > s, b[j - 1] == escape { return (j - 1, true) }
            return (e, false)
        }

        mutating func parseDirectives(_ b: UnsafeBufferPointer<UInt8>) {
            var seen: Set<String> = []
            for (idx, l) in lines.enumerated() {
                var i = firstNonSpace(b, l.start, l.end)
                guard i < l.end, b[i] == UInt8(ascii: "#") else { return }
                i += 1
                while i < l.end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                let ks = i
                guard i < l.end, isAlpha(b[i]) else { return }
                while i < l.end, isAlpha(b[i]) || (b[i] >= 0x30 && b[i] <= 0x39) { i += 1 }
                let key = String(decoding: b[ks..<i], as: UTF8.self).lowercased()
                while i < l.end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                guard i < l.end, b[i] == UInt8(ascii: "=") else { return }
                i += 1
                while i < l.end, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
                var e = l.end
                while e > i, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
                guard e > i else { return }
                let value = String(decoding: b[i..<e], as: UTF8.self)
                guard key == "escape" || key == "syntax" || key == "check" else { continue }
                let r = range(l.start, l.end)
                if seen.contains(key) {
                    problem("duplicate-directive", "parser directive `\(key)` is given more than once", r)
                    continue
                }
                seen.insert(key)
                directives.append(DockerDirective(name: key, value: value, line: idx + 1))
                if key == "escape" {
                    if value == "`" { escape = UInt8(ascii: "`") } else if value == "\\" { escape = UInt8(ascii: "\\") } else {
                        problem("invalid-escape-directive", "escape directive `\(value)` is neither a backslash nor a backtick", r)
                    }
                }
            }
        }

        func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

        mutating func run(_ b: UnsafeBufferPointer<UInt8>) {
            splitLines(b)
            parseDirectives(b)
            var li = 0
            let count = lines.count
            while li < count {
                let startLine = li + 1
                let l = lines[li]
                li += 1
                var text: [UInt8] = []
                var pieces: [TextOrigin.Piece] = []
                if isComment(b, line: li - 1) { continue }
                let s0 = firstNonSpace(b, l.start, l.end)
                var (e0, continues) = trimContinuation(b, s0, l.end)
                if !continues && e0 == s0 { continue }
                func append(_ s: Int, _ e: Int) {
                    guard e > s else { return }
                    pieces.append(.init(textOffset: text.count, fileOffset: s, length: e - s))
                    text.append(contentsOf: b[s..<e])
                }
                append(s0, e0)
                var emptyContinuation = false
                while continues && li < count {
                    let c = lines[li]
                    li += 1
                    if isComment(b, line: li - 1) { continue }
                    if firstNonSpace(b, c.start, c.end) == c.end { emptyContinuation = true; continue }
                    (e0, continues) = trimContinuation(b, c.start, c.end)
                    append(c.start, e0)
                }
                if continues {
                    problem("continuation-at-eof", "the last instruction ends with the escape character `\(Character(UnicodeScalar(escape)))` at the end of the file",
                            lineRange(startLine, li))
                }
                if emptyContinuation {
                    problem("empty-continuation-line", "empty continuation line inside the instruction; BuildKit warns that these will become errors",
                            lineRange(startLine, li))
                }
                if pieces.isEmpty { pieces.append(.init(textOffset: 0, fileOffset: s0, length: 0)) }
                let origin = TextOrigin(pieces: pieces)
                guard var inst = makeInstruction(text, origin: origin, startLine: startLine) else { continue }
                // Heredocs
                let kw = inst.effectiveKeyword
                if (kw == "RUN" || kw == "COPY" || kw == "ADD") && !inst.isJSON && text.count >= 2 && containsHeredocMarker(text) {
                    for h in DockerWords.heredocs(in: text) {
                        let bodyStart = li
                        var content: [UInt8] = []
                        var hp: [TextOrigin.Piece] = []
                        var terminated = false
                        while li < count {
                            let c = lines[li]
                            li += 1
                            var ts = c.start
                            if h.chomp { while ts < c.end, b[ts] == 0x09 { ts += 1 } }
                            if c.end - ts == h.name.utf8.count && b[ts..<c.end].elementsEqual(h.name.utf8) {
                                terminated = true
                                break
                            }
                            var cs = c.start
                            if h.chomp { cs = ts }
                            hp.append(.init(textOffset: content.count, fileOffset: cs, length: c.next - cs))
                            content.append(contentsOf: b[cs..<c.next])
                        }
                        if hp.isEmpty { hp.append(.init(textOffset: 0, fileOffset: li < count ? lines[li].start : b.count, length: 0)) }
                        inst.heredocs.append(DockerHeredoc(
                            name: h.name, content: String(decoding: content, as: UTF8.self), stripsLeadingTabs: h.chomp,
                            expandsVariables: h.expand, fileDescriptor: h.fd, bodyStartLine: bodyStart + 1,
                            origin: TextOrigin(pieces: hp)))
                        if !terminated {
                            problem("unterminated-heredoc", "heredoc `\(h.name)` is not terminated before the end of the file",
                                    lineRange(startLine, max(li, startLine)))
                            break
                        }
                    }
                }
                inst.endLine = max(li, startLine)
                inst.range = lineRange(startLine, inst.endLine)
                instructions.append(inst)
            }
        }

        func containsHeredocMarker(_ t: [UInt8]) -> Bool {
            var i = 0
            while i + 1 < t.count {
                if t[i] == UInt8(ascii: "<") && t[i + 1] == UInt8(ascii: "<") { return true }
                i += 1
            }
            return false
        }

        // MARK: - One logical line

        mutating func makeInstruction(_ t: [UInt8], origin: TextOrigin, startLine: Int) -> DockerInstruction? {
            var i = 0
            let n = t.count
            while i < n, State.isSpace(t[i]) { i += 1 }
            let ks = i
            while i < n, !State.isSpace(t[i]) { i += 1 }
            let rawKeyword = String(decoding: t[ks..<i], as: UTF8.self)
            guard !rawKeyword.isEmpty else { return nil }
            var inst = DockerInstruction(
                keyword: rawKeyword.uppercased(), rawKeyword: rawKeyword, subKeyword: nil, isKnown: true,
                flags: [], rawArguments: "", arguments: [], argumentRanges: [], expandedArguments: [],
                isJSON: false, heredocs: [], original: String(decoding: t, as: UTF8.self), argumentsOffset: n,
                origin: origin, startLine: startLine, endLine: startLine,
                range: SourceRange(line: startLine, column: 1))
            let r = lineRange(startLine, startLine)
            fillArguments(&inst, t, keywordEnd: i, keyword: rawKeyword.lowercased(), range: r)
            return inst
        }

        mutating func fillArguments(_ inst: inout DockerInstruction, _ t: [UInt8], keywordEnd: Int, keyword: String, range r: SourceRange) {
            var i = keywordEnd
            let n = t.count
            while i < n, State.isSpace(t[i]) { i += 1 }
            let (flags, argStart) = DockerWords.extractFlags(t, from: i)
            var argEnd = n
            while argEnd > argStart, State.isSpace(t[argEnd - 1]) { argEnd -= 1 }
            var as_ = argStart
            while as_ < argEnd, State.isSpace(t[as_]) { as_ += 1 }
            inst.flags = flags
            inst.argumentsOffset = as_
            inst.rawArguments = String(decoding: t[as_..<argEnd], as: UTF8.self)
            let args = t[as_..<argEnd]
            func setWords(_ w: [(String, Range<Int>)]) {
                inst.arguments = w.map { $0.0 }
                inst.argumentRanges = w.map { $0.1 }
            }
            func maybeJSON(list: Bool) {
                if args.isEmpty { return }
                switch DockerWords.parseJSONArray(t, from: as_, to: argEnd) {
                case .array(let items):
                    inst.isJSON = true
                    setWords(items)
                case .notStrings, .invalid, .notArray:
                    switch DockerWords.parseJSONArray(t, from: as_, to: argEnd) {
                    case .notStrings:
                        // BuildKit rejects the file here; we keep going with the shell form.
                        problem("exec-form-not-strings", "exec form of `\(inst.keyword)` must be a JSON array of strings", r)
                    case .invalid:
                        problem("invalid-exec-form", "`\(inst.keyword)` arguments start with `[` but are not a valid JSON array of strings; they run as a shell command",
                                r, help: "use double quotes and commas: `[\"executable\", \"arg\"]`")
                    default: break
                    }
                    if list { setWords(DockerWords.fields(t, as_, argEnd)) } else { setWords([(inst.rawArguments, as_..<argEnd)]) }
                }
            }
            switch keyword {
            case "add", "copy", "volume": maybeJSON(list: true)
            case "cmd", "entrypoint", "run", "shell": maybeJSON(list: false)
            case "arg": setWords(DockerWords.parseWords(t, as_, argEnd, escape: escape))
            case "env", "label":
                let words = DockerWords.parseWords(t, as_, argEnd, escape: escape)
                if words.isEmpty {
                    problem("missing-arguments", "`\(inst.keyword)` has no arguments", r)
                } else if !words[0].0.containsEquals {
                    let f = DockerWords.fields(t, as_, argEnd, limit: 2)
                    if f.count < 2 {
                        problem("missing-arguments", "`\(inst.keyword) \(words[0].0)` has no value; write `\(words[0].0)=value`", r)
                        setWords(f)
                    } else {
                        setWords(f)
                    }
                } else {
                    var out: [(String, Range<Int>)] = []
                    for (w, wr) in words {
                        guard let (key, value) = w.splitAtFirstEquals() else {
                            problem("invalid-key-value", "`\(inst.keyword)` word `\(w)` has no `=`; the form is `name=value`", r)
                            continue
                        }
                        // The `=` in the source bytes (the word was decoded leniently, so invalid UTF-8
                        // makes its UTF-8 longer than the source slice).
                        let eqByte = t[wr].firstIndex(of: UInt8(ascii: "=")) ?? wr.lowerBound
                        out.append((key, wr.lowerBound..<eqByte))
                        out.append((value, min(eqByte + 1, wr.upperBound)..<wr.upperBound))
                    }
                    setWords(out)
                }
            case "expose", "from": setWords(DockerWords.fields(t, as_, argEnd))
            case "healthcheck":
                var j = as_
                while j < argEnd, !State.isSpace(t[j]) { j += 1 }
                guard j > as_ else { return }
                let typ = (String(decoding: t[as_..<j], as: UTF8.self), as_..<j)
                var k = j
                while k < argEnd, State.isSpace(t[k]) { k += 1 }
                var sub = DockerInstruction(keyword: "CMD", rawKeyword: "CMD", subKeyword: nil, isKnown: true, flags: [],
                                            rawArguments: "", arguments: [], argumentRanges: [], expandedArguments: [], isJSON: false,
                                            heredocs: [], original: "", argumentsOffset: 0, origin: inst.origin, startLine: 0, endLine: 0, range: r)
                if k < argEnd {
                    fillArguments(&sub, t, keywordEnd: j, keyword: "cmd", range: r)
                }
                inst.isJSON = sub.isJSON
                inst.arguments = [typ.0] + sub.arguments
                inst.argumentRanges = [typ.1] + sub.argumentRanges
            case "maintainer", "stopsignal", "user", "workdir":
                setWords([(inst.rawArguments, as_..<argEnd)])
            case "onbuild":
                var j = as_
                while j < argEnd, !State.isSpace(t[j]) { j += 1 }
                guard j > as_ else {
                    problem("missing-arguments", "`ONBUILD` has no instruction", r)
                    return
                }
                let sub = String(decoding: t[as_..<j], as: UTF8.self)
                inst.subKeyword = sub.uppercased()
                if sub.lowercased() == "onbuild" || sub.lowercased() == "from" || sub.lowercased() == "maintainer" {
                    problem("invalid-onbuild", "`ONBUILD \(sub.uppercased())` is not allowed", r)
                }
                fillArguments(&inst, t, keywordEnd: j, keyword: sub.lowercased(), range: r)
                inst.subKeyword = sub.uppercased()
            default:
                inst.isKnown = false
                problem("unknown-instruction", "unknown instruction `\(inst.keyword)`", r)
            }
        }
    }
}
