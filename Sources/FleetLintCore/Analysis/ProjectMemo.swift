import Foundation
import FleetLintSyntax
#if canImport(Glibc)
import Glibc
#endif

/// The entry format shared by the analysis pack, the project memo and the run memo: 64 hex key bytes, a 4-byte
/// little-endian payload length, an 8-byte checksum of the payload (`checksum`), the payload.
enum PackEntries {
    static let headerSize = 76

    /// The payload's checksum: eight bytes a step (little-endian words, no seed, so the same on every run and
    /// machine). FNV-1a took a multiply per byte, a tenth of a cold run's cache writes; each step here is a
    /// bijection of the running value, so a change confined to one word always changes the result.
    static func checksum(_ p: UnsafeRawBufferPointer) -> UInt64 {
        wordHash(p, initial: 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count))
    }

    /// Eight little-endian bytes a step into `initial` (multiply and shift), then the tail: the checksum's mix,
    /// also the run memo's string interner's (`FindingCodec`, with a per-process seed).
    static func wordHash(_ p: UnsafeRawBufferPointer, initial: UInt64) -> UInt64 {
        var h = initial
        var i = mixWords(p, into: &h)
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < p.count {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// The word steps of `wordHash`: mixes the whole little-endian words of `p` into `h`; returns the bytes mixed.
    @inline(__always)
    private static func mixWords(_ p: UnsafeRawBufferPointer, into h: inout UInt64) -> Int {
        var i = 0
        while i + 8 <= p.count {
            h = (h ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        return i
    }

    /// A payload's checksum computed as it is written, a piece at a time (the run memo's: `RunMemo.encode(into:)`),
    /// where `checksum` needs the length first. The same word-by-word mix, the length folded in last.
    struct StreamChecksum {
        private var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        private var count = 0

        /// Whole words: `p.count` is a multiple of eight.
        mutating func update(_ p: UnsafeRawBufferPointer) {
            precondition(p.count % 8 == 0, "whole words only")
            count += PackEntries.mixWords(p, into: &h)
        }

        /// The checksum of everything given, `last` (any length) included: `wordHash` goes on over `last`, then the
        /// length is folded in.
        func finish(_ last: UnsafeRawBufferPointer) -> UInt64 {
            let h = PackEntries.wordHash(last, initial: self.h)
            let mixed = (h ^ UInt64(count + last.count)) &* 0xBF58_476D_1CE4_E5B9
            return mixed ^ (mixed >> 31)
        }
    }

    /// An entry's header (key, length, checksum) with the given length and checksum.
    static func header(keyBytes: [UInt8], count: Int, checksum: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(keyBytes.count + 12)
        appendHeader(keyBytes: keyBytes, count: count, checksum: checksum, to: &out)
        return out
    }

    static func checksum(_ payload: ArraySlice<UInt8>) -> UInt64 { payload.withUnsafeBytes { checksum($0) } }

    static func append(_ key: String, _ payload: ArraySlice<UInt8>, to out: inout [UInt8]) {
        append(keyBytes: Array(key.utf8), payload, to: &out)
    }

    static func append(keyBytes: [UInt8], _ payload: ArraySlice<UInt8>, to out: inout [UInt8]) {
        appendHeader(keyBytes: keyBytes, payload, to: &out)
        out += payload
    }

    /// An entry's bytes before its payload: the key, the payload's length and its checksum.
    static func header(keyBytes: [UInt8], _ payload: ArraySlice<UInt8>) -> [UInt8] {
        header(keyBytes: keyBytes, count: payload.count, checksum: checksum(payload))
    }

    private static func appendHeader(keyBytes: [UInt8], _ payload: ArraySlice<UInt8>, to out: inout [UInt8]) {
        appendHeader(keyBytes: keyBytes, count: payload.count, checksum: checksum(payload), to: &out)
    }

    private static func appendHeader(keyBytes: [UInt8], count n: Int, checksum h: UInt64, to out: inout [UInt8]) {
        out += keyBytes
        for s in 0..<4 { out.append(UInt8((n >> (8 * s)) & 0xFF)) }
        for s in 0..<8 { out.append(UInt8((h >> (8 * UInt64(s))) & 0xFF)) }
    }

    /// The payload length an entry's header (`headerSize` bytes: the key, then the length) gives.
    static func payloadLength(header: ArraySlice<UInt8>) -> Int {
        var length = 0
        for k in 0..<4 { length |= Int(header[header.startIndex + 64 + k]) << (8 * k) }
        return length
    }

    /// Visits every well-formed entry after `start` (key, range of length+checksum+payload). Stops at the
    /// first truncated entry and returns true then.
    @discardableResult
    static func scan(_ bytes: [UInt8], from start: Int, _ visit: (ArraySlice<UInt8>, Range<Int>) -> Void) -> Bool {
        var i = start
        while i + headerSize <= bytes.count {
            let key = bytes[i..<(i + 64)]
            let length = payloadLength(header: bytes[i..<(i + headerSize)])
            let payloadStart = i + headerSize
            guard length >= 0, payloadStart + length <= bytes.count else { return true }
            visit(key, (i + 64)..<(payloadStart + length))
            i = payloadStart + length
        }
        return false
    }

    /// The checked payload of the first entry under `key` in a file of one or a few entries after `magic` (the run
    /// memo, `run.lines`); nil when the magic differs, no entry has the key, an entry is truncated or the checksum
    /// (`sum`) fails.
    static func payload(_ bytes: [UInt8], magic: [UInt8], key: String,
                        checksum sum: (UnsafeRawBufferPointer) -> UInt64 = { checksum($0) }) -> ArraySlice<UInt8>? {
        guard bytes.starts(with: magic) else { return nil }
        var range: Range<Int>?
        let truncated = scan(bytes, from: magic.count) { k, r in
            if range == nil && k.elementsEqual(key.utf8) { range = r }
        }
        guard !truncated, let range else { return nil }
        return payload(bytes, range, checksum: sum)
    }

    /// The payload of an entry range from `scan`, or nil when its checksum (`sum`: `checksum`, or the run memo's
    /// `StreamChecksum`) does not match.
    static func payload<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, _ range: Range<Int>, checksum sum: (UnsafeRawBufferPointer) -> UInt64 = { checksum($0) }
    ) -> ArraySlice<UInt8>? where Bytes.Index == Int, Bytes.SubSequence == ArraySlice<UInt8> {
        let lengthEnd = range.lowerBound + 4
        let checksum = bytes[lengthEnd..<(lengthEnd + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let payload = bytes[(lengthEnd + 8)..<range.upperBound]
        return payload.withUnsafeBytes(sum) == checksum ? payload : nil
    }
}

/// Results of expensive project-level computations (which paths a `.dockerignore` excludes, which
/// files an image's entry point reaches), kept between runs in `project.memo` beside the analysis
/// pack. Keys are hashes of everything a result depends on (including the build identity); a result
/// that also depends on files found while computing it stores their blob ids, and the caller checks
/// them. Read on first use, rewritten atomically when a run added entries; a corrupt entry is dropped.
/// Pruned to `maxEntries` and `maxBytes`, new entries and those used by this run first.
public final class ProjectMemo: @unchecked Sendable {
    public static let fileName = "project.memo"
    static let magic = Array("FLMEMO2\n".utf8)  // 2: word-wise entry checksums
    public var maxEntries = 20_000
    /// And at most this many bytes (a root-context image's walk lists thousands of files).
    public var maxBytes = 32 * 1024 * 1024
    private let url: URL
    private let lock = NSLock()
    private var loaded = false
    /// The memo on disk, its entries read one at a time when asked for (the file was read whole: on four copies of
    /// nba, 2.5 MiB held by every run that analysed something).
    private var pack: PackFile?
    private var index: [String: Range<Int>] = [:]
    private var order: [String] = []
    /// This run's new entries, in the order stored. Their payloads go to a scratch file as they are stored (`Scratch`)
    /// and are read back when asked for or saved: held in memory until the save, the paths each build context's
    /// `.dockerignore` excludes were 2.5 MiB of the peak on four copies of nba.
    private var fresh: [(key: String, payload: FreshPayload)] = []
    /// The position in `fresh` of the last entry stored under each key: `value` looked them up by scanning `fresh`,
    /// which grows with the units (the 16x tree's cold run: ~1 % of its project rules' time, under the lock).
    private var newestFresh: [String: Int] = [:]
    private var scratch: Scratch?
    private var scratchFailed = false
    private var used = Set<String>()

    private enum FreshPayload {
        /// At this offset of the scratch file, this many bytes.
        case written(Int, Int)
        /// Kept in memory: no scratch file could be made or written.
        case held([UInt8])
    }

    /// An unlinked temp file (nothing is left behind, whatever ends the process) that payloads are appended to and
    /// read back from: beside the memo when its directory exists (the cache's disk, not a temp directory that may be
    /// memory), else in the system's temp directory.
    private final class Scratch {
        private let fd: Int32
        private var size = 0

        init?(beside memo: URL) {
            func open(in directory: String) -> Int32 {
                var template = Array((directory + "/.fleetlint-memo-XXXXXX").utf8CString)
                let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                guard fd >= 0 else { return -1 }
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // not inherited by git or other child processes
                _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
                return fd
            }
            var fd = open(in: memo.deletingLastPathComponent().path)
            if fd < 0 { fd = open(in: FileManager.default.temporaryDirectory.path) }
            guard fd >= 0 else { return nil }
            self.fd = fd
        }

        deinit { close(fd) }

        /// Where `bytes` now start in the file, or nil when they could not be written.
        func append(_ bytes: [UInt8]) -> Int? {
            guard writeAll(fd, bytes) else { return nil }
            defer { size += bytes.count }
            return size
        }

        func read(_ offset: Int, _ count: Int) -> [UInt8]? { readFully(fd, count: count, at: offset) }
    }

    /// A fresh entry's payload (callers hold `lock`); nil when the scratch file cannot give it back.
    private func bytes(_ payload: FreshPayload) -> [UInt8]? {
        switch payload {
        case .held(let bytes): return bytes
        case .written(let offset, let count): return scratch?.read(offset, count)
        }
    }
    public private(set) var hits = 0
    public private(set) var misses = 0

    /// The memo `fileName` in `directory` (`project.memo` for the project rules; other callers keep their own).
    public init(directory: URL, fileName: String = ProjectMemo.fileName) {
        url = directory.appendingPathComponent(fileName)
    }

    /// A key for `kind` of computation over `inputs` (includes the build identity).
    public static func key(_ kind: String, _ inputs: [String]) -> String {
        ContentHash.sha256([AnalysisCache.buildIdentity, kind] + inputs)
    }

    private func ensureLoaded() {
        guard !loaded else { return }
        loaded = true
        guard let file = PackFile(path: url.path, magic: Self.magic) else { return }
        pack = file
        file.scan { keyBytes, range in
            let key = String(decoding: keyBytes, as: UTF8.self)
            if index[key] == nil { index[key] = range; order.append(key) }
        }
    }

    public func value(_ key: String) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        if let i = newestFresh[key] { return bytes(fresh[i].payload) }
        ensureLoaded()
        guard let range = index[key], let entry = pack?.read(range), let payload = PackEntries.payload(entry, entry.indices)
        else { misses += 1; return nil }
        used.insert(key)
        hits += 1
        return Array(payload)
    }

    public func store(_ key: String, _ payload: [UInt8]) {
        lock.lock()
        if scratch == nil && !scratchFailed {
            scratch = Scratch(beside: url)
            scratchFailed = scratch == nil
        }
        newestFresh[key] = fresh.count
        if let at = scratch?.append(payload) {
            fresh.append((key, .written(at, payload.count)))
        } else {
            fresh.append((key, .held(payload)))
        }
        used.insert(key)
        lock.unlock()
    }

    /// Writes the memo when this run added entries: new ones, then used ones, then older ones. Written in pieces
    /// through a temp file renamed over the memo (`PackWriter`, as the analysis pack is), not built whole first (a copy
    /// of every entry, up to `maxBytes`, beside the ones it copies).
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard !fresh.isEmpty else { return }
        ensureLoaded()
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard let writer = PackWriter(final: url.path, magic: Self.magic, maxEntries: maxEntries, maxBytes: maxBytes) else { return }
        // Keys are `key(_:_:)`'s hex digits, the pack's own form.
        func add(_ key: String, _ payload: ArraySlice<UInt8>) {
            if let k = CacheKey(hex: key.utf8) { writer.append(k, payload) }
        }
        // New entries by key (the rules' tasks store them in whatever order they finish: sorted, two runs write the
        // same file), the last stored under a key first.
        for i in newestFresh.values.sorted(by: { fresh[$0].key.utf8Precedes(fresh[$1].key) }) {
            // A payload the scratch file cannot give back is left out (the next run computes it again).
            if let payload = bytes(fresh[i].payload) { add(fresh[i].key, payload[...]) }
        }
        // The old entries, mostly neighbours in the file: read through a buffer, not an entry at a time.
        var cursor = pack.map(PackFile.Cursor.init)
        for key in order.filter(used.contains) + order.filter({ !used.contains($0) }) {
            if let r = index[key], let entry = cursor?.bytes(r), let p = PackEntries.payload(entry, entry.indices) { add(key, p) }
        }
        writer.commit()
        fresh = []
        newestFresh = [:]
        scratch = nil
        // Read again when next asked: the file now holds this run's entries (a second save would have written the
        // index read before the first, and lost them).
        loaded = false
        pack = nil
        index = [:]
        order = []
    }
}

/// A cache key (64 hex digits of a SHA-256) as four words: the pack's index of 10,000+ entries is built
/// without allocating a string per entry.
struct CacheKey: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) { (self.a, self.b, self.c, self.d) = (a, b, c, d) }

    /// The first word of a SHA-256 is spread enough (equality still compares all four).
    func hash(into hasher: inout Hasher) { hasher.combine(a) }

    init?<C: Collection>(hex: C) where C.Element == UInt8 {
        guard let key = hex.withContiguousStorageIfAvailable({ Self.parse($0) }) ?? Array(hex).withUnsafeBufferPointer({ Self.parse($0) })
        else { return nil }
        self = key
    }

    /// 64 lowercase hex digits as four words, without allocating or branching per digit (run twice per
    /// analysed file; a branch per digit mispredicted on random hex).
    private static func parse(_ p: UnsafeBufferPointer<UInt8>) -> CacheKey? {
        guard p.count == 64, let base = p.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var valid = true
        func word(_ at: Int) -> UInt64 {
            let (hi, okHi) = nibbles(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            let (lo, okLo) = nibbles(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)))
            valid = valid && okHi && okLo
            return hi << 32 | lo
        }
        words = (word(0), word(16), word(32), word(48))
        guard valid else { return nil }
        return CacheKey(a: words.0, b: words.1, c: words.2, d: words.3)
    }

    /// Eight ASCII hex digits (the first in the lowest byte) as a 32-bit number, and whether all eight are
    /// `0-9` or `a-f` (SWAR: every byte is below 0x80, so the additions below never carry between bytes).
    @inline(__always)
    static func nibbles(_ x: UInt64) -> (UInt64, Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        func atLeast(_ c: UInt64) -> UInt64 { (x &+ (0x80 - c) &* ones) & high }  // per byte: x >= c
        let digit = atLeast(0x30) & ~atLeast(0x3A), lower = atLeast(0x61) & ~atLeast(0x67)
        let ok = x & high == 0 && (digit | lower) == high
        // '0'-'9' → low nibble; 'a'-'f' → low nibble + 9.
        let v = (x & 0x0F0F_0F0F_0F0F_0F0F) &+ ((x >> 6) & ones) &* 9
        // Bytes b0..b7 (b0 first) → one nibble each, b0 the most significant.
        let pairs = ((v & 0x000F_000F_000F_000F) << 4) | ((v >> 8) & 0x000F_000F_000F_000F)
        let quads = ((pairs & 0x0000_00FF_0000_00FF) << 8) | ((pairs >> 16) & 0x0000_00FF_0000_00FF)
        return (((quads & 0xFFFF) << 16) | ((quads >> 32) & 0xFFFF), ok)
    }

    init?(_ hex: String) { self.init(hex: hex.utf8) }

    var hexBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 64) { out, count in
            func put(_ w: UInt64, at k: Int) {
                for j in 0..<16 {
                    let v = UInt8(truncatingIfNeeded: w >> UInt64(60 - 4 * j)) & 0xF
                    out[k + j] = v < 10 ? 0x30 + v : 0x61 + v - 10
                }
            }
            put(a, at: 0); put(b, at: 16); put(c, at: 32); put(d, at: 48)
            count = 64
        }
    }
}
