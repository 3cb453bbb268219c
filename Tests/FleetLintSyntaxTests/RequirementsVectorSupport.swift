import Foundation

/// Loads the JSON vectors written by `scripts/vectors/gen_requirements_vectors.py`.
enum RequirementsVectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Vectors/requirements")

    static func load(_ name: String) -> Any {
        let data = try! Data(contentsOf: directory.appendingPathComponent(name))
        return try! JSONSerialization.jsonObject(with: data)
    }

    static func list(_ name: String) -> [[String: Any]] { load(name) as! [[String: Any]] }

    /// `null` → nil, `true`/`false` → Bool.
    static func optionalBool(_ v: Any?) -> Bool? {
        if v == nil || v is NSNull { return nil }
        return (v as! NSNumber).boolValue
    }
}
