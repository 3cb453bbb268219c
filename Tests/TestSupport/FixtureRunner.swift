import FleetLintCore
import FleetLintRules
import FleetLintSyntax
import Foundation

/// Lints `fixtures/<scenario>/` and checks the in-place annotations: every finding must have
/// `expect: <rule-id>` on the line above (or on its own line, for whole-file findings reported on a
/// comment line 1), and every `expect:` must be matched by a finding on the next line.
public enum FixtureRunner {
    public struct Result {
        public var report: LintReport
        public var problems: [String]
    }

    public static func lint(_ scenario: String, format: ReportFormat? = nil) throws -> LintReport {
        let root = RepositoryPaths.fixtures.appendingPathComponent(scenario)
        let config = try FleetLintSetup.loadConfiguration(root: root)
        let linter = try FleetLintSetup.makeLinter(configuration: config, root: root)
        var options = LintOptions(root: root, rootDisplay: ".")
        options.useGit = false
        return linter.lint(options)
    }

    /// `expect:` ids on a line (`# expect: a, b`, `// expect: a`, `<!-- expect: a -->`, `"expect: a"`).
    static func annotations(_ line: Substring, keyword: String) -> [String] {
        guard let r = line.range(of: keyword + ":") else { return [] }
        let before = line[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        guard before.hasSuffix("#") || before.hasSuffix("//") || before.hasSuffix("<!--") || before.hasSuffix("\"")
            || before.hasSuffix("'") || before.hasSuffix("*") else { return [] }
        let rest = line[r.upperBound...]
        let ids = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "," || $0 == " " }
        return ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.compactMap {
            $0.split(separator: " ").first.map(String.init)
        }.filter { !$0.isEmpty }
    }

    public static func check(_ scenario: String) throws -> Result {
        let report = try lint(scenario)
        let root = RepositoryPaths.fixtures.appendingPathComponent(scenario)
        var problems: [String] = []
        var linesCache: [String: [Substring]] = [:]
        func lines(_ path: String) -> [Substring] {
            if let l = linesCache[path] { return l }
            let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) ?? Data()
            let l = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            linesCache[path] = l
            return l
        }
        var matched = Set<String>()  // "path:annotationLine:rule"
        for f in report.findings {
            let l = lines(f.path)
            let n = f.range.start.line
            let above = n >= 2 && n - 2 < l.count ? annotations(l[n - 2], keyword: "expect") : []
            let same = n >= 1 && n - 1 < l.count ? annotations(l[n - 1], keyword: "expect") : []
            if above.contains(f.ruleID) {
                matched.insert("\(f.path):\(n - 1):\(f.ruleID)")
            } else if same.contains(f.ruleID) {
                matched.insert("\(f.path):\(n):\(f.ruleID)")
            } else {
                problems.append("\(scenario)/\(f.path):\(f.range.start): unannotated finding \(f.ruleID): \(f.message)")
            }
        }
        // Every annotation must have fired.
        let fm = FileManager.default
        let enumerator = fm.enumerator(atPath: root.path)
        var files: [String] = []
        while let p = enumerator?.nextObject() as? String { files.append(p) }
        for path in files.sorted() {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDir), !isDir.boolValue else { continue }
            for (i, line) in lines(path).enumerated() {
                for id in annotations(line, keyword: "expect") where !matched.contains("\(path):\(i + 1):\(id)") {
                    problems.append("\(scenario)/\(path):\(i + 1): `expect: \(id)` did not fire on the next line")
                }
            }
        }
        return Result(report: report, problems: problems)
    }
}
