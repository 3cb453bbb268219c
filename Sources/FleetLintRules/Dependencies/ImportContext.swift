import FleetLintCore
import FleetLintSyntax

/// What the per-file import facts do not say, read from the syntax tree of the few files that have a
/// candidate `missing-dependency` finding: which imports are the fallback branch of a `try` whose body
/// imports a module the target Python always has, and whether the file extends `sys.path`.
struct ImportContext {
    /// Start lines of import statements inside an `except` handler of a `try` whose body imports a standard
    /// library module (`try: import zoneinfo` / `except ImportError: import pytz`): dead code on the target.
    var deadFallbackLines: Set<Int> = []
    /// `sys.path.insert(…)`, `sys.path.append(…)`, `sys.path.extend(…)`, `sys.path = …`, `site.addsitedir(…)`.
    var extendsSysPath = false

    /// Reads the file's tree; `isStandardLibrary` answers for a top-level module on the target Python.
    init(source: [UInt8], isStandardLibrary: (String) -> Bool) {
        let module = PythonParser.parse(source)
        var dead = Set<Int>()
        var sysPath = false
        func importedModules(_ s: PyStmt) -> [String] {
            switch s.kind {
            case .import(let names): return names.map(\.name)
            case .importFrom(let m, _, let level): return level == 0 ? [m ?? ""] : []
            default: return []
            }
        }
        func isSysPath(_ e: PyExpr) -> Bool {
            if case .attribute(let v, "path") = e.kind, case .name("sys") = v.kind { return true }
            return false
        }
        PyWalker.walk(module.body) { node, _ in
            switch node {
            case .stmt(let s):
                switch s.kind {
                case .try(let body, let handlers, _, _, _):
                    let guarded = body.flatMap(importedModules)
                    if !guarded.isEmpty, guarded.allSatisfy({ !$0.isEmpty && isStandardLibrary($0) }) {
                        for h in handlers {
                            PyWalker.walk(h.body) { inner, _ in
                                if case .stmt(let x) = inner, !importedModules(x).isEmpty { dead.insert(x.range.start.line) }
                                return true
                            }
                        }
                    }
                case .assign(let targets, _):
                    if targets.contains(where: isSysPath) { sysPath = true }
                case .augAssign(let target, _, _):
                    if isSysPath(target) { sysPath = true }
                default: break
                }
            case .expr(let e):
                if case .call(let f, _, _) = e.kind, case .attribute(let v, let attr) = f.kind {
                    if isSysPath(v), ["insert", "append", "extend"].contains(attr) { sysPath = true }
                    if attr == "addsitedir", case .name("site") = v.kind { sysPath = true }
                }
            case .handler:
                break
            }
            return true
        }
        deadFallbackLines = dead
        extendsSysPath = sysPath
    }
}
