import FleetLintSyntax

extension PythonSemanticModel {
    /// The qualified name of the code a call sits in (`Client.fetch`, `outer.inner`), or nil at module
    /// level. Set as `Finding.scope`: baselines count a finding's occurrences within it.
    func scopeName(of call: PyCallRecord) -> String? {
        // `enclosingFunctions` builds its array on each read: read once.
        let enclosing = call.enclosingFunctions
        guard !enclosing.isEmpty else { return nil }
        return enclosing.map { def -> String in
            let owner = functions.first { $0.def === def }?.enclosingClass
            return owner.map { "\($0.name).\(def.name)" } ?? def.name
        }.joined(separator: ".")
    }
}

extension PyCallRecord {
    /// The names of the enclosing functions and `last`, joined by dots (`fetch.inner.requests.get`): the
    /// anchor of a finding on this call, built in one buffer (it is made for every finding).
    func anchor(ending last: String) -> String {
        // `enclosingFunctions` builds its array on each read: read once.
        let enclosing = enclosingFunctions
        var count = last.utf8.count
        for f in enclosing { count += f.name.utf8.count + 1 }
        var out = ""
        out.reserveCapacity(count)
        for f in enclosing {
            out += f.name
            out += "."
        }
        out += last
        return out
    }
}
