import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawnp` and waited for with `waitpid`. Foundation's `Process`
/// on Linux waits by polling a run loop every 50 ms, which cost every git command of a pre-commit run
/// up to 50 ms; this one returns as soon as the child exits.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Our end of the child's standard input, when one was asked for.
    let input: FileHandle?
    /// Our end of the child's standard output.
    let output: Int32
    /// Our end of the child's standard error, when it is captured (else it goes to /dev/null).
    let errorOutput: Int32?
    private var reaped: Int32?

    /// Held from making a child's pipes to spawning it. The pipes are made close-on-exec by `fcntl` after `pipe`
    /// (Glibc's module does not export `pipe2`): a child spawned by another thread in between inherited them, and
    /// held a pipe's write end open as long as it lived (its reader would not see the end of the output until then:
    /// a long-lived `git cat-file --batch` started meanwhile would hang a snapshot's listing).
    private static let spawnLock = NSLock()

    /// Starts `argv[0]` found on `PATH`, with `environment` added to ours.
    init(_ argv: [String], environment extra: [String: String] = [:], pipeInput: Bool, captureError: Bool) throws(GitError) {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        var fds: [Int32] = []
        func makePipe() throws(GitError) -> (read: Int32, write: Int32) {
            var p: [Int32] = [0, 0]
            guard pipe(&p) == 0 else {
                let error = GitError(message: "cannot create a pipe: \(String(cString: strerror(errno)))")
                for fd in fds { close(fd) }  // the pipes made before this one
                throw error
            }
            // Close-on-exec, so that children spawned later do not inherit our ends (under `spawnLock`, no other
            // thread spawns one before this is set).
            for fd in p { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            fds += p
            return (p[0], p[1])
        }
        Self.spawnLock.lock()
        var locked = true
        defer { if locked { Self.spawnLock.unlock() } }
        let inPipe = pipeInput ? try makePipe() : nil
        let outPipe = try makePipe()
        let errPipe = captureError ? try makePipe() : nil

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let inPipe { posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0) } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
        if let errPipe { posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2) } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        // The child starts with SIGPIPE's default action (the CLI ignores it for itself: see `FleetLintCommand.main`).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawnp(&child, argv[0], &actions, &attributes, cArgs, cEnv)
        Self.spawnLock.unlock()
        locked = false
        // The child's ends are ours to close whatever happened.
        if let inPipe { close(inPipe.read) }
        close(outPipe.write)
        if let errPipe { close(errPipe.write) }
        guard rc == 0 else {
            if let inPipe { close(inPipe.write) }
            close(outPipe.read)
            if let errPipe { close(errPipe.read) }
            throw GitError(message: "cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
        input = inPipe.map { FileHandle(fileDescriptor: $0.write, closeOnDealloc: true) }
        output = outPipe.read
        errorOutput = errPipe?.read
    }

    deinit {
        try? input?.close()
        close(output)
        if let errorOutput { close(errorOutput) }
        _ = wait()
    }

    /// Reads a descriptor to its end.
    static func readAll(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n > 0 { out += chunk[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            return out
        }
    }

    /// Waits for the child; its exit status, or 128 + the signal that ended it.
    func wait() -> Int32 {
        if let reaped { return reaped }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { reaped = -1; return -1 }
        }
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        reaped = code
        return code
    }

    /// Runs a command to completion: its status, standard output and standard error.
    static func run(_ argv: [String], environment: [String: String] = [:], stdin: [UInt8]? = nil) -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        let child: ChildProcess
        do { child = try ChildProcess(argv, environment: environment, pipeInput: stdin != nil, captureError: true) } catch {
            return (-1, [], Array(error.message.utf8))
        }
        // Standard error (and the input) on threads of their own, not on the global queue: a caller running on
        // that queue's threads (several git processes at once) could take every one of them while its stderr
        // reader waited for one, and the child blocked on a full pipe until libdispatch added a thread (seconds).
        let errFD = child.errorOutput!
        let err = BackgroundWork { readAll(errFD) }
        let writer = stdin.flatMap { stdin in
            child.input.map { input in
                BackgroundWork {
                    input.write(Data(stdin))
                    try? input.close()
                }
            }
        }
        let out = readAll(child.output)
        writer?.result()
        // The reader threads read the child's descriptors, which its deinit closes: it lives until both are done.
        return withExtendedLifetime(child) { (child.wait(), out, err.result()) }
    }
}
