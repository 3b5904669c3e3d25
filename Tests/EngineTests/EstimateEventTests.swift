import Foundation
import XCTest
@testable import Engine

/// A run tells what the rest will cost after 50 iterations of its first
/// reconstructed unit, refines it after each unit, and its recording keeps it.
final class EstimateEventTests: TinyRunTestCase {
    func testARunEstimatesAfterFiftyIterationsOfItsFirstUnitAndTheRecordingKeepsIt() throws {
        var c = tiny.configuration()
        c.iterations = 60
        let log = tiny.directory.appendingPathComponent("events.jsonl").path
        let runner = SessionRunner(configuration: c, options: .init(eventLogPath: log))
        let collector = EventCollector(runner)
        runner.start()
        guard case .finished = collector.finish() else { return XCTFail("the run finishes") }
        let events = collector.events
        guard case .sessionStarted(let info)? = events.first(where: { if case .sessionStarted = $0 { true } else { false } }) else { return XCTFail("no session_started") }

        let firstEstimate = try XCTUnwrap(events.firstIndex { if case .estimate = $0 { true } else { false } })
        // The stem is not reconstructed: unit 1 is the first, and its 50th iteration comes just before.
        guard case .iteration(let before) = events[firstEstimate - 1] else { return XCTFail("\(events[firstEstimate - 1])") }
        XCTAssertEqual(before.unit, 1)
        XCTAssertEqual(before.phase, .weights)
        XCTAssertEqual(before.iteration, 50)
        guard case .estimate(let first) = events[firstEstimate] else { return XCTFail() }
        XCTAssertEqual(first.unit, 1)
        XCTAssertEqual(first.name, info.units[1].name)
        XCTAssertEqual(first.units.map(\.unit), Array(1..<info.units.count), "every unit not finished, the running one first")
        XCTAssertGreaterThan(first.units[0].seconds, 0)
        // The stem's cycle (its passes, analysis and checkpoint) has been timed: the units still to start pay it too.
        let between = try XCTUnwrap(first.betweenUnitsSeconds, "the stem finished before the first estimate")
        XCTAssertGreaterThan(between, 0)
        XCTAssertEqual(first.seconds, first.weightsSeconds + first.activationsSeconds + between + first.evaluationSeconds, accuracy: 1e-9)
        XCTAssertEqual(first.units.reduce(first.evaluationSeconds) { $0 + $1.seconds }, first.seconds, accuracy: 1e-9)
        XCTAssertGreaterThan(first.activationsSeconds, 0, "A4: each unit has an activation phase")
        XCTAssertGreaterThan(first.evaluationSeconds, 0, "40 images are evaluated at the end")

        // Refined after every unit that finishes (the stem's comes before anything is measured).
        let finishedUnits = events.compactMap { if case .unitFinished(let f) = $0 { f.unit } else { nil } }
        let refinements = events[(firstEstimate + 1)...].compactMap { if case .estimate(let e) = $0 { e } else { nil } }
        XCTAssertEqual(refinements.count, finishedUnits.filter { $0 >= 1 }.count)
        for (estimate, done) in zip(refinements, finishedUnits.filter { $0 >= 1 }) {
            XCTAssertEqual(estimate.units.map(\.unit), Array((done + 1)..<info.units.count))
        }
        XCTAssertEqual(refinements.last?.weightsSeconds, 0, "after the last unit only the evaluation is left")

        // The recording holds the same events, read back through validation.
        let recorded = try EventLog.read(contentsOf: URL(fileURLWithPath: log))
        XCTAssertEqual(recorded.map(\.event).filter { if case .estimate = $0 { true } else { false } },
                       events.filter { if case .estimate = $0 { true } else { false } })
        // A replay plays it back.
        let replay = ReplaySession(records: recorded, speed: ReplaySession.speeds.upperBound)
        var played: [EventRecord] = []
        let deadline = Date().addingTimeInterval(60)
        while played.count < recorded.count, Date() < deadline {
            played += replay.drainEvents()
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(played.contains { $0.event == .estimate(first) })
    }

    func testAnEstimateFromAFileIsCheckedLikeEveryEvent() throws {
        let line = #"{"t":1,"type":"estimate","seconds":1e300,"weights_seconds":1,"activations_seconds":0,"evaluation_seconds":0,"# +
            #""iterations_per_second":1.5,"unit":1,"name":"b\u001b[2J","units":[{"unit":1,"seconds":1}]}"#
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(line.utf8))) {
            XCTAssertTrue("\($0)".contains("estimate.seconds"), "\($0)")
        }
        let good = line.replacingOccurrences(of: "1e300", with: "2")
        guard case .estimate(let e) = try EventLog.record(fromLine: Data(good.utf8)).event else { return XCTFail() }
        XCTAssertFalse(e.name.contains("\u{1B}"), "the name's escape is shown, not executed")
        let badUnit = good.replacingOccurrences(of: #"[{"unit":1"#, with: #"[{"unit":-1"#)
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(badUnit.utf8))) {
            XCTAssertTrue("\($0)".contains("estimate.units[0].unit"), "\($0)")
        }
    }
}
