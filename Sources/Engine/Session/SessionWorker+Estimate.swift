import Network
import Quantization

/// What the worker measures for the `estimate` event: the seconds per
/// iteration of each phase it ran to the end, and the FP evaluation's rate.
struct RunTiming {
    /// Iterations of the first phase after which the first estimate is sent.
    static let firstEstimateIterations = 50
    var samples: [RunEstimator.Sample] = []
    /// Seconds per image-MAC of the FP evaluation; nil when it did not run in this process.
    var evaluationSecondsPerWork: Double?
    var firstEstimateSent = false
    /// Iteration seconds of the unit running now (phases completed so far).
    var iterationSecondsOfUnit = 0.0
    /// Where the last unit's cycle began: its index and the clock then.
    var unitCycleStart: (unit: Int, time: Double)?
    /// Finished cycles (from a unit's start to the next one's): MACs of one image through the unit,
    /// and the seconds not spent in its iterations.
    var betweenUnits: [(macs: Double, seconds: Double)] = []

    /// Σ seconds / Σ MACs over the finished cycles; nil before one.
    var betweenUnitsSecondsPerMAC: Double? {
        let macs = betweenUnits.reduce(0) { $0 + $1.macs }
        guard !betweenUnits.isEmpty, macs > 0 else { return nil }
        return betweenUnits.reduce(0) { $0 + $1.seconds } / macs
    }
}

extension SessionWorker {
    /// MACs of one image through the unit × the batch size: what one iteration's forward and backward pass scale with.
    func iterationCost(of unit: ReconstructionUnit) -> Double {
        Double(max(1, unit.macs)) * Double(max(1, min(configuration.hyperparameters.batchSize, configuration.calibrationSize)))
    }

    /// The plan as it stands (iterations may have been steered since the start).
    func estimator() -> RunEstimator {
        let plan = units.map { unit -> RunEstimator.PlannedUnit in
            let reconstructs = unit.kind != .stem && configuration.method != .rtn
            let phases = session.phases(for: unit, hyperparameters: configuration.hyperparameters)
            return RunEstimator.PlannedUnit(
                name: unit.name, cost: iterationCost(of: unit),
                weightIterations: reconstructs ? configuration.iterations : 0,
                activationIterations: reconstructs && phases.contains(.activations) ? configuration.activationIterations : 0,
                macs: Double(max(1, unit.macs)))
        }
        let forwardMACs = Double(units.reduce(0) { $0 + max(0, $1.macs) })
        return RunEstimator(plan: plan, evaluationWork: Double(configuration.evaluationImages) * forwardMACs,
                            evaluationSecondsPerWork: timing.evaluationSecondsPerWork,
                            betweenUnitsSecondsPerMAC: timing.betweenUnitsSecondsPerMAC)
    }

    /// Unit `k` starts now: the cycle of the unit before it (its preparation, iterations, analysis and
    /// checkpoint) is complete, and what of it was not iterations joins the between-units samples.
    /// A rewind or restart starts a new cycle without a sample.
    func unitCycleStarts(_ k: Int) {
        if let last = timing.unitCycleStart, last.unit + 1 == k, units.indices.contains(last.unit) {
            let seconds = max(0, now - last.time - timing.iterationSecondsOfUnit)
            timing.betweenUnits.append((Double(max(1, units[last.unit].macs)), seconds))
        }
        timing.unitCycleStart = (k, now)
        timing.iterationSecondsOfUnit = 0
    }

    /// Records the FP evaluation's rate (`seconds` for the configured images through the whole model).
    func recordEvaluationRate(seconds: Double) {
        let work = Double(configuration.evaluationImages) * Double(units.reduce(0) { $0 + max(0, $1.macs) })
        if work > 0, seconds > 0 { timing.evaluationSecondsPerWork = seconds / work }
    }

    /// A phase ran `iterations` iterations of the running unit in `seconds` of
    /// iteration time. After the first phase's 50th iteration this sends the
    /// first estimate from a provisional sample (those iterations measured no
    /// hard-rounded loss yet, so their time is raised by the share that the
    /// measurements take, `HardLossPacing.overhead`).
    func phaseProgress(_ r: UnitReconstructor, iterations: Int, seconds: Double) {
        guard !timing.firstEstimateSent, iterations >= RunTiming.firstEstimateIterations, seconds > 0 else { return }
        timing.firstEstimateSent = true
        let provisional = RunEstimator.Sample(unit: unitIndex, cost: iterationCost(of: units[unitIndex]),
                                              secondsPerIteration: seconds / Double(iterations) * (1 + HardLossPacing.overhead),
                                              activations: r.phase == .activations)
        let position = RunEstimator.Position(unit: unitIndex, inActivations: r.phase == .activations, iterationsDone: r.iteration)
        // The running phase's own length: the user may have steered it away from the default.
        var estimator = estimator()
        if r.phase == .activations { estimator.plan[unitIndex].activationIterations = r.iterations } else {
            estimator.plan[unitIndex].weightIterations = r.iterations
        }
        if let estimate = estimator.estimate(samples: timing.samples + [provisional], at: position) { emit(.estimate(estimate)) }
    }

    /// A phase ran to its end: its seconds per iteration join the samples.
    func phaseCompleted(_ r: UnitReconstructor, iterations: Int, seconds: Double) {
        guard iterations > 0, seconds > 0 else { return }
        timing.iterationSecondsOfUnit += seconds
        timing.samples.append(RunEstimator.Sample(unit: unitIndex, cost: iterationCost(of: units[unitIndex]),
                                                  secondsPerIteration: seconds / Double(iterations),
                                                  activations: r.phase == .activations))
    }

    /// Unit `k` finished: the estimate refined with everything measured so far.
    func refineEstimate(unitsDone: Int) {
        guard let estimate = estimator().estimate(samples: timing.samples, at: RunEstimator.Position(unit: unitsDone)) else { return }
        timing.firstEstimateSent = true
        emit(.estimate(estimate))
    }
}
