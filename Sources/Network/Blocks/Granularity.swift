import Tensor

/// How coarse the units reconstructed together are (BRECQ, section 3.2).
public enum Granularity: String, Sendable, Codable, CaseIterable, NamedCase {
    /// Every conv/linear layer (with its activation) on its own.
    case layer
    /// Residual and inverted-residual blocks; layers outside blocks alone.
    case block
    /// Blocks merged between changes of spatial resolution.
    case stage
    /// Everything between stem and head as one unit.
    case net

    public init(from decoder: any Decoder) throws { self = try Self.decodeNamed(from: decoder) }
}
