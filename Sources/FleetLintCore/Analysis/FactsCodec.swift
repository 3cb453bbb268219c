import Foundation
import FleetLintSyntax

/// A compact binary form of `PythonFacts`, for the cache entries of Python files that have nothing but
/// facts (most of them): decoding it is a straight read, where JSON decoding through `Codable` was the
/// largest cost of a warm `--staged` run. Every other non-empty analysis uses the mixed form below.
enum FactsCodec {
    static let marker: UInt8 = 0x50  // "P"
    // 2: classes carry their last line (adoption); 3: imports without aliases and targets; 4: the import context;
    // 5: mixed analyses end with the version and the secret-line facts
    static let version: UInt8 = 6  // 6: no module name (derived from the path, which keys the entry)

    /// Bytes written into a buffer the writer owns (one owner, freed with it): a pointer store per byte and a
    /// `memcpy` per string, where an array's `append` checked uniqueness and capacity for every byte.
    struct Writer: ~Copyable {
        private var base: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        /// Bytes written so far.
        private(set) var count = 0

        /// A writer holding `capacity` bytes before it grows.
        init(capacity: Int = 64) {
            self.capacity = Swift.max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// A copy of the bytes written.
        var bytes: [UInt8] { withBytes { Array($0) } }

        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            try body(UnsafeBufferPointer(start: base, count: count))
        }

        @inline(__always)
        private mutating func reserve(_ n: Int) {
            if capacity &- count < n { grow(n) }
        }

        private mutating func grow(_ n: Int) {
            let newCapacity = Swift.max(capacity * 2, count + n)
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            fresh.initialize(from: base, count: count)
            base.deallocate()
            base = fresh
            capacity = newCapacity
        }

        /// Hands the whole words written so far (a multiple of eight bytes) to `sink` and keeps only the bytes after
        /// them: a long document (the run memo) is written out as it is encoded, its checksum computed word by word
        /// (`PackEntries.StreamChecksum`). An offset taken before (`insertInt`) is no longer valid after it.
        mutating func drainWords(_ sink: (UnsafeRawBufferPointer) -> Void) {
            let n = count & ~7
            guard n > 0 else { return }
            sink(UnsafeRawBufferPointer(start: base, count: n))
            memmove(base, base + n, count - n)
            count -= n
        }

        @inline(__always)
        mutating func byte(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count &+= 1
        }

        /// Zigzag, then LEB128: most numbers (counts, columns, string indices) take one byte.
        @inline(__always)
        mutating func int(_ v: Int) {
            reserve(10)
            put(v)
        }

        @inline(__always)
        static func zigzag(_ v: Int) -> UInt64 { UInt64(bitPattern: Int64(v)) << 1 ^ UInt64(bitPattern: Int64(v) >> 63) }

        /// Inserts `v` (as `int` writes it) at `offset`, moving the bytes after it: a length written before
        /// what it measures, once that is known.
        mutating func insertInt(_ v: Int, at offset: Int) {
            precondition(offset >= 0 && offset <= count)
            let u = Self.zigzag(v)
            var width = 1
            while u >> (7 * UInt64(width)) != 0 && width < 10 { width += 1 }
            reserve(width)
            memmove(base + offset + width, base + offset, count - offset)
            var w = u
            for k in 0..<width {
                base[offset + k] = k == width - 1 ? UInt8(truncatingIfNeeded: w) : UInt8(truncatingIfNeeded: w) | 0x80
                w >>= 7
            }
            count += width
        }

        @inline(__always)
        mutating func bool(_ b: Bool) { byte(b ? 1 : 0) }

        mutating func string(_ s: String) {
            let n = s.utf8.count
            int(n)
            reserve(n)
            let to = base + count
            let copied = s.utf8.withContiguousStorageIfAvailable { (from: UnsafeBufferPointer<UInt8>) -> Bool in
                if n > 0 { to.initialize(from: from.baseAddress!, count: n) }
                return true
            }
            if copied == nil {
                var i = 0
                for b in s.utf8 { to[i] = b; i += 1 }
            }
            count += n
        }
        mutating func optional(_ s: String?) {
            if let s { bool(true); string(s) } else { bool(false) }
        }
        /// Bytes written by another writer, copied as they are.
        mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
            reserve(bytes.count)
            (base + count).initialize(from: from, count: bytes.count)
            count += bytes.count
        }
        /// Four numbers under one reservation.
        mutating func range(_ r: SourceRange) {
            reserve(40)
            put(r.start.line); put(r.start.column); put(r.end.line); put(r.end.column)
        }

        /// `int` into room already reserved (10 bytes).
        @inline(__always)
        private mutating func put(_ v: Int) {
            var u = Self.zigzag(v)
            while u >= 0x80 {
                base[count] = UInt8(truncatingIfNeeded: u) | 0x80
                count &+= 1
                u >>= 7
            }
            base[count] = UInt8(truncatingIfNeeded: u)
            count &+= 1
        }
    }

    struct Reader {
        let bytes: ArraySlice<UInt8>
        var i: Int
        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes; i = bytes.startIndex }
        struct Corrupt: Error {}
        mutating func byte() throws -> UInt8 {
            guard i < bytes.endIndex else { throw Corrupt() }
            defer { i += 1 }
            return bytes[i]
        }
        mutating func int() throws -> Int {
            var u: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = try byte()
                u |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
                guard shift < 64 else { throw Corrupt() }
            }
            return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
        }
        mutating func count() throws -> Int {
            let n = try int()
            guard n >= 0, n <= bytes.endIndex - i else { throw Corrupt() }
            return n
        }
        mutating func bool() throws -> Bool { try byte() != 0 }
        mutating func string() throws -> String {
            let n = try count()
            defer { i += n }
            return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
        }
        mutating func skipString() throws { i += try count() }
        mutating func optional() throws -> String? { try bool() ? try string() : nil }
        mutating func range() throws -> SourceRange {
            SourceRange(start: SourceLocation(line: try int(), column: try int()), end: SourceLocation(line: try int(), column: try int()))
        }
    }

    /// Whether the analysis is only facts (no findings, problems, suppressions or skips).
    static func applies(to a: FileAnalysis) -> Bool {
        a.python != nil && a.findings.isEmpty && a.problems.isEmpty && a.suppressions.isEmpty && a.ruleSkips.isEmpty
            && a.skipped == nil && a.kind == .python && a.secretLines == nil
    }

    /// Any other analysis (findings, problems, suppressions, skips; facts when it is Python): everything in
    /// binary, findings through `FindingCodec` — encoding them as JSON was a tenth of a cold run over a
    /// repository with many findings, and decoding them the largest cost of a warm `check --staged`.
    static let mixedMarker: UInt8 = 0x52  // "R"

    /// `metadata`: the run's encoded metadata tables (see `FindingCodec.MetadataBytes`), when the caller keeps one.
    static func encodeMixed(_ analysis: FileAnalysis, metadata: FindingCodec.MetadataBytes? = nil) -> [UInt8]? {
        var e = FindingCodec.Encoder(marker: mixedMarker, capacity: estimatedSize(analysis))
        e.literalText = true
        e.metadataBytes = metadata
        e.string(analysis.kind.rawValue)
        e.optional(analysis.skipped)
        e.w.int(analysis.problems.count)
        for p in analysis.problems { e.string(p.code); e.string(p.message); e.range(p.range); e.optional(p.help) }
        e.w.int(analysis.suppressions.count)
        for s in analysis.suppressions {
            e.string(s.scope.rawValue); e.w.int(s.ruleIDs.count)
            for id in s.ruleIDs { e.string(id) }
            e.optional(s.reason); e.w.int(s.line); e.range(s.range); e.w.bool(s.isStandalone); e.w.bool(s.isMalformed)
        }
        e.w.int(analysis.continuedLines.count)
        for l in analysis.continuedLines { e.w.int(l) }
        e.findings(analysis.findings)
        e.w.int(analysis.ruleSkips.count)
        for r in analysis.ruleSkips { e.string(r) }
        // The lines redaction may find a secret on (numbers only), after the version (the facts stay last).
        e.w.byte(version)
        if let secrets = analysis.secretLines {
            e.w.bool(true)
            let triples = secrets.storage
            e.w.int(triples.count)
            for v in triples { e.w.int(Int(v)) }
        } else {
            e.w.bool(false)
        }
        if let facts = analysis.python {
            // The facts' own form, written in place and then preceded by its length (a memmove, not a copy
            // of a second array).
            e.w.bool(true)
            let start = e.w.count
            encode(facts, into: &e.w)
            e.w.insertInt(e.w.count - start, at: start)
        } else {
            e.w.bool(false)
        }
        return e.bytes
    }

    /// Without `findings`, the entry's findings are read and checked but not built (the analysis has none): a
    /// changed-files run cannot report those of a file outside the change.
    static func decodeMixed(_ payload: ArraySlice<UInt8>, path: String, blob: BlobID?, findings: Bool = true) -> FileAnalysis? {
        do {
            var d = try FindingCodec.Decoder(payload, marker: mixedMarker)
            guard let kind = FileKind(rawValue: try d.string()) else { return nil }
            var a = FileAnalysis(path: path, kind: kind, blob: blob)
            a.skipped = try d.optional()
            for _ in 0..<(try d.r.count()) {
                a.problems.append(ParseProblem(code: try d.string(), message: try d.string(), range: try d.range(), help: try d.optional()))
            }
            for _ in 0..<(try d.r.count()) {
                guard let scope = SuppressionComment.Scope(rawValue: try d.string()) else { return nil }
                var ids: [String] = []
                for _ in 0..<(try d.r.count()) { ids.append(try d.string()) }
                a.suppressions.append(SuppressionComment(
                    scope: scope, ruleIDs: ids, reason: try d.optional(), line: try d.r.int(), range: try d.range(),
                    isStandalone: try d.r.bool(), isMalformed: try d.r.bool()))
            }
            for _ in 0..<(try d.r.count()) { a.continuedLines.append(try d.r.int()) }
            if findings { a.findings = try d.findings() } else { try d.skipFindings() }
            for _ in 0..<(try d.r.count()) { a.ruleSkips.append(try d.string()) }
            guard try d.r.byte() == version else { return nil }
            if try d.r.bool() {
                let n = try d.r.count()
                var triples: [Int32] = []
                triples.reserveCapacity(n)
                for _ in 0..<n { triples.append(Int32(clamping: try d.r.int())) }
                // Redaction searches these: ascending, each inside its logical line, or the entry is not used.
                guard let secrets = SecretLines(triples: triples) else { return nil }
                a.secretLines = secrets
            }
            if try d.r.bool() {
                let n = try d.r.count()
                let start = d.r.i
                d.r.i += n
                guard let facts = decode(payload[start..<(start + n)], path: path, blob: blob)?.python else { return nil }
                a.python = facts
            }
            return d.atEnd ? a : nil
        } catch {
            return nil
        }
    }

    /// Bytes an encoding is expected to take, reserved up front: a little more than typical (a finding is
    /// about a hundred bytes, its first help text more), so that the array rarely grows.
    static func estimatedSize(_ a: FileAnalysis) -> Int {
        var n = 64 + a.findings.count * 192 + a.problems.count * 128 + a.suppressions.count * 64 + a.continuedLines.count * 3
            + a.ruleSkips.count * 32 + (a.secretLines?.count ?? 0) * 9
        if let facts = a.python { n += estimatedSize(facts) }
        return n
    }

    static func estimatedSize(_ facts: PythonFacts) -> Int {
        64 + facts.imports.count * 40 + facts.classes.count * 64 + facts.calls.count * 64
    }

    static func encode(_ facts: PythonFacts) -> [UInt8] {
        var w = Writer(capacity: estimatedSize(facts))
        encode(facts, into: &w)
        return w.bytes
    }

    /// Appends the facts' form (marker, version, fields) to `w`.
    static func encode(_ facts: PythonFacts, into w: inout Writer) {
        w.byte(marker)
        w.byte(version)
        w.bool(facts.isPackage); w.bool(facts.fullParse)
        w.int(facts.imports.count)
        for imp in facts.imports {
            w.bool(imp.isFrom); w.string(imp.module); w.int(imp.level); w.range(imp.range); w.string(imp.context)
            w.bool(imp.isGuardedByTry); w.bool(imp.isTypeCheckingOnly)
            w.int(imp.names.count)
            for n in imp.names { w.string(n.name) }
        }
        w.int(facts.classes.count)
        for c in facts.classes {
            w.string(c.name); w.string(c.qualifiedName); w.int(c.line); w.int(c.endLine ?? 0)
            w.int(c.bases.count)
            for b in c.bases { w.optional(b) }
        }
        w.int(facts.calls.count)
        for c in facts.calls {
            w.string(c.callee); w.range(c.range); w.string(c.scope); w.optional(c.enclosingClass); w.bool(c.isDecorator)
        }
        encode(facts.importContext, into: &w)
    }

    static func decode(_ payload: ArraySlice<UInt8>, path: String, blob: BlobID?) -> FileAnalysis? {
        var r = Reader(payload)
        do {
            guard try r.byte() == marker, try r.byte() == version else { return nil }
            let isPackage = try r.bool(), fullParse = try r.bool()
            var imports: [ImportFact] = []
            for _ in 0..<(try r.count()) {
                let isFrom = try r.bool(), module = try r.string(), level = try r.int(), range = try r.range()
                let context = try r.string(), guarded = try r.bool(), typeChecking = try r.bool()
                guard PyDefinitionContext(rawValue: context) != nil else { throw Reader.Corrupt() }
                var names: [String] = []
                for _ in 0..<(try r.count()) { names.append(try r.string()) }
                imports.append(ImportFact(
                    isFrom: isFrom, module: module, names: names, level: level, range: range, context: context,
                    isGuardedByTry: guarded, isTypeCheckingOnly: typeChecking))
            }
            var classes: [ClassFact] = []
            for _ in 0..<(try r.count()) {
                let name = try r.string(), qualified = try r.string(), line = try r.int(), endLine = try r.int()
                var bases: [String?] = []
                for _ in 0..<(try r.count()) { bases.append(try r.optional()) }
                classes.append(ClassFact(name: name, qualifiedName: qualified, line: line, bases: bases, endLine: endLine > 0 ? endLine : nil))
            }
            var calls: [CallFact] = []
            for _ in 0..<(try r.count()) {
                calls.append(CallFact(
                    callee: try r.string(), range: try r.range(), scope: try r.string(), enclosingClass: try r.optional(),
                    isDecorator: try r.bool()))
            }
            let context = try decodeImportContext(&r)
            guard r.i == payload.endIndex else { return nil }
            var a = FileAnalysis(path: path, kind: .python, blob: blob)
            a.python = PythonFacts(
                isPackage: isPackage, imports: imports, classes: classes, calls: calls, fullParse: fullParse,
                importContext: context)
            return a
        } catch {
            return nil
        }
    }

    static func encode(_ context: ImportContextFact, into w: inout Writer) {
        w.bool(context.extendsSysPath)
        w.int(context.fallbacks.count)
        for f in context.fallbacks {
            w.int(f.guardedModules.count)
            for m in f.guardedModules { w.string(m) }
            w.int(f.handlerImportLines.count)
            for l in f.handlerImportLines { w.int(l) }
        }
    }

    static func decodeImportContext(_ r: inout Reader) throws -> ImportContextFact {
        var context = ImportContextFact(extendsSysPath: try r.bool())
        for _ in 0..<(try r.count()) {
            var modules: [String] = [], lines: [Int] = []
            for _ in 0..<(try r.count()) { modules.append(try r.string()) }
            for _ in 0..<(try r.count()) { lines.append(try r.int()) }
            context.fallbacks.append(.init(guardedModules: modules, handlerImportLines: lines))
        }
        return context
    }
}
