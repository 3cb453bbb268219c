import FleetLintCore

/// Facts stamped in at build time. `scripts/install.sh` rewrites this file for the release build and
/// restores it afterwards; a plain `swift build` (e.g. in a clean clone) compiles it as is.
enum BuildInfo {
    /// `git describe --always --dirty` of the checkout the binary was built from, or nil.
    static let commit: String? = nil
}

extension BuildInfo {
    /// `--version`: the release, and the commit when known.
    static var version: String {
        "\(FleetLintVersion.current) (commit \(commit ?? "unknown; built without scripts/install.sh"))"
    }
}
