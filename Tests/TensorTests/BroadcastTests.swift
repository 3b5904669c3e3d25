import TestFixtures
import XCTest
@testable import Tensor

/// Broadcast Add / Mul and Concat: values against plain loops, and the Mul and
/// Concat gradients against finite differences.
final class BroadcastTests: XCTestCase {
    func testBroadcastAddAndMultiplyPairElementsUnderNumPyRules() {
        let x = randomTensor([2, 3, 2, 2], seed: 1)
        for shape in [[2, 3, 1, 1], [3, 1, 1], [1, 2], [1], [2, 3, 2, 2]] {
            let y = randomTensor(shape, seed: 2)
            var sum = Tensor(zeros: [0]), product = Tensor(zeros: [0])
            Tensor.broadcastAdd(x, y, into: &sum)
            Tensor.broadcastMultiply(x, y, into: &product)
            let padded = Array(repeating: 1, count: 4 - shape.count) + shape
            for n in 0..<2 { for c in 0..<3 { for h in 0..<2 { for w in 0..<2 {
                let i = ((n * 3 + c) * 2 + h) * 2 + w
                let index = zip([n, c, h, w], padded).map { $1 == 1 ? 0 : $0 }
                let j = ((index[0] * padded[1] + index[1]) * padded[2] + index[2]) * padded[3] + index[3]
                XCTAssertEqual(sum.data[i], x.data[i] + y.data[j], "\(shape)")
                XCTAssertEqual(product.data[i], x.data[i] * y.data[j], "\(shape)")
            } } } }
        }
    }

    /// L = Σ r · (x ⊙ broadcast(g)): ∂L/∂x = r ⊙ g, ∂L/∂g = Σ over the broadcast axes of r ⊙ x.
    func testMultiplyGradientsMatchFiniteDifferences() {
        let x = randomTensor([2, 3, 2, 2], seed: 3), r = randomTensor([2, 3, 2, 2], seed: 4)
        for shape in [[2, 3, 1, 1], [3, 1, 1], [2, 3, 2, 2]] {
            let g = randomTensor(shape, seed: 5)
            func loss(_ xv: [Double], _ gv: [Double]) -> Double {
                var out = Tensor(zeros: [0])
                Tensor.broadcastMultiply(Tensor(shape: x.shape, data: xv.map(Float.init)), Tensor(shape: shape, data: gv.map(Float.init)), into: &out)
                return dot(doubles(r), doubles(out))
            }
            var dx = Tensor(zeros: [0]), dg = Tensor(zeros: [0])
            Tensor.broadcastMultiply(r, g, into: &dx)
            Tensor.sumOfProducts(r, x, reducedTo: shape, into: &dg)
            assertClose(dx.data, finiteDifferenceGradient(at: doubles(x), step: 1e-3) { loss($0, doubles(g)) }, atol: 1e-3, "dx \(shape)")
            assertClose(dg.data, finiteDifferenceGradient(at: doubles(g), step: 1e-3) { loss(doubles(x), $0) }, atol: 1e-3, "dgate \(shape)")
        }
    }

    func testConcatenateAndSliceAreInverse() {
        let a = randomTensor([2, 3, 2, 2], seed: 6), b = randomTensor([2, 1, 2, 2], seed: 7)
        var joined = Tensor(zeros: [0])
        Tensor.concatenate([a, b], axis: 1, into: &joined)
        XCTAssertEqual(joined.shape, [2, 4, 2, 2])
        XCTAssertEqual(Array(joined.data[0..<12]), Array(a.data[0..<12]))
        XCTAssertEqual(Array(joined.data[12..<16]), Array(b.data[0..<4]))
        var part = Tensor(zeros: [0])
        Tensor.slice(joined, axis: 1, offset: 0, length: 3, into: &part)
        XCTAssertEqual(part, a)
        Tensor.slice(joined, axis: 1, offset: 3, length: 1, into: &part)
        XCTAssertEqual(part, b)
        Tensor.concatenate([a, a], axis: 3, into: &joined)
        XCTAssertEqual(joined.shape, [2, 3, 2, 4])
        XCTAssertEqual(Array(joined.data[0..<4]), [a.data[0], a.data[1], a.data[0], a.data[1]])
    }
}
