import Foundation

/// The `estimate` event: how long the rest of the run will take, from the
/// moment of the event. Sent after the first 50 iterations of the first
/// reconstructed unit and refined each time a unit finishes (see `RunEstimator`).
public struct RunEstimate: Sendable, Codable, Equatable {
    /// Seconds until the run is done: the three parts below added.
    public var seconds: Double
    /// Reconstruction of the weights (or weights and activations together, with QDrop).
    public var weightsSeconds: Double
    /// The activation-step phase of the units that have one.
    public var activationsSeconds: Double
    /// The quantized model's final evaluation.
    public var evaluationSeconds: Double
    /// The rate the estimate rests on: iterations per second measured on `unit`.
    public var iterationsPerSecond: Double
    public var unit: Int
    public var name: String
    /// What is left of each unit not yet finished (the running one included), in plan order.
    public var units: [UnitEstimate]

    public init(seconds: Double, weightsSeconds: Double, activationsSeconds: Double, evaluationSeconds: Double,
                iterationsPerSecond: Double, unit: Int, name: String, units: [UnitEstimate]) {
        self.seconds = seconds; self.weightsSeconds = weightsSeconds; self.activationsSeconds = activationsSeconds
        self.evaluationSeconds = evaluationSeconds; self.iterationsPerSecond = iterationsPerSecond
        self.unit = unit; self.name = name; self.units = units
    }

    /// "estimated total: 3h12m (weights 2h50m, activations 20m, evaluation 2m) at 1.3 it/s on block1",
    /// with the caller's way of writing durations (the dashboard's and the progress bar's differ).
    public func summary(duration: (Double) -> String) -> String {
        "estimated total: \(duration(seconds)) (weights \(duration(weightsSeconds)), activations \(duration(activationsSeconds)), "
            + "evaluation \(duration(evaluationSeconds))) at \(String(format: "%.1f", iterationsPerSecond)) it/s on \(name)"
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
