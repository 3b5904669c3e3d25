import TestFixtures
import XCTest
@testable import Tensor

final class LinearTests: XCTestCase {
    func refLinear(x: [Double], w: [Double], b: [Double], n: Int, fin: Int, fout: Int) -> [Double] {
        (0..<n * fout).map { idx in
            let r = idx / fout, o = idx % fout
            return b[o] + (0..<fin).reduce(0) { $0 + x[r * fin + $1] * w[o * fin + $1] }
        }
    }

    func testForwardAndBackward() {
        let (n, fin, fout) = (3, 5, 4)
        let x = randomTensor([n, fin], seed: 91), w = randomTensor([fout, fin], seed: 92)
        let b = randomTensor([fout], seed: 93).data, r = randomTensor([n, fout], seed: 94)
        let y = Linear.forward(input: x, weight: w, bias: b)
        XCTAssertEqual(y.shape, [n, fout])
        assertClose(y.data, refLinear(x: doubles(x), w: doubles(w), b: b.map(Double.init), n: n, fin: fin, fout: fout), atol: 1e-5)
        var dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
        Linear.backward(input: x, weight: w, gradOutput: r, gradInput: &dx, gradWeight: &dw, gradBias: &db)
        let xd = doubles(x), wd = doubles(w), bd = b.map(Double.init), rd = doubles(r)
        assertClose(dx.data, finiteDifferenceGradient(at: xd) { dot(rd, refLinear(x: $0, w: wd, b: bd, n: n, fin: fin, fout: fout)) }, atol: 1e-5)
        assertClose(dw.data, finiteDifferenceGradient(at: wd) { dot(rd, refLinear(x: xd, w: $0, b: bd, n: n, fin: fin, fout: fout)) }, atol: 1e-5)
        assertClose(db, finiteDifferenceGradient(at: bd) { dot(rd, refLinear(x: xd, w: wd, b: $0, n: n, fin: fin, fout: fout)) }, atol: 1e-5)
        XCTAssertEqual(dx.shape, x.shape)
        XCTAssertEqual(dw.shape, w.shape)
    }
}
