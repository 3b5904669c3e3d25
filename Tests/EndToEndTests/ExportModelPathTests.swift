import Foundation
import TestFixtures
import XCTest

/// `brecq export` reads the graph from `--model` (default: the bundled
/// example), never from the path the checkpoint records, and refuses a model
/// file other than the one the run was made from, naming both.
final class ExportModelPathTests: TinyModelTestCase {
    func testExportTakesTheModelFromItsFlagAndChecksIt() throws {
        let checkpoint = model.file("ck")
        let run = try CommandRun.brecq(model.quantizeArguments(iterations: 20, extra: ["--checkpoint", checkpoint]))
        XCTAssertEqual(run.status, 0, run.stderr)

        let output = model.file("out.onnx")
        let exported = try CommandRun.brecq(["export", "--model", model.model, "--checkpoint", checkpoint, "--output", output])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output) && FileManager.default.fileExists(atPath: model.file("out.encodings.json")))

        // Without --model: the bundled example, which is not this run's model.
        let refused = try CommandRun.brecq(["export", "--checkpoint", checkpoint, "--output", model.file("other.onnx")])
        assertOneErrorLine(refused, mentions: ["another model", model.model, "fashion-resnet20/model.onnx"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.file("other.onnx")))
    }
}
