@testable import FleetLintCore
import FleetLintSyntax
import Foundation
import Testing

/// Which rules `Linter.startWarmUp` warms: the enabled ones, each once, on a thread of its own.
@Suite("Linter: rule warm-up")
struct WarmUpTests {
    final class Calls: @unchecked Sendable {
        private var ids: [String] = []
        private let lock = NSLock()
        func add(_ id: String) { lock.lock(); ids.append(id); lock.unlock() }
        var sorted: [String] { lock.lock(); defer { lock.unlock() }; return ids.sorted() }
    }

    struct WarmingRule: FileRule {
        let id: String
        let enabledByDefault: Bool
        let calls: Calls
        var ruleDescription: RuleDescription {
            RuleDescription(id: id, summary: "test rule", category: .custom, defaultSeverity: .warning,
                            inputs: [.text], rationale: "test", isEnabledByDefault: enabledByDefault)
        }
        func check(_ file: AnalyzedFile, in context: RuleContext) -> [Finding] { [] }
        func warmUp() { calls.add(id) }
    }

    @Test("enabled rules are warmed once each; disabled and ignored ones are not")
    func warmsEnabledRules() async throws {
        let calls = Calls()
        var configuration = Configuration()
        configuration.applyCommandLine(select: nil, ignore: ["ignored"], failOn: nil)
        let linter = Linter(configuration: configuration, rules: [
            WarmingRule(id: "on", enabledByDefault: true, calls: calls),
            WarmingRule(id: "off", enabledByDefault: false, calls: calls),
            WarmingRule(id: "ignored", enabledByDefault: true, calls: calls),
        ], parsers: [])
        linter.startWarmUp()
        // The warm-up runs on its own thread: wait for it (at most 10 s), then make sure nothing else follows.
        for _ in 0..<1000 where calls.sorted.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(calls.sorted == ["on"])
    }
}
