import Foundation
import XCTest
@testable import Quantization

/// The rounding event's figures, checked against a count made here from the
/// layer's weights with the definitions written out again in Double:
/// round-to-nearest (ties to even, as torch.round) against AdaRound's
/// hard rounding ⌊w/Δ⌋ + [h(α) ≥ ½], both clamped to the grid.
final class RoundingStatisticsTests: XCTestCase {
    /// 3-bit grid, two channels with different steps and zero points (levels 0…7).
    private let grid = UniformAffineQuantizer(bits: 3, scales: [0.1, 0.04], zeroPoints: [4, 3])

    private struct Direct { var flips = 0; var undecided = 0; var histogram = [Int](repeating: 0, count: 10) }

    private func directCount(weights: [Float], alpha: [Float]) -> Direct {
        var d = Direct()
        let per = weights.count / grid.channels
        for i in weights.indices {
            let c = i / per
            let scale = Double(grid.scales[c]), z = Double(grid.zeroPoints[c])
            let x = Double(weights[i]) / scale
            let nearest = min(max(x.rounded(.toNearestOrEven) + z, 0), 7)
            let sigmoid = 1 / (1 + exp(-Double(alpha[i])))
            let h = min(max(sigmoid * 1.2 - 0.1, 0), 1)
            let adaround = min(max(x.rounded(.down) + (alpha[i] >= 0 ? 1 : 0) + z, 0), 7)
            if nearest != adaround { d.flips += 1 }
            if h > 0.1 && h < 0.9 { d.undecided += 1 }
            d.histogram[min(9, Int(h * 10))] += 1
        }
        return d
    }

    func testFlipsUndecidedAndHistogramEqualADirectCount() {
        var r = FixtureRandom(seed: 11)
        // Some weights beyond the grid on both sides, where both roundings clamp.
        let weights = r.array(300, -0.6, 0.5) + r.array(300, -0.16, 0.2)
        var ada = AdaRoundQuantizer(weights: weights, grid: grid)
        // α as optimisation leaves it: most pushed far out, some still in the middle.
        ada.alpha = r.array(weights.count, -6, 6)
        let s = ada.statistics(layer: "conv", weights: weights)
        let d = directCount(weights: weights, alpha: ada.alpha)
        XCTAssertEqual(s.layer, "conv")
        XCTAssertEqual(s.weights, 600)
        XCTAssertEqual(s.flips, d.flips)
        XCTAssertEqual(s.undecided, d.undecided)
        XCTAssertEqual(s.histogram, d.histogram)
        XCTAssertEqual(s.histogram.reduce(0, +), weights.count, "every weight is in one bin")
        // The random α makes about half the roundings disagree with round-to-nearest: a meaningful count.
        XCTAssertGreaterThan(s.flips, 100)
        XCTAssertLessThan(s.flips, 500)
        XCTAssertEqual(s.flipPercent, 100 * Double(d.flips) / 600, accuracy: 1e-12)
    }

    /// At the start h(α) is the fractional part of w/Δ, so AdaRound's hard
    /// rounding is round-to-nearest: no flips, and h spread like the fractions.
    func testNoFlipsAtInitialisation() {
        var r = FixtureRandom(seed: 12)
        let weights = r.array(500, -0.4, 0.35) + r.array(500, -0.12, 0.15)
        let ada = AdaRoundQuantizer(weights: weights, grid: grid)
        let s = ada.statistics(layer: "l", weights: weights)
        XCTAssertEqual(s.flips, directCount(weights: weights, alpha: ada.alpha).flips)
        XCTAssertEqual(s.flips, 0)
        // Uniform fractions: each of the ten bins holds about a tenth, 80 % undecided.
        for n in s.histogram { XCTAssertGreaterThan(n, 50) }
        XCTAssertEqual(Double(s.undecided) / 1000, 0.8, accuracy: 0.06)
    }

    /// Decided weights (|α| large) sit in the end bins and none is undecided;
    /// flipping one α's sign flips exactly that weight.
    func testDecidedRoundingAndOneFlip() {
        let weights: [Float] = [0.12, 0.18, -0.03, 0.07, 0.01, 0.05, -0.05, 0.03]
        var ada = AdaRoundQuantizer(weights: weights, grid: grid)
        ada.alpha = weights.indices.map { i in
            let x = weights[i] / grid.scales[i / 4]
            return x - x.rounded(.down) >= 0.5 ? 10 : -10  // round-to-nearest, decided
        }
        var s = ada.statistics(layer: "l", weights: weights)
        XCTAssertEqual(s.flips, 0)
        XCTAssertEqual(s.undecided, 0)
        XCTAssertEqual(s.histogram[0] + s.histogram[9], 8)
        ada.alpha[1] = -ada.alpha[1]
        s = ada.statistics(layer: "l", weights: weights)
        XCTAssertEqual(s.flips, 1)
    }
}
