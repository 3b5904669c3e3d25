import Network
import Tensor

/// The quantized state of one conv/linear layer's weights.
///
/// Weights are always held as committed integer levels on a per-output-channel
/// grid: round-to-nearest from the L_p initialisation until the layer's unit
/// is reconstructed, AdaRound's hard rounding afterwards. This is exactly what
/// an export needs, and what a checkpoint stores.
public struct LayerQuantization: Sendable, Codable, Equatable {
    public enum Rounding: String, Sendable, Codable, Equatable { case nearest, adaround }
    /// Node name in the graph.
    public var layer: String
    public var grid: UniformAffineQuantizer
    /// Integer level per weight, in the weight tensor's order.
    public var levels: [Int32]
    public var rounding: Rounding

    public var bits: Int { grid.bits }

    /// The quantized weights `(level − z)·Δ` in the weight's shape.
    public func dequantized(shape: [Int]) -> Tensor {
        let per = levels.count / grid.channels
        var out = [Float](repeating: 0, count: levels.count)
        for c in 0..<grid.channels {
            let delta = grid.scales[c], z = grid.zeroPoints[c]
            for i in c * per..<(c + 1) * per { out[i] = (Float(levels[i]) - z) * delta }
        }
        return Tensor(shape: shape, data: out)
    }
}

/// An activation quantizer on one tensor of the graph.
public struct ActivationQuantization: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable, Equatable {
        /// The output of the stem: 8 bits.
        case stemOutput
        /// The output of a block or layer unit (after its add and ReLU).
        case unitOutput
        /// Inside a block: the activation after an inner conv, read by the next conv.
        case inner
        /// What the classifier reads: 8 bits.
        case classifierInput
    }
    /// Name of the quantized tensor.
    public var tensor: String
    public var role: Role
    /// Conv/linear layers that read this tensor directly.
    public var readers: [String]
    public var bits: Int
    /// Nil until calibrated from data; an uncalibrated quantizer is inactive.
    public var quantizer: LearnedStepActivationQuantizer?

    /// 32 bits means "not quantized" (the A32 of W4A32).
    public var isQuantized: Bool { bits < 32 }
    public var isActive: Bool { isQuantized && quantizer != nil }
}

/// The quantized network's state: every layer's weight quantization and every
/// activation quantizer. Codable, so a checkpoint is this value plus the
/// session position and RNG state.
public struct QuantizedModel: Sendable, Codable, Equatable {
    /// In graph order.
    public var layers: [LayerQuantization]
    /// In graph order of the quantized tensors.
    public var activations: [ActivationQuantization]

    public func layer(named name: String) -> LayerQuantization? { layers.first { $0.layer == name } }
    public func layerIndex(named name: String) -> Int? { layers.firstIndex { $0.layer == name } }
    public func activationIndex(tensor: String) -> Int? { activations.firstIndex { $0.tensor == tensor } }

    /// The activation quantizer on a layer's input, if its input is quantized.
    public func inputActivation(ofLayer name: String) -> ActivationQuantization? {
        activations.first { $0.readers.contains(name) }
    }

    /// Weight bits per layer, in graph order.
    public var weightBits: [String: Int] { Dictionary(uniqueKeysWithValues: layers.map { ($0.layer, $0.bits) }) }

    /// Input activation bits per layer (32 when the layer's input is not quantized, e.g. the stem's image).
    public func inputActivationBits(ofLayer name: String) -> Int { inputActivation(ofLayer: name)?.bits ?? 32 }
}
