import Tensor

/// Inference-mode BatchNormalization `y = γ (x − μ) / √(σ² + ε) + β`, per channel.
/// It never survives import: it is folded into the convolution or linear layer
/// that feeds it, or (when nothing foldable precedes it) becomes a depthwise
/// 1×1 convolution, which computes exactly the same per-channel affine map.
struct BatchNormalization {
    var gamma: [Float]
    var beta: [Float]
    var mean: [Float]
    var variance: [Float]
    var epsilon: Float

    var channels: Int { gamma.count }

    /// Per-channel multiplier and offset, computed in double precision so the
    /// folded layer matches the unfolded pair to float rounding.
    private var affine: (scale: [Double], shift: [Double]) {
        var scale = [Double](repeating: 0, count: channels)
        var shift = [Double](repeating: 0, count: channels)
        for c in 0..<channels {
            scale[c] = Double(gamma[c]) / (Double(variance[c]) + Double(epsilon)).squareRoot()
            shift[c] = Double(beta[c]) - Double(mean[c]) * scale[c]
        }
        return (scale, shift)
    }

    /// Scales output channel c's weights by s_c and maps its bias b to s_c·b + shift_c.
    private func fold(weight: Tensor, bias: Tensor) -> (weight: Tensor, bias: Tensor) {
        let (scale, shift) = affine
        let perChannel = weight.count / channels
        var w = weight.data
        var b = bias.data
        for c in 0..<channels {
            for i in (c * perChannel)..<((c + 1) * perChannel) { w[i] = Float(Double(w[i]) * scale[c]) }
            b[c] = Float(Double(b[c]) * scale[c] + shift[c])
        }
        return (Tensor(shape: weight.shape, data: w), Tensor(shape: bias.shape, data: b))
    }

    func folded(into conv: ConvolutionParameters) -> ConvolutionParameters {
        var result = conv
        (result.weight, result.bias) = fold(weight: conv.weight, bias: conv.bias)
        return result
    }

    func folded(into linear: LinearParameters) -> LinearParameters {
        let (w, b) = fold(weight: linear.weight, bias: linear.bias)
        return LinearParameters(weight: w, bias: b)
    }

    /// The same map as a depthwise 1×1 convolution (one filter per channel).
    func asDepthwiseConvolution() -> ConvolutionParameters {
        let (scale, shift) = affine
        return ConvolutionParameters(weight: Tensor(shape: [channels, 1, 1, 1], data: scale.map { Float($0) }),
                                     bias: Tensor(shape: [channels], data: shift.map { Float($0) }),
                                     groups: channels)
    }
}
