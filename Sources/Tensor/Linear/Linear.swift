/// Fully connected layer `y = x · Wᵀ + b` with `W` stored `[out, in]`
/// (PyTorch `nn.Linear`, ONNX `Gemm` with transB = 1), so imported weights
/// are used without transposing a copy.
public enum Linear {
    /// `output` is resized to `[N, out]`. `input` is `[N, in]` (flatten first).
    public static func forward(input: Tensor, weight: Tensor, bias: [Float]?, output: inout Tensor) {
        precondition(input.rank == 2 && weight.rank == 2 && input.shape[1] == weight.shape[1],
                     "linear: input \(input.shape) does not match weight \(weight.shape)")
        let n = input.shape[0], outFeatures = weight.shape[0]
        output.resize(to: [n, outFeatures])
        if let bias {
            precondition(bias.count == outFeatures, "linear: bias has \(bias.count) values for \(outFeatures) outputs")
            output.data.withUnsafeMutableBufferPointer { y in
                for r in 0..<n { (y.baseAddress! + r * outFeatures).update(from: bias, count: outFeatures) }
            }
        }
        Tensor.matrixMultiply(input, weight, transposeB: true, into: &output, beta: bias == nil ? 0 : 1)
    }

    public static func forward(input: Tensor, weight: Tensor, bias: [Float]? = nil) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input: input, weight: weight, bias: bias, output: &output)
        return output
    }

    /// Gradients (overwritten). Pass nil for those not needed.
    public static func backward(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                gradInput: UnsafeMutablePointer<Tensor>? = nil,
                                gradWeight: UnsafeMutablePointer<Tensor>? = nil,
                                gradBias: UnsafeMutablePointer<[Float]>? = nil) {
        let n = input.shape[0], outFeatures = weight.shape[0]
        precondition(gradOutput.shape == [n, outFeatures], "linear: gradOutput \(gradOutput.shape), expected \([n, outFeatures])")
        if let gradInput { Tensor.matrixMultiply(gradOutput, weight, into: &gradInput.pointee) }
        if let gradWeight { Tensor.matrixMultiply(gradOutput, transposeA: true, input, into: &gradWeight.pointee) }
        if let gradBias {
            var sums = [Float](repeating: 0, count: outFeatures)
            gradOutput.data.withUnsafeBufferPointer { dy in
                for r in 0..<n { for j in 0..<outFeatures { sums[j] += dy[r * outFeatures + j] } }
            }
            gradBias.pointee = sums
        }
    }

    /// `inout` convenience for all three gradients.
    public static func backward(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                gradInput: inout Tensor, gradWeight: inout Tensor, gradBias: inout [Float]) {
        withUnsafeMutablePointer(to: &gradInput) { dx in
            withUnsafeMutablePointer(to: &gradWeight) { dw in
                withUnsafeMutablePointer(to: &gradBias) { db in
                    backward(input: input, weight: weight, gradOutput: gradOutput, gradInput: dx, gradWeight: dw, gradBias: db)
                }
            }
        }
    }
}
