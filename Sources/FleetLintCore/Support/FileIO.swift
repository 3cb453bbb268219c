import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file as bytes, read straight into the array (no intermediate `Data` copy: the run memo and the stat
/// table are megabytes on a large tree).
func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return readFully(fd, count: Int(st.st_size))
}

/// `count` bytes of `fd` read straight into an array, from its offset (`read`) or from `offset` (`pread`, which
/// several threads may do on one descriptor); nil when fewer can be read.
func readFully(_ fd: Int32, count: Int, at offset: Int? = nil) -> [UInt8]? {
    var ok = true
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, got in
        got = 0
        while got < count {
            let p = buffer.baseAddress! + got
            let n = offset.map { pread(fd, p, count - got, off_t($0 + got)) } ?? read(fd, p, count - got)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        ok = got == count
    }
    return ok ? bytes : nil
}

/// Writes every byte to `fd`, retrying interrupted and partial writes; false when a write fails or makes
/// no progress (a closed pipe: `fleetlint check | head` wants no more).
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { writeAll(fd, $0) }
}

/// `writeAll` of bytes in a buffer.
func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
    var off = 0
    while off < raw.count {
        let n = write(fd, raw.baseAddress! + off, raw.count - off)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        off += n
    }
    return true
}

/// A file replaced atomically: written to a temp file beside it, renamed over it on `commit` (the last
/// of two concurrent writers wins; a reader never sees half a file), removed by `discard`.
final class AtomicFile {
    private let final: String
    private let temp: String
    private var fd: Int32
    private(set) var failed = false

    init?(_ final: String) {
        self.final = final
        temp = final + ".tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"  // see `removeStaleTemps`
        fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
    }

    func write(_ bytes: [UInt8]) {
        if !failed && !writeAll(fd, bytes) { failed = true }
    }

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !failed && !writeAll(fd, UnsafeRawBufferPointer(bytes)) { failed = true }
    }

    /// Writes `bytes` at `offset` of the file (over bytes written before: a header whose fields are known last).
    func write(_ bytes: [UInt8], at offset: Int) {
        guard !failed else { return }
        let ok = bytes.withUnsafeBytes { b in pwrite(fd, b.baseAddress, b.count, off_t(offset)) == b.count }
        if !ok { failed = true }
    }

    /// Renames the temp file over the final one (or removes it after a failed write); whether it was renamed.
    @discardableResult
    func commit() -> Bool { commit(as: final) }

    /// Renames the temp file to `path` (in the same directory) instead of the final name given at the start.
    @discardableResult
    func commit(as path: String) -> Bool {
        guard fd >= 0 else { return false }
        if close(fd) != 0 { failed = true }
        fd = -1
        if failed || rename(temp, path) != 0 { unlink(temp); return false }
        return true
    }

    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temp)
    }

    /// Removes the temp files in `directory` of processes that are gone (`<name>.tmp.<pid>.<n>`, as `init` names
    /// them): a process killed while it wrote (Ctrl-C) leaves one behind. A live process's are left alone.
    static func removeStaleTemps(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let parts = name.split(separator: ".")
            guard parts.count >= 4, parts[parts.count - 3] == "tmp", let pid = Int32(parts[parts.count - 2]), pid > 0,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(directory + "/" + name)
        }
    }
}

/// An open directory, for `openat` and `fstatat` of paths relative to it: the kernel then walks only the relative
/// path's components for each file, not the root's again from `/` (path lookup was ~2.7 % of a cold check of the 16x
/// tree, whose files are five components below `/`). `fd` is -1 when the directory cannot be opened; `locate` then
/// gives the full path, so every call works as before.
final class DirectoryHandle: @unchecked Sendable {
    let fd: Int32
    let path: String

    init(_ path: String) {
        self.path = path
        #if os(Linux)
        fd = open(path, 0o10000000 /* O_PATH, which Glibc does not export */ | O_DIRECTORY | O_CLOEXEC)
        #else
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The directory and path to give `openat`/`fstatat` for `relative`, a path below the directory.
    @inline(__always) func locate(_ relative: String) -> (directory: Int32, path: String) {
        fd >= 0 ? (fd, relative) : (AT_FDCWD, path + "/" + relative)
    }
}
