import CVectorscan
import Foundation

/// Literals compiled into one Vectorscan block-mode database (Hyperscan's portable fork; Debian's libvectorscan5, as
/// Nosey Parker uses it), with the scratch spaces scans need (one per concurrent scan), kept for reuse. The one place
/// that talks to Vectorscan: the engine's few-word searches (`KeywordGate`) and the secret scanner's keywords
/// (`KeywordFilter`) use it.
public final class LiteralDatabase: @unchecked Sendable {
    private let database: OpaquePointer
    private var idle: [OpaquePointer] = []
    private let lock = NSLock()

    /// Nil when Vectorscan does not run on this CPU, there are no literals, or they do not compile. Each literal
    /// is reported with its id; `caseless` matches ASCII letters of either case.
    public init?(literals: [(bytes: [UInt8], id: UInt32)], caseless: Bool) {
        guard !literals.isEmpty, hs_valid_platform() == HS_SUCCESS else { return nil }
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
            return hs_compile_lit_multi(pointers, flags, ids, lengths, UInt32(literals.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
        }
        if let error { hs_free_compile_error(error) }
        guard status == HS_SUCCESS, let db else { return nil }
        database = db
        // One scratch space now: a failure to allocate shows here, not at the first scan.
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(db)
            return nil
        }
        idle = [scratch]
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
