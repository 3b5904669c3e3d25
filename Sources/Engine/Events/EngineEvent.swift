import Network
import Quantization

/// Everything the engine tells its observers (dashboard, progress bar, event
/// log). Events are values: the JSON Lines log is a complete recording that
/// `brecq replay` plays back without a model.
public enum EngineEvent: Sendable, Equatable {
    case sessionStarted(SessionInfo)
    case stateChanged(RunState)
    case unitStarted(UnitStarted)
    /// Coalesced: emitted every k iterations, never queued without bound.
    case iteration(IterationStats)
    /// What the soft rounding does to each trained layer, at a steady interval (`RunConfiguration.roundingInterval`).
    case rounding(RoundingSnapshot)
    case unitFinished(UnitFinished)
    case bitsChanged(BitsChange)
    /// Units `unit…` are pending again: what they learnt was discarded and the run continues from `unit`.
    case rewound(Rewound)
    case iterationsChanged(IterationsChange)
    case hyperparametersChanged(Hyperparameters)
    /// The sensitivity measurement before a search, as it goes (it can take minutes).
    case searchSensitivity(SensitivityProgress)
    case searchStarted(SearchStarted)
    case searchGeneration(GenerationStats)
    case evaluation(EvaluationResult)
    case checkpointWritten(CheckpointWritten)
    /// Per-layer error figures of the model as it stands (after each unit, and at the end).
    case analysis(AnalysisUpdate)
    /// What the rest of the run will cost: after the first 50 iterations of the first unit, refined after each unit.
    case estimate(RunEstimate)
    /// Slow work between the other events (decoding, preparing a unit); not recorded.
    case progress(StageProgress)
    case message(Message)
    case finished(RunSummary)
    /// The answer to `EngineCommand.export`. Not in the recording: it comes after the run's `finished`.
    case exportFinished(ExportFinished)
}

/// An event with the time it happened, in seconds since the session started.
public struct EventRecord: Sendable, Equatable {
    public var time: Double
    public var event: EngineEvent
    public init(time: Double, event: EngineEvent) {
        self.time = time
        self.event = event
    }
}

public enum RunState: String, Sendable, Codable, Equatable {
    case starting, calibrating, running, paused, searching, evaluating, done, stopped, error
}

public enum UnitStatus: String, Sendable, Codable, Equatable {
    case pending, running, done, skipped
}

public struct LayerInfo: Sendable, Codable, Equatable {
    public var name: String
    public var unit: Int
    /// "conv", "depthwise", or "linear".
    public var kind: String
    public var params: Int
    public var macs: Int
    public var wbits: Int
    /// 32 means the layer's input activations are not quantized.
    public var abits: Int
    public var locked: Bool
    public init(name: String, unit: Int, kind: String, params: Int, macs: Int, wbits: Int, abits: Int, locked: Bool) {
        self.name = name; self.unit = unit; self.kind = kind; self.params = params
        self.macs = macs; self.wbits = wbits; self.abits = abits; self.locked = locked
    }
}

public struct UnitInfo: Sendable, Codable, Equatable {
    public var index: Int
    public var name: String
    /// "stem", "layer", "basic", "bottleneck", "inverted_residual", "stage", "net", "head".
    public var kind: String
    public var layers: [String]
    public var outputShape: [Int]
    public var params: Int
    public var macs: Int
    /// The unit's operations and which input each reads (the block diagram); nil in older logs.
    public var nodes: [UnitNode]?
    public init(index: Int, name: String, kind: String, layers: [String], outputShape: [Int], params: Int, macs: Int,
                nodes: [UnitNode]? = nil) {
        self.index = index; self.name = name; self.kind = kind; self.layers = layers
        self.outputShape = outputShape; self.params = params; self.macs = macs; self.nodes = nodes
    }
}

/// The `session_started` event: the run's settings (`RunSettings`, whose
/// fields sit beside these in the log) and its plan.
@dynamicMemberLookup
public struct SessionInfo: Sendable, Codable, Equatable {
    public var settings: RunSettings
    public var calibrationSize: Int
    public var hyperparameters: Hyperparameters
    public var units: [UnitInfo]
    public var layers: [LayerInfo]
    /// One image as the model takes it, channels first (`[3, 224, 224]`); nil in older logs.
    public var inputShape: [Int]?

    public init(settings: RunSettings, calibrationSize: Int, hyperparameters: Hyperparameters, units: [UnitInfo], layers: [LayerInfo],
                inputShape: [Int]? = nil) {
        self.settings = settings; self.calibrationSize = calibrationSize; self.hyperparameters = hyperparameters
        self.units = units; self.layers = layers; self.inputShape = inputShape
    }

    public init(model: String, data: String, method: RunConfiguration.Method, wbits: Int, abits: Int, granularity: Granularity,
                iterations: Int, activationIterations: Int, calibrationSize: Int, seed: UInt64,
                hyperparameters: Hyperparameters, units: [UnitInfo], layers: [LayerInfo]) {
        self.init(settings: RunSettings(model: model, data: data, method: method, wbits: wbits, abits: abits, granularity: granularity,
                                        iterations: iterations, activationIterations: activationIterations, seed: seed),
                  calibrationSize: calibrationSize, hyperparameters: hyperparameters, units: units, layers: layers)
    }

    /// The settings' fields read as the event's own (`info.wbits`).
    public subscript<T>(dynamicMember path: WritableKeyPath<RunSettings, T>) -> T {
        get { settings[keyPath: path] }
        set { settings[keyPath: path] = newValue }
    }

    private enum CodingKeys: String, CodingKey { case calibrationSize, hyperparameters, units, layers, inputShape }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        settings = try RunSettings(from: decoder)
        calibrationSize = try c.decode(Int.self, forKey: .calibrationSize)
        hyperparameters = try c.decode(Hyperparameters.self, forKey: .hyperparameters)
        units = try c.decode([UnitInfo].self, forKey: .units)
        layers = try c.decode([LayerInfo].self, forKey: .layers)
        inputShape = try c.decodeIfPresent([Int].self, forKey: .inputShape)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(calibrationSize, forKey: .calibrationSize)
        try c.encode(hyperparameters, forKey: .hyperparameters)
        try c.encode(units, forKey: .units)
        try c.encode(layers, forKey: .layers)
        try c.encodeIfPresent(inputShape, forKey: .inputShape)
    }
}

public struct UnitStarted: Sendable, Codable, Equatable {
    public var unit: Int
    public var name: String
    public var phase: UnitPhase
    public var iterations: Int
    /// Iterations with the regulariser off (the warm-up marker on the loss chart).
    public var warmupIterations: Int
    /// This phase's loss over every calibration example with its starting
    /// hard weights and steps, in the phase's own measure (the first point of
    /// the hard-rounded line). Nil in logs written before it was recorded.
    public var startLoss: Double?
    /// The unit with round-to-nearest weights, in this phase's measure: the
    /// plain-rounding reference line. In the unit's last phase it is the
    /// unit's `lossBefore`. Nil in older logs.
    public var nearestLoss: Double?
    public init(unit: Int, name: String, phase: UnitPhase, iterations: Int, warmupIterations: Int,
                startLoss: Double? = nil, nearestLoss: Double? = nil) {
        self.unit = unit; self.name = name; self.phase = phase
        self.iterations = iterations; self.warmupIterations = warmupIterations
        self.startLoss = startLoss; self.nearestLoss = nearestLoss
    }
}

/// A reconstruction step as the engine reports it: the reconstructor's
/// `StepStats` with the unit, the rate and, at some iterations, the
/// hard-rounded loss. In the event log the step's fields sit beside these
/// (`{"type": "iteration", "unit": 3, "phase": "weights", "iteration": 10, ...}`).
@dynamicMemberLookup
public struct IterationStats: Sendable, Codable, Equatable {
    public var unit: Int
    public var step: StepStats
    public var iterationsPerSecond: Double
    /// The loss over every calibration example if the weights were hard-rounded
    /// now (α ≥ 0 → up), no QDrop: what `lossAfter` would be if the phase ended
    /// here. `step.reconstructionLoss` is the soft-rounded batch loss the optimiser
    /// sees. Present only at the iterations where it was measured (a steady
    /// interval; it costs a pass over the calibration set).
    public var hardLoss: Double?

    public init(unit: Int, step: StepStats, iterationsPerSecond: Double, hardLoss: Double? = nil) {
        self.unit = unit; self.step = step; self.iterationsPerSecond = iterationsPerSecond; self.hardLoss = hardLoss
    }

    public init(unit: Int, phase: UnitPhase, iteration: Int, iterations: Int, reconstructionLoss: Double,
                regularizerLoss: Double, beta: Double, iterationsPerSecond: Double, hardLoss: Double? = nil) {
        self.init(unit: unit, step: StepStats(phase: phase, iteration: iteration, iterations: iterations,
                                              reconstructionLoss: reconstructionLoss, regularizerLoss: regularizerLoss, beta: beta),
                  iterationsPerSecond: iterationsPerSecond, hardLoss: hardLoss)
    }

    /// The step's fields read as the event's own (`stats.iteration`).
    public subscript<T>(dynamicMember path: WritableKeyPath<StepStats, T>) -> T {
        get { step[keyPath: path] }
        set { step[keyPath: path] = newValue }
    }

    private enum CodingKeys: String, CodingKey { case unit, iterationsPerSecond, hardLoss }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(Int.self, forKey: .unit)
        step = try StepStats(from: decoder)
        iterationsPerSecond = try c.decode(Double.self, forKey: .iterationsPerSecond)
        hardLoss = try c.decodeIfPresent(Double.self, forKey: .hardLoss)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try step.encode(to: encoder)
        try c.encode(iterationsPerSecond, forKey: .iterationsPerSecond)
        try c.encodeIfPresent(hardLoss, forKey: .hardLoss)
    }
}

public struct UnitFinished: Sendable, Codable, Equatable {
    public var unit: Int
    public var name: String
    public var status: UnitStatus
    /// Reconstruction loss with round-to-nearest weights, before optimisation.
    public var lossBefore: Double
    /// Reconstruction loss with the final hard-rounded weights and learned steps.
    public var lossAfter: Double
    public var seconds: Double
    /// Signal-to-noise ratio of the unit's output in dB, 10·log10(E[y²] / E[(ŷ − y)²])
    /// over the calibration set, y the FP output: a scale-free figure, unlike
    /// the losses, which grow with the size of the unit's activations. With
    /// round-to-nearest weights, and with the final ones. Nil in older logs,
    /// or when the error is exactly zero.
    public var snrBefore: Double?
    public var snrAfter: Double?
    public init(unit: Int, name: String, status: UnitStatus, lossBefore: Double, lossAfter: Double, seconds: Double,
                snrBefore: Double? = nil, snrAfter: Double? = nil) {
        self.unit = unit; self.name = name; self.status = status
        self.lossBefore = lossBefore; self.lossAfter = lossAfter; self.seconds = seconds
        self.snrBefore = snrBefore; self.snrAfter = snrAfter
    }
}

public struct BitsChange: Sendable, Codable, Equatable {
    public var layer: String
    public var wbits: Int
    public var abits: Int
    public var locked: Bool
    public init(layer: String, wbits: Int, abits: Int, locked: Bool) {
        self.layer = layer; self.wbits = wbits; self.abits = abits; self.locked = locked
    }
}

/// The `rewound` event: the run went back to unit `unit`, which starts again
/// next; every later unit is pending again and the units before it keep their results.
public struct Rewound: Sendable, Codable, Equatable {
    public var unit: Int
    public var name: String
    /// Why, in a few words ("lock layer1.0.conv1 at W4A4", "re-run requested").
    public var reason: String
    public init(unit: Int, name: String, reason: String) {
        self.unit = unit; self.name = name; self.reason = reason
    }
}

public struct IterationsChange: Sendable, Codable, Equatable {
    /// The running unit's index, or nil when no unit is running.
    public var unit: Int?
    public var currentIterations: Int?
    public var defaultIterations: Int
    public init(unit: Int?, currentIterations: Int?, defaultIterations: Int) {
        self.unit = unit; self.currentIterations = currentIterations; self.defaultIterations = defaultIterations
    }
}

public struct SearchStarted: Sendable, Codable, Equatable {
    public var generations: Int
    public var population: Int
    /// "size", "bops" or "latency".
    public var measure: String
    public var budget: Double
    /// Cost of uniform 4-bit weights under the same measure, for reference.
    public var uniform4Cost: Double
    /// How the budget was stated: "absolute" (in the measure's unit),
    /// "relative" (a multiple of the uniform 4-bit cost) or "avgbits" (mean
    /// weight bits). Nil in older logs.
    public var budgetKind: String?
    /// The number the user gave: the absolute limit, the multiple of W4, or the mean bits.
    public var budgetAmount: Double?
    /// The measure's unit: "bits", "BOPs" or "µs". Nil in older logs.
    public var unit: String?
    public init(generations: Int, population: Int, measure: String, budget: Double, uniform4Cost: Double,
                budgetKind: String? = nil, budgetAmount: Double? = nil, unit: String? = nil) {
        self.generations = generations; self.population = population; self.measure = measure
        self.budget = budget; self.uniform4Cost = uniform4Cost
        self.budgetKind = budgetKind; self.budgetAmount = budgetAmount; self.unit = unit
    }
}

/// Progress of the sensitivity measurement that precedes a search: error
/// evaluations (one per layer alone and per pair of layers inside a block, at
/// each candidate bit width, plus a baseline per block) done of the total.
public struct SensitivityProgress: Sendable, Codable, Equatable {
    /// The unit (block) being measured.
    public var unit: String
    public var done: Int
    public var total: Int
    /// Seconds since the measurement began (for an estimate of the rest).
    public var seconds: Double
    /// The table came from the sensitivity cache: nothing was measured.
    public var cached: Bool?
    public init(unit: String, done: Int, total: Int, seconds: Double, cached: Bool? = nil) {
        self.unit = unit; self.done = done; self.total = total; self.seconds = seconds; self.cached = cached
    }
}

public struct GenerationStats: Sendable, Codable, Equatable {
    public var generation: Int
    public var generations: Int
    public var bestObjective: Double
    public var meanObjective: Double
    public var feasible: Int
    public var population: Int
    /// Weight bits per searchable layer, in `SessionInfo.layers` order.
    public var bestBits: [Int]
    public var bestCost: Double
    public var budget: Double
    /// Mean weight bits of the best configuration over the searchable layers,
    /// weighted by their weight counts. Nil in older logs.
    public var bestAverageBits: Double?
    public init(generation: Int, generations: Int, bestObjective: Double, meanObjective: Double, feasible: Int,
                population: Int, bestBits: [Int], bestCost: Double, budget: Double, bestAverageBits: Double? = nil) {
        self.generation = generation; self.generations = generations; self.bestObjective = bestObjective
        self.meanObjective = meanObjective; self.feasible = feasible; self.population = population
        self.bestBits = bestBits; self.bestCost = bestCost; self.budget = budget; self.bestAverageBits = bestAverageBits
    }
}

public struct CheckpointWritten: Sendable, Codable, Equatable {
    public var path: String
    /// Units finished when the checkpoint was written.
    public var unitsDone: Int
    public init(path: String, unitsDone: Int) {
        self.path = path; self.unitsDone = unitsDone
    }
}

public struct Message: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable, Equatable { case info, warning, error }
    public var level: Level
    public var text: String
    public init(level: Level, text: String) {
        self.level = level; self.text = text
    }
}

public struct RunSummary: Sendable, Codable, Equatable {
    public var fpTop1: Double?
    public var quantTop1: Double?
    public var wallSeconds: Double
    /// The process's peak resident memory (nil in older recordings).
    public var peakRssBytes: Int?
    public init(fpTop1: Double?, quantTop1: Double?, wallSeconds: Double, peakRssBytes: Int? = nil) {
        self.fpTop1 = fpTop1; self.quantTop1 = quantTop1; self.wallSeconds = wallSeconds; self.peakRssBytes = peakRssBytes
    }
}

/// How an export ended: the one-line report of the files written, or the error.
public struct ExportFinished: Sendable, Codable, Equatable {
    public var output: String
    public var succeeded: Bool
    /// "wrote PATH (…) and PATH.encodings.json", or what went wrong.
    public var text: String
    public init(output: String, succeeded: Bool, text: String) {
        self.output = output; self.succeeded = succeeded; self.text = text
    }
}
