/// Average pooling over NCHW with ONNX divisor rules.
///
/// With `countIncludePad == false` (ONNX default) a border window divides by
/// the number of image elements it covers; with true, by the window clipped to
/// the padded image (so a ceil-mode window hanging past the padding is not
/// counted beyond it, as in PyTorch).
public enum AveragePool2D {
    public static func forward(input: Tensor, parameters p: Pool2DParameters, output: inout Tensor) {
        precondition(input.rank == 4, "avgpool input must be NCHW, got \(input.shape)")
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow) = p.outputSize(height: h, width: w)
        output.resize(to: [n, c, oh, ow])
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                let x = UnsafeSendableBox(xb.baseAddress!), y = UnsafeSendableBox(yb.baseAddress!)
                parallelFor(n * c, work: n * c * oh * ow * p.kernelHeight * p.kernelWidth) { plane in
                    let src = x.value + plane * h * w, dst = y.value + plane * oh * ow
                    p.forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                        var sum: Float = 0
                        for iy in rows { for ix in cols { sum += src[iy * w + ix] } }
                        dst[oy * ow + ox] = sum / divisor(p, oy: oy, ox: ox, rows: rows, cols: cols, h: h, w: w)
                    }
                }
            }
        }
    }

    public static func forward(input: Tensor, parameters: Pool2DParameters) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input: input, parameters: parameters, output: &output)
        return output
    }

    public static func backward(inputShape: [Int], gradOutput: Tensor, parameters p: Pool2DParameters, gradInput: inout Tensor) {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (oh, ow) = p.outputSize(height: h, width: w)
        precondition(gradOutput.shape == [n, c, oh, ow], "avgpool gradOutput \(gradOutput.shape), expected \([n, c, oh, ow])")
        gradInput.resize(to: inputShape)
        gradOutput.data.withUnsafeBufferPointer { dyb in
            gradInput.data.withUnsafeMutableBufferPointer { dxb in
                let dy = UnsafeSendableBox(dyb.baseAddress!), dx = UnsafeSendableBox(dxb.baseAddress!)
                parallelFor(n * c, work: n * c * oh * ow * p.kernelHeight * p.kernelWidth) { plane in
                    let g = dy.value + plane * oh * ow, dst = dx.value + plane * h * w
                    dst.update(repeating: 0, count: h * w)
                    p.forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                        let share = g[oy * ow + ox] / divisor(p, oy: oy, ox: ox, rows: rows, cols: cols, h: h, w: w)
                        for iy in rows { for ix in cols { dst[iy * w + ix] += share } }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func divisor(_ p: Pool2DParameters, oy: Int, ox: Int, rows: Range<Int>, cols: Range<Int>, h: Int, w: Int) -> Float {
        if !p.countIncludePad { return Float(max(1, rows.count * cols.count)) }
        let y0 = oy * p.strideHeight - p.padTop, x0 = ox * p.strideWidth - p.padLeft
        let ph = min(y0 + p.kernelHeight, h + p.padBottom) - y0
        let pw = min(x0 + p.kernelWidth, w + p.padRight) - x0
        return Float(max(1, ph * pw))
    }
}
