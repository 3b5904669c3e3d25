import TestFixtures
import XCTest
import Foundation
@testable import Tensor

final class LossTests: XCTestCase {
    func refLogSoftmax(_ row: [Double]) -> [Double] {
        let m = row.max()!, lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
        return row.map { $0 - lse }
    }

    func testSoftmaxHandValues() {
        let x = Tensor(shape: [2, 3], data: [0, 0, 0, 1, 2, 3])
        let s = Softmax.forward(logits: x)
        let e = [1.0, exp(1.0), exp(2.0)], z = e.reduce(0, +)
        let third: [Double] = [1.0 / 3, 1.0 / 3, 1.0 / 3]
        let expectedSoftmax: [Double] = third + e.map { $0 / z }
        assertClose(s.data, expectedSoftmax, atol: 1e-6)
        let l = Softmax.logForward(logits: x)
        let logThird: [Double] = [-log(3.0), -log(3.0), -log(3.0)]
        let expectedLog: [Double] = logThird + e.map { log($0 / z) }
        assertClose(l.data, expectedLog, atol: 1e-6)
        // Large logits must not overflow.
        let big = Softmax.logForward(logits: Tensor(shape: [1, 2], data: [1000, 0]))
        assertClose(big.data, [0, -1000] as [Double], atol: 1e-3)
    }

    func testKLHandValue() {
        // p = softmax([0, 0]) = (½, ½); q = softmax([log 3, 0]) = (¾, ¼).
        let kl = KLDivergence.forward(targetLogits: Tensor(shape: [1, 2], data: [0, 0]),
                                      logits: Tensor(shape: [1, 2], data: [Float(log(3.0)), 0]))
        let expected = 0.5 * log(0.5 / 0.75) + 0.5 * log(0.5 / 0.25)
        XCTAssertEqual(Double(kl), expected, accuracy: 1e-6)
        XCTAssertEqual(KLDivergence.forward(targetLogits: Tensor(shape: [1, 2], data: [1, 2]),
                                            logits: Tensor(shape: [1, 2], data: [1, 2])), 0, accuracy: 1e-7)
    }

    func testKLGradientMatchesFiniteDifferences() {
        let p = randomTensor([4, 5], seed: 81), q = randomTensor([4, 5], seed: 82)
        var grad = Tensor(zeros: [1])
        let value = KLDivergence.forwardBackward(targetLogits: p, logits: q, gradQLogits: &grad)
        func refKL(_ qd: [Double]) -> Double {
            var total = 0.0
            for r in 0..<4 {
                let lp = refLogSoftmax(doubles(p).slice(r, 5)), lq = refLogSoftmax(qd.slice(r, 5))
                for j in 0..<5 { total += exp(lp[j]) * (lp[j] - lq[j]) }
            }
            return total / 4
        }
        XCTAssertEqual(Double(value), refKL(doubles(q)), accuracy: 1e-6)
        assertClose(grad.data, finiteDifferenceGradient(at: doubles(q), refKL), atol: 1e-6)
    }

    func testSoftmaxBackwardsMatchFiniteDifferences() {
        let x = randomTensor([3, 4], seed: 83), r = randomTensor([3, 4], seed: 84)
        var dx = Tensor(zeros: [1])
        Softmax.backward(output: Softmax.forward(logits: x), gradOutput: r, gradLogits: &dx)
        let fd = finiteDifferenceGradient(at: doubles(x)) { v in
            dot(doubles(r), (0..<3).flatMap { self.refLogSoftmax(v.slice($0, 4)).map { exp($0) } })
        }
        assertClose(dx.data, fd, atol: 1e-6)
        Softmax.logBackward(output: Softmax.logForward(logits: x), gradOutput: r, gradLogits: &dx)
        let fdLog = finiteDifferenceGradient(at: doubles(x)) { v in
            dot(doubles(r), (0..<3).flatMap { self.refLogSoftmax(v.slice($0, 4)) })
        }
        assertClose(dx.data, fdLog, atol: 1e-6)
    }
}

extension Array where Element == Double {
    func slice(_ row: Int, _ cols: Int) -> [Double] { Array(self[row * cols..<(row + 1) * cols]) }
}
