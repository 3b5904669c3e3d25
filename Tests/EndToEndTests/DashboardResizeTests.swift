import XCTest

/// The dashboard re-lays out when the terminal is resized, and says so when it is below 80×24.
final class DashboardResizeTests: DashboardTestCase {
    func testResizeRelaysOut() throws {
        try startDashboard()
        try tmux.waitFor("the wide layout", timeout: 30) { Self.isWide($0) }

        try tmux.resize(width: 80, height: 24)
        let tabbed = try tmux.waitFor("the tabbed 80×24 layout", timeout: 30) { $0.contains("1 Units · 2 Loss") && !Self.isWide($0) }
        let lines = tabbed.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThanOrEqual(lines.map(\.count).max() ?? 0, 80)
        XCTAssertTrue(lines.first?.contains("RUNNING") ?? false, "the header should fit at 80 columns:\n\(tabbed)")

        try tmux.resize(width: 70, height: 20)
        try tmux.waitFor("the too-small screen", timeout: 30) { $0.contains("terminal too small (need 80×24)") }

        try tmux.resize(width: 120, height: 40)
        try tmux.waitFor("the wide layout again", timeout: 30) { Self.isWide($0) && !$0.contains("too small") }
    }

    /// Every panel's title visible at once, and no tab bar.
    static func isWide(_ pane: String) -> Bool {
        ["┌ Units", "┌ Loss", "┌ Bit widths", "┌ Search", "┌ Log"].allSatisfy(pane.contains) && !pane.contains("1 Units · 2 Loss")
    }
}
