import Foundation
import XCTest
import Engine
import Network
import Quantization
@testable import Dashboard

/// Going back to a finished unit from the dashboard: `b`/`r` on a layer of a
/// finished unit ask first, saying what runs again and about how long it took;
/// the `rewound` event makes those units pending again and drops what no
/// longer describes the model; a recording with a rewind replays to the same screen.
final class RewindTests: XCTestCase {
    typealias S = SyntheticSession
    static let size = TerminalSize(width: 100, height: 40)

    /// midRun: units 1–3 (stem, layer1.0, layer2.0) done in 20 s each, unit 4 at iteration 1000 of 2000 at 100 it/s.
    var running: DashboardState {
        var s = S.state(S.midRun(), from: DashboardState(size: Self.size))
        s.focus = .bits
        return s
    }

    func press(_ state: DashboardState, _ keys: Key...) -> (DashboardState, [Effect]) { S.press(state, keys) }

    func select(_ layer: String, in state: DashboardState) -> DashboardState {
        var s = state
        s.selectedLayer = s.layers.firstIndex { $0.name == layer }!
        return s
    }

    func testReRunAsksWithTheCostThenSendsTheRewindOrNothing() {
        let s = select("layer1.0.conv2", in: running)
        let (asked, effects) = press(s, .character("r"))
        XCTAssertEqual(effects, [], "nothing is discarded before the answer")
        // Units 2–4 run again: unit 2 and 3 took 20 s each, unit 4 has run 1000 iterations at 100 it/s.
        XCTAssertEqual(asked.overlay, .confirmRewind(RewindRequest(unit: 1, unitName: "layer1.0", lastUnit: 3, seconds: 50, lock: nil)))
        let text = DashboardView.render(asked, size: Self.size, charset: .unicode).text
        XCTAssertTrue(text.contains("re-runs units 2–4 (≈ 50s)"), text)
        XCTAssertTrue(text.contains("y re-run"), text)
        XCTAssertEqual(press(asked, .character("y")).1, [.send(.rewind(unit: 1))])
        let (cancelled, none) = press(asked, .character("n"))
        XCTAssertEqual(none, [])
        XCTAssertNil(cancelled.overlay)
        XCTAssertEqual(cancelled.notice?.text, "re-run cancelled; unit 2 keeps its result")
    }

    func testRaisingBitsOfAFinishedUnitAsksThenSendsTheLock() {
        let s = select("layer2.0.conv1", in: running)
        let (asked, effects) = press(s, .character("b"))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(asked.overlay, .confirmRewind(RewindRequest(unit: 2, unitName: "layer2.0", lastUnit: 3, seconds: 30,
                                                                   lock: .init(layer: "layer2.0.conv1", wbits: 8, abits: 8))))
        let text = DashboardView.render(asked, size: Self.size, charset: .unicode).text
        XCTAssertTrue(text.contains("Locking layer2.0.conv1 at W8"), text)
        XCTAssertTrue(text.contains("re-runs units 3–4 (≈ 30s)"), text)
        let (sent, lock) = press(asked, .character("y"))
        XCTAssertEqual(lock, [.send(.lock(layer: "layer2.0.conv1", wbits: 8, abits: 8))], "the engine rewinds for the lock itself")
        XCTAssertNil(sent.overlay)
        XCTAssertEqual(press(asked, .escape).1, [])
        // The prompt at the smallest size the dashboard draws.
        let small = DashboardReducer.update(asked, .resize(TerminalSize(width: 80, height: 24))).0
        assertSnapshot(DashboardView.render(small, size: small.size, charset: .unicode), named: "overlay-rewind-80x24-utf8")
        assertSnapshot(DashboardView.render(small, size: small.size, charset: .ascii), named: "overlay-rewind-80x24-ascii")
    }

    /// `r` on the running unit's layer, or away from the bits table, restarts as
    /// before; on a unit not run yet, and after the run, it says why it does nothing.
    func testROtherwiseRestartsOrSaysWhy() {
        XCTAssertEqual(press(select("layer3.0.conv1", in: running), .character("r")).1, [.send(.restartUnit)])
        var units = select("layer1.0.conv2", in: running)
        units.focus = .units
        XCTAssertEqual(press(units, .character("r")).1, [.send(.restartUnit)])
        // The Analysis page on a layer of the head, not run yet.
        var s = running
        var update = AnalysisPageTests.update
        update.report.layers = [AnalysisPageTests.layer("fc", unit: 4, db: -5, kl: 0.1)]
        s = DashboardReducer.update(s, .engine(S.record(70, .analysis(update)))).0
        s.focus = .analysis
        let (pending, none) = press(s, .character("r"))
        XCTAssertEqual(none, [])
        XCTAssertEqual(pending.notice?.isError, true)
        XCTAssertTrue(pending.notice?.text.contains("unit 5 is pending") ?? false, pending.notice?.text ?? "")
        var ended = select("layer1.0.conv2", in: running)
        ended.runState = .stopped
        let (refused, nothing) = press(ended, .character("r"))
        XCTAssertEqual(nothing, [])
        XCTAssertEqual(refused.notice?.isError, true)
        XCTAssertTrue(refused.notice?.text.contains("the run has stopped") ?? false, refused.notice?.text ?? "")
    }

    /// An attached viewer without control is told who steers; with control it asks as the owner does.
    func testViewersWithoutControlAreToldWhoSteers() {
        for focus in [Panel.bits, .analysis] {
            var s = select("layer1.0.conv2", in: S.state(S.midRun(), from: DashboardState(mode: .attached(.init(control: false)), size: Self.size)))
            s = DashboardReducer.update(s, .engine(S.record(70, .analysis(AnalysisPageTests.update)))).0
            s.focus = focus
            let (next, effects) = press(s, .character("r"))
            XCTAssertEqual(effects, [])
            XCTAssertNil(next.overlay)
            XCTAssertTrue(next.notice?.text.contains("view only") ?? false, next.notice?.text ?? "")
        }
        var controlling = select("layer1.0.conv2", in: S.state(S.midRun(), from: DashboardState(mode: .attached(.init(control: true)), size: Self.size)))
        controlling.focus = .bits
        XCTAssertEqual(press(controlling, .character("r"), .character("y")).1, [.send(.rewind(unit: 1))])
    }

    /// The run went back to unit 3 (index 2): units 3–5 are pending with nothing
    /// drawn, the analysis keeps only the rows of units 1–2, a partial evaluation of
    /// more units and the estimate go, and the ETA counts the pending units again.
    func testRewoundEventResetsUnitsAndDropsWhatNoLongerDescribesTheModel() {
        var s = running
        s = S.state([S.record(62, .rounding(RoundingSnapshot(unit: 3, phase: .weights, iteration: 1000, iterations: 2000, beta: 10, layers: []))),
                     S.record(63, .analysis(AnalysisPageTests.update)),
                     S.record(64, .evaluation(EvaluationResult(model: .quantized(.init(done: 3, total: 5)), images: 1000, top1: 0.98, top5: 1))),
                     S.record(65, .estimate(RunEstimate(seconds: 40, weightsSeconds: 30, activationsSeconds: 0, evaluationSeconds: 10,
                                                        iterationsPerSecond: 100, unit: 3, name: "layer3.0",
                                                        units: [UnitEstimate(unit: 3, seconds: 10), UnitEstimate(unit: 4, seconds: 20)])))],
                    from: s)
        let before = s
        XCTAssertNotNil(before.units[3].rounding)
        s = S.state([S.record(66, .rewound(Rewound(unit: 2, name: "layer2.0", reason: "lock layer2.0.conv1 at W8A8")))], from: s)

        XCTAssertEqual(Array(s.units[0..<2]), Array(before.units[0..<2]), "units before the rewind keep their results")
        for k in 2..<5 {
            XCTAssertEqual(s.units[k], UnitProgress(info: S.units[k]), "unit \(k + 1) is pending with nothing drawn")
        }
        XCTAssertNil(s.currentUnit)
        XCTAssertEqual(s.analysis?.report.layers.map(\.layer), ["layer1.0.conv1", "layer1.0.conv2"])
        XCTAssertEqual(s.analysis?.unitsDone, 2)
        XCTAssertNil(s.quantizedTop1, "measured on 3 units, 1 of them discarded")
        XCTAssertNil(s.estimate)
        // Before the engine's new estimate: three pending units × 2000 iterations at 100 it/s.
        XCTAssertEqual(s.eta ?? 0, 60, accuracy: 1e-9)
        XCTAssertTrue(s.log.entries.last?.text.contains("rewound to unit 3 layer2.0: lock layer2.0.conv1 at W8A8") ?? false)
        // A rewind past every analysed unit leaves no analysis rather than rows of discarded units.
        XCTAssertNil(S.state([S.record(67, .rewound(Rewound(unit: 1, name: "layer1.0", reason: "re-run requested")))], from: s).analysis)
    }

    /// The events of a run with a rewind, written as the engine records them and
    /// read back as `brecq replay` reads them, reduce to the same screen.
    func testARecordingWithARewindReplaysToTheSameScreen() throws {
        var records = S.midRun()
        // midRun's last iteration is at t = 71.
        records.append(S.record(72, .bitsChanged(BitsChange(layer: "layer2.0.conv1", wbits: 8, abits: 8, locked: true))))
        records.append(S.record(72, .rewound(Rewound(unit: 2, name: "layer2.0", reason: "lock layer2.0.conv1 at W8A8"))))
        records.append(S.record(72.5, .checkpointWritten(CheckpointWritten(path: "runs/resnet-mini/ckpt", unitsDone: 2))))
        records.append(S.record(73, .unitStarted(UnitStarted(unit: 2, name: "layer2.0", phase: .weights, iterations: 2000, warmupIterations: 400))))
        records += S.iterations(unit: 2, to: 600, start: 0.15, end: 0.02, t0: 73)
        let lines = try records.map { try EventLog.line(for: $0) }.joined(separator: "\n") + "\n"
        let recording = try Recording(data: Data(lines.utf8), path: "rewind.jsonl")
        XCTAssertEqual(recording.records, records, "every line read back")

        let live = S.state(records, from: DashboardState(size: Self.size))
        let replayed = S.state(recording.records, from: DashboardState(size: Self.size))
        XCTAssertEqual(replayed, live)
        XCTAssertEqual(DashboardView.render(replayed, size: Self.size, charset: .unicode).text,
                       DashboardView.render(live, size: Self.size, charset: .unicode).text)
        // What the screen says: unit 3 runs again, unit 4's half-run attempt is gone.
        XCTAssertEqual(live.units.map(\.status), [.done, .done, .running, .pending, .pending])
        XCTAssertEqual(live.units[2].curve?.points.last?.iteration, 600)
        XCTAssertNil(live.units[3].curve)
        XCTAssertEqual(live.layers.first { $0.name == "layer2.0.conv1" }?.wbits, 8)
    }
}
