/// `max(x, 0)` and `min(max(x, 0), 6)`: named entry points over `Clip`.
public enum ReLU {
    public static func forward(input: Tensor, output: inout Tensor) {
        Clip.forward(input: input, min: 0, max: .infinity, output: &output)
    }
    public static func forward(input: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); forward(input: input, output: &output); return output
    }
    public static func forwardInPlace(_ tensor: inout Tensor) {
        Clip.forwardInPlace(&tensor, min: 0, max: .infinity)
    }
    public static func backward(input: Tensor, gradOutput: Tensor, gradInput: inout Tensor) {
        Clip.backward(input: input, gradOutput: gradOutput, min: 0, max: .infinity, gradInput: &gradInput)
    }
}

public enum ReLU6 {
    public static func forward(input: Tensor, output: inout Tensor) {
        Clip.forward(input: input, min: 0, max: 6, output: &output)
    }
    public static func forward(input: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); forward(input: input, output: &output); return output
    }
    public static func forwardInPlace(_ tensor: inout Tensor) {
        Clip.forwardInPlace(&tensor, min: 0, max: 6)
    }
    public static func backward(input: Tensor, gradOutput: Tensor, gradInput: inout Tensor) {
        Clip.backward(input: input, gradOutput: gradOutput, min: 0, max: 6, gradInput: &gradInput)
    }
}
