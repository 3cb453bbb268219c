import CVectorscan
import Foundation

/// Literals compiled into one Vectorscan block-mode database (Hyperscan's portable fork; Debian's libvectorscan5, as
/// Nosey Parker uses it), with the scratch spaces scans need (one per concurrent scan), kept for reuse. The one place
/// that talks to Vectorscan: the engine's few-word searches (`KeywordGate`) and the secret scanner's keywords
/// (`KeywordFilter`) use it.
public final class LiteralDatabase: @unchecked Sendable {
    private let database: OpaquePointer
    /// Whether it was loaded from a `Prebuilt` database rather than compiled.
    public let isPrebuilt: Bool
    private var idle: [OpaquePointer] = []
    private let lock = NSLock()

    /// A database compiled ahead of time (`serialized()` of one made with `portable`), for literals whose
    /// `fingerprint` it carries: compiling the secret catalogue's ~80 caseless keywords took ~63 M instructions at
    /// the start of every run that analyses files, loading it ~1 M.
    public struct Prebuilt: Sendable {
        public let fingerprint: UInt64
        /// The serialized database, in base64 (a string literal compiles quickly; an array literal of 13 KB did not).
        public let base64: String
        public init(fingerprint: UInt64, base64: String) {
            self.fingerprint = fingerprint
            self.base64 = base64
        }
    }

    /// Nil when Vectorscan does not run on this CPU, there are no literals, or they do not compile. Each literal
    /// is reported with its id; `caseless` matches ASCII letters of either case. A `prebuilt` database is used
    /// when it was made from the same literals and loads on this CPU and Vectorscan version (the literals are
    /// compiled otherwise); `portable` compiles for any x86-64 CPU with AVX2 rather than this one (what a
    /// prebuilt database is made with, so that it does not depend on the machine that made it).
    public init?(literals: [(bytes: [UInt8], id: UInt32)], caseless: Bool, prebuilt: Prebuilt? = nil, portable: Bool = false) {
        guard !literals.isEmpty, hs_valid_platform() == HS_SUCCESS else { return nil }
        if let prebuilt, prebuilt.fingerprint == Self.fingerprint(literals: literals, caseless: caseless),
           let loaded = Self.load(prebuilt.base64) {
            database = loaded.database
            idle = [loaded.scratch]
            isPrebuilt = true
            return
        }
        // All literals in one buffer, each found by its offset and length.
        var bytes: [CChar] = []
        var offsets: [Int] = [], lengths: [Int] = []
        for l in literals {
            offsets.append(bytes.count)
            lengths.append(l.bytes.count)
            bytes += l.bytes.map { CChar(bitPattern: $0) }
        }
        let ids = literals.map(\.id)
        let flags = [UInt32](repeating: caseless ? UInt32(HS_FLAG_CASELESS) : 0, count: literals.count)
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let status: hs_error_t = bytes.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
            guard portable else {
                return hs_compile_lit_multi(pointers, flags, ids, lengths, UInt32(literals.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
            }
            var platform = hs_platform_info_t(tune: UInt32(HS_TUNE_FAMILY_GENERIC), cpu_features: UInt64(HS_CPU_FEATURES_AVX2), reserved1: 0, reserved2: 0)
            return hs_compile_lit_multi(pointers, flags, ids, lengths, UInt32(literals.count), UInt32(HS_MODE_BLOCK), &platform, &db, &error)
        }
        if let error { hs_free_compile_error(error) }
        guard status == HS_SUCCESS, let db else { return nil }
        database = db
        isPrebuilt = false
        // One scratch space now: a failure to allocate shows here, not at the first scan.
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(db)
            return nil
        }
        idle = [scratch]
    }

    /// A serialized database and a scratch space for it, or nil when it does not load here (another Vectorscan
    /// version, a CPU without the features it was compiled for, corrupt bytes): a trial scan must succeed.
    private static func load(_ base64: String) -> (database: OpaquePointer, scratch: OpaquePointer)? {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !data.isEmpty else { return nil }
        var db: OpaquePointer?
        let status = data.withUnsafeBytes { raw in
            hs_deserialize_database(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count, &db)
        }
        guard status == HS_SUCCESS, let db else { return nil }
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(db)
            return nil
        }
        // A scan checks the database against this CPU (HS_DB_PLATFORM_ERROR), as loading does not.
        let probe = [CChar](repeating: 0x20, count: 64)
        let scanned = probe.withUnsafeBufferPointer { hs_scan(db, $0.baseAddress!, UInt32($0.count), 0, scratch, { _, _, _, _, _ in 0 }, nil) }
        guard scanned == HS_SUCCESS else {
            hs_free_scratch(scratch)
            hs_free_database(db)
            return nil
        }
        return (db, scratch)
    }

    /// The literals' identity for `Prebuilt`: their bytes, ids and case mode (a stable hash, the same on every run and
    /// machine).
    public static func fingerprint(literals: [(bytes: [UInt8], id: UInt32)], caseless: Bool) -> UInt64 {
        var bytes: [UInt8] = [caseless ? 1 : 0]
        for l in literals {
            withUnsafeBytes(of: UInt32(l.bytes.count).littleEndian) { bytes += $0 }
            withUnsafeBytes(of: l.id.littleEndian) { bytes += $0 }
            bytes += l.bytes
        }
        return bytes.withUnsafeBytes { PackEntries.wordHash($0, initial: 0x4C69_7465_7261_6C73 ^ UInt64($0.count)) }
    }

    /// The database's serialized bytes (to be loaded through `Prebuilt`), or nil.
    public func serialized() -> [UInt8]? {
        var out: UnsafeMutablePointer<CChar>?
        var length = 0
        guard hs_serialize_database(database, &out, &length) == HS_SUCCESS, let out else { return nil }
        defer { free(out) }
        return Array(UnsafeRawBufferPointer(start: out, count: length))
    }

    deinit {
        for s in idle { hs_free_scratch(s) }
        hs_free_database(database)
    }

    /// Calls `onMatch(id, end)` for each occurrence of a literal in `bytes` (`end`: the offset after its last byte),
    /// in order of `end` (literals ending at one offset in any order), until it returns false. False when the scan
    /// could not run (a buffer of 4 GiB or more, no scratch space): the caller then searches another way.
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ onMatch: (_ id: UInt32, _ end: Int) -> Bool) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        guard bytes.count <= Int(UInt32.max), let scratch = takeScratch() else { return false }
        defer { giveBack(scratch) }
        return withoutActuallyEscaping(onMatch) { onMatch in
            var handler = onMatch
            let status = withUnsafeMutablePointer(to: &handler) { context in
                base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                    hs_scan(database, chars, UInt32(bytes.count), 0, scratch, { id, _, to, _, raw in
                        let handler = raw!.assumingMemoryBound(to: ((UInt32, Int) -> Bool).self).pointee
                        return handler(id, Int(to)) ? 0 : 1
                    }, context)
                }
            }
            return status == HS_SUCCESS || status == HS_SCAN_TERMINATED
        }
    }

    /// What Vectorscan calls for each match: the literal's id, the start (0: not tracked) and end offsets, flags (0),
    /// and the context given to `scan`; a non-zero result stops the scan.
    public typealias MatchHandler = @convention(c) (UInt32, UInt64, UInt64, UInt32, UnsafeMutableRawPointer?) -> Int32

    /// `scan` with a C function and its context: no closure call per match, for a search with many matches (the
    /// secret scanner's keywords: the closure cost ~16 M instructions on the large real tree).
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, context: UnsafeMutableRawPointer, _ onMatch: MatchHandler) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
        guard bytes.count <= Int(UInt32.max), let scratch = takeScratch() else { return false }
        defer { giveBack(scratch) }
        let status = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            hs_scan(database, chars, UInt32(bytes.count), 0, scratch, onMatch, context)
        }
        return status == HS_SUCCESS || status == HS_SCAN_TERMINATED
    }

    private func takeScratch() -> OpaquePointer? {
        lock.lock()
        if let s = idle.popLast() { lock.unlock(); return s }
        lock.unlock()
        // Another scan holds every scratch space: a new one (kept for later scans when it is given back).
        var fresh: OpaquePointer?
        guard hs_alloc_scratch(database, &fresh) == HS_SUCCESS else { return nil }
        return fresh
    }

    private func giveBack(_ scratch: OpaquePointer) {
        lock.lock()
        idle.append(scratch)
        lock.unlock()
    }
}
