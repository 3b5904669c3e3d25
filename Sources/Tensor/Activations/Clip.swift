/// Elementwise clamp to `[min, max]`: ReLU is `[0, ∞)`, ReLU6 is `[0, 6]`
/// (ONNX `Relu`, `Clip`). One implementation so the gradient rule is shared.
///
/// The gradient passes where the input is strictly inside the interval,
/// matching PyTorch's `hardtanh`/`relu` backward (zero at the kinks).
public enum Clip {
    /// `output` may be the same tensor as `input` only through `forwardInPlace`.
    public static func forward(input: Tensor, min lo: Float, max hi: Float, output: inout Tensor) {
        output.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count { y[i] = Swift.min(Swift.max(x[i], lo), hi) }
            }
        }
    }

    public static func forwardInPlace(_ tensor: inout Tensor, min lo: Float, max hi: Float) {
        tensor.data.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count { y[i] = Swift.min(Swift.max(y[i], lo), hi) }
        }
    }

    /// `gradInput = gradOutput` where `lo < input < hi`, else 0. `gradInput` may alias nothing.
    public static func backward(input: Tensor, gradOutput: Tensor, min lo: Float, max hi: Float, gradInput: inout Tensor) {
        precondition(input.shape == gradOutput.shape, "clip backward: \(input.shape) vs \(gradOutput.shape)")
        gradInput.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            gradOutput.data.withUnsafeBufferPointer { dy in
                gradInput.data.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<x.count { dx[i] = (x[i] > lo && x[i] < hi) ? dy[i] : 0 }
                }
            }
        }
    }

    /// Masks `gradient` in place by the input, for chains that reuse one buffer.
    public static func backwardInPlace(input: Tensor, gradient: inout Tensor, min lo: Float, max hi: Float) {
        precondition(input.shape == gradient.shape, "clip backward: \(input.shape) vs \(gradient.shape)")
        input.data.withUnsafeBufferPointer { x in
            gradient.data.withUnsafeMutableBufferPointer { g in
                for i in 0..<x.count where !(x[i] > lo && x[i] < hi) { g[i] = 0 }
            }
        }
    }
}
