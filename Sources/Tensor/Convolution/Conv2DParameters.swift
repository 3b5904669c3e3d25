/// The hyperparameters of a 2-D convolution that are not in the weight tensor.
///
/// Kernel size and channel counts come from the weight (`[Cout, Cin/groups, kH, kW]`,
/// the ONNX/PyTorch layout) so they cannot disagree with it. Padding is
/// asymmetric because ONNX `pads` and `auto_pad=SAME_*` produce uneven padding.
public struct Conv2DParameters: Sendable, Hashable {
    public var strideHeight: Int
    public var strideWidth: Int
    public var padTop: Int
    public var padLeft: Int
    public var padBottom: Int
    public var padRight: Int
    public var groups: Int

    public init(strideHeight: Int, strideWidth: Int,
                padTop: Int, padLeft: Int, padBottom: Int, padRight: Int,
                groups: Int = 1) {
        precondition(strideHeight > 0 && strideWidth > 0, "stride must be positive")
        precondition(min(padTop, padLeft, padBottom, padRight) >= 0, "padding must be non-negative")
        precondition(groups > 0, "groups must be positive")
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padTop = padTop
        self.padLeft = padLeft
        self.padBottom = padBottom
        self.padRight = padRight
        self.groups = groups
    }

    /// Square stride and symmetric padding, the common case.
    public init(stride: Int = 1, padding: Int = 0, groups: Int = 1) {
        self.init(strideHeight: stride, strideWidth: stride,
                  padTop: padding, padLeft: padding, padBottom: padding, padRight: padding,
                  groups: groups)
    }

    /// Output spatial size for an input of `height`×`width` and a kH×kW kernel (floor mode).
    public func outputSize(height: Int, width: Int, kernelHeight: Int, kernelWidth: Int) -> (height: Int, width: Int) {
        ((height + padTop + padBottom - kernelHeight) / strideHeight + 1,
         (width + padLeft + padRight - kernelWidth) / strideWidth + 1)
    }
}

/// Every size one convolution call needs, derived once from the shapes.
@usableFromInline
struct ConvGeometry: Sendable {
    let batch: Int, inChannels: Int, inHeight: Int, inWidth: Int
    let outChannels: Int, kernelHeight: Int, kernelWidth: Int
    let outHeight: Int, outWidth: Int
    let parameters: Conv2DParameters

    var groups: Int { parameters.groups }
    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var inPlane: Int { inHeight * inWidth }
    var outPlane: Int { outHeight * outWidth }
    /// Rows of the column matrix: one per (input channel in group, ky, kx).
    var patchSize: Int { inChannelsPerGroup * kernelHeight * kernelWidth }
    var inputShape: [Int] { [batch, inChannels, inHeight, inWidth] }
    var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    var weightShape: [Int] { [outChannels, inChannelsPerGroup, kernelHeight, kernelWidth] }
    /// Multiply-adds × 2 of the forward pass; backward-input and backward-weight cost the same each.
    var forwardFlops: Double { 2 * Double(batch) * Double(outChannels) * Double(outPlane) * Double(patchSize) }
    /// One input channel per group: handled by direct loops instead of GEMM.
    var isDepthwise: Bool { inChannelsPerGroup == 1 && groups > 1 }

    init(inputShape: [Int], weightShape: [Int], parameters: Conv2DParameters) {
        precondition(inputShape.count == 4, "conv2d input must be NCHW, got \(inputShape)")
        precondition(weightShape.count == 4, "conv2d weight must be [Cout, Cin/groups, kH, kW], got \(weightShape)")
        let g = parameters.groups
        batch = inputShape[0]; inChannels = inputShape[1]; inHeight = inputShape[2]; inWidth = inputShape[3]
        outChannels = weightShape[0]; kernelHeight = weightShape[2]; kernelWidth = weightShape[3]
        precondition(inChannels % g == 0 && outChannels % g == 0,
                     "channels \(inChannels)→\(outChannels) not divisible by groups \(g)")
        precondition(weightShape[1] * g == inChannels,
                     "weight \(weightShape) expects \(weightShape[1] * g) input channels, input has \(inChannels)")
        let out = parameters.outputSize(height: inHeight, width: inWidth,
                                        kernelHeight: kernelHeight, kernelWidth: kernelWidth)
        precondition(out.height > 0 && out.width > 0, "conv2d output would be empty for input \(inputShape), weight \(weightShape)")
        outHeight = out.height; outWidth = out.width
        self.parameters = parameters
    }

    /// Output columns `ox` whose input column `ox*stride + kx - padLeft` lies inside the image.
    @inline(__always)
    func validOutputColumns(kx: Int) -> Range<Int> {
        Self.validOutputs(tap: kx - parameters.padLeft, stride: parameters.strideWidth, input: inWidth, output: outWidth)
    }

    /// Same as `validOutputColumns` for rows.
    @inline(__always)
    func validOutputRows(ky: Int) -> Range<Int> {
        Self.validOutputs(tap: ky - parameters.padTop, stride: parameters.strideHeight, input: inHeight, output: outHeight)
    }

    /// Outputs `o` along one axis whose input `o*stride + offset` lies in `0..<input`.
    @inline(__always)
    private static func validOutputs(tap offset: Int, stride s: Int, input: Int, output: Int) -> Range<Int> {
        let lo = offset >= 0 ? 0 : (-offset + s - 1) / s
        let hi = input - offset <= 0 ? 0 : min(output, (input - offset - 1) / s + 1)
        return lo..<max(lo, hi)
    }
}
