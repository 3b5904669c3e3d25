import Foundation
import TestFixtures
import XCTest

/// The command printed after a stop works when run exactly as printed, from any
/// directory: it names the model, data and checkpoint (absolute, shell-quoted)
/// and nothing else is needed, because a resumed run takes its settings from
/// the checkpoint. A flag given again that disagrees is named in one line.
final class ResumeHintTests: TinyModelTestCase {
    /// The model moved into a directory whose name needs quoting.
    private func awkwardModel() throws -> String {
        let directory = model.file("it's a model dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["model.onnx", "config.json"] {
            try FileManager.default.moveItem(atPath: model.file(name), toPath: directory + "/" + name)
        }
        return directory + "/model.onnx"
    }

    private func arguments(model path: String, checkpoint: String, extra: [String] = []) -> [String] {
        var arguments = model.quantizeArguments(iterations: 400, extra: ["--checkpoint", checkpoint] + extra)
        arguments[arguments.firstIndex(of: "--model")! + 1] = path
        return arguments
    }

    /// Runs `command` with `sh -c` from `/`, as a user pasting it would.
    private func runInShell(_ command: String) throws -> CommandResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-e2e-sh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment["XDG_CACHE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-e2e-cache").path
        let out = directory.appendingPathComponent("stdout").path, err = directory.appendingPathComponent("stderr").path
        let child = try Spawned.start("/bin/sh", ["-c", "cd / && " + command], environment: environment, stdout: out, stderr: err)
        guard let status = child.wait(timeout: 240) else {
            child.send(SIGKILL)
            _ = child.wait(timeout: 10)
            throw TestFailure("\(command) did not finish")
        }
        return CommandResult(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                             stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    private func interrupted(_ arguments: [String]) throws -> CommandResult {
        try CommandRun.brecq(arguments) { child, stderr in
            try CommandRun.waitUntil(timeout: 120, "the first block to start", describe: stderr) { stderr().contains("unit 2/5 block1") }
            child.send(SIGINT)
        }
    }

    func testTheHintAfterAnInterruptRunsAsPrintedAndFinishesTheRun() throws {
        let modelPath = try awkwardModel()
        let checkpoint = model.file("ck"), summary = model.file("summary.json")
        let stopped = try interrupted(arguments(model: modelPath, checkpoint: checkpoint, extra: ["--summary", summary]))
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let marker = "continue with: "
        let line = try XCTUnwrap(stopped.stderrLines.last { $0.contains(marker) }, "no resume hint:\n\(stopped.stderr)")
        let command = String(line[line.range(of: marker)!.upperBound...])
        XCTAssertTrue(command.contains("--model '\(modelPath.replacingOccurrences(of: "'", with: #"'\''"#))'"), command)
        XCTAssertTrue(command.contains("--data \(model.path)") && command.contains("--resume \(checkpoint)"), command)
        XCTAssertFalse(command.contains("--wbits") || command.contains("--iters"), "settings come from the checkpoint: \(command)")

        let resumed = try runInShell(command)
        XCTAssertEqual(resumed.status, 0, "the printed command failed:\n\(command)\n\(resumed.stderr)")
        XCTAssertTrue(resumed.stderr.contains("done in"), resumed.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        // The checkpoint's settings, not the defaults (4 bits happens to be both; the rest are not).
        XCTAssertEqual(result["iterations"] as? Int, 400)
        XCTAssertEqual(result["seed"] as? Int, 3)
        XCTAssertEqual(result["calib_size"] as? Int, 128)
        XCTAssertEqual((result["units"] as? [Any])?.count, 5)
    }

    func testAFlagGivenAgainThatDiffersIsNamed() throws {
        let checkpoint = model.file("ck")
        let stopped = try interrupted(arguments(model: model.model, checkpoint: checkpoint))
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let differing = try CommandRun.brecq(["quantize", "--model", model.model, "--data", model.path, "--resume", checkpoint, "--wbits", "2"])
        assertOneErrorLine(differing, mentions: ["--wbits 2 differs from the checkpoint's 4"])

        let bits = model.file("bits.json")
        try #"{"layers": {"/layer1/layer1.0/conv1/Conv": {"wbits": 2, "abits": 4}}}"#.write(toFile: bits, atomically: true, encoding: .utf8)
        let differingBits = try CommandRun.brecq(["quantize", "--model", model.model, "--data", model.path, "--resume", checkpoint,
                                                  "--bits-config", bits])
        assertOneErrorLine(differingBits, mentions: ["--bits-config", "/layer1/layer1.0/conv1/Conv W2A4", "the checkpoint has no per-layer bits"])

        // Given again with the checkpoint's own values, flags are accepted (and the run finishes).
        let same = try CommandRun.brecq(["quantize", "--model", model.model, "--data", model.path, "--resume", checkpoint,
                                         "--wbits", "4", "--seed", "3", "--iters", "400"])
        XCTAssertEqual(same.status, 0, same.stderr)
    }

    func testAnotherModelIsRefusedNamingBoth() throws {
        let checkpoint = model.file("ck")
        let stopped = try interrupted(arguments(model: model.model, checkpoint: checkpoint))
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        let other = model.file("other.onnx")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model.model))
        bytes.append(contentsOf: [0xA0, 0x06, 0x01])  // an unknown field 100: the same graph, another file
        try bytes.write(to: URL(fileURLWithPath: other))
        let refused = try CommandRun.brecq(["quantize", "--model", other, "--data", model.path, "--resume", checkpoint])
        assertOneErrorLine(refused, mentions: ["another model", model.model, other])
    }
}
