import XCTest

/// After `q` the dashboard prints the command that continues the run; typed into
/// the shell exactly as printed, it opens the dashboard on the same run again.
final class DashboardResumeHintTests: DashboardTestCase {
    func testTheHintPrintedAfterQuitReopensTheRun() throws {
        try startDashboard()
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), 0)

        // Joined: the command is longer than the pane is wide.
        let pane = try tmux.run(["capture-pane", "-p", "-J", "-t", "e2e"])
        let marker = "continue with: "
        let line = try XCTUnwrap(pane.split(separator: "\n").last { $0.contains(marker) }, "no resume hint:\n\(pane)")
        let command = String(line[line.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(command.contains(" tui --model \(model.model) --data \(model.path) --resume \(model.file("ck"))"), command)

        try tmux.type("clear")
        try tmux.sendKeys("Enter")
        _ = try tmux.run(["clear-history", "-t", "e2e"])
        try tmux.type("cd / && " + command + "; echo __EXIT $?")
        try tmux.sendKeys("Enter")
        let resumed = try tmux.waitFor("the resumed run to iterate", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }
        XCTAssertFalse(resumed.contains("__EXIT 1"), resumed)
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), 0)
    }
}
