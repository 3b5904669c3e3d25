import Tensor
import XCTest
import TestFixtures
@testable import Quantization

/// The isolated KL an analysis reports is a KL: never negative, even where the
/// Float computation of two nearly equal outputs rounds below zero (the event
/// reader refuses negative KLs, so a resumed run once stopped on its own log).
final class OutputDivergenceSumsTests: XCTestCase {
    func testNearlyEqualOutputsGiveANonNegativeKL() {
        var roundedBelowZero = 0
        for seed: UInt64 in 1...200 {
            let fp = randomTensor([4, 10], seed: seed)
            // The same logits moved by a few ulps: the true KL is ~1e-14, the Float one ±1e-8.
            let quantized = Tensor(shape: fp.shape, data: fp.data.map { $0.nextUp.nextUp })
            if KLDivergence.forward(targetLogits: fp, logits: quantized) < 0 { roundedBelowZero += 1 }
            var sums = OutputDivergenceSums()
            sums.add(fp: fp, quantized: quantized)
            XCTAssertGreaterThanOrEqual(sums.result.kl, 0, "seed \(seed)")
        }
        XCTAssertGreaterThan(roundedBelowZero, 0, "the cases must include a Float KL below zero, or this test checks nothing")
    }
}
