// pyproject.toml dependency reader: PEP 621 `[project]`, PEP 735 `[dependency-groups]`, Poetry
// `[tool.poetry.*dependencies]`. https://peps.python.org/pep-0621/ https://peps.python.org/pep-0735/
// https://python-poetry.org/docs/pyproject/
import Foundation
import TOMLKit

/// A dependency declared in pyproject.toml, kept as a PEP 508 string with its location.
public struct PyProjectRequirement: Hashable, Sendable {
    /// Where it was declared.
    public enum Origin: Hashable, Sendable {
        /// `[project].dependencies`
        case project
        /// `[project.optional-dependencies].<extra>`
        case optional(extra: String)
        /// `[dependency-groups].<group>`; `via` is the chain of groups that included it (empty when direct).
        case group(name: String, via: [String])
        /// `[tool.poetry.dependencies]` (group `main`), `dev-dependencies` (`dev`) or `group.<g>.dependencies`.
        case poetry(group: String)
    }

    /// What kind of target a Poetry dependency names.
    public enum Kind: String, Hashable, Sendable { case version, path, git, url }

    public var origin: Origin
    /// PEP 508 requirement string (as written for PEP 621/735; synthesized for Poetry).
    public var requirement: String
    /// Range of the value in the file (the string literal, or the Poetry key's value).
    public var range: SourceRange
    /// Poetry only: the package name (the table key).
    public var name: String?
    /// Poetry only: the constraint as written.
    public var poetryConstraint: String?
    /// Poetry only: the PEP 440 specifier string (`""` = any); nil for `||` alternatives or path/git/url.
    public var specifier: String?
    /// Poetry only: each `||` alternative translated (when there is more than one).
    public var specifierAlternatives: [String?]
    public var extras: [String]
    public var markers: String?
    /// Poetry `python = "…"` restriction, translated to PEP 440.
    public var pythonSpecifier: String?
    public var isOptional: Bool
    public var kind: Kind
    /// path / git URL / url for non-version dependencies.
    public var target: String?
}

/// The dependency-related contents of a pyproject.toml.
public struct PyProject: Sendable {
    public var name: String?
    /// `[project].requires-python`, else Poetry's `python` dependency translated to PEP 440.
    public var requiresPython: String?
    public var requiresPythonRange: SourceRange?
    /// All requirements in source order (dependency-group entries appear once per group that includes them).
    public var requirements: [PyProjectRequirement]
    public var problems: [ParseProblem]

    public var projectDependencies: [PyProjectRequirement] { requirements.filter { $0.origin == .project } }
    public func optionalDependencies(_ extra: String) -> [PyProjectRequirement] { requirements.filter { $0.origin == .optional(extra: extra) } }
    /// Resolved PEP 735 group (includes expanded).
    public func dependencyGroup(_ name: String) -> [PyProjectRequirement] {
        requirements.filter { if case .group(let g, _) = $0.origin { return g == name }; return false }
    }
    public func poetryGroup(_ name: String) -> [PyProjectRequirement] { requirements.filter { $0.origin == .poetry(group: name) } }
}

/// Parses pyproject.toml. Never throws: invalid TOML yields one problem.
public enum PyProjectParser {
    /// `include-group` nesting below a group beyond which groups are not read (a problem says so).
    static let maxIncludeGroupDepth = 32
    /// Requirements all `[dependency-groups]` may expand to, includes counted once per including group.
    static let maxGroupExpansion = 100_000

    public static func parse(_ text: String) -> PyProject { parse(bytes: Array(text.utf8)) }

    public static func parse(bytes: [UInt8]) -> PyProject {
        var out = PyProject(name: nil, requiresPython: nil, requiresPythonRange: nil, requirements: [], problems: [])
        let lineIndex = LineIndex(bytes)
        let text = SourceText.decodeUTF8(SourceText.hasUTF8BOM(bytes) ? Array(bytes.dropFirst(3)) : bytes).text
        let root: TOMLTable
        // Text that would make toml++ abort instead of throwing is reported like its parse errors.
        if let p = TOMLPreflight.check(text) {
            out.problems.append(ParseProblem(code: "invalid-toml", message: "invalid TOML: \(p.message)",
                                             range: SourceRange(line: p.line, column: p.column)))
            return out
        }
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            let line = max(1, e.source.begin.line), col = max(1, e.source.begin.column)
            out.problems.append(ParseProblem(code: "invalid-toml", message: "invalid TOML: \(e.description)",
                                             range: SourceRange(line: line, column: col)))
            return out
        } catch {
            out.problems.append(ParseProblem(code: "invalid-toml", message: "invalid TOML", range: SourceRange(line: 1, column: 1)))
            return out
        }
        let loc = TOMLLocator(bytes)
        func range(_ path: [String]) -> SourceRange {
            var p = path
            while !p.isEmpty {
                if let r = loc.range(p) ?? loc.header(p) {
                    return SourceRange(start: lineIndex.location(ofByteOffset: r.lowerBound, in: bytes),
                                       end: lineIndex.location(ofByteOffset: r.upperBound, in: bytes))
                }
                p.removeLast()
            }
            return SourceRange(line: 1, column: 1)
        }
        func problem(_ code: String, _ msg: String, _ path: [String]) {
            out.problems.append(ParseProblem(code: code, message: msg, range: range(path)))
        }

        // PEP 621
        if let project = root["project"]?.table {
            out.name = project["name"]?.string
            if let rp = project["requires-python"] {
                if let s = rp.string { out.requiresPython = s; out.requiresPythonRange = range(["project", "requires-python"]) }
                else { problem("invalid-pyproject", "`project.requires-python` must be a string", ["project", "requires-python"]) }
            }
            if let deps = project["dependencies"] {
                if let arr = deps.array {
                    for (k, v) in arr.enumerated() {
                        let path = ["project", "dependencies", String(k)]
                        guard let s = v.string else { problem("invalid-pyproject", "`project.dependencies` entries must be strings", path); continue }
                        out.requirements.append(plain(.project, s, range(path)))
                    }
                } else { problem("invalid-pyproject", "`project.dependencies` must be an array of strings", ["project", "dependencies"]) }
            }
            if let opt = project["optional-dependencies"] {
                if let t = opt.table {
                    for extra in t.keys {
                        guard let arr = t[extra]?.array else {
                            problem("invalid-pyproject", "`project.optional-dependencies.\(extra)` must be an array of strings", ["project", "optional-dependencies", extra]); continue
                        }
                        for (k, v) in arr.enumerated() {
                            let path = ["project", "optional-dependencies", extra, String(k)]
                            guard let s = v.string else { problem("invalid-pyproject", "optional dependency entries must be strings", path); continue }
                            out.requirements.append(plain(.optional(extra: extra), s, range(path)))
                        }
                    }
                } else { problem("invalid-pyproject", "`project.optional-dependencies` must be a table", ["project", "optional-dependencies"]) }
            }
        }

        // PEP 735
        if let groups = root["dependency-groups"]?.table {
            let names = groups.keys
            var byNormalized: [String: String] = [:]
            for g in names { byNormalized[normalize(g)] = g }
            var reported: Set<String> = []
            var entryRanges: [String: SourceRange] = [:]
            func entryRange(_ g: String, _ k: Int) -> SourceRange {
                let key = g + "\u{1F}" + String(k)
                if let r = entryRanges[key] { return r }
                let r = range(["dependency-groups", g, String(k)])
                entryRanges[key] = r
                return r
            }
            // Each group is expanded once per top group (a group reached twice adds nothing new), so a
            // diamond of includes stays linear; the nesting depth and the total size are bounded.
            var budget = maxGroupExpansion
            var budgetReported = false
            func expand(_ g: String, _ stack: [String], into result: inout [PyProjectRequirement], top: String, seen: inout Set<String>) {
                guard let arr = groups[g]?.array else {
                    if !reported.contains("shape:" + g) {
                        reported.insert("shape:" + g)
                        problem("invalid-pyproject", "dependency group `\(g)` must be an array", ["dependency-groups", g])
                    }
                    return
                }
                for (k, v) in arr.enumerated() {
                    let path = ["dependency-groups", g, String(k)]
                    if let s = v.string {
                        guard budget > 0 else {
                            if !budgetReported {
                                budgetReported = true
                                problem("dependency-groups-too-large", "`[dependency-groups]` expands to more than \(maxGroupExpansion) requirements; the rest are not read", path)
                            }
                            return
                        }
                        budget -= 1
                        result.append(plain(.group(name: top, via: Array(stack.dropFirst())), s, entryRange(g, k)))
                    } else if let inc = v.table?["include-group"]?.string {
                        guard let target = byNormalized[normalize(inc)] else {
                            if reported.insert("unknown:\(g):\(k)").inserted {
                                problem("unknown-dependency-group", "dependency group `\(g)` includes unknown group `\(inc)`", path + ["include-group"])
                            }
                            continue
                        }
                        if stack.contains(target) {
                            if reported.insert("cycle:\(g):\(k)").inserted {
                                problem("dependency-group-cycle", "dependency group `\(g)` includes `\(inc)`, which includes it again: \((stack + [target]).map { "`\($0)`" }.joined(separator: " → "))", path + ["include-group"])
                            }
                            continue
                        }
                        if stack.count >= maxIncludeGroupDepth {
                            if reported.insert("depth").inserted {
                                problem("include-group-too-deep", "dependency group `\(g)` includes `\(inc)` more than \(maxIncludeGroupDepth) levels below `\(top)`; deeper groups are not read", path + ["include-group"])
                            }
                            continue
                        }
                        guard seen.insert(target).inserted else { continue }
                        expand(target, stack + [target], into: &result, top: top, seen: &seen)
                    } else if reported.insert("entry:\(g):\(k)").inserted {
                        problem("invalid-pyproject", "dependency group `\(g)` entry must be a string or `{include-group = \"…\"}`", path)
                    }
                }
            }
            for g in names {
                var r: [PyProjectRequirement] = []
                var seen: Set<String> = [g]
                expand(g, [g], into: &r, top: g, seen: &seen)
                out.requirements.append(contentsOf: r)
            }
        }

        // Poetry
        if let poetry = root["tool"]?.table?["poetry"]?.table {
            func readTable(_ t: TOMLTable, group: String, path: [String]) {
                for name in t.keys {
                    let p = path + [name]
                    if name.lowercased() == "python" {
                        if group == "main", let s = t[name]?.string {
                            let spec = PoetryConstraint.specifier(s)
                            if out.requiresPython == nil { out.requiresPython = spec ?? s; out.requiresPythonRange = range(p) }
                        }
                        continue
                    }
                    guard let v = t[name] else { continue }
                    if let arr = v.array {
                        for (k, e) in arr.enumerated() {
                            if let d = poetryDependency(name, e, group: group, path: p + [String(k)], range: range, problem: problem) { out.requirements.append(d) }
                        }
                    } else if let d = poetryDependency(name, v, group: group, path: p, range: range, problem: problem) {
                        out.requirements.append(d)
                    }
                }
            }
            if let d = poetry["dependencies"]?.table { readTable(d, group: "main", path: ["tool", "poetry", "dependencies"]) }
            if let d = poetry["dev-dependencies"]?.table { readTable(d, group: "dev", path: ["tool", "poetry", "dev-dependencies"]) }
            if let groups = poetry["group"]?.table {
                for g in groups.keys {
                    if let d = groups[g]?.table?["dependencies"]?.table {
                        readTable(d, group: g, path: ["tool", "poetry", "group", g, "dependencies"])
                    }
                }
            }
        }
        out.requirements = stableOrder(out.requirements)
        return out
    }

    static func sameGroup(_ a: PyProjectRequirement.Origin, _ b: PyProjectRequirement.Origin) -> Bool {
        if case .group(let x, _) = a, case .group(let y, _) = b { return x == y }
        return false
    }

    /// Source order inside each declaration table, tables in document order of their first entry.
    static func stableOrder(_ r: [PyProjectRequirement]) -> [PyProjectRequirement] {
        func bucket(_ o: PyProjectRequirement.Origin) -> String {
            switch o {
            case .project: return "p"
            case .optional(let e): return "o:" + e
            case .group(let g, _): return "g:" + g
            case .poetry(let g): return "y:" + g
            }
        }
        var order: [String] = []
        var buckets: [String: [PyProjectRequirement]] = [:]
        for x in r {
            let b = bucket(x.origin)
            if buckets[b] == nil { order.append(b) }
            buckets[b, default: []].append(x)
        }
        let firstPos = order.map { b in (b, buckets[b]!.map(\.range).min()!) }
        return firstPos.sorted { $0.1 < $1.1 }.flatMap { b, _ in
            buckets[b]!.enumerated().sorted { l, r in
                if case .group = l.element.origin { return l.offset < r.offset }  // keep include expansion order
                return l.element.range < r.element.range
            }.map(\.element)
        }
    }

    static func normalize(_ s: String) -> String {
        var out = ""
        var lastSep = false
        for c in s.lowercased() {
            if c == "-" || c == "_" || c == "." { if !lastSep { out.append("-") }; lastSep = true } else { out.append(c); lastSep = false }
        }
        return out
    }

    static func plain(_ o: PyProjectRequirement.Origin, _ s: String, _ r: SourceRange) -> PyProjectRequirement {
        PyProjectRequirement(origin: o, requirement: s, range: r, name: nil, poetryConstraint: nil, specifier: nil,
                             specifierAlternatives: [], extras: [], markers: nil, pythonSpecifier: nil, isOptional: false,
                             kind: .version, target: nil)
    }

    static func poetryDependency(_ name: String, _ v: TOMLValueConvertible, group: String, path: [String],
                                 range: ([String]) -> SourceRange, problem: (String, String, [String]) -> Void) -> PyProjectRequirement? {
        var d = PyProjectRequirement(origin: .poetry(group: group), requirement: name, range: range(path), name: name,
                                     poetryConstraint: nil, specifier: "", specifierAlternatives: [], extras: [], markers: nil,
                                     pythonSpecifier: nil, isOptional: false, kind: .version, target: nil)
        var constraint: String?
        if let s = v.string {
            constraint = s
        } else if let t = v.table {
            constraint = t["version"]?.string
            if let e = t["extras"]?.array { d.extras = e.compactMap { $0.string } }
            d.markers = t["markers"]?.string
            if let py = t["python"]?.string { d.pythonSpecifier = PoetryConstraint.specifier(py) ?? py }
            d.isOptional = t["optional"]?.bool ?? false
            if let p = t["path"]?.string { d.kind = .path; d.target = p }
            else if let g = t["git"]?.string {
                d.kind = .git
                var url = g.hasPrefix("git+") ? g : "git+" + g
                if let ref = t["rev"]?.string ?? t["tag"]?.string ?? t["branch"]?.string { url += "@" + ref }
                if let sub = t["subdirectory"]?.string { url += "#subdirectory=" + sub }
                d.target = url
            } else if let u = t["url"]?.string { d.kind = .url; d.target = u }
            if d.kind != .version { d.specifier = nil }
        } else {
            problem("invalid-pyproject", "poetry dependency `\(name)` must be a version string or a table", path)
            return nil
        }
        if d.kind == .version {
            let c = constraint ?? "*"
            d.poetryConstraint = c
            let alts = PoetryConstraint.alternatives(c)
            d.specifierAlternatives = alts.count > 1 ? alts : []
            d.specifier = alts.count == 1 ? alts[0] : nil
            if alts.contains(where: { $0 == nil }) {
                problem("invalid-poetry-constraint", "poetry constraint `\(c)` for `\(name)` is not valid", path)
            }
        }
        var req = name
        if !d.extras.isEmpty { req += "[" + d.extras.joined(separator: ",") + "]" }
        if let target = d.target { req += " @ " + target } else if let s = d.specifier { req += s }
        if let m = d.markers { req += " ; " + m }
        d.requirement = req
        return d
    }
}
