import FleetLintCore
import Foundation

/// What every `check` that analyses files builds on first use, whatever its configuration says, built on a thread of
/// its own from the process's first instruction: the built-in secret catalogue (its keyword automaton and database,
/// ~5 M instructions; its regexes are compiled when a line first needs one, `LazyRegex`). Meanwhile the main thread
/// parses the command line (ArgumentParser: ~22 M instructions, mostly the Swift runtime instantiating its property
/// wrappers' types) on one core: the other was idle. Started after the configuration is read (`Linter.startWarmUp`), the
/// catalogue was still being compiled when the first analysis workers needed it. Only the catalogue: it fits the
/// command line's parse, so a run that the cache answers (which never needs it) loses no time to it. With the built-in
/// import map too (then ~17 M instructions), such a run on the 4x synthetic tree took 11 % longer (96.5 → 107.3 ms, the
/// medians of 21 alternating runs): it uses both cores.
/// `MissingDependencyRule.warmUp` parses the map when the run will analyse files.
///
/// The process waits for it before it exits (`WarmUpThreads.waitForAll`): `exit` runs the C++ libraries' static
/// destructors, which must not run while the catalogue's patterns are being compiled on this thread.
public enum StartUpWarmUp {
    /// Starts the warm-up on a thread of its own (`WarmUpThreads`, which the process waits for before it exits).
    public static func start() {
        WarmUpThreads.start { _ = SecretScanner.shared }
    }
}
