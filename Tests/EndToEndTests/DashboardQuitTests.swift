import XCTest

/// `q` asks first while the engine runs; `y` stops it, the program exits and the shell is usable again.
final class DashboardQuitTests: DashboardTestCase {
    func testQuitConfirmRestoresTheShell() throws {
        tmux = try TmuxSession()
        let baseline = terminalModes()
        try tmux.launch(([try BrecqBinary.path()] + tuiArguments()).map(Self.shellQuoted).joined(separator: " "))
        try tmux.waitFor("a unit to be running", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }

        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), 0)
        let pane = tmux.capture()
        XCTAssertTrue(pane.contains("--resume"), "no resume hint after quitting a running session:\n\(pane)")
        try assertShellUsable(modesBefore: baseline)
    }
}
