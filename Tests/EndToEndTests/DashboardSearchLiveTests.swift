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
    static let generations = 60

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

        try watchGenerationsCountUp()
        let pane = tmux.capture()
        XCTAssertNotNil(pane.firstMatch(of: /avg bits \d\.\d\d \/ 3\.00/), "the cost in the budget's unit (avgbits=3):\n\(pane)")
    }

    /// A recording of that run, replayed fast, shows the search the same way:
    /// the burst of generations is played back one at a time.
    func testAReplayPlaysTheSearchBackAtTheSamePace() throws {
        let log = model.file("search.jsonl")
        try startDashboard(extra: ["--generations", String(Self.generations), "--population", "16", "--no-sensitivity-cache",
                                   "--events", log])
        try tmux.sendKeys("m")
        try tmux.waitFor("the search to be played to its end", timeout: 120) { Self.panelGeneration(in: $0) == Self.generations }
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), 0)
        tmux.kill()

        try launch(["replay", "--speed", "20", log])
        try watchGenerationsCountUp()
    }

    /// Captures the pane until the panel shows the last generation: it must have
    /// counted up in order over several captures, no faster than the pace.
    func watchGenerationsCountUp(file: StaticString = #filePath, line: UInt = #line) throws {
        var seen: [Int] = []
        var firstSeen: Date?, lastSeen = Date()
        var slowestCapture = 0.0
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, seen.last != Self.generations {
            let before = Date()
            let pane = tmux.capture()
            slowestCapture = max(slowestCapture, Date().timeIntervalSince(before))
            if let g = Self.panelGeneration(in: pane), g != seen.last {
                seen.append(g)
                lastSeen = Date()
                if firstSeen == nil { firstSeen = lastSeen }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // The tiny model's search takes milliseconds; on screen each generation stays ≥ 0.15 s.
        if let firstSeen, let first = seen.first, let last = seen.last {
            XCTAssertGreaterThanOrEqual(lastSeen.timeIntervalSince(firstSeen), Double(last - first) * 0.15 - 0.2,
                                        "generations \(first)…\(last) went by faster than the pace", file: file, line: line)
        }
        XCTAssertGreaterThanOrEqual(seen.count, 4, "the generation on screen counts up over several captures: \(seen) "
                                    + "(slowest capture \(String(format: "%.2f", slowestCapture)) s)",
                                    file: file, line: line)
        XCTAssertEqual(seen, seen.sorted(), "generations appear in order: \(seen)", file: file, line: line)
        XCTAssertEqual(seen.last, Self.generations, "the playback reaches the last generation: \(seen)", file: file, line: line)
    }
}
