@testable import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing
import TestSupport

/// The machinery under the cache's binary forms: the writer, string interning, keys, blob ids, the stat table.
@Suite("Cache codec machinery")
struct CacheCodecTests {
    @Test("a file's secret lines go through the cache's form, and make it not plain")
    func secretLinesRoundTrip() throws {
        let bytes = Array("a\ntoken = x\nb\n".utf8)
        let lines = bytes.withUnsafeBufferPointer { SecretLines(candidates: [2], bytes: $0, lineIndex: LineStarts(bytes)) }
        var a = FileAnalysis(path: "x.txt", kind: .text, blob: BlobID.of(bytes))
        #expect(a.secretLines == nil && a.isPlain)
        a.secretLines = lines
        #expect(!a.isPlain)
        let encoded = try #require(FactsCodec.encodeMixed(a))
        let decoded = try #require(FactsCodec.decodeMixed(encoded[...], path: "x.txt", blob: a.blob))
        #expect(decoded.secretLines == lines && !decoded.isPlain)
    }

    @Test("numbers are zigzag LEB128, byte for byte, and read back at every width")
    func varints() throws {
        func bytes(_ v: Int) -> [UInt8] {
            var w = FactsCodec.Writer()
            w.int(v)
            return w.bytes
        }
        #expect(bytes(0) == [0] && bytes(-1) == [1] && bytes(1) == [2] && bytes(63) == [126] && bytes(-64) == [127])
        #expect(bytes(64) == [0x80, 0x01] && bytes(-65) == [0x81, 0x01] && bytes(8191) == [0xFE, 0x7F] && bytes(8192) == [0x80, 0x80, 0x01])
        #expect(bytes(Int.max).count == 10 && bytes(Int.min).count == 10)
        let values = [0, 1, -1, 63, 64, -64, -65, 127, 128, 300, -300, 8191, 8192, 1 << 20, 1 << 35, -(1 << 40), Int.max, Int.min, Int.max - 1]
        var w = FactsCodec.Writer(capacity: 1)  // grows past its reservation
        for v in values { w.int(v); w.string("é\(v)"); w.bool(v > 0) }
        var r = FactsCodec.Reader(w.bytes[...])
        for v in values {
            #expect(try r.int() == v)
            #expect(try r.string() == "é\(v)")
            #expect(try r.bool() == (v > 0))
        }
        #expect(r.i == w.bytes.endIndex)
    }

    /// The reference: every string's index is the order of its first occurrence, by bytes.
    static func referenceIndices(_ strings: [String]) -> [Int?] {
        var seen: [[UInt8]: Int] = [:]
        return strings.map { s in
            let b = Array(s.utf8)
            if let i = seen[b] { return i }
            seen[b] = seen.count
            return nil
        }
    }

    @Test("interning gives each string the index of its first occurrence, before and after the table outgrows its list", arguments: [3, 20, 24, 25, 200])
    func interning(distinct: Int) {
        // Equal lengths with different bytes, the same text in separate storage, empty, long and non-ASCII strings.
        var pool = ["", "ab", "ba", "a-rule-id", String(repeating: "help text ", count: 20), "naïve", "日本"]
        pool += (0..<distinct).map { "svc/module_\($0 % 10)/file\($0).py" }
        var strings: [String] = []
        for k in 0..<(pool.count * 4) {
            let s = pool[(k * 7) % pool.count]
            strings.append(k % 3 == 0 ? String(decoding: Array(s.utf8), as: UTF8.self) : s)
        }
        var table = FindingCodec.Interner()
        let got = strings.map { table.index(of: $0) }
        #expect(got == Self.referenceIndices(strings))
        #expect(table.count == Set(strings.map { Array($0.utf8) }).count)
    }

    @Test("canonically equivalent spellings stay distinct: a warm run prints the bytes the cold run printed", arguments: [1, 40])
    func canonicalEquivalents(padding: Int) throws {
        let composed = "caf\u{E9} is unpooled", decomposed = "cafe\u{301} is unpooled"
        // Same length, equivalent: combining marks in the other order.
        let marksA = "a\u{301}\u{316}", marksB = "a\u{316}\u{301}"
        #expect(composed == decomposed && marksA == marksB)  // what `String` and `[String: Int]` would merge
        var strings = (0..<padding).map { "pad\($0)" }
        strings += [composed, decomposed, marksA, marksB, composed, marksB]
        var table = FindingCodec.Interner()
        let got = strings.map { table.index(of: $0) }
        #expect(got == Self.referenceIndices(strings))

        var e = FindingCodec.Encoder()
        for s in strings { e.string(s) }
        var d = try FindingCodec.Decoder(e.bytes[...])
        for s in strings { #expect(Array(try d.string().utf8) == Array(s.utf8)) }
        #expect(d.atEnd)
    }

    @Test("an encoded document is the reference form: -1 and the bytes on first use, the index after, -2 for a literal")
    func encoderBytes() {
        let strings = (0..<60).map { "s\($0 % 31)" } + ["", "x", "s3"]
        var e = FindingCodec.Encoder(marker: 0x52, capacity: 4)
        var expected = FactsCodec.Writer()
        expected.byte(0x52); expected.byte(FindingCodec.version)
        for (s, i) in zip(strings, Self.referenceIndices(strings)) {
            e.string(s)
            if let i { expected.int(i) } else { expected.int(-1); expected.string(s) }
        }
        e.literal("fl1:fingerprint")
        expected.int(-2); expected.string("fl1:fingerprint")
        #expect(e.bytes == expected.bytes)
    }

    @Test("strings found by their representation get the reference form too: shared storage, copies, slot collisions")
    func encoderIdentity() {
        // Long strings (heap storage): each also as a copy in storage of its own, and many distinct ones, so that
        // the representation table's slots are reused; short ones are stored inline.
        let base = (0..<300).map { "services/svc\($0 % 97)/handlers/module_\($0).py needs a pooled client" } + ["", "x", "short"]
        var strings: [String] = []
        for k in 0..<3000 {
            let s = base[(k * 31 + k / 7) % base.count]
            strings.append(k % 5 == 0 ? String(decoding: Array(s.utf8), as: UTF8.self) : s)
        }
        var e = FindingCodec.Encoder()
        var expected = FactsCodec.Writer()
        expected.byte(FindingCodec.marker); expected.byte(FindingCodec.version)
        for (s, i) in zip(strings, Self.referenceIndices(strings)) {
            e.string(s)
            if let i { expected.int(i) } else { expected.int(-1); expected.string(s) }
        }
        #expect(e.bytes == expected.bytes)
    }

    @Test("a key built in pieces past the flush size is the SHA-256 of all its bytes", arguments: [10, 5_000, 40_000])
    func streamedKey(parts: Int) {
        var b = ContentHash.Builder()
        var all: [UInt8] = []
        for i in 0..<parts {
            let p = "services/svc\(i)/module.py\t\(i * 7919)"
            b.part(p)
            all += Array(p.utf8) + [0x1F]
        }
        // The largest input is hashed in several pieces, the smallest in one.
        #expect(parts == 40_000 ? all.count > 4 * ContentHash.Builder.flushSize : parts == 10 ? all.count < ContentHash.Builder.flushSize : true)
        #expect(b.finish() == ContentHash.sha256(bytes: all))
        #expect(ContentHash.sha256((0..<parts).map { "p\($0)" }) == ContentHash.sha256(bytes: (0..<parts).flatMap { Array("p\($0)".utf8) + [0x1F] }))
    }

    @Test("metadata is written in key order at every depth")
    func metadataOrder() throws {
        let value: [String: MetadataValue] = ["b": 1, "a": .object(["z": true, "y": "s", "x": .array([.object(["q": 1, "p": 2])])]), "c": "t"]
        var e = FindingCodec.Encoder()
        e.metadataTable(value)
        var d = try FindingCodec.Decoder(e.bytes[...])
        #expect(try d.metadataTable() == value)
        // Keys in order: the first key written is "a" (a -1 then its length 1 then the byte).
        let head: [UInt8] = [6, 1, 2, 0x61, 8]  // 3 pairs; -1; length 1; "a"; an object (4)
        #expect(Array(e.bytes[2..<7]) == head)
    }

    @Test("a Python analysis with large facts keeps them whole in the mixed form (multi-byte length prefix)", arguments: [3, 400, 3000])
    func mixedWithLargeFacts(imports: Int) throws {
        var a = FileAnalysis(path: "svc/app.py", kind: .python, blob: nil)
        a.problems = [ParseProblem(code: "x", message: "m", range: SourceRange(line: 1, column: 1), help: nil)]
        let facts = (0..<imports).map {
            ImportFact(isFrom: $0 % 2 == 0, module: "pkg\($0).mod", names: ["a", "b\($0)"], level: 0,
                       range: SourceRange(line: $0 + 1, column: 1), context: "module", isGuardedByTry: false, isTypeCheckingOnly: false)
        }
        a.python = PythonFacts(isPackage: false, imports: facts, classes: [], calls: [], fullParse: true)
        let payload = try #require(AnalysisCache.payload(a))
        let standalone = FactsCodec.encode(a.python!)
        // The facts' own form sits at the end, preceded by its length.
        #expect(Array(payload.suffix(standalone.count)) == standalone)
        let back = try #require(FactsCodec.decodeMixed(payload[...], path: a.path, blob: nil))
        #expect(back.python?.imports == a.python?.imports && back.problems == a.problems)
    }

    @Test("an entry read without its findings has every other field, strings the findings brought to the table included")
    func mixedWithoutFindings() throws {
        var a = FileAnalysis(path: "svc/app.py", kind: .python, blob: nil)
        func finding(_ rule: String, _ line: Int) -> Finding {
            var f = Finding(ruleID: rule, severity: .warning, message: "a message about \(rule)", help: "help for \(rule)",
                            path: a.path, range: SourceRange(line: line, column: 1),
                            related: [RelatedLocation(path: a.path, range: SourceRange(line: line + 1, column: 2), note: "again")],
                            metadata: ["callee": "requests.get", "depth": .array([1, .object(["k": true])])], anchor: "f", scope: "f")
            f.fingerprint = "fp-\(line)"
            return f
        }
        a.findings = [finding("unpooled-client", 3), finding("fixed-sleep-retry", 9)]
        // Strings the findings add to the table first, then referred to by index after them.
        a.ruleSkips = ["unpooled-client", "fixed-sleep-retry", "a message about unpooled-client"]
        a.problems = [ParseProblem(code: "x", message: "m", range: SourceRange(line: 1, column: 1), help: nil)]
        a.python = PythonFacts(isPackage: false, imports: [ImportFact(
            isFrom: false, module: "requests", names: [], level: 0, range: SourceRange(line: 1, column: 1), context: "module",
            isGuardedByTry: false, isTypeCheckingOnly: false)], classes: [], calls: [], fullParse: true)
        let payload = try #require(AnalysisCache.payload(a))
        let whole = try #require(FactsCodec.decodeMixed(payload[...], path: a.path, blob: nil))
        #expect(whole.findings == a.findings)
        let without = try #require(FactsCodec.decodeMixed(payload[...], path: a.path, blob: nil, findings: false))
        var expected = whole
        expected.findings = []
        #expect(without.findings.isEmpty && without.ruleSkips == a.ruleSkips)
        #expect(without.python?.imports == whole.python?.imports && without.problems == whole.problems)
        #expect(without.kind == expected.kind && without.skipped == expected.skipped && without.suppressions == expected.suppressions)
        // A damaged entry is refused when its findings are only read past exactly when it is refused read whole.
        var refused = 0
        for cut in stride(from: 2, to: payload.count - 3, by: 5) {
            var bad = payload
            bad.removeSubrange(cut..<(cut + 3))
            let skipping = FactsCodec.decodeMixed(bad[...], path: a.path, blob: nil, findings: false) == nil
            #expect(skipping == (FactsCodec.decodeMixed(bad[...], path: a.path, blob: nil) == nil), "cut at \(cut)")
            if skipping { refused += 1 }
        }
        #expect(refused > 0)
    }

    @Test("cache keys parse from and print to 64 lowercase hex digits; anything else is rejected")
    func cacheKeys() throws {
        let hex = "0123456789abcdef" + "fedcba9876543210" + "00000000000000ff" + "8000000000000001"
        let key = try #require(CacheKey(hex))
        #expect(key.a == 0x0123_4567_89ab_cdef && key.b == 0xfedc_ba98_7654_3210 && key.c == 0xff && key.d == 0x8000_0000_0000_0001)
        #expect(key.hexBytes == Array(hex.utf8))
        #expect(CacheKey(hex: Array(hex.utf8)[...]) == key)
        #expect(CacheKey(hex.uppercased()) == nil && CacheKey(String(hex.dropLast())) == nil && CacheKey(hex + "0") == nil)
        // Every byte just outside 0-9 and a-f, and non-ASCII, at every position.
        for bad in ["/", ":", "`", "g", "@", "A", "F", "G", " ", "\u{7F}"] {
            for at in stride(from: 0, to: 64, by: 7) {
                var bytes = Array(hex.utf8)
                bytes[at] = Array(bad.utf8)[0]
                #expect(CacheKey(hex: bytes[...]) == nil, "\(bad) at \(at)")
            }
        }
        var accented = Array(hex.utf8)
        accented.replaceSubrange(10..<12, with: Array("é".utf8))
        #expect(CacheKey(hex: accented[...]) == nil)
        // Every digit value in every position of a word.
        for d in Array("0123456789abcdef".utf8) {
            let same = [UInt8](repeating: d, count: 64)
            let v = UInt64(d <= 0x39 ? d - 0x30 : d - 0x57)
            #expect(CacheKey(hex: same[...]).map(\.a) == v &* 0x1111_1111_1111_1111)
        }
        let digest = ContentHash.sha256(["some", "parts"])
        #expect(CacheKey(digest).map { String(decoding: $0.hexBytes, as: UTF8.self) } == digest)
    }

    @Test("content hashes: parts without 0x1E or 0x1F hash as they always did; with them, no two part lists read alike")
    func contentHashParts() {
        // hashlib.sha256(b"abc\x1fd\x1f"): the digest every stored key of ordinary parts was made with.
        #expect(ContentHash.sha256(["abc", "d"]) == "9955a0ac4659d8377fb863b495cb3a628cb809dc2309000b78b715643323a7a2")
        // One part holding the separator: written escaped (hashlib.sha256(b"a\x1e\x1fb\x1f")), not as two parts.
        #expect(ContentHash.sha256(["a\u{1F}b"]) == "30e8af322e2e2339efa81e2df5b5e6b773ea0daa240afd27468d7fcb4815f660")
        #expect(ContentHash.sha256(["a\u{1F}b"]) != ContentHash.sha256(["a", "b"]))
        #expect(ContentHash.sha256(["a\u{1E}", "b"]) != ContentHash.sha256(["a", "\u{1E}b"]))
        #expect(ContentHash.sha256(["a\u{1E}\u{1F}", "b"]) != ContentHash.sha256(["a\u{1E}", "\u{1F}b"]))
    }

    @Test("blob ids equal git's at every header width", arguments: [
        (1, "2e65efe2a145dda7ee51d1741299f848e5bf752e"), (9, "9606d7d1d721ee674034a40f6f51feccbbe218f4"),
        (10, "1a4ef0a13676bd250bc7a339220069966d340462"), (55, "d1985ddc2983785702b9a90effd5aff2f7cfdca4"),
        (56, "1f973e890f52da1f22fa7e5620a628bc4ee74cb3"), (64, "71b7a71962774fa5c721e1163f935cb61a0e09e6"),
        (99, "f498bf47153d79a0d30a2e33b3afe114f68e44c3"), (100, "d690765445339443e88fd770dad129c38e3521ff"),
        (1000, "a50be72b20f0e3f078d252e8e56b11b4bec67509"), (65536, "dbdcf4b7feebd9fab1c18b1b8c016c8e56f33962"),
        (1_000_000, "de1fbf0c2f34f67f01f355f31ed0cf7319643c5e"),
    ])
    func blobIDs(size: Int, id: String) {  // `head -c N /dev/zero | tr '\0' a | git hash-object --stdin`
        #expect(BlobID.of([UInt8](repeating: 0x61, count: size)).hex == id)
    }

    @Test("digests print as lowercase hex")
    func hexDigests() {
        #expect(ContentHash.sha256(bytes: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect([UInt8]([0x00, 0x09, 0x0a, 0xf0, 0xff]).withUnsafeBytes { Hex.string($0) } == "00090af0ff")
    }

    @Test("a batch of stat records writes the table one-by-one records write, in UTF-8 byte order, racy files left out")
    func statTableBatch() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-statb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let old: Int64 = 1_000_000_000
        // `e` + U+0301 sorts after `f` as a `String` (it is `é`), before it by bytes.
        let paths = ["f.md", "e\u{301}.md", "a/b.py", "A.txt", "tab\there.py", "z/recent.py"]
        let records = paths.enumerated().map { i, path in
            let recent = path.hasSuffix("recent.py") ? Int64(Date().timeIntervalSince1970 * 1e9) : old
            return (path: path, stamp: FileStamp(size: i, mtimeNanos: recent, ctimeNanos: old, inode: UInt64(i)),
                    blob: BlobID.of(Array("content \(i)".utf8)))
        }
        let one = AnalysisCache(directory: base.appendingPathComponent("one"))
        for r in records { one.record(path: r.path, stamp: r.stamp, blob: r.blob) }
        one.save()
        let batch = AnalysisCache(directory: base.appendingPathComponent("batch"))
        batch.record(records)
        batch.save()
        let a = try Data(contentsOf: base.appendingPathComponent("one/\(AnalysisCache.statName)"))
        let b = try Data(contentsOf: base.appendingPathComponent("batch/\(AnalysisCache.statName)"))
        #expect(a == b)
        let lines = String(decoding: b, as: UTF8.self).split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        #expect(lines == ["A.txt", "a/b.py", "e\u{301}.md", "f.md"])
        #expect(lines.map { Array($0.utf8) } == lines.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        // A batch already in byte order (a cold run's, in snapshot order) is written in that order unsorted; a record
        // made after it is sorted into place.
        let sortedBatch = records.sorted { $0.path.utf8Precedes($1.path) }
        let inOrder = AnalysisCache(directory: base.appendingPathComponent("sorted"))
        inOrder.record(sortedBatch)
        inOrder.save()
        #expect(try Data(contentsOf: base.appendingPathComponent("sorted/\(AnalysisCache.statName)")) == a)
        let later = AnalysisCache(directory: base.appendingPathComponent("later"))
        later.record(sortedBatch.filter { $0.path != "A.txt" })
        let first = try #require(sortedBatch.first { $0.path == "A.txt" })
        later.record(path: first.path, stamp: first.stamp, blob: first.blob)
        later.save()
        #expect(try Data(contentsOf: base.appendingPathComponent("later/\(AnalysisCache.statName)")) == a)
    }

    @Test("a cold run's batch of stat records is looked up as the dictionary would be: in order, out of order, racy and missing")
    func statBatchLookups() throws {
        let old: Int64 = 1_000_000_000
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let paths = (0..<40).map { String(format: "d%02d/file%02d.py", $0 / 7, $0) }
        let records: [(path: String, stamp: FileStamp, blob: BlobID)?] = paths.enumerated().map { i, path in
            guard i % 9 != 4 else { return nil }  // a file without a record (not read)
            return (path, FileStamp(size: i, mtimeNanos: i % 11 == 3 ? now : old, ctimeNanos: old, inode: UInt64(i)),
                    BlobID.of(Array("content \(i)".utf8)))
        }
        let batched = AnalysisCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-sb-\(UUID().uuidString)"))
        batched.record(StatBatch(count: records.count) { records[$0] })
        let single = AnalysisCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-sb-\(UUID().uuidString)"))
        for r in records.compactMap({ $0 }) { single.record(path: r.path, stamp: r.stamp, blob: r.blob) }
        let order = Array(paths.indices) + paths.indices.reversed() + [5, 30, 2, 2, 39, 0]
        for i in order {
            let stamp = records[i]?.stamp ?? FileStamp(size: i, mtimeNanos: old, ctimeNanos: old, inode: UInt64(i))
            #expect(batched.blob(forPath: paths[i], stamp: stamp) == single.blob(forPath: paths[i], stamp: stamp), "\(paths[i])")
        }
        #expect(batched.blob(forPath: "d00/absent.py", stamp: FileStamp(size: 0, mtimeNanos: old, ctimeNanos: old, inode: 0)) == nil)
        #expect(batched.blob(forPath: paths[1], stamp: FileStamp(size: 99, mtimeNanos: old, ctimeNanos: old, inode: 1)) == nil, "a changed stat")
    }

    @Test("entry checksums are the reference values, and a flipped byte anywhere or a truncation is caught")
    func entryChecksums() throws {
        // The reference (a transcription of the word-wise mix, checked outside Swift): the pack on disk must read
        // back on every machine and build.
        #expect(PackEntries.checksum([UInt8]()[...]) == 0x2ad0_938b_4c26_d017)
        #expect(PackEntries.checksum(Array("a".utf8)[...]) == 0xf8ec_39b6_8a68_c9ed)
        #expect(PackEntries.checksum(Array("fleetlint pack entry 0123456789".utf8)[...]) == 0x0aef_cbc8_fbd8_a02e)
        let payload = (0..<67).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let key = String(repeating: "ab", count: 32)
        var bytes: [UInt8] = []
        PackEntries.append(key, payload[...], to: &bytes)
        var ranges: [Range<Int>] = []
        #expect(!PackEntries.scan(bytes, from: 0) { _, r in ranges.append(r) })
        let range = try #require(ranges.first)
        #expect(PackEntries.payload(bytes, range).map(Array.init) == payload)
        for i in (range.lowerBound + 12)..<range.upperBound {
            var bad = bytes
            bad[i] ^= 0x01
            #expect(PackEntries.payload(bad, range) == nil, "flip at \(i)")
        }
        #expect(PackEntries.scan(Array(bytes.dropLast()), from: 0) { _, _ in })  // truncated
    }

    @Test("the pack file read from disk in pieces lists the entries the bytes in memory do, truncated or not, across its buffer")
    func packFileReads() throws {
        let magic = AnalysisCache.magic
        var bytes = magic
        // Payloads around and past the cursor's 1 MiB buffer, so headers and entries straddle its refills.
        var rng = SeededGenerator(seed: 11)
        let sizes = [0, 1, 67, 1 << 20, 1 << 20 - 80, 3] + (0..<600).map { _ in Int.random(in: 0..<6_000, using: &rng) }
        for (n, size) in sizes.enumerated() {
            let key = String(format: "%064x", n)
            PackEntries.append(key, (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }[...], to: &bytes)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for cut in [0, 1, 40, 1 << 20 + 500, bytes.count / 2] {
            let trimmed = Array(bytes.dropLast(cut))
            let path = dir.appendingPathComponent("p\(cut)").path
            try Data(trimmed).write(to: URL(fileURLWithPath: path))
            var expected: [(key: [UInt8], range: Range<Int>)] = []
            let expectedTruncated = PackEntries.scan(trimmed, from: magic.count) { k, r in expected.append((Array(k), r)) }
            let file = try #require(PackFile(path: path, magic: magic))
            var listed: [(key: [UInt8], range: Range<Int>)] = []
            let truncated = file.scan { k, r in listed.append((Array(k), r)) }
            #expect(truncated == expectedTruncated && truncated == (cut != 0), "cut \(cut)")
            #expect(listed.map(\.key) == expected.map(\.key) && listed.map(\.range) == expected.map(\.range), "cut \(cut)")
            var cursor = PackFile.Cursor(file)
            for (_, range) in listed {
                let entry = try #require(file.read(range))
                #expect(PackEntries.payload(entry, entry.indices).map(Array.init) == PackEntries.payload(trimmed, range).map(Array.init))
                #expect(cursor.bytes(range).map(Array.init) == entry)
            }
            #expect(file.read((file.size - 2)..<(file.size + 5)) == nil)  // past the end
        }
        // Not a pack: another magic, or no file.
        let other = dir.appendingPathComponent("other").path
        try Data("FLCACHE2\n".utf8).write(to: URL(fileURLWithPath: other))
        #expect(PackFile(path: other, magic: magic) == nil)
        #expect(PackFile(path: dir.appendingPathComponent("none").path, magic: magic) == nil)
    }

    @Test("background work returns its body's value to every caller, once the body is done")
    func backgroundWork() {
        let started = ContinuousClock.now
        let work = BackgroundWork { () -> Int in
            Thread.sleep(forTimeInterval: 0.05)
            return 42
        }
        #expect(work.result() == 42)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        #expect(work.result() == 42)  // a second call does not wait forever
    }

    @Test("a cache knows whether its pack holds entries: none when missing, some after a run stored one")
    func mayHaveEntries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-may-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(!AnalysisCache(directory: dir).mayHaveEntries)
        let cache = AnalysisCache(directory: dir)
        let key = AnalysisCache.key(blob: BlobID.of([1]), kind: .python, path: "a.py", settings: "s")
        cache.store(key, FileAnalysis(path: "a.py", kind: .python, blob: BlobID.of([1])))
        cache.save()
        let again = AnalysisCache(directory: dir)
        #expect(again.mayHaveEntries)
        #expect(again.lookup(key, path: "a.py", kind: .python, blob: BlobID.of([1])) != nil)
    }

    @Test("the stat table is written sorted by path and read back, edge numbers included")
    func statTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-stat-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old: Int64 = 1_000_000_000  // 1970: outside the racy window
        let files: [(String, FileStamp)] = [
            ("b/é.py", FileStamp(size: 0, mtimeNanos: old, ctimeNanos: old, inode: 0)),
            ("a/x.py", FileStamp(size: 123_456_789, mtimeNanos: -old, ctimeNanos: -5, inode: 1 << 62)),
            ("B.txt", FileStamp(size: 9, mtimeNanos: 10, ctimeNanos: 99, inode: 100)),
            ("a/z", FileStamp(size: 1, mtimeNanos: old + 1, ctimeNanos: old + 2, inode: 7)),
        ]
        let cache = AnalysisCache(directory: dir)
        for (i, (path, stamp)) in files.enumerated() {
            cache.record(path: path, stamp: stamp, blob: BlobID.of(Array("content \(i)".utf8)))
        }
        cache.save()
        let text = try String(contentsOf: dir.appendingPathComponent(AnalysisCache.statName), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.map { String($0.prefix { $0 != "\t" }) } == ["B.txt", "a/x.py", "a/z", "b/é.py"])
        #expect(lines[1] == "a/x.py\t123456789\t-1000000000\t-5\t4611686018427387904\t\(BlobID.of(Array("content 1".utf8)).hex)")
        let again = AnalysisCache(directory: dir)
        for (i, (path, stamp)) in files.enumerated() {
            #expect(again.blob(forPath: path, stamp: stamp) == BlobID.of(Array("content \(i)".utf8)), "\(path)")
            var moved = stamp
            moved.size += 1
            #expect(again.blob(forPath: path, stamp: moved) == nil)
        }
    }

    @Test("a stat table of 14,000 records (1.5 MB) answers every record: malformed lines skipped, a repeated path's last line wins")
    func largeStatTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-stat-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // 14,000 records of ~100 bytes, in path order, with a malformed line every 997 records and one path repeated
        // (the later line wins) across the middle.
        var text = ""
        var expected: [(String, FileStamp, BlobID)] = []
        for i in 0..<14_000 {
            let path = String(format: "services/svc%05d/module_with_a_long_name.py", i)
            let stamp = Self.settledStamp(i)
            let blob = Self.blobOf("content \(i)")
            text += "\(path)\t\(stamp.size)\t\(stamp.mtimeNanos)\t\(stamp.ctimeNanos)\t\(stamp.inode)\t\(blob.hex)\n"
            if i % 997 == 0 { text += "malformed\tline\n" }
            expected.append((path, stamp, blob))
        }
        let repeated = expected[3], later = Self.blobOf("later")
        text += "\(repeated.0)\t\(repeated.1.size)\t\(repeated.1.mtimeNanos)\t\(repeated.1.ctimeNanos)\t\(repeated.1.inode)\t\(later.hex)\n"
        expected[3].2 = later
        #expect(text.utf8.count > 1 << 20)
        try Data(text.utf8).write(to: dir.appendingPathComponent(AnalysisCache.statName))
        let cache = AnalysisCache(directory: dir)
        for (path, stamp, blob) in expected {
            #expect(cache.blob(forPath: path, stamp: stamp) == blob, "\(path)")
        }
        #expect(cache.blob(forPath: "malformed", stamp: Self.settledStamp(0)) == nil)
    }

    /// A modification time long before any run (a stat the table trusts), and stats numbered from it.
    static let settled: Int64 = 1_000_000_000
    static func settledStamp(_ i: Int) -> FileStamp {
        FileStamp(size: i, mtimeNanos: settled + Int64(i), ctimeNanos: settled, inode: UInt64(i))
    }
    static func blobOf(_ s: String) -> BlobID { BlobID.of(Array(s.utf8)) }

    @Test("a stat table read back is looked up and merged with a run's records as one dictionary of them all would be")
    func loadedStatTable() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-statl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let old = Self.settled
        let stamp = Self.settledStamp, blob = Self.blobOf
        // `e` + U+0301 sorts after `f` as a `String`, before it by bytes.
        let first = ["b.py", "d/e.py", "e\u{301}.md", "f.md", "m/n/o.py", "z.txt"]
        let written = AnalysisCache(directory: base.appendingPathComponent("read"))
        for (i, path) in first.enumerated() { written.record(path: path, stamp: stamp(i), blob: blob(path)) }
        written.save()
        // This run: a path before every one of the table's, between two, equal to one with a new stat and blob, equal
        // to one unchanged, and after every one.
        let run: [(String, FileStamp, BlobID)] = [
            ("a.py", stamp(10), blob("a")), ("c.py", stamp(11), blob("c")), ("f.md", stamp(12), blob("f2")),
            ("m/n/o.py", stamp(4), blob("m/n/o.py")), ("zz.txt", stamp(13), blob("zz")),
        ]
        let merged = AnalysisCache(directory: base.appendingPathComponent("read"))
        for (i, path) in first.enumerated().reversed() {  // out of the table's order: the binary search, not the hint
            #expect(merged.blob(forPath: path, stamp: stamp(i)) == blob(path), "\(path)")
            #expect(merged.blob(forPath: path, stamp: stamp(i + 100)) == nil, "\(path), another stat")
        }
        #expect(merged.blob(forPath: "c.py", stamp: stamp(11)) == nil)
        for r in run { merged.record(path: r.0, stamp: r.1, blob: r.2) }
        #expect(merged.blob(forPath: "f.md", stamp: stamp(12)) == blob("f2"), "this run's record wins")
        #expect(merged.blob(forPath: "f.md", stamp: stamp(3)) == nil)
        #expect(merged.blob(forPath: "c.py", stamp: stamp(11)) == blob("c"))
        merged.save()
        let expected = AnalysisCache(directory: base.appendingPathComponent("all"))
        for (i, path) in first.enumerated() { expected.record(path: path, stamp: stamp(i), blob: blob(path)) }
        for r in run { expected.record(path: r.0, stamp: r.1, blob: r.2) }
        expected.save()
        let table = try Data(contentsOf: base.appendingPathComponent("read/\(AnalysisCache.statName)"))
        #expect(table == (try Data(contentsOf: base.appendingPathComponent("all/\(AnalysisCache.statName)"))))
        #expect(String(decoding: table, as: UTF8.self).split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
                == ["a.py", "b.py", "c.py", "d/e.py", "e\u{301}.md", "f.md", "m/n/o.py", "z.txt", "zz.txt"])
        // Only unchanged records: nothing to write.
        let unchanged = AnalysisCache(directory: base.appendingPathComponent("read"))
        unchanged.record(path: "b.py", stamp: stamp(0), blob: blob("b.py"))
        unchanged.save()
        #expect(try Data(contentsOf: base.appendingPathComponent("read/\(AnalysisCache.statName)")) == table)

        // A table out of order (written by hand or another build), a path twice (the later line wins, as it did in the
        // dictionary) and malformed lines (skipped).
        let hand = base.appendingPathComponent("hand")
        try FileManager.default.createDirectory(at: hand, withIntermediateDirectories: true)
        let lines = [
            "z.py\t1\t\(old)\t\(old)\t1\t\(blob("z").hex)",
            "a.py\t2\t\(old)\t\(old)\t2\t\(blob("a-first").hex)",
            "broken line",
            "k.py\t3\tx\t\(old)\t3\t\(blob("k").hex)",
            "a.py\t2\t\(old)\t\(old)\t2\t\(blob("a-last").hex)",
            "c.py\t4\t\(old)\t\(old)\t4\t\(blob("c").hex)",
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: hand.appendingPathComponent(AnalysisCache.statName))
        let handRead = AnalysisCache(directory: hand)
        func st(_ n: Int) -> FileStamp { FileStamp(size: n, mtimeNanos: old, ctimeNanos: old, inode: UInt64(n)) }
        #expect(handRead.blob(forPath: "a.py", stamp: st(2)) == blob("a-last"))
        #expect(handRead.blob(forPath: "c.py", stamp: st(4)) == blob("c"))
        #expect(handRead.blob(forPath: "z.py", stamp: st(1)) == blob("z"))
        #expect(handRead.blob(forPath: "k.py", stamp: st(3)) == nil)
        handRead.record(path: "b.py", stamp: st(5), blob: blob("b"))
        handRead.save()
        #expect(try String(contentsOf: hand.appendingPathComponent(AnalysisCache.statName), encoding: .utf8).split(separator: "\n")
                    .map { String($0.prefix { $0 != "\t" }) } == ["a.py", "b.py", "c.py", "z.py"])
    }

    @Test("a working tree's listing drops the stat table's records of paths that are gone, and only those")
    func statTableListing() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-statg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let stamp = Self.settledStamp, blob = Self.blobOf
        func paths() throws -> [String] {
            try String(contentsOf: base.appendingPathComponent(AnalysisCache.statName), encoding: .utf8)
                .split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        }
        // `e` + U+0301 sorts after `f` as a `String`, before it by bytes: the walk is in byte order.
        let first = ["a.py", "b/c.py", "e\u{301}.md", "f.md", "g.txt", "z.py"]
        let cache = AnalysisCache(directory: base)
        for (i, path) in first.enumerated() { cache.record(path: path, stamp: stamp(i), blob: blob(path)) }
        cache.save()
        #expect(try paths() == first)

        func listing(_ ps: [String]) -> StatBatch.Listing { StatBatch.Listing(count: ps.count) { ps[$0] } }
        // Nothing recorded, two paths gone (one of them the first and one the byte-ordered middle), a new one listed
        // but not recorded: the table is written again without the two.
        let pruned = AnalysisCache(directory: base)
        #expect(pruned.blob(forPath: "f.md", stamp: stamp(3)) == blob("f.md"))
        pruned.noteListing(listing(["b/c.py", "e\u{301}.md", "f.md", "new.py", "z.py"]))
        pruned.save()
        #expect(try paths() == ["b/c.py", "e\u{301}.md", "f.md", "z.py"])

        // With this run's records: a changed one kept in place of the row, a new one added, the gone ones dropped.
        let merged = AnalysisCache(directory: base)
        merged.record(path: "f.md", stamp: stamp(20), blob: blob("f2"))
        merged.record(path: "new.py", stamp: stamp(21), blob: blob("new"))
        merged.noteListing(listing(["f.md", "new.py", "z.py"]))
        merged.save()
        #expect(try paths() == ["f.md", "new.py", "z.py"])
        let reread = AnalysisCache(directory: base)
        #expect(reread.blob(forPath: "f.md", stamp: stamp(20)) == blob("f2"))
        #expect(reread.blob(forPath: "z.py", stamp: stamp(5)) == blob("z.py"))

        // Every path still listed: nothing to write (the file is untouched).
        let before = try Data(contentsOf: base.appendingPathComponent(AnalysisCache.statName))
        let same = AnalysisCache(directory: base)
        same.noteListing(listing(["a.py", "f.md", "new.py", "z.py"]))
        same.save()
        #expect(try Data(contentsOf: base.appendingPathComponent(AnalysisCache.statName)) == before)
        // A listing out of byte order is not trusted: nothing is dropped.
        let unordered = AnalysisCache(directory: base)
        unordered.noteListing(listing(["z.py", "f.md"]))
        unordered.save()
        #expect(try paths() == ["f.md", "new.py", "z.py"])
        #expect(!listing(["z.py", "f.md"]).isOrdered && listing(["e\u{301}.md", "f.md"]).isOrdered && !listing(["a", "a"]).isOrdered)
    }

    @Test("the pack's index finds each key's first entry and lists the entries to keep: used ones first, each in file order")
    func packIndexOrder() throws {
        func key(_ n: UInt64) -> CacheKey { CacheKey(a: n % 3, b: n, c: ~n, d: n &* 31) }  // the first word repeats
        // Pack order is file order: keys 0...9 at offsets 100, 200, ..., then key 4 and key 7 again further on; a delta
        // (file 1) holds key 7 a third time (at a lower offset: the file decides first) and keys 10 and 11.
        var listed = (0..<10).map { PackIndex.Row(key: key(UInt64($0)), start: 100 * ($0 + 1), count: UInt32($0 + 1)) }
        listed += [PackIndex.Row(key: key(4), start: 5_000, count: 99), PackIndex.Row(key: key(7), start: 6_000, count: 98)]
        listed += [PackIndex.Row(key: key(11), file: 1, start: 1_200, count: 5), PackIndex.Row(key: key(7), file: 1, start: 50, count: 9),
                   PackIndex.Row(key: key(10), file: 1, start: 1_100, count: 4)]
        var index = PackIndex(listed)
        #expect(index.count == 12)
        #expect(index.use(key(99)) == nil)
        #expect(index.use(key(7)).map { [Int($0.file), $0.range.lowerBound, $0.range.upperBound] } == [0, 800, 808],
                "the first entry under a key: the pack's before a delta's")
        #expect(index.use(key(2))?.range == 300..<303)
        #expect(index.use(key(9))?.range == 1_000..<1_010)
        #expect(index.use(key(11)).map { [Int($0.file), $0.range.lowerBound] } == [1, 1_200])
        index.remove(key(5))
        #expect(index.use(key(5)) == nil)
        var order: [Int] = []
        index.forEachInSaveOrder { k, file, r in
            #expect(k == key(UInt64(r.lowerBound / 100 - 1)))
            order.append(Int(file) * 1_000 + r.lowerBound / 100 - 1)
        }
        #expect(order == [2, 7, 9, 1_011, 0, 1, 3, 4, 6, 8, 1_010])
        #expect(PackIndex([]).isEmpty)
    }

    @Test("a pack holding one key twice answers with the first entry, as it did before the index was built in locals")
    func repeatedKeyFirstWins() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleetlint-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var first = FileAnalysis(path: "a.py", kind: .python, blob: nil)
        first.ruleSkips = ["first"]
        var second = FileAnalysis(path: "a.py", kind: .python, blob: nil)
        second.ruleSkips = ["second"]
        let key = String(repeating: "cd", count: 32)
        var bytes = AnalysisCache.magic
        for a in [first, second] { PackEntries.append(key, try #require(AnalysisCache.payload(a))[...], to: &bytes) }
        try Data(bytes).write(to: dir.appendingPathComponent(AnalysisCache.packName))
        let found = AnalysisCache(directory: dir).lookup(key, path: "a.py", kind: .python, blob: nil)
        #expect(found?.ruleSkips == ["first"])
    }

    @Test("workers interning at once share one object per distinct import target and one storage per long string")
    func concurrentInterning() {
        let interner = FactInterner()
        let modules = (0..<40).map { "package_\($0 % 7).module_with_a_long_name" }
        var results = [FileAnalysis?](repeating: nil, count: 400)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: 400) { i in
                var a = FileAnalysis(path: "f\(i).py", kind: .python, blob: nil)
                let imports = (0..<8).map { k in
                    ImportFact(isFrom: true, module: String(decoding: Array(modules[(i + k) % 40].utf8), as: UTF8.self),
                               names: ["a_name_long_enough_to_be_stored"], level: 0, range: SourceRange(line: 1, column: 1),
                               context: "module", isGuardedByTry: false, isTypeCheckingOnly: false)
                }
                a.python = PythonFacts(isPackage: false, imports: imports, classes: [], calls: [],
                                       fullParse: true, importContext: ImportContextFact())
                (base + i).initialize(to: interner.compact(a))
            }
        }
        var byModule: [String: Set<ObjectIdentifier>] = [:]
        var storages = Set<UInt64>()
        for r in results {
            for fact in r?.python?.imports ?? [] {
                byModule[fact.module, default: []].insert(fact.targetIdentity)
                storages.insert(unsafeBitCast(fact.module, to: (UInt64, UInt64).self).1)
            }
        }
        #expect(byModule.count == 7)
        #expect(byModule.values.allSatisfy { $0.count == 1 })  // one shared target per distinct import
        #expect(storages.count == 7)  // and the module strings one storage each
    }
    @Test("import targets made from records are the run's shared ones: equal to and hashed as the targets compaction shares")
    func targetsFromRecords() throws {
        let source = """
            import os
            import a.b as ab, c
            from . import sibling
            from ..pkg.mod import (x, y as z)
            from m import *
            try:
                import ujson as json
            except ImportError:
                import json
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from package_with_a_long_name.module_with_a_long_name import AVeryLongClassNameIndeed
            def f():
                import os
            class C:
                from os import path
            """
        let model = PythonSemanticModel(module: PythonParser.parse(Array(source.utf8)), moduleName: "pkg.sub.mod")
        let records = model.imports
        #expect(records.count == 12)  // `import a.b as ab, c` is two records
        let interner = FactInterner()
        var targets: [ImportTarget] = []
        for r in records {
            let made = ImportTarget(r)
            #expect(made.equals(r) && FactInterner.hash(r) == FactInterner.hash(made))
            let shared = interner.target(of: r)
            #expect(shared.isShared && shared == made && interner.target(of: r) === shared)
            targets.append(shared)
        }
        // `import os` at module level and in a function differ by context; each distinct target is one object.
        #expect(records[0].module == "os" && records[10].module == "os" && records[10].context == .function)
        #expect(targets[0] !== targets[10] && Set(targets.map(ObjectIdentifier.init)).count == 12)
        #expect(!records[0].isGuardedByTry && records[6].isGuardedByTry && records[9].isTypeCheckingOnly)
        // A record never equals another statement's target.
        for (i, r) in records.enumerated() { for (k, t) in targets.enumerated() where k != i { #expect(!t.equals(r)) } }
        // Compaction passes shared targets over and shares an equal unshared one (a cached entry's) with them.
        var a = FileAnalysis(path: "f.py", kind: .python, blob: nil)
        a.python = PythonFacts(isPackage: false, imports: records.map { ImportFact($0) }, classes: [], calls: [],
                               fullParse: true, importContext: ImportContextFact())
        let compacted = interner.compact(a)
        #expect(compacted.python!.imports.map(\.targetIdentity) == targets.map(ObjectIdentifier.init))
    }
}
