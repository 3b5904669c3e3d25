import Foundation
import Network
import Quantization
import Tensor
import TestFixtures
import XCTest
@testable import Engine

/// The analysis a live run emits after its last unit reuses the isolated errors
/// measured after earlier units (they cannot change once a unit is done); it
/// must equal an analysis of the finished model measured from scratch.
final class LiveAnalysisTests: TinyRunTestCase {
    func testFinalLiveAnalysisEqualsAFreshAnalysisOfTheFinishedModel() throws {
        let directory = try temporaryDirectory("live-analysis").path
        let c = tiny.configuration()
        let (outcome, events) = runSession(c, checkpoint: directory)
        guard case .finished = outcome else { return XCTFail("the run must finish: \(outcome)") }
        let updates = events.compactMap { e -> AnalysisUpdate? in if case .analysis(let a) = e { a } else { nil } }
        let last = try XCTUnwrap(updates.last)
        XCTAssertEqual(last.unitsDone, last.unitCount)
        XCTAssertGreaterThan(updates.count, 2, "one analysis per unit")

        let checkpoint = try QuantizedCheckpoint.load(directory: directory, modelPath: tiny.modelPath)
        let loaded = try LoadedModel.load(path: tiny.modelPath)
        let test = try DatasetSource(argument: c.data).load(.test, config: loaded.config, limit: c.evaluationImages)
        let count = min(RunConfiguration.defaultAnalysisImages, test.labels.count)
        let per = test.images.count / test.labels.count
        let images = Tensor(shape: [count] + Array(test.images.shape.dropFirst()), data: Array(test.images.data[0..<count * per]))
        let fresh = QuantizationAnalysis.analyze(graph: checkpoint.graph, model: checkpoint.model, images: images,
                                                 labels: Array(test.labels[0..<count]), settings: AnalysisSettings(batchSize: min(count, 64)))
        XCTAssertEqual(last.report.layers.count, fresh.layers.count)
        for (live, direct) in zip(last.report.layers, fresh.layers) {
            XCTAssertEqual(live.layer, direct.layer)
            XCTAssertNotNil(live.isolated, live.layer)
            XCTAssertEqual(live.isolated, direct.isolated, "\(live.layer): the reused isolated errors are the finished model's")
            XCTAssertEqual(live.accumulated, direct.accumulated, live.layer)
        }
        // Reuse, not a second measurement: the first block's layers carry the figures measured right after their unit.
        let first = try XCTUnwrap(updates.first { !$0.report.layers.isEmpty })
        for layer in first.report.layers {
            XCTAssertEqual(layer.isolated, last.report.layers.first { $0.layer == layer.layer }?.isolated, layer.layer)
        }
    }
}
