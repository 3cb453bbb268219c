import Foundation
import FleetLintSyntax

/// What to lint and how.
public struct LintOptions: Sendable {
    /// The repository root to scan.
    public var root: URL
    /// How the root is shown in reports (never an absolute path unless the user gave one).
    public var rootDisplay: String
    /// When set, only findings whose primary or related location is one of these repository-relative
    /// paths (or lies under one of these directories) are reported; the analysis still sees the whole
    /// repository (pre-commit batches).
    public var reportOnly: [String]?
    /// `--exclude` globs from the command line (added to the configuration's).
    public var extraExcludes: [Glob] = []
    public var useGit = true
    /// Files larger than this are not read at all.
    public var maxFileSize = 16 * 1024 * 1024

    public init(root: URL, rootDisplay: String, reportOnly: [String]? = nil) {
        self.root = root
        self.rootDisplay = rootDisplay
        self.reportOnly = reportOnly
    }
}

/// Runs rules over a repository and produces a `LintReport`. Holds no global state, so tests can run
/// several in parallel.
public struct Linter: Sendable {
    public let configuration: Configuration
    public let rules: [any Rule]
    public let parsers: [any FileParser]
    public let classifier: FileClassifier

    /// Finds secrets on the lines that findings are reported on, so that no output (source lines,
    /// messages quoting a line) ever carries one, whichever rule reported and whatever was selected.
    public let secretFinder: (any SecretFinder)?

    public init(configuration: Configuration, rules: [any Rule], parsers: [any FileParser],
                classifier: FileClassifier = FileClassifier(), secretFinder: (any SecretFinder)? = nil) {
        self.secretFinder = secretFinder
        self.configuration = configuration
        self.rules = rules + EngineRule.all.filter { e in !rules.contains { $0.ruleDescription.id == e.ruleDescription.id } }
        self.parsers = parsers
        self.classifier = classifier
    }

    private var defaults: [String: (enabled: Bool, severity: Severity)] {
        var d: [String: (enabled: Bool, severity: Severity)] = [:]
        for r in rules { d[r.ruleDescription.id] = (r.ruleDescription.isEnabledByDefault, r.ruleDescription.defaultSeverity) }
        if !configuration.reportUnusedSuppressions { d["unused-suppression"]?.enabled = false }
        return d
    }

    /// The configuration's settings for a path, plus `unused-suppression` whenever
    /// `--report-unused-suppressions` asked for it (unless the rule is ignored explicitly).
    func settings(for path: String, defaults: [String: (enabled: Bool, severity: Severity)]) -> EffectiveSettings {
        var s = configuration.settings(for: path, defaults: defaults)
        if configuration.reportUnusedSuppressions && !configuration.ignore.contains("unused-suppression")
            && !configuration.commandLineIgnore.contains("unused-suppression") {
            s.enabledRules.insert("unused-suppression")
        }
        return s
    }

    /// Lints a repository on disk.
    public func lint(_ options: LintOptions) -> LintReport { analyze(options).report }

    /// Lints a repository on disk and also returns everything that was read and parsed (for commands
    /// such as `fleetlint deps` that present the project index).
    public func analyze(_ options: LintOptions) -> (report: LintReport, project: Project) {
        let scanner = RepositoryScanner(
            root: options.root, excludes: configuration.exclude + options.extraExcludes,
            classifier: classifier, useGit: options.useGit)
        let scan = scanner.scan()
        let rootPath = options.root.standardizedFileURL.path
        return lint(
            paths: scan.files, allPaths: scan.allPaths, scanProblems: scan.problems,
            rootDisplay: options.rootDisplay, reportOnly: options.reportOnly
        ) { path in
            FileReader.read(rootPath + "/" + path, limit: options.maxFileSize)
        }
    }

    /// Lints an in-memory repository (rule examples, tests).
    public func lint(virtualFiles: [(path: String, contents: String)], rootDisplay: String = ".") -> LintReport {
        var contents: [String: [UInt8]] = [:]
        for f in virtualFiles { contents[f.path] = Array(f.contents.utf8) }
        let map = contents
        let paths = virtualFiles.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let scanned = paths.filter { p in !configuration.exclude.contains { $0.matches(p) } }
            .map { ScannedPath(path: $0, kind: classifier.kind(of: $0)) }
        return lint(paths: scanned, allPaths: paths, scanProblems: [], rootDisplay: rootDisplay, reportOnly: nil) { path in
            guard let bytes = map[path] else { return .failed("no such file") }
            if bytes.prefix(8192).contains(0) { return .binary }
            return .text(bytes)
        }.report
    }

    func lint(
        paths: [ScannedPath], allPaths: [String], scanProblems: [ScanProblem], rootDisplay: String,
        reportOnly: [String]?, read: @escaping @Sendable (String) -> FileReader.Outcome
    ) -> (report: LintReport, project: Project) {
        let defaults = self.defaults
        let globalSettings = settings(for: "", defaults: defaults)
        let anyEnabled = Set(rules.map(\.ruleDescription.id)).filter { id in
            globalSettings.enabledRules.contains(id)
                || configuration.commandLineSelect == nil && !configuration.commandLineIgnore.contains(id)
                && configuration.overrides.contains { o in
                    let added = (o.select ?? []) + o.extendSelect
                    return added.contains(id) || added.contains("ALL")
                }
        }
        let activeRules = rules.filter { anyEnabled.contains($0.ruleDescription.id) }
        // Parse a kind only when a rule asks for that kind itself; `.text` (every text file, e.g. for
        // secret scanning) means "read it", not "parse it".
        let parsedKinds = Set(activeRules.flatMap(\.ruleDescription.inputs))
        var neededKinds = parsedKinds
        if neededKinds.contains(.text) { neededKinds.formUnion([.python, .requirements, .pyproject, .dockerfile, .envFile]) }
        let fileRules = activeRules.compactMap { $0 as? any FileRule }
        let projectRules = activeRules.compactMap { $0 as? any ProjectRule }
        let activeParsers = parsers.filter { !$0.kinds.isDisjoint(with: parsedKinds) }
        let textKinds: Set<FileKind> = [.python, .requirements, .pyproject, .dockerfile]

        let skips = SkipRecorder()
        /// Runs the enabled file rules that take this file's kind.
        func runFileRules(_ file: AnalyzedFile) -> [Finding] {
            let settings = settings(for: file.path, defaults: defaults)
            var findings: [Finding] = []
            for rule in fileRules {
                let d = rule.ruleDescription
                guard settings.enabledRules.contains(d.id) else { continue }
                guard d.inputs.contains(file.kind) || (d.inputs.contains(.text) && file.kind != .binary) else { continue }
                let context = RuleContext(ruleID: d.id, severity: globalSettings.severity[d.id] ?? d.defaultSeverity, skips: skips)
                findings += rule.check(file, in: context)
            }
            return findings
        }
        // Per-file work in parallel; each index writes only its own slot.
        let count = paths.count
        var slots = [FileResult?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let scanned = paths[i]
                guard neededKinds.contains(scanned.kind) else {
                    base[i] = FileResult(file: nil, findings: [], skipped: nil)
                    return
                }
                let file: AnalyzedFile
                switch read(scanned.path) {
                case .binary:
                    if textKinds.contains(scanned.kind) {
                        file = AnalyzedFile(path: scanned.path, kind: .binary, bytes: [])
                        file.problems.append(ParseProblem(
                            code: "binary", message: "file has binary content (a NUL byte); it is not analysed",
                            range: SourceRange(line: 1, column: 1)))
                    } else {
                        base[i] = FileResult(file: nil, findings: [], skipped: "binary")
                        return
                    }
                case .tooLarge:
                    base[i] = FileResult(file: nil, findings: [], skipped: "too large")
                    return
                case .failed(let why):
                    file = AnalyzedFile(path: scanned.path, kind: scanned.kind, bytes: [])
                    file.problems.append(ParseProblem(
                        code: "unreadable", message: "file cannot be read: \(why)", range: SourceRange(line: 1, column: 1)))
                case .text(let bytes):
                    file = AnalyzedFile(path: scanned.path, kind: scanned.kind, bytes: bytes)
                    for parser in activeParsers where parser.kinds.contains(file.kind) {
                        let (artifact, problems) = parser.parse(file)
                        file.artifacts[parser.key] = artifact
                        file.problems += problems
                    }
                    // Parsers that decode report bad encodings themselves; otherwise say it once here.
                    if textKinds.contains(scanned.kind), file.problems.isEmpty, !file.isValidUTF8,
                       let bad = SourceText.firstInvalidUTF8Offset(bytes) {
                        file.problems.append(ParseProblem(
                            code: "invalid-utf8", message: "file is not valid UTF-8 (first invalid byte here)",
                            range: SourceRange(start: file.location(ofByteOffset: bad), end: file.location(ofByteOffset: bad + 1))))
                    }
                }
                base[i] = FileResult(file: file, findings: runFileRules(file), skipped: nil)
            }
        }

        var files: [AnalyzedFile] = []
        var findings: [Finding] = []
        var summary = LintSummary()
        summary.files = count
        for slot in slots {
            guard let slot else { continue }
            if let f = slot.file { files.append(f) }
            findings += slot.findings
            if let reason = slot.skipped { summary.skipped[reason, default: 0] += 1 }
        }
        summary.skipped.merge(skips.snapshot) { $0 + $1 }
        for problem in scanProblems {
            let placeholder = AnalyzedFile(path: problem.path, kind: .binary, bytes: [])
            placeholder.problems.append(ParseProblem(code: "unreadable", message: problem.message, range: SourceRange(line: 1, column: 1)))
            files.append(placeholder)
            // Like any unreadable file: the rules that take `.binary` (parse-error) report it.
            findings += runFileRules(placeholder)
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }

        let project = Project(files: files, allPaths: allPaths) { path in
            if case .text(let bytes) = read(path) { return bytes }
            return nil
        }
        for rule in projectRules {
            let d = rule.ruleDescription
            let context = RuleContext(ruleID: d.id, severity: globalSettings.severity[d.id] ?? d.defaultSeverity)
            findings += rule.check(project, in: context).filter {
                settings(for: $0.path, defaults: defaults).enabledRules.contains(d.id)
            }
        }

        // Per-path severity overrides (a finding the rule levelled explicitly keeps its level).
        if !configuration.overrides.isEmpty {
            for i in findings.indices {
                let id = findings[i].ruleID
                guard findings[i].severity == globalSettings.severity[id] else { continue }
                if let s = settings(for: findings[i].path, defaults: defaults).severity[id] { findings[i].severity = s }
            }
        }

        let knownIDs = Set(rules.map(\.ruleDescription.id))
        let (kept, applied) = applySuppressions(findings, files: files, knownIDs: knownIDs, defaults: defaults)
        var final = finalize(redactingSecrets(in: kept, project: project), project: project)
        let inScope = { (path: String) -> Bool in
            guard let reportOnly else { return true }
            return reportOnly.contains { $0.isEmpty || path == $0 || path.hasPrefix($0 + "/") }
        }
        final = final.filter { f in inScope(f.path) || f.related.contains { inScope($0.path) } }
        for f in final {
            summary.findingsByRule[f.ruleID, default: 0] += 1
            if f.ruleID == "parse-error" { summary.parseErrors += 1 }
        }
        let ran = rules.filter { anyEnabled.contains($0.ruleDescription.id) }.map(\.ruleDescription)
        let report = LintReport(
            toolVersion: FleetLintVersion.current, root: rootDisplay, findings: final, rules: ran,
            summary: summary, suppressions: applied.filter { inScope($0.path) })
        return (report, project)
    }

    private struct FileResult {
        var file: AnalyzedFile?
        var findings: [Finding]
        var skipped: String?
    }

    /// Drops suppressed findings, and reports blanket, unknown and (optionally) unused suppressions.
    private func applySuppressions(
        _ findings: [Finding], files: [AnalyzedFile], knownIDs: Set<String>,
        defaults: [String: (enabled: Bool, severity: Severity)]
    ) -> ([Finding], [AppliedSuppression]) {
        var byPath: [String: [Finding]] = [:]
        for f in findings { byPath[f.path, default: []].append(f) }
        var kept: [Finding] = []
        var applied: [AppliedSuppression] = []
        var handled = Set<String>()
        for file in files {
            handled.insert(file.path)
            let fileFindings = byPath[file.path] ?? []
            var comments = Self.supportsHashComments(file) && SuppressionParser.mayContainDirective(file.bytes)
                ? SuppressionParser.parse(file.bytes, lineIndex: file.lineIndex) : []
            if let python = file.python, !comments.isEmpty {
                // In Python, only real comments count (not the same text inside a string); a directive may
                // follow another comment (`# type: ignore  # fleetlint: ignore[...]`).
                let byLine = Dictionary(grouping: python.module.comments, by: \.range.start.line)
                comments = comments.filter { c in
                    (byLine[c.range.start.line] ?? []).contains { $0.range.start <= c.range.start && c.range.start < $0.range.end }
                }
            }
            if comments.isEmpty { kept += fileFindings; continue }
            let continued = file.kind == .python ? { (_: Int) in false } : { (line: Int) -> Bool in
                file.lineText(line).trimmingCharacters(in: .whitespaces).hasSuffix("\\")
            }
            var set = SuppressionSet(comments: comments, continuesOnNextLine: continued)
            for f in fileFindings {
                if f.ruleID != "blanket-suppression" && set.suppresses(f) { continue }
                kept.append(f)
            }
            for (index, finding) in set.applied {
                applied.append(AppliedSuppression(rule: finding.ruleID, path: file.path, line: finding.range.start.line, reason: comments[index].reason))
            }
            let settings = settings(for: file.path, defaults: defaults)
            let severity = { (id: String) in settings.severity[id] ?? .warning }
            for (i, c) in comments.enumerated() {
                if (c.ruleIDs.isEmpty || c.isMalformed) && settings.enabledRules.contains("blanket-suppression") {
                    let what = c.scope == .file ? "ignore-file" : "ignore"
                    kept.append(Finding(
                        ruleID: "blanket-suppression", severity: severity("blanket-suppression"),
                        message: c.isMalformed ? "`fleetlint: \(what)[` is missing its closing `]`"
                            : "`fleetlint: \(what)` names no rule, so it silences nothing",
                        help: "name the rules: `# fleetlint: \(what)[rule-id] -- reason`",
                        path: file.path, range: c.range))
                    continue
                }
                for id in c.ruleIDs where !knownIDs.contains(id) && settings.enabledRules.contains("blanket-suppression") {
                    kept.append(Finding(
                        ruleID: "blanket-suppression", severity: severity("blanket-suppression"),
                        message: "suppression names unknown rule `\(id)`",
                        help: "run `fleetlint rules` for the valid ids", path: file.path, range: c.range))
                }
                if !set.used[i] && settings.enabledRules.contains("unused-suppression") && !c.ruleIDs.isEmpty {
                    // A rule that did not run cannot have used its suppression.
                    let ids = c.ruleIDs.filter { knownIDs.contains($0) && settings.enabledRules.contains($0) }
                    guard !ids.isEmpty else { continue }
                    kept.append(Finding(
                        ruleID: "unused-suppression", severity: severity("unused-suppression"),
                        message: "suppression of `\(ids.joined(separator: ", "))` silences nothing",
                        help: "remove the comment", path: file.path, range: c.range))
                }
            }
        }
        for (path, fs) in byPath where !handled.contains(path) { kept += fs }
        return (kept, applied)
    }

    /// Hides the source line of every finding whose line holds a secret, and replaces the secret in its
    /// message, help, notes and metadata with the redacted form.
    private func redactingSecrets(in findings: [Finding], project: Project) -> [Finding] {
        guard let secretFinder else { return findings }
        var cache: [String: [String]] = [:]
        return findings.map { finding in
            var f = finding
            let key = "\(f.path):\(f.range.start.line)"
            let secrets: [String]
            if let cached = cache[key] {
                secrets = cached
            } else {
                let line = project.file(f.path).map { $0.bytes.isEmpty ? "" : $0.lineText(f.range.start.line) } ?? ""
                secrets = line.isEmpty ? [] : secretFinder.secrets(inLine: line, path: f.path)
                cache[key] = secrets
            }
            guard !secrets.isEmpty else { return f }
            f.showsSource = false
            func clean(_ s: String) -> String {
                var out = s
                for secret in secrets where out.contains(secret) {
                    out = out.replacingOccurrences(of: secret, with: String(secret.prefix(4)) + "…")
                }
                return out
            }
            func cleanValue(_ v: MetadataValue) -> MetadataValue {
                switch v {
                case .string(let s): .string(clean(s))
                case .array(let a): .array(a.map(cleanValue))
                case .object(let o): .object(o.mapValues(cleanValue))
                default: v
                }
            }
            f.message = clean(f.message)
            f.help = f.help.map(clean)
            f.related = f.related.map { var r = $0; r.note = clean(r.note); return r }
            f.metadata = f.metadata.mapValues(cleanValue)
            if f.anchor == nil { f.anchor = clean(f.sourceLine ?? project.file(f.path)?.lineText(f.range.start.line) ?? "") }
            return f
        }
    }

    /// Suppression comments are recognised in `#`-comment formats only: Python, requirements files,
    /// Dockerfiles, TOML, YAML, `.env`, INI/cfg and shell.
    static let hashCommentExtensions: Set<String> = [
        "py", "pyi", "txt", "in", "toml", "yaml", "yml", "env", "cfg", "ini", "conf", "sh", "bash", "properties",
    ]

    static func supportsHashComments(_ file: AnalyzedFile) -> Bool {
        switch file.kind {
        case .python, .requirements, .dockerfile, .pyproject, .envFile: return true
        case .binary: return false
        case .text:
            let name = file.name
            guard let dot = name.lastIndex(of: ".") else { return name == "Makefile" }
            return hashCommentExtensions.contains(name[name.index(after: dot)...].lowercased())
        }
    }

    /// Fills source lines and fingerprints, and sorts.
    private func finalize(_ findings: [Finding], project: Project) -> [Finding] {
        var sorted = findings.sorted(by: Finding.reportOrder)
        // A line that holds a secret is never printed, whichever rule reports on it.
        let secretLines = Set(sorted.filter { !$0.showsSource }.map { "\($0.path):\($0.range.start.line)" })
        for i in sorted.indices where secretLines.contains("\(sorted[i].path):\(sorted[i].range.start.line)") {
            sorted[i].showsSource = false
        }
        var occurrences: [String: Int] = [:]
        for i in sorted.indices {
            let f = sorted[i]
            let line = project.file(f.path).map { $0.lineText(f.range.start.line) }
            if f.showsSource { sorted[i].sourceLine = line }
            let anchor = f.anchor ?? (line.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") } ?? "")
            let key = "\(f.ruleID)\u{1F}\(f.path)\u{1F}\(anchor)"
            let n = occurrences[key, default: 0]
            occurrences[key] = n + 1
            sorted[i].fingerprint = StableHash.fingerprint([f.ruleID, f.path, anchor, String(n)])
        }
        return sorted
    }
}
