import Foundation
import TestFixtures
import XCTest

/// Issue #16 item 2: `brecq replay --follow FILE` plays what the file holds,
/// then what is appended to it (a line may arrive in pieces), and says when
/// the recording has ended.
final class DashboardFollowTests: DashboardTestCase {
    func testFollowPlaysAppendedLinesAndSaysWhenTheRecordingEnded() throws {
        let recorded = try String(contentsOfFile: model.record(), encoding: .utf8)
        var lines = recorded.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        XCTAssertTrue(lines.last?.contains("\"finished\"") ?? false, "the recording ends with its finished event")
        // The first unit's start and no more: the rest is appended while the dashboard follows.
        guard let cut = lines.firstIndex(where: { $0.contains("\"unit_started\"") }) else { return XCTFail("no unit_started") }
        let path = model.file("following.jsonl")
        try (lines[...cut].joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)

        try launch(["replay", "--follow", "--speed", "64", path])
        try tmux.waitFor("the first events played", timeout: 60) { pane in
            pane.contains("FOLLOW ×64") && pane.contains("event \(cut + 1)/\(cut + 1)")
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        // Half of the next line: it waits for its newline and is not counted.
        let next = lines[cut + 1]
        let half = next.index(next.startIndex, offsetBy: next.count / 2)
        handle.write(Data(next[..<half].utf8))
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(tmux.capture().contains("event \(cut + 1)/\(cut + 1)"), tmux.capture())
        handle.write(Data((next[half...] + "\n").utf8))
        let middle = min(lines.count - 2, cut + 40)
        handle.write(Data((lines[(cut + 2)...middle].joined(separator: "\n") + "\n").utf8))
        try tmux.waitFor("the appended lines played", timeout: 60) { $0.contains("event \(middle + 1)/\(middle + 1)") }

        // Quiet writer: said, not pretended away.
        try tmux.waitFor("the waiting notice", timeout: 30) { $0.contains("waiting for more (last event 00:0") }

        // The rest, with the finished event: the recording ends and says so.
        handle.write(Data((lines[(middle + 1)...].joined(separator: "\n") + "\n").utf8))
        let ended = try tmux.waitFor("the end of the followed recording", timeout: 120) { pane in
            pane.contains("recording ended") && pane.contains("event \(lines.count)/\(lines.count)")
        }
        XCTAssertTrue(ended.contains("DONE"), ended)
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }

    /// The lecture keys on a real replay: restart and unit seeks move the position in the header.
    func testSeekKeysMoveThePosition() throws {
        let log = try model.record()
        try launch(["replay", log])
        try tmux.waitFor("the replay", timeout: 60) { $0.contains("REPLAY ×1") && $0.contains("event ") }
        try tmux.sendKeys("Space")
        try tmux.sendKeys("0")
        try tmux.waitFor("the beginning", timeout: 20) { $0.contains("event 0/") }
        // The stem is skipped without starting: `]` lands on its result, then on block1's start.
        try tmux.sendKeys("]")
        try tmux.waitFor("the stem's result", timeout: 20) { $0.contains("units 1/5 done") }
        try tmux.sendKeys("]")
        try tmux.waitFor("the second unit", timeout: 20) { $0.contains("unit 2/5 block1") }
        try tmux.sendKeys("]")
        try tmux.waitFor("the third unit", timeout: 20) { $0.contains("unit 3/5 block2") }
        try tmux.sendKeys("[")
        try tmux.waitFor("back to the second unit", timeout: 20) { $0.contains("unit 2/5 block1") }
        try tmux.sendKeys("g")
        try tmux.waitFor("the unit prompt", timeout: 20) { $0.contains("Go to unit") }
        try tmux.type("4")
        try tmux.sendKeys("Enter")
        try tmux.waitFor("the fourth unit", timeout: 20) { $0.contains("unit 4/5 block3") }
        try tmux.sendKeys("q")
        XCTAssertEqual(try tmux.waitForExit(timeout: 30), 0)
    }
}

/// `brecq replay --follow --headless` prints the lines as they come and ends at the finished event.
final class ReplayFollowHeadlessTests: TinyModelTestCase {
    func testHeadlessFollowEndsAtFinished() throws {
        let recorded = try String(contentsOfFile: model.record(), encoding: .utf8)
        let lines = recorded.split(separator: "\n").map(String.init)
        let path = model.file("following.jsonl")
        try (lines[..<3].joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let rest = lines[3...].joined(separator: "\n") + "\n"
        // The rest arrives from another thread a moment after the follower starts.
        let writer = Thread {
            Thread.sleep(forTimeInterval: 1.5)
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                let bytes = Data(rest.utf8)
                handle.write(bytes.prefix(bytes.count / 2))
                Thread.sleep(forTimeInterval: 0.5)
                handle.write(bytes.dropFirst(bytes.count / 2))
                try? handle.close()
            }
        }
        writer.start()
        let result = try CommandRun.brecq(["replay", "--follow", "--headless", "--speed", "10000", path], timeout: 120)
        XCTAssertEqual(result.status, 0, result.stderr)
        for expected in ["unit 5/5 head", "end of recording", "finished event"] {
            XCTAssertTrue(result.stderr.contains(expected), "no '\(expected)' in:\n\(result.stderr)")
        }
    }
}
