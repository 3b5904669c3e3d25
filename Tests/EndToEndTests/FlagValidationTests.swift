import TestFixtures
import XCTest

/// Bad flag values are refused with one clear line before any work starts
/// (no event log is created, no model is loaded).
final class FlagValidationTests: XCTestCase {
    var model: TinyModelDirectory!

    override func setUpWithError() throws { model = try TinyModelDirectory.make() }
    override func tearDown() { model?.remove() }

    private func quantize(_ flags: [String], command: String = "quantize") throws -> CommandResult {
        try CommandRun.brecq([command, "--model", model.model, "--data", model.path] + flags
                             + (command == "quantize" ? ["--events", model.file("events.jsonl")] : []), timeout: 60)
    }

    private func assertRefusedBeforeWork(_ result: CommandResult, mentions words: [String],
                                         file: StaticString = #filePath, line: UInt = #line) {
        assertOneErrorLine(result, mentions: words, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("events.jsonl")), "work started before the error", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("unit "), "progress before the error:\n\(result.stderr)", file: file, line: line)
    }

    func testWeightBitsOutOfRange() throws {
        assertRefusedBeforeWork(try quantize(["--wbits", "9"]), mentions: ["--wbits", "9"])
    }

    func testActivationBitsOutOfRange() throws {
        assertRefusedBeforeWork(try quantize(["--abits", "1"]), mentions: ["--abits", "1"])
    }

    func testZeroIterations() throws {
        assertRefusedBeforeWork(try quantize(["--iters", "0"]), mentions: ["--iters", "0"])
    }

    func testUnknownGranularity() throws {
        assertRefusedBeforeWork(try quantize(["--granularity", "foo"]), mentions: ["--granularity", "foo"])
    }

    func testMissingModelFile() throws {
        let result = try CommandRun.brecq(["quantize", "--model", model.file("absent.onnx"), "--data", model.path,
                                           "--events", model.file("events.jsonl")], timeout: 60)
        assertRefusedBeforeWork(result, mentions: ["absent.onnx"])
    }

    /// The dashboard command checks its flags before it takes over the terminal.
    func testDashboardRefusesBadBitsWithoutATerminal() throws {
        assertOneErrorLine(try quantize(["--wbits", "9"], command: "tui"), mentions: ["--wbits"])
    }
}
