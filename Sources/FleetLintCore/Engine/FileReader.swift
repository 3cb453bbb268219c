import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads files as bytes with POSIX calls (no Foundation `Data` round trip), detecting binary
/// content from a NUL byte in the first 8 KiB before reading the rest.
enum FileReader {
    enum Outcome {
        case text([UInt8])
        case binary
        case tooLarge(Int)
        case failed(String)
    }

    /// The bytes at `path`, relative to the directory `directory` (`AT_FDCWD`: the current directory, as `open`).
    ///
    /// `expectedSize` is the size the scan's `lstat` saw a moment before (a regular file, or a link to one). With it
    /// the file is read without an `fstat`: one read asks for a byte more than expected, and a short read of exactly
    /// the expected count is the whole file (a regular file reads short only at its end). Any other count, or an
    /// error, and the file is read again from its start by the checked way below, which says what a FIFO or a device
    /// swapped in since the scan is. An expected size of 0 is always checked: FIFOs, sockets and devices (behind a
    /// symlink, whose target the scan stamps) have size 0, and an empty read of one is not an empty file. The `fstat`
    /// of every file was ~0.4 % of a cold 16x check.
    static func read(_ path: String, relativeTo directory: Int32 = AT_FDCWD, limit: Int, expectedSize: Int? = nil) -> Outcome {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read.
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(fd) }
        if let expected = expectedSize, expected > 0, expected <= limit {
            if let outcome = readExpecting(fd, size: expected) { return outcome }
            // Not the file the scan saw: read it again from the start (a FIFO or a device cannot seek; `fstat` names it).
            if lseek(fd, 0, SEEK_SET) != 0, errno != ESPIPE { return .failed(String(cString: strerror(errno))) }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed(String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFIFO: return .failed("it is a FIFO (named pipe), not a regular file; it is not read")
        case S_IFSOCK: return .failed("it is a socket, not a regular file; it is not read")
        case S_IFCHR, S_IFBLK: return .failed("it is a device, not a regular file; it is not read")
        default: return .failed("it is not a regular file; it is not read")
        }
        let size = Int(st.st_size)
        if size > limit { return .tooLarge(size) }
        return readContents(fd, size: size, capacity: size) { _, _ in true } ?? .failed(String(cString: strerror(errno)))
    }

    /// The file when it reads as exactly `size` bytes (or as binary); nil when it does not: the caller reads it again.
    private static func readExpecting(_ fd: Int32, size: Int) -> Outcome? {
        readContents(fd, size: size, capacity: size + 1) { total, shortRead in
            // Exactly the expected bytes and a read that stopped short of the extra byte asked for: the end.
            total == size && shortRead
        }
    }

    /// Reads up to `capacity` bytes straight into uninitialised storage (zero-filling first would be one more pass over
    /// every byte), stopping early at a NUL byte in the first 8 KiB (of `size`). `complete(total, shortRead)` says
    /// whether what was read is the file: nil when it is not, or on an error.
    private static func readContents(
        _ fd: Int32, size: Int, capacity: Int, complete: (Int, Bool) -> Bool
    ) -> Outcome? {
        var ok = true
        var binary = false
        var shortRead = false
        let buffer = [UInt8](unsafeUninitializedCapacity: capacity) { raw, initialized in
            var total = 0
            while total < capacity {
                let asked = capacity - total
                let n = Glibc.read(fd, raw.baseAddress! + total, asked)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                if n == 0 { shortRead = true; break }
                total += n
                // Decide binary-ness as soon as the first 8 KiB are in.
                if total >= min(8192, size), memchr(raw.baseAddress!, 0, min(8192, total)) != nil { binary = true; break }
                if n < asked, total >= size { shortRead = true; break }
            }
            initialized = total
        }
        guard ok else { return nil }
        // A file shorter than the 8 KiB (or than `size`) is checked once it is in.
        if binary || buffer.withUnsafeBufferPointer({ b in b.baseAddress.map { memchr($0, 0, min(8192, b.count)) != nil } ?? false }) {
            return .binary
        }
        return complete(buffer.count, shortRead) ? .text(buffer) : nil
    }
}
