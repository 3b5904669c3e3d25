import Foundation

/// How far the quantized network's value of one tensor is from the FP
/// network's, both run from the same input images through every layer before
/// it: the error that has built up by that point.
public struct AccumulatedError: Sendable, Codable, Equatable {
    /// Noise-to-signal ratio 10·log10(‖q − f‖² / ‖f‖²) in dB over all
    /// elements of all images (q quantized, f FP). Higher is worse: −20 dB
    /// means the error carries 1 % of the signal's energy, 0 dB as much as the
    /// signal. Clamped to ±`limitDB` (no error at all reads −200).
    public var noiseToSignalDecibels: Double
    /// Cosine similarity of q and f as flat vectors (1 = same direction).
    public var cosine: Double
    /// Mean squared error per element.
    public var mse: Double

    public static let limitDB = 200.0

    public init(noiseToSignalDecibels: Double, cosine: Double, mse: Double) {
        self.noiseToSignalDecibels = noiseToSignalDecibels; self.cosine = cosine; self.mse = mse
    }
}

/// Running sums over batches for an `AccumulatedError`, in double precision.
struct AccumulatedErrorSums {
    private var noise = 0.0, signal = 0.0, quantized = 0.0, dot = 0.0
    private var count = 0

    mutating func add(quantized q: [Float], fp f: [Float]) {
        precondition(q.count == f.count, "quantized \(q.count) vs FP \(f.count) elements")
        var n = 0.0, s = 0.0, qq = 0.0, d = 0.0
        for i in q.indices {
            let a = Double(q[i]), b = Double(f[i])
            n += (a - b) * (a - b); s += b * b; qq += a * a; d += a * b
        }
        noise += n; signal += s; quantized += qq; dot += d
        count += q.count
    }

    var result: AccumulatedError {
        let ratio: Double
        if noise == 0 { ratio = -AccumulatedError.limitDB }
        else if signal == 0 { ratio = AccumulatedError.limitDB }
        else { ratio = min(max(10 * log10(noise / signal), -AccumulatedError.limitDB), AccumulatedError.limitDB) }
        let norms = (signal * quantized).squareRoot()
        let cosine = norms > 0 ? dot / norms : (noise == 0 ? 1 : 0)
        return AccumulatedError(noiseToSignalDecibels: ratio, cosine: cosine, mse: count > 0 ? noise / Double(count) : 0)
    }
}


extension AccumulatedError {
    /// Length of a layer's bar as a fraction of the worst layer's: bars are
    /// proportional to the noise-to-signal energy ratio (not to its dB), so a
    /// layer 10 dB better than the worst gets a tenth of its bar.
    public static func barFraction(noiseToSignalDecibels db: Double, worstDB: Double) -> Double {
        guard db.isFinite, worstDB.isFinite, db <= worstDB else { return db.isFinite && worstDB.isFinite ? 1 : 0 }
        return pow(10, (db - worstDB) / 10)
    }
}
