import Foundation

/// The text report's source lines of the run memo's findings, kept beside it (`run.lines`) for the next warm run that
/// prints them.
///
/// The memo holds no source lines (only the text report prints them, and every other report would carry them), so a
/// warm text run read every file with a shown finding again and decoded every finding into an array to attach them:
/// on the 16x synthetic tree 0.70 s and 94 MiB against 0.25 s and 46 MiB for the same warm run in JSON. With this file
/// the findings stay encoded and each gets its line as it is decoded for the report (`EncodedFindings`).
///
/// One entry (`PackEntries`) keyed by the memo's key, so it is used only with the memo it was made for; its payload
/// is the number of findings, then, per finding in the memo's order, a tag: 0 no line, 1 the previous finding's line
/// (findings on one line come together), 2 a line of its own, whose UTF-8 follows. The lines are exactly those the text
/// report prints: a finding that shows no source (a secret's line) has none, here as in the report.
final class MemoSourceLines: Sendable {
    static let fileName = "run.lines"
    static let magic = Array("FLLINES1\n".utf8)

    private let payload: ArraySlice<UInt8>
    /// Per finding: where its line's UTF-8 is in `payload`, or `none`.
    private let spans: [Span]

    struct Span {
        let start: UInt32, count: UInt32
        static let none = Span(start: .max, count: 0)
    }

    private init(payload: ArraySlice<UInt8>, spans: [Span]) {
        self.payload = payload
        self.spans = spans
    }

    var count: Int { spans.count }

    /// The line of the finding at `index` of the memo.
    func line(_ index: Int) -> String? {
        let s = spans[index]
        guard s.start != .max else { return nil }
        let start = payload.startIndex + Int(s.start)
        return String(decoding: payload[start..<(start + Int(s.count))], as: UTF8.self)
    }

    /// The payload for `findings` (those of the memo, in its order, with their source lines set).
    static func encode(_ findings: [Finding]) -> [UInt8] {
        var w = FactsCodec.Writer(capacity: 1 << 16)
        w.int(findings.count)
        findings.withUnsafeBufferPointer { fs in
            var previous: String? = nil
            for i in fs.indices {
                let f = fs.baseAddress! + i
                guard let line = f.pointee.sourceLine else { w.byte(0); previous = nil; continue }
                if let previous, previous.utf8Equals(line) { w.byte(1); continue }
                w.byte(2)
                w.string(line)
                previous = line
            }
        }
        return w.bytes
    }

    /// The lines in `bytes` when they were made for the memo `key` of `count` findings; nil when they were not, or are
    /// truncated or corrupt.
    static func decode(_ bytes: [UInt8], key: String, count: Int) -> MemoSourceLines? {
        guard let payload = PackEntries.payload(bytes, magic: magic, key: key) else { return nil }
        var r = FactsCodec.Reader(payload)
        do {
            guard try r.count() == count, let _ = UInt32(exactly: payload.count) else { return nil }
            var spans: [Span] = []
            spans.reserveCapacity(count)
            var previous = Span.none
            for _ in 0..<count {
                switch try r.byte() {
                case 0: previous = .none
                case 1: guard previous.start != .max else { return nil }
                case 2:
                    let n = try r.count()
                    previous = Span(start: UInt32(r.i - payload.startIndex), count: UInt32(n))
                    r.i += n
                default: return nil
                }
                spans.append(previous)
            }
            guard r.i == payload.endIndex else { return nil }
            return MemoSourceLines(payload: payload, spans: spans)
        } catch {
            return nil
        }
    }
}

extension AnalysisCache {
    /// The source lines saved for the memo `key` of `count` findings.
    func loadSourceLines(key: String, count: Int) -> MemoSourceLines? {
        guard let bytes = readWholeFile(directory.appendingPathComponent(MemoSourceLines.fileName).path) else { return nil }
        return MemoSourceLines.decode(bytes, key: key, count: count)
    }

    /// Saves the source lines of `findings`, the memo `key`'s, in its order (atomically, as the memo).
    func saveSourceLines(key: String, _ findings: [Finding]) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let file = AtomicFile(directory.appendingPathComponent(MemoSourceLines.fileName).path) else { return }
        var out = MemoSourceLines.magic
        PackEntries.append(key, MemoSourceLines.encode(findings)[...], to: &out)
        file.write(out)
        file.commit()
    }
}
