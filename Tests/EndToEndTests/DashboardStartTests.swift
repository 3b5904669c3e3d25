import XCTest

/// `brecq tui` opens the dashboard: header, every unit, and a loss curve of the running unit.
final class DashboardStartTests: DashboardTestCase {
    func testShowsUnitsAndALossCurve() throws {
        try startDashboard()
        let pane = try tmux.waitFor("units and a braille loss curve", timeout: 60) { pane in
            pane.contains("Units") && pane.contains("Loss · block1") && pane.containsBraille
        }
        XCTAssertEqual(tmux.display("#{alternate_on}"), "1", "the dashboard should use the alternate screen")
        for unit in ["stem", "block1", "block2", "block3", "head"] {
            XCTAssertTrue(pane.contains(unit), "unit \(unit) missing:\n\(pane)")
        }
        XCTAssertTrue(pane.contains("RUNNING"), pane)
        XCTAssertTrue(pane.contains("Bit widths") && pane.contains("Search") && pane.contains("Log"), pane)
        XCTAssertTrue(pane.contains("warm-up"), "the warm-up marker is missing:\n\(pane)")
    }
}
