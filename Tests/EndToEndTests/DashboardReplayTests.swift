import XCTest

/// `brecq replay FILE` shows a recorded run on the same screens, with speed controls instead of engine commands.
final class DashboardReplayTests: DashboardTestCase {
    func testReplayShowsTheRunWithSpeedControls() throws {
        let log = try model.record()
        try launch(["replay", log])
        try tmux.waitFor("the replay badge and the units", timeout: 60) { pane in
            pane.contains("REPLAY ×1") && pane.contains("┌ Units") && pane.contains("block1")
        }
        try tmux.sendKeys("+")
        try tmux.waitFor("a faster replay", timeout: 20) { $0.contains("REPLAY ×2") }
        try tmux.sendKeys("-")
        try tmux.sendKeys("-")
        try tmux.waitFor("a slower replay", timeout: 20) { $0.contains("REPLAY ×0.5") }
        try tmux.sendKeys("Space")
        try tmux.waitFor("the replay paused", timeout: 20) { $0.contains("PAUSED") }
        // Engine commands are refused in a replay.
        try tmux.sendKeys("x")
        try tmux.waitFor("the refusal notice", timeout: 20) { $0.contains("not available") }
        // Played fast to the end, the recording reaches the finished state with every unit and a curve.
        try tmux.sendKeys("Space")
        for _ in 0..<8 { try tmux.sendKeys("+") }
        let done = try tmux.waitFor("the end of the recording", timeout: 120) { $0.contains("DONE") }
        XCTAssertTrue(done.contains("5/5 done"), done)
        XCTAssertTrue(done.containsBraille, "no curve drawn in the replay:\n\(done)")
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }
}
