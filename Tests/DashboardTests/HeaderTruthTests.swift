import XCTest
import Engine
import Network
import Quantization
@testable import Dashboard

/// Issue #15 item 6: the header and the hint bar say what is true now.
final class HeaderTruthTests: XCTestCase {
    typealias S = SyntheticSession
    static let size = TerminalSize(width: 80, height: 24)

    func render(_ s: DashboardState) -> CellGrid { DashboardView.render(s, size: Self.size, charset: .unicode) }
    func engine(_ s: DashboardState, _ time: Double, _ event: EngineEvent) -> DashboardState {
        DashboardReducer.update(s, .engine(EventRecord(time: time, event: event))).0
    }

    func testMethodBitsAndStateFitBeforeALongModelPath() {
        var info = S.info
        info.model = "/home/ada/experiments/2026-11/quantization/checkpoints-and-models/resnet20-fashion-mnist.onnx"
        info.data = "/home/ada/datasets/fashion-mnist"
        let s = S.state([S.record(0, .sessionStarted(info)), S.record(0.5, .stateChanged(.running))])
        let header = render(s).row(0)
        XCTAssertTrue(header.contains("brecq W4A8 block"), header)
        XCTAssertTrue(header.contains("RUNNING"), header)
        XCTAssertTrue(header.contains("resnet20-fashion-mnist.onnx"), "the file name is kept:\n\(header)")
        XCTAssertLessThan(header.range(of: "W4A8")!.lowerBound, header.range(of: "resnet20")!.lowerBound,
                          "method and bits come first")
    }

    func testHintBarFollowsTheState() {
        let running = S.state(S.midRun())
        let hint = { (s: DashboardState) in self.render(s).row(23) }
        XCTAssertTrue(hint(running).contains("space pause"), hint(running))
        XCTAssertTrue(hint(running).contains("m search"), "unit 5 has not started, so a search can:\n\(hint(running))")
        XCTAssertFalse(hint(running).contains("o export"))

        var paused = running
        paused.runState = .paused
        XCTAssertTrue(hint(paused).contains("space resume"), hint(paused))

        var done = S.state(S.withSearch())
        done.runState = .done
        XCTAssertTrue(hint(done).contains("o export"), hint(done))
        XCTAssertFalse(hint(done).contains("space"), "nothing runs, nothing to pause:\n\(hint(done))")
        XCTAssertFalse(hint(done).contains("m search"), hint(done))
        XCTAssertFalse(hint(done).contains("v eval"), hint(done))
    }

    func testPausedTimeIsShownAndTheClockKeepsRunning() {
        var s = S.state(S.midRun())                       // last event at session time 71, monotonic 0
        s = DashboardReducer.update(s, .tick(now: 100)).0
        s = engine(s, 71.5, .stateChanged(.paused))      // arrives at monotonic 100
        s = DashboardReducer.update(s, .tick(now: 112)).0
        XCTAssertEqual(s.pausedFor ?? -1, 12, accuracy: 0.01)
        XCTAssertEqual(s.elapsed, 83.5, accuracy: 0.01, "elapsed is wall time and runs on while paused")
        let row = render(s).row(1)
        XCTAssertTrue(row.contains("paused 00:12"), row)
        XCTAssertTrue(row.contains("— it/s"), "no stale speed while paused:\n\(row)")
        XCTAssertFalse(row.contains("100 it/s"), row)
        XCTAssertFalse(row.contains("ETA"), "no ETA while nothing runs:\n\(row)")
        XCTAssertTrue(row.contains("elapsed 01:23"), "the clock runs on while paused:\n\(row)")

        // Resumed: the clock does not jump, and says how much of it was paused.
        s = engine(s, 83.6, .stateChanged(.running))
        XCTAssertNil(s.pausedFor)
        XCTAssertEqual(s.pausedTotal, 12.1, accuracy: 0.01)
        let resumed = render(s).row(1)
        XCTAssertTrue(resumed.contains("(00:12 paused)"), resumed)
    }

    func testPartialEvaluationSaysSo() {
        var s = S.state(S.midRun())
        s = engine(s, 62, .evaluation(EvaluationResult(model: .quantized(.init(done: 4, total: 11)), images: 1000, top1: 0.931, top5: 0.99, kl: 0.1)))
        XCTAssertEqual(s.quantizedTop1, 0.931)
        s.currentUnit = nil // room in the header for the accuracy
        let row = render(s).row(1)
        XCTAssertTrue(row.contains("Q 93.10% (4/11 units)"), row)

        s = engine(s, 63, .evaluation(EvaluationResult(model: .quantized(.init(done: 11, total: 11)), images: 1000, top1: 0.94, top5: 0.99, kl: 0.1)))
        XCTAssertFalse(render(s).row(1).contains("units)"), "a complete model needs no note")
        // The FP evaluation never lands in the quantized slot.
        s = engine(s, 64, .evaluation(EvaluationResult(model: .fp, images: 1000, top1: 0.95, top5: 0.99, kl: nil)))
        XCTAssertEqual(s.fpTop1, 0.95)
        XCTAssertEqual(s.quantizedTop1, 0.94)
    }
}
