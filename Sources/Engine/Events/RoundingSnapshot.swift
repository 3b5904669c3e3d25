import Quantization

/// The `rounding` event: for every layer whose rounding a unit's phase learns,
/// how many weights AdaRound currently sends to another grid level than
/// round-to-nearest and how h(α) is spread over [0, 1]. Emitted when the phase
/// starts, every `RunConfiguration.roundingInterval` iterations and at its end:
/// a handful per unit, so it never competes with the iteration events.
public struct RoundingSnapshot: Sendable, Codable, Equatable {
    public var unit: Int
    public var phase: UnitPhase
    /// Iterations done when measured (0: the phase's start, h(α) = the fractional parts of w/Δ).
    public var iteration: Int
    public var iterations: Int
    /// β of the rounding regulariser at this iteration; nil while it is off (warm-up, the start).
    public var beta: Double?
    public var layers: [LayerRoundingStatistics]
    public init(unit: Int, phase: UnitPhase, iteration: Int, iterations: Int, beta: Double?, layers: [LayerRoundingStatistics]) {
        self.unit = unit; self.phase = phase; self.iteration = iteration; self.iterations = iterations
        self.beta = beta; self.layers = layers
    }
}
