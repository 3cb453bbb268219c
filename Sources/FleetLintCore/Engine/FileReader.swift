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

    static func read(_ path: String, limit: Int) -> Outcome {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(fd) }
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
        // Read straight into uninitialised storage: zero-filling first would be one more pass over every byte.
        var ok = true
        let buffer = [UInt8](unsafeUninitializedCapacity: size) { raw, initialized in
            var total = 0
            while total < size {
                let n = Glibc.read(fd, raw.baseAddress! + total, size - total)
                if n < 0 { if errno == EINTR { continue }; ok = false; break }
                if n == 0 { break }
                total += n
                // Decide binary-ness as soon as the first 8 KiB are in.
                if total >= min(8192, size), memchr(raw.baseAddress!, 0, min(8192, total)) != nil { break }
            }
            initialized = total
        }
        guard ok else { return .failed(String(cString: strerror(errno))) }
        let binary = buffer.withUnsafeBufferPointer { b in b.baseAddress.map { memchr($0, 0, min(8192, b.count)) != nil } ?? false }
        if binary { return .binary }
        return .text(buffer)
    }
}
