import FleetLintSyntax

extension PythonSemanticModel {
    /// The qualified name of the code a call sits in (`Client.fetch`, `outer.inner`), or nil at module
    /// level. Set as `Finding.scope`: baselines count a finding's occurrences within it.
    func scopeName(of call: PyCallRecord) -> String? {
        // `enclosingFunctions` builds its array on each read: read once.
        let enclosing = call.enclosingFunctions
        guard !enclosing.isEmpty else { return nil }
        var pieces: [String] = []
        pieces.reserveCapacity(enclosing.count * 4)
        for def in enclosing {
            if !pieces.isEmpty { pieces.append(".") }
            if let owner = function(def)?.enclosingClass {
                pieces.append(owner.name)
                pieces.append(".")
            }
            pieces.append(def.name)
        }
        // A plain function's own name is the answer (shared, not copied).
        return pieces.count == 1 ? pieces[0] : String(concatenating: pieces)
    }
}

extension PyCallRecord {
    /// The names of the enclosing functions and `last`, joined by dots (`fetch.inner.requests.get`): the
    /// anchor of a finding on this call, built in one buffer (it is made for every finding).
    func anchor(ending last: String) -> String {
        // `enclosingFunctions` builds its array on each read: read once.
        let enclosing = enclosingFunctions
        guard !enclosing.isEmpty else { return last }
        var pieces: [String] = []
        pieces.reserveCapacity(enclosing.count * 2 + 1)
        for f in enclosing {
            pieces.append(f.name)
            pieces.append(".")
        }
        pieces.append(last)
        return String(concatenating: pieces)
    }
}

extension String {
    /// `pieces` end to end, in one allocation: each piece's UTF-8 copied in place. Rules build a message, an
    /// anchor and a scope for every finding, and `+=` costs ~350 instructions a piece even into reserved capacity.
    init(concatenating pieces: [String]) {
        var count = 0
        for p in pieces { count += p.utf8.count }
        self.init(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            for var p in pieces {
                p.withUTF8 { bytes in
                    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
                    (buffer.baseAddress! + at).update(from: source, count: bytes.count)
                    at += bytes.count
                }
            }
            return at
        }
    }
}
