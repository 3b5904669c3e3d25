/// Unfolds input patches into a column matrix so a convolution becomes one GEMM.
///
/// Layout: row `(ci·kH + ky)·kW + kx` (the weight's inner order), column
/// `s·P + oy·Wo + ox` for sample `s` of the chunk — so the GEMM result row
/// for one output channel is that channel's planes, sample after sample.
enum Im2Col {
    /// Fills `columns` (`patchSize` × `samples·P`) from samples `firstSample..<firstSample+samples`,
    /// input channels of group `group`.
    static func unfold(_ g: ConvGeometry, input: UnsafePointer<Float>, firstSample: Int, samples: Int,
                       group: Int, columns: UnsafeMutablePointer<Float>) {
        let kh = g.kernelHeight, kw = g.kernelWidth
        let rows = g.patchSize, P = g.outPlane, ld = samples * P
        let inW = g.inWidth, outW = g.outWidth
        let sh = g.parameters.strideHeight, sw = g.parameters.strideWidth
        let pt = g.parameters.padTop, pl = g.parameters.padLeft
        let channelBase = group * g.inChannelsPerGroup
        let src = UnsafeSendableBox(input), dst = UnsafeSendableBox(columns)
        parallelFor(rows, work: rows * ld) { row in
            let kx = row % kw, ky = (row / kw) % kh, ci = row / (kw * kh)
            let colRange = g.validOutputColumns(kx: kx), rowRange = g.validOutputRows(ky: ky)
            for s in 0..<samples {
                let plane = src.value + ((firstSample + s) * g.inChannels + channelBase + ci) * g.inPlane
                let out = dst.value + row * ld + s * P
                for oy in 0..<g.outHeight {
                    let line = out + oy * outW
                    guard rowRange.contains(oy) else { line.update(repeating: 0, count: outW); continue }
                    let inLine = plane + (oy * sh + ky - pt) * inW + (kx - pl)
                    if colRange.lowerBound > 0 { line.update(repeating: 0, count: colRange.lowerBound) }
                    if sw == 1 {
                        (line + colRange.lowerBound).update(from: inLine + colRange.lowerBound, count: colRange.count)
                    } else {
                        for ox in colRange { line[ox] = inLine[ox * sw] }
                    }
                    if colRange.upperBound < outW {
                        (line + colRange.upperBound).update(repeating: 0, count: outW - colRange.upperBound)
                    }
                }
            }
        }
    }

    /// Adds the column matrix back into the input-gradient planes (the adjoint
    /// of `unfold`). Each (sample, channel) plane is owned by one worker.
    static func fold(_ g: ConvGeometry, columns: UnsafePointer<Float>, firstSample: Int, samples: Int,
                     group: Int, gradInput: UnsafeMutablePointer<Float>) {
        let kh = g.kernelHeight, kw = g.kernelWidth
        let P = g.outPlane, ld = samples * P
        let inW = g.inWidth, outW = g.outWidth
        let sh = g.parameters.strideHeight, sw = g.parameters.strideWidth
        let pt = g.parameters.padTop, pl = g.parameters.padLeft
        let cg = g.inChannelsPerGroup, channelBase = group * cg
        let src = UnsafeSendableBox(columns), dst = UnsafeSendableBox(gradInput)
        parallelFor(samples * cg, work: samples * g.patchSize * P) { job in
            let s = job / cg, ci = job % cg
            let plane = dst.value + ((firstSample + s) * g.inChannels + channelBase + ci) * g.inPlane
            for ky in 0..<kh {
                let rowRange = g.validOutputRows(ky: ky)
                for kx in 0..<kw {
                    let colRange = g.validOutputColumns(kx: kx)
                    let row = src.value + ((ci * kh + ky) * kw + kx) * ld + s * P
                    for oy in rowRange {
                        let line = row + oy * outW
                        let inLine = plane + (oy * sh + ky - pt) * inW + (kx - pl)
                        if sw == 1 {
                            for ox in colRange { inLine[ox] += line[ox] }
                        } else {
                            for ox in colRange { inLine[ox * sw] += line[ox] }
                        }
                    }
                }
            }
        }
    }
}
