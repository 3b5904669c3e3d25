import Tensor

/// Weights used instead of a layer's own for one forward pass (e.g. the
/// quantized-dequantized weights of a conv being reconstructed). The shapes
/// must equal the layer's: `[Cout, Cin/g, kh, kw]` or `[out, in]`.
public struct LayerWeights: Sendable, Equatable {
    public var weight: Tensor
    /// nil keeps the layer's own bias.
    public var bias: Tensor?

    public init(weight: Tensor, bias: Tensor? = nil) {
        self.weight = weight
        self.bias = bias
    }
}
