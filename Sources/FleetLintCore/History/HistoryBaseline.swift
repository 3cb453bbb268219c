/// A baseline applied to history findings. A history finding stands for a secret (or an env file)
/// across every commit and path, so an entry accepts it when the rule and the code hash agree —
/// whatever the entry's path and occurrence. For secrets the code hash is that of the rule's anchor,
/// `secret:<sha256 of the secret>`, exactly as `check` writes it: an entry made on the working tree
/// (`fleetlint baseline create`) also covers the same secret in every commit of history.
public enum HistoryBaseline {
    public static func apply(_ findings: [Finding], baseline: Baseline) -> (new: [Finding], matched: Int) {
        var accepted = Set<String>()
        for e in baseline.entries { accepted.insert(e.rule + "\u{1F}" + e.code) }
        var new: [Finding] = []
        var matched = 0
        for f in findings {
            // History findings never show source, so the code hash is the anchor's.
            let code = BaselineEntry.codeHash(f, sourceLine: { _ in nil })
            if accepted.contains(f.ruleID + "\u{1F}" + code) { matched += 1 } else { new.append(f) }
        }
        return (new, matched)
    }
}
