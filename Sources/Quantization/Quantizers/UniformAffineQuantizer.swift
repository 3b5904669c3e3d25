/// Uniform affine quantization on a grid of `2^bits` levels:
/// `q = clamp(round(x/Δ) + z, 0, 2^b − 1)`, `x̂ = (q − z)·Δ`.
///
/// One `(Δ, z)` pair per channel; a per-tensor quantizer has one channel. The
/// channel is the outermost index of the values it is applied to (output
/// channel of a conv `[Cout, Cin/g, kh, kw]` or linear `[out, in]` weight).
/// Rounding is half-to-even, as `torch.round` in the reference code.
public struct UniformAffineQuantizer: Sendable, Codable, Equatable {
    public var bits: Int
    /// Δ per channel.
    public var scales: [Float]
    /// z per channel; integral values stored as Float (they can be negative when a
    /// channel's range does not contain 0, as in the reference code).
    public var zeroPoints: [Float]

    public init(bits: Int, scales: [Float], zeroPoints: [Float]) {
        precondition((1...16).contains(bits), "bits must be in 1…16 (got \(bits))")
        precondition(scales.count == zeroPoints.count && !scales.isEmpty, "one scale and zero point per channel")
        self.bits = bits
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    public var channels: Int { scales.count }
    /// The largest integer level, `2^b − 1`.
    public var maxLevel: Float { Float((1 << bits) - 1) }

    /// The grid that `[min, max]` maps onto: `Δ = (max − min)/(2^b − 1)`, `z = round(−min/Δ)`.
    /// A degenerate range (max == min) gets a tiny Δ instead of dividing by zero.
    public static func grid(min: Float, max: Float, bits: Int) -> (scale: Float, zeroPoint: Float) {
        let levels = Float((1 << bits) - 1)
        let scale = Swift.max((max - min) / levels, Self.minimumScale)
        return (scale, (-min / scale).rounded(.toNearestOrEven))
    }

    /// Smallest Δ used for constant channels (all-zero filters occur after pruning).
    public static let minimumScale: Float = 1e-8

    /// The integer level of `x` in channel `c`.
    @inline(__always)
    public func level(_ x: Float, channel c: Int) -> Float {
        let q = (x / scales[c]).rounded(.toNearestOrEven) + zeroPoints[c]
        // NaN (a non-finite input or scale) would pass min/max and trap when made an integer.
        guard !q.isNaN else { return Swift.min(Swift.max(zeroPoints[c], 0), maxLevel) }
        return Swift.min(Swift.max(q, 0), maxLevel)
    }

    /// Quantizes then dequantizes `values` (channel-major, `values.count` divisible by `channels`).
    public func fakeQuantized(_ values: [Float]) -> [Float] {
        var out = values
        out.withUnsafeMutableBufferPointer { fakeQuantize(UnsafeBufferPointer($0), into: $0) }
        return out
    }

    /// Quantizes then dequantizes `source` into `destination` (may alias).
    public func fakeQuantize(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count && source.count % channels == 0)
        let per = source.count / channels
        let top = maxLevel
        for c in 0..<channels {
            let delta = scales[c], z = zeroPoints[c]
            for i in c * per..<(c + 1) * per {
                let q = Swift.min(Swift.max((source[i] / delta).rounded(.toNearestOrEven) + z, 0), top)
                destination[i] = (q - z) * delta
            }
        }
    }

    /// The integer levels of `values` (for export and for hard-rounded AdaRound weights).
    public func levels(_ values: [Float]) -> [Int32] {
        precondition(values.count % channels == 0)
        let per = values.count / channels
        return values.indices.map { Int32(level(values[$0], channel: $0 / per)) }
    }
}
