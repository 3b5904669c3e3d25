import Foundation
import TestFixtures
import XCTest

/// The mixed-precision search is live in the real binary: `m` starts it, the
/// search panel shows the sensitivity measurement's progress, then the
/// generation on screen counts up over several captures (the panel plays the
/// search back at a pace a person can follow, even when it took milliseconds).
final class DashboardSearchLiveTests: DashboardTestCase {
    /// More training images than the usual fixture, so that the sensitivity
    /// measurement on them lasts long enough to be watched.
    override func setUpWithError() throws {
        try super.setUpWithError()
        model.remove()
        model = try TinyModelDirectory.make(train: Self.sensitivityImages)
    }

    static let sensitivityImages = 4096

    /// "gen K/N" in the search panel (the header's "gen" is preceded by "· ").
    static func panelGeneration(in pane: String) -> Int? {
        for line in pane.split(separator: "\n") {
            if let match = line.firstMatch(of: /│ gen (\d+)\/(\d+)/) { return Int(match.1) }
        }
        return nil
    }

    func testSensitivityProgressThenGenerationsCountUp() throws {
        // Many sensitivity images make the measurement long enough to watch.
        try startDashboard(extra: ["--sensitivity-images", String(Self.sensitivityImages), "--generations", "12", "--population", "16",
                                   "--no-sensitivity-cache"])
        try tmux.sendKeys("m")
        let measuring = try tmux.waitFor("the sensitivity progress", timeout: 60) {
            $0.contains("measuring sensitivity") && $0.firstMatch(of: /│ \d+\/\d+ [^ ]/) != nil
        }
        XCTAssertFalse(measuring.contains("no search yet"), measuring)

        var seen: [Int] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, seen.last != 12 {
            if let g = Self.panelGeneration(in: tmux.capture()), g != seen.last { seen.append(g) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertGreaterThanOrEqual(seen.count, 4, "the generation on screen counts up over several captures: \(seen)")
        XCTAssertEqual(seen, seen.sorted(), "generations appear in order: \(seen)")
        XCTAssertEqual(seen.last, 12, "the playback reaches the last generation: \(seen)")
        let pane = tmux.capture()
        XCTAssertNotNil(pane.firstMatch(of: /avg bits \d\.\d\d \/ 3\.00/), "the cost in the budget's unit (avgbits=3):\n\(pane)")
    }
}
