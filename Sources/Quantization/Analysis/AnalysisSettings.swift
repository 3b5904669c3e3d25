import Tensor

/// What the analysis measures and how it batches.
public struct AnalysisSettings: Sendable, Codable, Equatable {
    /// Images per forward pass.
    public var batchSize: Int
    /// Bins of each histogram.
    public var histogramBins: Int
    /// Measure each layer alone at the output (three passes per layer: the costly part).
    public var measuresIsolated: Bool
    /// Report (and quantize) only these layers; nil for all. A live run names
    /// the layers of the units done so far: the rest of the network stays FP.
    public var layers: Set<String>?

    public init(batchSize: Int = 100, histogramBins: Int = 32, measuresIsolated: Bool = true, layers: Set<String>? = nil) {
        self.batchSize = batchSize
        self.histogramBins = histogramBins
        self.measuresIsolated = measuresIsolated
        self.layers = layers
    }

    /// `count` of `total` image indices, drawn without replacement by `seed`
    /// and sorted (all of them, in order, when `count ≥ total`).
    public static func evaluationIndices(count: Int, of total: Int, seed: UInt64) -> [Int] {
        guard count < total else { return Array(0..<total) }
        var random = Xoshiro256StarStar(seed: seed)
        return random.sample(count, from: total).sorted()
    }
}

/// How far an analysis has got: forward passes done of the total.
public struct AnalysisProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
}
