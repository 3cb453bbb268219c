import FleetLintCore
import FleetLintProject
import FleetLintSyntax
import Foundation

/// Renders `fleetlint deps`: what fleetlint believes each unit installs, and the drift table.
public enum DepsPresenter {
    struct UnitJSON: Encodable {
        var kind: String
        var path: String
        var stage: String?
        var name: String
        var deployedSeparately: Bool
        var requirementFiles: [String]
        var sourceFiles: Int
        var entryPoints: [String]
        var requirements: [RequirementJSON]
    }
    struct RequirementJSON: Encodable {
        var name: String
        var requirement: String
        var path: String
        var line: Int
        var constraint: Bool
        var appliesToTarget: Bool
    }

    static func encode<T: Encodable>(_ value: T) -> String { JSONOutput.encode(value) }

    static func entry(_ ep: PythonEntryPoint) -> String {
        var s = ep.tool
        if let m = ep.module { s += " " + m }
        if let sc = ep.script { s += " " + sc }
        if let a = ep.attribute { s += ":" + a }
        return s
    }

    public static func units(_ index: DependencyIndex, report: LintReport, json: Bool) -> String {
        if json {
            return encode(index.units.map { u in
                UnitJSON(
                    kind: u.kind.rawValue, path: u.path, stage: u.stage, name: u.displayName,
                    deployedSeparately: u.isDeployedSeparately, requirementFiles: u.requirementFiles,
                    sourceFiles: u.sourceFiles.count, entryPoints: u.entryPoints.map(entry),
                    requirements: u.requirements.map {
                        RequirementJSON(name: $0.name, requirement: $0.text, path: $0.path, line: $0.range.start.line,
                                        constraint: $0.isConstraint, appliesToTarget: $0.appliesToTarget)
                    })
            })
        }
        var out = ""
        for u in index.units {
            let note = u.isDeployedSeparately ? "" : u.kind == .image ? " (build stage)" : " (installed by an image)"
            out += "\(u.displayName)\(note)\n"
            // One entry point on the `runs:` line; several (a Procfile, a start script) one per line below it: a
            // shared Procfile of the real monorepo made lines of 1,500 characters.
            if u.entryPoints.count == 1 {
                out += "  runs: \(entry(u.entryPoints[0]))\n"
            } else if !u.entryPoints.isEmpty {
                out += "  runs:\n" + u.entryPoints.map { "    \(entry($0))\n" }.joined()
            }
            out += "  python files: \(u.sourceFiles.count)\n"
            if !u.requirementFiles.isEmpty { out += "  requirements files: \(u.requirementFiles.joined(separator: " → "))\n" }
            for r in u.requirements {
                var flags: [String] = []
                if r.isConstraint { flags.append("constraint") }
                if !r.appliesToTarget { flags.append("marker false for target") }
                out += "    \(r.text)  \(r.path):\(r.range.start.line)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")\n"
            }
        }
        let problems = report.findings.filter { $0.ruleID == "invalid-requirement" }
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        func units(_ kind: DeployableUnit.Kind) -> Int { index.units.filter { $0.kind == kind }.count }
        out += "\n\(count(index.units.count, "unit", "units")) (\(count(units(.image), "image", "images")), "
            + "\(count(units(.requirements), "requirements file", "requirements files")), \(count(units(.project), "project", "projects")));"
            + " \(count(index.requirementFilesRead, "requirements file", "requirements files")) read;"
            + " \(count(problems.count, "invalid-requirement finding", "invalid-requirement findings"))\n"
        for f in problems { out += "  \(f.path):\(f.range.start.line):\(f.range.start.column): \(f.message)\n" }
        return out
    }

    public static func drift(_ index: DependencyIndex, settings: DependencySettings, json: Bool) -> String {
        let rows = DependencyVersionDriftRule.summary(index, settings: settings)
            .filter { $0.versions.count > 1 }
            .sorted { ($0.versions.count, $0.units, $1.package) > ($1.versions.count, $1.units, $0.package) }
        if json {
            struct Row: Encodable { var package: String; var policy: String; var units: Int; var distinct: Int; var majority: String?; var versions: [String: Int] }
            return encode(rows.map { Row(package: $0.package, policy: $0.policy.rawValue, units: $0.units, distinct: $0.versions.count,
                                         majority: $0.majority, versions: Dictionary(uniqueKeysWithValues: $0.versions.map { ($0.spec, $0.count) })) })
        }
        var out = "PACKAGE                          UNITS  DISTINCT  MAJORITY      VERSIONS (units)\n"
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
        for r in rows {
            out += pad(r.package, 33) + pad(String(r.units), 7) + pad(String(r.versions.count), 10) + pad(r.majority ?? "-", 14)
                + r.versions.map { "\($0.spec) (\($0.count))" }.joined(separator: ", ") + "\n"
        }
        if rows.isEmpty { out += "(no drift)\n" }
        return out
    }
}
