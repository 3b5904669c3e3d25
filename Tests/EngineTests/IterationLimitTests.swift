import Foundation
import XCTest
@testable import Engine

/// Iterations set from the dashboard stay within what flags allow, so that the
/// recording (and a resume that reads it back) never holds an out-of-range count.
final class IterationLimitTests: TinyRunTestCase {
    func testHugeIterationsFromTheDashboardAreRejected() {
        var c = tiny.configuration()
        c.iterations = 100_000
        let runner = SessionRunner(configuration: c)
        runner.start()
        let events = EventCollector(runner)
        XCTAssertNotNil(events.waitFor { if case .iteration = $0 { true } else { false } })
        runner.send(.setIterations(current: nil, default: Int.max))
        let expected = EngineEvent.message(Message(level: .error, text: "default iterations must be in 1…1000000 (got 9223372036854775807)"))
        XCTAssertNotNil(events.waitFor { $0 == expected })
        runner.send(.stop)
        guard case .stopped = events.finish() else { return XCTFail("the run goes on until stopped") }
    }
}
