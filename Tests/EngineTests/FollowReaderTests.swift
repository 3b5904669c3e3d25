import Foundation
import XCTest
@testable import Engine

/// Issue #16 item 2: following a recording that grows, is replaced by rename, or is truncated.
final class FollowReaderTests: XCTestCase {
    var directory: URL!
    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func line(_ t: Double, _ state: RunState = .running) throws -> String {
        try EventLog.line(for: EventRecord(time: t, event: .stateChanged(state))) + "\n"
    }
    func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    func testPlaysWhatExistsThenWhatIsAppendedInPieces() throws {
        let url = directory.appendingPathComponent("run.jsonl")
        try (line(0) + line(1)).write(to: url, atomically: false, encoding: .utf8)
        var reader = FollowReader(path: url.path)
        XCTAssertEqual(reader.poll().records.map(\.time), [0, 1])
        XCTAssertTrue(reader.poll().records.isEmpty)
        let next = try line(2)
        let cut = next.index(next.startIndex, offsetBy: 10)
        try append(String(next[..<cut]), to: url)
        XCTAssertTrue(reader.poll().records.isEmpty, "half a line waits for its newline")
        try append(String(next[cut...]) + "not json\n" + line(3), to: url)
        let poll = reader.poll()
        XCTAssertEqual(poll.records.map(\.time), [2, 3])
        XCTAssertEqual(reader.skippedLines, 1, "a bad line is skipped and counted")
        XCTAssertTrue(poll.notices.contains { $0.contains("skipped line 4") }, "\(poll.notices)")
        try append(line(4, .done), to: url)
        try append(EventLog.line(for: EventRecord(time: 5, event: .finished(RunSummary(fpTop1: 0.9, quantTop1: 0.8, wallSeconds: 5)))) + "\n", to: url)
        XCTAssertEqual(reader.poll().records.count, 2)
        XCTAssertTrue(reader.finished)
    }

    /// The checkpoint writer replaces events.jsonl by rename with a longer copy:
    /// the new file is read from the same record count, nothing twice.
    func testReplacementByRenameContinuesFromTheSameRecordCount() throws {
        let url = directory.appendingPathComponent("events.jsonl")
        try (line(0) + line(1)).write(to: url, atomically: false, encoding: .utf8)
        var reader = FollowReader(path: url.path)
        XCTAssertEqual(reader.poll().records.count, 2)
        let replacement = directory.appendingPathComponent("tmp")
        try (line(0) + line(1) + line(2) + line(3)).write(to: replacement, atomically: false, encoding: .utf8)
        XCTAssertEqual(rename(replacement.path, url.path), 0)
        let poll = reader.poll()
        XCTAssertEqual(poll.records.map(\.time), [2, 3])
        XCTAssertTrue(poll.notices.contains { $0.contains("replaced") })
        // Truncated and rewritten in place: the same.
        try (line(0) + line(1) + line(2) + line(3) + line(4)).write(to: url, atomically: false, encoding: .utf8)
        try "".write(to: url, atomically: false, encoding: .utf8)
        _ = reader.poll()
        try (line(0) + line(1) + line(2) + line(3) + line(4)).write(to: url, atomically: false, encoding: .utf8)
        XCTAssertEqual(reader.poll().records.map(\.time), [4])
    }

    func testFollowerFeedsTheSessionAndEndsAtFinished() throws {
        let url = directory.appendingPathComponent("run.jsonl")
        try line(0).write(to: url, atomically: false, encoding: .utf8)
        let session = ReplaySession(records: [], speed: 10_000, following: true)
        let follower = RecordingFollower(path: url.path, session: session, interval: 0.02)
        XCTAssertTrue(follower.pollOnce())
        follower.start()
        defer { follower.stop() }
        try append(EventLog.line(for: EventRecord(time: 1, event: .finished(RunSummary(fpTop1: 0.9, quantTop1: 0.8, wallSeconds: 1)))) + "\n", to: url)
        let deadline = Date().addingTimeInterval(10)
        var played: [EventRecord] = []
        while !session.isFinished, Date() < deadline {
            played += session.drainEvents()
            Thread.sleep(forTimeInterval: 0.02)
        }
        played += session.drainEvents()
        XCTAssertEqual(played.map(\.time), [0, 1])
        XCTAssertEqual(session.progress.follow, .ended)
    }

    func testBookmarksRoundTripAndHostileFilesAreRefused() throws {
        let path = directory.appendingPathComponent("run.jsonl.bookmarks").path
        XCTAssertEqual(try ReplayBookmarks.load(path: path), [], "no file: no bookmarks")
        try ReplayBookmarks.save([50, 3, 50], path: path)
        XCTAssertEqual(try ReplayBookmarks.load(path: path), [3, 50])
        for bad in ["{\"version\":1,\"positions\":[-1]}", "{\"version\":2,\"positions\":[]}", "[1,2]",
                    "{\"version\":1,\"positions\":[" + Array(repeating: "1", count: 1001).joined(separator: ",") + "]}"] {
            try bad.write(toFile: path, atomically: false, encoding: .utf8)
            XCTAssertThrowsError(try ReplayBookmarks.load(path: path), bad)
        }
        try String(repeating: " ", count: ReplayBookmarks.maximumBytes + 1).write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try ReplayBookmarks.load(path: path), "size cap")
    }
}
