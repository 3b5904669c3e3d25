import TestFixtures
import XCTest

/// Numeric flags take negative values as values and say their range; paths given
/// as inputs are checked for their kind. Each refusal is exactly one line, exit 64.
final class HostileFlagTests: TinyModelTestCase {
    private func run(_ arguments: [String]) throws -> CommandResult {
        try CommandRun.brecq(arguments, timeout: 60)
    }

    private func quantize(_ flags: [String]) throws -> CommandResult {
        try run(["quantize", "--model", model.model, "--data", model.path, "--events", model.file("events.jsonl")] + flags)
    }

    /// The exact error line, the usage boilerplate only, the usage exit status, and no work done.
    private func assertRefused(_ result: CommandResult, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 64, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderrLines.first.map(String.init), "Error: \(message)", file: file, line: line)
        assertOneErrorLine(result, mentions: [], file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("events.jsonl")), "work started", file: file, line: line)
    }

    func testNegativeNumbersAreValuesWithTheirRangeSaid() throws {
        assertRefused(try quantize(["--iters", "-5"]), "--iters must be at least 1, got -5")
        assertRefused(try quantize(["--wbits", "-4"]), "--wbits must be at least 2, got -4")
        assertRefused(try quantize(["--abits", "-1"]), "--abits must be in 2…8 or 32, got -1")
        assertRefused(try quantize(["--act-iters", "-1"]), "--act-iters must be at least 0, got -1")
        assertRefused(try quantize(["--calib-size", "-128"]), "--calib-size must be at least 1, got -128")
        assertRefused(try quantize(["--batch-size", "-16"]), "--batch-size must be at least 1, got -16")
        assertRefused(try quantize(["--eval-images", "-1"]), "--eval-images must be at least 1, got -1")
        assertRefused(try quantize(["--round-weight", "-0.5"]), "--round-weight must be at least 0, got -0.5")
    }

    func testUpperBoundsAndNonFiniteValues() throws {
        assertRefused(try quantize(["--iters", "99999999999"]), "--iters must be at most 1000000, got 99999999999")
        assertRefused(try quantize(["--batch-size", "5000"]), "--batch-size must be at most 4096, got 5000")
        assertRefused(try quantize(["--qdrop", "1.5"]), "--qdrop must be at most 1, got 1.5")
        assertRefused(try quantize(["--qdrop", "nan"]), "--qdrop must be a finite number, got nan")
        assertRefused(try quantize(["--lr", "0"]), "--lr must be greater than 0 and less than 1, got 0")
        assertRefused(try quantize(["--lr", "-1e-3"]), "--lr must be greater than 0 and less than 1, got -0.001")
    }

    func testSearchAndEvalFlags() throws {
        let search = ["search", "--model", model.model, "--data", model.path, "--budget", "avgbits=3", "--output", model.file("bits.json")]
        assertRefused(try run(search + ["--population", "-2"]), "--population must be at least 2, got -2")
        assertRefused(try run(search + ["--mutation", "-0.1"]), "--mutation must be at least 0, got -0.1")
        assertRefused(try run(search + ["--sensitivity-images", "0"]), "--sensitivity-images must be at least 1, got 0")
        assertRefused(try run(search + ["--candidate-bits", "2,99"]), "--candidate-bits must be at most 8, got 99")
        assertRefused(try run(search + ["--budget", "-3"]), "--budget: budget 'size=-3': '-3' is not a positive number")
        assertRefused(try run(search + ["--abits", "-4"]), "--abits must be in 2…8 or 32, got -4")
        assertRefused(try run(["eval", "--model", model.model, "--data", model.path, "--limit", "-3"]), "--limit must be at least 1, got -3")
    }

    func testReplaySpeedIsBounded() throws {
        assertRefused(try run(["replay", "--headless", "--speed", "0.001", model.file("r.jsonl")]), "--speed must be at least 0.01, got 0.001")
        assertRefused(try run(["replay", "--headless", "--speed", "-2", model.file("r.jsonl")]), "--speed must be at least 0.01, got -2")
    }

    func testDirectoryAsModelAndFileAsData() throws {
        assertRefused(try quantize(["--model", model.path]), "\(model.path) is a directory; --model expects an .onnx file")
        assertRefused(try run(["eval", "--model", model.path, "--data", model.path]), "\(model.path) is a directory; --model expects an .onnx file")
        assertRefused(try quantize(["--data", model.model]),
                      "\(model.model) is not a directory; --data expects 'fashion-mnist', a directory of IDX or NPY files, or an image folder")
    }

    func testHostileBitsConfigIsOneLineNamingFileAndField() throws {
        let bits = model.file("bits.json")
        try #"{"layers": {"a": {"wbits": 4, "abits": 4}, "a": {"wbits": 8, "abits": 4}}}"#.write(toFile: bits, atomically: true, encoding: .utf8)
        assertRefused(try quantize(["--bits-config", bits]), "--bits-config \(bits): layers.a: listed twice")
        try #"{"layers": {"a": {"wbits": -9223372036854775808, "abits": 4}}}"#.write(toFile: bits, atomically: true, encoding: .utf8)
        assertRefused(try quantize(["--bits-config", bits]), "--bits-config \(bits): layers.a.wbits: must be in 2…8, got -9223372036854775808")
        assertRefused(try quantize(["--bits-config", model.path]), "--bits-config \(model.path): is a directory; expected a bits file (JSON)")
    }

    func testHostileLatencyTableIsReadBeforeTheSensitivities() throws {
        let table = model.file("latency.json")
        try #"{"unit": "us", "layers": {"a": {"4": -1}}}"#.write(toFile: table, atomically: true, encoding: .utf8)
        let result = try run(["search", "--model", model.model, "--data", model.path, "--budget", "latency=3",
                              "--latency-table", table, "--output", model.file("bits.json")])
        assertRefused(result, "--latency-table \(table): layers.a.4: must be a latency in 0…1000000000 µs, got -1")
    }

    /// A path is quoted in the error; its control characters must reach the terminal escaped, through the
    /// executable's own entry point (which once was bypassed by ArgumentParser's `main`).
    func testControlCharactersInAQuotedPathAreEscaped() throws {
        let hostile = model.file("x\u{1B}]0;pwned\u{07}\u{1B}[31mred.onnx")
        let result = try run(["eval", "--model", hostile, "--data", model.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(result.stderr.contains("\u{1B}") || result.stderr.contains("\u{07}"), "raw control bytes: \(result.stderr.debugDescription)")
        XCTAssertTrue(result.stderr.contains("red.onnx"), result.stderr)
    }
}
