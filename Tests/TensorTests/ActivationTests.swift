import TestFixtures
import XCTest
@testable import Tensor

final class ActivationTests: XCTestCase {
    func testClipForwardAsReLUAndReLU6() {
        let x = Tensor(shape: [6], data: [-2, -0.5, 0, 3, 6, 7.5])
        var relu = Tensor(zeros: [0]), relu6 = Tensor(zeros: [0])
        Clip.forward(input: x, min: 0, max: .infinity, output: &relu)
        Clip.forward(input: x, min: 0, max: 6, output: &relu6)
        XCTAssertEqual(relu.data, [0, 0, 0, 3, 6, 7.5])
        XCTAssertEqual(relu6.data, [0, 0, 0, 3, 6, 6])
        var y = x
        Clip.forwardInPlace(&y, min: -1, max: 1)
        XCTAssertEqual(y.data, [-1, -0.5, 0, 1, 1, 1])
    }

    /// Inputs are kept away from the kinks so the finite difference is well defined.
    func testBackwardMatchesFiniteDifferences() {
        var x = randomTensor([3, 40], seed: 71)
        for i in x.data.indices { x.data[i] *= 8; if abs(x.data[i]) < 0.05 || abs(x.data[i] - 6) < 0.05 { x.data[i] += 0.2 } }
        let r = randomTensor(x.shape, seed: 72)
        for (lo, hi) in [(Float(0), Float.infinity), (0, 6), (-1.5, 2.5)] {
            var dx = Tensor(zeros: [1])
            Clip.backward(input: x, gradOutput: r, min: lo, max: hi, gradInput: &dx)
            let fd = finiteDifferenceGradient(at: doubles(x), step: 1e-3) { v in
                dot(doubles(r), v.map { min(max($0, Double(lo)), Double(hi)) })
            }
            assertClose(dx.data, fd, atol: 1e-6, "clip [\(lo), \(hi)]")
            var inPlace = r
            Clip.backwardInPlace(input: x, gradient: &inPlace, min: lo, max: hi)
            XCTAssertEqual(inPlace.data, dx.data)
        }
    }

    /// The eight-lane loops and their scalar tails against a plain loop, at the kinks too.
    func testVectorLoopsAndTailsMatchTheScalarRule() {
        for count in [1, 7, 8, 9, 16, 23, 40] {
            var x = randomTensor([count], seed: UInt64(80 + count))
            for i in x.data.indices { x.data[i] *= 8; if i % 5 == 0 { x.data[i] = 0 }; if i % 7 == 3 { x.data[i] = 6 } }
            let g = randomTensor([count], seed: UInt64(90 + count))
            var y = Tensor(zeros: [1]), dx = Tensor(zeros: [1])
            Clip.forward(input: x, min: 0, max: 6, output: &y)
            Clip.backward(input: x, gradOutput: g, min: 0, max: 6, gradInput: &dx)
            XCTAssertEqual(y.data, x.data.map { min(max($0, 0), 6) }, "forward, \(count)")
            XCTAssertEqual(dx.data, zip(x.data, g.data).map { $0 > 0 && $0 < 6 ? $1 : 0 }, "backward, \(count)")
        }
    }

    func testAddAndFlatten() {
        let a = Tensor(shape: [2, 2], data: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], data: [10, 20, 30, 40])
        XCTAssertEqual((a + b).data, [11, 22, 33, 44])
        var c = a
        c.add(b, scaledBy: 0.5)
        XCTAssertEqual(c.data, [6, 12, 18, 24])
        let t = Tensor(zeros: [2, 3, 4, 5])
        XCTAssertEqual(t.flattened().shape, [2, 60])
        XCTAssertEqual(t.flattened(axis: 2).shape, [6, 20])
        XCTAssertEqual(t.flattened(axis: 0).shape, [1, 120])
    }
}
