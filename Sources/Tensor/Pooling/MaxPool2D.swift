/// Max pooling over NCHW. Padding never wins a max (ONNX semantics).
///
/// The backward pass recomputes each window's argmax from the input instead of
/// storing indices: pooling is cheap next to convolutions, and it keeps the
/// API stateless. Ties go to the first element in row-major order, as in PyTorch.
public enum MaxPool2D {
    public static func forward(input: Tensor, parameters p: Pool2DParameters, output: inout Tensor) {
        p.forward(input: input, output: &output, kind: "maxpool") { src, _, w, _, _, rows, cols in
            var best = -Float.infinity
            for iy in rows { for ix in cols { best = max(best, src[iy * w + ix]) } }
            return best
        }
    }

    public static func forward(input: Tensor, parameters: Pool2DParameters) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input: input, parameters: parameters, output: &output)
        return output
    }

    /// `gradInput` (resized to the input shape) receives each output gradient at its window's argmax.
    public static func backward(input: Tensor, gradOutput: Tensor, parameters p: Pool2DParameters, gradInput: inout Tensor) {
        input.data.withUnsafeBufferPointer { xb in
            let x = UnsafeSendableBox(xb.baseAddress!)
            p.backward(inputShape: input.shape, gradOutput: gradOutput, gradInput: &gradInput, kind: "maxpool") { plane, g, dst, h, w, _, _, rows, cols in
                let src = x.value + plane * h * w
                var best = -Float.infinity, bestIndex = -1
                for iy in rows { for ix in cols where src[iy * w + ix] > best || bestIndex < 0 {
                    best = src[iy * w + ix]; bestIndex = iy * w + ix
                } }
                if bestIndex >= 0 { dst[bestIndex] += g }
            }
        }
    }
}
