import Foundation

/// What a process printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a program (the built `fleetlint`, git) and collects its output: the one helper the binary-level
/// tests share.
public enum ProcessRunner {
    public static func run(_ tool: URL, _ args: [String], in directory: URL? = nil, env: [String: String] = [:]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = tool
        process.arguments = args
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                             stderr: String(decoding: e, as: UTF8.self))
    }

    /// The built `fleetlint`.
    public static func fleetlint(_ args: [String], in directory: URL? = nil, env: [String: String] = [:]) throws -> ProcessResult {
        try run(RepositoryPaths.executable, args, in: directory, env: env)
    }
}
