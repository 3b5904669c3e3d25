import TestFixtures
import XCTest

/// `brecq replay --headless FILE` prints the recorded run's progress lines without loading a model.
final class ReplayHeadlessTests: TinyModelTestCase {
    func testPrintsProgressLines() throws {
        let log = try model.record()
        // Without the model the replay still works: it reads only the log.
        try FileManager.default.removeItem(atPath: model.model)
        let result = try CommandRun.brecq(["replay", "--headless", "--speed", "64", log], timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        for expected in ["5 units", "unit 2/5 block1", "unit 5/5 head", "quantized top-1", "done in"] {
            XCTAssertTrue(result.stderr.contains(expected), "no '\(expected)' in:\n\(result.stderr)")
        }
    }

    func testMissingLogIsOneLine() throws {
        assertOneErrorLine(try CommandRun.brecq(["replay", "--headless", model.file("absent.jsonl")], timeout: 30),
                           mentions: ["absent.jsonl"])
    }
}
