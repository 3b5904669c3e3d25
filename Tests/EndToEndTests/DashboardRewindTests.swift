import XCTest

/// `r` on a layer of a finished unit asks, then the run goes back to that unit;
/// after quitting, the printed resume command continues the rewound run (from
/// that unit, not from where the run was before the rewind).
final class DashboardRewindTests: DashboardTestCase {
    /// "unit 3/7" of the second header row: the running unit, 1-based.
    private func runningUnit(in pane: String) -> Int? {
        let lines = pane.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, let match = lines[1].firstMatch(of: /unit (\d+)\/(\d+)/) else { return nil }
        return Int(match.1)
    }

    func testReRunAFinishedUnitThenResumeTheRewoundRunAsPrinted() throws {
        try startDashboard()
        let first = try XCTUnwrap(runningUnit(in: tmux.capture()))
        // End the running unit now (1 iteration); the next one runs 100 000.
        try tmux.sendKeys("i")
        try tmux.type("1")
        try tmux.sendKeys("Enter")
        _ = try tmux.waitFor("the next unit to iterate", timeout: 120) { pane in
            (self.runningUnit(in: pane) ?? 0) > first && (Header.iteration(in: pane)?.done ?? 0) > 0
        }
        // The bits table, the first layer of the finished unit (the stem's layer comes first).
        try tmux.sendKeys("3")
        try tmux.sendKeys("Home")
        try tmux.sendKeys("Down")
        try tmux.sendKeys("r")
        let asked = try tmux.waitFor("the re-run confirmation", timeout: 20) { $0.contains("Re-run finished units?") }
        XCTAssertTrue(asked.contains("re-runs units \(first)–\(first + 1)"), asked)
        try tmux.sendKeys("y")
        _ = try tmux.waitFor("the rewound unit to iterate again", timeout: 120) { pane in
            self.runningUnit(in: pane) == first && (Header.iteration(in: pane)?.done ?? 0) > 0
        }

        let command = try quitAndReadResumeHint()
        // The checkpoint written at the rewind: the resumed run starts at the unit re-run.
        let resumed = try runPrintedCommand(command)
        XCTAssertEqual(runningUnit(in: resumed), first, resumed)
        XCTAssertFalse(try quitAndReadResumeHint().isEmpty, "stopped again, it prints the hint again")
    }
}
