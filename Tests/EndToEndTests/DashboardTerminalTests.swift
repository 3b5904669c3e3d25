import XCTest

/// Terminals the dashboard cannot drive: one error line naming TERM, exit status 1,
/// and a shell that still works afterwards.
final class DashboardTerminalTests: DashboardTestCase {
    func testRefusesTerminalsItCannotDrive() throws {
        for term in ["dumb", "no-such-terminal-type"] {
            tmux?.kill()
            tmux = try TmuxSession(width: 100, height: 30)
            let modes = terminalModes()
            let command = (["env", "TERM=\(term)", try BrecqBinary.path()] + tuiArguments()).map(Self.shellQuoted)
            try tmux.launch(command.joined(separator: " "))
            let pane = try tmux.waitFor("brecq to refuse TERM=\(term)", timeout: 60) { pane in
                // The typed line itself shows "__EXIT $?"; a digit after it is the exit status.
                pane.range(of: #"__EXIT [0-9]"#, options: .regularExpression) != nil
            }
            XCTAssertTrue(pane.contains("cannot open the terminal for the dashboard: TERM=\(term)"), pane)
            XCTAssertTrue(pane.contains("__EXIT 1"), pane)
            try assertShellUsable(modesBefore: modes)
        }
    }
}
