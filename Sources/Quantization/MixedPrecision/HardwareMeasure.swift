/// What a bit configuration costs on the hardware, as the search's constraint.
public enum HardwareMeasure: String, Sendable, Codable, Equatable, CaseIterable {
    /// Model size in bits: Σ weights × weight bits (+ 32-bit biases).
    case size
    /// Bit operations per image: Σ MACs × weight bits × input activation bits.
    case bops
    /// Microseconds per image from a per-layer × per-bit lookup table.
    case latency

    public var unit: String {
        switch self {
        case .size: return "bits"
        case .bops: return "BOPs"
        case .latency: return "µs"
        }
    }
}
