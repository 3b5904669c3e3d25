import Foundation

/// Element-wise activations that are not clamps (those are `Clip`): ONNX
/// `LeakyRelu`, `HardSigmoid`, `HardSwish`, `Sigmoid`, `Tanh`, with ONNX's
/// formulas and attribute meanings. One value and one derivative per
/// function, so forward and backward cannot disagree.
///
/// Derivatives at the kinks follow PyTorch's backward: LeakyReLU takes the
/// negative slope at 0, HardSigmoid passes only strictly inside (0, 1),
/// HardSwish uses x/3 + 1/2 on the closed interval [−3, 3].
public enum SmoothActivation: Sendable, Equatable, Hashable {
    /// `x ≥ 0 ? x : alpha·x`.
    case leakyRelu(alpha: Float)
    /// `max(0, min(1, alpha·x + beta))`.
    case hardSigmoid(alpha: Float, beta: Float)
    /// `x · max(0, min(1, x/6 + 1/2))`.
    case hardSwish
    case sigmoid
    case tanh

    /// The ONNX operator name.
    public var onnxName: String {
        switch self {
        case .leakyRelu: "LeakyRelu"
        case .hardSigmoid: "HardSigmoid"
        case .hardSwish: "HardSwish"
        case .sigmoid: "Sigmoid"
        case .tanh: "Tanh"
        }
    }

    public func value(_ x: Float) -> Float {
        switch self {
        case .leakyRelu(let alpha): x >= 0 ? x : alpha * x
        case let .hardSigmoid(alpha, beta): Swift.max(0, Swift.min(1, alpha * x + beta))
        case .hardSwish: x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .tanh: Foundation.tanh(x)
        }
    }

    /// ∂value/∂x.
    public func derivative(_ x: Float) -> Float {
        switch self {
        case .leakyRelu(let alpha):
            return x > 0 ? 1 : alpha
        case let .hardSigmoid(alpha, beta):
            let z = alpha * x + beta
            return z > 0 && z < 1 ? alpha : 0
        case .hardSwish:
            return x < -3 ? 0 : x > 3 ? 1 : x / 3 + 0.5
        case .sigmoid:
            let s = value(x)
            return s * (1 - s)
        case .tanh:
            let t = Foundation.tanh(x)
            return 1 - t * t
        }
    }

    public func forward(input: Tensor, output: inout Tensor) {
        output.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for i in x.indices { y[i] = value(x[i]) }
            }
        }
    }

    /// `gradInput = gradOutput · f′(input)`.
    public func backward(input: Tensor, gradOutput: Tensor, gradInput: inout Tensor) {
        precondition(input.shape == gradOutput.shape, "\(onnxName) backward: \(input.shape) vs \(gradOutput.shape)")
        gradInput.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            gradOutput.data.withUnsafeBufferPointer { dy in
                gradInput.data.withUnsafeMutableBufferPointer { dx in
                    for i in x.indices { dx[i] = dy[i] * derivative(x[i]) }
                }
            }
        }
    }
}
