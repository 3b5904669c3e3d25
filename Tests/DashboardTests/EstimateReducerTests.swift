import XCTest
import Engine
@testable import Dashboard

/// The header's ETA prices the units after the running one at the engine's estimate.
final class EstimateReducerTests: XCTestCase {
    typealias S = SyntheticSession

    /// Unit 3 (layer3.0) runs at 100 it/s, 1000 of 2000 done; the head (unit 4) is pending.
    let estimate = RunEstimate(seconds: 19, weightsSeconds: 17, activationsSeconds: 0, evaluationSeconds: 2, iterationsPerSecond: 100,
                               unit: 3, name: "layer3.0", units: [UnitEstimate(unit: 3, seconds: 10), UnitEstimate(unit: 4, seconds: 7)])

    func testTheHeaderEtaUsesTheEstimateOnceThereIsOne() {
        var s = S.state(S.midRun())
        XCTAssertEqual(s.eta!, 30, accuracy: 1e-9, "before an estimate: every pending unit at this unit's rate")
        let logged = s.log.entries.count
        (s, _) = DashboardReducer.update(s, .engine(EventRecord(time: 20, event: .estimate(estimate))))
        // 1000 iterations left here at 100 it/s, then the head's 7 s and the evaluation's 2 s.
        XCTAssertEqual(s.eta!, 10 + 7 + 2, accuracy: 1e-9)
        XCTAssertEqual(s.log.entries.count, logged + 1)
        XCTAssertEqual(s.log.entries.last?.text,
                       "estimated total: 19s (weights 17s, activations 0.0s, evaluation 2.0s) at 100.0 it/s on layer3.0")
        let header = DashboardView.render(s, size: TerminalSize(width: 160, height: 40), charset: .unicode).row(1)
        XCTAssertTrue(header.contains("ETA 19s"), header)

        // A refinement moves the ETA without another log line.
        var refined = estimate
        refined.units[1].seconds = 17
        (s, _) = DashboardReducer.update(s, .engine(EventRecord(time: 21, event: .estimate(refined))))
        XCTAssertEqual(s.eta!, 10 + 17 + 2, accuracy: 1e-9)
        XCTAssertEqual(s.log.entries.count, logged + 1, "the estimate is logged once")
    }
}
