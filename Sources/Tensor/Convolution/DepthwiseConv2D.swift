/// The input gradient of a convolution with one input channel per group where
/// `DirectConv2D` does not compute it (stride above 1, or padding of a kernel
/// size or more); its forward pass and weight gradient are always direct.
///
/// With K = kH·kW (9) a GEMM spends its time packing; this loop instead runs
/// the inner loop along an output row, contiguous when the stride is 1, which
/// the compiler vectorises. Work is split by (sample, channel) plane, so
/// workers never write the same memory. A channel multiplier (Cout = m·Cin) is
/// supported: output channel `co` reads input channel `co / m`.
enum DepthwiseConv2D {
    /// With a channel multiplier several output channels feed one input
    /// channel, so work is split by input plane and sums over its outputs.
    static func backwardInput(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        let kh = g.kernelHeight, kw = g.kernelWidth, m = g.outChannelsPerGroup, sw = g.parameters.strideWidth
        let dyBox = UnsafeSendableBox(gradOutput), w = UnsafeSendableBox(weight), dxBox = UnsafeSendableBox(gradInput)
        parallelFor(g.batch * g.inChannels, work: g.batch * g.outChannels * g.outPlane * kh * kw) { job in
            let n = job / g.inChannels, ci = job % g.inChannels
            let plane = dxBox.value + job * g.inPlane
            plane.update(repeating: 0, count: g.inPlane)
            for j in 0..<m {
                let co = ci * m + j
                let dy = dyBox.value + (n * g.outChannels + co) * g.outPlane
                forEachTap(g, kernel: w.value + co * kh * kw) { outRow, inRow, kx, wv, r in
                    let line = dy + outRow, inLine = plane + inRow
                    if sw == 1 {
                        let dst = inLine + kx
                        for ox in r { dst[ox] += wv * line[ox] }
                    } else {
                        for ox in r { inLine[ox * sw + kx] += wv * line[ox] }
                    }
                }
            }
        }
    }

    /// The tap walk of the input-gradient loop: for every kernel row
    /// `ky`, output row `oy` it reaches and kernel column `kx` (in that order, the
    /// order of the sums), calls `body` with the output row's offset in its plane,
    /// the offset of the input row read at `kx = 0` for output column 0, `kx`, the
    /// tap's weight and the output columns whose input lies inside the image.
    @inline(__always)
    private static func forEachTap(_ g: ConvGeometry, kernel k: UnsafePointer<Float>,
                                   _ body: (_ outRow: Int, _ inRow: Int, _ kx: Int, _ weight: Float, _ columns: Range<Int>) -> Void) {
        let kh = g.kernelHeight, kw = g.kernelWidth
        let sh = g.parameters.strideHeight, pt = g.parameters.padTop, pl = g.parameters.padLeft
        for ky in 0..<kh {
            for oy in g.validOutputRows(ky: ky) {
                let outRow = oy * g.outWidth, inRow = (oy * sh + ky - pt) * g.inWidth - pl
                for kx in 0..<kw { body(outRow, inRow, kx, k[ky * kw + kx], g.validOutputColumns(kx: kx)) }
            }
        }
    }
}
