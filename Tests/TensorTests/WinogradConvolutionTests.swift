import TestFixtures
import XCTest
@testable import Tensor

/// `WinogradConv2D` (F(2×2, 3×3)) against the Double reference loops, called
/// directly so that shapes too small for the selection rule are covered too.
///
/// Error bound: the transforms add up to nine values of either sign per
/// element, so fp32 rounding grows with the magnitudes inside a tile, not
/// with the result, and an element near zero can carry the error of its
/// larger neighbours. Errors are therefore bounded relative to the tensor's
/// largest reference value: `|got − want| ≤ 1e-5 · max(1, max|want|)`. The
/// largest measured is 5.1e-7 (512 input channels, 7×7); the direct kernels'
/// tests use 1e-4 absolute on values of the same size.
final class WinogradConvolutionTests: XCTestCase {
    struct Case: CustomStringConvertible {
        var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
        var pads: (top: Int, left: Int, bottom: Int, right: Int)
        var bias: Bool
        var parameters: Conv2DParameters {
            Conv2DParameters(strideHeight: 1, strideWidth: 1, padTop: pads.top, padLeft: pads.left,
                             padBottom: pads.bottom, padRight: pads.right)
        }
        var description: String {
            "N\(batch) C\(inChannels)→\(outChannels) \(height)×\(width) pads\(pads) bias \(bias)"
        }
        init(_ batch: Int, _ inChannels: Int, _ outChannels: Int, _ height: Int, _ width: Int,
             pad: Int, bias: Bool) {
            self.init(batch, inChannels, outChannels, height, width, pads: (pad, pad, pad, pad), bias: bias)
        }
        init(_ batch: Int, _ inChannels: Int, _ outChannels: Int, _ height: Int, _ width: Int,
             pads: (Int, Int, Int, Int), bias: Bool) {
            self.batch = batch; self.inChannels = inChannels; self.outChannels = outChannels
            self.height = height; self.width = width; self.pads = pads; self.bias = bias
        }
    }

    /// Odd planes (a half-outside last tile row and column), even planes, a
    /// 1×1 and a 2×3 plane (one tile, mostly padding), pad 1 and 0, asymmetric
    /// pads up to 2, batch 1 and 3, channel counts that are multiples of nothing.
    static let cases: [Case] = [
        Case(3, 17, 3, 7, 7, pad: 1, bias: true),
        Case(1, 3, 17, 7, 7, pad: 0, bias: false),
        Case(3, 3, 17, 8, 8, pad: 1, bias: false),
        Case(1, 17, 3, 8, 8, pad: 0, bias: true),
        Case(3, 17, 17, 5, 9, pad: 1, bias: true),
        Case(1, 3, 3, 5, 9, pad: 0, bias: false),
        Case(3, 17, 3, 1, 1, pad: 1, bias: true),
        Case(1, 3, 17, 2, 3, pad: 1, bias: false),
        Case(3, 3, 3, 2, 3, pads: (2, 0, 1, 2), bias: true),
        Case(3, 17, 3, 6, 5, pads: (0, 1, 2, 1), bias: false),
    ]

    struct Result { var y: [Float], dx: [Float], dw: [Float] }

    /// Forward and both gradients through `WinogradConv2D`; outputs start as NaN
    /// so an element the path fails to write shows up.
    func run(_ tc: Case, seed: UInt64 = 81, workspace: Conv2DWorkspace = Conv2DWorkspace())
        -> (Result, x: Tensor, w: Tensor, dy: Tensor, bias: [Float]?) {
        let x = randomTensor([tc.batch, tc.inChannels, tc.height, tc.width], seed: seed)
        let w = randomTensor([tc.outChannels, tc.inChannels, 3, 3], seed: seed + 1)
        let bias = tc.bias ? randomTensor([tc.outChannels], seed: seed + 2).data : nil
        let g = ConvGeometry(inputShape: x.shape, weightShape: w.shape, parameters: tc.parameters)
        XCTAssertTrue(WinogradConv2D.supports(g), "\(tc)")
        let dy = randomTensor(g.outputShape, seed: seed + 3)
        var ws = workspace
        let outputs = Self.withNaNOutputs(y: g.outputShape.reduce(1, *), dx: x.count, dw: w.count) { py, pdx, pdw in
            x.data.withUnsafeBufferPointer { px in
            w.data.withUnsafeBufferPointer { pw in
            dy.data.withUnsafeBufferPointer { pdy in
                WinogradConv2D.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: bias,
                                       output: py, workspace: &ws)
                WinogradConv2D.backward(g, input: px.baseAddress!, weight: pw.baseAddress!, gradOutput: pdy.baseAddress!,
                                        gradInput: pdx, gradWeight: pdw, workspace: &ws)
            }
            }
            }
        }
        let (y, dx, dw) = outputs
        return (Result(y: y, dx: dx, dw: dw), x, w, dy, bias)
    }

    /// Three NaN-filled buffers of the given sizes, handed to `body` as pointers and returned.
    static func withNaNOutputs(y: Int, dx: Int, dw: Int,
                               _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                                        UnsafeMutablePointer<Float>) -> Void) -> ([Float], [Float], [Float]) {
        var outputs = ([Float](repeating: .nan, count: y), [Float](repeating: .nan, count: dx),
                       [Float](repeating: .nan, count: dw))
        outputs.0.withUnsafeMutableBufferPointer { py in
            outputs.1.withUnsafeMutableBufferPointer { pdx in
                outputs.2.withUnsafeMutableBufferPointer { pdw in body(py.baseAddress!, pdx.baseAddress!, pdw.baseAddress!) }
            }
        }
        return outputs
    }

    /// Forward and both gradients of `tc` against the Double reference loops.
    func checkAgainstReference(_ tc: Case, workspace: Conv2DWorkspace = Conv2DWorkspace(),
                               file: StaticString = #filePath, line: UInt = #line) {
        let (r, x, w, dy, bias) = run(tc, workspace: workspace)
        let y = referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                              bias: bias?.map(Double.init), tc.parameters).y
        let b = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                      dy: doubles(dy), tc.parameters)
        assertWinogradClose(r.y, y, "forward \(tc)", file: file, line: line)
        assertWinogradClose(r.dx, b.dx, "gradInput \(tc)", file: file, line: line)
        assertWinogradClose(r.dw, b.dw, "gradWeight \(tc)", file: file, line: line)
    }

    /// `|got − want| ≤ tolerance · max(1, max|want|)` elementwise: the F(2,3)
    /// bound (see the class comment), scaled by the tensor's largest value.
    func assertWinogradClose(_ got: [Float], _ want: [Double], tolerance: Double = 1e-5, _ message: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let scale = max(1, want.map(abs).max() ?? 0)
        assertClose(got, want, atol: tolerance * scale, rtol: 0, message, file: file, line: line)
    }

    func testForwardAndGradientsMatchReference() {
        for tc in Self.cases { checkAgainstReference(tc) }
    }

    /// One image per chunk: the weight gradient is accumulated over chunks
    /// (GEMMs with beta 1) and each chunk's tiles start at column 0.
    func testOneImageChunksMatchReference() {
        checkAgainstReference(Case(3, 17, 5, 7, 7, pad: 1, bias: true), workspace: Conv2DWorkspace(winogradChunkBytes: 0))
    }

    /// Only the gradient asked for is written; each alone equals the combined call.
    func testSingleGradientsEqualCombined() {
        let tc = Case(3, 17, 5, 7, 7, pad: 1, bias: false)
        let (both, x, w, dy, _) = run(tc)
        let g = ConvGeometry(inputShape: x.shape, weightShape: w.shape, parameters: tc.parameters)
        var ws = Conv2DWorkspace()
        var dx = [Float](repeating: .nan, count: x.count), dw = [Float](repeating: .nan, count: w.count)
        x.data.withUnsafeBufferPointer { px in
            w.data.withUnsafeBufferPointer { pw in
                dy.data.withUnsafeBufferPointer { pdy in
                    dx.withUnsafeMutableBufferPointer { pdx in
                        WinogradConv2D.backward(g, input: px.baseAddress!, weight: pw.baseAddress!, gradOutput: pdy.baseAddress!,
                                                gradInput: pdx.baseAddress!, gradWeight: nil, workspace: &ws)
                    }
                    dw.withUnsafeMutableBufferPointer { pdw in
                        WinogradConv2D.backward(g, input: px.baseAddress!, weight: pw.baseAddress!, gradOutput: pdy.baseAddress!,
                                                gradInput: nil, gradWeight: pdw.baseAddress!, workspace: &ws)
                    }
                }
            }
        }
        XCTAssertEqual(dx, both.dx)
        XCTAssertEqual(dw, both.dw)
    }

    /// Our float path against central differences of the Double reference
    /// (not of the float path), so the check rests on no adjoint we wrote.
    func testBackwardMatchesFiniteDifferences() {
        let tc = Case(2, 3, 2, 5, 4, pad: 1, bias: false)
        let (r, x, w, dy, _) = run(tc, seed: 91)
        let xd = doubles(x), wd = doubles(w), rd = doubles(dy), p = tc.parameters
        let fdx = finiteDifferenceGradient(at: xd) { dot(rd, referenceConv(x: $0, xShape: x.shape, w: wd, wShape: w.shape, bias: nil, p).y) }
        let fdw = finiteDifferenceGradient(at: wd) { dot(rd, referenceConv(x: xd, xShape: x.shape, w: $0, wShape: w.shape, bias: nil, p).y) }
        assertClose(r.dx, fdx, atol: 1e-4, "gradInput")
        assertClose(r.dw, fdw, atol: 1e-4, "gradWeight")
    }

    /// Same inputs, fresh workspaces: bit-identical results.
    func testResultsAreBitIdenticalAcrossRuns() {
        let tc = Case(3, 17, 17, 8, 8, pad: 1, bias: true)
        let first = run(tc).0, second = run(tc).0
        XCTAssertEqual(first.y, second.y)
        XCTAssertEqual(first.dx, second.dx)
        XCTAssertEqual(first.dw, second.dw)
    }

    /// The selection rule: ResNet-18's block8 convs take Winograd, block1 and
    /// the ResNet-20 shapes keep the direct kernels, and shapes Winograd
    /// cannot compute never take it.
    func testSelectionRule() {
        func geometry(batch: Int = 32, _ c: Int, _ size: Int, kernel: Int = 3, stride: Int = 1, padding: Int = 1,
                      groups: Int = 1) -> ConvGeometry {
            ConvGeometry(inputShape: [batch, c, size, size], weightShape: [c, c / groups, kernel, kernel],
                         parameters: Conv2DParameters(stride: stride, padding: padding, groups: groups))
        }
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(512, 7)), "ResNet-18 block8")
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(batch: 1, 512, 7)), "block8, one image")
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(256, 14)), "ResNet-18 stage 3")
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(256, 56)), "256 channels on a large plane")
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(128, 28)), "ResNet-18 stage 2")
        XCTAssertTrue(WinogradConv2D.isChosen(geometry(128, 7)))
        XCTAssertFalse(WinogradConv2D.isChosen(geometry(128, 40)), "128 channels on a large plane: measured slower")
        XCTAssertFalse(WinogradConv2D.isChosen(geometry(112, 28)), "112 channels: measured slower")
        XCTAssertFalse(WinogradConv2D.isChosen(geometry(64, 56)), "ResNet-18 block1")
        XCTAssertFalse(WinogradConv2D.isChosen(ConvGeometry(inputShape: [32, 512, 7, 7], weightShape: [64, 512, 3, 3],
                                                            parameters: Conv2DParameters(stride: 1, padding: 1))),
                       "the smaller channel count decides")
        for (c, size) in [(16, 28), (32, 14), (64, 7)] {
            XCTAssertFalse(WinogradConv2D.isChosen(geometry(c, size)), "ResNet-20 \(c) channels")
        }
        XCTAssertFalse(WinogradConv2D.supports(geometry(512, 7, stride: 2)), "strided")
        XCTAssertFalse(WinogradConv2D.supports(geometry(512, 7, kernel: 1, padding: 0)), "1×1")
        XCTAssertFalse(WinogradConv2D.supports(geometry(512, 7, groups: 2)), "grouped")
        XCTAssertFalse(WinogradConv2D.supports(geometry(512, 7, groups: 512)), "depthwise")
        XCTAssertFalse(WinogradConv2D.supports(geometry(512, 7, padding: 3)), "padding 3")
    }

    /// Block8's shape through the public entry points lands on Winograd (its
    /// transformed-weight buffer is filled) and agrees with the direct kernels
    /// at 512 channels, where every product sums 512 terms.
    func testBlock8ShapeRoutesToWinograd() {
        let p = Conv2DParameters(stride: 1, padding: 1)
        let x = randomTensor([1, 512, 7, 7], seed: 101), w = randomTensor([512, 512, 3, 3], seed: 102)
        let bias = randomTensor([512], seed: 103).data
        let dy = randomTensor([1, 512, 7, 7], seed: 104)
        var ws = Conv2DWorkspace()
        var y = Tensor(zeros: [1]), dx = Tensor(zeros: [1]), dw = Tensor(zeros: [1]), db: [Float] = []
        Conv2D.forward(input: x, weight: w, bias: bias, parameters: p, output: &y, workspace: &ws)
        XCTAssertEqual(ws.winogradWeights.count, WinogradConv2D.matrices * WinogradConv2D.matrixStride(512 * 512), "forward did not take Winograd")
        XCTAssertTrue(ws.packed.isEmpty, "forward packed weights for the direct kernels")
        Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: p,
                        gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &ws)
        XCTAssertTrue(ws.packed.isEmpty && ws.partials.isEmpty, "backward used the direct kernels")

        let g = ConvGeometry(inputShape: x.shape, weightShape: w.shape, parameters: p)
        var direct = Conv2DWorkspace()
        var yd = [Float](repeating: 0, count: y.count), dxd = [Float](repeating: 0, count: x.count)
        var dwd = [Float](repeating: 0, count: w.count)
        x.data.withUnsafeBufferPointer { px in
            w.data.withUnsafeBufferPointer { pw in
                dy.data.withUnsafeBufferPointer { pdy in
                    yd.withUnsafeMutableBufferPointer { py in
                        DirectConv2D.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: bias,
                                             output: py.baseAddress!, workspace: &direct)
                    }
                    dxd.withUnsafeMutableBufferPointer { pdx in
                        DirectConv2D.inputGradient(g, weight: pw.baseAddress!, gradOutput: pdy.baseAddress!,
                                                   gradInput: pdx.baseAddress!, workspace: &direct)
                    }
                    dwd.withUnsafeMutableBufferPointer { pdw in
                        DirectConv2D.weightGradient(g, input: px.baseAddress!, gradOutput: pdy.baseAddress!,
                                                    gradWeight: pdw.baseAddress!, workspace: &direct)
                    }
                }
            }
        }
        assertWinogradClose(y.data, yd.map(Double.init), "forward")
        assertWinogradClose(dx.data, dxd.map(Double.init), "gradInput")
        assertWinogradClose(dw.data, dwd.map(Double.init), "gradWeight")
    }
}
