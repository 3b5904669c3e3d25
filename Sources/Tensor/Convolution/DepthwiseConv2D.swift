/// Direct loops for convolutions with one input channel per group that
/// `DirectConv2D` does not take (stride above 1, or padding of a kernel size or more).
///
/// With K = kH·kW (9) a GEMM spends its time packing; these loops instead run
/// the inner loop along an output row, contiguous when the stride is 1, which
/// the compiler vectorises. Work is split by (sample, channel) plane, so
/// workers never write the same memory. A channel multiplier (Cout = m·Cin) is
/// supported: output channel `co` reads input channel `co / m`.
enum DepthwiseConv2D {
    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        output: UnsafeMutablePointer<Float>) {
        let kh = g.kernelHeight, kw = g.kernelWidth, m = g.outChannelsPerGroup, sw = g.parameters.strideWidth
        let x = UnsafeSendableBox(input), w = UnsafeSendableBox(weight), y = UnsafeSendableBox(output)
        parallelFor(g.batch * g.outChannels, work: g.batch * g.outChannels * g.outPlane * kh * kw) { job in
            let n = job / g.outChannels, co = job % g.outChannels
            let plane = x.value + (n * g.inChannels + co / m) * g.inPlane
            let out = y.value + job * g.outPlane
            forEachTap(g, kernel: w.value + co * kh * kw) { outRow, inRow, kx, wv, r in
                let line = out + outRow, inLine = plane + inRow
                if sw == 1 {
                    let src = inLine + kx
                    for ox in r { line[ox] += wv * src[ox] }
                } else {
                    for ox in r { line[ox] += wv * inLine[ox * sw + kx] }
                }
            }
        }
    }

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

    /// Each output channel's kernel sums over the batch; split by channel.
    static func backwardWeight(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>) {
        let kh = g.kernelHeight, kw = g.kernelWidth, m = g.outChannelsPerGroup
        let inW = g.inWidth, outW = g.outWidth
        let sh = g.parameters.strideHeight, sw = g.parameters.strideWidth
        let pt = g.parameters.padTop, pl = g.parameters.padLeft
        let x = UnsafeSendableBox(input), dyBox = UnsafeSendableBox(gradOutput), dwBox = UnsafeSendableBox(gradWeight)
        parallelFor(g.outChannels, work: g.batch * g.outChannels * g.outPlane * kh * kw) { co in
            let k = dwBox.value + co * kh * kw
            for ky in 0..<kh {
                let rows = g.validOutputRows(ky: ky)
                for kx in 0..<kw {
                    let r = g.validOutputColumns(kx: kx)
                    var sum: Float = 0
                    for n in 0..<g.batch {
                        let plane = x.value + (n * g.inChannels + co / m) * g.inPlane
                        let dy = dyBox.value + (n * g.outChannels + co) * g.outPlane
                        for oy in rows {
                            let line = dy + oy * outW
                            let inLine = plane + (oy * sh + ky - pt) * inW - pl + kx
                            if sw == 1 {
                                for ox in r { sum += line[ox] * inLine[ox] }
                            } else {
                                for ox in r { sum += line[ox] * inLine[ox * sw] }
                            }
                        }
                    }
                    k[ky * kw + kx] = sum
                }
            }
        }
    }

    /// The tap walk of the forward and input-gradient loops: for every kernel row
    /// `ky`, output row `oy` it reaches and kernel column `kx` (in that order, the
    /// order of the sums), calls `body` with the output row's offset in its plane,
    /// the offset of the input row read at `kx = 0` for output column 0, `kx`, the
    /// tap's weight and the output columns whose input lies inside the image.
    /// (The weight gradient sums over the batch per tap, so it walks in another order.)
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
