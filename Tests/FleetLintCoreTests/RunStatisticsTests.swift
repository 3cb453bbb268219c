import Foundation
import Testing
@testable import FleetLintCore

/// Each step of a run records its wall time, CPU time, peak memory and, where the allocator can tell, its live heap.
@Suite("run statistics")
struct RunStatisticsTests {
    @Test("a step records the heap the probe reads, in KiB, and none without a probe")
    func heapPerStep() {
        var stats = RunStatistics()
        var clock = ContinuousClock.now
        stats.lap("analysis", since: &clock, heap: { (live: 3 * 1_048_576 + 512, resident: 5 * 1_048_576) })
        stats.lap("passes", since: &clock, heap: { nil })
        stats.lap("report", since: &clock, heap: nil)
        #expect(stats.phases.map(\.name) == ["analysis", "passes", "report"])
        #expect(stats.phases[0].heap?.liveKiB == 3 * 1024)
        #expect(stats.phases[0].heap?.residentKiB == 5 * 1024)
        #expect(stats.phases[1].heap == nil)
        #expect(stats.phases[2].heap == nil)
        // The process's own figures are read whatever the probe says.
        #expect(stats.phases.allSatisfy { $0.peakKiB > 0 && $0.cpuTotal > 0 })
        #expect(zip(stats.phases, stats.phases.dropFirst()).allSatisfy { $0.cpuTotal <= $1.cpuTotal })
    }
}
