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
    /// Enough generations that their playback (≥ 0.15 s each) spans many captures even on a loaded machine.
    static let generations = 30

    /// "gen K/N" in the search panel (the header's "gen" is preceded by "· ").
    static func panelGeneration(in pane: String) -> Int? {
        for line in pane.split(separator: "\n") {
            if let match = line.firstMatch(of: /│ gen (\d+)\/(\d+)/) { return Int(match.1) }
        }
        return nil
    }

    func testSensitivityProgressThenGenerationsCountUp() throws {
        // Many sensitivity images make the measurement long enough to watch.
        try startDashboard(extra: ["--sensitivity-images", String(Self.sensitivityImages), "--generations", String(Self.generations), "--population", "16",
                                   "--no-sensitivity-cache"])
        try tmux.sendKeys("m")
        let measuring = try tmux.waitFor("the sensitivity progress", timeout: 60) {
            $0.contains("measuring sensitivity") && $0.firstMatch(of: /│ \d+\/\d+ [^ ]/) != nil
        }
        XCTAssertFalse(measuring.contains("no search yet"), measuring)

        var seen: [Int] = []
        var firstSeen: Date?, lastSeen = Date()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, seen.last != Self.generations {
            if let g = Self.panelGeneration(in: tmux.capture()), g != seen.last {
                seen.append(g)
                lastSeen = Date()
                if firstSeen == nil { firstSeen = lastSeen }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // The tiny model's search takes milliseconds; on screen each generation stays ≥ 0.15 s.
        if let firstSeen, let first = seen.first, let last = seen.last {
            XCTAssertGreaterThanOrEqual(lastSeen.timeIntervalSince(firstSeen), Double(last - first) * 0.15 - 0.2,
                                        "generations \(first)…\(last) went by faster than the pace")
        }
        XCTAssertGreaterThanOrEqual(seen.count, 4, "the generation on screen counts up over several captures: \(seen)")
        XCTAssertEqual(seen, seen.sorted(), "generations appear in order: \(seen)")
        XCTAssertEqual(seen.last, Self.generations, "the playback reaches the last generation: \(seen)")
        let pane = tmux.capture()
        XCTAssertNotNil(pane.firstMatch(of: /avg bits \d\.\d\d \/ 3\.00/), "the cost in the budget's unit (avgbits=3):\n\(pane)")
    }
}
