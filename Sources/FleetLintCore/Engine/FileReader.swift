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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed(String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        if size > limit { return .tooLarge(size) }
        var buffer = [UInt8](repeating: 0, count: size)
        var total = 0
        let ok: Bool = buffer.withUnsafeMutableBytes { raw in
            while total < size {
                let n = Glibc.read(fd, raw.baseAddress! + total, size - total)
                if n < 0 { if errno == EINTR { continue }; return false }
                if n == 0 { break }
                total += n
                // Decide binary-ness as soon as the first 8 KiB are in.
                if total >= min(8192, size) {
                    let head = UnsafeRawBufferPointer(rebasing: raw[0..<min(8192, total)])
                    if head.contains(0) { return true }
                }
            }
            return true
        }
        guard ok else { return .failed(String(cString: strerror(errno))) }
        if total < size { buffer.removeSubrange(total...) }
        if buffer.prefix(8192).contains(0) { return .binary }
        return .text(buffer)
    }
}
