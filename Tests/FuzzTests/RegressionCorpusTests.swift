import Foundation
import FuzzTargets
import XCTest

/// Every input in Fuzz/regressions/<target>/ (one per crash class found) and
/// Fuzz/generated/<target>/ (the large ones, when scripts/make_fuzz_corpus.py
/// has made them: a 5 GiB gzip bomb, a 100 000-node chain) must parse or throw: no trap, no case over 10 s, no runaway memory. A trap ends
/// the test process; the input that did it is at
/// `FuzzDriver.defaultCurrentInputPath(target)` (and `brecq-fuzz supervise`
/// lists every failing input without stopping).
final class RegressionCorpusTests: XCTestCase {
    override class func setUp() { FuzzEnvironment.prepare() }

    func testEveryTargetHasRegressionInputs() {
        for target in FuzzTarget.allCases {
            XCTAssertFalse(FuzzCorpus.regressionFiles(target).isEmpty, "no inputs in Fuzz/regressions/\(target.rawValue)")
        }
    }

    func testONNX() { replay(.onnx) }
    func testIDX() { replay(.idx) }
    func testNPY() { replay(.npy) }
    func testModelConfig() { replay(.modelConfig) }
    func testEventLog() { replay(.eventLog) }
    func testTheme() { replay(.theme) }
    func testCheckpoint() { replay(.checkpoint) }
    func testBitsConfig() { replay(.bitsConfig) }
    func testLatencyTable() { replay(.latencyTable) }
    func testSensitivityCache() { replay(.sensitivityCache) }

    private func replay(_ target: FuzzTarget) {
        let files = FuzzCorpus.regressionFiles(target) + FuzzCorpus.generatedFiles(target)
        let report = FuzzDriver(target: target).replay(files) { file, seconds in
            XCTAssertLessThan(seconds, FuzzBudget.secondsPerCase, "\(file.path) took \(seconds) s")
        }
        FuzzBudget.check(report)
    }
}
