import Quantization
import Engine

/// What the dashboard knows about one reconstruction unit (stem, block, head…).
public struct UnitProgress: Sendable, Equatable {
    public var info: UnitInfo
    public var status: UnitStatus = .pending
    public var lossBefore: Double?
    public var lossAfter: Double?
    /// Output signal-to-noise ratio in dB with plain rounding and at the end (nil in older logs).
    public var snrBefore: Double?
    public var snrAfter: Double?
    public var seconds: Double?
    /// The phase that ran last (the one the header's iteration counts belong to).
    public var phase: UnitPhase = .weights
    public var iterations: Int = 0
    public var warmupIterations: Int = 0
    public var curves: [UnitPhase: LossSeries] = [:]
    /// Per phase: its length and the reference losses drawn on the chart.
    public var traces: [UnitPhase: PhaseTrace] = [:]
    /// The latest rounding event of the unit's weights (or joint) phase: flips and h(α) per layer.
    public var rounding: RoundingSnapshot?

    public init(info: UnitInfo) { self.info = info }

    public var curve: LossSeries? { curves[phase] }

    /// Phases with a curve, in the order they run: the weights (or joint) phase, then the activations phase.
    public var phasesRun: [UnitPhase] {
        [UnitPhase.weights, .joint, .activations].filter { curves[$0] != nil }
    }
}

/// One phase of a unit as the chart draws it.
public struct PhaseTrace: Sendable, Equatable {
    public var iterations: Int
    public var warmupIterations: Int
    /// The loss with round-to-nearest weights in this phase's measure: where
    /// the optimisation starts from (the unit's "before" in its last phase).
    public var nearestLoss: Double?
    /// The latest loss with the weights hard-rounded, over the calibration
    /// set, and the iteration it was measured after (0: the phase's start).
    public var hardLoss: Double?
    public var hardLossIteration: Int?

    public init(iterations: Int, warmupIterations: Int, nearestLoss: Double? = nil, hardLoss: Double? = nil,
                hardLossIteration: Int? = nil) {
        self.iterations = iterations; self.warmupIterations = warmupIterations; self.nearestLoss = nearestLoss
        self.hardLoss = hardLoss; self.hardLossIteration = hardLossIteration
    }
}
