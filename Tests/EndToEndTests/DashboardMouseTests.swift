import Foundation
import XCTest

/// Issue #16 item 7: the dashboard asks the terminal for mouse reports by
/// default, not with --no-mouse, and hands the mouse back when it leaves.
final class DashboardMouseTests: DashboardTestCase {
    /// tmux's view of the pane's mouse modes (X10/normal, button-event, any-event).
    private func mouseModes() -> String {
        tmux.display("#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}")
    }

    func testMouseReportingIsOnByDefaultAndReleasedOnExit() throws {
        let log = try model.record()
        try launch(["replay", log])
        XCTAssertEqual(mouseModes(), "000", "the shell does not report the mouse")
        try tmux.waitFor("the replay", timeout: 60) { $0.contains("REPLAY ×1") }
        XCTAssertNotEqual(mouseModes(), "000", "the dashboard asks for mouse reports")
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
        XCTAssertEqual(mouseModes(), "000", "mouse reporting released on exit")
    }

    func testNoMouseLeavesTheMouseToTheTerminal() throws {
        let log = try model.record()
        try launch(["replay", "--no-mouse", log])
        try tmux.waitFor("the replay", timeout: 60) { $0.contains("REPLAY ×1") }
        XCTAssertEqual(mouseModes(), "000")
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }
}
