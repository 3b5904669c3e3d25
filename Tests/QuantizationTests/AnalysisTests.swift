import Foundation
import Network
import Tensor
import XCTest
@testable import Quantization

/// The analysis's figures on cases whose answer is known.
final class AnalysisTests: XCTestCase {
    func testStatisticsOnAKnownGridCountClippingAndBinLevels() {
        // 2 bits, Δ = 0.5, z = 1: levels 0…3 hold −0.5, 0, 0.5, 1.
        let grid = UniformAffineQuantizer(bits: 2, scales: [0.5], zeroPoints: [1])
        let values: [Float] = [-0.5, 0, 0.5, 1, 1.2, 3, -2]
        let s = QuantizerStatistics.weights(values, grid: grid, bins: 8)
        // 1.2 rounds to level 3.4 → 3 (inside); 3 is level 7, −2 is level −3: both clipped.
        XCTAssertEqual(s.clippedFraction, 2.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(s.minimum, -2); XCTAssertEqual(s.maximum, 3)
        XCTAssertEqual(s.rangeInSteps, 10, accuracy: 1e-12)
        // Axis −1.5 … 4.5 in 8 bins of 0.75 levels; edge bins take what lies beyond.
        XCTAssertEqual(s.histogram.lower, -1.5); XCTAssertEqual(s.histogram.upper, 4.5)
        XCTAssertEqual(s.histogram.counts.reduce(0, +), values.count)
        XCTAssertEqual(s.histogram.counts[0], 1)   // level −3
        XCTAssertEqual(s.histogram.counts[7], 1)   // level 7
        XCTAssertEqual(s.histogram.bin(ofLevel: 0), 2)   // (0 + 1.5) / 0.75 = 2
    }

    func testNoiseToSignalCosineAndMSEOfAKnownError() {
        var sums = AccumulatedErrorSums()
        sums.add(quantized: [1.1, 2, 2.9], fp: [1, 2, 3])
        let e = sums.result
        // ‖q − f‖² = 0.02, ‖f‖² = 14.
        XCTAssertEqual(e.noiseToSignalDecibels, 10 * log10(0.02 / 14), accuracy: 1e-5)
        XCTAssertEqual(e.mse, 0.02 / 3, accuracy: 1e-7)
        let dot = 1.1 + 4 + 2.9 * 3, nq = (1.21 + 4 + 8.41).squareRoot()
        XCTAssertEqual(e.cosine, dot / (nq * 14.0.squareRoot()), accuracy: 1e-6)
        var exact = AccumulatedErrorSums()
        exact.add(quantized: [1, 2], fp: [1, 2])
        XCTAssertEqual(exact.result.noiseToSignalDecibels, -AccumulatedError.limitDB)
    }

    /// On the tiny ResNet: same inputs, same report; FP weights everywhere give
    /// no error; an 8-bit model has far less accumulated error than a 2-bit one.
    func testDeterministicAndOrderedByBits() throws {
        let graph = try ExportSupport.fixture("tiny_resnet.onnx")
        let images = ExportSupport.images(40, for: graph, seed: 3)
        func model(_ bits: Int) -> QuantizedModel {
            let c = QuantizationConfiguration(weightBits: bits, activationBits: bits, firstLastBits: 8)
            return QuantizedModel.initial(graph: graph, configuration: c).calibratingMissingActivations(graph: graph, images: images, configuration: c)
        }
        let settings = AnalysisSettings(batchSize: 16)
        let a = QuantizationAnalysis.analyze(graph: graph, model: model(2), images: images, settings: settings)
        let b = QuantizationAnalysis.analyze(graph: graph, model: model(2), images: images, settings: AnalysisSettings(batchSize: 7))
        XCTAssertEqual(a.layers.map(\.layer), b.layers.map(\.layer))
        for (x, y) in zip(a.layers, b.layers) {
            XCTAssertEqual(x.accumulated.noiseToSignalDecibels, y.accumulated.noiseToSignalDecibels, accuracy: 1e-6, "batching")
            XCTAssertEqual(x.isolated!.both.kl, y.isolated!.both.kl, accuracy: 1e-6)
        }
        XCTAssertEqual(a, QuantizationAnalysis.analyze(graph: graph, model: model(2), images: images, settings: settings))
        let eight = QuantizationAnalysis.analyze(graph: graph, model: model(8), images: images, settings: settings)
        for (two, high) in zip(a.layers, eight.layers) where two.weightBits < 8 {
            XCTAssertGreaterThan(two.accumulated.noiseToSignalDecibels, high.accumulated.noiseToSignalDecibels + 10, two.layer)
            XCTAssertGreaterThan(two.isolated!.weights.kl, high.isolated!.weights.kl, two.layer)
        }
        // Only one layer reported: the rest stays FP, so the first layer's accumulated error is its own.
        let first = a.layers[0].layer
        let alone = QuantizationAnalysis.analyze(graph: graph, model: model(2), images: images,
                                                 settings: AnalysisSettings(batchSize: 16, layers: [first]))
        XCTAssertEqual(alone.layers.map(\.layer), [first])
    }
}
