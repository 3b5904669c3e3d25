import Foundation
import TestFixtures
import XCTest
@testable import Tensor

final class SmoothActivationTests: XCTestCase {
    static let all: [SmoothActivation] = [.leakyRelu(alpha: 0.1), .hardSigmoid(alpha: 0.2, beta: 0.5),
                                          .hardSigmoid(alpha: 1.0 / 6, beta: 0.5), .hardSwish, .sigmoid, .tanh]

    /// Independent formulas in Double (ONNX operator definitions).
    static func reference(_ f: SmoothActivation, _ x: Double) -> Double {
        switch f {
        case .leakyRelu(let a): return x < 0 ? Double(a) * x : x
        case let .hardSigmoid(a, b): return max(0, min(1, Double(a) * x + Double(b)))
        case .hardSwish: return x * max(0, min(1, x / 6 + 0.5))
        case .sigmoid: return 1 / (1 + exp(-x))
        case .tanh: return Foundation.tanh(x)
        }
    }

    func testForwardMatchesTheONNXDefinitions() {
        let x = randomTensor([5, 40], seed: 31).data.map { $0 * 8 } + [0, -3, 3, -2.5, 2.5]
        let input = Tensor(shape: [x.count], data: x)
        for f in Self.all {
            var y = Tensor(zeros: [0])
            f.forward(input: input, output: &y)
            assertClose(y.data, x.map { Self.reference(f, Double($0)) }, atol: 1e-6, "\(f)")
        }
    }

    /// Inputs are kept away from the kinks (0 for LeakyReLU, ±3 for the hard functions)
    /// so the finite difference is well defined.
    func testBackwardMatchesFiniteDifferences() {
        var x = randomTensor([3, 40], seed: 41)
        for i in x.data.indices {
            x.data[i] *= 8
            for kink: Float in [0, -3, 3, -2.5, 2.5] where abs(x.data[i] - kink) < 0.05 { x.data[i] += 0.2 }
        }
        let r = randomTensor(x.shape, seed: 42)
        for f in Self.all {
            var dx = Tensor(zeros: [1])
            f.backward(input: x, gradOutput: r, gradInput: &dx)
            let fd = finiteDifferenceGradient(at: doubles(x), step: 1e-3) { v in dot(doubles(r), v.map { Self.reference(f, $0) }) }
            assertClose(dx.data, fd, atol: 1e-5, "\(f)")
        }
    }

    /// PyTorch's choices at the kinks, where the derivative is one-sided.
    func testDerivativesAtTheKinks() {
        XCTAssertEqual(SmoothActivation.leakyRelu(alpha: 0.1).derivative(0), 0.1)
        XCTAssertEqual(SmoothActivation.hardSwish.derivative(-3), -0.5)
        XCTAssertEqual(SmoothActivation.hardSwish.derivative(3), 1.5)
        XCTAssertEqual(SmoothActivation.hardSigmoid(alpha: 0.2, beta: 0.5).derivative(2.5), 0)
    }
}
