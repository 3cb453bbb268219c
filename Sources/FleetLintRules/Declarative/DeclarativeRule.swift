import FleetLintCore
import FleetLintSyntax
import Foundation

/// A rule defined in YAML (`rules/<id>.yaml`, one rule per file, Semgrep-style keys). `kind` picks a
/// matcher that reuses the machinery of a built-in rule.
///
/// Its patterns are user input, so the engine cannot bound its cost (`UnboundedFileRule`): a run stops the rule once it
/// has used up the time budget of a few files, and reports that at `definition`.
public struct DeclarativeRule: UnboundedFileRule {
    public let ruleDescription: RuleDescription
    public let messageTemplate: String
    public let include: [Glob]
    public let exclude: [Glob]
    public let metadata: [String: MetadataValue]
    let matcher: any DeclarativeMatcher
    /// SHA-256 of the rule file's text (part of every cache key).
    public internal(set) var sourceHash = ""
    /// The rule file and the line of its pattern (`regex`, `argument-regex`; else line 1).
    public internal(set) var definition: (path: String, line: Int) = ("", 1)

    /// Whether `paths` lets the rule check the file at `path` (`include`, when given, and not `exclude`).
    public func applies(to path: String) -> Bool {
        (include.isEmpty || include.contains { $0.matches(path) }) && !exclude.contains { $0.matches(path) }
    }

    public func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] {
        guard applies(to: file.path) else { return [] }
        return matcher.matches(in: file, overBudget: { context.isOverBudget }).map { m in
            var message = messageTemplate
            for (key, value) in m.substitutions { message = Self.replacing("{\(key)}", with: value, in: message) }
            var meta = metadata
            for (key, value) in m.substitutions { meta[key] = .string(value) }
            return context.finding(path: file.path, range: m.range, message: message, metadata: meta, anchor: m.anchor, scope: m.scope)
        }
    }
}

extension DeclarativeRule {
    /// `text.replacingOccurrences(of: placeholder, with: value)`. Foundation's search costs ~50,000
    /// instructions a call; for ASCII text and placeholder (every message template in practice) the
    /// search is a byte search, done here, and a template without the placeholder is returned as is.
    static func replacing(_ placeholder: String, with value: String, in text: String) -> String {
        let t = Array(text.utf8), p = Array(placeholder.utf8)
        guard !p.isEmpty, t.allSatisfy({ $0 < 0x80 }), p.allSatisfy({ $0 < 0x80 }) else {
            return text.replacingOccurrences(of: placeholder, with: value)
        }
        var out: [UInt8] = []
        var i = 0, copied = 0
        while i + p.count <= t.count {
            if t[i] == p[0] && t[i..<(i + p.count)].elementsEqual(p) {
                out.append(contentsOf: t[copied..<i])
                out.append(contentsOf: value.utf8)
                i += p.count
                copied = i
            } else {
                i += 1
            }
        }
        if copied == 0 { return text }
        out.append(contentsOf: t[copied...])
        return String(decoding: out, as: UTF8.self)
    }
}

/// One match of a declarative matcher: where, and the values for the message placeholders.
public struct DeclarativeMatch: Sendable {
    public var range: SourceRange
    public var substitutions: [String: String]
    public var anchor: String?
    /// The enclosing Python function/class (`Finding.scope`), when the matcher knows it.
    public var scope: String? = nil
}

/// A `kind` of declarative rule.
protocol DeclarativeMatcher: Sendable {
    var inputs: Set<FileKind> { get }
    /// `overBudget`: whether the file has used up its time budget (`RuleContext.isOverBudget`); a matcher stops then,
    /// also inside a regular expression's match.
    func matches(in file: AnalyzedFile, overBudget: () -> Bool) -> [DeclarativeMatch]
}

extension NSRegularExpression {
    /// `matches(in:range:)`, at most `limit` of them, given up once `stop()` says so: asked while a match runs (`.reportProgress`: ICU calls
    /// back as the match backtracks and at each position a search starts from; `stop()` is asked every 256th call),
    /// since a pattern that backtracks exponentially (`(a+)+$`) ran without bound on a line of a hundred
    /// characters, past any time budget (the engine checks it between rules).
    func matches(in text: String, range: NSRange, limit: Int = .max, stoppingWhen stop: () -> Bool) -> [NSTextCheckingResult] {
        var out: [NSTextCheckingResult] = []
        var calls = 0
        // The block is declared escaping; `enumerateMatches` returns only when it is done with it.
        withoutActuallyEscaping(stop) { stop in
            enumerateMatches(in: text, options: [.reportProgress], range: range) { m, _, halt in
                if let m {
                    out.append(m)
                    if out.count >= limit { halt.pointee = true }
                    return
                }
                calls &+= 1
                if calls & 255 == 0 && stop() { halt.pointee = true }
            }
        }
        return out
    }

    /// `firstMatch(in:range:)`, given up once `stop()` says so (see `matches(in:range:limit:stoppingWhen:)`).
    func firstMatch(in text: String, range: NSRange, stoppingWhen stop: () -> Bool) -> NSTextCheckingResult? {
        matches(in: text, range: range, limit: 1, stoppingWhen: stop).first
    }
}

/// `kind: regex` — a regular expression run on the lines that contain one of the keywords (never over
/// the whole file). The finding covers `capture-group` (0 = the whole match).
struct RegexMatcher: DeclarativeMatcher {
    let regex: NSRegularExpression
    let keywords: [[UInt8]]
    let captureGroup: Int
    let inputs: Set<FileKind>
    let redact: Bool

    func matches(in file: AnalyzedFile, overBudget: () -> Bool) -> [DeclarativeMatch] {
        var out: [DeclarativeMatch] = []
        file.bytes.withUnsafeBufferPointer { buf in
            // Made on the first keyword hit: a file without one needs no line index from this rule.
            var index: LineIndex?
            func lineIndex() -> LineIndex {
                if let index { return index }
                let made = file.lineIndex
                index = made
                return made
            }
            func match(line: Int) {
                let lineIndex = lineIndex()
                let r = lineIndex.byteRange(ofLine: line, in: buf)
                if r.isEmpty { return }
                let slice = UnsafeBufferPointer(rebasing: buf[r])
                if !keywords.isEmpty && !keywords.contains(where: { RegexMatcher.containsLowercased(slice, $0) }) { return }
                let text = String(decoding: slice, as: UTF8.self)
                let ns = text as NSString
                for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length), stoppingWhen: overBudget) {
                    let g = m.range(at: captureGroup)
                    guard g.location != NSNotFound else { continue }
                    let value = ns.substring(with: g)
                    let prefix = ns.substring(to: g.location)
                    let column = prefix.unicodeScalars.count + 1
                    let shown = redact ? String(value.prefix(4)) + "…" : value
                    out.append(DeclarativeMatch(
                        range: SourceRange(line: line, column: column, length: value.unicodeScalars.count),
                        substitutions: ["match": shown], anchor: redact ? String(StableHash.fnv1a64(value.utf8)) : value))
                }
            }
            if let lines = RegexMatcher.keywordLines(buf, keywords: keywords, lineIndex: lineIndex) {
                for line in lines where !overBudget() { match(line: line) }
            } else {
                for line in 1...max(1, lineIndex().lineCount) where !overBudget() { match(line: line) }
            }
        }
        return out
    }

    /// The lines (ascending) holding one of `keywords` as `containsLowercased` finds it, from one pass
    /// over the whole file per keyword instead of a search of every line; nil when the lines must be
    /// searched one by one (no keywords, an empty one, or one with a line-terminator byte, which a
    /// line's text never holds). A line's text (`LineIndex.byteRange`) is the bytes between two
    /// terminators, so a keyword without `\r`/`\n` occurs in the file exactly where it occurs in a line.
    /// `makeLineIndex` is called on every hit: it makes the index once (see `matches`).
    static func keywordLines(_ buf: UnsafeBufferPointer<UInt8>, keywords: [[UInt8]], lineIndex makeLineIndex: () -> LineIndex) -> [Int]? {
        guard !keywords.isEmpty, !keywords.contains(where: { $0.isEmpty || $0.contains(0x0A) || $0.contains(0x0D) }) else { return nil }
        var lines: [Int] = []
        for needle in keywords {
            var from = 0
            while let hit = firstLowercased(buf, needle, from: from) {
                let lineIndex = makeLineIndex()
                let line = lineIndex.line(ofByteOffset: hit)
                lines.append(line)
                // The rest of this line adds nothing.
                guard line < lineIndex.lineStarts.count else { break }
                from = lineIndex.lineStarts[line]
            }
        }
        if keywords.count > 1 {
            lines.sort()
            var unique: [Int] = []
            unique.reserveCapacity(lines.count)
            for l in lines where unique.last != l { unique.append(l) }
            return unique
        }
        return lines
    }

    /// The first offset at or after `from` where `needle` occurs in `hay` with its A–Z lowered (the
    /// comparison of `containsLowercased`). A byte of the needle that only one byte lowers to (not a
    /// lowercase letter) is looked for with `memchr`; otherwise the first byte, in either case.
    static func firstLowercased(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], from: Int) -> Int? {
        let n = needle.count
        guard n > 0, let base = hay.baseAddress, hay.count - from >= n else { return nil }
        @inline(__always) func lowered(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        @inline(__always) func matches(at i: Int) -> Bool {
            var k = 0
            while k < n, lowered(hay[i + k]) == needle[k] { k += 1 }
            return k == n
        }
        // An uppercase letter in the needle never equals a lowered byte.
        if needle.contains(where: { $0 >= 65 && $0 <= 90 }) { return nil }
        if let anchor = needle.firstIndex(where: { !($0 >= 97 && $0 <= 122) }) {
            // Only the byte itself lowers to a non-letter: find it with memchr.
            let byte = needle[anchor]
            var i = from + anchor
            let last = hay.count - n + anchor
            while i <= last {
                guard let p = memchr(base + i, Int32(byte), last - i + 1) else { return nil }
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if matches(at: at - anchor) { return at - anchor }
                i = at + 1
            }
            return nil
        }
        // Every byte is a lowercase letter: the first one, in either case (`c | 0x20` is it only for those two).
        let first = needle[0]
        var i = from
        let last = hay.count - n
        while i <= last {
            if hay[i] | 0x20 == first && matches(at: i) { return i }
            i += 1
        }
        return nil
    }

    static func containsLowercased(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= hay.count else { return needle.isEmpty }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            var k = 0
            while k < needle.count {
                var c = hay[i + k]
                if c >= 65 && c <= 90 { c += 32 }
                if c != needle[k] { break }
                k += 1
            }
            if k == needle.count { return true }
            i += 1
        }
        return false
    }
}

/// `kind: python-call` — calls whose callee resolves (through imports and scopes, like `unpooled-client`)
/// to one of `callee`, optionally only when a keyword is missing, inside a loop / async function / except
/// handler, or when an argument's source text matches a regex. `{callee}` names the resolved callee.
struct PythonCallMatcher: DeclarativeMatcher {
    enum Within: String, CaseIterable { case loop, asyncFunction = "async-function", except }

    let callees: Set<String>
    /// `callees`, for the question asked of every call of a file.
    let calleeNames: QualifiedNameSet
    let missingKeyword: String?
    let within: Within?
    let argumentRegex: NSRegularExpression?
    var inputs: Set<FileKind> { [.python] }

    init(callees: Set<String>, missingKeyword: String?, within: Within?, argumentRegex: NSRegularExpression?) {
        self.callees = callees
        calleeNames = QualifiedNameSet(callees)
        self.missingKeyword = missingKeyword
        self.within = within
        self.argumentRegex = argumentRegex
    }

    func matches(in file: AnalyzedFile, overBudget: () -> Bool) -> [DeclarativeMatch] {
        guard let python = file.python else { return [] }
        var out: [DeclarativeMatch] = []
        // By index, and a record copied only for a callee of the rule (a record holds 3 references).
        let calls = python.semantic.calls
        for index in calls.indices {
            guard let name = calls[index].qualifiedName, calleeNames.contains(name) else { continue }
            let call = calls[index]
            if let kw = missingKeyword, call.keywords.contains(where: { $0.name == kw || $0.name == nil }) { continue }
            switch within {
            case .loop?: if call.enclosingLoops.isEmpty { continue }
            case .asyncFunction?: if call.enclosingFunctions.last?.isAsync != true { continue }
            case .except?: if !call.inExceptHandler { continue }
            case nil: break
            }
            if let regex = argumentRegex {
                let texts = call.args.map { python.module.text(of: $0) } + call.keywords.map { python.module.text(of: $0.value) }
                guard texts.contains(where: { t in
                    regex.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length), stoppingWhen: overBudget) != nil
                }) else { continue }
            }
            out.append(DeclarativeMatch(
                range: SourceRange(start: call.callee.range.start, end: call.call.range.end),
                substitutions: ["callee": name],
                anchor: call.anchor(ending: python.module.text(of: call.call)),
                scope: python.semantic.scopeName(of: call)))
        }
        return out
    }
}

/// `kind: dockerfile` — Dockerfile instructions (`RUN`, `FROM`, …) whose arguments match a regex.
/// `{match}` is the matched text.
struct DockerfileMatcher: DeclarativeMatcher {
    let instruction: String
    let argumentRegex: NSRegularExpression?
    var inputs: Set<FileKind> { [.dockerfile] }

    func matches(in file: AnalyzedFile, overBudget: () -> Bool) -> [DeclarativeMatch] {
        guard let parsed = file.dockerfile else { return [] }
        var out: [DeclarativeMatch] = []
        for inst in parsed.dockerfile.instructions where inst.keyword == instruction {
            var matched = inst.rawArguments
            if let regex = argumentRegex {
                let ns = inst.rawArguments as NSString
                guard let m = regex.firstMatch(in: inst.rawArguments, range: NSRange(location: 0, length: ns.length), stoppingWhen: overBudget)
                else { continue }
                matched = ns.substring(with: m.range)
            }
            out.append(DeclarativeMatch(range: inst.range, substitutions: ["match": matched], anchor: inst.keyword + ":" + inst.rawArguments))
        }
        return out
    }
}

/// `kind: dependency` — requirements (requirements files and pyproject) of `package` that admit a
/// version in `forbidden-specifier` (exact PEP 440 interval intersection), or that are not pinned with
/// `==` when `require-pin` is set. `{match}` is the requirement as written.
struct DependencyMatcher: DeclarativeMatcher {
    let packages: Set<String>
    let forbidden: SpecifierSet?
    let requirePin: Bool
    let manifests: Set<FileKind>
    var inputs: Set<FileKind> { manifests }

    func matches(in file: AnalyzedFile, overBudget: () -> Bool) -> [DeclarativeMatch] {
        var candidates: [(requirement: Requirement, text: String, range: SourceRange)] = []
        if let doc = file.requirements {
            for e in doc.requirements { if let r = e.requirement { candidates.append((r, e.requirementText ?? e.rawText, e.range)) } }
        }
        if let pyproject = file.pyproject {
            for r in pyproject.requirements {
                if case .success(let req) = Requirement.parse(r.requirement) { candidates.append((req, r.requirement, r.range)) }
            }
        }
        return candidates.compactMap { c in
            guard packages.contains("*") || packages.contains(PackageName.normalize(c.requirement.name)) else { return nil }
            let specs = c.requirement.specifier.specifiers
            let pinned = specs.count == 1 && (specs[0].op == .equal || specs[0].op == .arbitrary) && !specs[0].isWildcard
            var hit = false
            if requirePin && !pinned && c.requirement.url == nil { hit = true }
            if let forbidden, c.requirement.url == nil,
               SpecifierSet.intersection(of: [c.requirement.specifier, forbidden]).isSatisfiable(prereleases: true) {
                hit = true
            }
            return hit ? DeclarativeMatch(range: c.range, substitutions: ["match": c.text], anchor: c.text) : nil
        }
    }
}
