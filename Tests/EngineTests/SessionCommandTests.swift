import Foundation
import XCTest
@testable import Engine
import Quantization

final class SessionCommandTests: TinyRunTestCase {
    private func start(_ c: RunConfiguration? = nil) -> (SessionRunner, EventCollector) {
        let runner = SessionRunner(configuration: c ?? tiny.configuration())
        runner.start()
        return (runner, EventCollector(runner))
    }

    private func iterationNumber(_ e: EngineEvent) -> Int? {
        if case .iteration(let s) = e { return s.iteration } else { return nil }
    }

    func testPauseStopsIterationsUntilResume() throws {
        var c = tiny.configuration()
        c.iterations = 400
        let (runner, events) = start(c)
        XCTAssertNotNil(events.waitFor { self.iterationNumber($0) != nil })
        runner.send(.pause)
        XCTAssertNotNil(events.waitFor { $0 == .stateChanged(.paused) })
        let before = runner.drainEvents()
        XCTAssertLessThanOrEqual(before.compactMap { iterationNumber($0.event) }.count, 1, "at most the iteration in flight")
        // Evaluations still run while paused; iterations do not.
        runner.send(.evaluate(images: 10))
        XCTAssertNotNil(events.waitFor { if case .evaluation = $0 { true } else { false } })
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertTrue(runner.drainEvents().allSatisfy { iterationNumber($0.event) == nil })
        runner.send(.resume)
        XCTAssertNotNil(events.waitFor { $0 == .stateChanged(.running) })
        runner.send(.stop)
        guard case .stopped = events.finish() else { return XCTFail() }
    }

    func testLoweringIterationsBelowTheDoneCountFinishesTheUnitNow() {
        var c = tiny.configuration()
        c.iterations = 100_000
        let (runner, events) = start(c)
        XCTAssertNotNil(events.waitFor { (self.iterationNumber($0) ?? 0) >= 3 })
        runner.send(.setIterations(current: 1, default: 5))
        XCTAssertNotNil(events.waitFor { if case .iterationsChanged(let ch) = $0 { ch.defaultIterations == 5 } else { false } })
        guard case .finished = events.finish() else { return XCTFail() }
        let starts = events.events.compactMap { e -> UnitStarted? in if case .unitStarted(let s) = e, s.phase == .weights { s } else { nil } }
        XCTAssertEqual(starts.first?.iterations, 100_000)
        XCTAssertTrue(starts.dropFirst().allSatisfy { $0.iterations == 5 }, "later units use the new default")
    }

    func testInvalidCommandsAreRejectedAndTheRunGoesOn() {
        let (runner, events) = start()
        XCTAssertNotNil(events.waitFor { self.iterationNumber($0) != nil })
        runner.send(.lock(layer: "no-such-layer", wbits: 4, abits: 4))
        runner.send(.setIterations(current: 0, default: nil))
        var bad = Hyperparameters()
        bad.batchSize = 0
        runner.send(.setHyperparameters(bad, restartCurrent: false))
        guard case .finished = events.finish() else { return XCTFail("the session must go on") }
        let errors = events.events.compactMap { e -> String? in if case .message(let m) = e, m.level == .error { m.text } else { nil } }
        XCTAssertEqual(errors.count, 3, "\(errors)")
        XCTAssertTrue(errors[0].contains("no-such-layer"))
    }

    func testLockSetsBitsOfAPendingLayerAndTheyStay() throws {
        let (runner, events) = start()
        guard case .sessionStarted(let info)? = events.waitFor({ if case .sessionStarted = $0 { true } else { false } })?.event else {
            return XCTFail()
        }
        let last = info.units[info.units.count - 2]  // the last block, still pending
        let layer = last.layers[0]
        runner.send(.lock(layer: layer, wbits: 8, abits: 4))
        guard case .finished(let summary) = events.finish() else { return XCTFail() }
        XCTAssertTrue(events.events.contains(.bitsChanged(BitsChange(layer: layer, wbits: 8, abits: 4, locked: true))))
        XCTAssertEqual(summary.bits[layer]?.wbits, 8)
    }

    func testSkipKeepsRoundToNearestAndRestartRunsTheUnitAgain() {
        var c = tiny.configuration()
        c.iterations = 100_000
        let (runner, events) = start(c)
        XCTAssertNotNil(events.waitFor { (self.iterationNumber($0) ?? 0) >= 2 })
        runner.send(.restartUnit)
        XCTAssertNotNil(events.waitFor { if case .message(let m) = $0 { m.text.hasPrefix("restarting") } else { false } })
        XCTAssertNotNil(events.waitFor { (self.iterationNumber($0) ?? 0) >= 2 })
        runner.send(.skipUnit)
        XCTAssertNotNil(events.waitFor { if case .unitFinished = $0 { true } else { false } })
        runner.send(.stop)
        _ = events.finish()
        let finished = events.events.compactMap { e -> UnitFinished? in if case .unitFinished(let f) = e, f.unit == 1 { f } else { nil } }
        XCTAssertEqual(finished.count, 1)
        XCTAssertEqual(finished.first?.status, .skipped)
        XCTAssertEqual(finished.first?.lossBefore, finished.first?.lossAfter)
        let starts = events.events.filter { if case .unitStarted(let s) = $0 { s.unit == 1 } else { false } }
        XCTAssertEqual(starts.count, 2, "started, then restarted")
    }
}
