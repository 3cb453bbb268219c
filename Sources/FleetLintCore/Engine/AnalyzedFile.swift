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
    public internal(set) var artifacts: [String: any Sendable] = [:] {
        // The Python artifact is read by every Python rule: kept typed, so that reading it is not a dictionary
        // lookup and a dynamic cast (~1,300 instructions) per rule and file.
        didSet { python = artifacts["python"] as? PythonFile }
    }
    /// The parsed Python file, when this is a Python file and a Python rule is enabled.
    public private(set) var python: PythonFile?
    /// A Python file parsed for its problems only (no syntax tree kept): its comment tokens, so that
    /// suppression directives inside strings are still told apart.
    public internal(set) var pythonComments: [PyToken]?
    /// The keyword hits a secret scan found in `bytes` (`committed-secret` records them), so that the engine's
    /// secret finder need not scan the file again for the same keywords (`SecretFinder.candidateLines`).
    public var secretKeywordHits: SecretKeywordHits?

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
    public var name: Substring { path.asciiLastComponent(0x2F) ?? Substring(path) }

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

import Foundation

/// A tiny lock wrapper (Foundation's NSLock is fine on Linux; this keeps the call sites short).
final class NSLockLike: @unchecked Sendable {
    private let inner = NSRecursiveLock()
    func lock() { inner.lock() }
    func unlock() { inner.unlock() }
}
