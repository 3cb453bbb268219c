import Foundation

/// Threads that build, ahead of need, what a run uses on first use (the secret catalogue, the import map). The
/// process waits for every one of them before it exits (`waitForAll`, called by the command's `main` on every exit
/// path): `exit` runs the C++ libraries' static destructors, which must not run while a thread is compiling a secret
/// catalogue's patterns (Vectorscan), a built-in one or a configuration's own.
public enum WarmUpThreads {
    private static let group = DispatchGroup()

    /// Runs `body` on a thread of its own and returns at once.
    public static func start(_ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread {
            body()
            group.leave()
        }
        thread.start()
    }

    /// Waits for every started thread to end.
    public static func waitForAll() { group.wait() }
}

extension Linter {
    /// Starts each globally enabled rule's `warmUp` on a thread of its own and returns at once: what the rules build
    /// on first use (a configuration's own secret catalogue, the built-in import map) is then built while the
    /// snapshot lists the files, not while the analysis workers or the project rules wait for it. The built-in secret
    /// catalogue is started earlier still, while the command line is parsed (`StartUpWarmUp`). Worth it only for a run
    /// that will analyse files: the caller skips it when the cache's run memo may answer the run.
    public func startWarmUp() {
        let enabled = settings(for: "", defaults: defaults).enabledRules
        let rules = self.rules.filter { enabled.contains($0.ruleDescription.id) }
        guard !rules.isEmpty else { return }
        WarmUpThreads.start { for rule in rules { rule.warmUp() } }
    }
}
