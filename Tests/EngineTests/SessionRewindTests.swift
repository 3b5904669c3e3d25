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

    /// New activation bits on the input of unit 2's first layer change the
    /// quantizer on unit 1's output, calibrated by unit 1: the run goes back to unit 1.
    func testNewActivationBitsRewindToTheUnitThatCalibratedTheQuantizer() throws {
        try lockRewindsAndEndsAsARunLockedFromTheStart(.block, activations: true)
    }

    private func lockRewindsAndEndsAsARunLockedFromTheStart(_ granularity: Granularity, activations: Bool = false) throws {
        var c = tiny.configuration()
        c.granularity = granularity
        let rewound = directory("rewound-\(granularity)-\(activations)")
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
        let newBits = activations ? layer.wbits : layer.wbits == 8 ? 4 : 8
        let newActivationBits = activations ? 8 : layer.abits
        if activations { XCTAssertNotEqual(layer.abits, newActivationBits, "the lock must change the activation bits") }
        runner.send(.lock(layer: layer.name, wbits: newBits, abits: newActivationBits))
        let target = activations ? 1 : 2
        runner.send(.resume)
        guard case .finished(let summary) = events.finish() else { return XCTFail("the rewound run must finish") }
        let all = events.events
        // The summary describes the rewound run: one result per unit, in order.
        XCTAssertEqual(summary.results.units.map(\.name), info.units.map(\.name))
        // The estimate right after the rewind prices units 2… again.
        let rewindIndex = try XCTUnwrap(all.firstIndex { if case .rewound = $0 { true } else { false } })
        let estimate = all[rewindIndex...].lazy.compactMap { e -> RunEstimate? in if case .estimate(let x) = e { x } else { nil } }.first
        XCTAssertEqual(estimate?.units.map(\.unit), Array(target..<info.units.count))

        // One rewind, to the target unit, for the lock; it finished twice, the units before it once.
        let rewinds = all.compactMap { e -> Rewound? in if case .rewound(let r) = e { r } else { nil } }
        XCTAssertEqual(rewinds.map(\.unit), [target])
        XCTAssertTrue(rewinds.first?.reason.contains(layer.name) ?? false, "\(rewinds)")
        XCTAssertEqual(all.filter(finished(target)).count, 2)
        XCTAssertEqual(all.filter(finished(target - 1)).count, 1)
        // The checkpoint written at the rewind describes the rewound run (the units before the target done).
        XCTAssertTrue(all.contains(.checkpointWritten(CheckpointWritten(path: rewound, unitsDone: target))))

        let after = try model(in: rewound)
        // Units before the target keep exactly what they committed before the rewind.
        let kept = Set(info.layers.filter { $0.unit < target }.map(\.name))
        XCTAssertFalse(kept.isEmpty)
        for name in kept { XCTAssertEqual(after.layer(named: name), beforeRewind.model.layer(named: name), name) }
        // Unit 2's layer has the new bits, reconstructed (not left at round-to-nearest).
        XCTAssertEqual(after.layer(named: layer.name)?.bits, newBits)
        XCTAssertEqual(after.inputActivationBits(ofLayer: layer.name), newActivationBits)
        XCTAssertEqual(after.layer(named: layer.name)?.rounding, .adaround)

        // A run with that lock from the start ends with the same model, bit for bit.
        var locked = c
        locked.layerBits[layer.name] = try LayerBits(wbits: newBits, abits: newActivationBits)
        let fresh = directory("fresh-\(granularity)-\(activations)")
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
