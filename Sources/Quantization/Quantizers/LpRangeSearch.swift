import Foundation

/// The reference code's 'mse' scale initialisation, vectorised over channels.
///
/// Candidate i (i = 0…79) shrinks both ends of each channel's range to
/// `(1 − 0.01·i)·[min, max]`; each channel keeps the candidate with the lowest
/// `mean(|x − x̂|^p)` (p = 2.4, LAPQ's L_p). The reference loops over channels
/// in Python and over candidates inside; here every candidate is one pass over
/// all channels, so the cost is 80 passes over the tensor whatever the
/// channel count. Ties keep the earlier (wider) candidate, as the reference's
/// strict `<` does.
public struct LpRangeSearch: Sendable, Equatable {
    public var p: Float
    public var candidates: Int
    /// Shrink of the range per candidate.
    public var step: Float

    public init(p: Float = 2.4, candidates: Int = 80, step: Float = 0.01) {
        precondition(candidates >= 1 && step >= 0 && Float(candidates - 1) * step < 1)
        self.p = p
        self.candidates = candidates
        self.step = step
    }

    /// Fits a quantizer with `channels` channels to channel-major `values`.
    public func fit(_ values: [Float], channels: Int, bits: Int) -> UniformAffineQuantizer {
        values.withUnsafeBufferPointer { fit($0, channels: channels, bits: bits) }
    }

    public func fit(_ values: UnsafeBufferPointer<Float>, channels: Int, bits: Int) -> UniformAffineQuantizer {
        precondition(channels >= 1 && values.count % channels == 0 && !values.isEmpty)
        let per = values.count / channels
        var mins = [Float](repeating: .infinity, count: channels)
        var maxs = [Float](repeating: -.infinity, count: channels)
        for c in 0..<channels {
            var lo = Float.infinity, hi = -Float.infinity
            for i in c * per..<(c + 1) * per {
                let v = values[i]
                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
            }
            mins[c] = lo; maxs[c] = hi
        }
        var bestScore = [Double](repeating: .infinity, count: channels)
        var bestScale = [Float](repeating: 1, count: channels)
        var bestZero = [Float](repeating: 0, count: channels)
        var scale = [Float](repeating: 0, count: channels)
        var zero = [Float](repeating: 0, count: channels)
        let top = Float((1 << bits) - 1)
        let p = self.p
        for candidate in 0..<candidates {
            let shrink = 1 - step * Float(candidate)
            for c in 0..<channels {
                (scale[c], zero[c]) = UniformAffineQuantizer.grid(min: mins[c] * shrink, max: maxs[c] * shrink, bits: bits)
            }
            for c in 0..<channels {
                let delta = scale[c], z = zero[c]
                var sum: Double = 0
                var partial: Float = 0
                var n = 0
                for i in c * per..<(c + 1) * per {
                    let x = values[i]
                    let q = Swift.min(Swift.max((x / delta).rounded(.toNearestOrEven) + z, 0), top)
                    let e = abs(x - (q - z) * delta)
                    partial += p == 2 ? e * e : Self.power(e, p)
                    n += 1
                    // Float partial sums over short runs keep the inner loop fast and
                    // the total accurate for the ~10^6-element activation tensors.
                    if n == 256 { sum += Double(partial); partial = 0; n = 0 }
                }
                sum += Double(partial)
                let score = sum / Double(per)
                if score < bestScore[c] {
                    bestScore[c] = score
                    bestScale[c] = delta
                    bestZero[c] = z
                }
            }
        }
        return UniformAffineQuantizer(bits: bits, scales: bestScale, zeroPoints: bestZero)
    }

    @inline(__always)
    static func power(_ e: Float, _ p: Float) -> Float {
        e == 0 ? 0 : Foundation.exp2(p * Foundation.log2(e))
    }
}
