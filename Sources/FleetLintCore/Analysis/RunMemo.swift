import Foundation

/// The result of a whole run, remembered for the next run with the same settings over the same
/// contents: when every analysed file has the same blob id (known from git or the stat table, without
/// reading) and every other file the project rules read still hashes the same, the findings are the
/// same, so a warm run that changed nothing skips analysis, project rules and passes alike.
struct RunMemo {
    /// Hash of the settings fingerprint and every (path, kind, blob id) of the snapshot's entries.
    var key: String
    /// Files read by project rules that are not entries (compose files, `.dockerignore`, …) with the blob id
    /// of their bytes ("-" when unreadable), in byte order of their paths.
    var reads: [Read]

    /// A file the run read, and the blob id it had. A list, not a table keyed by String: an NFC and an NFD spelling
    /// of a path are equal Strings, and one of the two files went unchecked (a warm run could then reuse a memo the
    /// other's change had made stale).
    struct Read: Equatable, Sendable {
        var path: String
        var id: String
    }
    /// Encoded (`EncodedFindings`) when the memo was read from the cache.
    var findings: FindingList
    var suppressions: [AppliedSuppression]
    var summary: LintSummary
    var analysed: Int

    static let fileName = "run.memo"
    static let magic = Array("FLRUN4\n".utf8)  // 4: the payload's checksum computed as it is written

    /// The memo's bytes: the magic, one pack entry's header (`PackEntries`: key, length, checksum) and the payload in
    /// `FindingCodec`'s form.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        let header = encode { out += $0 }
        out.replaceSubrange(Self.magic.count..<(Self.magic.count + header.count), with: header)
        return out
    }

    /// Gives the memo's bytes to `sink` a piece at a time (of ~256 KiB), with the entry's header as zeros, and returns
    /// the header, which the caller writes over them (at `magic.count`): its length and checksum are known only at
    /// the end. Written out as they are encoded, the payload's pieces are never held together: the whole payload
    /// (every finding of the run, 6 MB on the 16x tree) in one buffer was held beside the report being written, at
    /// the end of the run's peak.
    func encode(into sink: (UnsafeRawBufferPointer) -> Void) -> [UInt8] {
        let keyBytes = Array(key.utf8)
        let placeholder = [UInt8](repeating: 0, count: keyBytes.count + 12)
        (Self.magic + placeholder).withUnsafeBytes(sink)
        var checksum = PackEntries.StreamChecksum()
        var length = 0
        func drain(_ piece: UnsafeRawBufferPointer) {
            checksum.update(piece)
            length += piece.count
            sink(piece)
        }
        let piece = 1 << 18
        var e = FindingCodec.Encoder(
            capacity: piece + 4096, strings: 2 * reads.count + 4 * findings.count + 2 * suppressions.count + summary.skippedFiles.count)
        e.w.int(reads.count)
        for r in reads {
            e.string(r.path); e.string(r.id)
            if e.w.count >= piece { e.w.drainWords(drain) }
        }
        e.findings(findings.array) { w in if w.count >= piece { w.drainWords(drain) } }
        e.suppressions(suppressions)
        e.summary(summary)
        e.w.int(analysed)
        return e.w.withBytes { rest in
            let raw = UnsafeRawBufferPointer(rest)
            sink(raw)
            return PackEntries.header(keyBytes: keyBytes, count: length + raw.count, checksum: checksum.finish(raw))
        }
    }

    /// The memo in `bytes` when it was made under `key`; nil when it was not, or is truncated or corrupt
    /// (its checksum is checked before anything is decoded).
    static func decode(_ bytes: [UInt8], key: String) -> RunMemo? {
        guard let payload = PackEntries.payload(bytes, magic: magic, key: key, checksum: { PackEntries.StreamChecksum().finish($0) })
        else { return nil }
        do {
            var d = try FindingCodec.Decoder(payload)
            var reads: [Read] = []
            for _ in 0..<(try d.r.count()) { let p = try d.string(); reads.append(Read(path: p, id: try d.string())) }
            // Each finding is decoded once here (which checks every one of them), and only where it starts is kept.
            let count = try d.r.count()
            var starts: [EncodedFindings.Start] = []
            starts.reserveCapacity(count)
            var tally = FindingTally()
            // Skimmed: literals and metadata read, not built.
            d.skims = true
            for _ in 0..<count {
                guard let start = EncodedFindings.Start(byte: d.r.i, added: d.added) else { throw FactsCodec.Reader.Corrupt() }
                starts.append(start)
                let f = try d.skimFinding()
                tally.add(rule: f.rule, severity: f.severity)
            }
            d.skims = false
            let suppressions = try d.suppressions(), summary = try d.summary(), analysed = try d.r.int()
            guard d.atEnd else { return nil }
            let findings = EncodedFindings(payload: payload, starts: starts, table: d.table, tally: tally)
            return RunMemo(
                key: key, reads: reads, findings: FindingList(encoded: findings), suppressions: suppressions,
                summary: summary, analysed: analysed)
        } catch {
            return nil
        }
    }
}

extension AnalysisCache {
    /// Whether a run memo exists (a run that may be answered without analysis: no warm-up is started for it).
    public var hasRunMemo: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(RunMemo.fileName).path) }

    /// The memo of the last run when it was made under `key`.
    func loadMemo(key: String) -> RunMemo? {
        guard let bytes = readWholeFile(directory.appendingPathComponent(RunMemo.fileName).path) else { return nil }
        return RunMemo.decode(bytes, key: key)
    }

    func saveMemo(_ memo: RunMemo) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let file = AtomicFile(directory.appendingPathComponent(RunMemo.fileName).path) else { return }
        let header = memo.encode { file.write($0.assumingMemoryBound(to: UInt8.self)) }
        file.write(header, at: RunMemo.magic.count)
        file.commit()
    }
}

/// Records which non-entry files the project read (for the run memo).
final class ReadLog: @unchecked Sendable {
    private var reads: [UTF8Key: String] = [:]
    private let lock = NSLock()

    func record(_ path: String, _ bytes: [UInt8]?) {
        let id = bytes.map { BlobID.of($0).hex } ?? "-"
        lock.lock()
        reads[UTF8Key(path)] = id
        lock.unlock()
    }

    /// The files read, in byte order of their paths.
    var snapshot: [RunMemo.Read] {
        lock.lock()
        defer { lock.unlock() }
        return reads.map { RunMemo.Read(path: $0.key.string, id: $0.value) }.sorted { $0.path.utf8Precedes($1.path) }
    }
}

/// A run memo's findings as the memo holds them, each decoded when it is read (`FindingList`): the memo's bytes,
/// where each finding starts, and the document's string table (its distinct strings: rule ids, paths, help texts,
/// messages), which the decoded findings share.
final class EncodedFindings: Sendable {
    struct Start: Sendable {
        /// The finding's first byte in `payload`'s indices, and how many strings the document had added before it.
        let byte: UInt32, added: UInt32
        init?(byte: Int, added: Int) {
            guard let b = UInt32(exactly: byte), let a = UInt32(exactly: added) else { return nil }
            self.byte = b
            self.added = a
        }
    }
    private let payload: ArraySlice<UInt8>
    private let starts: [Start]
    private let table: [String]
    /// Known from decoding them once, so that a report needs no second pass over them for its summary and exit code.
    let tally: FindingTally
    /// The text report's source lines, set on each finding as it is decoded (`MemoSourceLines`).
    private let lines: MemoSourceLines?

    init(payload: ArraySlice<UInt8>, starts: [Start], table: [String], tally: FindingTally, lines: MemoSourceLines? = nil) {
        self.payload = payload
        self.starts = starts
        self.table = table
        self.tally = tally
        self.lines = lines
    }

    /// The same findings, each decoded with its source line from `lines` (made for this memo: one per finding).
    func withSourceLines(_ lines: MemoSourceLines) -> EncodedFindings {
        precondition(lines.count == starts.count, "source lines of another memo")
        return EncodedFindings(payload: payload, starts: starts, table: table, tally: tally, lines: lines)
    }

    var count: Int { starts.count }

    /// The finding at `index`, decoded again.
    func finding(_ index: Int) -> Finding { findings(index..<(index + 1))[0] }

    /// The findings of `range`, decoded again by one decoder from the first one on (they follow each other in the
    /// payload), which shares the metadata tables of consecutive findings as the first decoding did (one table for
    /// a run of findings, written once by the reporters' `MetadataCache`). It cannot fail: `RunMemo.decode` decoded
    /// the same bytes from the same table state before making this value (a checked payload whose every finding decoded).
    func findings(_ range: Range<Int>) -> [Finding] {
        guard let first = range.first else { return [] }
        let s = starts[first]
        var d = FindingCodec.Decoder(replaying: payload, at: Int(s.byte), table: table, added: Int(s.added))
        var out: [Finding] = []
        out.reserveCapacity(range.count)
        do {
            for i in range {
                var f = try d.finding()
                if let lines { f.sourceLine = lines.line(i) }
                out.append(f)
            }
        } catch {
            preconditionFailure("a run memo finding that decoded once no longer decodes")
        }
        return out
    }
}
