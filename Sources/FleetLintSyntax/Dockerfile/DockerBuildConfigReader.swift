// Reads which Dockerfile is built with which context from docker-compose files
// (https://docs.docker.com/reference/compose-file/build/) and Cloud Build configs
// (https://cloud.google.com/build/docs/build-config-file-schema). A minimal YAML subset reader is enough:
// block mappings/sequences, flow sequences on one line, quoted scalars, comments.

import Foundation

/// A Dockerfile build found in a compose or Cloud Build file.
public struct DockerBuildTarget: Hashable, Sendable {
    /// Repo-relative Dockerfile path.
    public var dockerfilePath: String
    /// Repo-relative build-context directory (`""` = root).
    public var contextDirectory: String
    /// Image names it is tagged with (`-t`/`--tag`, compose `image:`), as written.
    public var tags: [String] = []
}

/// A tiny YAML value (the subset compose/cloudbuild files use).
indirect enum MiniYAML: Equatable {
    case scalar(String)
    case list([MiniYAML])
    case map([(String, MiniYAML)])

    static func == (a: MiniYAML, b: MiniYAML) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    subscript(_ key: String) -> MiniYAML? {
        if case .map(let m) = self { return m.last { $0.0 == key }?.1 }
        return nil
    }
    var string: String? { if case .scalar(let s) = self { return s }; return nil }
    var list: [MiniYAML]? { if case .list(let l) = self { return l }; return nil }
    var entries: [(String, MiniYAML)] { if case .map(let m) = self { return m }; return [] }

    static func parse(_ text: String) -> MiniYAML {
        var lines: [(indent: Int, text: String)] = []
        var blockIndent: Int? = nil
        for raw in SourceText.lines(text) {
            var l = String(raw)
            if l.hasSuffix("\r") { l.removeLast() }  // a last line ending in a lone CR
            let indent = l.prefix { $0 == " " }.count
            let body = stripComment(String(l.dropFirst(indent)))
            if let bi = blockIndent {
                if body.isEmpty || indent > bi { continue }  // inside a `|`/`>` block scalar
                blockIndent = nil
            }
            if body.isEmpty || body == "---" || body.hasPrefix("%") { continue }
            lines.append((indent, body))
            if body.hasSuffix("|") || body.hasSuffix(">") || body.hasSuffix("|-") || body.hasSuffix(">-") { blockIndent = indent }
        }
        var i = 0
        let first = lines.first?.indent ?? 0
        return parseBlock(&i, &lines, indent: first)
    }

    static func stripComment(_ s: String) -> String {
        var q: Character? = nil
        var prev: Character = " "
        var out = ""
        for c in s {
            if let qq = q { if c == qq { q = nil }; out.append(c); prev = c; continue }
            if c == "'" || c == "\"" { q = c }
            if c == "#" && (prev == " " || prev == "\t") { break }
            out.append(c); prev = c
        }
        while out.last == " " || out.last == "\t" { out.removeLast() }
        return out
    }

    static func parseBlock(_ i: inout Int, _ lines: inout [(indent: Int, text: String)], indent: Int) -> MiniYAML {
        guard i < lines.count else { return .scalar("") }
        if lines[i].text.hasPrefix("- ") || lines[i].text == "-" {
            var items: [MiniYAML] = []
            while i < lines.count, lines[i].indent == indent, lines[i].text.hasPrefix("- ") || lines[i].text == "-" {
                let rest = lines[i].text == "-" ? "" : String(lines[i].text.dropFirst(2))
                let innerIndent = indent + 2
                if rest.isEmpty {
                    i += 1
                    items.append(i < lines.count && lines[i].indent > indent ? parseBlock(&i, &lines, indent: lines[i].indent) : .scalar(""))
                } else if keyValue(rest) != nil {
                    // `- key: value` starts a mapping whose other keys are indented past the dash.
                    lines[i] = (innerIndent, rest)
                    items.append(parseBlock(&i, &lines, indent: innerIndent))
                } else {
                    items.append(scalarOrFlow(rest))
                    i += 1
                }
            }
            return .list(items)
        }
        var entries: [(String, MiniYAML)] = []
        while i < lines.count, lines[i].indent == indent {
            guard let (k, v) = keyValue(lines[i].text) else { i += 1; continue }
            i += 1
            if v.isEmpty {
                if i < lines.count, lines[i].indent > indent || (lines[i].indent == indent && lines[i].text.hasPrefix("- ")) {
                    entries.append((k, parseBlock(&i, &lines, indent: lines[i].indent)))
                } else {
                    entries.append((k, .scalar("")))
                }
            } else {
                entries.append((k, scalarOrFlow(v)))
            }
        }
        return .map(entries)
    }

    static func keyValue(_ s: String) -> (String, String)? {
        var q: Character? = nil
        var idx = s.startIndex
        while idx < s.endIndex {
            let c = s[idx]
            if let qq = q { if c == qq { q = nil } } else if c == "'" || c == "\"" { if idx == s.startIndex { q = c } } else if c == ":" {
                let next = s.index(after: idx)
                if next == s.endIndex || s[next] == " " {
                    let key = unquote(String(s[..<idx]).trimmingCharacters(in: .whitespaces))
                    return (key, String(s[next...]).trimmingCharacters(in: .whitespaces))
                }
            }
            idx = s.index(after: idx)
        }
        return nil
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "'" || f == "\"", s.last == f {
            let inner = String(s.dropFirst().dropLast())
            return f == "'" ? inner.replacingOccurrences(of: "''", with: "'") : inner.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return s
    }

    static func scalarOrFlow(_ s: String) -> MiniYAML {
        guard s.hasPrefix("["), s.hasSuffix("]") else { return .scalar(unquote(s)) }
        var items: [MiniYAML] = []
        var cur = ""
        var q: Character? = nil
        for c in s.dropFirst().dropLast() {
            if let qq = q { cur.append(c); if c == qq { q = nil }; continue }
            if c == "'" || c == "\"" { q = c; cur.append(c); continue }
            if c == "," { items.append(.scalar(unquote(cur.trimmingCharacters(in: .whitespaces)))); cur = ""; continue }
            cur.append(c)
        }
        let last = cur.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { items.append(.scalar(unquote(last))) }
        return .list(items)
    }
}

/// Reads Dockerfile/context pairs from build configuration files. Pure: bytes in, targets out.
public enum DockerBuildConfigReader {
    /// `docker-compose*.yml` / `compose*.yaml`: each service's `build:` (short string or `context`/`dockerfile`).
    /// `fileDirectory` is the compose file's repo-relative directory.
    public static func composeTargets(_ bytes: [UInt8], fileDirectory: String) -> [DockerBuildTarget] {
        let doc = MiniYAML.parse(String(decoding: bytes, as: UTF8.self))
        var out: [DockerBuildTarget] = []
        for (_, svc) in doc["services"]?.entries ?? [] {
            guard let build = svc["build"] else { continue }
            var context = ".", dockerfile = "Dockerfile"
            if let s = build.string { context = s } else {
                context = build["context"]?.string ?? "."
                dockerfile = build["dockerfile"]?.string ?? "Dockerfile"
            }
            if context.contains("://") || context.hasPrefix("git@") { continue }
            let ctx = repoJoin(fileDirectory, context)
            var t = DockerBuildTarget(dockerfilePath: repoJoin(ctx, dockerfile), contextDirectory: ctx)
            if let image = svc["image"]?.string { t.tags = [image] }
            out.append(t)
        }
        return out
    }

    /// `cloudbuild*.yaml`: `docker build`/`buildx build` steps (args list or a `bash -c` script), `dir:`, kaniko
    /// `--dockerfile`/`--context`. `fileDirectory` is the config file's repo-relative directory (Cloud Build runs from
    /// the source root, which usually is that directory).
    public static func cloudBuildTargets(_ bytes: [UInt8], fileDirectory: String) -> [DockerBuildTarget] {
        let doc = MiniYAML.parse(String(decoding: bytes, as: UTF8.self))
        var out: [DockerBuildTarget] = []
        for step in doc["steps"]?.list ?? [] {
            let dir = repoJoin(fileDirectory, step["dir"]?.string ?? ".")
            let args = step["args"]?.list?.compactMap(\.string) ?? (step["args"]?.string.map { [$0] } ?? [])
            let name = step["name"]?.string ?? ""
            let entry = step["entrypoint"]?.string
            var argvs: [[String]] = []
            if name.contains("kaniko") {
                argvs.append(["kaniko"] + args)
            } else if entry == nil || entry == "docker" {
                argvs.append(["docker"] + args)
            } else {
                // `entrypoint: bash`, `args: ['-c', 'docker build …']`: split the scripts.
                for a in args where a.contains("docker") {
                    for c in ShellSplitter.split(a) { argvs.append(c.words.map(\.value)) }
                }
            }
            for argv in argvs { if let t = buildTarget(argv, dir: dir) { out.append(t) } }
        }
        return out
    }

    static let dockerBuildValueOptions: Set<String> = [
        "-t", "--tag", "--build-arg", "--target", "--platform", "--cache-from", "--cache-to", "--label", "--network",
        "--secret", "--ssh", "-o", "--output", "--progress", "--iidfile", "--add-host", "--build-context", "--builder",
        "--shm-size", "-m", "--memory", "--cpu-shares", "--ulimit", "--metadata-file", "--allow", "--annotation",
        "--attest", "--provenance", "--sbom", "--isolation", "--cgroup-parent", "--security-opt", "--call", "--check",
    ]

    /// The image a `docker build`/`buildx build` (or kaniko) argv builds; relative paths resolve against `dir`.
    public static func buildTarget(_ argv: [String], dir: String) -> DockerBuildTarget? {
        guard let first = argv.first else { return nil }
        var k = 1
        if first == "kaniko" {
            var df = "Dockerfile", ctx = "."
            for a in argv.dropFirst() {
                if a.hasPrefix("--dockerfile=") { df = String(a.dropFirst(13)) }
                if a.hasPrefix("--context=") { ctx = String(a.dropFirst(10)) }
            }
            if ctx.hasPrefix("dir://") { ctx = String(ctx.dropFirst(6)) }
            let c = repoJoin(dir, ctx)
            return DockerBuildTarget(dockerfilePath: repoJoin(dir, df), contextDirectory: c)
        }
        guard PipInstallExtractor.basename(first) == "docker" else { return nil }
        if k < argv.count, argv[k] == "buildx" { k += 1 }
        if k < argv.count, argv[k] == "image" { k += 1 }
        guard k < argv.count, argv[k] == "build" else { return nil }
        k += 1
        var dockerfile: String?
        var context: String?
        var tags: [String] = []
        while k < argv.count {
            let a = argv[k]
            k += 1
            if (a == "-t" || a == "--tag"), k < argv.count { tags.append(argv[k]) }
            if a.hasPrefix("--tag=") { tags.append(String(a.dropFirst(6))) }
            if a == "-f" || a == "--file" { dockerfile = k < argv.count ? argv[k] : nil; k += 1; continue }
            if a.hasPrefix("--file=") { dockerfile = String(a.dropFirst(7)); continue }
            if a.hasPrefix("-f"), a.count > 2 { dockerfile = String(a.dropFirst(2)); continue }
            if a.hasPrefix("-") {
                if !a.containsEquals, dockerBuildValueOptions.contains(a) { k += 1 }
                continue
            }
            if context == nil { context = a }
        }
        guard let ctxArg = context, !ctxArg.contains("://"), ctxArg != "-" else { return nil }
        let ctx = repoJoin(dir, ctxArg)
        let df = dockerfile.map { repoJoin(dir, $0) } ?? repoJoin(ctx, "Dockerfile")
        return DockerBuildTarget(dockerfilePath: df, contextDirectory: ctx, tags: tags)
    }

    /// Joins repo-relative paths; `..` above the root is dropped; `""` is the root.
    public static func repoJoin(_ base: String, _ p: String) -> String {
        let c = DockerPath.clean(p.hasPrefix("/") ? String(p.dropFirst()) : (base.isEmpty ? p : base + "/" + p))
        var r = c
        while r.hasPrefix("../") { r = String(r.dropFirst(3)) }
        if r == "." || r == ".." { return "" }
        return r
    }
}
