import Network
import Tensor
import XCTest
import TestFixtures
@testable import Quantization

/// `OutputFisher` against the quantity it estimates: the KL between the FP
/// prediction and the prediction with the unit's output perturbed, computed
/// directly by running the rest of the network.
final class OutputFisherTests: XCTestCase {
    private let graph = TinyNetwork.graph()
    private let images = TinyNetwork.images(64)

    /// The first basic block's FP outputs, the nodes after it, and the FP logits.
    private func firstBlock() -> (outputs: Tensor, rest: Range<Int>) {
        let block = graph.blockUnits().first { $0.kind == .basic }!
        let range = block.nodeRange!
        let upTo = 0..<range.upperBound
        let outputs = QuantizationSession.run(GraphExecutor(graph: graph, nodes: upTo), on: images, chunk: 16)
        return (outputs, range.upperBound..<graph.nodes.count)
    }

    /// Σ over images of KL(softmax(rest(z)) ‖ softmax(rest(z + Δz))).
    private func directKL(rest: Range<Int>, outputs: Tensor, deviation: [Float]) -> Double {
        let executor = GraphExecutor(graph: graph, nodes: rest)
        let perturbed = Tensor(shape: outputs.shape, data: zip(outputs.data, deviation).map { $0 + $1 })
        let fp = QuantizationSession.run(executor, on: outputs, chunk: 16)
        let moved = QuantizationSession.run(executor, on: perturbed, chunk: 16)
        // In Double: at small ε the KL is ~1e-7 of the logits' size, below Float's resolution of a log-softmax.
        let classes = fp.count / outputs.shape[0]
        func logSoftmax(_ row: ArraySlice<Float>) -> [Double] {
            let x = row.map(Double.init), m = x.max()!
            let shift = m + log(x.map { exp($0 - m) }.reduce(0, +))
            return x.map { $0 - shift }
        }
        var total = 0.0
        for i in 0..<outputs.shape[0] {
            let logP = logSoftmax(fp.data[(i * classes)..<((i + 1) * classes)])
            let logQ = logSoftmax(moved.data[(i * classes)..<((i + 1) * classes)])
            for c in 0..<classes { total += exp(logP[c]) * (logP[c] - logQ[c]) }
        }
        return total
    }

    func testExactFisherIsTheSecondOrderKL() {
        let (outputs, rest) = firstBlock()
        let fisher = OutputFisher(graph: graph, rest: rest, fpOutputs: outputs)
        XCTAssertEqual(fisher.directionsPerImage, 5, "5 classes: every class is a direction")
        let direction = randomTensor(outputs.shape, seed: 31).data
        let scale = outputs.data.map(abs).max()!
        // KL(ε d) = ½ ε² dᵀFd + O(ε³): the ratio tends to 1 as ε shrinks, and not before.
        var ratios: [Double] = []
        for epsilon: Float in [0.3, 0.03, 0.003] {
            let deviation = direction.map { $0 * epsilon * scale }
            let estimate = deviation.withUnsafeBufferPointer { fisher.error(images: 0, deviation: $0) }
            let exact = directKL(rest: rest, outputs: outputs, deviation: deviation)
            XCTAssertGreaterThan(exact, 0)
            ratios.append(estimate / exact)
        }
        XCTAssertEqual(ratios[2], 1, accuracy: 5e-3, "ratios \(ratios)")
        XCTAssertLessThan(abs(ratios[2] - 1), abs(ratios[0] - 1), "the approximation must improve as ε shrinks: \(ratios)")
    }

    /// Error over a range of images equals the sum of per-image errors (rows are matched to their directions).
    func testErrorOfImageRangesAdds() {
        let (outputs, rest) = firstBlock()
        let fisher = OutputFisher(graph: graph, rest: rest, fpOutputs: outputs)
        let deviation = randomTensor(outputs.shape, seed: 32).data.map { $0 * 0.1 }
        let per = fisher.per
        let whole = deviation.withUnsafeBufferPointer { fisher.error(images: 0, deviation: $0) }
        let halves = deviation.withUnsafeBufferPointer { d in
            fisher.error(images: 0, deviation: UnsafeBufferPointer(rebasing: d[0..<(32 * per)]))
                + fisher.error(images: 32, deviation: UnsafeBufferPointer(rebasing: d[(32 * per)...]))
        }
        XCTAssertEqual(whole, halves, accuracy: 1e-9 * whole)
        let shifted = deviation.withUnsafeBufferPointer { fisher.error(images: 1, deviation: UnsafeBufferPointer(rebasing: $0[0..<(32 * per)])) }
        let aligned = deviation.withUnsafeBufferPointer { fisher.error(images: 0, deviation: UnsafeBufferPointer(rebasing: $0[0..<(32 * per)])) }
        XCTAssertNotEqual(shifted, aligned, "each image's Δz must meet its own directions")
    }

    /// With fewer directions than classes, sampled classes estimate the same
    /// Fisher: close to the exact error, and the same for the same seed.
    func testSampledDirectionsEstimateTheExactFisher() {
        let (outputs, rest) = firstBlock()
        let exact = OutputFisher(graph: graph, rest: rest, fpOutputs: outputs)
        let sampled = OutputFisher(graph: graph, rest: rest, fpOutputs: outputs, maxDirections: 3)
        let again = OutputFisher(graph: graph, rest: rest, fpOutputs: outputs, maxDirections: 3)
        XCTAssertEqual(sampled.directionsPerImage, 3)
        let deviation = randomTensor(outputs.shape, seed: 33).data.map { $0 * 0.05 }
        func error(_ f: OutputFisher) -> Double { deviation.withUnsafeBufferPointer { f.error(images: 0, deviation: $0) } }
        XCTAssertEqual(error(sampled), error(again), "same seed, same estimate")
        XCTAssertEqual(error(sampled) / error(exact), 1, accuracy: 0.15)
    }

    func testDirectionCountRespectsTheBudget() {
        XCTAssertEqual(OutputFisher.directionCount(classes: 10, images: 256, per: 16 * 28 * 28), 10)
        XCTAssertEqual(OutputFisher.directionCount(classes: 16, images: 256, per: 16 * 28 * 28), 16, "exact up to 16 classes")
        XCTAssertEqual(OutputFisher.directionCount(classes: 1000, images: 256, per: 16 * 28 * 28), 4, "sampled above")
        // ResNet-18's first block output (64×56×56, 803 KB): 256 images need 205 MB per direction, 1024 images 822 MB.
        XCTAssertEqual(OutputFisher.directionCount(classes: 1000, images: 256, per: 64 * 56 * 56), 4)
        XCTAssertEqual(OutputFisher.directionCount(classes: 10, images: 512, per: 64 * 56 * 56), 2, "what fits 1 GiB")
        XCTAssertEqual(OutputFisher.directionCount(classes: 1000, images: 1024, per: 64 * 56 * 56), 1)
        XCTAssertEqual(OutputFisher.directionCount(classes: 1000, images: Int.max / 2, per: Int.max / 2), 1)
    }
}
