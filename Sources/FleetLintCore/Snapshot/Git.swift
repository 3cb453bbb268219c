import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why git could not be used for a repository.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// Runs git plumbing commands in one repository. Git is an input: nothing here writes to the
/// repository (no checkout, no index refresh that changes files).
public struct GitRepository: Sendable {
    /// The work tree's top level (or the git directory for a bare repository).
    public let root: String

    public init(root: String) { self.root = root }

    /// The repository around `directory`: its top level, or the reason git refused it (e.g. "dubious
    /// ownership"), or nil when the directory is not inside a git work tree at all.
    public static func discover(at directory: String) -> Result<GitRepository, GitError>? {
        // The CLI resolves the root and then opens the repository: one `rev-parse` per directory and process.
        discoveries.lock.lock()
        if let known = discoveries.results[directory] { discoveries.lock.unlock(); return known }
        discoveries.lock.unlock()
        let result = discoverUncached(at: directory)
        discoveries.lock.lock()
        discoveries.results[directory] = result
        discoveries.lock.unlock()
        return result
    }

    private final class Discoveries: @unchecked Sendable {
        let lock = NSLock()
        var results: [String: Result<GitRepository, GitError>?] = [:]
    }
    private static let discoveries = Discoveries()

    private static func discoverUncached(at directory: String) -> Result<GitRepository, GitError>? {
        let r = run(["-C", directory, "rev-parse", "--show-toplevel"])
        if r.status == 0 {
            let top = outputLine(r.stdout)
            return top.isEmpty ? nil : .success(GitRepository(root: top))
        }
        let err = String(decoding: r.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // -1 or 127: no git to run. "not a git repository": an ordinary directory.
        if r.status == -1 || r.status == 127 || err.contains("not a git repository") { return nil }
        return .failure(GitError(message: err.isEmpty ? "git exited with status \(r.status)" : err))
    }

    /// A one-line answer of git (a path): without the LF that ends it, and nothing more. Trimming whitespace also cut
    /// a path that ends in a space (a repository at `/tmp/repo ` was then "outside the repository").
    public static func outputLine(_ out: some Collection<UInt8>) -> String {
        var bytes = Array(out)
        if bytes.last == 0x0A { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs `git -C root args…`; throws with git's own message when it fails.
    public func run(_ args: [String]) throws(GitError) -> [UInt8] {
        let r = Self.run(["-C", root] + args)
        guard r.status == 0 else {
            let err = String(decoding: r.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            // Named by its subcommand, past any `-c name=value` (`git -c core.quotePath=false failed` named nothing).
            var shown = args[...]
            while shown.first == "-c", shown.count > 2 { shown = shown.dropFirst(2) }
            throw GitError(message: "git \(shown.prefix(2).joined(separator: " ")) failed: \(err.isEmpty ? "status \(r.status)" : err)")
        }
        return r.stdout
    }

    /// The full object id of a revision (`HEAD`, a branch, a short sha).
    public func resolve(_ revision: String) throws(GitError) -> String {
        do {
            let out = try run(["rev-parse", "--verify", "--end-of-options", revision + "^{commit}"])
            return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            // git's own words ("Needed a single revision") do not say which revision: the message names it.
            throw GitError(message: "`\(revision)` is not a commit of this repository (\(error.message))")
        }
    }

    /// Runs git with the arguments as given; status -1 when it could not start.
    public static func run(_ args: [String], stdin: [UInt8]? = nil) -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        // GIT_OPTIONAL_LOCKS=0: never take the index lock to refresh stat info.
        ChildProcess.run(["git"] + args, environment: ["GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"], stdin: stdin)
    }
}

/// One long-lived `git cat-file --batch` process: objects are read by id without a checkout. Calls are
/// serialised by a lock; `readAll` pipelines many requests for throughput (history scans).
public final class GitObjectReader: @unchecked Sendable {
    private let child: ChildProcess
    private let input: FileHandle
    private let outputFD: Int32
    /// Git's output read so far: the bytes not yet consumed are `buffer[start..<end]`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private let lock = NSLock()
    private var broken = false

    public init(repository: GitRepository) throws(GitError) {
        child = try ChildProcess(["git", "-C", repository.root, "cat-file", "--batch"], environment: ["GIT_OPTIONAL_LOCKS": "0"],
                                 pipeInput: true, captureError: false)
        input = child.input!
        outputFD = child.output
    }

    /// The object's type and bytes, or nil when it does not exist.
    public func read(_ id: String) -> (type: String, bytes: [UInt8])? {
        lock.lock()
        defer { lock.unlock() }
        guard !broken else { return nil }
        input.write(Data((id + "\n").utf8))
        return readResponse()
    }

    /// Reads many objects, writing requests from another thread while responses are read, and calls
    /// `body` with each in request order.
    public func readAll(_ ids: [String], _ body: (String, String, [UInt8]?) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !broken else { return }
        let handle = input
        let request = ids
        let writer = Thread {
            var chunk = Data()
            for id in request {
                chunk.append(contentsOf: Array((id + "\n").utf8))
                if chunk.count > 1 << 15 { handle.write(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            if !chunk.isEmpty { handle.write(chunk) }
        }
        writer.stackSize = 1 << 20
        writer.start()
        for id in ids {
            let r = readResponse()
            body(id, r?.type ?? "missing", r?.bytes)
            if broken { return }
        }
    }

    private func readResponse() -> (type: String, bytes: [UInt8])? {
        guard let header = readLine() else { broken = true; return nil }
        let parts = header.split(separator: " ")
        if parts.count == 2 && parts[1] == "missing" { return nil }
        guard parts.count == 3, let size = Int(parts[2]) else { broken = true; return nil }
        guard let body = readExactly(size + 1) else { broken = true; return nil }
        return (String(parts[1]), Array(body.dropLast()))
    }

    /// Reads more of git's output into `buffer[end...]`: the bytes not yet consumed are moved to the front first, and
    /// the buffer doubles only when they fill it. (Appending 64 KiB of zeros before every read and cutting the unread
    /// part off after it zeroed 64 KiB per object: a history scan or a cold staged check reads tens of thousands.)
    private func fill(atLeast wanted: Int = 1) -> Bool {
        if start > 0 && buffer.count - end < wanted {
            buffer.withUnsafeMutableBytes { raw in
                let base = raw.baseAddress!
                if end > start { memmove(base, base + start, end - start) }
            }
            end -= start
            start = 0
        }
        if buffer.count - end < wanted {
            var capacity = Swift.max(buffer.count, 1 << 16)
            while capacity - end < wanted { capacity *= 2 }
            buffer.append(contentsOf: repeatElement(0, count: capacity - buffer.count))
        }
        let n = buffer.withUnsafeMutableBytes { raw in Glibc.read(outputFD, raw.baseAddress! + end, raw.count - end) }
        if n <= 0 { return false }
        end += n
        return true
    }

    private func readLine() -> String? {
        var scanned = start
        while true {
            if let nl = buffer[scanned..<end].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[start..<nl], as: UTF8.self)
                start = nl + 1
                return line
            }
            let unread = end - start  // scanned already; `fill` may move them to the front
            guard fill() else { return nil }
            scanned = start + unread
        }
    }

    private func readExactly(_ n: Int) -> ArraySlice<UInt8>? {
        while end - start < n {
            guard fill(atLeast: n - (end - start)) else { return nil }
        }
        let slice = buffer[start..<(start + n)]
        start += n
        return slice
    }
}
