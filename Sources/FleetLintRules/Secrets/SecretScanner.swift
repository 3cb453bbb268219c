// The `committed-secret` engine: one Aho–Corasick pass over the file picks the lines and patterns
// worth a regex; each regex runs on single lines only. Design: docs/architecture.md §6 "Secrets
// follow gitleaks"; shapes and noise: docs/reference/secrets.md.

import Foundation
import FleetLintSyntax

/// Finds committed secrets in one file's bytes. Build once (checks and prepares the patterns; a built-in regex is compiled
/// when a line first needs it, `LazyRegex`), then call `scan` per file from any thread.
public final class SecretScanner: @unchecked Sendable {
    struct CompiledAllowlist {
        var paths: [String]
        /// Compiled on first use for a built-in pattern's allowlist, at once for a configured one (as `CompiledPattern`).
        var regexes: [LazyRegex]
        var target: SecretAllowlistTarget
    }

    struct CompiledPattern {
        var pattern: SecretPattern
        /// Compiled on first use for a built-in pattern (`LazyRegex`), at once for a configured one.
        var compiledRegex: LazyRegex
        var regex: NSRegularExpression { compiledRegex.regex }
        var allowlists: [CompiledAllowlist]
        var fileKeywordCount: Int
        /// Bytes every regex match contains: a line without them is not worth the regex.
        var requiredBytes: [UInt8]
        /// Every regex match starts where one of the pattern's keywords does (`KeywordAnchor`): on an ASCII
        /// line the regex is tried anchored at those offsets only.
        var isKeywordAnchored: Bool
        /// The regex has no case-insensitive flag.
        var isCaseSensitive: Bool
    }

    struct RawMatch {
        var full: NSRange
        var secret: NSRange
        var group1: NSRange?
        var quoted = false
    }

    struct Candidate {
        var patternIndex: Int
        var startColumn: Int
        var endColumn: Int
        var secret: String
    }

    /// Lock files, by basename; never scanned.
    public static let lockFileNames: Set<String> = [
        "poetry.lock", "package-lock.json", "yarn.lock", "Pipfile.lock", "uv.lock", "pnpm-lock.yaml", "Cargo.lock",
        "composer.lock", "go.sum", "npm-shrinkwrap.json", "Gemfile.lock", "pdm.lock", "bun.lockb", ".secrets.baseline",
    ]

    let patterns: [CompiledPattern]
    let globalAllowlists: [CompiledAllowlist]
    let automaton: KeywordAutomaton
    /// keyword id → indices of patterns whose line prefilter it satisfies.
    let linePatternsByKeyword: [[Int]]
    /// keyword id → the flat file-keyword slots (`fileSlotBase[pattern] + slot`) it satisfies.
    let fileSlotsByKeyword: [[Int]]
    /// pattern index → its first flat file-keyword slot; `fileSlotBase[patterns.count]` is the slot count.
    let fileSlotBase: [Int]
    /// `pattern * keywordCount + keyword id` → the keyword is one of the pattern's line keywords.
    let patternHasKeyword: [Bool]
    /// keyword id → its length in bytes.
    let keywordLengths: [Int]
    let maxFileSize: Int

    /// The patterns in use (built-ins minus disabled kinds, plus extras).
    public var enabledPatterns: [SecretPattern] { patterns.map(\.pattern) }

    /// Validates `options` and compiles the enabled patterns; throws `SecretScannerError` saying what to fix.
    public init(options: SecretScannerOptions = SecretScannerOptions()) throws {
        guard options.maxFileSize > 0 else { throw SecretScannerError.invalidMaxFileSize(options.maxFileSize) }
        let builtInIds = Set(SecretCatalogue.builtIn.map(\.id))
        var extraIds = Set<String>()
        for extra in options.extraPatterns {
            if builtInIds.contains(extra.id) || !extraIds.insert(extra.id).inserted { throw SecretScannerError.duplicateId(extra.id) }
        }
        for id in options.disabledKinds where !builtInIds.contains(id) && !extraIds.contains(id) {
            throw SecretScannerError.unknownDisabledKind(id)
        }
        let disabled = Set(options.disabledKinds)
        var compiled: [CompiledPattern] = []
        let builtIns = try SecretScanner.compiledBuiltIns.get()
        for (pattern, c) in zip(SecretCatalogue.builtIn, builtIns) where !disabled.contains(pattern.id) { compiled.append(c) }
        for pattern in options.extraPatterns where !disabled.contains(pattern.id) {
            compiled.append(try SecretScanner.compile(pattern))
        }
        patterns = compiled
        globalAllowlists = try options.allowlists.map { try SecretScanner.compile($0, owner: "allowlist") }
        maxFileSize = options.maxFileSize

        var keywordIds: [String: Int] = [:]
        var keywords: [String] = []
        var lineMap: [[Int]] = []
        var fileMap: [[(Int, Int)]] = []
        func id(for keyword: String) -> Int {
            let lower = keyword.lowercased()
            if let existing = keywordIds[lower] { return existing }
            keywordIds[lower] = keywords.count
            keywords.append(lower)
            lineMap.append([])
            fileMap.append([])
            return keywords.count - 1
        }
        for (index, p) in compiled.enumerated() {
            for k in p.pattern.keywords { lineMap[id(for: k)].append(index) }
            for (slot, k) in p.pattern.fileKeywords.enumerated() { fileMap[id(for: k)].append((index, slot)) }
        }
        automaton = KeywordAutomaton(keywords: keywords)
        linePatternsByKeyword = lineMap.map { Array(Set($0)).sorted() }
        var base = [0]
        for p in compiled { base.append(base[base.count - 1] + p.fileKeywordCount) }
        fileSlotBase = base
        fileSlotsByKeyword = fileMap.map { $0.map { base[$0.0] + $0.1 } }
        var has = [Bool](repeating: false, count: compiled.count * keywords.count)
        for (id, patternIndices) in lineMap.enumerated() { for p in patternIndices { has[p * keywords.count + id] = true } }
        patternHasKeyword = has
        keywordLengths = automaton.keywords.map(\.utf8.count)
    }

    /// The built-in catalogue, prepared once per process (every scanner and rule instance shares it), each regex
    /// compiled when a line first asks for it (`LazyRegex`): compiling all 32 with ICU was ~13 M instructions (~3.5 ms)
    /// at every start, and most runs ask for a few (a line must hold one of the pattern's keywords).
    static let compiledBuiltIns: Result<[CompiledPattern], Error> = Result { try SecretCatalogue.builtIn.map { try compile($0, lazily: true) } }

    /// A scanner with the default options, built once per process.
    public static let shared: Result<SecretScanner, Error> = Result { try SecretScanner() }

    /// `shared`, for callers that build it on first use. The built-in catalogue always compiles (every test run
    /// compiles it), so a failure here is a defect of this build, not of any input.
    static var sharedDefault: SecretScanner {
        switch shared {
        case .success(let scanner): return scanner
        case .failure(let error): fatalError("fleetlint's built-in secret catalogue does not compile: \(error)")
        }
    }

    /// Checks `pattern` and prepares it. `lazily` (the built-in catalogue only, whose every pattern the tests compile
    /// this way too): its regex is compiled on first use and its capture groups are not checked here; a configured
    /// pattern's are, at once, so that a mistake is reported when the configuration is read.
    static func compile(_ pattern: SecretPattern, lazily: Bool = false) throws -> CompiledPattern {
        guard !pattern.keywords.isEmpty, pattern.keywords.allSatisfy({ !$0.isEmpty }) else {
            throw SecretScannerError.missingKeywords(patternId: pattern.id)
        }
        let compiledRegex: LazyRegex
        if lazily {
            compiledRegex = LazyRegex(source: pattern.regex)
        } else {
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: pattern.regex) } catch {
                throw SecretScannerError.invalidRegex(patternId: pattern.id, regex: pattern.regex, reason: "does not compile")
            }
            let needed = pattern.check == .assignment ? max(pattern.secretGroup, 1) : pattern.secretGroup
            if pattern.secretGroup < 0 || needed > regex.numberOfCaptureGroups {
                throw SecretScannerError.captureGroupOutOfRange(patternId: pattern.id, group: needed, groupCount: regex.numberOfCaptureGroups)
            }
            compiledRegex = LazyRegex(compiled: regex)
        }
        let allowlists = try pattern.allowlists.map { try compile($0, owner: pattern.id, lazily: lazily) }
        return CompiledPattern(pattern: pattern, compiledRegex: compiledRegex, allowlists: allowlists, fileKeywordCount: pattern.fileKeywords.count,
                               requiredBytes: pattern.engine == .regex ? RequiredLiterals.bytes(of: pattern.regex) : [],
                               isKeywordAnchored: pattern.engine == .regex && KeywordAnchor.isAnchored(pattern.regex, keywords: pattern.keywords),
                               isCaseSensitive: !pattern.regex.contains("(?i") && !pattern.regex.contains("(?-i"))
    }

    /// `lazily`: a built-in pattern's allowlist, its regexes compiled on first use (see `compile(_:lazily:)`). The first
    /// regex a process compiles also starts ICU's regex engine (~7.5 M instructions, which a run whose lines never need
    /// a regex does not pay).
    static func compile(_ allowlist: SecretAllowlist, owner: String, lazily: Bool = false) throws -> CompiledAllowlist {
        let name = allowlist.description.isEmpty ? owner : allowlist.description
        guard !allowlist.paths.isEmpty else { throw SecretScannerError.allowlistWithoutPaths(description: name) }
        guard !allowlist.regexes.isEmpty else { throw SecretScannerError.allowlistWithoutRegexes(description: name) }
        let regexes = try allowlist.regexes.map { source -> LazyRegex in
            if lazily { return LazyRegex(source: source) }
            do { return LazyRegex(compiled: try NSRegularExpression(pattern: source)) } catch {
                throw SecretScannerError.invalidRegex(patternId: name, regex: source, reason: "does not compile")
            }
        }
        return CompiledAllowlist(paths: allowlist.paths, regexes: regexes, target: allowlist.regexTarget)
    }

    // MARK: Scanning

    /// Why `path`/`bytes` would be skipped, if at all.
    public func skipReason(path: String, bytes: [UInt8]) -> SecretSkipReason? {
        let base = path.asciiLastComponent(0x2F).map(String.init) ?? path
        if SecretScanner.lockFileNames.contains(base) { return .lockFile(base) }
        if bytes.count > maxFileSize { return .tooLarge(size: bytes.count, limit: maxFileSize) }
        if bytes.prefix(8192).contains(0) { return .binary }
        return nil
    }

    /// Scans one file; `path` is relative to the repo root (used for lock-file names and allowlist globs).
    public func scan(path: String, bytes: [UInt8]) -> SecretScanResult {
        if let reason = skipReason(path: path, bytes: bytes) { return SecretScanResult(matches: [], skipped: reason) }
        return bytes.withUnsafeBufferPointer { buffer in
            SecretScanResult(matches: scanBuffer(path: path, buffer), skipped: nil)
        }
    }

    /// Scans a file the engine has already read: its bytes are known to be text (the reader made the
    /// binary check). Lines are located only around keyword hits (no line table of the whole file).
    /// `recordHits`: given the keyword pass's hits (`KeywordAutomaton.hits`) when the file is scanned (the
    /// engine's secret finder reuses them).
    public func scan(path: String, text bytes: [UInt8], recordHits: (([Int]) -> Void)? = nil) -> SecretScanResult {
        let base = path.asciiLastComponent(0x2F).map(String.init) ?? path
        if SecretScanner.lockFileNames.contains(base) { return SecretScanResult(matches: [], skipped: .lockFile(base)) }
        if bytes.count > maxFileSize { return SecretScanResult(matches: [], skipped: .tooLarge(size: bytes.count, limit: maxFileSize)) }
        return bytes.withUnsafeBufferPointer { buffer in
            SecretScanResult(matches: scanBuffer(path: path, buffer, recordHits: recordHits), skipped: nil)
        }
    }

    private func scanBuffer(path: String, _ buffer: UnsafeBufferPointer<UInt8>, recordHits: (([Int]) -> Void)? = nil) -> [SecretMatch] {
        // 1. One keyword pass: every keyword hit, then which patterns the file's keywords make applicable.
        let hits = automaton.hits(buffer)
        recordHits?(hits)
        if hits.isEmpty { return [] }
        let patternCount = patterns.count
        var applicable = [Bool](repeating: true, count: patternCount)
        let slotCount = fileSlotBase[patternCount]
        if slotCount > 0 {
            var fileSeen = [Bool](repeating: false, count: slotCount)
            for hit in hits {
                for slot in fileSlotsByKeyword[hit & 0xFFFF] { fileSeen[slot] = true }
            }
            for p in 0..<patternCount where fileSlotBase[p] < fileSlotBase[p + 1] {
                applicable[p] = fileSeen[fileSlotBase[p]..<fileSlotBase[p + 1]].allSatisfy { $0 }
            }
        }
        // 2. Candidate (line, pattern) pairs of the applicable patterns; lines are located only for hits
        // of an applicable pattern (a file whose only hits are `sk` without `twilio` locates none).
        var pairs: [Int] = []
        var lines = SparseLines(buffer)
        var lastLine = -1, lastOffsetLineEnd = -1
        for hit in hits {
            let wanted = linePatternsByKeyword[hit & 0xFFFF]
            guard wanted.contains(where: { applicable[$0] }) else { continue }
            let offset = hit >> 16
            let line: Int
            if offset < lastOffsetLineEnd, lastLine > 0 { line = lastLine } else {
                let (number, next) = lines.locate(offset)
                line = number
                lastLine = line
                lastOffsetLineEnd = next ?? Int.max
            }
            for p in wanted where applicable[p] { pairs.append(line &* patternCount &+ p) }
        }
        guard !pairs.isEmpty else { return [] }
        pairs.sort()

        var matches: [SecretMatch] = []
        var suppressThrough = 0
        var i = 0
        while i < pairs.count {
            let line = pairs[i] / patternCount
            var linePatterns: [Int] = []
            while i < pairs.count, pairs[i] / patternCount == line {
                let p = pairs[i] % patternCount
                if applicable[p], linePatterns.last != p { linePatterns.append(p) }
                i += 1
            }
            if line <= suppressThrough || linePatterns.isEmpty { continue }
            let range = lines.byteRange(ofLine: line)
            let lineBytes = UnsafeBufferPointer(rebasing: buffer[range])
            linePatterns.removeAll { !RequiredLiterals.line(lineBytes, contains: patterns[$0].requiredBytes) }
            if linePatterns.isEmpty { continue }
            let text = String(decoding: lineBytes, as: UTF8.self)
            if Self.containsHashOption(lineBytes) { continue }
            var lowerLineCache: String?
            func lowerLine() -> String {
                if let l = lowerLineCache { return l }
                let l = text.lowercased()
                lowerLineCache = l
                return l
            }
            let isASCII = lineBytes.allSatisfy { $0 < 0x80 }
            var validUTF8Cache: Bool?
            func isValidUTF8() -> Bool {
                if let v = validUTF8Cache { return v }
                var copy = text
                let v = copy.withUTF8 { $0.count == lineBytes.count && ($0.isEmpty || memcmp($0.baseAddress!, lineBytes.baseAddress!, lineBytes.count) == 0) }
                validUTF8Cache = v
                return v
            }
            // Match ranges are UTF-16 (NSRegularExpression's unit); substrings are cut from the units, not
            // through a bridged NSString (which re-walks the Swift string for every length and substring).
            let ns = UTF16Line(text, bytes: lineBytes, isASCII: isASCII)
            var candidates: [Candidate] = []
            for p in linePatterns {
                let compiled = patterns[p]
                let raws: [RawMatch]
                switch compiled.pattern.engine {
                case .regex:
                    let found: [NSTextCheckingResult]
                    if compiled.isKeywordAnchored, isASCII || (compiled.isCaseSensitive && isValidUTF8()) {
                        // A case-insensitive regex can match non-ASCII letters (`ſ` for `s`) where no keyword is
                        // hit, and offsets in repaired text are not the bytes': such lines run in full.
                        found = anchoredMatches(compiled.regex, in: text, line: ns, bytes: lineBytes,
                                                at: keywordStarts(of: p, inLine: range, hits: hits))
                    } else {
                        found = compiled.regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
                    }
                    raws = found.map {
                        RawMatch(full: $0.range, secret: $0.range(at: compiled.pattern.secretGroup), group1: $0.numberOfRanges > 1 ? $0.range(at: 1) : nil)
                    }
                case .assignmentScanner:
                    raws = AssignmentScanner.candidates(ns.codeUnits()).map { RawMatch(full: $0.full, secret: $0.value, group1: $0.key, quoted: $0.quoted) }
                }
                for raw in raws {
                    // A range from the assignment scanner can end between the two halves of a surrogate
                    // pair (a character beyond U+FFFF); Foundation's NSString traps on such an index
                    // (found by the `secrets` fuzz target: SIGILL in substring(from:), the whole run lost).
                    let m = RawMatch(full: Self.scalarAligned(raw.full, in: ns), secret: Self.scalarAligned(raw.secret, in: ns),
                                     group1: raw.group1.map { Self.scalarAligned($0, in: ns) }, quoted: raw.quoted)
                    let group = m.secret
                    guard group.location != NSNotFound, group.length > 0 else { continue }
                    var secret = ns.substring(with: group)
                    switch compiled.pattern.check {
                    case .none:
                        break
                    case .assignment:
                        guard let keyRange = m.group1, keyRange.location != NSNotFound else { continue }
                        guard SecretHeuristics.isSecretKeyName(ns.substring(with: keyRange)) else { continue }
                        // Only the character after the value is looked at: never copy the rest of a long line
                        // per match (`token a=a=a=…` has one match every two characters).
                        let end = group.location + group.length
                        let after = ns.substring(with: NSRange(location: end, length: min(1, ns.length - end)))
                        guard SecretHeuristics.isLiteralSecretValue(secret, after: Substring(after), lowerLine: lowerLine(), quoted: m.quoted) else { continue }
                    case .privateKeyBody:
                        // A key body on the same line (JSON `\n` escapes) is a few KiB: look at most 32 KiB ahead, so a
                        // line of thousands of headers stays linear.
                        // The body ends at the next `-----` (the END line, or another header).
                        let start = group.location + group.length
                        var window = NSRange(location: start, length: min(32 * 1024, ns.length - start))
                        if let marker = ns.firstDashRun(in: window) { window.length = marker - start }
                        let rest = ns.substring(with: window)
                        let (body, last) = privateKeyBody(restOfLine: rest, line: line, lineStart: range.lowerBound, lines: lines)
                        guard body.utf8.count >= 64 else { continue }
                        secret = body
                        suppressThrough = max(suppressThrough, last)
                    case .base64Credentials:
                        guard SecretHeuristics.isBase64Credentials(secret) else { continue }
                    case .jwt:
                        guard SecretHeuristics.isSignedJWT(secret) else { continue }
                    case .urlPassword:
                        let user = m.group1.map { $0.location != NSNotFound ? ns.substring(with: $0) : "" } ?? ""
                        guard Self.isURLPassword(secret, user: user) else { continue }
                    }
                    if compiled.pattern.check != .privateKeyBody, !secret.hasPrefix("-----BEGIN"), SecretHeuristics.isPlaceholder(secret) { continue }
                    if SecretHeuristics.shannonEntropy(secret) < compiled.pattern.minEntropy { continue }
                    let matchText = ns.substring(with: m.full)
                    if isAllowlisted(compiled.allowlists, path: path, secret: secret, match: matchText, line: text) { continue }
                    if isAllowlisted(globalAllowlists, path: path, secret: secret, match: matchText, line: text) { continue }
                    let (start, end) = columns(of: group, in: text, isASCII: isASCII)
                    candidates.append(Candidate(patternIndex: p, startColumn: start, endColumn: end, secret: secret))
                }
            }
            if candidates.isEmpty { continue }
            // One finding per secret per line: the most specific kind wins, then the longest.
            candidates.sort {
                let a = patterns[$0.patternIndex].pattern.specificity, b = patterns[$1.patternIndex].pattern.specificity
                if a != b { return a > b }
                if $0.endColumn - $0.startColumn != $1.endColumn - $1.startColumn { return $0.endColumn - $0.startColumn > $1.endColumn - $1.startColumn }
                return $0.startColumn < $1.startColumn
            }
            var accepted: [Candidate] = []
            var hashes = Set<String>()
            let allowlistedLine = isLineAllowlisted(lowerLine: lowerLine(), line: line, lines: &lines)
            for c in candidates {
                if accepted.contains(where: { $0.startColumn < c.endColumn && c.startColumn < $0.endColumn }) { continue }
                let hash = SHA256Digest.hex(c.secret)
                guard hashes.insert(hash).inserted else { continue }
                accepted.append(c)
                let pattern = patterns[c.patternIndex].pattern
                matches.append(SecretMatch(
                    kindId: pattern.id, kindDescription: pattern.description, severity: pattern.severity, line: line,
                    range: SourceRange(start: SourceLocation(line: line, column: c.startColumn), end: SourceLocation(line: line, column: c.endColumn)),
                    redacted: Self.redact(c.secret), secretHash: hash, isLineAllowlisted: allowlistedLine))
            }
        }
        matches.sort { ($0.line, $0.range.start.column) < ($1.line, $1.range.start.column) }
        return matches
    }

    /// The offsets (from the line start) where keywords of pattern `p` start on the line at byte range `line`,
    /// ascending, each once. `hits` is the file's keyword hits (ascending by end; a keyword never spans lines).
    func keywordStarts(of p: Int, inLine line: Range<Int>, hits: [Int]) -> [Int] {
        var lo = 0, hi = hits.count
        let first = line.lowerBound << 16
        while lo < hi {
            let mid = (lo + hi) / 2
            if hits[mid] < first { lo = mid + 1 } else { hi = mid }
        }
        let keywordCount = keywordLengths.count
        var starts: [Int] = []
        while lo < hits.count, hits[lo] >> 16 < line.upperBound {
            let id = hits[lo] & 0xFFFF
            if patternHasKeyword[p * keywordCount + id] { starts.append((hits[lo] >> 16) - keywordLengths[id] + 1 - line.lowerBound) }
            lo += 1
        }
        starts.sort()
        var unique: [Int] = []
        for s in starts where unique.last != s { unique.append(s) }
        return unique
    }

    /// What `regex.matches(in: text)` returns when every match starts at one of `starts` (byte offsets in
    /// the line `bytes`, ascending; `text` is `bytes` decoded, valid UTF-8): the regex tried anchored at each
    /// start not inside the previous match, as the full search steps. Each attempt runs on a window of the
    /// line around its start (NSRegularExpression copies the whole string it is given on every call):
    /// `KeywordAnchor.lookbehindWindow` bytes before it, for lookbehind, and `windowLength` after. An attempt
    /// that reached the window's end (ICU's hitEnd) is repeated on the whole line; otherwise the text past
    /// the window could not have changed its outcome.
    func anchoredMatches(_ regex: NSRegularExpression, in text: String, line ns: UTF16Line, bytes: UnsafeBufferPointer<UInt8>,
                         at starts: [Int]) -> [NSTextCheckingResult] {
        let n = bytes.count, length = ns.length
        let isASCII = length == n  // any non-ASCII character takes more bytes than UTF-16 units
        let unitStarts = isASCII ? starts : Self.utf16Offsets(starts, in: bytes)
        var found: [NSTextCheckingResult] = []
        var resume = 0
        let options: NSRegularExpression.MatchingOptions = [.anchored, .withTransparentBounds, .withoutAnchoringBounds]
        for (k, s) in unitStarts.enumerated() where s >= resume && s <= length {
            let sb = starts[k]
            var lo = max(0, sb - KeywordAnchor.lookbehindWindow), hi = min(n, sb + Self.windowLength)
            while lo > 0, bytes[lo] & 0xC0 == 0x80 { lo -= 1 }
            while hi < n, bytes[hi] & 0xC0 == 0x80 { hi += 1 }
            var match: NSTextCheckingResult?
            var definitive = false
            if lo > 0 || hi < n {
                let window = String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
                let before = isASCII ? sb - lo : Self.utf16Offsets([sb - lo], in: UnsafeBufferPointer(rebasing: bytes[lo..<hi]))[0]
                let windowUnits = isASCII ? hi - lo : window.utf16.count
                var hitEnd = false
                regex.enumerateMatches(in: window, options: options.union(.reportCompletion),
                                       range: NSRange(location: before, length: windowUnits - before)) { m, flags, stop in
                    if flags.contains(.hitEnd) { hitEnd = true }
                    if let m, match == nil {
                        match = m.adjustingRanges(offset: s - before)
                        stop.pointee = true
                    }
                }
                definitive = !hitEnd || hi == n
            }
            if !definitive {
                match = regex.firstMatch(in: text, options: options, range: NSRange(location: s, length: length - s))
            }
            guard let m = match else { continue }
            found.append(m)
            resume = max(m.range.location + m.range.length, s + 1)
        }
        return found
    }

    /// `keywordStarts` in UTF-16 units of the line (`lineBytes`), for a line that is not ASCII.
    static func utf16Offsets(_ byteOffsets: [Int], in lineBytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(byteOffsets.count)
        var units = 0, at = 0
        for target in byteOffsets {
            while at < target {
                let b = lineBytes[at]
                if b & 0xC0 != 0x80 { units += b >= 0xF0 ? 2 : 1 }
                at += 1
            }
            out.append(units)
        }
        return out
    }

    /// How many characters after a keyword hit an anchored attempt sees before it falls back to the whole line.
    static let windowLength = 512

    /// First characters of a secret then `…`: at most 4, and never more than half of it.
    public static func redact(_ secret: String) -> String {
        String(secret.unicodeScalars.prefix(min(4, secret.unicodeScalars.count / 2)).map(Character.init)) + "…"
    }

    /// Passwords that are placeholders or local/CI defaults (`user:pass@`, `postgres:postgres@`).
    static let defaultPasswordWords: Set<String> = [
        "pass", "password", "passwd", "pwd", "pw", "secret", "postgres", "postgresql", "root", "admin", "changeme", "user",
        "username", "guest", "test", "testing", "mysql", "redis", "rabbitmq", "mongo", "mongodb", "token", "example", "demo",
        "dev", "local", "localhost", "default", "sample", "foo", "bar", "baz", "xxx", "abc", "qwerty", "letmein", "your",
        "mypassword", "yourpassword", "dbpass", "dbpassword", "airflow", "minio", "minioadmin", "docker", "app", "api",
    ]

    static func isURLPassword(_ password: String, user: String) -> Bool {
        if password.unicodeScalars.count < 3 { return false }
        let words = password.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        if words.isEmpty || words.contains(where: defaultPasswordWords.contains) { return false }
        if SecretHeuristics.isPlaceholder(password) && password.count > 6 { return false }
        if !user.isEmpty, password.lowercased().contains(user.lowercased()) { return false }
        if password.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) && password.utf8.count <= 5 { return false }  // a port
        if password == user { return false }
        return true
    }

    /// The range widened so that neither end falls inside a surrogate pair.
    static func scalarAligned(_ range: NSRange, in ns: UTF16Line) -> NSRange {
        guard range.location != NSNotFound else { return range }
        let length = ns.length
        func inside(_ k: Int) -> Bool {
            k > 0 && k < length && UTF16.isTrailSurrogate(ns.character(at: k)) && UTF16.isLeadSurrogate(ns.character(at: k - 1))
        }
        var start = min(max(range.location, 0), length), end = min(max(range.location + range.length, start), length)
        if inside(start) { start -= 1 }
        if inside(end) { end += 1 }
        return NSRange(location: start, length: end - start)
    }

    /// One line's text addressed in UTF-16 units (NSRegularExpression's), with the few NSString operations
    /// the scanner needs. An ASCII line is its bytes (one unit per byte): substrings are cut from them
    /// directly; any other line keeps its UTF-16 units.
    struct UTF16Line {
        private let units: [UInt16]
        private let ascii: UnsafeBufferPointer<UInt8>?
        let length: Int

        init(_ text: String, bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
            if isASCII {
                ascii = bytes
                units = []
                length = bytes.count
            } else {
                ascii = nil
                units = Self.utf16Units(text)
                length = units.count
            }
        }

        /// `Array(text.utf16)`, transcoded straight from the string's UTF-8 (a `String` holds valid UTF-8), without
        /// the UTF-16 view's generic copy (~10 instructions a unit).
        static func utf16Units(_ text: String) -> [UInt16] {
            var text = text
            return text.withUTF8 { b in
                let n = b.count
                return [UInt16](unsafeUninitializedCapacity: n) { out, count in
                    var i = 0, k = 0
                    while i < n {
                        let c = b[i]
                        if c < 0x80 {
                            out[k] = UInt16(c); i += 1; k += 1
                        } else if c < 0xE0 {
                            out[k] = UInt16(c & 0x1F) << 6 | UInt16(b[i + 1] & 0x3F); i += 2; k += 1
                        } else if c < 0xF0 {
                            out[k] = UInt16(c & 0x0F) << 12 | UInt16(b[i + 1] & 0x3F) << 6 | UInt16(b[i + 2] & 0x3F); i += 3; k += 1
                        } else {
                            let v = (UInt32(c & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                                | UInt32(b[i + 3] & 0x3F)) &- 0x10000
                            out[k] = 0xD800 | UInt16(truncatingIfNeeded: v >> 10)
                            out[k + 1] = 0xDC00 | UInt16(truncatingIfNeeded: v & 0x3FF)
                            i += 4; k += 2
                        }
                    }
                    count = k
                }
            }
        }

        /// Every UTF-16 unit of the line.
        func codeUnits() -> [UInt16] {
            guard let ascii else { return units }
            return [UInt16](unsafeUninitializedCapacity: ascii.count) { buffer, count in
                for k in 0..<ascii.count { buffer[k] = UInt16(ascii[k]) }
                count = ascii.count
            }
        }

        func character(at k: Int) -> UInt16 {
            if let ascii { return UInt16(ascii[k]) }
            return units[k]
        }

        /// The text of a range whose ends are not inside a surrogate pair (see `scalarAligned`).
        func substring(with range: NSRange) -> String {
            let r = range.location..<range.location + range.length
            if let ascii { return String(decoding: UnsafeBufferPointer(rebasing: ascii[r]), as: UTF8.self) }
            // From a buffer pointer: `String(decoding:)` over an array slice takes a generic path (~600
            // instructions a unit, measured).
            return units.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF16.self) }
        }

        /// Start of the first `-----` inside `window`.
        func firstDashRun(in window: NSRange) -> Int? {
            var run = 0
            for k in window.location..<window.location + window.length {
                run = character(at: k) == 0x2D ? run + 1 : 0
                if run == 5 { return k - 4 }
            }
            return nil
        }
    }

    private func columns(of range: NSRange, in text: String, isASCII: Bool) -> (Int, Int) {
        if isASCII { return (range.location + 1, range.location + range.length + 1) }
        let utf16 = text.utf16
        let start = utf16.index(utf16.startIndex, offsetBy: range.location)
        let end = utf16.index(start, offsetBy: range.length)
        let scalars = text.unicodeScalars
        let startColumn = scalars.distance(from: scalars.startIndex, to: start) + 1
        return (startColumn, startColumn + scalars.distance(from: start, to: end))
    }

    private func isAllowlisted(_ lists: [CompiledAllowlist], path: String, secret: String, match: String, line: String) -> Bool {
        for list in lists where list.paths.contains(where: { SecretHeuristics.globMatches($0, path: path) }) {
            let target: String
            switch list.target {
            case .secret: target = secret
            case .match: target = match
            case .line: target = line
            }
            let range = NSRange(location: 0, length: (target as NSString).length)
            if list.regexes.contains(where: { $0.regex.firstMatch(in: target, range: range) != nil }) { return true }
        }
        return false
    }

    private func isLineAllowlisted(lowerLine: String, line: Int, lines: inout SparseLines) -> Bool {
        if lowerLine.contains("pragma: allowlist secret") || lowerLine.contains("gitleaks:allow") { return true }
        if line > 1 {
            let previous = String(decoding: UnsafeBufferPointer(rebasing: lines.bytes[lines.byteRange(ofLine: line - 1)]), as: UTF8.self)
            if previous.lowercased().contains("pragma: allowlist nextline secret") { return true }
        }
        return false
    }

    static let hashOptionBytes: [UInt8] = Array("--hash=".utf8)
    private static let hashOptionAnchor = ByteSearch.rarestOffset(hashOptionBytes)

    /// The line pins a hash (`--hash=sha256:…`, pip requirements). Asked of every candidate line: `memchr` on the
    /// option's rarest byte, not a loop over every byte (~1,500 instructions a line on the large real tree).
    static func containsHashOption(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteSearch.find(hashOptionBytes, anchor: hashOptionAnchor, in: line) != nil
    }

    static func isBase64Byte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2B || b == 0x2F || b == 0x3D
    }

    /// The base64 body following a private-key header: on the same line (JSON `\n` escapes) or on the
    /// following lines (PEM, PuTTY, Python/notebook string lines). Returns the body and its last line.
    private func privateKeyBody(restOfLine: String, line: Int, lineStart: Int, lines: SparseLines) -> (String, Int) {
        func clean(_ s: String) -> String {
            s.replacingOccurrences(of: "\\\\n", with: "\n").replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\n")
        }
        var sameLine = clean(restOfLine)
        if let end = sameLine.range(of: "-----END") { sameLine = String(sameLine[..<end.lowerBound]) }
        let inline = sameLine.split(whereSeparator: { $0 == "\n" }).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"',+"))
        }.filter { !$0.isEmpty && $0.utf8.allSatisfy(Self.isBase64Byte) }.joined()
        if inline.utf8.count >= 64 { return (inline, line) }
        var body = ""
        var current = line + 1
        var last = line
        // Lines after the header: each starts where the previous one's terminator ends (a file ending
        // in a line break has a last, empty line).
        var start = lines.nextStart(after: lineStart)
        while let s = start, current <= line + 400 {
            let (range, next) = lines.line(startingAt: s)
            let raw = clean(String(decoding: UnsafeBufferPointer(rebasing: lines.bytes[range]), as: UTF8.self))
            if raw.contains("-----END") || raw.contains("Private-MAC") { last = current; break }
            let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r\"',+"))
            start = next
            if trimmed.contains(":") || trimmed.isEmpty { last = current; current += 1; continue }
            guard trimmed.utf8.allSatisfy(Self.isBase64Byte) else { break }
            body += trimmed
            last = current
            current += 1
        }
        return (body, last)
    }
}

/// A secret pattern's regex, compiled the first time a scan asks for it, by whichever worker asks first (the others
/// wait for it: a lock taken once per candidate line, which only lines holding one of the pattern's keywords are).
/// NSRegularExpression is immutable once made, so every thread may match with it.
final class LazyRegex: @unchecked Sendable {
    let source: String
    private var compiled: NSRegularExpression?
    private let lock = NSLock()

    /// Compiled on first use: a built-in pattern's (the tests compile every one of them, `SecretScannerTests`).
    init(source: String) { self.source = source }

    /// Already compiled (a configured pattern, checked when the configuration is read).
    init(compiled: NSRegularExpression) {
        source = compiled.pattern
        self.compiled = compiled
    }

    /// Whether the regex has been compiled (for the tests).
    var isCompiled: Bool { lock.lock(); defer { lock.unlock() }; return compiled != nil }

    var regex: NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let compiled { return compiled }
        // Only built-in patterns are compiled here, and every one of them compiles (the tests compile them all).
        guard let made = try? NSRegularExpression(pattern: source) else {
            fatalError("fleetlint's built-in secret pattern does not compile: \(source)")
        }
        compiled = made
        return made
    }
}
