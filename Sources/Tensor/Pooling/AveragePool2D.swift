/// Average pooling over NCHW with ONNX divisor rules.
///
/// With `countIncludePad == false` (ONNX default) a border window divides by
/// the number of image elements it covers; with true, by the window clipped to
/// the padded image (so a ceil-mode window hanging past the padding is not
/// counted beyond it, as in PyTorch).
public enum AveragePool2D {
    public static func forward(input: Tensor, parameters p: Pool2DParameters, output: inout Tensor) {
        p.forward(input: input, output: &output, kind: "avgpool") { src, h, w, oy, ox, rows, cols in
            var sum: Float = 0
            for iy in rows { for ix in cols { sum += src[iy * w + ix] } }
            return sum / divisor(p, oy: oy, ox: ox, rows: rows, cols: cols, h: h, w: w)
        }
    }

    public static func forward(input: Tensor, parameters: Pool2DParameters) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input: input, parameters: parameters, output: &output)
        return output
    }

    public static func backward(inputShape: [Int], gradOutput: Tensor, parameters p: Pool2DParameters, gradInput: inout Tensor) {
        p.backward(inputShape: inputShape, gradOutput: gradOutput, gradInput: &gradInput, kind: "avgpool") { _, g, dst, h, w, oy, ox, rows, cols in
            let share = g / divisor(p, oy: oy, ox: ox, rows: rows, cols: cols, h: h, w: w)
            for iy in rows { for ix in cols { dst[iy * w + ix] += share } }
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
