import TestFixtures
import XCTest

/// `brecq replay` on recordings that are empty, cut short, edited or hostile:
/// one line and a non-zero exit when nothing can be played, otherwise the
/// readable events play, the rest are counted once, and the end is said.
final class HostileReplayTests: TinyModelTestCase {
    private func replay(_ path: String) throws -> CommandResult {
        try CommandRun.brecq(["replay", "--headless", "--speed", "64", path], timeout: 60)
    }

    func testEmptyRecordingIsOneLineAndFails() throws {
        let empty = model.file("empty.jsonl")
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let result = try replay(empty)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderrLines.map(String.init), ["Error: recording \(empty) holds no events"])
    }

    func testDirectoryIsOneLine() throws {
        let result = try replay(model.path)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderrLines.map(String.init), ["Error: \(model.path): is a directory; expected an event log (JSON Lines)"])
    }

    func testBadAndCutLinesAreSkippedCountedAndTheEndIsSaid() throws {
        let log = try model.record(iterations: 20)
        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let count = lines.count
        lines.insert("this is not json", at: 2)
        lines.insert(#"{"t": 1, "type": "unit_finished", "unit": 9223372036854775807, "name": "x", "status": "done", "loss_before": 1, "loss_after": 1, "seconds": 1}"#, at: 4)
        let last = lines.removeLast()
        let damaged = model.file("damaged.jsonl")
        // The last line is cut in half, as a killed run would leave it.
        try (lines.joined(separator: "\n") + "\n" + last.prefix(last.count / 2)).write(toFile: damaged, atomically: true, encoding: .utf8)
        let result = try replay(damaged)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderrLines.first.map(String.init), "warning: skipped 3 unreadable lines of \(damaged) (first: line 3: not valid JSON)")
        XCTAssertEqual(result.stderrLines.last.map(String.init), "end of recording \(damaged) (\(count - 1) events)")
        XCTAssertTrue(result.stderr.contains("unit 5/5 head"), result.stderr)
    }

    /// A timestamp of 1e9 seconds would otherwise be waited out in real time.
    func testHugeGapIsShortened() throws {
        let log = model.file("gap.jsonl")
        try """
        {"t": 0, "type": "state_changed", "state": "running"}
        {"t": 999999999, "type": "message", "level": "info", "text": "much later"}

        """.write(toFile: log, atomically: true, encoding: .utf8)
        let started = Date()
        let result = try CommandRun.brecq(["replay", "--headless", log], timeout: 30)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(result.stderrLines.map(String.init), ["info: much later", "end of recording \(log) (2 events)"])
    }
}
