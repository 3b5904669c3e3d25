import XCTest

/// `brecq tour` (issue #16 item 8): the bundled recording is found from any
/// working directory, the tour opens at its first step, → moves on, q leaves
/// with the terminal restored.
final class TourCommandTests: DashboardTestCase {
    func testTourRunsFromAnotherDirectoryAndRestoresTheTerminal() throws {
        tmux = try TmuxSession(width: 80, height: 24)
        let baseline = terminalModes()
        // A directory with no Examples/ in it: the recording must be found beside the executable's package.
        try tmux.type("cd \(Self.shellQuoted(model.path))")
        try tmux.sendKeys("Enter")
        let command = [try BrecqBinary.path(), "tour"].map(Self.shellQuoted).joined(separator: " ")
        try tmux.launch(command)
        let first = try tmux.waitFor("the tour's first step", timeout: 60) { $0.contains("Tour 1/10") }
        XCTAssertTrue(first.contains("The header: what is running"), first)
        // The first step stands after unit 3, the replay paused.
        XCTAssertTrue(first.contains("PAUSED") && first.contains("unit 4/11"), first)
        try tmux.sendKeys("Right")
        let second = try tmux.waitFor("the second step", timeout: 20) { $0.contains("Tour 2/10") }
        XCTAssertTrue(second.contains("Units: one block at a time"), second)
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
        try assertShellUsable(modesBefore: baseline)
    }
}
