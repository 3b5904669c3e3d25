import Tensor

/// A fully connected layer `y = x Wᵀ + b`, imported from Gemm or MatMul (+ Add),
/// with alpha/beta and any following BatchNorm folded in.
public struct LinearParameters: Sendable, Equatable {
    /// `[outFeatures, inFeatures]`.
    public var weight: Tensor
    /// `[outFeatures]`.
    public var bias: Tensor

    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]], "linear weight \(weight.shape) / bias \(bias.shape)")
        self.weight = weight
        self.bias = bias
    }

    public var outFeatures: Int { weight.shape[0] }
    public var inFeatures: Int { weight.shape[1] }
}
