import Foundation
import Tensor
import XCTest
@testable import Engine

/// Recordings are files anyone can hand to `brecq replay`: every field is
/// checked at decode time, bad lines are skipped and counted, and the replay
/// never waits out an absurd timestamp.
final class HostileEventLogTests: XCTestCase {
    private func decodeError(_ line: String) -> String? {
        do {
            _ = try EventLog.record(fromLine: Data(line.utf8))
            return nil
        } catch {
            return error.reason
        }
    }

    func testOutOfRangeNumbersAreRefusedNamingTheField() {
        XCTAssertEqual(decodeError(#"{"t": 1, "type": "unit_finished", "unit": 9223372036854775807, "name": "b", "status": "done", "loss_before": 1, "loss_after": 1, "seconds": 1}"#),
                       "unit_finished.unit: index 9223372036854775807 is outside 0..<100000")
        XCTAssertEqual(decodeError(#"{"t": 1, "type": "finished", "wall_seconds": 1e300}"#),
                       "finished.wall_seconds: 1e+300 is outside 0…1000000000")
        XCTAssertEqual(decodeError(#"{"t": 1, "type": "bits_changed", "layer": "c", "wbits": -9223372036854775808, "abits": 4, "locked": false}"#),
                       "bits_changed.wbits: -9223372036854775808 is outside 1…32")
        XCTAssertEqual(decodeError(#"{"t": 1e300, "type": "state_changed", "state": "running"}"#),
                       "t: 1e+300 is not a time in seconds within 0…1000000000")
        XCTAssertEqual(decodeError(#"{"t": -1, "type": "state_changed", "state": "running"}"#),
                       "t: -1 is not a time in seconds within 0…1000000000")
        XCTAssertEqual(decodeError(#"{"t": 1, "type": "iteration", "unit": 0, "phase": "weights", "iteration": -3, "iterations": 10, "reconstruction_loss": 1, "regularizer_loss": 1, "beta": 2, "iterations_per_second": 5}"#),
                       "iteration.iteration: -3 is outside 0…100000000")
        XCTAssertEqual(decodeError(#"{"t": 1, "type": "search_generation", "generation": 1, "generations": 2, "best_objective": 1, "mean_objective": 1, "feasible": 1, "population": 2, "best_bits": [4, 99], "best_cost": 1, "budget": 2}"#),
                       "search_generation.best_bits[1]: 99 is outside 1…32")
    }

    func testLayerAndUnitListsOfASessionAreChecked() throws {
        var info = try sessionInfo()
        info.layers[0].params = Int.max
        let line = try EventLog.line(for: EventRecord(time: 0, event: .sessionStarted(info)))
        XCTAssertEqual(decodeError(line), "session_started.layers[0].params: 9223372036854775807 is outside 0…10000000000000")
    }

    func testDivergedLossesSurviveTheRoundTrip() throws {
        let record = EventRecord(time: 1, event: .iteration(IterationStats(unit: 0, phase: .weights, iteration: 1, iterations: 2,
                                 reconstructionLoss: .nan, regularizerLoss: .infinity, beta: 2, iterationsPerSecond: 1)))
        let back = try EventLog.record(fromLine: Data(try EventLog.line(for: record).utf8))
        guard case .iteration(let stats) = back.event else { return XCTFail("\(back)") }
        XCTAssertTrue(stats.reconstructionLoss.isNaN)
        XCTAssertEqual(stats.regularizerLoss, .infinity)
    }

    func testControlCharactersInTextAreEscapedAtDecode() throws {
        let record = EventRecord(time: 1, event: .message(Message(level: .info, text: "title\u{1B}]0;pwned\u{07}")))
        let back = try EventLog.record(fromLine: Data(try EventLog.line(for: record).utf8))
        XCTAssertEqual(back.event, .message(Message(level: .info, text: "title\\e]0;pwned\\u{7}")))
    }

    func testRecordingSkipsBadLinesAndATruncatedLastLineAndCountsThem() throws {
        let good = try EventLogTests.sample.prefix(3).map { try EventLog.line(for: $0) }
        let text = [good[0], "not json", good[1], #"{"t": 0.1, "type": "state_changed", "state": "running"}"#, good[2], #"{"t": 9, "type": "sta"#]
            .joined(separator: "\n")
        let recording = try Recording(data: Data(text.utf8), path: "run.jsonl")
        XCTAssertEqual(recording.records, Array(EventLogTests.sample.prefix(3)))
        XCTAssertEqual(recording.skippedLines, 3)
        XCTAssertEqual(recording.skippedNotice, "skipped 3 unreadable lines of run.jsonl (first: line 2: not valid JSON)")
        XCTAssertEqual(recording.endNotice, "end of recording run.jsonl (3 events)")
    }

    func testBackwardsTimeIsSkippedWithItsReason() throws {
        let lines = try [EventLogTests.sample[3], EventLogTests.sample[0]].map { try EventLog.line(for: $0) }.joined(separator: "\n") + "\n"
        let recording = try Recording(data: Data(lines.utf8), path: "r.jsonl")
        XCTAssertEqual(recording.skippedNotice, "skipped 1 unreadable line of r.jsonl (first: line 2: time 0 is before the previous event's 2)")
    }

    func testEmptyRecordingIsAnError() {
        XCTAssertThrowsError(try Recording(data: Data("\n  \n".utf8), path: "e.jsonl")) { error in
            XCTAssertEqual("\(error)", "recording e.jsonl holds no events")
        }
        XCTAssertThrowsError(try Recording(data: Data("garbage\n".utf8), path: "g.jsonl")) { error in
            XCTAssertEqual("\(error)", "recording g.jsonl holds no events (1 unreadable line; first: line 1: not valid JSON)")
        }
    }

    func testStrictReaderStillNamesTheLine() {
        XCTAssertThrowsError(try EventLog.records(from: Data("{\"t\": 1, \"type\": \"state_changed\", \"state\": \"running\"}\nnope\n".utf8), path: "x.jsonl")) { error in
            XCTAssertEqual("\(error)", "x.jsonl:2: not valid JSON")
        }
    }

    func testReplayWaitsAtMostTwoSecondsPerGap() {
        let clock = ReplaySessionTests.FakeClock()
        let records = [EventRecord(time: 0, event: .stateChanged(.running)), EventRecord(time: 1e9, event: .stateChanged(.done))]
        let replay = ReplaySession(records: records, clock: clock.read)
        XCTAssertEqual(replay.drainEvents().count, 1)
        XCTAssertEqual(replay.duration, 2)
        clock.advance(1.9)
        XCTAssertTrue(replay.drainEvents().isEmpty)
        clock.advance(0.2)
        XCTAssertEqual(replay.drainEvents().map(\.time), [1e9])
        XCTAssertTrue(replay.isFinished)
    }

    func testWriterLeavesNoHalfLineWhenTheFileSizeLimitCutsAWrite() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try EventLogWriter(path: path)
        try writer.write(EventLogTests.sample[0])
        let firstLine = try String(contentsOfFile: path, encoding: .utf8)
        // A file size limit makes the next write short, as a disk filling up would.
        var old = rlimit()
        getrlimit(RLIMIT_FSIZE_VALUE, &old)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit(rlim_cur: rlim_t(firstLine.utf8.count + 10), rlim_max: old.rlim_max)
        setrlimit(RLIMIT_FSIZE_VALUE, &limit)
        XCTAssertThrowsError(try writer.write(EventLogTests.sample[2])) { error in
            XCTAssertTrue("\(error)".hasPrefix("--events \(path): cannot write the event log: only 10 of "), "\(error)")
        }
        setrlimit(RLIMIT_FSIZE_VALUE, &old)
        signal(SIGXFSZ, previousHandler)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), firstLine)
    }

    func testWriterReportsAFullDevice() throws {
        let writer = try EventLogWriter(path: "/dev/full")
        XCTAssertThrowsError(try writer.write(EventLogTests.sample[0])) { error in
            XCTAssertEqual("\(error)", "--events /dev/full: cannot write the event log: No space left on device")
        }
    }

    private func sessionInfo() throws -> SessionInfo {
        SessionInfo(model: "m.onnx", data: "d", method: .brecq, wbits: 4, abits: 32, granularity: .block, iterations: 10,
                    activationIterations: 0, calibrationSize: 32, seed: 0, hyperparameters: .init(),
                    units: [UnitInfo(index: 0, name: "stem", kind: "stem", layers: ["conv"], outputShape: [8, 16, 16], params: 10, macs: 100)],
                    layers: [LayerInfo(name: "conv", unit: 0, kind: "conv", params: 10, macs: 100, wbits: 8, abits: 32, locked: false)])
    }
}

private let RLIMIT_FSIZE_VALUE = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
