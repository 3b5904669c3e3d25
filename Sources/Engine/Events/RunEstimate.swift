import Foundation

/// The `estimate` event: how long the rest of the run will take, from the
/// moment of the event. Sent after the first 50 iterations of the first
/// reconstructed unit and refined each time a unit finishes (see `RunEstimator`).
public struct RunEstimate: Sendable, Codable, Equatable {
    /// Seconds until the run is done: the parts below added.
    public var seconds: Double
    /// Reconstruction of the weights (or weights and activations together, with QDrop).
    public var weightsSeconds: Double
    /// The activation-step phase of the units that have one.
    public var activationsSeconds: Double
    /// The quantized model's final evaluation.
    public var evaluationSeconds: Double
    /// What a unit costs besides its iterations — its inputs and targets run
    /// through the calibration set, the hard-rounded-loss passes, the analysis,
    /// the checkpoint — priced from the units finished so far; nil before one
    /// has finished (and in logs written before it was estimated).
    public var betweenUnitsSeconds: Double?
    /// The rate the estimate rests on: iterations per second measured on `unit`.
    public var iterationsPerSecond: Double
    public var unit: Int
    public var name: String
    /// What is left of each unit not yet finished (the running one included), in plan order.
    public var units: [UnitEstimate]

    public init(seconds: Double, weightsSeconds: Double, activationsSeconds: Double, evaluationSeconds: Double,
                betweenUnitsSeconds: Double? = nil, iterationsPerSecond: Double, unit: Int, name: String, units: [UnitEstimate]) {
        self.seconds = seconds; self.weightsSeconds = weightsSeconds; self.activationsSeconds = activationsSeconds
        self.evaluationSeconds = evaluationSeconds; self.betweenUnitsSeconds = betweenUnitsSeconds
        self.iterationsPerSecond = iterationsPerSecond
        self.unit = unit; self.name = name; self.units = units
    }

    /// "estimated total: 3h12m (weights 2h50m, activations 20m, between units 8m, evaluation 2m) at 1.3 it/s on block1",
    /// with the caller's way of writing durations (the dashboard's and the progress bar's differ).
    public func summary(duration: (Double) -> String) -> String {
        let between = betweenUnitsSeconds.map { "between units \(duration($0)), " } ?? ""
        return "estimated total: \(duration(seconds)) (weights \(duration(weightsSeconds)), activations \(duration(activationsSeconds)), "
            + between + "evaluation \(duration(evaluationSeconds))) at \(rate) on \(name)"
    }

    /// "1.3 it/s", or "12.5 s/it" below one iteration a second (where "0.0 it/s" would say nothing).
    private var rate: String {
        iterationsPerSecond >= 1 || iterationsPerSecond <= 0 ? String(format: "%.1f it/s", iterationsPerSecond)
            : String(format: "%.1f s/it", 1 / iterationsPerSecond)
    }

    /// Seconds for every unit after `unit` and the final evaluation: what a
    /// live ETA adds to the running unit's own remainder at its current rate.
    public func seconds(after unit: Int) -> Double {
        units.filter { $0.unit > unit }.reduce(evaluationSeconds) { $0 + $1.seconds }
    }
}

public struct UnitEstimate: Sendable, Codable, Equatable {
    public var unit: Int
    public var seconds: Double
    public init(unit: Int, seconds: Double) {
        self.unit = unit; self.seconds = seconds
    }
}
