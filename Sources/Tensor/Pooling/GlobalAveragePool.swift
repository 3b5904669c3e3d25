/// Mean over each (sample, channel) plane: `[N, C, H, W] → [N, C, 1, 1]` (ONNX `GlobalAveragePool`).
public enum GlobalAveragePool {
    public static func forward(input: Tensor, output: inout Tensor) {
        precondition(input.rank == 4, "global average pool input must be NCHW, got \(input.shape)")
        let planes = input.shape[0] * input.shape[1], size = input.shape[2] * input.shape[3]
        output.resize(to: [input.shape[0], input.shape[1], 1, 1])
        let scale = 1 / Float(size)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for plane in 0..<planes {
                    var sum: Float = 0
                    let src = x.baseAddress! + plane * size
                    for i in 0..<size { sum += src[i] }
                    y[plane] = sum * scale
                }
            }
        }
    }

    public static func forward(input: Tensor) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input: input, output: &output)
        return output
    }

    public static func backward(inputShape: [Int], gradOutput: Tensor, gradInput: inout Tensor) {
        let planes = inputShape[0] * inputShape[1], size = inputShape[2] * inputShape[3]
        precondition(gradOutput.count == planes, "global average pool gradOutput \(gradOutput.shape) for input \(inputShape)")
        gradInput.resize(to: inputShape)
        let scale = 1 / Float(size)
        gradOutput.data.withUnsafeBufferPointer { dy in
            gradInput.data.withUnsafeMutableBufferPointer { dx in
                for plane in 0..<planes {
                    (dx.baseAddress! + plane * size).update(repeating: dy[plane] * scale, count: size)
                }
            }
        }
    }
}
