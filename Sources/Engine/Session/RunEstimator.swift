import Quantization

/// The cost model behind the `estimate` event. A reconstruction iteration is a
/// forward and backward pass of one unit over one batch, so its time grows
/// with the unit's MACs × batch size (`cost`). The seconds per iteration
/// measured so far are fitted against that cost — least squares,
/// `seconds = intercept + slope × cost`, once two units of different cost are
/// measured (the intercept holds the per-step overhead that dominates small
/// units), the ratio `seconds / cost` of the measured ones before that — and the
/// fit prices every iteration still to run. Pure: the worker feeds it clock readings.
public struct RunEstimator: Sendable, Equatable {
    /// One unit of the plan as the estimate sees it.
    public struct PlannedUnit: Sendable, Equatable {
        public var name: String
        /// MACs of one image through the unit × batch size.
        public var cost: Double
        /// Iterations of the weights (or joint) phase; 0 for a unit that is not reconstructed.
        public var weightIterations: Int
        /// Iterations of the activation-step phase; 0 when the unit has none.
        public var activationIterations: Int
        /// MACs of one image through the unit (what its time between iterations is priced by).
        public var macs: Double
        public init(name: String, cost: Double, weightIterations: Int, activationIterations: Int, macs: Double = 0) {
            self.name = name; self.cost = cost
            self.weightIterations = weightIterations; self.activationIterations = activationIterations
            self.macs = macs
        }
    }

    /// A phase measured: its unit's cost and the seconds one iteration took.
    public struct Sample: Sendable, Equatable {
        public var unit: Int
        public var cost: Double
        public var secondsPerIteration: Double
        /// True for the activation-step phase, whose iterations are priced on their own once measured.
        public var activations: Bool
        public init(unit: Int, cost: Double, secondsPerIteration: Double, activations: Bool = false) {
            self.unit = unit; self.cost = cost; self.secondsPerIteration = secondsPerIteration; self.activations = activations
        }
    }

    /// Where the run stands: units before `unit` are finished; in `unit`,
    /// `iterationsDone` iterations of the phase named by `inActivations` have run.
    public struct Position: Sendable, Equatable {
        public var unit: Int
        public var inActivations: Bool
        public var iterationsDone: Int
        public init(unit: Int, inActivations: Bool = false, iterationsDone: Int = 0) {
            self.unit = unit; self.inActivations = inActivations; self.iterationsDone = iterationsDone
        }
    }

    /// Seconds per iteration as a function of cost.
    public struct Fit: Sendable, Equatable {
        public var intercept: Double
        public var slope: Double
        public func secondsPerIteration(cost: Double) -> Double { intercept + slope * cost }

        /// Least squares over the samples when their costs differ and the line
        /// is a plausible one (rising, not negative at zero cost); otherwise the
        /// line through the origin that fits them best, which for one sample is its ratio.
        public init?(_ samples: [Sample]) {
            let points = samples.filter { $0.cost > 0 && $0.secondsPerIteration.isFinite && $0.secondsPerIteration > 0 }
            guard !points.isEmpty else { return nil }
            let n = Double(points.count)
            let meanCost = points.reduce(0) { $0 + $1.cost } / n
            let meanSeconds = points.reduce(0) { $0 + $1.secondsPerIteration } / n
            let spread = points.reduce(0) { $0 + ($1.cost - meanCost) * ($1.cost - meanCost) }
            if points.count >= 2, spread > 0 {
                let slope = points.reduce(0) { $0 + ($1.cost - meanCost) * ($1.secondsPerIteration - meanSeconds) } / spread
                let intercept = meanSeconds - slope * meanCost
                if slope > 0, intercept >= 0 { self.init(intercept: intercept, slope: slope); return }
            }
            let slope = points.reduce(0) { $0 + $1.cost * $1.secondsPerIteration } / points.reduce(0) { $0 + $1.cost * $1.cost }
            self.init(intercept: 0, slope: slope)
        }

        public init(intercept: Double, slope: Double) {
            self.intercept = intercept; self.slope = slope
        }
    }

    public var plan: [PlannedUnit]
    /// Images × forward MACs of the whole model in the final evaluation (0: none).
    public var evaluationWork: Double
    /// Seconds per image-MAC of a forward pass, measured on the FP evaluation;
    /// nil when it did not run here (a resumed run), and then a third of the
    /// reconstruction's per-cost rate (a forward is about a third of forward + backward).
    public var evaluationSecondsPerWork: Double?
    /// Seconds a unit took besides its iterations per MAC of one image through
    /// it (its stream passes scale with that), measured on finished units; nil
    /// before one has finished, and then not counted.
    public var betweenUnitsSecondsPerMAC: Double?

    public init(plan: [PlannedUnit], evaluationWork: Double, evaluationSecondsPerWork: Double?, betweenUnitsSecondsPerMAC: Double? = nil) {
        self.plan = plan; self.evaluationWork = evaluationWork; self.evaluationSecondsPerWork = evaluationSecondsPerWork
        self.betweenUnitsSecondsPerMAC = betweenUnitsSecondsPerMAC
    }

    /// The estimate from `position` on, or nil before anything is measured.
    /// The rate it reports is the latest sample's.
    public func estimate(samples: [Sample], at position: Position) -> RunEstimate? {
        guard let weights = Fit(samples.filter { !$0.activations }), let latest = samples.last else { return nil }
        let activations = Fit(samples.filter(\.activations)) ?? weights
        var weightsSeconds = 0.0
        var activationsSeconds = 0.0
        var betweenSeconds = 0.0
        var units: [UnitEstimate] = []
        for k in plan.indices where k >= position.unit {
            let u = plan[k]
            var w = u.weightIterations
            var a = u.activationIterations
            if k == position.unit {
                if position.inActivations { w = 0; a = max(0, a - position.iterationsDone) } else { w = max(0, w - position.iterationsDone) }
            }
            let ws = Double(w) * weights.secondsPerIteration(cost: u.cost)
            let act = Double(a) * activations.secondsPerIteration(cost: u.cost)
            // The running unit's preparation is behind it; what follows it is priced with the next ones.
            let between = k > position.unit || (k == position.unit && position.iterationsDone == 0 && !position.inActivations)
                ? (betweenUnitsSecondsPerMAC ?? 0) * u.macs : 0
            weightsSeconds += ws
            activationsSeconds += act
            betweenSeconds += between
            units.append(UnitEstimate(unit: k, seconds: ws + act + between))
        }
        let perWork = evaluationSecondsPerWork ?? weights.slope / 3
        let evaluationSeconds = evaluationWork * perWork
        let name = plan.indices.contains(latest.unit) ? plan[latest.unit].name : ""
        return RunEstimate(seconds: weightsSeconds + activationsSeconds + betweenSeconds + evaluationSeconds, weightsSeconds: weightsSeconds,
                           activationsSeconds: activationsSeconds, evaluationSeconds: evaluationSeconds,
                           betweenUnitsSeconds: betweenUnitsSecondsPerMAC.map { _ in betweenSeconds },
                           iterationsPerSecond: latest.secondsPerIteration > 0 ? 1 / latest.secondsPerIteration : 0,
                           unit: latest.unit, name: name, units: units)
    }
}
