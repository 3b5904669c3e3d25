import Synchronization
import XCTest
@testable import Engine

final class ReplaySessionTests: XCTestCase {
    final class FakeClock: Sendable {
        let now = Mutex(100.0)
        func advance(_ s: Double) { now.withLock { $0 += s } }
        var read: @Sendable () -> Double { { self.now.withLock { $0 } } }
    }

    func testRecordsArriveWhenTheirTimeComesAtTheChosenSpeed() {
        let clock = FakeClock()
        let replay = ReplaySession(records: EventLogTests.sample, speed: 2, clock: clock.read)
        XCTAssertEqual(replay.drainEvents().map(\.time), [0])
        clock.advance(0.5)  // virtual 1.0
        XCTAssertEqual(replay.drainEvents().map(\.time), [0.5, 1])
        replay.setPaused(true)
        clock.advance(10)
        XCTAssertTrue(replay.drainEvents().isEmpty)
        replay.setPaused(false)
        replay.setSpeed(1)
        clock.advance(1.5)  // virtual 2.5
        XCTAssertEqual(replay.drainEvents().map(\.time), [2, 2.5])
        XCTAssertFalse(replay.isFinished)
        clock.advance(100)
        XCTAssertEqual(replay.drainEvents().map(\.time), [3, 4, 5])
        XCTAssertTrue(replay.isFinished)
    }

    func testSkipJumpsOverIdleTime() {
        let clock = FakeClock()
        let records = [EventRecord(time: 0, event: .stateChanged(.running)), EventRecord(time: 3600, event: .stateChanged(.done))]
        let replay = ReplaySession(records: records, clock: clock.read)
        _ = replay.drainEvents()
        replay.skipToNextRecord()
        XCTAssertEqual(replay.drainEvents().map(\.time), [3600])
    }
}
