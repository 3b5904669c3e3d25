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
}
