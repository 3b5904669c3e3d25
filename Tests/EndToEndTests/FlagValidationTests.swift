import TestFixtures
import XCTest

/// Bad flag values are refused with one clear line before any work starts
/// (no event log is created, no model is loaded).
final class FlagValidationTests: TinyModelTestCase {
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

    /// Errors the engine finds once it has the model and data: said once, and no summary is written.
    private func assertEngineRefuses(_ flags: [String], mentions words: [String],
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let summary = model.file("summary.json")
        let result = try CommandRun.brecq(["quantize", "--model", model.model, "--data", model.path, "--iters", "5",
                                           "--summary", summary, "--checkpoint", model.file("ck")] + flags, timeout: 60)
        assertOneErrorLine(result, mentions: words, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: summary), "a summary was written", file: file, line: line)
    }

    func testBitsConfigNamingALayerTheModelLacks() throws {
        let bits = model.file("bits.json")
        try #"{"layers": {"no/such/Conv": {"wbits": 3, "abits": 4}}}"#.write(toFile: bits, atomically: true, encoding: .utf8)
        try assertEngineRefuses(["--bits-config", bits], mentions: ["no/such/Conv", "not a conv or linear layer"])
    }

    func testMoreCalibrationImagesThanTheDataHas() throws {
        try assertEngineRefuses(["--calib-size", "1000000", "--batch-size", "16"], mentions: ["--calib-size", "1000000"])
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
