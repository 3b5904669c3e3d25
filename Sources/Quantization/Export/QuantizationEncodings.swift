/// The JSON written next to an exported model: every layer's integer grid,
/// every activation quantizer, where each sits in the ONNX file, and the
/// per-layer bit configuration (the `--bits-config` shape, so a run can be
/// repeated with exactly these bits).
public struct QuantizationEncodings: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        public var bits: Int
        public var rounding: LayerQuantization.Rounding
        /// Δ per output channel (axis 0 of the weight).
        public var scales: [Float]
        /// Our zero point z per channel, for unsigned levels 0…2^b−1.
        public var zeroPoints: [Float]
        /// The ONNX initializers: `{weight}_quantized`, `_scale`, `_zero_point`.
        public var onnxWeight: String
        public var onnxStorage: WeightEncoding.Storage
        /// Per channel, the zero point in the stored type (`z − offset`).
        public var onnxZeroPoints: [Int32]
        /// Per channel, what was subtracted from the levels to store them.
        public var onnxOffsets: [Int32]

        enum CodingKeys: String, CodingKey {
            case name, bits, rounding, scales
            case zeroPoints = "zero_points"
            case onnxWeight = "onnx_weight"
            case onnxStorage = "onnx_storage"
            case onnxZeroPoints = "onnx_zero_points"
            case onnxOffsets = "onnx_offsets"
        }
    }

    public struct Activation: Sendable, Codable, Equatable {
        public var tensor: String
        public var role: ActivationQuantization.Role
        public var bits: Int
        /// Δ, and our zero point z for levels 0…2^b−1.
        public var step: Float
        public var zeroPoint: Float
        public var readers: [String]
        public var onnxForm: ActivationEncoding.Form
        /// uint8, int8 or float.
        public var onnxType: String
        public var onnxZeroPoint: Int32
        /// `[low, high]` of the Clip before QuantizeLinear, when there is one.
        public var onnxClip: [Float]?

        enum CodingKeys: String, CodingKey {
            case tensor, role, bits, step, readers
            case zeroPoint = "zero_point"
            case onnxForm = "onnx_form"
            case onnxType = "onnx_type"
            case onnxZeroPoint = "onnx_zero_point"
            case onnxClip = "onnx_clip"
        }
    }

    public var format = "brecq-qdq-encodings"
    public var version = 1
    /// File name of the ONNX model these encodings describe.
    public var model: String
    public var opset: Int
    public var layers: [Layer]
    public var activations: [Activation]
    /// `{"layers": {"name": {"wbits": 4, "abits": 4}}}`, the `--bits-config` file's shape.
    public var bitConfiguration: BitsConfiguration

    enum CodingKeys: String, CodingKey {
        case format, version, model, opset, layers, activations
        case bitConfiguration = "bit_configuration"
    }
}
