import Foundation
import TestFixtures
import XCTest
@testable import Network
import Tensor

/// The bundled example models against ONNX Runtime on real Fashion-MNIST
/// test images. The Python side reads and normalises the IDX files itself
/// (scripts/onnx_reference.py), so the loader and config handling are
/// checked too, not only the forward pass.
final class ExampleModelParityTests: XCTestCase {
    /// `make test` builds optimised; a debug build (10–50× slower) checks fewer images.
    #if DEBUG
    static let imageCount = 64
    #else
    static let imageCount = 500
    #endif

    private func assertParity(example: String) throws {
        let model = repositoryRoot.appendingPathComponent("Examples/\(example)/model.onnx").path
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("\(example) is not trained yet") }
        let source: DatasetSource
        do { source = try DatasetSource(argument: "fashion-mnist") } catch { throw XCTSkip("\(error)") }
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: model))
        let graph = try Graph.importONNX(path: model, options: ONNXImportOptions(inputSampleShape: config.inputShape))
        let images = try source.load(.test, config: config, limit: Self.imageCount)
        let executor = GraphExecutor(graph: graph)
        let logits = try executor.logits(for: images.images)

        let directory = try temporaryDirectory(example)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logitsPath = directory.appendingPathComponent("logits.npy").path
        let report = try runReferenceScript(["eval", model, source.directory, "--limit", "\(Self.imageCount)", "--logits", logitsPath])
        let reference = try NPYArray(path: logitsPath)
        XCTAssertEqual(reference.shape, logits.shape)
        let referenceLogits = Tensor(shape: reference.shape, data: reference.values.map { Float($0) })
        XCTAssertLessThanOrEqual(maxAbsDifference(logits, referenceLogits), 1e-4, example)

        let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        let predictions = json["predictions"] as! [Int]
        let classes = logits.shape[1]
        let ours = (0..<images.count).map { row in
            (0..<classes).max { logits.data[row * classes + $0] < logits.data[row * classes + $1] }!
        }
        XCTAssertEqual(ours, predictions, "\(example): predictions differ from ONNX Runtime")
        var hits = EvaluationResult.Hits()
        hits.count(logits: logits.data, classes: classes, labels: images.labels)
        XCTAssertEqual(hits.top1Percent, json["top1"] as! Double, accuracy: 1e-9)
    }

    func testResNet20MatchesOnnxRuntime() throws { try assertParity(example: "fashion-resnet20") }
    func testMobileNetV2MatchesOnnxRuntime() throws { try assertParity(example: "fashion-mobilenetv2") }
}
