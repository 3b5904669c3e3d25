import TestFixtures
import XCTest
@testable import Tensor

/// The stride-1 C kernels (`DirectConv2D`) in every instruction-set build this
/// CPU supports, against the Double reference loops. Shapes are chosen to hit
/// the tails: channel counts off the forward block (8) and the gradient lane
/// count (16), rows shorter than a vector, planes that end mid-tile, kernels
/// that need padded tap blocks, and asymmetric padding.
final class DirectConvolutionTests: XCTestCase {
    struct Case: CustomStringConvertible {
        var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
        var kernelHeight: Int, kernelWidth: Int
        var pads: (top: Int, left: Int, bottom: Int, right: Int)
        var groups = 1
        var stride = (height: 1, width: 1)
        var parameters: Conv2DParameters {
            Conv2DParameters(strideHeight: stride.height, strideWidth: stride.width, padTop: pads.top, padLeft: pads.left,
                             padBottom: pads.bottom, padRight: pads.right, groups: groups)
        }
        var description: String {
            "N\(batch) C\(inChannels)→\(outChannels) \(height)×\(width) k\(kernelHeight)×\(kernelWidth) pads\(pads) g\(groups) s\(stride)"
        }
    }

    static let denseCases: [Case] = [
        // The benchmark's channel count, one image.
        Case(batch: 1, inChannels: 16, outChannels: 16, height: 28, width: 28, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)),
        // Fewer channels than any block; 7-wide rows end mid-vector.
        Case(batch: 3, inChannels: 3, outChannels: 5, height: 7, width: 7, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)),
        // Odd input channels (channel-pair remainder), 20 outputs (a partial second lane block).
        Case(batch: 2, inChannels: 17, outChannels: 20, height: 9, width: 13, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)),
        // No padding; 33 outputs: five forward blocks, the last with one channel.
        Case(batch: 2, inChannels: 8, outChannels: 33, height: 5, width: 17, kernelHeight: 3, kernelWidth: 3, pads: (0, 0, 0, 0)),
        // 25 taps: a padded tap block and single-tap runs.
        Case(batch: 2, inChannels: 4, outChannels: 6, height: 6, width: 5, kernelHeight: 5, kernelWidth: 5, pads: (2, 2, 2, 2)),
        // 6×3: two tap blocks of whole 3-wide rows; asymmetric padding.
        Case(batch: 2, inChannels: 3, outChannels: 4, height: 8, width: 6, kernelHeight: 6, kernelWidth: 3, pads: (2, 1, 3, 1)),
        // The same with enough input channels that a weight-gradient task
        // takes several at once (channel pairs whose sums lie a whole tap row apart).
        Case(batch: 2, inChannels: 19, outChannels: 9, height: 8, width: 7, kernelHeight: 6, kernelWidth: 3, pads: (2, 1, 3, 1)),
        // 1×3: three-wide rows but too few of them for a row-run tile.
        Case(batch: 2, inChannels: 5, outChannels: 7, height: 4, width: 9, kernelHeight: 1, kernelWidth: 3, pads: (0, 1, 0, 1)),
        // 2×2 with padding on one side only.
        Case(batch: 2, inChannels: 3, outChannels: 4, height: 6, width: 7, kernelHeight: 2, kernelWidth: 2, pads: (0, 1, 1, 0)),
        // A 1×1 image: every tap but the centre reads padding.
        Case(batch: 1, inChannels: 2, outChannels: 3, height: 1, width: 1, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)),
        // Large enough for every pass to split across cores.
        Case(batch: 4, inChannels: 16, outChannels: 24, height: 14, width: 14, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1)),
    ]

    /// Strided kernels: the forward pass and weight gradient on phase-split
    /// planes; odd and even sizes (phases of unequal size), a 1×1 kernel
    /// (one phase), unequal strides, a stride above the kernel size (unread
    /// columns), and depthwise. The dense weight gradient runs on the direct
    /// kernel for column strides 1, and 2 with 3-wide kernels (the 6×3 and
    /// 3×3 cases here); the others check that it is left to GEMM.
    static let stridedCases: [Case] = [
        Case(batch: 2, inChannels: 3, outChannels: 5, height: 13, width: 12, kernelHeight: 6, kernelWidth: 3,
             pads: (2, 1, 3, 0), stride: (3, 2)),
        Case(batch: 2, inChannels: 8, outChannels: 16, height: 14, width: 14, kernelHeight: 3, kernelWidth: 3,
             pads: (1, 1, 1, 1), stride: (2, 2)),
        Case(batch: 3, inChannels: 5, outChannels: 7, height: 15, width: 9, kernelHeight: 3, kernelWidth: 3,
             pads: (1, 1, 1, 1), stride: (2, 2)),
        Case(batch: 2, inChannels: 6, outChannels: 20, height: 14, width: 13, kernelHeight: 1, kernelWidth: 1,
             pads: (0, 0, 0, 0), stride: (2, 2)),
        Case(batch: 2, inChannels: 3, outChannels: 9, height: 23, width: 21, kernelHeight: 7, kernelWidth: 7,
             pads: (3, 3, 3, 3), stride: (2, 2)),
        Case(batch: 2, inChannels: 4, outChannels: 6, height: 10, width: 11, kernelHeight: 3, kernelWidth: 3,
             pads: (0, 1, 2, 1), stride: (2, 1)),
        Case(batch: 2, inChannels: 4, outChannels: 5, height: 11, width: 12, kernelHeight: 2, kernelWidth: 3,
             pads: (1, 0, 0, 2), stride: (1, 3)),
        Case(batch: 1, inChannels: 3, outChannels: 4, height: 13, width: 13, kernelHeight: 2, kernelWidth: 2,
             pads: (0, 0, 0, 0), stride: (3, 3)),
        Case(batch: 2, inChannels: 12, outChannels: 12, height: 15, width: 14, kernelHeight: 3, kernelWidth: 3,
             pads: (1, 1, 1, 1), groups: 12, stride: (2, 2)),
        Case(batch: 2, inChannels: 4, outChannels: 8, height: 10, width: 10, kernelHeight: 5, kernelWidth: 5,
             pads: (2, 2, 2, 2), groups: 4, stride: (2, 2)),
    ]

    static let depthwiseCases: [Case] = [
        Case(batch: 2, inChannels: 5, outChannels: 5, height: 14, width: 14, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1), groups: 5),
        // Channel multiplier 2: the input gradient sums two output planes.
        Case(batch: 3, inChannels: 4, outChannels: 8, height: 7, width: 9, kernelHeight: 3, kernelWidth: 3, pads: (1, 1, 1, 1), groups: 4),
        Case(batch: 2, inChannels: 3, outChannels: 3, height: 6, width: 5, kernelHeight: 5, kernelWidth: 5, pads: (2, 2, 2, 2), groups: 3),
        Case(batch: 1, inChannels: 6, outChannels: 6, height: 3, width: 19, kernelHeight: 3, kernelWidth: 3, pads: (0, 0, 0, 0), groups: 6),
        Case(batch: 8, inChannels: 32, outChannels: 32, height: 10, width: 10, kernelHeight: 3, kernelWidth: 3, pads: (0, 1, 2, 1), groups: 32),
    ]

    struct Result { var y: [Float], dx: [Float], dw: [Float] }

    /// Runs forward and both gradients through `DirectConv2D` with the given
    /// kernels (the input gradient only where it applies: strided kernels
    /// leave `dx` NaN). Outputs start as NaN so any element a kernel fails to write shows up.
    func run(_ tc: Case, kernels: ConvKernels, seed: UInt64 = 61) -> (Result, x: Tensor, w: Tensor, dy: Tensor, bias: [Float]) {
        let x = randomTensor([tc.batch, tc.inChannels, tc.height, tc.width], seed: seed)
        let w = randomTensor([tc.outChannels, tc.inChannels / tc.groups, tc.kernelHeight, tc.kernelWidth], seed: seed + 1)
        let bias = randomTensor([tc.outChannels], seed: seed + 2).data
        let g = ConvGeometry(inputShape: x.shape, weightShape: w.shape, parameters: tc.parameters)
        XCTAssertTrue(DirectConv2D.supports(g), "\(tc)")
        let dy = randomTensor(g.outputShape, seed: seed + 3)
        var ws = Conv2DWorkspace()
        var y = [Float](repeating: .nan, count: g.outputShape.reduce(1, *))
        var dx = [Float](repeating: .nan, count: x.count), dw = [Float](repeating: .nan, count: w.count)
        x.data.withUnsafeBufferPointer { px in
            w.data.withUnsafeBufferPointer { pw in
                dy.data.withUnsafeBufferPointer { pdy in
                    y.withUnsafeMutableBufferPointer { py in
                        DirectConv2D.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: bias,
                                             output: py.baseAddress!, workspace: &ws, kernels: kernels)
                    }
                    if DirectConv2D.supportsWeightGradient(g, kernels: kernels) {
                        dw.withUnsafeMutableBufferPointer { pdw in
                            DirectConv2D.weightGradient(g, input: px.baseAddress!, gradOutput: pdy.baseAddress!,
                                                        gradWeight: pdw.baseAddress!, workspace: &ws, kernels: kernels)
                        }
                    }
                    if DirectConv2D.supportsInputGradient(g) {
                        dx.withUnsafeMutableBufferPointer { pdx in
                            DirectConv2D.inputGradient(g, weight: pw.baseAddress!, gradOutput: pdy.baseAddress!,
                                                       gradInput: pdx.baseAddress!, workspace: &ws, kernels: kernels)
                        }
                    }
                }
            }
        }
        return (Result(y: y, dx: dx, dw: dw), x, w, dy, bias)
    }

    /// The reference is computed once per case (it dominates the test's time) and
    /// every build is compared with it.
    func checkEveryBuildAgainstReference(_ tc: Case, file: StaticString = #filePath, line: UInt = #line) {
        var ref: (y: [Double], dx: [Double], dw: [Double])?
        for kernels in ConvKernels.supported {
            let (r, x, w, dy, bias) = run(tc, kernels: kernels)
            if ref == nil {
                let y = referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                      bias: bias.map(Double.init), tc.parameters).y
                let b = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                              dy: doubles(dy), tc.parameters)
                ref = (y, b.dx, b.dw)
            }
            let label = "\(kernels) \(tc)"
            assertClose(r.y, ref!.y, atol: 1e-4, "forward \(label)", file: file, line: line)
            let g = ConvGeometry(inputShape: x.shape, weightShape: w.shape, parameters: tc.parameters)
            if DirectConv2D.supportsInputGradient(g) {
                assertClose(r.dx, ref!.dx, atol: 1e-4, "gradInput \(label)", file: file, line: line)
            } else {
                XCTAssertTrue(r.dx.allSatisfy(\.isNaN), "the direct input gradient ran for \(label)", file: file, line: line)
            }
            if DirectConv2D.supportsWeightGradient(g, kernels: kernels) {
                assertClose(r.dw, ref!.dw, atol: 1e-3, rtol: 1e-4, "gradWeight \(label)", file: file, line: line)
            } else {
                XCTAssertTrue(r.dw.allSatisfy(\.isNaN), "the direct weight gradient ran for \(label)", file: file, line: line)
            }
        }
    }

    func testDenseKernelsInEveryBuildMatchReference() {
        for tc in Self.denseCases { checkEveryBuildAgainstReference(tc) }
    }

    func testDepthwiseKernelsInEveryBuildMatchReference() {
        for tc in Self.depthwiseCases { checkEveryBuildAgainstReference(tc) }
    }

    func testStridedKernelsInEveryBuildMatchReference() {
        for tc in Self.stridedCases { checkEveryBuildAgainstReference(tc) }
    }

    /// Through the public entry points a strided kernel's input gradient comes
    /// from the GEMM or depthwise loops while its weight gradient comes from
    /// the direct kernels; all three must match the reference together.
    func testStridedConvolutionThroughConv2DMatchesReference() {
        for tc in Self.stridedCases {
            let x = randomTensor([tc.batch, tc.inChannels, tc.height, tc.width], seed: 81)
            let w = randomTensor([tc.outChannels, tc.inChannels / tc.groups, tc.kernelHeight, tc.kernelWidth], seed: 82)
            let bias = randomTensor([tc.outChannels], seed: 83).data
            let y = Conv2D.forward(input: x, weight: w, bias: bias, parameters: tc.parameters)
            let dy = randomTensor(y.shape, seed: 84)
            var dx = Tensor(zeros: [0]), dw = Tensor(zeros: [0]), db: [Float] = []
            var ws = Conv2DWorkspace()
            Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: tc.parameters,
                            gradInput: &dx, gradWeight: &dw, gradBias: &db, workspace: &ws)
            let ref = referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                    bias: bias.map(Double.init), tc.parameters)
            let back = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape,
                                             dy: doubles(dy), tc.parameters)
            XCTAssertEqual(y.shape, ref.shape, "\(tc)")
            assertClose(y.data, ref.y, atol: 1e-4, "forward \(tc)")
            assertClose(dx.data, back.dx, atol: 1e-4, "gradInput \(tc)")
            assertClose(dw.data, back.dw, atol: 1e-3, rtol: 1e-4, "gradWeight \(tc)")
        }
    }

    /// The phase split itself: every phase float is the padded input's value
    /// at (row·sh + a, col·sw + b), or zero outside it.
    func testPhaseSplitHoldsEveryStridedRowAndColumn() {
        let kernels = ConvKernels.best
        for (h, w, k, s, pad) in [(7, 9, 3, 2, 1), (8, 8, 1, 2, 0), (5, 11, 3, 3, 2), (9, 6, 4, 2, 3)] {
            let plan = FlatPaddedPlanes(sourceHeight: h, sourceWidth: w, kernelHeight: k, kernelWidth: k,
                                        strideHeight: s, strideWidth: s, padTop: pad, padLeft: pad,
                                        padBottom: pad, padRight: pad, kernels: kernels)
            let source = (0..<(h * w)).map { Float($0 + 1) }
            var split = [Float](repeating: .nan, count: plan.planeStride)
            source.withUnsafeBufferPointer { src in
                split.withUnsafeMutableBufferPointer { plan.pad(src.baseAddress!, into: $0.baseAddress!, kernels: kernels) }
            }
            XCTAssertFalse(split.contains(where: \.isNaN), "every float written")
            for phase in 0..<(plan.phases.count / 2) {
                let a = plan.phases[2 * phase], b = plan.phases[2 * phase + 1]
                for row in 0..<((h + 2 * pad + s - 1) / s) {
                    for col in 0..<plan.width {
                        let y = row * s + a - pad, x = col * s + b - pad
                        let expected: Float = (0..<h).contains(y) && (0..<w).contains(x) ? source[y * w + x] : 0
                        XCTAssertEqual(split[phase * plan.phaseStride + row * plan.width + col], expected,
                                       "\(h)×\(w) k\(k) s\(s) pad \(pad): phase (\(a), \(b)) row \(row) col \(col)")
                    }
                }
            }
            XCTAssertEqual(plan.phases.count / 2, Set((0..<k).flatMap { ky in (0..<k).map { kx in [ky % s, kx % s] } }).count,
                           "only the phases some tap reads")
        }
    }

    /// Same inputs, fresh workspaces: bit-identical results (fixed partitions and summation order).
    func testResultsAreBitIdenticalAcrossRuns() {
        for tc in [Self.denseCases.last!, Self.depthwiseCases.last!] {
            let first = run(tc, kernels: .best).0, second = run(tc, kernels: .best).0
            XCTAssertEqual(first.y, second.y, "\(tc)")
            XCTAssertEqual(first.dx, second.dx, "\(tc)")
            XCTAssertEqual(first.dw, second.dw, "\(tc)")
        }
    }

    /// The public entry points take the direct path exactly where it applies.
    func testDirectPathSelection() {
        func geometry(_ c: Int, _ k: Int, _ p: Conv2DParameters) -> ConvGeometry {
            ConvGeometry(inputShape: [2, c, 8, 8], weightShape: [c, c / p.groups, k, k], parameters: p)
        }
        XCTAssertTrue(DirectConv2D.supports(geometry(16, 3, Conv2DParameters(stride: 1, padding: 1))))
        XCTAssertTrue(DirectConv2D.supports(geometry(16, 3, Conv2DParameters(stride: 1, padding: 1, groups: 16))))
        XCTAssertTrue(DirectConv2D.supportsInputGradient(geometry(16, 3, Conv2DParameters(stride: 1, padding: 1))))
        XCTAssertTrue(DirectConv2D.supports(geometry(16, 3, Conv2DParameters(stride: 2, padding: 1))), "strided")
        XCTAssertFalse(DirectConv2D.supportsInputGradient(geometry(16, 3, Conv2DParameters(stride: 2, padding: 1))),
                       "a strided input gradient stays on GEMM")
        XCTAssertTrue(DirectConv2D.supportsWeightGradient(geometry(16, 3, Conv2DParameters(stride: 2, padding: 1))))
        XCTAssertFalse(DirectConv2D.supportsWeightGradient(geometry(16, 1, Conv2DParameters(stride: 2, padding: 0))),
                       "a 1×1 stride-2 weight gradient stays on GEMM")
        XCTAssertFalse(DirectConv2D.supportsWeightGradient(geometry(16, 3, Conv2DParameters(stride: 3, padding: 1))),
                       "column stride 3")
        XCTAssertTrue(DirectConv2D.supports(geometry(16, 1, Conv2DParameters(stride: 2, padding: 0))), "1×1 stride 2")
        XCTAssertFalse(DirectConv2D.supports(geometry(16, 1, Conv2DParameters(stride: 1, padding: 0))), "1×1 stays on GEMM")
        XCTAssertFalse(DirectConv2D.supports(geometry(16, 3, Conv2DParameters(stride: 1, padding: 1, groups: 2))), "grouped")
        XCTAssertTrue(DirectConv2D.supports(geometry(16, 3, Conv2DParameters(stride: 1, padding: 3))))
        XCTAssertFalse(DirectConv2D.supportsInputGradient(geometry(16, 3, Conv2DParameters(stride: 1, padding: 3))),
                       "padding ≥ kernel")
    }

    /// Output channels split into blocks of the kernels' size or one fewer, each
    /// channel in exactly one block, and padding only where no such split exists.
    func testChannelBlocksCoverEveryChannelOnce() {
        func widths(_ c: Int, _ b: Int) -> [Int] { ChannelBlocks(channels: c, outputBlock: b).blocks.map(\.width) }
        XCTAssertEqual(widths(16, 6), [6, 5, 5])
        XCTAssertEqual(widths(32, 6), [6, 6, 5, 5, 5, 5])
        XCTAssertEqual(widths(64, 6), [6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5])
        XCTAssertEqual(widths(64, 8), [8, 8, 8, 8, 8, 8, 8, 8])
        XCTAssertEqual(widths(3, 6), [6], "3 channels cannot be a block of 6 or 5: padded")
        XCTAssertEqual(widths(7, 6), [6, 6])
        XCTAssertEqual(widths(0, 6), [])
        for block in [4, 6, 8] {
            for channels in 0...80 {
                let split = ChannelBlocks(channels: channels, outputBlock: block)
                var covered: [Int] = []
                for b in split.blocks {
                    XCTAssertTrue(b.width == block || (b.width == block - 1 && b.count == b.width), "\(channels)/\(block)")
                    XCTAssertTrue(b.count >= 1 && b.count <= b.width)
                    covered += Array(b.first..<(b.first + b.count))
                }
                XCTAssertEqual(covered, Array(0..<channels), "\(channels) channels by \(block)")
                // Padding only when the count cannot be written as whole blocks of `block` and `block − 1`.
                let exact = (0...channels / max(block - 1, 1)).contains { k in
                    (0...k).contains { full in full * block + (k - full) * (block - 1) == channels && k == (channels + block - 1) / block }
                }
                XCTAssertEqual(split.computedChannels == channels, exact || channels == 0, "\(channels) channels by \(block)")
            }
        }
    }

    /// Padding of a kernel size or more: the forward pass and weight gradient
    /// on the direct kernels, the input gradient on GEMM; all must be right.
    func testWidePaddingFallsBackCorrectly() {
        let p = Conv2DParameters(stride: 1, padding: 3)
        let x = randomTensor([2, 3, 4, 5], seed: 71), w = randomTensor([4, 3, 3, 3], seed: 72)
        let y = Conv2D.forward(input: x, weight: w, parameters: p)
        assertClose(y.data, referenceConv(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, bias: nil, p).y, atol: 1e-4)
        let dy = randomTensor(y.shape, seed: 73)
        var dx = Tensor(zeros: [0]), dw = Tensor(zeros: [0]), db: [Float] = []
        var ws = Conv2DWorkspace()
        Conv2D.backward(input: x, weight: w, gradOutput: dy, parameters: p, gradInput: &dx, gradWeight: &dw, gradBias: &db,
                        workspace: &ws)
        let back = referenceConvBackward(x: doubles(x), xShape: x.shape, w: doubles(w), wShape: w.shape, dy: doubles(dy), p)
        assertClose(dx.data, back.dx, atol: 1e-4)
        assertClose(dw.data, back.dw, atol: 1e-3, rtol: 1e-4)
    }

    /// On an AVX-512 CPU the library must use the AVX-512 build, not silently a narrower one.
    func testBestBuildMatchesCPU() {
        let flags = CPUKernelChoice.cpuFlags()
        if flags.contains("avx512f") {
            XCTAssertEqual(ConvKernels.detected.description, "avx512")
        } else if flags.contains("avx2") && flags.contains("fma") {
            XCTAssertEqual(ConvKernels.detected.description, "avx2")
        }
        XCTAssertEqual(ConvKernels.supported.last?.isa, ConvKernels.detected.isa)
        // Without BRECQ_ISA the library runs the widest build.
        if case .success(nil) = ConvInstructionSet.fromEnvironment() {
            XCTAssertEqual(ConvKernels.best.isa, ConvKernels.detected.isa)
        }
    }

    /// Names parse to the sets this CPU runs; others are refused with a line that says why.
    func testInstructionSetChoice() {
        XCTAssertEqual(ConvInstructionSet.available.first, .generic)
        XCTAssertEqual(ConvInstructionSet.available.last?.rawValue, ConvKernels.detected.isa)
        for set in ConvInstructionSet.allCases {
            switch ConvInstructionSet.parse(set.name) {
            case .success(let parsed):
                XCTAssertEqual(parsed, set)
                XCTAssertTrue(ConvInstructionSet.available.contains(set))
            case .failure(let error):
                XCTAssertFalse(ConvInstructionSet.available.contains(set))
                XCTAssertTrue(error.message.hasPrefix("this CPU cannot run the \(set.name) kernels"), error.message)
            }
        }
        guard case .failure(let error) = ConvInstructionSet.parse("sse9") else { return XCTFail("sse9 accepted") }
        XCTAssertEqual(error.message, "unknown instruction set 'sse9'; expected one of generic, avx2, avx512")
    }

    /// `BRECQ_ISA` is checked as the flag is; unset and empty mean "the widest".
    func testInstructionSetFromEnvironment() {
        let saved = getenv(ConvInstructionSet.environmentVariable).map { String(cString: $0) }
        defer {
            if let saved { setenv(ConvInstructionSet.environmentVariable, saved, 1) } else { unsetenv(ConvInstructionSet.environmentVariable) }
        }
        unsetenv(ConvInstructionSet.environmentVariable)
        XCTAssertNil(ConvInstructionSet.environmentProblem)
        setenv(ConvInstructionSet.environmentVariable, "", 1)
        XCTAssertNil(ConvInstructionSet.environmentProblem)
        setenv(ConvInstructionSet.environmentVariable, "generic", 1)
        XCTAssertNil(ConvInstructionSet.environmentProblem)
        guard case .success(.generic?) = ConvInstructionSet.fromEnvironment() else { return XCTFail("generic not read") }
        setenv(ConvInstructionSet.environmentVariable, "avx9", 1)
        XCTAssertEqual(ConvInstructionSet.environmentProblem,
                       "BRECQ_ISA: unknown instruction set 'avx9'; expected one of generic, avx2, avx512")
    }
}
