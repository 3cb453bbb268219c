// The `cache` target: what the cache reads back from disk. A corrupt entry must be refused (nil), never trusted
// and never a trap, whether or not its checksum happens to match. `scripts/fuzz.sh` builds with `-enable-testing`
// for the internal decoders.
@testable import FleetLintCore

private let memoKey = String(repeating: "5a", count: 32)

/// Wraps `payload` as a pack or run memo entry whose checksum matches, so that the decoders behind the checksum
/// see the fuzzer's bytes (a random payload fails the checksum and stops there).
private func entry(_ payload: [UInt8], stream: Bool) -> [UInt8] {
    let sum = payload.withUnsafeBytes { stream ? PackEntries.StreamChecksum().finish($0) : PackEntries.checksum($0) }
    return PackEntries.header(keyBytes: Array(memoKey.utf8), count: payload.count, checksum: sum) + payload
}

func fuzzCache(_ bytes: [UInt8]) {
    // Pack entry payloads: facts and findings, with and without the findings, and the facts-only form.
    let payload = bytes[...]
    if let a = FactsCodec.decodeMixed(payload, path: "svc/a.py", blob: nil) {
        check(a.path == "svc/a.py", "decoded under another path: \(a.path)")
        let lean = FactsCodec.decodeMixed(payload, path: "svc/a.py", blob: nil, findings: false)
        check(lean != nil, "an entry decoded with its findings fails without them")
    }
    _ = FactsCodec.decode(payload, path: "svc/a.py", blob: nil)

    // The run memo, raw (its magic and checksum refuse nearly everything) and with a matching checksum. Every finding
    // of a memo that decoded must decode again: `EncodedFindings.findings` traps if the skim and the full decoding
    // disagree about a finding's bytes.
    _ = RunMemo.decode(bytes, key: memoKey)
    if let memo = RunMemo.decode(RunMemo.magic + entry(bytes, stream: true), key: memoKey) {
        let all = memo.findings.array
        check(all.count == memo.findings.count, "\(all.count) findings expanded of \(memo.findings.count)")
    }

    // The text report's source lines beside the memo (`run.lines`): raw, and behind a matching checksum for counts
    // around the one the bytes claim; every line of lines that decoded can be read.
    _ = MemoSourceLines.decode(bytes, key: memoKey, count: 1)
    var claimed = 0
    if let first = bytes.first { claimed = Int(first >> 1) }  // a one-byte count, as the encoder writes small ones
    for count in Set([0, 1, claimed]) {
        if let lines = MemoSourceLines.decode(MemoSourceLines.magic + entry(bytes, stream: false), key: memoKey, count: count) {
            check(lines.count == count, "\(lines.count) lines for \(count) findings")
            for i in 0..<count { _ = lines.line(i) }
        }
    }

    // The pack's entry framing: every range `scan` visits lies inside the bytes; payloads are checked, not trusted.
    let truncated = PackEntries.scan(bytes, from: 0) { key, range in
        check(key.count == 64 && range.lowerBound >= 64 && range.upperBound <= bytes.count, "entry range \(range)")
        _ = PackEntries.payload(bytes, range)
    }
    _ = truncated

    // The stat table: malformed lines are skipped; every row kept points inside the table's path bytes, in order.
    let stats = AnalysisCache.parseStats(bytes)
    var previous: [UInt8]? = nil
    for i in 0..<stats.count {
        let path = stats.withPath(i) { Array($0) }
        check(!path.contains(0x09) && !path.contains(0x0A), "a path with a tab or newline")
        if let p = previous { check(p.lexicographicallyPrecedes(path), "rows out of order or repeated") }
        previous = path
    }
}
