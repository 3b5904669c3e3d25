import Foundation
import XCTest
@testable import Engine
import Quantization

/// A lock restarts the running unit only when it changes that unit's bits.
final class SessionLockTests: TinyRunTestCase {
    private func iterationNumber(_ e: EngineEvent) -> Int? {
        if case .iteration(let s) = e { return s.iteration } else { return nil }
    }

    private func starts(of unit: Int, in events: [EngineEvent]) -> Int {
        events.filter { if case .unitStarted(let s) = $0 { s.unit == unit && s.phase == .weights } else { false } }.count
    }

    func testLockAtTheSameBitsKeepsTheRunningUnitGoing() throws {
        var c = tiny.configuration()
        c.iterations = 100_000
        let runner = SessionRunner(configuration: c)
        runner.start()
        let events = EventCollector(runner)
        guard case .sessionStarted(let info)? = events.waitFor({ if case .sessionStarted = $0 { true } else { false } })?.event else {
            return XCTFail()
        }
        XCTAssertNotNil(events.waitFor { if case .unitStarted(let s) = $0 { s.unit == 1 } else { false } })
        XCTAssertNotNil(events.waitFor { (self.iterationNumber($0) ?? 0) >= 2 })
        let layer = try XCTUnwrap(info.layers.first { $0.unit == 1 })

        // Same bits: the layer is marked locked, the unit goes on.
        runner.send(.lock(layer: layer.name, wbits: layer.wbits, abits: layer.abits))
        XCTAssertNotNil(events.waitFor { $0 == .bitsChanged(BitsChange(layer: layer.name, wbits: layer.wbits, abits: layer.abits, locked: true)) })
        // Locked again at the same bits: nothing at all happens to the unit.
        runner.send(.lock(layer: layer.name, wbits: layer.wbits, abits: layer.abits))
        XCTAssertNotNil(events.waitFor { (self.iterationNumber($0) ?? 0) >= 4 })
        XCTAssertEqual(starts(of: 1, in: events.events), 1, "a lock that changes nothing restarted the unit")

        // New bits: the unit restarts so that they take effect.
        runner.send(.lock(layer: layer.name, wbits: layer.wbits == 8 ? 4 : 8, abits: layer.abits))
        XCTAssertNotNil(events.waitFor { if case .unitStarted(let s) = $0 { s.unit == 1 } else { false } })
        runner.send(.stop)
        _ = events.finish()
        XCTAssertEqual(starts(of: 1, in: events.events), 2, "started, then restarted once for the new bits")
    }
}
