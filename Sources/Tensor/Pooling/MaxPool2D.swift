/// Max pooling over NCHW. Padding never wins a max (ONNX semantics).
///
/// The backward pass recomputes each window's argmax from the input instead of
/// storing indices: pooling is cheap next to convolutions, and it keeps the
/// API stateless. Ties go to the first element in row-major order, as in PyTorch.
public enum MaxPool2D {
    public static func forward(input: Tensor, parameters p: Pool2DParameters, output: inout Tensor) {
        precondition(input.rank == 4, "maxpool input must be NCHW, got \(input.shape)")
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow) = p.outputSize(height: h, width: w)
        output.resize(to: [n, c, oh, ow])
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                let x = UnsafeSendableBox(xb.baseAddress!), y = UnsafeSendableBox(yb.baseAddress!)
                parallelFor(n * c, work: n * c * oh * ow * p.kernelHeight * p.kernelWidth) { plane in
                    let src = x.value + plane * h * w, dst = y.value + plane * oh * ow
                    p.forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                        var best = -Float.infinity
                        for iy in rows { for ix in cols { best = max(best, src[iy * w + ix]) } }
                        dst[oy * ow + ox] = best
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

    /// `gradInput` (resized to the input shape) receives each output gradient at its window's argmax.
    public static func backward(input: Tensor, gradOutput: Tensor, parameters p: Pool2DParameters, gradInput: inout Tensor) {
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow) = p.outputSize(height: h, width: w)
        precondition(gradOutput.shape == [n, c, oh, ow], "maxpool gradOutput \(gradOutput.shape), expected \([n, c, oh, ow])")
        gradInput.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { xb in
            gradOutput.data.withUnsafeBufferPointer { dyb in
                gradInput.data.withUnsafeMutableBufferPointer { dxb in
                    let x = UnsafeSendableBox(xb.baseAddress!), dy = UnsafeSendableBox(dyb.baseAddress!)
                    let dx = UnsafeSendableBox(dxb.baseAddress!)
                    parallelFor(n * c, work: n * c * oh * ow * p.kernelHeight * p.kernelWidth) { plane in
                        let src = x.value + plane * h * w, g = dy.value + plane * oh * ow, dst = dx.value + plane * h * w
                        dst.update(repeating: 0, count: h * w)
                        p.forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                            var best = -Float.infinity, bestIndex = -1
                            for iy in rows { for ix in cols where src[iy * w + ix] > best || bestIndex < 0 {
                                best = src[iy * w + ix]; bestIndex = iy * w + ix
                            } }
                            if bestIndex >= 0 { dst[bestIndex] += g[oy * ow + ox] }
                        }
                    }
                }
            }
        }
    }
}
