import Tensor

/// Bit widths of a run: defaults, the 8-bit first and last layers, and
/// per-layer overrides (mixed precision and the dashboard set these).
public struct QuantizationConfiguration: Sendable, Codable, Equatable {
    /// Default weight bits of every conv/linear layer.
    public var weightBits: Int
    /// Default activation bits; 32 = activations not quantized (W4A32).
    public var activationBits: Int
    /// Weight bits of the stem and of the classifier, and bits of the stem's
    /// output and of the classifier's input activations.
    public var firstLastBits: Int
    /// Weight bits per layer (node name), overriding the defaults above.
    public var layerWeightBits: [String: Int]
    /// Bits of a layer's input activation quantizer, by layer name.
    public var layerActivationBits: [String: Int]
    /// Images used to initialise activation ranges (the reference uses 64).
    public var activationCalibrationImages: Int
    /// How a session stores its N-image activations (streams, unit inputs and
    /// targets, Fisher weights); see `CachePrecision` for how a run chooses.
    public var cachePrecision: ActivationCache.Precision

    public init(weightBits: Int = 4, activationBits: Int = 32, firstLastBits: Int = 8,
                layerWeightBits: [String: Int] = [:], layerActivationBits: [String: Int] = [:],
                activationCalibrationImages: Int = 64, cachePrecision: ActivationCache.Precision = .fp32) {
        self.weightBits = weightBits
        self.activationBits = activationBits
        self.firstLastBits = firstLastBits
        self.layerWeightBits = layerWeightBits
        self.layerActivationBits = layerActivationBits
        self.activationCalibrationImages = activationCalibrationImages
        self.cachePrecision = cachePrecision
    }

    public func validationError() -> String? {
        if let p = BitWidth.problem(weightBits, for: .weights) { return "weight bits \(p)" }
        if let p = BitWidth.problem(activationBits, for: .activations) { return "activation bits \(p)" }
        if let p = BitWidth.problem(firstLastBits, for: .weights) { return "first/last layer bits \(p)" }
        for (layer, bits) in layerWeightBits.sorted(by: { $0.key < $1.key }) {
            if let p = BitWidth.problem(bits, for: .weights) { return "weight bits of \(layer) \(p)" }
        }
        for (layer, bits) in layerActivationBits.sorted(by: { $0.key < $1.key }) {
            if let p = BitWidth.problem(bits, for: .activations) { return "activation bits of \(layer) \(p)" }
        }
        if activationCalibrationImages < 1 { return "activation calibration images must be ≥ 1" }
        return nil
    }
}

/// What a reconstruction phase optimises.
public enum UnitPhase: String, Sendable, Codable, Equatable {
    /// AdaRound's α, activation quantizers of the unit off (reference, first pass).
    case weights
    /// Activation steps with the weights hard-rounded (reference, second pass; p = 2.4).
    case activations
    /// α and activation steps together, with QDrop.
    case joint
}

public enum QuantizationError: Error, Equatable, CustomStringConvertible {
    case unknownLayer(String)
    case invalidBits(String)
    case unitNotContiguous(String)
    case unitAlreadyPassed(String)
    case noActivationQuantizer(layer: String)

    public var description: String {
        switch self {
        case .unknownLayer(let name): return "no conv/linear layer named '\(name)'"
        case .invalidBits(let detail): return detail
        case .unitNotContiguous(let name): return "unit '\(name)' is not a contiguous run of nodes"
        case .unitAlreadyPassed(let name): return "unit '\(name)' lies before the session's position; units must be reconstructed front to back"
        case .noActivationQuantizer(let layer): return "the input of layer '\(layer)' is not quantized (the image input, or activations at 32 bits)"
        }
    }
}
