import XCTest
import Tensor
@testable import Quantization

/// The vectorised soft-weight and α-gradient passes (`ck_adaround_*`, with
/// polynomial exp/log2/exp2) against the same formulas in Double with libm,
/// on every kernel build this CPU runs.
final class AdaRoundKernelTests: XCTestCase {
    /// 4-bit grids; channel sizes 1, 7, 17, 40 and 70 put every weight count
    /// modulo 4, 8 and 16 through the padded last vector.
    private func fixture(channelSize: Int, seed: UInt64) -> (AdaRoundQuantizer, [Float]) {
        var r = FixtureRandom(seed: seed)
        let channels = 3
        let grid = UniformAffineQuantizer(bits: 4, scales: [0.1, 0.05, 0.02], zeroPoints: [8, 3, 15])
        let w = r.array(channels * channelSize, -0.9, 0.9)
        var ada = AdaRoundQuantizer(weights: w, grid: grid)
        // α from deep saturation (−30, +30: h clamped, e^−α far out of the
        // polynomial's range before the clamp) through the rectifier's kinks.
        let special: [Float] = [-30, 30, -2.3979, 2.3979, 0, -1e-7, 1e-7, 88, -88, 1, -1]
        for i in ada.alpha.indices { ada.alpha[i] = i < special.count ? special[i] : r.uniform(-6, 6) }
        return (ada, r.array(channels * channelSize, -1, 1))
    }

    private func referenceSoftRounding(_ a: Float) -> Double {
        let s = 1 / (1 + Foundation.exp(-Double(a)))
        return min(max(s * Double(AdaRoundQuantizer.zeta - AdaRoundQuantizer.gamma) + Double(AdaRoundQuantizer.gamma), 0), 1)
    }

    func testSoftWeightsMatchADoubleReferenceOnEveryBuild() {
        for size in [1, 7, 17, 40, 70] {
            let (ada, _) = fixture(channelSize: size, seed: UInt64(size))
            for isa in ConvInstructionSet.available {
                var out = [Float](repeating: .nan, count: ada.count)
                out.withUnsafeMutableBufferPointer { ada.softWeights(into: $0, isa: isa) }
                for i in out.indices {
                    let c = i / size, delta = Double(ada.grid.scales[c]), z = Double(ada.grid.zeroPoints[c])
                    let level = min(max(Double(ada.floors[i]) + referenceSoftRounding(ada.alpha[i]) + z, 0), Double(ada.grid.maxLevel))
                    let expected = (level - z) * delta
                    XCTAssertEqual(Double(out[i]), expected, accuracy: 4e-7 * delta * 16, "\(isa.name) size \(size) weight \(i) α \(ada.alpha[i])")
                }
            }
        }
    }

    func testAlphaGradientAndPenaltyMatchADoubleReferenceOnEveryBuild() {
        let lambda: Float = 0.01
        for size in [1, 7, 17, 40, 70] {
            let (ada, upstream) = fixture(channelSize: size, seed: 100 + UInt64(size))
            for beta: Float? in [nil, 2, 7.3, 20] {
                // Reference: the derivative chain of AdaRoundQuantizer's doc comment, in Double.
                var expectedGrad = [Double](repeating: 0, count: ada.count)
                var expectedPenalty = 0.0
                let span = Double(AdaRoundQuantizer.zeta - AdaRoundQuantizer.gamma)
                for i in expectedGrad.indices {
                    let c = i / size
                    let s = 1 / (1 + Foundation.exp(-Double(ada.alpha[i])))
                    let h = s * span + Double(AdaRoundQuantizer.gamma)
                    guard h >= 0 && h <= 1 else { continue }
                    let level = Double(ada.floors[i]) + h + Double(ada.grid.zeroPoints[c])
                    var dh = level >= 0 && level <= Double(ada.grid.maxLevel) ? Double(upstream[i]) * Double(ada.grid.scales[c]) : 0
                    if let beta {
                        let u = 2 * h - 1, b = Double(beta)
                        expectedPenalty += 1 - Foundation.pow(abs(u), b)
                        if u != 0 { dh += Double(lambda) * -2 * b * Foundation.pow(abs(u), b - 1) * (u > 0 ? 1 : -1) }
                    }
                    expectedGrad[i] = dh * span * s * (1 - s)
                }
                let scale = max(expectedGrad.map(abs).max() ?? 0, 1e-12)
                for isa in ConvInstructionSet.available {
                    var grad = [Float](repeating: .nan, count: ada.count)
                    let regularizer = upstream.withUnsafeBufferPointer { u in
                        grad.withUnsafeMutableBufferPointer {
                            ada.backward(weightGradient: u, regularizerWeight: lambda, beta: beta, alphaGradient: $0, isa: isa)
                        }
                    }
                    let what = "\(isa.name) size \(size) β \(beta.map { "\($0)" } ?? "off")"
                    for i in grad.indices {
                        XCTAssertEqual(Double(grad[i]), expectedGrad[i], accuracy: 2e-5 * scale, "\(what) α[\(i)] = \(ada.alpha[i])")
                    }
                    XCTAssertEqual(Double(regularizer), Double(lambda) * expectedPenalty,
                                   accuracy: 1e-5 * Double(lambda) * max(expectedPenalty, 1), what)
                }
            }
        }
    }

    /// A weight's soft value and α gradient do not depend on where it falls in
    /// its channel (whole vector or padded last one): a channel's values equal
    /// the same α computed one weight per channel.
    func testAWeightsResultDoesNotDependOnItsPositionInTheChannel() {
        var r = FixtureRandom(seed: 9)
        let n = 37
        let w = r.array(n, -0.7, 0.6)
        var wide = AdaRoundQuantizer(weights: w, grid: UniformAffineQuantizer(bits: 4, scales: [0.1], zeroPoints: [8]))
        wide.alpha = r.array(n, -4, 4)
        var single = AdaRoundQuantizer(weights: w, grid: UniformAffineQuantizer(bits: 4, scales: [Float](repeating: 0.1, count: n),
                                                                                 zeroPoints: [Float](repeating: 8, count: n)))
        single.alpha = wide.alpha
        let upstream = r.array(n, -1, 1)
        for isa in ConvInstructionSet.available {
            var a = [Float](repeating: 0, count: n), b = a, ga = a, gb = a
            a.withUnsafeMutableBufferPointer { wide.softWeights(into: $0, isa: isa) }
            b.withUnsafeMutableBufferPointer { single.softWeights(into: $0, isa: isa) }
            XCTAssertEqual(a, b, isa.name)
            upstream.withUnsafeBufferPointer { u in
                ga.withUnsafeMutableBufferPointer { _ = wide.backward(weightGradient: u, regularizerWeight: 0.1, beta: 6, alphaGradient: $0, isa: isa) }
                gb.withUnsafeMutableBufferPointer { _ = single.backward(weightGradient: u, regularizerWeight: 0.1, beta: 6, alphaGradient: $0, isa: isa) }
            }
            XCTAssertEqual(ga, gb, isa.name)
        }
    }
}
