import Foundation

/// Makes equal strings (and equal finding metadata) of different files share one storage: imported
/// modules, class bases, help texts and metadata repeat across thousands of files, and every
/// file's analysis lives until the project rules and passes are done. Only what outlives the analyser
/// goes through it, so memory grows with the distinct values, not with the files.
final class FactInterner: @unchecked Sendable {
    private var strings = Set<String>()
    private var metadata = Set<[String: MetadataValue]>()
    /// What import statements import (`from typing import Any, Dict, List, Optional`): the same few thousand
    /// targets in tens of thousands of statements, one object each.
    private var importTargets = Set<ImportTarget>()
    private let lock = NSLock()

    /// Strings of up to 15 UTF-8 bytes are stored inline in the `String` itself: nothing to share.
    private static let inlineLimit = 15

    private func string(_ s: String) -> String {
        guard s.utf8.count > Self.inlineLimit else { return s }
        if let existing = strings.firstIndex(of: s) { return strings[existing] }  // callers hold `lock`
        strings.insert(s)
        return s
    }

    private func string(_ s: String?) -> String? { s.map(string) }

    /// The analysis with its long-lived strings shared with earlier files'.
    func compact(_ analysis: consuming FileAnalysis) -> FileAnalysis {
        var a = analysis
        lock.lock()
        defer { lock.unlock() }
        if var python = a.python {
            a.python = nil  // the facts' arrays are uniquely referenced while they are rewritten
            for i in python.imports.indices {
                let target = python.imports[i].target
                if let existing = importTargets.firstIndex(of: target) {
                    python.imports[i] = python.imports[i].sharing(importTargets[existing])
                } else {
                    let shared = target.withStrings(string)
                    importTargets.insert(shared)
                    python.imports[i] = python.imports[i].sharing(shared)
                }
            }
            for i in python.classes.indices {
                python.classes[i].qualifiedName = string(python.classes[i].qualifiedName)
                python.classes[i].bases = python.classes[i].bases.map(string)
            }
            for i in python.calls.indices {
                python.calls[i].callee = string(python.calls[i].callee)
                python.calls[i].scope = string(python.calls[i].scope)
            }
            a.python = python
        }
        for i in a.findings.indices {
            a.findings[i].message = string(a.findings[i].message)
            a.findings[i].help = string(a.findings[i].help)
            a.findings[i].scope = string(a.findings[i].scope)
            // Anchors (`handler.requests.get`: enclosing functions and callee) repeat across files like scopes do.
            a.findings[i].anchor = string(a.findings[i].anchor)
            if !a.findings[i].metadata.isEmpty {
                let m = a.findings[i].metadata
                if let existing = metadata.firstIndex(of: m) { a.findings[i].metadata = metadata[existing] } else { metadata.insert(m) }
            }
        }
        return a
    }
}
