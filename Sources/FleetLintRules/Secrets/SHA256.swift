import FleetLintCore

/// SHA-256 of a secret, to fingerprint it without carrying it (swift-crypto, through `ContentHash`).
public enum SHA256Digest {
    /// Lowercase hex of the digest of the UTF-8 bytes of `text`.
    public static func hex(_ text: String) -> String { ContentHash.sha256(bytes: Array(text.utf8)) }
}
