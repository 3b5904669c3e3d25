/// How one b-bit activation quantizer is written as ONNX operators, exactly.
///
/// Our quantizer computes `q = clamp(round(x/Δ) + z, 0, 2^b−1)` and
/// `x̂ = (q − z)·Δ` with round-half-to-even, the rounding QuantizeLinear uses.
/// The dequantized values are `k·Δ` for the integers `k ∈ −z…2^b−1−z`.
/// QuantizeLinear/DequantizeLinear with scale Δ and a zero point `zp` produce
/// `k·Δ` for `k ∈ tmin−zp…tmax−zp` (the 8-bit type's range), saturating. So:
/// - choose a type (uint8 first, int8 otherwise) and `zp` whose window
///   contains the b-bit window of `k`;
/// - when the windows differ (bits < 8, or a shifted zero point), clamp first
///   with a Clip at `[−z·Δ, (2^b−1−z)·Δ]`: `round(clip(x)/Δ)` then equals the
///   b-bit clamp of `round(x/Δ)`, so the pair is exact, not an approximation.
/// An 8-bit grid that does not contain 0 (z outside 0…255) fits no 8-bit zero
/// point; it is written as Clip → Div → Round → Mul in float, which computes
/// the same values (ONNX Round is half-to-even too).
public struct ActivationEncoding: Sendable, Equatable {
    public enum Form: String, Sendable, Codable, Equatable {
        /// QuantizeLinear → DequantizeLinear, optionally after a Clip.
        case qdq
        /// Clip → Div → Round → Mul (no 8-bit zero point fits the grid).
        case float
    }

    public var form: Form
    /// uint8 or int8 for `.qdq`.
    public var elementType: String
    public var scale: Float
    /// In the element type (`.qdq` only).
    public var zeroPoint: Int32
    /// Float bounds of the b-bit range; nil when the 8-bit saturation is the b-bit clamp already.
    public var clip: ClosedRange<Float>?

    public init(_ activation: ActivationQuantization) throws(ExportError) {
        guard let quantizer = activation.quantizer else {
            throw .notQuantized("the activation quantizer on tensor '\(activation.tensor)' is not calibrated")
        }
        let bits = activation.bits
        guard BitWidth.range.contains(bits), quantizer.bits == bits else {
            throw .unrepresentableBits(what: "activation '\(activation.tensor)'", bits: bits)
        }
        let z = Int32(quantizer.zeroPoint)
        let top = Int32((1 << bits) - 1)
        let delta = quantizer.step
        scale = delta
        // k·Δ spans (−z)…(top − z); a type window tmin…tmax with zero point zp spans (tmin − zp)…(tmax − zp).
        func fittingZeroPoint(tmin: Int32, tmax: Int32) -> Int32? {
            let low = max(tmin + z, tmin), high = min(tmax - top + z, tmax)
            return low <= high ? min(max(z, low), high) : nil
        }
        let window: (Int32, Int32)
        if let zp = fittingZeroPoint(tmin: 0, tmax: 255) {
            form = .qdq; elementType = "uint8"; zeroPoint = zp; window = (0, 255)
        } else if let zp = fittingZeroPoint(tmin: -128, tmax: 127) {
            form = .qdq; elementType = "int8"; zeroPoint = zp; window = (-128, 127)
        } else {
            form = .float; elementType = "float"; zeroPoint = 0; window = (0, 0)
        }
        let bounds = (Float(-z) * delta)...(Float(top - z) * delta)
        let saturationIsClamp = form == .qdq && window.0 - zeroPoint == -z && window.1 - zeroPoint == top - z
        clip = saturationIsClamp ? nil : bounds
    }
}
