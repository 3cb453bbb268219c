import FleetLintCore

// Which words a Python file must contain for a rule to need its full syntax tree. A qualified name can
// only resolve to `a.b.Client` if the file imports `a.b` (or names `b`) somewhere, so the module's last
// component must occur in its bytes; files without any of the enabled rules' words get an imports-only
// analysis. Kept apart from the rules so that their files stay about what they detect.

extension UnpooledClientRule: PythonKeywordGated {
    public var pythonKeywords: [String] {
        Array(Set(callees.compactMap { callee -> String? in
            let parts = callee.split(separator: ".")
            return parts.count >= 2 ? String(parts[parts.count - 2]) : parts.last.map(String.init)
        })).sorted()
    }
}

extension FixedSleepRetryRule: PythonKeywordGated {
    /// Sleeps (`time.sleep`, `asyncio.sleep`) and the retry libraries (tenacity, backoff, retrying).
    public var pythonKeywords: [String] { ["sleep", "tenacity", "backoff", "retry", "retrying", "wait_"] }
}

extension DeclarativeRule: PythonKeywordGated {
    /// `python-call` rules name their callees; any other matcher always needs the parse (the empty word).
    public var pythonKeywords: [String] {
        guard let calls = matcher as? PythonCallMatcher else { return [""] }
        return Array(Set(calls.callees.compactMap { callee -> String? in
            let parts = callee.split(separator: ".")
            return parts.count >= 2 ? String(parts[parts.count - 2]) : parts.last.map(String.init)
        })).sorted()
    }
}

/// `parse-error` reads the parser's problems only: files without any gated rule's keyword are parsed
/// for them without building the semantic model.
extension ParseErrorRule: PythonParseProblemsOnly {}
