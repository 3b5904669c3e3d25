import XCTest
@testable import Quantization

/// The reconstruction loss and its gradient against the formula in Double:
/// plain squared error (the vectorised pass), Fisher-weighted, and p ≠ 2.
final class ReconstructionLossTests: XCTestCase {
    func testLossAndGradientMatchTheFormulaInDouble() {
        var r = FixtureRandom(seed: 31)
        let channels = 3, count = channels * 1031   // past one 1024-element block, not a multiple of 16
        let prediction = r.array(count, -2, 2), target = r.array(count, -2, 2), fisher = r.array(count, 0.5, 3)
        let positions = Double(count / channels)
        for (p, weighted) in [(Float(2), false), (2, true), (3, false), (2.4, false)] {
            var expectedLoss = 0.0
            var expectedGradient = [Double](repeating: 0, count: count)
            for i in 0..<count {
                let e = Double(prediction[i]) - Double(target[i])
                if weighted {
                    let w = Double(fisher[i]) * Double(fisher[i])
                    expectedLoss += e * e * w
                    expectedGradient[i] = 2 * e * w / positions
                } else {
                    expectedLoss += pow(abs(e), Double(p))
                    expectedGradient[i] = Double(p) * pow(abs(e), Double(p) - 1) * (e >= 0 ? 1 : -1) / positions
                }
            }
            expectedLoss /= positions
            var gradient = [Float](repeating: .nan, count: count)
            let loss = prediction.withUnsafeBufferPointer { y in
                target.withUnsafeBufferPointer { t in
                    fisher.withUnsafeBufferPointer { f in
                        gradient.withUnsafeMutableBufferPointer { g in
                            ReconstructionLoss.evaluate(prediction: y, target: t, fisher: weighted ? f : nil, p: p,
                                                        channels: channels, gradient: g)
                        }
                    }
                }
            }
            let what = "p \(p)\(weighted ? " Fisher" : "")"
            XCTAssertEqual(loss, expectedLoss, accuracy: 1e-5 * expectedLoss, what)
            for i in 0..<count { XCTAssertEqual(Double(gradient[i]), expectedGradient[i], accuracy: 1e-6 * max(1, abs(expectedGradient[i])) / positions * 10, "\(what) [\(i)]") }
            // Without a gradient buffer the loss is the same.
            let lossOnly = prediction.withUnsafeBufferPointer { y in
                target.withUnsafeBufferPointer { t in
                    fisher.withUnsafeBufferPointer { f in
                        ReconstructionLoss.evaluate(prediction: y, target: t, fisher: weighted ? f : nil, p: p,
                                                    channels: channels, gradient: nil)
                    }
                }
            }
            XCTAssertEqual(lossOnly, loss, what)
        }
    }
}
