/// Why a quantized model cannot be exported. Each message names the layer,
/// tensor or file concerned, so the command line can pass it on unchanged.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// An activation quantizer was placed but never calibrated (the run has not finished).
    case notQuantized(String)
    /// A weight or activation bit width that 8-bit QDQ cannot hold.
    case unrepresentableBits(what: String, bits: Int)
    /// The model and the graph do not belong together.
    case mismatch(String)

    public var description: String {
        switch self {
        case .notQuantized(let detail): return "model not yet quantized: \(detail)"
        case let .unrepresentableBits(what, bits):
            return "\(what) has \(bits)-bit quantization; ONNX QDQ export supports \(BitWidth.range.lowerBound)…\(BitWidth.range.upperBound) bits (or \(BitWidth.floatingPoint) = floating point for activations)"
        case .mismatch(let detail): return "the quantized model does not match the graph: \(detail)"
        }
    }
}
