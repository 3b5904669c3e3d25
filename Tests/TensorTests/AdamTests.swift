import XCTest
@testable import Tensor

final class AdamTests: XCTestCase {
    /// f(x) = ½·a·x², gradient a·x. Hand-computed first steps of Adam with bias correction.
    func testFirstStepsOnQuadratic() {
        let a: [Float] = [1, 4]
        var x: [Float] = [1, -2]
        var adam = Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        // Step 1: m̂ = g, v̂ = g², so every coordinate moves by lr·sign(g).
        adam.update(&x, gradients: zip(a, x).map { $0 * $1 })
        XCTAssertEqual(x[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(x[1], -1.9, accuracy: 1e-6)
        // Step 2 by hand for coordinate 0: g1 = 1, g2 = 0.9.
        let m = 0.9 * (0.1 * 1.0) + 0.1 * 0.9, v = 0.999 * (0.001 * 1.0) + 0.001 * 0.81
        let mHat = m / (1 - 0.81), vHat = v / (1 - 0.998001)
        let expected0 = 0.9 - 0.05 * mHat / (vHat.squareRoot() + 1e-8)
        adam.update(&x, gradients: zip(a, x).map { $0 * $1 }, learningRate: 0.05)
        XCTAssertEqual(Double(x[0]), expected0, accuracy: 1e-6)
        XCTAssertEqual(adam.step, 2)
        XCTAssertEqual(adam.learningRate, 0.05)
        // Many steps converge towards the minimum.
        for _ in 0..<500 { adam.update(&x, gradients: zip(a, x).map { $0 * $1 }) }
        XCTAssertLessThan(abs(x[0]), 0.05)
        XCTAssertLessThan(abs(x[1]), 0.05)
        adam.reset()
        XCTAssertEqual(adam.step, 0)
    }

    /// Every kernel build against Adam's formulas in Double, over 8 steps of
    /// arbitrary gradients, on a length that leaves a partial last vector at
    /// every width, and split into chunks the same as whole.
    func testEveryBuildMatchesADoubleReference() {
        let n = 37  // not a multiple of 4, 8 or 16
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2000 - 1000) / 500
        }
        let start = (0..<n).map { _ in next() }
        let gradients = (0..<8).map { _ in (0..<n).map { i in next() * (i % 3 == 0 ? 1e-3 : 1) } }
        var expected = start.map(Double.init), m = [Double](repeating: 0, count: n), v = m
        for (t, g) in gradients.enumerated() {
            let c1 = 1 - Foundation.pow(0.9, Double(t + 1)), c2 = 1 - Foundation.pow(0.999, Double(t + 1))
            for i in 0..<n {
                m[i] = 0.9 * m[i] + 0.1 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                expected[i] -= 0.01 * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
            }
        }
        for isa in ConvInstructionSet.available {
            var x = start
            var adam = Adam(learningRate: 0.01)
            for g in gradients { adam.update(&x, gradients: g, isa: isa) }
            for i in 0..<n { XCTAssertEqual(Double(x[i]), expected[i], accuracy: 1e-5, "\(isa.name) parameter \(i)") }
        }
    }
}
