import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes equal strings (and equal finding metadata) of different files share one storage: imported
/// modules, class bases, findings' messages and metadata repeat across thousands of files, and every
/// file's analysis lives until the project rules and passes are done. Only what outlives the analyser
/// goes through it, so memory grows with the distinct values, not with the files.
///
/// The tables hash with `FindingCodec.Interner.hash` (eight bytes a step, seeded per process), not `Hasher`:
/// through `Set`, SipHash of every string, target and metadata table (a dictionary hashes each of its pairs
/// with a hasher of its own) was two thirds of the ~79 M instructions this took on the 1x tree. The workers share
/// the tables, in shards (see `shards`). Strings are the same when their UTF-8 bytes are (as the cache's interner decides): a
/// canonically equivalent spelling keeps its own storage and bytes. Targets and metadata are compared with
/// their own `==` once their hashes agree.
final class FactInterner: @unchecked Sendable {
    /// The tables, split by the top bits of each value's hash, each behind a mutex of its own: a value is hashed
    /// before any lock is taken, and a lock is held for one lookup (and insertion), not for a whole file. One lock
    /// held through a file's compaction (~25,000 instructions a file on the 1x tree) was contended by the workers:
    /// ~1 % of a 16x run's samples were the kernel's futex calls, and a waiting worker's core idled. Plain memory
    /// and `pthread_mutex_t`s: an array of shard objects retained and released a shard per lookup, and `NSLock`
    /// dispatches each call (together ~12 M more instructions on the 1x tree than the one lock).
    private static let shardCount = 16
    private let shards: UnsafeMutablePointer<Shard>
    private let locks: UnsafeMutablePointer<pthread_mutex_t>

    private struct Shard {
        var strings = Table<String>()
        var metadata = Table<[String: MetadataValue]>()
        /// What import statements import (`from typing import Any, Dict, List, Optional`): the same few thousand
        /// targets in tens of thousands of statements, one object each.
        var importTargets = Table<ImportTarget>()
    }

    init() {
        shards = .allocate(capacity: Self.shardCount)
        shards.initialize(repeating: Shard(), count: Self.shardCount)
        locks = .allocate(capacity: Self.shardCount)
        for i in 0..<Self.shardCount { pthread_mutex_init(locks + i, nil) }
    }

    deinit {
        for i in 0..<Self.shardCount { pthread_mutex_destroy(locks + i) }
        locks.deallocate()
        shards.deinitialize(count: Self.shardCount)
        shards.deallocate()
    }

    /// `body` on the shard of hash `h`, under its lock.
    @inline(__always) private func withShard<R>(_ h: UInt64, _ body: (inout Shard) -> R) -> R {
        let i = Int(truncatingIfNeeded: h >> 60)
        pthread_mutex_lock(locks + i)
        defer { pthread_mutex_unlock(locks + i) }
        return body(&shards[i])
    }

    /// Strings of up to 15 UTF-8 bytes are stored inline in the `String` itself: nothing to share.
    private static let inlineLimit = 15

    private func string(_ s: String) -> String {
        guard s.utf8.count > Self.inlineLimit else { return s }
        let h = FindingCodec.Interner.hash(s)
        return withShard(h) { t in
            if let existing = t.strings.find(h, where: { $0.utf8Equals(s) }) { return existing }
            t.strings.insert(s, hash: h)
            return s
        }
    }

    private func string(_ s: String?) -> String? { s.map(string) }

    /// The shared target equal to `target` (made of shared strings when it is the first of its value).
    private func importTarget(_ target: ImportTarget) -> ImportTarget {
        sharedTarget(hash: Self.hash(target), matching: { $0 == target }, make: { target.withStrings(string) })
    }

    /// The shared target of what `r` imports, made only when no equal one is known: the analyser's facts take their
    /// targets from here (`FileAnalyzer.interner`), so that compaction passes them over. A target made per statement
    /// and dropped at compaction for the equal one already shared cost ~1,000 instructions an import (1x tree: 20,000
    /// imports, ~15 M instructions, all but a few hundred of them duplicates).
    func target(of r: borrowing PyImportRecord) -> ImportTarget {
        sharedTarget(hash: Self.hash(r), matching: { $0.equals(r) }, make: { ImportTarget(r).withStrings(string) })
    }

    /// The shared target with hash `h` that `matching` accepts, else the one `make` gives, added. It is made outside the
    /// shard's lock (`string` takes other shards' locks); a worker that added an equal target meanwhile wins, and the
    /// one made here is dropped.
    private func sharedTarget(
        hash h: UInt64, matching: (ImportTarget) -> Bool, make: () -> ImportTarget
    ) -> ImportTarget {
        if let existing = withShard(h, { $0.importTargets.find(h, where: matching) }) { return existing }
        let shared = make()
        return withShard(h) { t in
            if let existing = t.importTargets.find(h, where: { $0 == shared }) { return existing }
            t.importTargets.insert(shared, hash: h)
            return shared
        }
    }

    private func metadataTable(_ m: [String: MetadataValue]) -> [String: MetadataValue] {
        let h = Self.hash(m)
        return withShard(h) { t in
            if let existing = t.metadata.find(h, where: { Self.equal($0, m) }) { return existing }
            t.metadata.insert(m, hash: h)
            return m
        }
    }

    /// The analysis with its long-lived strings shared with earlier files'.
    func compact(_ analysis: consuming FileAnalysis) -> FileAnalysis {
        var a = analysis
        if var python = a.python {
            a.python = nil  // the facts' arrays are uniquely referenced while they are rewritten
            for i in python.imports.indices where !python.imports[i].target.isShared {
                python.imports[i] = python.imports[i].sharing(importTarget(python.imports[i].target))
            }
            for i in python.classes.indices {
                python.classes[i].qualifiedName = string(python.classes[i].qualifiedName)
                python.classes[i].bases = python.classes[i].bases.map(string)
            }
            for i in python.calls.indices {
                python.calls[i].callee = string(python.calls[i].callee)
                python.calls[i].scope = string(python.calls[i].scope)
            }
            a.python = python
        }
        // A finding's message and metadata are kept as they are by the run's store (`RunFindings`), so they are shared
        // here. Its help, anchor and scope are not: the store keeps each distinct one once, by index, and interning
        // them here as well cost ~1,600 instructions a finding (three lookups under a shard's lock) for strings the
        // store let go of at once (1x tree: ~9 M instructions of 56 M here).
        for i in a.findings.indices {
            a.findings[i].message = string(a.findings[i].message)
            if !a.findings[i].metadata.isEmpty { a.findings[i].metadata = metadataTable(a.findings[i].metadata) }
        }
        return a
    }

    // MARK: Hashes

    /// A step of the hashes below (a multiply and shift; the strings' own hash does the spreading).
    @inline(__always)
    private static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
        let x = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 31)
    }

    /// Module, names, level, kind, flags and context (equal targets hash alike: `==` compares exactly these).
    static func hash(_ t: ImportTarget) -> UInt64 {
        let context: UInt64 = switch t.context { case .module: 0; case .function: 1; case .class: 2 }
        var h = mix(FindingCodec.Interner.hash(t.module), UInt64(UInt32(bitPattern: t.level)) << 1 | (t.isFrom ? 1 : 0))
        h = mix(h, UInt64(t.flags) << 2 | context)
        switch t.names {
        case .one(let n): h = mix(h, FindingCodec.Interner.hash(n))
        case .many(let ns):
            h = mix(h, UInt64(ns.count) | 1 << 40)
            for n in ns { h = mix(h, FindingCodec.Interner.hash(n)) }
        }
        return h
    }

    /// `hash(ImportTarget(r))`, step for step, without making the target (`targetsFromRecords` checks that they agree).
    /// Not one generic function of the parts: passing each name through a closure copied the record's name entries,
    /// ~730 instructions a hash (the 1x tree's run: 1,787.9 -> 1,797.5 M instructions).
    static func hash(_ r: borrowing PyImportRecord) -> UInt64 {
        let context: UInt64 = switch r.context { case .module: 0; case .function: 1; case .class: 2 }
        let flags = ImportFact.flags(guarded: r.isGuardedByTry, typeChecking: r.isTypeCheckingOnly)
        var h = mix(FindingCodec.Interner.hash(r.module), UInt64(UInt32(bitPattern: Int32(clamping: r.level))) << 1 | (r.isFrom ? 1 : 0))
        h = mix(h, UInt64(flags) << 2 | context)
        if r.names.count == 1 {
            h = mix(h, FindingCodec.Interner.hash(r.names[0].name))
        } else {
            h = mix(h, UInt64(r.names.count) | 1 << 40)
            for k in r.names.indices { h = mix(h, FindingCodec.Interner.hash(r.names[k].name)) }
        }
        return h
    }

    /// A metadata table's hash: the sum of its pairs' (a dictionary's order is its storage's, not its contents').
    static func hash(_ m: [String: MetadataValue]) -> UInt64 {
        var sum = UInt64(m.count)
        for (k, v) in m { sum &+= mix(FindingCodec.Interner.hash(k), hash(v)) }
        return sum
    }

    static func hash(_ v: MetadataValue) -> UInt64 {
        switch v {
        case .string(let s): return FindingCodec.Interner.hash(s)
        case .int(let i): return mix(1, UInt64(bitPattern: Int64(i)))
        case .bool(let b): return b ? 2 : 3
        case .array(let a):
            var h: UInt64 = 4
            for e in a { h = mix(h, hash(e)) }
            return h
        case .object(let o): return mix(5, hash(o))
        }
    }

    /// `a == b` for the small tables findings carry, pair by pair in `b`'s order: the dictionary's own `==` looks
    /// each key up, a SipHash of it (~1,500 instructions a finding on the 1x tree).
    static func equal(_ a: [String: MetadataValue], _ b: [String: MetadataValue]) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count <= 8 else { return a == b }
        for (k, v) in a {
            guard let other = b.first(where: { $0.key == k }), other.value == v else { return false }
        }
        return true
    }

    /// An open-addressing set of values by a hash the caller computes (indexes + 1 in a power-of-two slot array,
    /// at most half full; 0 is empty).
    struct Table<T> {
        private var values: [T] = []
        private var hashes: [UInt64] = []
        private var slots = [Int32](repeating: 0, count: 64)

        /// The value with hash `h` that `equal` accepts.
        func find(_ h: UInt64, where equal: (T) -> Bool) -> T? {
            let mask = slots.count - 1
            var b = Int(truncatingIfNeeded: h) & mask
            while case let e = Int(slots[b]), e != 0 {
                if hashes[e - 1] == h && equal(values[e - 1]) { return values[e - 1] }
                b = (b + 1) & mask
            }
            return nil
        }

        /// Adds a value that `find` did not find.
        mutating func insert(_ v: T, hash h: UInt64) {
            values.append(v)
            hashes.append(h)
            if values.count * 2 > slots.count {
                slots = [Int32](repeating: 0, count: slots.count * 2)
                for i in hashes.indices { place(i) }
            } else {
                place(values.count - 1)
            }
        }

        private mutating func place(_ i: Int) {
            let mask = slots.count - 1
            var b = Int(truncatingIfNeeded: hashes[i]) & mask
            while slots[b] != 0 { b = (b + 1) & mask }
            slots[b] = Int32(truncatingIfNeeded: i + 1)
        }
    }
}
