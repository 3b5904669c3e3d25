import Foundation
import Network
import Tensor
import XCTest
@testable import Quantization

final class MixedPrecisionSensitivityTests: XCTestCase {
    private let graph = TinyNetwork.graph()
    private let images = TinyNetwork.images(48)

    func testSearchSpaceLeavesStemAndClassifierAt8Bits() {
        let space = SearchSpace(graph: graph)
        XCTAssertEqual(space.layers, ["b1_conv1", "b1_conv2", "b2_conv1", "b2_conv2", "b2_short"])
        XCTAssertEqual(space.units, ["block1", "block2"])
        XCTAssertEqual(space.unitOfLayer, [0, 0, 1, 1, 1])
        XCTAssertEqual(space.fixedLayers, ["stem": 8, "fc": 8])
    }

    /// The table's layout: 5 layers × 3 bits singles, pairs only inside blocks (1 + 3).
    func testTableHasSinglesAndIntraBlockPairs() {
        let table = SensitivityAnalysis.measure(graph: graph, images: images, settings: .init(activationBits: 32, weighting: .mse))
        XCTAssertEqual(table.single.count, 5)
        XCTAssertEqual(table.pairs.map { "\($0.first)-\($0.second)" }, ["0-1", "2-3", "2-4", "3-4"])
        XCTAssertEqual(table.baseline, [0, 0], "A32 with FP weights reproduces the FP block exactly")
        for i in 0..<5 {
            // Fewer bits, more error: 2 > 4 > 8 > 0.
            XCTAssertGreaterThan(table.single[i][0], table.single[i][1])
            XCTAssertGreaterThan(table.single[i][1], table.single[i][2])
            XCTAssertGreaterThan(table.single[i][2], 0)
        }
    }

    /// FP block outputs of block2 and its outputs with some layers' weights replaced, by the Network executor.
    private func block2Outputs(replacing: [String: Int]) -> (quantized: Tensor, fp: Tensor) {
        let executor = GraphExecutor(graph: graph)
        var weights: [String: LayerWeights] = [:]
        for (name, bits) in replacing {
            let node = graph.node(named: name)!
            guard case .convolution(let p) = node.operation else { fatalError() }
            let q = QuantizedModel.roundToNearest(layer: name, weight: p.weight, bits: bits).dequantized(shape: p.weight.shape)
            weights[name] = LayerWeights(weight: q)
        }
        let fp = try! executor.run(feeding: ["image": images], returning: ["b1o", "b2o"])
        let block2 = graph.blockUnits().first { $0.name == "block2" }!
        let quantized = try! executor.run(block2, input: fp["b1o"]!, weights: weights)
        return (quantized, fp["b2o"]!)
    }

    /// Σ over channels of squared error, averaged over examples and positions (`.mse`).
    private func weightedError(_ y: Tensor, _ t: Tensor) -> Double {
        let (n, hw) = (y.shape[0], y.shape[2] * y.shape[3])
        var total = 0.0
        for i in 0..<y.count {
            let e = Double(y.data[i] - t.data[i])
            total += e * e
        }
        return total / Double(n * hw)
    }

    func testSingleAndPairErrorsMatchADirectComputation() {
        let table = SensitivityAnalysis.measure(graph: graph, images: images, settings: .init(activationBits: 32, weighting: .mse))
        let i = table.space.index(of: "b2_conv1")!, j = table.space.index(of: "b2_short")!
        let single = block2Outputs(replacing: ["b2_conv1": 2])
        XCTAssertEqual(table.single[i][0], weightedError(single.quantized, single.fp), accuracy: 1e-5 * table.single[i][0])
        let pair = block2Outputs(replacing: ["b2_conv1": 2, "b2_short": 4])
        let joint = table.pairs.first { $0.first == i && $0.second == j }!.joint[0][1]
        XCTAssertEqual(joint, weightedError(pair.quantized, pair.fp), accuracy: 1e-5 * joint)
        // Cross term and objective follow from the raw errors.
        XCTAssertEqual(table.cross(table.pairs.first { $0.first == i && $0.second == j }!, 0, 1),
                       joint - table.single[i][0] - table.single[j][1], accuracy: 1e-12)
    }

    /// The output Fisher by hand: after block2 come GAP, flatten and fc, so a
    /// change Δz of block2's output moves the logits by exactly Δℓ = W·GAP(Δz),
    /// and the second-order KL is ½ Δℓᵀ(diag p − p pᵀ)Δℓ = ½ (Σ_k p_k Δℓ_k² − (Σ_k p_k Δℓ_k)²)
    /// with p the FP softmax. The table's error is its mean over images.
    func testFisherWeightedErrorMatchesAHandDerivedFisher() {
        let table = SensitivityAnalysis.measure(graph: graph, images: images, settings: .init(activationBits: 32, weighting: .fisher))
        let i = table.space.index(of: "b2_conv2")!
        let fpLogits = try! GraphExecutor(graph: graph).logits(for: images)
        guard case .linear(let fc) = graph.node(named: "fc")!.operation else { return XCTFail() }
        let single = block2Outputs(replacing: ["b2_conv2": 2])
        let (n, c) = (single.fp.shape[0], single.fp.shape[1])
        let positions = single.fp.count / (n * c)
        let classes = fpLogits.shape[1]
        var total = 0.0
        for s in 0..<n {
            let z = (0..<classes).map { Double(fpLogits.data[s * classes + $0]) }
            let e = z.map { exp($0 - z.max()!) }
            let p = e.map { $0 / e.reduce(0, +) }
            var dl = [Double](repeating: 0, count: classes)
            for ch in 0..<c {
                var mean = 0.0
                for pos in 0..<positions {
                    let index = (s * c + ch) * positions + pos
                    mean += Double(single.quantized.data[index] - single.fp.data[index])
                }
                mean /= Double(positions)
                for k in 0..<classes { dl[k] += Double(fc.weight.data[k * c + ch]) * mean }
            }
            let first = zip(p, dl).map { $0 * $1 }.reduce(0, +)
            let second = zip(p, dl).map { $0 * $1 * $1 }.reduce(0, +)
            total += (second - first * first) / 2
        }
        let direct = total / Double(n)
        XCTAssertGreaterThan(direct, 0)
        XCTAssertEqual(table.single[i][0], direct, accuracy: 1e-4 * direct)
    }

    func testQuantizedActivationsGiveABaselineAndLargerErrors() {
        let a32 = SensitivityAnalysis.measure(graph: graph, images: images, settings: .init(activationBits: 32, weighting: .mse))
        let a4 = SensitivityAnalysis.measure(graph: graph, images: images, settings: .init(activationBits: 4, weighting: .mse))
        XCTAssertTrue(a4.baseline.allSatisfy { $0 > 0 })
        XCTAssertNotEqual(a4.single, a32.single)
        XCTAssertEqual(a4.activationBits, 4)
    }

    func testCacheHitReturnsTheIdenticalTableWithoutMeasuring() throws {
        let directory = NSTemporaryDirectory() + "brecq-sensitivity-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = SensitivityCache(directory: directory)
        let settings = SensitivityAnalysis.Settings(activationBits: 4)
        var calls = 0
        let first = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache) { _ in calls += 1 }
        XCTAssertFalse(first.cached)
        XCTAssertEqual(calls, 2 * 1 + 5 * 3 + 4 * 9, "baselines, singles and pairs, one progress call each")
        calls = 0
        let second = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings, cache: cache) { _ in calls += 1 }
        XCTAssertTrue(second.cached)
        XCTAssertEqual(calls, 0)
        XCTAssertEqual(second.table, first.table)
        // Other images, other bits or another model: another key, so no stale hit.
        let otherImages = SensitivityAnalysis.fingerprint(graph: graph, images: TinyNetwork.images(48, seed: 9), settings: settings)
        var otherSettings = settings
        otherSettings.activationBits = 8
        let otherBits = SensitivityAnalysis.fingerprint(graph: graph, images: images, settings: otherSettings)
        let otherModel = SensitivityAnalysis.fingerprint(graph: TinyNetwork.graph(seed: 5), images: images, settings: settings)
        XCTAssertEqual(Set([first.table.fingerprint, otherImages, otherBits, otherModel]).count, 4)
    }
}
