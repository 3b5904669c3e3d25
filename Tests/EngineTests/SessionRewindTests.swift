import Foundation
import Synchronization
import XCTest
@testable import Engine
import Network
import Quantization

/// Going back to a finished unit in a live session: the units before it keep
/// their committed results, it and every later unit run again from the state
/// a fresh run gives them, so the run ends where a run with the same bits from
/// the start ends (each unit draws from its own generator, seeded by its index).
final class SessionRewindTests: TinyRunTestCase {
    private func directory(_ name: String) -> String { tiny.directory.appendingPathComponent(name).path }

    private func model(in directory: String) throws -> QuantizedModel {
        try CheckpointStore(directory: directory).loadCheckpoint().model
    }

    private func finished(_ unit: Int) -> (EngineEvent) -> Bool {
        { if case .unitFinished(let f) = $0 { f.unit == unit } else { false } }
    }

    /// A runner whose engine thread pauses itself when unit `unit` first finishes:
    /// the observer runs on that thread as the event is emitted, so the pause is
    /// in the mailbox before the engine looks at it between units.
    private func runnerPausing(after unit: Int, _ c: RunConfiguration, checkpoint: String) -> SessionRunner {
        let reference = Mutex<SessionRunner?>(nil)
        var options = SessionRunner.Options(checkpointDirectory: checkpoint)
        options.observer = { record in
            guard case .unitFinished(let f) = record.event, f.unit == unit else { return }
            // Once: the unit finishes again after the rewind.
            reference.withLock { runner in
                runner?.send(.pause)
                runner = nil
            }
        }
        let runner = SessionRunner(configuration: c, options: options)
        reference.withLock { $0 = runner }
        return runner
    }

    /// The run is held between unit 3 and unit 4 (a pause), the checkpoint of units
    /// 0…3 read, then a layer of finished unit 2 locked at new bits: the run rewinds to unit 2.
    func testLockingALayerOfAFinishedUnitRewindsAndEndsAsARunLockedFromTheStart() throws {
        try lockRewindsAndEndsAsARunLockedFromTheStart(.block)
    }

    /// Layer units: unit 2 sits inside a block, so the session is rebuilt at
    /// that block and passes the block's earlier units with their committed results.
    func testLockingALayerOfAFinishedLayerUnitRewindsInsideItsBlock() throws {
        try lockRewindsAndEndsAsARunLockedFromTheStart(.layer)
    }

    private func lockRewindsAndEndsAsARunLockedFromTheStart(_ granularity: Granularity) throws {
        var c = tiny.configuration()
        c.granularity = granularity
        let rewound = directory("rewound-\(granularity)")
        let runner = runnerPausing(after: 3, c, checkpoint: rewound)
        runner.start()
        let events = EventCollector(runner)
        guard case .sessionStarted(let info)? = events.waitFor({ if case .sessionStarted = $0 { true } else { false } })?.event else {
            return XCTFail("no session")
        }
        XCTAssertGreaterThan(info.units.count, 4, "the test needs units after unit 3")
        XCTAssertNotNil(events.waitFor(finished(3)))
        XCTAssertNotNil(events.waitFor { $0 == .stateChanged(.paused) })
        let beforeRewind = try CheckpointStore(directory: rewound).loadCheckpoint()
        XCTAssertEqual(beforeRewind.unitsDone, 4, "paused between units 3 and 4")

        let layer = try XCTUnwrap(info.layers.first { $0.unit == 2 })
        let newBits = layer.wbits == 8 ? 4 : 8
        runner.send(.lock(layer: layer.name, wbits: newBits, abits: layer.abits))
        runner.send(.resume)
        guard case .finished(let summary) = events.finish() else { return XCTFail("the rewound run must finish") }
        let all = events.events
        // The summary describes the rewound run: one result per unit, in order.
        XCTAssertEqual(summary.results.units.map(\.name), info.units.map(\.name))
        // The estimate right after the rewind prices units 2… again.
        let rewindIndex = try XCTUnwrap(all.firstIndex { if case .rewound = $0 { true } else { false } })
        let estimate = all[rewindIndex...].lazy.compactMap { e -> RunEstimate? in if case .estimate(let x) = e { x } else { nil } }.first
        XCTAssertEqual(estimate?.units.map(\.unit), Array(2..<info.units.count))

        // One rewind, to unit 2, for the lock; unit 2 finished twice, unit 0 and 1 once.
        let rewinds = all.compactMap { e -> Rewound? in if case .rewound(let r) = e { r } else { nil } }
        XCTAssertEqual(rewinds.map(\.unit), [2])
        XCTAssertTrue(rewinds.first?.reason.contains(layer.name) ?? false, "\(rewinds)")
        XCTAssertEqual(all.filter(finished(2)).count, 2)
        XCTAssertEqual(all.filter(finished(1)).count, 1)
        // The checkpoint written at the rewind describes the rewound run (units 0 and 1 done).
        XCTAssertTrue(all.contains(.checkpointWritten(CheckpointWritten(path: rewound, unitsDone: 2))))

        let after = try model(in: rewound)
        // Units before 2 keep exactly what they committed before the rewind.
        let kept = Set(info.layers.filter { $0.unit < 2 }.map(\.name))
        XCTAssertFalse(kept.isEmpty)
        for name in kept { XCTAssertEqual(after.layer(named: name), beforeRewind.model.layer(named: name), name) }
        // Unit 2's layer has the new bits, reconstructed (not left at round-to-nearest).
        XCTAssertEqual(after.layer(named: layer.name)?.bits, newBits)
        XCTAssertEqual(after.layer(named: layer.name)?.rounding, .adaround)

        // A run with that lock from the start ends with the same model, bit for bit.
        var locked = c
        locked.layerBits[layer.name] = try LayerBits(wbits: newBits, abits: layer.abits)
        let fresh = directory("fresh-\(granularity)")
        guard case .finished = runSession(locked, checkpoint: fresh).outcome else { return XCTFail("the locked run must finish") }
        XCTAssertEqual(after, try model(in: fresh))
    }

    /// A plain re-run (`r`) of finished unit 1 discards nothing the bits decide:
    /// the run ends with the model an uninterrupted run gives. A stop right after
    /// the rewind leaves a checkpoint that resumes from unit 1 to the same end.
    func testRewindWithoutABitsChangeAndAResumeAfterItEndAsAnUninterruptedRun() throws {
        let c = tiny.configuration()
        let whole = directory("whole")
        guard case .finished = runSession(c, checkpoint: whole).outcome else { return XCTFail() }

        let rewound = directory("rewound")
        let runner = runnerPausing(after: 2, c, checkpoint: rewound)
        runner.start()
        let events = EventCollector(runner)
        XCTAssertNotNil(events.waitFor { $0 == .stateChanged(.paused) })
        // Carried out while paused; the pause holds, so the stop finds the checkpoint of the rewind.
        runner.send(.rewind(unit: 1))
        XCTAssertNotNil(events.waitFor { if case .rewound(let r) = $0 { r.unit == 1 } else { false } })
        runner.send(.stop)
        guard case .stopped = events.finish() else { return XCTFail("expected a stop") }
        let checkpoint = try CheckpointStore(directory: rewound).loadCheckpoint()
        XCTAssertEqual(checkpoint.unitsDone, 1, "the checkpoint written at the rewind")
        XCTAssertEqual(checkpoint.unitResults.count, 1)
        let resumed = runSession(c, checkpoint: rewound, resume: true)
        guard case .finished = resumed.outcome else { return XCTFail("the resumed run must finish: \(resumed.outcome)") }
        XCTAssertEqual(try model(in: rewound), try model(in: whole))
    }

    /// A unit not run yet cannot be re-run, and an unknown one is refused; the run goes on.
    func testRewindToAUnitNotRunYetIsRefusedWithAReason() {
        var c = tiny.configuration()
        c.iterations = 100_000
        let runner = SessionRunner(configuration: c)
        runner.start()
        let events = EventCollector(runner)
        XCTAssertNotNil(events.waitFor { if case .iteration(let s) = $0 { s.unit == 1 } else { false } })
        runner.send(.rewind(unit: 3))
        runner.send(.rewind(unit: 99))
        XCTAssertNotNil(events.waitFor { if case .message(let m) = $0 { m.text.contains("there is no unit 100") } else { false } })
        runner.send(.stop)
        _ = events.finish()
        let errors = events.events.compactMap { e -> String? in if case .message(let m) = e, m.level == .error { m.text } else { nil } }
        XCTAssertTrue(errors.contains { $0.contains("unit 4") && $0.contains("has not run yet") }, "\(errors)")
        XCTAssertFalse(events.events.contains { if case .rewound = $0 { true } else { false } })
    }
}
