// Finds where keys and array elements sit in TOML source bytes (TOMLKit gives values, not positions).
// TOML 1.0: https://toml.io/en/v1.0.0

/// Byte ranges of every value in a TOML document, by its path (`["project", "dependencies", "0"]`).
///
/// Paths are interned as the nodes of a trie (a node is its parent node and its last part), so recording a value
/// costs its own key parts, not its whole path: a path string built per value made every value below a long table
/// header, and every element of an array under a long key, cost that header's or key's length again (quadratic: a
/// 40 KB file of one 8 KB header and 4,000 array elements took seconds; fuzz: pyproject, probed at scale).
struct TOMLLocator {
    private struct Node: Hashable { var parent: Int; var part: String }
    /// Node ids by (parent, part); the root (the empty path) is 0.
    private var nodes: [Node: Int] = [:]
    private var ranges: [Int: Range<Int>] = [:]
    /// Byte range of the first header of each table (`[tool.poetry.dependencies]`), by node.
    private var headers: [Int: Range<Int>] = [:]
    private let t: [UInt8]
    private var i = 0
    private var arrayTableCounts: [Int: Int] = [:]

    init(_ bytes: [UInt8]) {
        t = bytes
        if SourceText.hasUTF8BOM(bytes) { i = 3 }
        scanDocument()
    }

    /// The range of the value at `path`.
    func range(_ path: [String]) -> Range<Int>? { node(path).flatMap { ranges[$0] } }
    /// The range of the first header of the table at `path`.
    func header(_ path: [String]) -> Range<Int>? { node(path).flatMap { headers[$0] } }

    private func node(_ path: [String]) -> Int? {
        var id = 0
        for part in path {
            guard let next = nodes[Node(parent: id, part: part)] else { return nil }
            id = next
        }
        return id
    }

    private mutating func child(_ parent: Int, _ part: String) -> Int {
        let key = Node(parent: parent, part: part)
        if let id = nodes[key] { return id }
        let id = nodes.count + 1
        nodes[key] = id
        return id
    }

    private mutating func child(_ parent: Int, _ parts: [String]) -> Int {
        var id = parent
        for part in parts { id = child(id, part) }
        return id
    }

    private var n: Int { t.count }

    private mutating func skipBlank() { while i < n, t[i] == 0x20 || t[i] == 0x09 { i += 1 } }
    private mutating func skipComment() { if i < n, t[i] == 0x23 { while i < n, t[i] != 0x0A { i += 1 } } }
    private mutating func skipAll() {
        while i < n {
            let c = t[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else if c == 0x23 { skipComment() } else { break }
        }
    }
    private mutating func skipLine() { while i < n, t[i] != 0x0A { i += 1 } }

    private mutating func scanDocument() {
        var table = 0
        while i < n {
            skipAll()
            guard i < n else { break }
            let start = i
            if t[i] == 0x5B {
                let isArray = i + 1 < n && t[i + 1] == 0x5B
                i += isArray ? 2 : 1
                skipBlank()
                let keys = parseKey()
                skipBlank()
                i += isArray ? 2 : 1
                skipLine()
                if isArray {
                    let k = child(0, keys)
                    let idx = arrayTableCounts[k, default: 0]
                    arrayTableCounts[k] = idx + 1
                    table = child(k, String(idx))
                } else {
                    table = child(0, keys)
                }
                if headers[table] == nil { headers[table] = start..<i }
                continue
            }
            let keys = parseKey()
            if keys.isEmpty { skipLine(); continue }
            skipBlank()
            guard i < n, t[i] == 0x3D else { skipLine(); continue }
            i += 1
            skipBlank()
            parseValue(child(table, keys))
            skipBlank(); skipComment()
        }
    }

    private mutating func parseKey() -> [String] {
        var parts: [String] = []
        while i < n {
            skipBlank()
            guard i < n else { break }
            let c = t[i]
            if c == 0x22 || c == 0x27 {
                let s = i + 1
                i += 1
                var v: [UInt8] = []
                while i < n, t[i] != c, t[i] != 0x0A {
                    if c == 0x22, t[i] == 0x5C, i + 1 < n { v.append(t[i + 1]); i += 2; continue }
                    v.append(t[i]); i += 1
                }
                _ = s
                i += 1
                parts.append(String(decoding: v, as: UTF8.self))
            } else {
                let s = i
                while i < n, t[i] == 0x5F || t[i] == 0x2D || (t[i] | 0x20) >= 0x61 && (t[i] | 0x20) <= 0x7A || t[i] >= 0x30 && t[i] <= 0x39 { i += 1 }
                if i == s { break }
                parts.append(String(decoding: t[s..<i], as: UTF8.self))
            }
            skipBlank()
            if i < n, t[i] == 0x2E { i += 1; continue }
            break
        }
        return parts
    }

    /// Records the value at `i` (and the values inside it) for the path node `path`.
    private mutating func parseValue(_ path: Int) {
        let s = i
        guard i < n else { return }
        let c = t[i]
        if c == 0x22 || c == 0x27 {
            if i + 2 < n, t[i + 1] == c, t[i + 2] == c {
                i += 3
                while i < n {
                    if c == 0x22, t[i] == 0x5C { i += 2; continue }
                    if t[i] == c, i + 2 < n, t[i + 1] == c, t[i + 2] == c {
                        i += 3
                        while i < n, t[i] == c { i += 1 }
                        break
                    }
                    i += 1
                }
            } else {
                i += 1
                while i < n, t[i] != c, t[i] != 0x0A {
                    if c == 0x22, t[i] == 0x5C { i += 1 }
                    i += 1
                }
                if i < n, t[i] == c { i += 1 }
            }
        } else if c == 0x5B {
            i += 1
            var idx = 0
            while i < n {
                skipAll()
                guard i < n else { break }
                if t[i] == 0x5D { i += 1; break }
                if t[i] == 0x2C { i += 1; continue }
                let before = i
                parseValue(child(path, String(idx)))
                idx += 1
                if i == before { i += 1 }
            }
        } else if c == 0x7B {
            i += 1
            while i < n {
                skipBlank()
                guard i < n, t[i] != 0x0A else { break }
                if t[i] == 0x7D { i += 1; break }
                if t[i] == 0x2C { i += 1; continue }
                let keys = parseKey()
                if keys.isEmpty { i += 1; continue }
                skipBlank()
                guard i < n, t[i] == 0x3D else { break }
                i += 1
                skipBlank()
                parseValue(child(path, keys))
            }
        } else {
            while i < n, t[i] != 0x2C, t[i] != 0x5D, t[i] != 0x7D, t[i] != 0x0A, t[i] != 0x0D, t[i] != 0x23 { i += 1 }
            var e = i
            while e > s, t[e - 1] == 0x20 || t[e - 1] == 0x09 { e -= 1 }
            ranges[path] = s..<e
            return
        }
        ranges[path] = s..<i
    }
}
