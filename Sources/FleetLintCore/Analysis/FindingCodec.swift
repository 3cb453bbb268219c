import Foundation
import FleetLintSyntax
#if canImport(Glibc)
import Glibc
#endif

/// A compact binary form of findings, applied suppressions and summaries, for the run memo (decoding it
/// as JSON through `Codable` was the largest cost of a warm run). Strings are interned per document: a
/// rule id, path, help text or message repeated across findings is stored, decoded and allocated once.
/// A truncated or corrupt document throws; callers then recompute and never trust it.
struct FindingCodec {
    static let marker: UInt8 = 0x46  // "F"
    static let version: UInt8 = 2  // 2: fingerprints written as literals (-2), not interned
    /// Metadata nests (arrays of objects); a corrupt document must not recurse without bound.
    static let maxDepth = 32

    struct Encoder: ~Copyable {
        var w: FactsCodec.Writer
        private var interned = Interner()

        /// A document starting with `marker` (a form that embeds findings may use its own); `capacity`, the
        /// bytes expected, is reserved up front (a per-file entry grew its array from empty several times).
        /// `strings`: about how many strings the document will intern (a run memo's findings hold a few each); it
        /// sizes the identity table below.
        init(marker: UInt8 = FindingCodec.marker, capacity: Int = 256, strings: Int = 0) {
            w = FactsCodec.Writer(capacity: capacity)
            w.byte(marker)
            w.byte(FindingCodec.version)
            var bits = 5
            while bits < 14 && 1 << bits < strings { bits += 1 }
            identityShift = UInt64(64 - bits)
            identity = [UInt64](repeating: 0, count: 3 << bits)
        }

        /// The strings last added to the table, by their representation (`String`'s two words), direct-mapped:
        /// three words a slot (the representation, the index + 1; 0 is empty). Equal strings of a run mostly share
        /// one storage (`FactInterner`), so a repeat is found by two word compares, not by hashing its bytes
        /// (`Interner.index(of:)`, a third of a cold run's cache writes). Only strings the table holds are recorded:
        /// their storage stays alive, so the same words are the same bytes for the encoder's whole life. 32 slots
        /// for a file's entry; a run memo's, with every finding of the run, gets up to 16,384 (with 32, most of its
        /// repeats were found by hashing their bytes: the 1x tree's memo took 36 M instructions to encode, now 19 M).
        private var identity: [UInt64]
        private let identityShift: UInt64
        /// Findings' messages, anchors and scopes written as literals, not interned: in one file's entry they rarely
        /// repeat (a message names its function, an anchor is a hash), and each one hashed its bytes into the table
        /// for nothing. The run memo, whose messages repeat across files, interns them.
        var literalText = false
        /// Where a finding's metadata table is encoded once per run and copied after (a per-file entry's tables
        /// written with literal strings, which need no document's string table): nil encodes each table here.
        var metadataBytes: MetadataBytes?

        /// An interned string: its index when seen before, else `-1` then the string.
        mutating func string(_ s: String) {
            if literalStrings { literal(s); return }
            let words = unsafeBitCast(s, to: (UInt64, UInt64).self)
            let slot = 3 * Int(truncatingIfNeeded: ((words.0 ^ (words.1 >> 4)) &* 0x9E37_79B9_7F4A_7C15) >> identityShift)
            if identity[slot + 2] != 0 && identity[slot] == words.0 && identity[slot + 1] == words.1 {
                w.int(Int(identity[slot + 2]) - 1)
                return
            }
            if let i = interned.index(of: s) { w.int(i); return }
            // Added to the table as index `count - 1`.
            identity[slot] = words.0
            identity[slot + 1] = words.1
            identity[slot + 2] = UInt64(interned.count)
            w.int(-1)
            w.string(s)
        }
        mutating func optional(_ s: String?) {
            if let s { w.bool(true); string(s) } else { w.bool(false) }
        }
        /// A finding's message, anchor or scope: a literal with `literalText`, else interned.
        private mutating func text(_ s: String) { if literalText { literal(s) } else { string(s) } }
        private mutating func optionalText(_ s: String?) {
            if let s { w.bool(true); text(s) } else { w.bool(false) }
        }
        /// A string that is not interned (`-2` then the string): one that never repeats, such as a
        /// fingerprint, would only grow the table.
        mutating func literal(_ s: String) {
            w.int(-2)
            w.string(s)
        }
        mutating func range(_ r: SourceRange) { w.range(r) }

        mutating func metadata(_ v: MetadataValue) {
            switch v {
            case .string(let s): w.int(0); string(s)
            case .int(let i): w.int(1); w.int(i)
            case .bool(let b): w.int(2); w.bool(b)
            case .array(let a):
                w.int(3); w.int(a.count)
                for e in a { metadata(e) }
            case .object(let o):
                w.int(4)
                metadataTable(o)
            }
        }

        mutating func finding(_ f: UnsafePointer<Finding>) {
            // Field by field in place (`f.pointee` bound to a name is a copy of the whole finding).
            string(f.pointee.ruleID); w.int(f.pointee.severity.code); text(f.pointee.message)
            optional(f.pointee.help); string(f.pointee.path); range(f.pointee.range)
            w.int(f.pointee.related.count)
            for r in f.pointee.related { string(r.path); range(r.range); string(r.note) }
            metadataTable(f.pointee.metadata)
            optionalText(f.pointee.anchor); optionalText(f.pointee.scope); literal(f.pointee.fingerprint)
            optional(f.pointee.sourceLine); w.bool(f.pointee.showsSource)
        }

        /// A finding's metadata in key order: the pairs sorted once, no lookup per key (most tables have one
        /// or two entries). With `metadataBytes`, a table is written with literal strings, once per run: the
        /// equal tables of different files share one storage (`FactInterner`), whose bytes are then copied.
        mutating func metadataTable(_ m: [String: MetadataValue]) {
            if !m.isEmpty, let memo = metadataBytes {
                memo.withBytes(of: m) { w.raw($0) }
                return
            }
            w.int(m.count)
            switch m.count {
            case 0: return
            case 1: for (k, v) in m { string(k); metadata(v) }
            case 2...16:
                // A few pairs, sorted by insertion on the stack: no array, no lookup per key (keys are distinct).
                withUnsafeTemporaryAllocation(of: (key: String, value: MetadataValue).self, capacity: m.count) { buf in
                    var n = 0
                    for pair in m {
                        (buf.baseAddress! + n).initialize(to: pair)
                        var j = n
                        while j > 0 && buf[j].key < buf[j - 1].key { buf.swapAt(j, j - 1); j -= 1 }
                        n += 1
                    }
                    for i in 0..<n {
                        let pair = (buf.baseAddress! + i).move()  // taken out: nothing left to destroy generically
                        string(pair.key)
                        metadata(pair.value)
                    }
                }
            default: for (k, v) in m.sorted(by: { $0.key < $1.key }) { string(k); metadata(v) }
            }
        }

        /// `metadataTable(m)` with every string a literal: bytes that mean the same in any document.
        static func literalMetadataTable(_ m: [String: MetadataValue]) -> [UInt8] {
            var e = Encoder(literalFragment: ())
            e.metadataTable(m)
            return e.w.bytes
        }
        /// Every interned string written as a literal (for `literalMetadataTable`).
        private var literalStrings = false

        /// A fragment of a document (no marker, no version) whose strings are all literals: it interns nothing, so it
        /// has no identity table either.
        private init(literalFragment: ()) {
            w = FactsCodec.Writer(capacity: 64)
            literalStrings = true
            identityShift = 64
            identity = []
        }

        /// `afterEach`: called between findings with the writer (the run memo writes its bytes out there).
        mutating func findings(_ fs: [Finding], afterEach: (inout FactsCodec.Writer) -> Void = { _ in }) {
            w.int(fs.count)
            // By pointer into the buffer: `for f in fs`, or `b[i]` passed as a value, copied every finding (a retain
            // and a release per field).
            fs.withUnsafeBufferPointer { b in
                for i in b.indices {
                    finding(b.baseAddress! + i)
                    afterEach(&w)
                }
            }
        }

        mutating func suppressions(_ s: [AppliedSuppression]) {
            w.int(s.count)
            for a in s { string(a.rule); string(a.path); w.int(a.line); optional(a.reason) }
        }

        mutating func counts(_ d: [String: Int]) {
            w.int(d.count)
            for k in d.keys.sorted() { string(k); w.int(d[k]!) }
        }

        mutating func summary(_ s: LintSummary) {
            w.int(s.files); counts(s.findingsByRule); w.int(s.parseErrors); counts(s.skipped)
            w.int(s.skippedFiles.count)
            for f in s.skippedFiles { string(f.path); string(f.reason) }
        }

        var bytes: [UInt8] { w.bytes }
    }

    struct Decoder {
        var r: FactsCodec.Reader
        private(set) var table: [String] = []
        /// The strings the document has added to the table (`-1`) up to here.
        private(set) var added = 0
        /// Decoding one finding again from a document decoded once before (`EncodedFindings`): its table is
        /// complete, and a string the document adds is the table's entry `added`, not appended a second time.
        private var replaying = false
        /// Reading findings only to check them and to build the string table (`RunMemo.decode` before keeping them
        /// encoded): literal strings and metadata are read but not built, and come back empty.
        var skims = false
        /// The last few metadata values decoded, by their encoded bytes: findings of one rule mostly repeat the same
        /// metadata, which is then shared (one dictionary, not one per finding) and not rebuilt.
        private var recentMetadata: [(bytes: Range<Int>, value: [String: MetadataValue])] = []

        init(_ bytes: ArraySlice<UInt8>, marker: UInt8 = FindingCodec.marker) throws {
            r = FactsCodec.Reader(bytes)
            guard try r.byte() == marker, try r.byte() == FindingCodec.version else { throw FactsCodec.Reader.Corrupt() }
        }

        /// Replays the finding at byte `start` of `bytes`, a document decoded before up to there with `added`
        /// strings added to its (now complete) `table`.
        init(replaying bytes: ArraySlice<UInt8>, at start: Int, table: [String], added: Int) {
            r = FactsCodec.Reader(bytes)
            r.i = start
            self.table = table
            self.added = added
            replaying = true
        }

        mutating func string() throws -> String {
            let i = try r.int()
            if i == -1 {
                if replaying {
                    try r.skipString()
                    guard added < table.count else { throw FactsCodec.Reader.Corrupt() }
                    added += 1
                    return table[added - 1]
                }
                let s = try r.string()
                table.append(s)
                added += 1
                return s
            }
            if i == -2 {
                if skims { try r.skipString(); return "" }
                return try r.string()
            }
            guard i >= 0, i < table.count else { throw FactsCodec.Reader.Corrupt() }
            return table[i]
        }
        mutating func optional() throws -> String? { try r.bool() ? try string() : nil }
        mutating func range() throws -> SourceRange { try r.range() }

        mutating func metadata(depth: Int = 0) throws -> MetadataValue {
            guard depth < FindingCodec.maxDepth else { throw FactsCodec.Reader.Corrupt() }
            switch try r.int() {
            case 0: return .string(try string())
            case 1: return .int(try r.int())
            case 2: return .bool(try r.bool())
            case 3:
                var a: [MetadataValue] = []
                for _ in 0..<(try r.count()) {
                    let v = try metadata(depth: depth + 1)
                    if !skims { a.append(v) }
                }
                return .array(a)
            case 4:
                var o: [String: MetadataValue] = [:]
                for _ in 0..<(try r.count()) {
                    let k = try string(), v = try metadata(depth: depth + 1)
                    if !skims { o[k] = v }
                }
                return .object(o)
            default: throw FactsCodec.Reader.Corrupt()
            }
        }

        mutating func finding() throws -> Finding {
            let ruleID = try string()
            guard let severity = Severity(code: try r.int()) else { throw FactsCodec.Reader.Corrupt() }
            let message = try string(), help = try optional(), path = try string(), range = try range()
            var related: [RelatedLocation] = []
            for _ in 0..<(try r.count()) { related.append(RelatedLocation(path: try string(), range: try self.range(), note: try string())) }
            let metadata = try metadataTable()
            var f = Finding(
                ruleID: ruleID, severity: severity, message: message, help: help, path: path, range: range, related: related,
                metadata: metadata, anchor: try optional(), scope: try optional())
            f.fingerprint = try string()
            f.sourceLine = try optional()
            f.showsSource = try r.bool()
            return f
        }

        /// Reads past one finding exactly as `finding()` reads it (checking it, adding the strings it brings to the
        /// table), without building it: its rule id and severity only. With `skims` (literals and metadata not built), a
        /// run memo of 90,000 findings was read ~25 % faster than through `finding()`, whose `Finding` was made, copied
        /// and destroyed per finding. The run memo tests (`EngineTests`: a memo read back replays each finding from where
        /// this left it) and `CacheCodecTests.mixedWithoutFindings` (damaged entries refused alike) check that both read
        /// the same bytes.
        mutating func skimFinding() throws -> (rule: String, severity: Severity) {
            let ruleID = try string()
            guard let severity = Severity(code: try r.int()) else { throw FactsCodec.Reader.Corrupt() }
            _ = try string(); _ = try optional(); _ = try string(); _ = try range()  // message, help, path, range
            for _ in 0..<(try r.count()) { _ = try string(); _ = try range(); _ = try string() }  // related
            _ = try metadataTable()
            _ = try optional(); _ = try optional()  // anchor, scope
            _ = try string(); _ = try optional(); _ = try r.bool()  // fingerprint, source line, showsSource
            return (ruleID, severity)
        }

        /// A finding's metadata table; a repeat of recently decoded bytes is the earlier value. Only values whose
        /// decoding added nothing to the string table are reused (skipping a decode must not skip a table entry).
        mutating func metadataTable() throws -> [String: MetadataValue] {
            let start = r.i, tableCount = added
            let n = try r.count()
            if n == 0 { return [:] }
            for k in recentMetadata.indices.reversed() {
                let known = recentMetadata[k].bytes
                guard known.count <= r.bytes.endIndex - start,
                      r.bytes[start..<(start + known.count)].elementsEqual(r.bytes[known]) else { continue }
                r.i = start + known.count
                return recentMetadata[k].value
            }
            var metadata: [String: MetadataValue] = [:]
            if !skims { metadata.reserveCapacity(n) }
            for _ in 0..<n {
                let k = try string(), v = try self.metadata()
                if !skims { metadata[k] = v }
            }
            if added == tableCount {
                if recentMetadata.count == 8 { recentMetadata.removeFirst() }
                recentMetadata.append((start..<r.i, metadata))
            }
            return metadata
        }

        mutating func findings() throws -> [Finding] {
            let n = try r.count()
            var out: [Finding] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try finding()) }
            return out
        }

        /// Reads past the findings, checking them and adding the strings they bring to the table (later fields refer
        /// to them), without building them (`skims`).
        mutating func skipFindings() throws {
            let was = skims
            skims = true
            defer { skims = was }
            for _ in 0..<(try r.count()) { _ = try skimFinding() }
        }

        mutating func suppressions() throws -> [AppliedSuppression] {
            var out: [AppliedSuppression] = []
            for _ in 0..<(try r.count()) {
                out.append(AppliedSuppression(rule: try string(), path: try string(), line: try r.int(), reason: try optional()))
            }
            return out
        }

        mutating func counts() throws -> [String: Int] {
            var d: [String: Int] = [:]
            for _ in 0..<(try r.count()) { let k = try string(); d[k] = try r.int() }
            return d
        }

        mutating func summary() throws -> LintSummary {
            var s = LintSummary()
            s.files = try r.int(); s.findingsByRule = try counts(); s.parseErrors = try r.int(); s.skipped = try counts()
            for _ in 0..<(try r.count()) { s.skippedFiles.append(SkippedFile(path: try string(), reason: try string())) }
            return s
        }

        var atEnd: Bool { r.i == r.bytes.endIndex }
    }
}

extension FindingCodec {
    /// A run's metadata tables, encoded (`Encoder.literalMetadataTable`) by the storage of the table: the tables of a
    /// run's findings repeat across files (one per callee, context and loop), and `FactInterner` makes equal ones share
    /// a storage; sorting and writing each table again was ~4,000 instructions a finding of a cold run's cache writes.
    /// Each table is held with its bytes, so its storage is not freed and reused for another table while the memo
    /// lives (the cache's, for one run). Up to `limit` tables; past it, a table is encoded each time it is written.
    final class MetadataBytes: @unchecked Sendable {
        static let limit = 65_536
        private let lock = NSLock()
        private var byStorage: [UnsafeRawPointer: (table: [String: MetadataValue], bytes: [UInt8])] = [:]

        init() {}

        /// `body` over the encoded bytes of `m` (not empty).
        func withBytes(of m: [String: MetadataValue], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
            guard let storage = m.storageIdentity else { return Encoder.literalMetadataTable(m).withUnsafeBufferPointer(body) }
            lock.lock()
            let known = byStorage[storage]?.bytes
            lock.unlock()
            if let known { known.withUnsafeBufferPointer(body); return }
            let bytes = Encoder.literalMetadataTable(m)
            lock.lock()
            if byStorage.count < Self.limit { byStorage[storage] = (m, bytes) }
            lock.unlock()
            bytes.withUnsafeBufferPointer(body)
        }
    }
}

extension FindingCodec {
    /// The string table of one encoded document: the index of a string seen before, else nil (and the string
    /// is added with the next index). Strings are the same when their UTF-8 bytes are: `String`'s `==` (and a
    /// `[String: Int]`) would merge canonically equivalent spellings (`é` and `e` + U+0301), and a warm run
    /// would then print the other spelling. A per-file entry holds a few strings (a rule id, the path, a help
    /// text): they are searched in a short list by a cheap hash (the bytes compared only on a match). Past
    /// `linearLimit` strings (the run memo holds every finding of a run) an open-addressing table on the same
    /// hashes takes over: one hash per string, never `Hasher`'s SipHash.
    struct Interner {
        static let linearLimit = 24
        /// Every string and its hash, by index; once there are more than `linearLimit`, an open-addressing
        /// table of indices + 1 (0: empty), at most half full.
        private var strings: [String] = []
        private var hashes: [UInt64] = []
        private var slots: [Int32] = []

        var count: Int { strings.count }

        mutating func index(of s: String) -> Int? {
            let h = Self.hash(s)
            if slots.isEmpty {
                // The hashes are compared first: the bytes only on a (near certain) match.
                for i in hashes.indices where hashes[i] == h && strings[i].utf8Equals(s) { return i }
                if strings.isEmpty {
                    strings.reserveCapacity(Self.linearLimit + 1)
                    hashes.reserveCapacity(Self.linearLimit + 1)
                }
                strings.append(s)
                hashes.append(h)
                if strings.count > Self.linearLimit { rehash(capacity: 256) }
                return nil
            }
            let mask = slots.count - 1
            var b = Int(truncatingIfNeeded: h) & mask
            while case let e = Int(slots[b]), e != 0 {
                if hashes[e - 1] == h && strings[e - 1].utf8Equals(s) { return e - 1 }
                b = (b + 1) & mask
            }
            strings.append(s)
            hashes.append(h)
            slots[b] = Int32(truncatingIfNeeded: strings.count)
            if strings.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
            return nil
        }

        private mutating func rehash(capacity: Int) {
            slots = [Int32](repeating: 0, count: capacity)
            let mask = capacity - 1
            for (i, h) in hashes.enumerated() {
                var b = Int(truncatingIfNeeded: h) & mask
                while slots[b] != 0 { b = (b + 1) & mask }
                slots[b] = Int32(truncatingIfNeeded: i + 1)
            }
        }

        /// Per process, so that no repository can choose strings that collide.
        private static let seed = UInt64.random(in: 0...UInt64.max)

        /// A fast hash of the UTF-8 bytes (eight at a time, multiply and shift), seeded per process: the
        /// table only needs spread, not `Hasher`'s SipHash, which was most of the run memo's interning.
        static func hash(_ s: String) -> UInt64 {
            if let h = s.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return h }
            return Array(s.utf8).withUnsafeBytes { hash($0) }
        }

        static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
            PackEntries.wordHash(p, initial: seed ^ (UInt64(p.count) &* 0x9E37_79B9_7F4A_7C15))
        }
    }
}

extension Severity {
    /// A stable small number for binary encodings (not the rank, which could be reordered).
    var code: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    init?(code: Int) {
        switch code {
        case 0: self = .info
        case 1: self = .warning
        case 2: self = .error
        default: return nil
        }
    }
}
