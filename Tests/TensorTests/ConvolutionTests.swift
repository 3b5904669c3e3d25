import TestFixtures
import XCTest
@testable import Tensor

final class ConvolutionTests: XCTestCase {
    struct Case: CustomStringConvertible {
        var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
        var kernel: Int, stride: Int, padding: Int, groups: Int
        var description: String {
            "N\(batch) C\(inChannels)→\(outChannels) \(height)×\(width) k\(kernel) s\(stride) p\(padding) g\(groups)"
        }
    }

    /// The brief's grid: stride 1/2 × padding 0/1 × groups 1/C × kernel 1/3 × batch 1/32, odd sizes.
    static var grid: [Case] {
        var cases: [Case] = []
        for batch in [1, 32] { for kernel in [1, 3] { for stride in [1, 2] { for padding in [0, 1] { for depthwise in [false, true] {
            let c = batch == 1 ? 6 : 3
            cases.append(Case(batch: batch, inChannels: c, outChannels: depthwise ? c : 4,
                              height: batch == 1 ? 9 : 7, width: batch == 1 ? 7 : 5,
                              kernel: kernel, stride: stride, padding: padding, groups: depthwise ? c : 1))
        } } } } }
        // Grouped (2 channels per group) and a depthwise channel multiplier.
        cases.append(Case(batch: 2, inChannels: 4, outChannels: 6, height: 5, width: 7, kernel: 3, stride: 1, padding: 1, groups: 2))
        cases.append(Case(batch: 2, inChannels: 3, outChannels: 6, height: 5, width: 5, kernel: 3, stride: 2, padding: 1, groups: 3))
        return cases
    }

    func check(_ tc: Case, budget: Int = 1 << 20, file: StaticString = #filePath, line: UInt = #line) {
        let params = Conv2DParameters(stride: tc.stride, padding: tc.padding, groups: tc.groups)
        let x = randomTensor([tc.batch, tc.inChannels, tc.height, tc.width], seed: 11)
        let w = randomTensor([tc.outChannels, tc.inChannels / tc.groups, tc.kernel, tc.kernel], seed: 12)
        let bias = randomTensor([tc.outChannels], seed: 13).data
        var workspace = Conv2DWorkspace(columnBudgetBytes: budget)
        var y = Tensor(zeros: [1])
        Conv2D.forward(input: x, weight: w, bias: bias, parameters: params, output: &y, workspace: &workspace)
        let ref = referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                bias: bias.map(Double.init), params)
        XCTAssertEqual(y.shape, ref.shape, "\(tc)", file: file, line: line)
        assertClose(y.data, ref.y, atol: 1e-4, "forward \(tc)", file: file, line: line)

        let dy = randomTensor(ref.shape, seed: 14)
        var dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
        Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: params,
                        gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &workspace)
        let refB = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, dy: doubles(dy), params)
        XCTAssertEqual(dx.shape, x.shape, file: file, line: line)
        XCTAssertEqual(dw.shape, w.shape, file: file, line: line)
        assertClose(dx.data, refB.dx, atol: 1e-4, "gradInput \(tc)", file: file, line: line)
        assertClose(dw.data, refB.dw, atol: 1e-3, rtol: 1e-4, "gradWeight \(tc)", file: file, line: line)
        assertClose(db, refB.db, atol: 1e-3, "gradBias \(tc)", file: file, line: line)
    }

    func testGridAgainstDirectLoops() {
        // Budget 0 forces one sample per chunk (GEMMs straight into NCHW, weight
        // gradients accumulated across chunks); the default batches samples.
        for tc in Self.grid { check(tc); check(tc, budget: 0) }
    }

    /// Shapes large enough that every kernel takes its multi-threaded path.
    func testParallelPathsAgainstDirectLoops() {
        check(Case(batch: 4, inChannels: 8, outChannels: 8, height: 14, width: 13, kernel: 3, stride: 1, padding: 1, groups: 8))
        check(Case(batch: 4, inChannels: 8, outChannels: 8, height: 14, width: 13, kernel: 3, stride: 2, padding: 1, groups: 8))
        check(Case(batch: 3, inChannels: 8, outChannels: 16, height: 15, width: 14, kernel: 3, stride: 1, padding: 1, groups: 1))
    }

    /// Multi-sample chunks (gather/scatter path) and one-sample chunks must agree with the reference.
    func testChunkingDoesNotChangeResults() {
        let tc = Case(batch: 5, inChannels: 3, outChannels: 4, height: 6, width: 5, kernel: 3, stride: 1, padding: 1, groups: 1)
        for budget in [0, 3 * 27 * 30 * 4, 1 << 24] { check(tc, budget: budget) }
    }

    func testAsymmetricPadding() {
        let params = Conv2DParameters(strideHeight: 2, strideWidth: 1, padTop: 0, padLeft: 2, padBottom: 1, padRight: 0, groups: 1)
        for groups in [1, 2] {
            var p = params; p.groups = groups
            let x = randomTensor([2, 2, 6, 5], seed: 21), w = randomTensor([2, 2 / groups, 3, 2], seed: 22)
            let y = Conv2D.forward(input: x, weight: w, parameters: p)
            let ref = referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, bias: nil, p)
            XCTAssertEqual(y.shape, ref.shape)
            assertClose(y.data, ref.y, atol: 1e-5)
            let dy = randomTensor(ref.shape, seed: 23)
            var dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
            var ws = Conv2DWorkspace()
            Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: p, gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &ws)
            let refB = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, dy: doubles(dy), p)
            assertClose(dx.data, refB.dx, atol: 1e-5)
            assertClose(dw.data, refB.dw, atol: 1e-5)
        }
    }

    /// im2col against indexing by hand: strides 1, 2 and
    /// 3, padding wider than the kernel reaches, non-square kernels, two samples
    /// of a chunk (each at its column offset).
    func testUnfoldOnEveryBuildMatchesIndexing() {
        let shapes: [(h: Int, w: Int, kh: Int, kw: Int, sh: Int, sw: Int, pt: Int, pl: Int, pb: Int, pr: Int)] = [
            (7, 9, 3, 3, 2, 2, 1, 1, 1, 1), (6, 5, 3, 2, 2, 1, 0, 2, 1, 0), (11, 13, 3, 3, 3, 3, 4, 4, 4, 4),
            (5, 5, 1, 1, 2, 2, 0, 0, 0, 0), (8, 31, 7, 7, 2, 2, 3, 3, 3, 3), (4, 4, 1, 1, 1, 1, 0, 0, 0, 0),
        ]
        for (k, shape) in shapes.enumerated() {
            let p = Conv2DParameters(strideHeight: shape.sh, strideWidth: shape.sw, padTop: shape.pt, padLeft: shape.pl,
                                     padBottom: shape.pb, padRight: shape.pr, groups: 1)
            let x = randomTensor([3, 2, shape.h, shape.w], seed: UInt64(40 + k))
            let g = ConvGeometry(inputShape: x.shape, weightShape: [4, 2, shape.kh, shape.kw], parameters: p)
            let samples = 2, ld = samples * g.outPlane
            var expected = [Float](repeating: -7, count: g.patchSize * ld)
            for ci in 0..<2 { for ky in 0..<shape.kh { for kx in 0..<shape.kw { for s in 0..<samples {
                for oy in 0..<g.outHeight { for ox in 0..<g.outWidth {
                    let iy = oy * shape.sh + ky - shape.pt, ix = ox * shape.sw + kx - shape.pl
                    let inside = iy >= 0 && iy < shape.h && ix >= 0 && ix < shape.w
                    let row = (ci * shape.kh + ky) * shape.kw + kx
                    expected[row * ld + s * g.outPlane + oy * g.outWidth + ox] =
                        inside ? x.data[(((1 + s) * 2 + ci) * shape.h + iy) * shape.w + ix] : 0
                } }
            } } } }
            var columns = [Float](repeating: -7, count: expected.count)
            x.data.withUnsafeBufferPointer { input in
                columns.withUnsafeMutableBufferPointer {
                    Im2Col.unfold(g, input: input.baseAddress!, firstSample: 1, samples: samples, group: 0,
                                  columns: $0.baseAddress!)
                }
            }
            XCTAssertEqual(columns, expected, "shape \(k)")
        }
    }

    /// The direct-loop adjoint used above is itself checked against finite differences
    /// of the Double reference, so the grid test rests on more than two loops agreeing.
    func testReferenceBackwardMatchesFiniteDifferences() {
        for (groups, cin, cout) in [(1, 2, 3), (2, 2, 2)] {
            let p = Conv2DParameters(stride: 2, padding: 1, groups: groups)
            let xShape = [2, cin, 5, 4], wShape = [cout, cin / groups, 3, 3]
            let x = doubles(randomTensor(xShape, seed: 31)), w = doubles(randomTensor(wShape, seed: 32))
            let b = doubles(randomTensor([cout], seed: 34))
            let outShape = referenceConv(x: x, xShape: xShape, w: w, wShape: wShape, bias: nil, p).shape
            let r = doubles(randomTensor(outShape, seed: 33))
            let analytic = referenceConvBackward(x: x, xShape: xShape, w: w, wShape: wShape, dy: r, p)
            let fdx = finiteDifferenceGradient(at: x) { dot(r, referenceConv(x: $0, xShape: xShape, w: w, wShape: wShape, bias: b, p).y) }
            let fdw = finiteDifferenceGradient(at: w) { dot(r, referenceConv(x: x, xShape: xShape, w: $0, wShape: wShape, bias: b, p).y) }
            let fdb = finiteDifferenceGradient(at: b) { dot(r, referenceConv(x: x, xShape: xShape, w: w, wShape: wShape, bias: $0, p).y) }
            for (a, f) in [(analytic.dx, fdx), (analytic.dw, fdw), (analytic.db, fdb)] {
                for i in a.indices { XCTAssertEqual(a[i], f[i], accuracy: 1e-6) }
            }
        }
    }

    /// Our float kernels against finite differences of the Double reference directly.
    func testBackwardMatchesFiniteDifferences() {
        for depthwise in [false, true] {
            let cin = 3, cout = depthwise ? 3 : 2
            let p = Conv2DParameters(stride: 1, padding: 1, groups: depthwise ? 3 : 1)
            let x = randomTensor([2, cin, 5, 5], seed: 41), w = randomTensor([cout, depthwise ? 1 : cin, 3, 3], seed: 42)
            let y = Conv2D.forward(input: x, weight: w, parameters: p)
            let r = randomTensor(y.shape, seed: 43)
            var dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
            var ws = Conv2DWorkspace()
            Conv2D.backward(input: x, weight: w, gradOutput: r, parameters: p, gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &ws)
            let xd = doubles(x), wd = doubles(w), rd = doubles(r)
            let fdx = finiteDifferenceGradient(at: xd) { dot(rd, referenceConv(x: $0, xShape: x.shape, w: wd, wShape: w.shape, bias: nil, p).y) }
            let fdw = finiteDifferenceGradient(at: wd) { dot(rd, referenceConv(x: xd, xShape: x.shape, w: $0, wShape: w.shape, bias: nil, p).y) }
            assertClose(dx.data, fdx, atol: 1e-4, "depthwise=\(depthwise)")
            assertClose(dw.data, fdw, atol: 1e-4, "depthwise=\(depthwise)")
        }
    }

    func testSeparateBackwardEntryPointsAgreeWithCombined() {
        let p = Conv2DParameters(stride: 1, padding: 1)
        let x = randomTensor([3, 4, 6, 6], seed: 51), w = randomTensor([5, 4, 3, 3], seed: 52)
        let dy = randomTensor([3, 5, 6, 6], seed: 53)
        var ws = Conv2DWorkspace()
        var dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
        Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: p, gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &ws)
        var dx2 = Tensor(zeros: [1]), dw2 = Tensor(zeros: [1])
        Conv2D.backwardInput(input: x, weight: w, gradOutput: dy, parameters: p, gradInput: &dx2, workspace: &ws)
        Conv2D.backwardWeight(input: x, weight: w, gradOutput: dy, parameters: p, gradWeight: &dw2, workspace: &ws)
        assertClose(dx2.data, dx.data, atol: 1e-6)
        assertClose(dw2.data, dw.data, atol: 1e-6)
    }

    /// Reusing one output tensor across different shapes must not leak stale values.
    func testOutputReuseAcrossShapes() {
        var ws = Conv2DWorkspace()
        var y = Tensor(repeating: 99, shape: [1000])
        for (h, k) in [(8, 3), (5, 1), (9, 3)] {
            let x = randomTensor([2, 3, h, h], seed: UInt64(h)), w = randomTensor([4, 3, k, k], seed: UInt64(k))
            let p = Conv2DParameters(stride: 1, padding: k / 2)
            Conv2D.forward(input: x, weight: w, bias: nil, parameters: p, output: &y, workspace: &ws)
            assertClose(y.data, referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, bias: nil, p).y, atol: 1e-5)
        }
    }
}
