import XCTest

/// Under a non-UTF-8 locale (`LANG=C`) the dashboard draws with ASCII only: no braille, no box drawing.
final class DashboardASCIITests: DashboardTestCase {
    func testCLocaleDrawsASCII() throws {
        try startDashboard(lang: "C")
        let pane = try tmux.waitFor("an ASCII screen with a curve", timeout: 60) { pane in
            pane.contains("+ Units") && pane.contains("+ Loss") && (Header.iteration(in: pane)?.done ?? 0) > 20
        }
        XCTAssertFalse(pane.containsBraille, "braille under LANG=C:\n\(pane)")
        let foreign = Set(pane.unicodeScalars.filter { !$0.isASCII }.map { String($0) })
        XCTAssertTrue(foreign.isEmpty, "non-ASCII characters \(foreign.sorted()) under LANG=C:\n\(pane)")
    }
}
