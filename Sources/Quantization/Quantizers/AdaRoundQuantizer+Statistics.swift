/// What AdaRound's soft rounding is doing to one layer's weights at an
/// iteration: how many weights it would now send to another grid level than
/// round-to-nearest (the "flips"), and how h(α) is distributed over [0, 1] —
/// spread out while the regulariser is weak, piled up at 0 and 1 once β has
/// annealed. Recorded in the event log, so it is Codable with the log's keys.
public struct LayerRoundingStatistics: Sendable, Codable, Equatable {
    /// Equal bins of h(α) over [0, 1]; h = 1 counts in the last.
    public static let bins = 10
    /// Soft roundings strictly between these are "undecided".
    public static let undecidedRange: ClosedRange<Float> = 0.1...0.9

    public var layer: String
    /// Weights in the layer.
    public var weights: Int
    /// Weights whose hard rounding now (h(α) ≥ ½ rounds up, clamped to the
    /// grid) lands on a different integer level than round-to-nearest of w/Δ.
    public var flips: Int
    /// Weights with 0.1 < h(α) < 0.9: not yet pushed to a grid point.
    public var undecided: Int
    /// Counts of h(α) per bin, `bins` of them; they add up to `weights`.
    public var histogram: [Int]

    public init(layer: String, weights: Int, flips: Int, undecided: Int, histogram: [Int]) {
        self.layer = layer; self.weights = weights; self.flips = flips
        self.undecided = undecided; self.histogram = histogram
    }

    /// Flips as a percentage of the layer's weights.
    public var flipPercent: Double { weights > 0 ? 100 * Double(flips) / Double(weights) : 0 }
    /// Undecided weights as a percentage of the layer's weights.
    public var undecidedPercent: Double { weights > 0 ? 100 * Double(undecided) / Double(weights) : 0 }
}

extension AdaRoundQuantizer {
    /// The layer's rounding statistics now. `weights` are the FP weights the
    /// quantizer was built from (round-to-nearest is computed from them with
    /// the same grid); one pass over the layer, run every few hundred
    /// iterations, so it is kept simple rather than parallel.
    public func statistics(layer: String, weights: [Float]) -> LayerRoundingStatistics {
        precondition(weights.count == count)
        let top = grid.maxLevel
        let bins = LayerRoundingStatistics.bins
        var histogram = [Int](repeating: 0, count: bins)
        var flips = 0, undecided = 0
        for i in alpha.indices {
            let c = i / channelSize
            let h = Self.softRounding(alpha[i])
            // NaN α (a diverged run) counts in the first bin and as decided down, as hardLevels rounds it.
            let bin = h.isNaN ? 0 : Swift.min(bins - 1, Int(h * Float(bins)))
            histogram[bin] += 1
            if h > LayerRoundingStatistics.undecidedRange.lowerBound && h < LayerRoundingStatistics.undecidedRange.upperBound {
                undecided += 1
            }
            // The level hardLevels() would commit now: up where α ≥ 0, i.e. h(α) ≥ ½.
            let up: Float = alpha[i] >= 0 ? 1 : 0
            let soft = floors[i] + up + grid.zeroPoints[c]
            let hard = soft.isNaN ? Swift.min(Swift.max(grid.zeroPoints[c], 0), top) : Swift.min(Swift.max(soft, 0), top)
            if hard != grid.level(weights[i], channel: c) { flips += 1 }
        }
        return LayerRoundingStatistics(layer: layer, weights: count, flips: flips, undecided: undecided, histogram: histogram)
    }
}
