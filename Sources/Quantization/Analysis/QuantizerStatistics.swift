/// How a tensor's values sit on its quantization grid.
public struct QuantizerStatistics: Sendable, Codable, Equatable {
    public var bits: Int
    /// Smallest and largest value (FP weights; activations as the FP network computes them).
    public var minimum: Double
    public var maximum: Double
    /// The grid's step Δ (weights: the mean of the per-channel steps).
    public var step: Double
    /// The value range in steps, (max − min)/Δ (weights: the mean over
    /// channels of each channel's range over its own step). Above
    /// 2^bits − 1 the grid cannot cover the range and clips.
    public var rangeInSteps: Double
    /// Fraction of values that the grid clamps (level below −½ or above 2^bits − ½).
    public var clippedFraction: Double
    public var histogram: GridHistogram

    public init(bits: Int, minimum: Double, maximum: Double, step: Double, rangeInSteps: Double,
                clippedFraction: Double, histogram: GridHistogram) {
        self.bits = bits; self.minimum = minimum; self.maximum = maximum; self.step = step
        self.rangeInSteps = rangeInSteps; self.clippedFraction = clippedFraction; self.histogram = histogram
    }

    /// A layer's weights on its per-output-channel grids.
    static func weights(_ values: [Float], grid: UniformAffineQuantizer, bins: Int) -> QuantizerStatistics {
        var sums = QuantizerStatisticsSums(maxLevel: Int(grid.maxLevel), bins: bins)
        let per = values.count / max(grid.channels, 1)
        var rangeSteps = 0.0
        for c in 0..<grid.channels {
            let slice = values[c * per..<(c + 1) * per]
            let delta = Double(grid.scales[c]), z = Double(grid.zeroPoints[c])
            sums.add(slice, step: delta, zeroPoint: z)
            if let lo = slice.min(), let hi = slice.max() { rangeSteps += (Double(hi) - Double(lo)) / delta }
        }
        let meanStep = grid.scales.reduce(0.0) { $0 + Double($1) } / Double(max(grid.channels, 1))
        return sums.result(bits: grid.bits, step: meanStep, rangeInSteps: rangeSteps / Double(max(grid.channels, 1)))
    }
}

/// Running sums over batches for a `QuantizerStatistics` of one tensor.
struct QuantizerStatisticsSums {
    private(set) var histogram: GridHistogram
    private var minimum = Double.infinity, maximum = -Double.infinity
    private var clipped = 0, count = 0

    init(maxLevel: Int, bins: Int) { histogram = GridHistogram(maxLevel: maxLevel, bins: bins) }

    mutating func add<C: Collection<Float>>(_ values: C, step: Double, zeroPoint: Double) {
        let top = Double(histogram.maxLevel) + 0.5
        for v in values {
            let x = Double(v)
            minimum = min(minimum, x); maximum = max(maximum, x)
            let level = x / step + zeroPoint
            if level < -0.5 || level > top { clipped += 1 }
            histogram.add(level: level)
        }
        count += values.count
    }

    func result(bits: Int, step: Double, rangeInSteps: Double? = nil) -> QuantizerStatistics {
        let lo = count > 0 ? minimum : 0, hi = count > 0 ? maximum : 0
        return QuantizerStatistics(bits: bits, minimum: lo, maximum: hi, step: step, rangeInSteps: rangeInSteps ?? (hi - lo) / step,
                                   clippedFraction: count > 0 ? Double(clipped) / Double(count) : 0, histogram: histogram)
    }
}
