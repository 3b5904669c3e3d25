import Tensor

/// A 2-D convolution whose BatchNormalization, if any, is already folded in.
public struct ConvolutionParameters: Sendable, Equatable {
    /// `[outChannels, inChannels / groups, kernelHeight, kernelWidth]`.
    public var weight: Tensor
    /// `[outChannels]`; zeros when the model had no bias and no BatchNorm.
    public var bias: Tensor
    public var strideHeight: Int
    public var strideWidth: Int
    public var padding: Padding2D
    public var groups: Int

    public init(weight: Tensor, bias: Tensor, strideHeight: Int = 1, strideWidth: Int = 1,
                padding: Padding2D = .zero, groups: Int = 1) {
        precondition(weight.rank == 4 && bias.shape == [weight.shape[0]], "conv weight \(weight.shape) / bias \(bias.shape)")
        self.weight = weight
        self.bias = bias
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padding = padding
        self.groups = groups
    }

    public var outChannels: Int { weight.shape[0] }
    public var inChannels: Int { weight.shape[1] * groups }
    public var kernelHeight: Int { weight.shape[2] }
    public var kernelWidth: Int { weight.shape[3] }
    /// One filter per input channel (MobileNet's depthwise convolution).
    public var isDepthwise: Bool { groups > 1 && groups == inChannels && weight.shape[1] == 1 }
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && groups == 1 }
}
