import XCTest

/// A layer of a unit not yet reconstructed can be locked from the bits panel; the lock marker appears.
final class DashboardLockTests: DashboardTestCase {
    func testLockMarkerAppears() throws {
        try startDashboard()
        // Focus the bit widths panel, select the last layer (the classifier, whose unit comes last) and lock it.
        try tmux.sendKeys("3")
        try tmux.sendKeys("End")
        try tmux.sendKeys("x")
        let pane = try tmux.waitFor("the lock marker", timeout: 30) { $0.contains("1 locked") }
        // In the wide layout the bits panel is the left column; its classifier row carries the marker.
        let rows = pane.split(separator: "\n").map { $0.prefix(45) }
        // The panel shows "/fc/Gemm" as "fc" (LayerName); the hint bar's notice spells it out.
        let row = try XCTUnwrap(rows.first { $0.contains(" fc ") }, "no classifier row in the bits panel:\n\(pane)")
        XCTAssertTrue(row.contains("●"), "no lock marker in the layer's row: \(row)")
    }
}
