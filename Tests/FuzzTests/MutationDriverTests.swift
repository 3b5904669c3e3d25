import Foundation
import FuzzTargets
import XCTest

/// Each target for a fixed number of mutated cases with a fixed seed (the
/// same inputs every run), from the built-in seeds, Fuzz/corpus and
/// Fuzz/regressions. Long runs are libFuzzer's (docs/fuzzing.md).
final class MutationDriverTests: XCTestCase {
    override class func setUp() { FuzzEnvironment.prepare() }

    func testONNX() { fuzz(.onnx) }
    func testIDX() { fuzz(.idx) }
    func testNPY() { fuzz(.npy) }
    func testModelConfig() { fuzz(.modelConfig) }
    func testEventLog() { fuzz(.eventLog) }
    func testTheme() { fuzz(.theme) }
    func testCheckpoint() { fuzz(.checkpoint) }
    func testBitsConfig() { fuzz(.bitsConfig) }
    func testLatencyTable() { fuzz(.latencyTable) }
    func testSensitivityCache() { fuzz(.sensitivityCache) }

    private func fuzz(_ target: FuzzTarget) {
        let report = FuzzDriver(target: target).fuzz(seeds: FuzzCorpus.seeds(target), cases: FuzzBudget.cases(target), seed: FuzzBudget.seed)
        print(report)
        FuzzBudget.check(report)
        XCTAssertGreaterThan(report.accepted, 0, "\(report): no input parsed; the seeds or the target are broken")
    }
}
