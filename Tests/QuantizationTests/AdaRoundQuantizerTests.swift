import XCTest
@testable import Quantization

final class AdaRoundQuantizerTests: XCTestCase {
    /// 4-bit grid Δ=0.1, z=8 per channel: representable range [−0.8, 0.7].
    private let grid = UniformAffineQuantizer(bits: 4, scales: [0.1, 0.05], zeroPoints: [8, 8])

    func testInitialSoftRoundingIsFractionalPart() {
        let w: [Float] = [0.123, -0.456, 0.25, 0.0, -0.0749, 0.31, 0.0125, -0.2]
        let ada = AdaRoundQuantizer(weights: w, grid: grid)
        let h = ada.softRoundings()
        for i in w.indices {
            let scaled = w[i] / grid.scales[i / 4]
            XCTAssertEqual(h[i], scaled - scaled.rounded(.down), accuracy: 1e-5, "weight \(i)")
        }
        // Hand value: 0.123/0.1 = 1.23 → floor 1, h = 0.23, α = −log(1.2/0.33 − 1).
        XCTAssertEqual(ada.floors[0], 1)
        XCTAssertEqual(ada.alpha[0], -Float(Foundation.log(1.2 / 0.33 - 1.0)), accuracy: 1e-4)
    }

    func testSoftWeightsEqualFPWeightsAtInit() {
        var r = FixtureRandom(seed: 3)
        let w = r.array(64, -0.79, 0.69) + r.array(64, -0.39, 0.34)
        let ada = AdaRoundQuantizer(weights: w, grid: grid)
        let soft = ada.softWeights()
        for i in w.indices { XCTAssertEqual(soft[i], w[i], accuracy: 1e-6, "weight \(i)") }
    }

    func testSoftWeightsClampOutsideTheGrid() {
        let ada = AdaRoundQuantizer(weights: [5, -5, 5, -5], grid: grid)
        // ch0 clamps to 0.7 and −0.8; ch1 clamps to 7·0.05 and −8·0.05.
        XCTAssertEqual(ada.softWeights(), [0.7, -0.8, 0.35, -0.4].map { Float($0) })
    }

    func testHardRoundingAtInitIsRoundToNearest() {
        var r = FixtureRandom(seed: 4)
        let w = r.array(40, -0.75, 0.65) + r.array(40, -0.4, 0.35)
        let ada = AdaRoundQuantizer(weights: w, grid: grid)
        XCTAssertEqual(ada.hardLevels(), grid.levels(w))
    }

    func testHardRoundingFollowsSignOfAlpha() {
        var ada = AdaRoundQuantizer(weights: [0.11, 0.11, 0.19, 0.19], grid: UniformAffineQuantizer(bits: 4, scales: [0.1], zeroPoints: [8]))
        ada.alpha = [0.0, -0.01, -3, 3]
        // floor = 1 for all, z = 8: up where α ≥ 0.
        XCTAssertEqual(ada.hardLevels(), [10, 9, 9, 10])
    }

    /// ∂/∂α of Σ c·ŵ + λ·Σ(1 − |2h − 1|^β) against central differences.
    func testAlphaGradientMatchesFiniteDifferences() {
        var r = FixtureRandom(seed: 5)
        let w = r.array(8, -0.7, 0.6) + r.array(8, -0.35, 0.3)
        var ada = AdaRoundQuantizer(weights: w, grid: grid)
        // α away from the rectifier's kinks (|α| < 2.39 keeps h strictly inside (0, 1)).
        ada.alpha = r.array(16, -2, 2)
        let c = r.array(16, -1, 1)
        let lambda: Float = 0.3
        for beta: Float? in [nil, 3, 12] {
            func objective(_ q: AdaRoundQuantizer) -> Double {
                let soft = q.softWeights()
                var total = 0.0
                for i in soft.indices { total += Double(c[i] * soft[i]) }
                if let beta {
                    for h in q.softRoundings() { total += Double(lambda * RoundingRegularizer.penalty(h, beta: beta)) }
                }
                return total
            }
            var g = [Float](repeating: 0, count: 16)
            let reg = c.withUnsafeBufferPointer { cb in
                g.withUnsafeMutableBufferPointer { ada.backward(weightGradient: cb, regularizerWeight: lambda, beta: beta, alphaGradient: $0) }
            }
            if let beta {
                let expected = ada.softRoundings().reduce(Float(0)) { $0 + lambda * RoundingRegularizer.penalty($1, beta: beta) }
                XCTAssertEqual(reg, expected, accuracy: 1e-5)
            } else {
                XCTAssertEqual(reg, 0)
            }
            let eps: Float = 1e-2
            for i in 0..<16 {
                var plus = ada, minus = ada
                plus.alpha[i] += eps
                minus.alpha[i] -= eps
                let fd = Float((objective(plus) - objective(minus)) / Double(2 * eps))
                XCTAssertTrue(close(g[i], fd, relative: 2e-2, absolute: 2e-4), "β \(String(describing: beta)) α[\(i)]: \(g[i]) vs \(fd)")
            }
        }
    }

    func testAlphaGradientIsZeroWhereRectifierSaturates() {
        var ada = AdaRoundQuantizer(weights: [0.15, 0.15], grid: UniformAffineQuantizer(bits: 4, scales: [0.1], zeroPoints: [8]))
        ada.alpha = [5, -5]   // h clamped to 1 and 0
        var g = [Float](repeating: 9, count: 2)
        let upstream: [Float] = [1, 1]
        upstream.withUnsafeBufferPointer { u in
            g.withUnsafeMutableBufferPointer { _ = ada.backward(weightGradient: u, regularizerWeight: 1, beta: 2, alphaGradient: $0) }
        }
        XCTAssertEqual(g, [0, 0])
    }
}
