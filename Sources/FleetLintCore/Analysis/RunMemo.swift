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
    var findings: [Finding]
    var suppressions: [AppliedSuppression]
    var summary: LintSummary
    var analysed: Int

    static let fileName = "run.memo"
    static let magic = Array("FLRUN3\n".utf8)  // 3: word-wise entry checksums

    /// One pack entry (`PackEntries`: key, length, checksum) whose payload is `FindingCodec`'s form.
    func encoded() -> [UInt8] {
        withEncodedParts { head, payload in head + payload }
    }

    /// `body` given the magic with the entry's header, and the payload in the encoder's own buffer: written one
    /// after the other, the payload (every finding of the run, 6 MB on the 16x tree) is never copied. Its
    /// capacity is reserved from the findings' count: grown by doubling, the buffer was held twice (old and new)
    /// at each step, and then copied into an array, about three times its size at once during the passes.
    func withEncodedParts<R>(_ body: ([UInt8], UnsafeBufferPointer<UInt8>) -> R) -> R {
        var e = FindingCodec.Encoder(
            capacity: 4096 + findings.count * 72 + suppressions.count * 16 + summary.skippedFiles.count * 16,
            strings: 2 * reads.count + 4 * findings.count + 2 * suppressions.count + summary.skippedFiles.count)
        e.w.int(reads.count)
        for r in reads { e.string(r.path); e.string(r.id) }
        e.findings(findings)
        e.suppressions(suppressions)
        e.summary(summary)
        e.w.int(analysed)
        return e.w.withBytes { payload in
            body(Self.magic + PackEntries.header(keyBytes: Array(key.utf8), UnsafeRawBufferPointer(payload)), payload)
        }
    }

    /// The memo in `bytes` when it was made under `key`; nil when it was not, or is truncated or corrupt
    /// (its checksum is checked before anything is decoded).
    static func decode(_ bytes: [UInt8], key: String) -> RunMemo? {
        guard bytes.starts(with: magic) else { return nil }
        var range: Range<Int>?
        let truncated = PackEntries.scan(bytes, from: magic.count) { k, r in
            if range == nil && k.elementsEqual(key.utf8) { range = r }
        }
        guard !truncated, let range, let payload = PackEntries.payload(bytes, range) else { return nil }
        do {
            var d = try FindingCodec.Decoder(payload)
            var reads: [Read] = []
            for _ in 0..<(try d.r.count()) { let p = try d.string(); reads.append(Read(path: p, id: try d.string())) }
            let memo = RunMemo(
                key: key, reads: reads, findings: try d.findings(), suppressions: try d.suppressions(),
                summary: try d.summary(), analysed: try d.r.int())
            return d.atEnd ? memo : nil
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
        memo.withEncodedParts { head, payload in
            file.write(head)
            file.write(payload)
        }
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
