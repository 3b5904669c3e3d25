/// A fake quantizer of activations that the executor applies to a node's
/// output: the Network side of the plug, implemented by Quantization's
/// learned-step quantizer (Network knows no quantization scheme).
public protocol ActivationQuantizing: Sendable {
    /// Quantizes `values` in place. With `keep`, elements whose flag is 0 keep
    /// their FP value (QDrop); the others are quantized.
    func quantize(_ values: UnsafeMutableBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?)

    /// Given the forward input `input` (before quantization) and the same `keep`,
    /// turns ∂L/∂x̂ in `gradient` into ∂L/∂x in place and returns ∂L/∂step.
    func backward(input: UnsafeBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?,
                  gradient: UnsafeMutableBufferPointer<Float>) -> Float
}

/// An activation quantizer placed on one node's output, with how it is trained.
public struct ActivationQuantizerSlot: Sendable {
    public var quantizer: any ActivationQuantizing
    /// QDrop: probability that an element keeps its FP value in a forward pass (0 = always quantized).
    public var dropProbability: Float
    /// Whether `backward` reports ∂L/∂step for this quantizer.
    public var learnsStep: Bool

    public init(_ quantizer: any ActivationQuantizing, dropProbability: Float = 0, learnsStep: Bool = false) {
        self.quantizer = quantizer
        self.dropProbability = dropProbability
        self.learnsStep = learnsStep
    }
}
