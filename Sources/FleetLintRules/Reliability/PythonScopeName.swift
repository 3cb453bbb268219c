import FleetLintSyntax

extension PythonSemanticModel {
    /// The qualified name of the code a call sits in (`Client.fetch`, `outer.inner`), or nil at module
    /// level. Set as `Finding.scope`: baselines count a finding's occurrences within it.
    func scopeName(of call: PyCallRecord) -> String? {
        guard !call.enclosingFunctions.isEmpty else { return nil }
        return call.enclosingFunctions.map { def -> String in
            let owner = functions.first { $0.def === def }?.enclosingClass
            return owner.map { "\($0.name).\(def.name)" } ?? def.name
        }.joined(separator: ".")
    }
}
