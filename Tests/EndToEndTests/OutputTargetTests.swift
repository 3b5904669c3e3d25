import TestFixtures
import XCTest

/// Every path brecq writes is checked before the run starts; a write that
/// fails during the run ends it with one line and a non-zero exit.
final class OutputTargetTests: TinyModelTestCase {
    private func quantize(_ flags: [String]) throws -> CommandResult {
        try CommandRun.brecq(model.quantizeArguments(iterations: 20, extra: flags), timeout: 120)
    }

    private func assertRefusedBeforeWork(_ result: CommandResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 64, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderrLines.first.map(String.init), "Error: \(message)", file: file, line: line)
        assertOneErrorLine(result, mentions: [], file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("events.jsonl")), "the run started", file: file, line: line)
    }

    func testSummaryNamingADirectory() throws {
        assertRefusedBeforeWork(try quantize(["--events", model.file("events.jsonl"), "--summary", model.path]),
                                "--summary \(model.path): is a directory; expected a file path")
    }

    func testCheckpointUnderProc() throws {
        assertRefusedBeforeWork(try quantize(["--events", model.file("events.jsonl"), "--checkpoint", "/proc/x"]),
                                "--checkpoint /proc/x: cannot create files in /proc (No such file or directory)")
    }

    /// /sys refuses new files even to root, so this holds however the tests run.
    func testEventsUnderAReadOnlyDirectory() throws {
        assertRefusedBeforeWork(try quantize(["--events", "/sys/brecq-events.jsonl"]),
                                "--events /sys/brecq-events.jsonl: cannot create files in /sys (Permission denied)")
    }

    func testExportAndSummaryInAMissingDirectory() throws {
        let missing = model.file("no/such/dir/model.onnx")
        assertRefusedBeforeWork(try quantize(["--events", model.file("events.jsonl"), "--export", missing]),
                                "--export \(missing): directory \(model.file("no/such/dir")) does not exist")
    }

    func testSummaryThatIsTheModelIsRefused() throws {
        assertRefusedBeforeWork(try quantize(["--events", model.file("events.jsonl"), "--summary", model.model]),
                                "--summary \(model.model): is the same file as --model \(model.model); it would be overwritten")
    }

    func testExportCommandChecksBothTargetsFirst() throws {
        let result = try CommandRun.brecq(["export", "--checkpoint", model.file("absent-ck"), "--output", model.path], timeout: 30)
        XCTAssertEqual(result.stderrLines.first.map(String.init), "Error: --output \(model.path): is a directory; expected a file path")
        assertOneErrorLine(result, mentions: [])
    }

    /// Writes to /dev/full fail with ENOSPC: the run stops, says so in its last
    /// line, and exits non-zero instead of warning and exiting 0.
    func testFullDiskForTheEventLogEndsTheRun() throws {
        let result = try quantize(["--events", "/dev/full", "--checkpoint", model.file("ck"), "--summary", model.file("summary.json")])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderrLines.last.map(String.init), "Error: --events /dev/full: cannot write the event log: No space left on device")
        XCTAssertEqual(result.stderrLines.filter { $0.hasPrefix("Error:") }.count, 1, result.stderr)
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("summary.json")), "a failed run wrote a summary")
    }
}
