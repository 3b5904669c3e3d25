import Foundation
import TestFixtures
import XCTest

/// Issue #18: the 224×224 architectures users bring (exported from plain torch
/// modules by scripts/make_imagenet_models.py) with a folder of generated JPEG and
/// PNG pictures: `eval`, a short `quantize` with export (checked by ONNX and ONNX
/// Runtime), and `search` each run to the end with the real binary. Sizes are
/// small (a few iterations, a handful of images) so that CI stays short; the
/// point is that every stage accepts the model and the data, not the accuracy.
final class ImageNetCommandTests: XCTestCase {
    override class func tearDown() {
        ImageNetModels.remove(label: "imagenet-commands")
        super.tearDown()
    }

    private func directory() throws -> URL {
        try ImageNetModels.shared(["resnet18", "mobilenetv2", "mobilenetv3small"], label: "imagenet-commands")
    }

    private func assertCommandsRun(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let root = try directory()
        let model = root.appendingPathComponent("\(name)/model.onnx").path
        let images = root.appendingPathComponent("images").path
        let work = try temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: work) }

        // eval: the validation split (4 per class, at least one per class: 4 classes → 4 images), decoded and transformed.
        let eval = try CommandRun.brecq(["eval", "--model", model, "--data", images, "--json"], timeout: 300)
        XCTAssertEqual(eval.status, 0, eval.stderr, file: file, line: line)
        let evalJSON = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(evalJSON?["count"] as? Int, 4, eval.stdout, file: file, line: line)

        // quantize, a few iterations per unit, with export.
        let checkpoint = work.appendingPathComponent("ck").path
        let summary = work.appendingPathComponent("summary.json").path
        let export = work.appendingPathComponent("model.qdq.onnx").path
        let quantize = try CommandRun.brecq([
            "quantize", "--model", model, "--data", images, "--wbits", "4", "--abits", "8", "--iters", "3", "--act-iters", "2",
            "--calib-size", "8", "--batch-size", "4", "--eval-images", "4", "--analysis-images", "0",
            "--checkpoint", checkpoint, "--summary", summary, "--export", export,
        ], timeout: 900)
        XCTAssertEqual(quantize.status, 0, quantize.stderr, file: file, line: line)
        let summaryJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any]
        let units = summaryJSON?["units"] as? [[String: Any]] ?? []
        XCTAssertFalse(units.isEmpty, file: file, line: line)
        // Every unit reconstructed; only the 8-bit stem may be left as round-to-nearest ("skipped").
        let statuses = units.map { $0["status"] as? String ?? "" }
        XCTAssertEqual(units.first?["name"] as? String, "stem", file: file, line: line)
        XCTAssertTrue(["done", "skipped"].contains(statuses.first ?? ""), "\(statuses)", file: file, line: line)
        XCTAssertTrue(statuses.dropFirst().allSatisfy { $0 == "done" }, "\(statuses)", file: file, line: line)

        // The exported QDQ model passes the ONNX checker and the encodings check, and runs in ONNX Runtime.
        let input = root.appendingPathComponent("\(name)/sample_input.npy").path
        let report = try PythonScript.run("scripts/check_export.py", [
            export, work.appendingPathComponent("model.qdq.encodings.json").path, input, work.appendingPathComponent("ort.npy").path,
        ])
        let reportJSON = try JSONSerialization.jsonObject(with: report) as? [String: Any]
        XCTAssertEqual(reportJSON?["checker"] as? String, "ok", String(decoding: report, as: UTF8.self), file: file, line: line)

        // search: sensitivities on a few images and a short genetic search, writing a bits file.
        let bits = work.appendingPathComponent("bits.json").path
        let search = try CommandRun.brecq([
            "search", "--model", model, "--data", images, "--abits", "8", "--sensitivity-images", "4", "--candidate-bits", "4,8",
            "--population", "8", "--parents", "4", "--elites", "2", "--generations", "3", "--budget", "avgbits=6", "--no-sensitivity-cache", "--output", bits,
        ], timeout: 900)
        XCTAssertEqual(search.status, 0, search.stderr, file: file, line: line)
        let bitsJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bits))) as? [String: Any]
        XCTAssertNotNil(bitsJSON?["layers"], file: file, line: line)
    }

    func testMobileNetV3Small() throws { try assertCommandsRun("mobilenetv3small") }
    func testMobileNetV2() throws { try assertCommandsRun("mobilenetv2") }
    func testResNet18() throws { try assertCommandsRun("resnet18") }
}
