import XCTest

/// Space pauses the engine (the header's iteration counter stops) and resumes it.
final class DashboardPauseTests: DashboardTestCase {
    func testSpacePausesAndResumes() throws {
        try startDashboard()
        try tmux.sendKeys("Space")
        let paused = try tmux.waitFor("the PAUSED badge", timeout: 30) { Header.badge(in: $0) == "PAUSED" }
        let frozen = try XCTUnwrap(Header.iteration(in: paused), paused)
        // Several polls a few frames apart all show the same count.
        for _ in 0..<8 {
            Thread.sleep(forTimeInterval: 0.25)
            let pane = tmux.capture()
            XCTAssertEqual(Header.iteration(in: pane)?.done, frozen.done, "iterations advanced while paused:\n\(pane)")
        }

        try tmux.sendKeys("Space")
        try tmux.waitFor("iterations to advance after resuming", timeout: 60) { pane in
            Header.badge(in: pane) == "RUNNING" && (Header.iteration(in: pane)?.done ?? 0) > frozen.done
        }
    }
}
