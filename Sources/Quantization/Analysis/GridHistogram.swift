/// A histogram of a tensor's values on its quantization grid's axis: a value
/// x on a grid of step Δ and zero point z sits at level x/Δ + z, so the grid
/// points are the integers 0…`maxLevel` whatever the channel's step, and the
/// clipping bounds are −½ and `maxLevel` + ½. Per-channel weight grids share
/// one axis this way.
///
/// The axis is fixed by the grid before any value is seen (a margin of a
/// quarter of the grid on each side), so batches add up without a first
/// pass; values beyond the axis fall into the edge bins.
public struct GridHistogram: Sendable, Codable, Equatable {
    /// Highest level, 2^bits − 1.
    public var maxLevel: Int
    /// Axis bounds in levels: bin k covers [lower + k·w, lower + (k+1)·w), w = (upper − lower)/counts.count.
    public var lower: Double
    public var upper: Double
    public var counts: [Int]

    public init(maxLevel: Int, bins: Int) {
        let margin = Double(maxLevel + 1) / 4
        self.maxLevel = maxLevel
        self.lower = -0.5 - margin
        self.upper = Double(maxLevel) + 0.5 + margin
        self.counts = [Int](repeating: 0, count: max(bins, 1))
    }

    public init(maxLevel: Int, lower: Double, upper: Double, counts: [Int]) {
        self.maxLevel = maxLevel; self.lower = lower; self.upper = upper; self.counts = counts
    }

    public var binWidth: Double { (upper - lower) / Double(counts.count) }

    /// Bin holding `level` (edge bins take what lies beyond the axis).
    public func bin(ofLevel level: Double) -> Int {
        guard level.isFinite else { return level > 0 ? counts.count - 1 : 0 }
        let k = Int(((level - lower) / binWidth).rounded(.down).clamped(to: -1...Double(counts.count)))
        return min(max(k, 0), counts.count - 1)
    }

    mutating func add(level: Double) { counts[bin(ofLevel: level)] += 1 }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
