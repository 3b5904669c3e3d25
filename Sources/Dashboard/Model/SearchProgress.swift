import Engine

/// The mixed-precision search as far as its events have told us.
public struct SearchProgress: Sendable, Equatable {
    public var started: SearchStarted
    public var generations: [GenerationStats] = []

    public init(started: SearchStarted) { self.started = started }

    public var latest: GenerationStats? { generations.last }

    /// The latest best configuration as layer counts per weight bit width, e.g. "5×W2 3×W4 4×W8".
    public var bestMix: String? {
        guard let bits = latest?.bestBits, !bits.isEmpty else { return nil }
        let counts = Dictionary(grouping: bits, by: { $0 }).mapValues(\.count)
        return counts.keys.sorted().map { "\(counts[$0]!)×W\($0)" }.joined(separator: " ")
    }
}
