import XCTest

/// The running unit's iteration count can be changed from the dashboard, and the header shows it.
final class DashboardIterationsTests: DashboardTestCase {
    func testIterationsFormSetsTheCurrentUnit() throws {
        try startDashboard()
        try tmux.sendKeys("i")
        try tmux.waitFor("the iterations form", timeout: 20) { $0.contains("Iterations") && $0.contains("done so far") }
        try tmux.type("77777")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("the header to show 77777 iterations", timeout: 30) { Header.iteration(in: $0)?.total == 77777 }
    }

    func testPlusAndMinusStepTheCount() throws {
        try startDashboard()
        let before = try XCTUnwrap(Header.iteration(in: tmux.capture())).total
        try tmux.sendKeys("+")
        let raised = try tmux.waitFor("a higher iteration count", timeout: 30) { (Header.iteration(in: $0)?.total ?? 0) > before }
        let higher = try XCTUnwrap(Header.iteration(in: raised)).total
        try tmux.sendKeys("-")
        try tmux.waitFor("a lower iteration count", timeout: 30) { (Header.iteration(in: $0)?.total ?? .max) < higher }
    }
}
