import XCTest
import Engine
import Quantization
@testable import Dashboard

final class EngineEventReducerTests: XCTestCase {
    typealias S = SyntheticSession

    func apply(_ state: DashboardState, _ event: EngineEvent, time: Double = 1) -> (DashboardState, [Effect]) {
        DashboardReducer.update(state, .engine(EventRecord(time: time, event: event)))
    }

    func testSessionStartedFillsUnitsLayersAndDefaults() {
        let (s, effects) = apply(DashboardState(), .sessionStarted(S.info))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(s.units.map(\.info.name), ["stem", "layer1.0", "layer2.0", "layer3.0", "head"])
        XCTAssertTrue(s.units.allSatisfy { $0.status == .pending })
        XCTAssertEqual(s.layers.count, 9)
        XCTAssertEqual(s.defaultIterations, 2000)
        XCTAssertEqual(s.log.entries.last?.text.hasPrefix("session: resnet-mini.onnx"), true)
    }

    func testStateChangedAndQuitAfterStopConfirmed() {
        var s = S.state([S.record(0, .sessionStarted(S.info))])
        (s, _) = apply(s, .stateChanged(.running))
        XCTAssertEqual(s.runState, .running)
        XCTAssertTrue(s.isActive)
        s.quitPending = true
        let (stopped, effects) = apply(s, .stateChanged(.stopped))
        XCTAssertEqual(effects, [.quit(.userQuit(stoppedSession: true))])
        XCTAssertFalse(stopped.isActive)
        let (error, errorEffects) = apply(s, .stateChanged(.error))
        XCTAssertEqual(error.log.entries.last?.level, .error)
        XCTAssertEqual(errorEffects, [.quit(.userQuit(stoppedSession: true))])
    }

    func testUnitStartedMarksRunningResetsCurveAndFollows() {
        var s = S.state(S.midRun())
        XCTAssertEqual(s.selectedUnit, 3)
        XCTAssertFalse(s.units[3].curve!.isEmpty)
        (s, _) = apply(s, .unitStarted(UnitStarted(unit: 3, name: "layer3.0", phase: .weights, iterations: 3000, warmupIterations: 600)))
        XCTAssertEqual(s.units[3].status, .running)
        XCTAssertEqual(s.units[3].curve?.isEmpty, true, "a restart starts a fresh curve")
        XCTAssertEqual(s.currentIterations, 3000)
        XCTAssertEqual(s.units[3].warmupIterations, 600)
        XCTAssertEqual(s.currentIteration, 0)
    }

    func testSelectionDoesNotFollowOnceMoved() {
        var s = S.state(Array(S.midRun().prefix(8)))
        s.followRunning = false
        s.selectedUnit = 0
        (s, _) = apply(s, .unitStarted(UnitStarted(unit: 2, name: "layer2.0", phase: .weights, iterations: 2000, warmupIterations: 400)))
        XCTAssertEqual(s.selectedUnit, 0)
    }

    func testIterationUpdatesProgressCurveAndThroughput() {
        let s = S.state(S.midRun())
        XCTAssertEqual(s.currentUnit, 3)
        XCTAssertEqual(s.currentIteration, 1000)
        XCTAssertEqual(s.iterationsPerSecond, 100)
        XCTAssertEqual(s.units[3].curve?.points.count, 20)
        XCTAssertEqual(s.units[3].curve?.last?.iteration, 1000)
        XCTAssertNotNil(s.currentBeta)
        // 1000 iterations left here, one pending unit of 2000: 30 s at 100 it/s.
        XCTAssertEqual(s.eta!, 30, accuracy: 1e-9)
    }

    func testUnitFinishedRecordsLossesAndLogs() {
        let s = S.state(S.midRun())
        XCTAssertEqual(s.units[1].status, .done)
        XCTAssertEqual(s.units[1].lossBefore, 0.087)
        XCTAssertEqual(s.units[1].lossAfter, 0.011)
        XCTAssertEqual(s.unitsDone, 3)
        XCTAssertTrue(s.log.entries.contains { $0.text.contains("layer1.0 done") })
        let (skipped, _) = apply(s, .unitFinished(UnitFinished(unit: 3, name: "layer3.0", status: .skipped, lossBefore: 0.6, lossAfter: 0.5, seconds: 3)))
        XCTAssertEqual(skipped.units[3].status, .skipped)
        XCTAssertNil(skipped.currentUnit)
    }

    func testBitsChangedUpdatesLayer() {
        let s = S.state(S.midRun())
        let (next, _) = apply(s, .bitsChanged(BitsChange(layer: "layer3.0.conv2", wbits: 8, abits: 8, locked: true)))
        let layer = next.layers.first { $0.name == "layer3.0.conv2" }!
        XCTAssertEqual(layer.wbits, 8)
        XCTAssertTrue(layer.locked)
        XCTAssertEqual(next.log.entries.last?.text, "bits: layer3.0.conv2 W8A8 locked")
    }

    func testIterationsChangedUpdatesCurrentAndDefault() {
        let s = S.state(S.midRun())
        let (next, _) = apply(s, .iterationsChanged(IterationsChange(unit: 3, currentIterations: 1500, defaultIterations: 1200)))
        XCTAssertEqual(next.currentIterations, 1500)
        XCTAssertEqual(next.units[3].iterations, 1500)
        XCTAssertEqual(next.defaultIterations, 1200)
    }

    func testHyperparametersChanged() {
        var h = Hyperparameters()
        h.roundWeight = 0.05
        h.loss = .fisher
        let (s, _) = apply(S.state(S.midRun()), .hyperparametersChanged(h))
        XCTAssertEqual(s.hyperparameters, h)
        XCTAssertTrue(s.log.entries.last!.text.contains("fisher"))
    }

    func testSearchEvents() {
        let s = S.state(S.withSearch())
        XCTAssertEqual(s.runState, .searching)
        XCTAssertEqual(s.search?.started.generations, 20)
        XCTAssertEqual(s.search?.generations.count, 12)
        XCTAssertEqual(s.search?.received?.feasible, 22, "the engine's newest generation")
        XCTAssertNil(s.search?.latest, "on screen only once the dashboard's clock plays it")
        // Generations without a start event still make a search panel.
        let (bare, _) = apply(DashboardState(), .searchGeneration(S.withSearch().compactMap {
            if case .searchGeneration(let g) = $0.event { g } else { nil } }.first!))
        XCTAssertEqual(bare.search?.generations.count, 1)
        XCTAssertEqual(bare.search?.started.budget, 40_000)
    }

    func testEvaluationStoresFpAndQuantizedTop1() {
        let s = S.state(S.withSearch())
        XCTAssertEqual(s.fpTop1, 0.9912)
        XCTAssertEqual(s.quantizedTop1, 0.9874)
        XCTAssertTrue(s.log.entries.last!.text.contains("top-1 98.74%"))
    }

    func testCheckpointWritten() {
        let s = S.state(S.midRun())
        XCTAssertEqual(s.lastCheckpoint, CheckpointWritten(path: "runs/resnet-mini/ckpt", unitsDone: 3))
    }

    func testErrorMessageIsShownAndLogged() {
        let (s, _) = apply(S.state(S.midRun()), .message(Message(level: .error, text: "NaN loss in layer3.0")))
        XCTAssertEqual(s.engineError, "NaN loss in layer3.0")
        XCTAssertEqual(s.notice?.isError, true)
        XCTAssertEqual(s.log.entries.last?.level, .error)
        let (warned, _) = apply(DashboardState(), .message(Message(level: .warning, text: "slow")))
        XCTAssertNil(warned.engineError)
        XCTAssertEqual(warned.log.entries.last?.level, .warning)
    }

    func testFinishedStoresSummaryAndQuitsWhenPending() {
        var s = S.state(S.midRun())
        let summary = RunSummary(fpTop1: 0.99, quantTop1: 0.98, wallSeconds: 125)
        let (done, effects) = apply(s, .finished(summary))
        XCTAssertEqual(done.summary, summary)
        XCTAssertEqual(done.quantizedTop1, 0.98)
        XCTAssertEqual(effects, [])
        s.quitPending = true
        XCTAssertEqual(apply(s, .finished(summary)).1, [.quit(.userQuit(stoppedSession: true))])
    }

    func testSessionTimeAndElapsedClock() {
        var s = DashboardReducer.update(DashboardState(), .tick(now: 100)).0
        s = S.state([S.record(0, .sessionStarted(S.info)), S.record(5, .stateChanged(.running))], from: s)
        XCTAssertEqual(s.sessionTime, 5)
        s = DashboardReducer.update(s, .tick(now: 103)).0
        XCTAssertEqual(s.elapsed, 8, accuracy: 1e-9, "the clock runs on between events while running")
    }

    func testTickExpiresNotice() {
        var s = DashboardState()
        s.notify("hello")
        XCTAssertNotNil(DashboardReducer.update(s, .tick(now: 1)).0.notice)
        XCTAssertNil(DashboardReducer.update(s, .tick(now: 3.5)).0.notice)
    }

    func testResizeAndUiMessageAndThemeLoaded() {
        var s = DashboardState(themeNames: ["default", "light"])
        s = DashboardReducer.update(s, .resize(TerminalSize(width: 100, height: 30))).0
        XCTAssertEqual(s.size, TerminalSize(width: 100, height: 30))
        s = DashboardReducer.update(s, .uiMessage(Message(level: .error, text: "theme: bad"))).0
        XCTAssertEqual(s.log.entries.last, LogEntry(time: nil, level: .error, text: "theme: bad"))
        let light = Theme(name: "light", colors: [:])
        let effects: [Effect]
        (s, effects) = DashboardReducer.update(s, .themeLoaded(index: 1, theme: light))
        XCTAssertEqual(s.themeIndex, 1)
        XCTAssertEqual(s.notice?.text, "theme: light")
        XCTAssertEqual(effects, [.applyTheme(light)], "the loop sets up the loaded theme's colours")
    }

    func testSearchGenerationsAreBounded() {
        var s = DashboardState()
        for g in 1...(DashboardReducer.maxGenerations + 10) {
            s = apply(s, .searchGeneration(GenerationStats(generation: g, generations: 5000, bestObjective: 1, meanObjective: 2,
                                                           feasible: 1, population: 4, bestBits: [], bestCost: 1, budget: 2))).0
        }
        XCTAssertEqual(s.search?.generations.count, DashboardReducer.maxGenerations)
        XCTAssertEqual(s.search?.generations.first?.generation, 11)
    }
}
