import TestFixtures
import XCTest
@testable import Tensor

final class PoolingTests: XCTestCase {
    // 1×1×4×4 input 0…15.
    let grid = Tensor(shape: [1, 1, 4, 4], data: (0..<16).map(Float.init))

    func testMaxPoolHandValues() {
        let y = MaxPool2D.forward(input: grid, parameters: Pool2DParameters(kernel: 2))
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.data, [5, 7, 13, 15])
        // 3×3 stride 2 pad 1: windows clipped at the border, padding never wins.
        let neg = Tensor(shape: grid.shape, data: grid.data.map { -$0 })
        let z = MaxPool2D.forward(input: neg, parameters: Pool2DParameters(kernel: 3, stride: 2, padding: 1))
        XCTAssertEqual(z.shape, [1, 1, 2, 2])
        XCTAssertEqual(z.data, [0, -1, -4, -5])
    }

    func testAveragePoolExcludesPaddingByDefault() {
        let p = Pool2DParameters(kernel: 3, stride: 2, padding: 1)
        let y = AveragePool2D.forward(input: grid, parameters: p)
        // Windows start at -1 and 1: top-left covers 0,1,4,5 → 2.5 (divides by 4, not 9);
        // top-right covers cols 1…3 of rows 0…1 → 24/6; bottom-left rows 1…3 cols 0…1 → 51/6.
        XCTAssertEqual(y.data, [2.5, 4, 8.5, 10])
        var q = p; q.countIncludePad = true
        let z = AveragePool2D.forward(input: grid, parameters: q)
        // Same sums, all divided by the full 3×3 window.
        let expected: [Double] = [10.0 / 9, 24.0 / 9, 51.0 / 9, 90.0 / 9]
        assertClose(z.data, expected, atol: 1e-6)
    }

    func testCeilModeOutputSize() {
        let p = Pool2DParameters(kernel: 2, stride: 2, ceilMode: true)
        XCTAssertEqual(p.outputSize(height: 5, width: 4).height, 3)
        XCTAssertEqual(p.outputSize(height: 5, width: 4).width, 2)
        let x = Tensor(shape: [1, 1, 5, 1], data: [1, 2, 3, 4, 5])
        let y = AveragePool2D.forward(input: x, parameters: Pool2DParameters(kernelHeight: 2, kernelWidth: 1, strideHeight: 2, strideWidth: 1, ceilMode: true))
        XCTAssertEqual(y.data, [1.5, 3.5, 5])
    }

    func testGlobalAveragePool() {
        let x = Tensor(shape: [2, 2, 1, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let y = GlobalAveragePool.forward(input: x)
        XCTAssertEqual(y.shape, [2, 2, 1, 1])
        XCTAssertEqual(y.data, [2, 5, 8, 11])
    }

    /// Double reference for both pools, for finite differences.
    func referencePool(_ x: [Double], shape: [Int], _ p: Pool2DParameters, max useMax: Bool) -> [Double] {
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (oh, ow) = p.outputSize(height: h, width: w)
        var y: [Double] = []
        for plane in 0..<n * c { for oy in 0..<oh { for ox in 0..<ow {
            var values: [Double] = []
            for ky in 0..<p.kernelHeight { for kx in 0..<p.kernelWidth {
                let iy = oy * p.strideHeight - p.padTop + ky, ix = ox * p.strideWidth - p.padLeft + kx
                if iy >= 0, iy < h, ix >= 0, ix < w { values.append(x[(plane * h + iy) * w + ix]) }
            } }
            y.append(useMax ? values.max()! : values.reduce(0, +) / Double(values.count))
        } } }
        return y
    }

    func testBackwardMatchesFiniteDifferences() {
        let p = Pool2DParameters(kernel: 3, stride: 2, padding: 1)
        let x = randomTensor([2, 3, 7, 6], seed: 61)  // distinct values: no max ties
        let r = randomTensor([2, 3, 4, 3], seed: 62)
        var dx = Tensor(zeros: [1])
        MaxPool2D.backward(input: x, gradOutput: r, parameters: p, gradInput: &dx)
        let fdMax = finiteDifferenceGradient(at: doubles(x), step: 1e-6) { dot(doubles(r), referencePool($0, shape: x.shape, p, max: true)) }
        assertClose(dx.data, fdMax, atol: 1e-4)
        AveragePool2D.backward(inputShape: x.shape, gradOutput: r, parameters: p, gradInput: &dx)
        let fdAvg = finiteDifferenceGradient(at: doubles(x)) { dot(doubles(r), referencePool($0, shape: x.shape, p, max: false)) }
        assertClose(dx.data, fdAvg, atol: 1e-5)
        XCTAssertEqual(MaxPool2D.forward(input: x, parameters: p).data.map(Double.init),
                       referencePool(doubles(x), shape: x.shape, p, max: true))
        assertClose(AveragePool2D.forward(input: x, parameters: p).data, referencePool(doubles(x), shape: x.shape, p, max: false), atol: 1e-6)
    }

    func testGlobalAverageBackwardMatchesFiniteDifferences() {
        let x = randomTensor([2, 3, 3, 5], seed: 63), r = randomTensor([2, 3, 1, 1], seed: 64)
        var dx = Tensor(zeros: [1])
        GlobalAveragePool.backward(inputShape: x.shape, gradOutput: r, gradInput: &dx)
        let fd = finiteDifferenceGradient(at: doubles(x)) { v in
            dot(doubles(r), (0..<6).map { plane in v[plane * 15..<(plane + 1) * 15].reduce(0, +) / 15 })
        }
        assertClose(dx.data, fd, atol: 1e-6)
    }
}
