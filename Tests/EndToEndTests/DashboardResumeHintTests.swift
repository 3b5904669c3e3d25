import XCTest

/// After `q` the dashboard prints the command that continues the run; typed into
/// the shell exactly as printed, it opens the dashboard on the same run again.
final class DashboardResumeHintTests: DashboardTestCase {
    func testTheHintPrintedAfterQuitReopensTheRun() throws {
        try startDashboard()
        let command = try quitAndReadResumeHint()
        XCTAssertTrue(command.contains(" tui --model \(model.model) --data \(model.path) --resume \(model.file("ck"))"), command)
        _ = try runPrintedCommand(command)
        XCTAssertFalse(try quitAndReadResumeHint().isEmpty)
    }
}
