// pip's `-r`/`-c` include handling: https://pip.pypa.io/en/stable/reference/requirements-file-format/
// Follows `RequirementsFileParser._parse_and_recurse` of pip 26.3: includes are expanded in place,
// depth first; everything below a `-c` is a constraint; a file that includes one of its ancestors
// is a cycle.
//
// Problem codes (recorded on the `-r`/`-c` line of the including file):
//   include-cycle          the include closes a cycle (pip: "recursively references itself")
//   include-missing        the loader has no such file (pip: "Could not open requirements file")
//   include-escapes-repo   the path leaves the repository root
//   include-url            an http(s)/file URL include, left unresolved

/// One requirement of the include closure, in pip's order.
public struct ResolvedRequirement: Hashable, Sendable {
    public var entry: RequirementsEntry
    /// Repo-relative path of the file the entry is written in.
    public var file: String
    public var line: Int { entry.line }
    public var isConstraint: Bool
}

/// The result of following includes from a root file.
public struct ResolvedRequirements: Hashable, Sendable {
    public var requirements: [ResolvedRequirement]
    /// Every parsed file (root first, in visiting order; a file included twice is parsed once).
    public var documents: [String: RequirementsDocument]
    /// Problems per repo-relative file path (parser problems plus include problems).
    public var problems: [String: [ParseProblem]]
    /// Files in visiting order.
    public var files: [String]
}

/// Follows `-r`/`-c` includes from a root file through a loader closure.
public enum RequirementsResolver {
    /// `loader` returns the bytes of a repo-relative path, or nil when it does not exist.
    public static func resolve(root: String, environment: [String: String] = [:],
                               loader: (String) -> [UInt8]?) -> ResolvedRequirements {
        resolve(root: root) { path in
            loader(path).map { RequirementsParser.parse($0, path: path, environment: environment) }
        }
    }

    /// The same over already-parsed files: `documentFor` returns the parsed file at a repo-relative
    /// path, or nil when it does not exist (so a caller that parsed every file once can share them).
    public static func resolve(root: String, documentFor: (String) -> RequirementsDocument?) -> ResolvedRequirements {
        var out = ResolvedRequirements(requirements: [], documents: [:], problems: [:], files: [])
        let rootPath = normalize(root) ?? root
        guard let rootDocument = documentFor(rootPath) else {
            out.problems[rootPath, default: []].append(ParseProblem(
                code: "include-missing", message: "`\(rootPath)` does not exist",
                range: SourceRange(line: 1, column: 1, length: 0)))
            return out
        }
        var cache: [String: RequirementsDocument] = [:]
        func document(_ path: String, _ d: RequirementsDocument) -> RequirementsDocument {
            if let cached = cache[path] { return cached }
            cache[path] = d
            out.documents[path] = d
            out.files.append(path)
            out.problems[path, default: []] += d.problems
            return d
        }
        // Depth first and in pip's order, with an explicit stack (a chain of thousands of files must not
        // overflow the call stack). A file already expanded in the same mode (requirement or constraint)
        // is not expanded again: its requirements are in the list once, and a diamond of includes stays
        // linear instead of doubling at every level.
        struct Frame { var path: String; var doc: RequirementsDocument; var constraint: Bool; var next: Int }
        var expanded: Set<String> = []
        var onStack: [String: Int] = [:]
        func key(_ path: String, _ constraint: Bool) -> String { (constraint ? "c:" : "r:") + path }
        let rootDoc = document(rootPath, rootDocument)
        var stack = [Frame(path: rootPath, doc: rootDoc, constraint: false, next: 0)]
        onStack[rootPath, default: 0] += 1
        expanded.insert(key(rootPath, false))
        while !stack.isEmpty {
            let top = stack.count - 1
            let k = stack[top].next
            guard k < stack[top].doc.entries.count else {
                let done = stack.removeLast()
                onStack[done.path]! -= 1
                continue
            }
            stack[top].next += 1
            let e = stack[top].doc.entries[k]
            let path = stack[top].path, constraint = stack[top].constraint
            switch e.kind {
            case .include, .constraintInclude:
                let target = e.includePath ?? ""
                let nested = e.kind == .constraintInclude
                func report(_ code: String, _ msg: String) {
                    out.problems[path, default: []].append(ParseProblem(code: code, message: msg, range: e.range))
                }
                let lower = target.lowercased()
                if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("file:") {
                    report("include-url", "`\(target)` is a url and is not followed")
                    continue
                }
                let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                let joined = target.hasPrefix("/") ? target : (dir.isEmpty ? target : dir + "/" + target)
                guard let resolved = normalize(joined) else {
                    report("include-escapes-repo", "`\(target)` points outside the repository")
                    continue
                }
                if onStack[resolved, default: 0] > 0 {
                    report("include-cycle", "`\(target)` includes `\(resolved)`, which is already being read (a cycle)")
                    continue
                }
                guard let b = cache[resolved] ?? documentFor(resolved) else {
                    report("include-missing", "`\(target)` does not exist (resolved to `\(resolved)`)")
                    continue
                }
                let d = document(resolved, b)
                guard expanded.insert(key(resolved, nested)).inserted else { continue }
                stack.append(Frame(path: resolved, doc: d, constraint: nested, next: 0))
                onStack[resolved, default: 0] += 1
            case .requirement, .editable, .urlOrPath:
                var entry = e
                entry.isConstraint = constraint
                out.requirements.append(ResolvedRequirement(entry: entry, file: path, isConstraint: constraint))
            case .globalOption:
                break
            }
        }
        return out
    }

    /// Normalises `a/./b/../c` to `a/c`; nil when the path escapes the root. Leading `/` is dropped
    /// (paths are repo-relative).
    public static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        // An ASCII path is cut at its `/` bytes (its `/` Characters), without grapheme breaking.
        for p in path.asciiSplit(0x2F) {
            if p == "." { continue }
            if p == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }
}
