import FleetLintCore

/// A linear pre-scan of a declarative rule file before it reaches Yams (issue 15, found by the `yaml`
/// fuzz target). libyaml itself is linear, but Yams' composer is not: it sorts every mapping's keys to find
/// duplicates, and comparing two collection keys recurses into both sides twice per level, so a 1 KB file
/// of nested complex keys (`? - ? - …`) ran for minutes; and it composes nested collections recursively, so
/// very deep nesting can exhaust the stack. A rule file needs none of this: its keys are plain words and it
/// nests a few levels. So before composing, a file is rejected (a configuration error with the file, the
/// line and the fix, exit 2) when it
/// - is larger than `maxBytes`,
/// - nests deeper than `maxDepth` (block indentation levels, `-`/`?`/`:` indicators and flow brackets
///   counted together), or
/// - uses a key that is not a scalar: an explicit `? ` key, a flow collection as a key (`[a]: b`) or an
///   alias as a key (`*a: b`, which can stand for an arbitrarily deep collection).
/// Block scalars (`|`, `>`) and quoted scalars are skipped, so their contents never count.
enum DeclarativeRulePreflight {
    static let maxBytes = 1 << 20
    static let maxDepth = 64

    static func check(_ yaml: String, file: String) throws(ConfigurationError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(yaml.utf8.count, maxBytes + 1))
        for b in yaml.utf8 {
            bytes.append(b)
            if bytes.count > maxBytes { break }
        }
        if bytes.count > maxBytes {
            let line = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw ConfigurationError(file: file, line: line, message:
                "rule file is larger than \(maxBytes >> 20) MiB (the limit is reached on this line); "
                + "a declarative rule is a few lines of YAML: move long examples into fixtures or split the file")
        }
        var scanner = Scanner(bytes: bytes, file: file)
        try scanner.run()
    }

    private struct Scanner {
        let b: [UInt8]
        let file: String
        var i = 0
        var line = 1
        /// Open flow collections (`[`, `{`).
        var flow = 0
        /// Columns of the open block levels (line indentation and compact `- `/`? `/`: ` indicators).
        var block: [Int] = []
        /// Indentation of the line that opened a block scalar, while its content lines are skipped.
        var blockScalarParent: Int?

        init(bytes: [UInt8], file: String) { self.b = bytes; self.file = file }

        func fail(_ message: String) -> ConfigurationError { ConfigurationError(file: file, line: line, message: message) }

        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A || c == 0 }
        static func isFlowIndicator(_ c: UInt8) -> Bool { c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") }

        func checkDepth() throws(ConfigurationError) {
            let depth = block.count + flow
            if depth > DeclarativeRulePreflight.maxDepth {
                throw fail("YAML nests more than \(DeclarativeRulePreflight.maxDepth) levels deep here; "
                           + "a rule file needs only a few levels: flatten it (`id`, `message`, `kind`, … at the top, examples as a list of strings)")
            }
        }

        func nonScalarKey(_ what: String) -> ConfigurationError {
            fail("\(what) is used as a mapping key; rule files take only plain keys such as `id:` or `regex:`: "
                 + "write the key as a plain or quoted string")
        }

        /// Skips a quoted scalar starting at `i` (which holds the quote); counts the lines it spans.
        mutating func skipQuoted() {
            let quote = b[i]
            i += 1
            while i < b.count {
                let c = b[i]
                if c == 0x0A { line += 1 }
                if quote == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") { i += 2; continue }
                if c == quote {
                    if quote == UInt8(ascii: "'") && at(i + 1) == quote { i += 2; continue }
                    i += 1
                    return
                }
                i += 1
            }
        }

        mutating func skipToLineEnd() { while i < b.count && b[i] != 0x0A { i += 1 } }

        /// After a closing bracket, an alias or a quoted scalar: a following `:` makes it a key.
        func followedByColon(from k0: Int) -> Bool {
            var k = k0
            while k < b.count && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
            return at(k) == UInt8(ascii: ":") && (flow > 0 || Self.isBlank(at(k + 1)))
        }

        mutating func run() throws(ConfigurationError) {
            while i < b.count {
                // Start of a line: indentation.
                var col = 0
                while i < b.count && b[i] == 0x20 { i += 1; col += 1 }
                guard i < b.count else { break }
                if b[i] == 0x0A { i += 1; line += 1; continue }
                if let parent = blockScalarParent {
                    if col > parent || b[i] == 0x0D { skipToLineEnd(); continue }
                    blockScalarParent = nil
                }
                if b[i] == UInt8(ascii: "#") { skipToLineEnd(); continue }
                // A document marker (`--- `, `... `) may carry a node on the same line.
                if col == 0, flow == 0, (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: ".")), at(i + 1) == b[i], at(i + 2) == b[i], Self.isBlank(at(i + 3)) {
                    block.removeAll()
                    i += 3
                    col = 3
                }
                if flow == 0 {
                    while let top = block.last, top > col { block.removeLast() }
                    if block.last != col { block.append(col) }
                    try checkDepth()
                }
                try scanLine(indent: col)
                if i < b.count { i += 1; line += 1 }  // the newline
            }
        }

        /// The rest of one line (a flow collection or a quoted scalar may continue onto later lines).
        mutating func scanLine(indent: Int) throws(ConfigurationError) {
            var nodeStart = true
            let lineStart = i - indent
            while i < b.count && b[i] != 0x0A {
                let c = b[i]
                if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
                if c == UInt8(ascii: "#") && (i == lineStart || Self.isBlank(b[i - 1])) { skipToLineEnd(); return }
                if nodeStart {
                    if (c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")) && (Self.isBlank(at(i + 1)) || (flow > 0 && Self.isFlowIndicator(at(i + 1)))) {
                        if c == UInt8(ascii: "?") { throw nonScalarKey("an explicit key (`? `)") }
                        if flow == 0 && c != UInt8(ascii: ":") {
                            block.append(i - lineStart + 1)
                            try checkDepth()
                        }
                        i += 1
                        continue
                    }
                    if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                        flow += 1
                        try checkDepth()
                        i += 1
                        continue
                    }
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        skipQuoted()
                        nodeStart = false
                        continue
                    }
                    if c == UInt8(ascii: "&") || c == UInt8(ascii: "!") {  // anchor or tag: the node follows
                        while i < b.count && !Self.isBlank(b[i]) && !(flow > 0 && Self.isFlowIndicator(b[i])) { i += 1 }
                        continue
                    }
                    if c == UInt8(ascii: "*") {
                        i += 1
                        while i < b.count && !Self.isBlank(b[i]) && !(flow > 0 && Self.isFlowIndicator(b[i])) { i += 1 }
                        // An alias name may end in `:`, so `*a:` is a key too.
                        if b[i - 1] == UInt8(ascii: ":") || followedByColon(from: i) { throw nonScalarKey("an alias (`*name`)") }
                        nodeStart = false
                        continue
                    }
                    if flow == 0 && (c == UInt8(ascii: "|") || c == UInt8(ascii: ">")) {
                        blockScalarParent = indent
                        skipToLineEnd()
                        return
                    }
                    nodeStart = false  // a plain scalar starts here
                }
                if flow > 0 {
                    switch c {
                    case UInt8(ascii: ","): nodeStart = true
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        flow += 1
                        try checkDepth()
                        nodeStart = true
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        flow = max(0, flow - 1)
                        if followedByColon(from: i + 1) { throw nonScalarKey("a collection (`[…]` or `{…}`)") }
                    case UInt8(ascii: ":"): nodeStart = true
                    default: break
                    }
                    i += 1
                    continue
                }
                if c == UInt8(ascii: ":") && Self.isBlank(at(i + 1)) { nodeStart = true }
                i += 1
            }
        }
    }
}
