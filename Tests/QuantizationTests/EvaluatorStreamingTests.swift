import Foundation
import TestFixtures
import XCTest
import Network
@testable import Quantization
import Tensor

/// The evaluator reading an image folder a batch at a time gives exactly what
/// it gave with the whole test split in memory (the path before `EvaluationSet`):
/// FP and quantized top-1/top-5, and the KL, bit for bit.
final class EvaluatorStreamingTests: XCTestCase {
    /// TinyNetwork's input (1×8×8, five classes): the fixture pictures become luma, resized to 9 and cropped.
    private let config = ModelConfig(inputShape: [1, 8, 8], classes: 5, mean: [0.45], std: [0.25])

    private func makeFolder() throws -> URL {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/images")
        let root = try temporaryDirectory()
        let files = ["rgb.jpg", "gray.jpg", "cmyk.jpg", "palette.png", "rgba.png", "gray16.png", "rgb16.png",
                     "gray.png", "exif_rotated.jpg", "tiny.png", "large.jpg", "wide.png"]
        // Each file twice, under two classes: 24 images, so batches of 5 leave a short last one.
        for copy in 0..<2 {
            for (k, file) in files.enumerated() {
                let dir = root.appendingPathComponent("val/c\((k + copy) % 5)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: fixtures.appendingPathComponent(file), to: dir.appendingPathComponent("\(copy)-\(file)"))
            }
        }
        return root
    }

    func testEvaluatorDecodingPerBatchMatchesTheWholeSplitInMemory() throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try DatasetSource(argument: root.path)
        let whole = try source.load(.test, config: config)
        let streamed = try source.evaluationSet(config: config, heldLimitBytes: 0)
        XCTAssertTrue(streamed.isDecodedPerBatch)
        XCTAssertEqual(streamed.count, 24)

        let graph = TinyNetwork.graph()
        let before = Evaluator(graph: graph, images: whole.images, labels: whole.labels, batchSize: 5)
        let after = Evaluator(graph: graph, images: streamed, batchSize: 5)
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(32),
                                          configuration: QuantizationConfiguration(weightBits: 3, activationBits: 3))
        session.finishRemaining()

        let fp = try after.evaluateFP()
        XCTAssertEqual(fp, try before.evaluateFP())
        XCTAssertEqual(fp.images, 24)
        XCTAssertGreaterThan(fp.top1, 0, "a meaningful comparison needs some hits")
        let quantized = try after.evaluate(session.model)
        XCTAssertEqual(quantized, try before.evaluate(session.model))
        XCTAssertGreaterThan(try XCTUnwrap(quantized.kl), 0, "3-bit changes the logits, so the KL compared is not trivially 0")
        XCTAssertEqual(try after.evaluate(session.model, images: 7), try before.evaluate(session.model, images: 7))
        XCTAssertEqual(try after.evaluateFP(images: 7), try before.evaluateFP(images: 7))

        // The same through the executor's own evaluation (`brecq eval`).
        let executor = GraphExecutor(graph: graph)
        XCTAssertEqual(try executor.evaluate(streamed, batchSize: 5), try executor.evaluate(EvaluationSet(whole), batchSize: 5))
    }

    /// A test file that disappears during a run fails the evaluation with an error naming it, not the process.
    func testAFileRemovedDuringTheRunIsAnErrorNamingIt() throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let streamed = try DatasetSource(argument: root.path).evaluationSet(config: config, heldLimitBytes: 0)
        let evaluator = Evaluator(graph: TinyNetwork.graph(), images: streamed, batchSize: 5)
        try FileManager.default.removeItem(at: root.appendingPathComponent("val/c4/1-palette.png"))
        XCTAssertThrowsError(try evaluator.evaluateFP()) { error in
            XCTAssertTrue("\(error)".contains("1-palette.png"), "\(error)")
        }
    }
}
