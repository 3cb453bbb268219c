import FleetLintSyntax

/// One file of the repository, read once, with the parsed forms the enabled rules asked for.
/// Immutable once the engine has built it.
public final class AnalyzedFile: @unchecked Sendable {
    /// Repository-relative path with `/` separators.
    public let path: String
    public let kind: FileKind
    public let bytes: [UInt8]
    /// Built on first use (a secrets-only run never needs it for most files). Each file is handled by
    /// one thread at a time, so the lazy initialisation is not raced.
    public private(set) lazy var lineIndex: LineIndex = LineIndex(bytes)
    /// Whether `bytes` is valid UTF-8 (computed on first use).
    public private(set) lazy var isValidUTF8: Bool = SourceText.firstInvalidUTF8Offset(bytes) == nil
    /// Problems met while reading, decoding or parsing this file (reported by `parse-error`).
    public internal(set) var problems: [ParseProblem] = []
    /// Parsed forms, keyed by the parser's name; see the typed accessors in extensions.
    public internal(set) var artifacts: [String: any Sendable] = [:]

    public init(path: String, kind: FileKind, bytes: [UInt8]) {
        self.path = path
        self.kind = kind
        self.bytes = bytes
    }

    /// The file decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The text of a 1-based line without its terminator.
    public func lineText(_ line: Int) -> String {
        bytes.withUnsafeBufferPointer { buf in
            String(decoding: UnsafeBufferPointer(rebasing: buf[lineIndex.byteRange(ofLine: line, in: buf)]), as: UTF8.self)
        }
    }

    public func location(ofByteOffset offset: Int) -> SourceLocation {
        lineIndex.location(ofByteOffset: offset, in: bytes)
    }

    /// The file name (last path component).
    public var name: Substring { path.split(separator: "/").last ?? Substring(path) }

    public func artifact<T>(_ key: String, as type: T.Type = T.self) -> T? { artifacts[key] as? T }
}

/// A parser that turns a file of some kind into an artifact that rules read. Registered with the
/// engine, run at most once per file, and only when an enabled rule needs its kind.
public protocol FileParser: Sendable {
    /// The artifact key, e.g. `python`.
    var key: String { get }
    var kinds: Set<FileKind> { get }
    /// Returns the parsed artifact and the problems met (syntax errors go to `parse-error`).
    func parse(_ file: AnalyzedFile) -> (artifact: any Sendable, problems: [ParseProblem])
}

/// Everything the engine read: all files (sorted by path) and the parsed artifacts. Project rules
/// receive this; the dependency index is built on top of it.
public final class Project: @unchecked Sendable {
    public let files: [AnalyzedFile]
    private let byPath: [String: AnalyzedFile]
    /// All repository-relative paths that exist (also the ones that were not read), sorted.
    public let allPaths: [String]
    private let pathSet: Set<String>
    /// Cross-file indexes built lazily by subsystems (e.g. the dependency index), keyed by name.
    private var caches: [String: any Sendable] = [:]
    private let cacheLock = NSLockLike()

    /// Reads a repository file the engine did not read up front (e.g. a `-r` target with an unusual
    /// name). Rules never touch the disk; this goes through the engine's reader.
    private let reader: @Sendable (String) -> [UInt8]?

    public init(files: [AnalyzedFile], allPaths: [String], reader: @escaping @Sendable (String) -> [UInt8]? = { _ in nil }) {
        self.reader = reader
        self.files = files
        var map: [String: AnalyzedFile] = [:]
        for f in files { map[f.path] = f }
        self.byPath = map
        self.allPaths = allPaths
        self.pathSet = Set(allPaths)
    }

    public func file(_ path: String) -> AnalyzedFile? { byPath[path] }

    /// The bytes of any repository file (read files first, then the engine's reader).
    public func contents(_ path: String) -> [UInt8]? {
        if let f = byPath[path], f.kind != .binary { return f.bytes }
        guard pathSet.contains(path) else { return nil }
        return reader(path)
    }

    /// Repository files under a directory (`""` = all), sorted. A binary search over the sorted paths.
    public func paths(under directory: String) -> [String] {
        if directory.isEmpty { return allPaths }
        let prefix = Array((directory + "/").utf8)
        var lo = 0, hi = allPaths.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if allPaths[mid].utf8.lexicographicallyPrecedes(prefix) { lo = mid + 1 } else { hi = mid }
        }
        var out: [String] = []
        var i = lo
        while i < allPaths.count, allPaths[i].utf8.starts(with: prefix) {
            out.append(allPaths[i])
            i += 1
        }
        return out
    }
    public func exists(_ path: String) -> Bool { pathSet.contains(path) }
    public func files(of kind: FileKind) -> [AnalyzedFile] { files.filter { $0.kind == kind } }

    /// Returns the cached value for `key`, building it once.
    public func cached<T: Sendable>(_ key: String, build: () -> T) -> T {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let v = caches[key] as? T { return v }
        let v = build()
        caches[key] = v
        return v
    }
}

import Foundation

/// A tiny lock wrapper (Foundation's NSLock is fine on Linux; this keeps the call sites short).
final class NSLockLike: @unchecked Sendable {
    private let inner = NSRecursiveLock()
    func lock() { inner.lock() }
    func unlock() { inner.unlock() }
}
