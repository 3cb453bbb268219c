import FleetLintCore
import FleetLintSyntax
import Foundation
import Yams

/// Loads `rules/*.yaml`. Every problem is a `ConfigurationError` naming the YAML file and line (exit 2),
/// in the pointed style of gitleaks' `Validate()`.
public enum DeclarativeRuleLoader {
    static let commonKeys: Set<String> = ["id", "message", "summary", "severity", "kind", "paths", "metadata", "examples", "rationale"]
    static let kindKeys: [String: Set<String>] = [
        "regex": ["regex", "keywords", "capture-group", "files", "redact"],
        "python-call": ["callee", "missing-keyword", "within", "argument-regex"],
        "dockerfile": ["instruction", "argument-regex"],
        "dependency": ["package", "forbidden-specifier", "require-pin", "manifests"],
    ]

    /// Loads every `*.yaml`/`*.yml` under the given files or directories (relative to `root`).
    /// `listedIn`: the configuration file and line of `rule-files`, named when an entry does not exist.
    public static func load(_ entries: [String], root: URL, listedIn: (file: String, line: Int?)? = nil) throws(ConfigurationError) -> [DeclarativeRule] {
        var files: [(display: String, url: URL)] = []
        let fm = FileManager.default
        for entry in entries {
            let url = root.appendingPathComponent(entry)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else {
                guard let listedIn else {
                    throw ConfigurationError(file: entry, message: "rule file or directory listed in `rule-files` does not exist")
                }
                throw ConfigurationError(file: listedIn.file, line: listedIn.line,
                                         message: "`rule-files` lists `\(entry)`, which does not exist under the repository root; fix the path or remove it")
            }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                for n in names { files.append(((entry as NSString).appendingPathComponent(n), url.appendingPathComponent(n))) }
            } else {
                files.append((entry, url))
            }
        }
        var rules: [DeclarativeRule] = []
        var seen: [String: String] = [:]
        for f in files {
            // Checked before reading, so a huge file is not read into memory first (the preflight in
            // `parse` checks the text again, for callers that pass text).
            if let size = (try? fm.attributesOfItem(atPath: f.url.path))?[.size] as? Int, size > DeclarativeRulePreflight.maxBytes {
                throw ConfigurationError(file: f.display, line: 1, message:
                    "rule file is \(size) bytes, larger than the \(DeclarativeRulePreflight.maxBytes >> 20) MiB limit; "
                    + "a declarative rule is a few lines of YAML: move long examples into fixtures or split the file")
            }
            guard let data = fm.contents(atPath: f.url.path) else {
                throw ConfigurationError(file: f.display, message: "cannot read the rule file")
            }
            let rule = try parsedRuleFiles.rule(file: f.display, data: data) { () throws(ConfigurationError) in
                // YAML text is Unicode: decoded leniently, an invalid byte became U+FFFD, and a regex or callee
                // holding one silently matched something else.
                if let invalid = ConfigurationError.invalidUTF8(file: f.display, bytes: [UInt8](data), what: "rule file") { throw invalid }
                var rule = try parse(yaml: String(decoding: data, as: UTF8.self), file: f.display)
                rule.sourceHash = ContentHash.sha256([f.display, String(decoding: data, as: UTF8.self)])
                return rule
            }
            if let other = seen[rule.ruleDescription.id] {
                throw ConfigurationError(file: f.display, line: 1, message: "duplicate rule id `\(rule.ruleDescription.id)` (also in \(other))")
            }
            seen[rule.ruleDescription.id] = f.display
            rules.append(rule)
        }
        return rules
    }

    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> DeclarativeRule {
        try DeclarativeRulePreflight.check(yaml, file: file)
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            // libyaml's message quotes the offending line, which a hostile file makes megabytes long.
            let text = "\(error)"
            throw ConfigurationError(file: file, message: "invalid YAML: " + (text.count > 500 ? text.prefix(500) + " …" : text))
        }
        guard let node, let map = node.mapping else {
            throw ConfigurationError(file: file, line: 1, message: "a rule file must be a mapping with `id`, `message`, `severity` and `kind`")
        }
        func line(_ n: Node?) -> Int? { n?.mark.map { $0.line } }
        func fail(_ n: Node?, _ message: String) -> ConfigurationError { ConfigurationError(file: file, line: line(n) ?? line(node), message: message) }
        var values: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { throw fail(k, "keys must be strings") }
            values[key] = v
            keyNodes[key] = k
        }
        func string(_ key: String, required: Bool = false) throws(ConfigurationError) -> String? {
            guard let v = values[key] else {
                if required { throw fail(nil, "missing required key `\(key)`") }
                return nil
            }
            guard let s = v.scalar?.string else { throw fail(v, "`\(key)` must be a string") }
            return s
        }
        func strings(_ key: String, in m: [String: Node]? = nil) throws(ConfigurationError) -> [String] {
            guard let v = (m ?? values)[key] else { return [] }
            if let s = v.scalar?.string { return [s] }
            guard let seq = v.sequence else { throw fail(v, "`\(key)` must be a list of strings") }
            var out: [String] = []
            for item in seq {
                guard let s = item.scalar?.string else { throw fail(item, "`\(key)` must be a list of strings") }
                out.append(s)
            }
            return out
        }

        let id = try string("id", required: true)!
        let expectedName = (file as NSString).lastPathComponent
        if expectedName != "\(id).yaml" && expectedName != "\(id).yml" {
            throw fail(values["id"], "rule id `\(id)` must match the file name (`\(id).yaml`)")
        }
        guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), !id.isEmpty else {
            throw fail(values["id"], "rule id `\(id)` must be kebab-case (lowercase letters, digits, `-`)")
        }
        let message = try string("message", required: true)!
        let severityText = try string("severity") ?? "warning"
        guard let severity = Severity(rawValue: severityText) else {
            throw fail(values["severity"], "`severity` must be error, warning or info, not `\(severityText)`")
        }
        let kind = try string("kind", required: true)!
        guard let allowedKindKeys = kindKeys[kind] else {
            throw fail(values["kind"], "unknown kind `\(kind)`; supported: \(kindKeys.keys.sorted().joined(separator: ", "))")
        }
        for key in values.keys.sorted() where !commonKeys.contains(key) && !allowedKindKeys.contains(key) {
            throw fail(keyNodes[key], "unknown key `\(key)` for kind `\(kind)`; valid keys: "
                + commonKeys.union(allowedKindKeys).sorted().map { "`\($0)`" }.joined(separator: ", "))
        }

        var include: [Glob] = [], exclude: [Glob] = []
        if let p = values["paths"] {
            guard let pm = p.mapping else { throw fail(p, "`paths` must be a mapping with `include` and/or `exclude`") }
            var sub: [String: Node] = [:]
            for (k, v) in pm {
                guard let key = k.string, key == "include" || key == "exclude" else { throw fail(k, "`paths` takes only `include` and `exclude`") }
                sub[key] = v
            }
            include = try strings("include", in: sub).map(Glob.init)
            exclude = try strings("exclude", in: sub).map(Glob.init)
        }
        var metadata: [String: MetadataValue] = [:]
        if let m = values["metadata"] {
            guard let mm = m.mapping else { throw fail(m, "`metadata` must be a mapping") }
            for (k, v) in mm {
                guard let key = k.string else { continue }
                // A string, or a list of strings (printed as before). Not a nested collection: with aliases
                // (`&a [*b, *b, …]` nine levels deep) its expansion is exponential, and printing it hung the
                // run for a 1 KB rule file.
                if let text = v.string {
                    metadata[key] = .string(text)
                } else if let seq = v.sequence, seq.allSatisfy({ $0.scalar != nil }) {
                    metadata[key] = .string("\(v.any)")
                } else {
                    throw fail(v, "`metadata.\(key)` must be a string or a list of strings")
                }
            }
        }

        func compile(_ key: String) throws(ConfigurationError) -> NSRegularExpression? {
            guard let pattern = try string(key) else { return nil }
            do { return try NSRegularExpression(pattern: pattern) } catch {
                throw fail(values[key], "invalid regex `\(pattern)`: \(error.localizedDescription)")
            }
        }
        let matcher: any DeclarativeMatcher
        switch kind {
        case "python-call":
            let callees = try strings("callee")
            guard !callees.isEmpty else { throw fail(values["callee"], "missing required key `callee` (qualified names such as `requests.get`)") }
            var within: PythonCallMatcher.Within? = nil
            if let w = try string("within") {
                guard let parsed = PythonCallMatcher.Within(rawValue: w) else {
                    throw fail(values["within"], "`within` must be one of \(PythonCallMatcher.Within.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))")
                }
                within = parsed
            }
            matcher = PythonCallMatcher(
                callees: Set(callees), missingKeyword: try string("missing-keyword"), within: within,
                argumentRegex: try compile("argument-regex"))
        case "dependency":
            let packages = try strings("package").map { $0 == "*" ? "*" : PackageName.normalize($0) }
            guard !packages.isEmpty else { throw fail(values["package"], "missing required key `package` (a name, a list of names, or `*`)") }
            var forbidden: SpecifierSet? = nil
            if let text = try string("forbidden-specifier") {
                guard let set = SpecifierSet(text) else { throw fail(values["forbidden-specifier"], "`forbidden-specifier` `\(text)` is not a PEP 440 specifier set") }
                forbidden = set
            }
            let requirePin = values["require-pin"]?.bool ?? false
            guard forbidden != nil || requirePin else {
                throw fail(nil, "a `dependency` rule needs `forbidden-specifier` or `require-pin: true`")
            }
            var manifests: Set<FileKind> = [.requirements, .pyproject]
            let listed = try strings("manifests")
            if !listed.isEmpty {
                manifests = []
                for m in listed {
                    guard let k = FileKind(rawValue: m), k == .requirements || k == .pyproject else {
                        throw fail(values["manifests"], "`manifests` takes `requirements` and/or `pyproject`, not `\(m)`")
                    }
                    manifests.insert(k)
                }
            }
            matcher = DependencyMatcher(packages: Set(packages), forbidden: forbidden, requirePin: requirePin, manifests: manifests)
        case "dockerfile":
            guard let instruction = try string("instruction") else { throw fail(nil, "missing required key `instruction` (e.g. `RUN`)") }
            matcher = DockerfileMatcher(instruction: instruction.uppercased(), argumentRegex: try compile("argument-regex"))
        default:  // "regex"
            let pattern = try string("regex", required: true)!
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw fail(values["regex"], "invalid regex `\(pattern)`: \(error.localizedDescription)")
            }
            var group = 0
            if let g = values["capture-group"] {
                guard let n = g.int, n >= 0 else { throw fail(g, "`capture-group` must be a non-negative integer") }
                group = n
            }
            if group > regex.numberOfCaptureGroups {
                throw fail(values["capture-group"], "`capture-group: \(group)` but the regex has only \(regex.numberOfCaptureGroups) group\(regex.numberOfCaptureGroups == 1 ? "" : "s")")
            }
            var kinds: Set<FileKind> = [.text]
            let fileKinds = try strings("files")
            if !fileKinds.isEmpty {
                kinds = []
                for k in fileKinds {
                    guard let fk = FileKind(rawValue: k), fk != .binary else {
                        throw fail(values["files"], "unknown file kind `\(k)`; valid: python, requirements, pyproject, dockerfile, env, text")
                    }
                    kinds.insert(fk)
                }
            }
            let redact = values["redact"]?.bool ?? false
            matcher = RegexMatcher(
                regex: regex, keywords: try strings("keywords").map { Array($0.lowercased().utf8) },
                captureGroup: group, inputs: kinds, redact: redact)
        }

        let defaultPath = matcher.inputs.contains(.python) ? "example.py"
            : matcher.inputs.contains(.requirements) ? "requirements.txt"
            : matcher.inputs.contains(.dockerfile) ? "Dockerfile" : "example.txt"
        func examples(_ key: String) throws(ConfigurationError) -> [Example] {
            guard let ex = values["examples"] else { return [] }
            guard let em = ex.mapping else { throw fail(ex, "`examples` must be a mapping with `triggering` and `non-triggering`") }
            var out: [Example] = []
            for (k, v) in em {
                guard let name = k.string, name == "triggering" || name == "non-triggering" else {
                    throw fail(k, "`examples` takes only `triggering` and `non-triggering`")
                }
                guard name == key else { continue }
                guard let seq = v.sequence else { throw fail(v, "`examples.\(key)` must be a list") }
                for item in seq {
                    if let s = item.scalar?.string {
                        out.append(Example(files: [(defaultPath, s)], configuration: nil, origin: file, line: line(item) ?? 0))
                    } else if let m = item.mapping {
                        var files: [(path: String, contents: String)] = []
                        for (p, c) in m { files.append((p.string ?? "", c.string ?? "")) }
                        out.append(Example(files: files, configuration: nil, origin: file, line: line(item) ?? 0))
                    } else {
                        throw fail(item, "an example is a string, or a mapping of path to contents")
                    }
                }
            }
            return out
        }
        let triggering = try examples("triggering")
        let nonTriggering = try examples("non-triggering")
        if triggering.isEmpty { throw fail(values["examples"], "every declarative rule needs at least one `examples.triggering` entry") }
        let summary = try string("summary") ?? message.replacingOccurrences(of: "`", with: "")
        let rationale = try string("rationale") ?? """
            ## What it does
            \(summary) (declarative `\(kind)` rule from `\(file)`).

            ## Why is this bad?
            See the rule's message and metadata.

            ## Example
            ```
            \(triggering.first?.files.first?.contents.replacingOccurrences(of: "↓", with: "") ?? "")
            ```

            ## Use instead
            ```
            \(nonTriggering.first?.files.first?.contents ?? "")
            ```
            """
        let description = RuleDescription(
            id: id, summary: summary, category: .custom, defaultSeverity: severity, inputs: matcher.inputs,
            rationale: rationale, triggering: triggering, nonTriggering: nonTriggering)
        var rule = DeclarativeRule(
            ruleDescription: description, messageTemplate: message, include: include, exclude: exclude,
            metadata: metadata, matcher: matcher)
        // Cleaned, as repository paths are (a `rule-files` entry `./rules` named `./rules/x.yaml`, a path no snapshot
        // file has, for the run's findings at the definition).
        rule.definition = (DockerPath.clean(file), line(values["regex"] ?? values["argument-regex"]) ?? 1)
        return rule
    }
}

/// The rules parsed from each rule file's bytes in this process: loading a configuration validates the
/// rule files, and the linter made right after loads them again (and `adoption` once per commit); a
/// file's rule is a pure function of its name and bytes, so unchanged bytes reuse the parsed rule.
private final class ParsedRuleFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var parsed: [String: (data: Data, rule: DeclarativeRule)] = [:]

    func rule(file: String, data: Data, parse: () throws(ConfigurationError) -> DeclarativeRule) throws(ConfigurationError) -> DeclarativeRule {
        lock.lock()
        let known = parsed[file]
        lock.unlock()
        if let known, known.data == data { return known.rule }
        let rule = try parse()
        lock.lock()
        parsed[file] = (data, rule)
        lock.unlock()
        return rule
    }
}

private let parsedRuleFiles = ParsedRuleFiles()
