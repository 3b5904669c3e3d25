/// What a reconstruction unit is, found from the graph's topology.
public enum UnitKind: String, Sendable, Codable, CaseIterable {
    /// The first convolution (kept at 8 bits, outside every block).
    case stem
    /// A convolution or linear layer that belongs to no block.
    case layer
    /// Residual block with two k×k convolutions on the main path.
    case basic
    /// Residual block with 1×1 – k×k – 1×1 convolutions on the main path.
    case bottleneck
    /// MobileNetV2 block: (expand 1×1 –) depthwise k×k – project 1×1, with or without a skip.
    case invertedResidual = "inverted_residual"
    /// Any other region that ends in a residual Add.
    case residual
    /// Layers on branches that rejoin by Mul (squeeze-excitation gate) or
    /// Concat, without a residual Add.
    case branched
    /// Consecutive blocks at one spatial resolution.
    case stage
    /// Everything between the stem and the head.
    case net
    /// The classifier (the last layer) with the pooling/flatten in front of it.
    case head
}
