import XCTest

/// SIGTERM and SIGHUP (an SSH drop) end the dashboard with the terminal restored.
final class DashboardSignalTests: DashboardTestCase {
    func testSIGTERMRestoresTheTerminal() throws {
        try assertSignalRestoresTerminal(SIGTERM)
    }

    func testSIGHUPRestoresTheTerminal() throws {
        try assertSignalRestoresTerminal(SIGHUP)
    }

    private func assertSignalRestoresTerminal(_ signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        tmux = try TmuxSession()
        let baseline = terminalModes()
        try tmux.launch(([try BrecqBinary.path()] + tuiArguments()).map(Self.shellQuoted).joined(separator: " "))
        try tmux.waitFor("a unit to be running", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }
        let pid = try tmux.programPID()
        XCTAssertEqual(kill(pid, signal), 0, "kill failed", file: file, line: line)
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), Int(128 + signal), file: file, line: line)
        try assertShellUsable(modesBefore: baseline, file: file, line: line)
    }
}
