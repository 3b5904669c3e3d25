import XCTest

/// The dashboard says what is wrong with a recording on its screen instead of
/// waiting for a session that will never start.
final class DashboardHostileReplayTests: DashboardTestCase {
    func testEmptyRecordingIsSaidOnTheScreen() throws {
        let empty = model.file("empty.jsonl")
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        try launch(["replay", empty])
        try tmux.waitFor("the empty-recording notice", timeout: 30) { $0.contains("holds no events") }
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }

    func testHostileNumbersDoNotCrashTheBitsPanel() throws {
        let log = model.file("hostile.jsonl")
        try """
        {"t": 0, "type": "state_changed", "state": "running"}
        {"t": 1, "type": "bits_changed", "layer": "x", "wbits": -9223372036854775808, "abits": 4, "locked": false}
        {"t": 2, "type": "unit_finished", "unit": 9223372036854775807, "name": "x", "status": "done", "loss_before": 1, "loss_after": 1, "seconds": 1}
        {"t": 3, "type": "finished", "wall_seconds": 1e300}
        {"t": 4, "type": "message", "level": "info", "text": "still here"}

        """.write(toFile: log, atomically: true, encoding: .utf8)
        try launch(["replay", log])
        try tmux.waitFor("the skipped-lines notice and the last event", timeout: 30) {
            $0.contains("skipped 3 unreadable lines") && $0.contains("still here")
        }
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }
}
