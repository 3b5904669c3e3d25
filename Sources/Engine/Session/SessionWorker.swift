import Foundation
import Network
import Quantization
import Tensor

/// The engine thread's side of a session: loads the model and data (its
/// initialiser), runs the plan unit by unit, applies commands between
/// iterations, emits events and writes checkpoints. Lives on that one thread only.
final class SessionWorker {
    let runner: SessionRunner
    let events: SessionEvents
    var configuration: RunConfiguration

    let graph: Graph
    let modelConfig: ModelConfig
    let units: [ReconstructionUnit]
    /// Rebuilt at an earlier block by a rewind (`SessionWorker+Rewind`).
    var session: QuantizationSession
    let evaluator: Evaluator
    /// SHA-256 of the model file and of the calibration images, recorded in checkpoints.
    let modelDigest: String
    let dataDigest: String
    /// The first unit to run: 0, or where the resumed checkpoint stopped.
    let startUnit: Int
    var lockedLayers: Set<String>
    var unitResults: [UnitFinished]
    var fpMetrics: EvaluationResult?

    // The unit being reconstructed.
    var unitIndex = 0
    var reconstructor: UnitReconstructor?
    /// Seconds per iteration measured so far, for the `estimate` event.
    var timing = RunTiming()
    /// Per activation quantizer of the model: the unit during which (at whose
    /// start, or in whose phases) it was calibrated; nil while uncalibrated.
    /// A rewind to unit k clears those calibrated during k or later.
    var calibratedDuring: [Int?] = []
    /// Isolated errors of the layers of finished units, by layer: they depend
    /// only on that layer's weights and input quantizer, fixed once its unit is
    /// done, so each unit's analysis measures only its own layers (a rewind
    /// to unit k forgets those of units k and later).
    var isolatedErrorsOfFinishedUnits: [String: IsolatedErrors] = [:]
    /// The analysis's test images (the first `analysisImages`), kept between units.
    var analysisSample: LabeledImages?

    /// What the command handler asks the unit loop to do next.
    enum UnitControl: Equatable {
        case restart, skip, stop
        /// Go back to unit `unit` (at most the running one) and re-run it and every unit after it.
        case rewind(unit: Int, reason: String)
    }

    /// Runs a whole session on the calling (engine) thread.
    static func run(runner: SessionRunner) -> SessionRunner.Outcome {
        let events = SessionEvents(runner: runner)
        do {
            if let path = runner.options.eventLogPath {
                events.log = try EventLogWriter(path: path, append: runner.options.resume)
            }
            return try SessionWorker(runner: runner, events: events).run()
        } catch {
            let text = ErrorText.oneLine(error)
            events.emit(.message(Message(level: .error, text: text)))
            events.setState(.error)
            return .failed(text)
        }
    }

    var now: Double { events.now }
    var state: RunState { events.state }
    var history: [EventRecord] { events.history }
    var eventLogFailure: String? { events.eventLogFailure }
    func emit(_ event: EngineEvent) { events.emit(event) }
    func setState(_ new: RunState) { events.setState(new) }
    func checkEventLog() throws { try events.checkEventLog() }

    private func run() throws -> SessionRunner.Outcome {
        for message in runner.options.startMessages { emit(.message(message)) }
        try checkEventLog()
        if try reconstruct(from: startUnit) == .stop {
            try checkEventLog()
            setState(.stopped)
            return .stopped(checkpoint: runner.options.checkpointDirectory)
        }
        let summary = try finish()
        setState(.done)
        emit(.finished(RunSummary(fpTop1: summary.fpTop1, quantTop1: summary.quantTop1, wallSeconds: summary.wallSeconds,
                                  peakRssBytes: summary.peakRssBytes)))
        try checkEventLog()
        return .finished(summary)
    }

    // MARK: Setup

    /// Loads everything and restores a checkpoint if asked. A resumed run is
    /// checked step by step as its parts load (see `SessionWorker+Resume`).
    private init(runner: SessionRunner, events: SessionEvents) throws {
        self.runner = runner
        self.events = events
        events.setState(.starting)
        // Refused before any work: a checkpoint directory that is a link or someone else's.
        if let directory = runner.options.checkpointDirectory { try CheckpointStore(directory: directory).prepareDirectory() }
        var configuration = runner.configuration
        let resumption = try Self.loadResumption(runner: runner, configuration: &configuration)
        if let e = configuration.validationError() { throw EngineError(e) }
        let modelFile = try ModelFile.read(path: configuration.modelPath)
        // The user's model file must be the one the checkpoint was made from, before it is parsed.
        if let resumption { try modelFile.check(against: resumption.checkpoint, directory: resumption.directory) }
        let loaded = try LoadedModel.load(path: modelFile.path, modelData: modelFile.bytes)
        let graph = loaded.graph
        if let assumption = loaded.assumption { events.emit(.message(Message(level: .warning, text: assumption))) }
        try Self.checkLayerBitsNameLayers(configuration, graph: graph)
        let units = graph.units(for: configuration.granularity)
        if let resumption { try resumption.checkpoint.validate(graph: graph, units: units) }
        let cachePrecision = Self.cachePrecision(configuration, graph: graph)
        try ActivationBufferLimit.check(images: configuration.calibrationSize, of: graph, flag: "--calib-size",
                                        holding: "the calibration set's activations", bytesPerElement: cachePrecision.bytesPerElement)
        // A batch steered larger later is still at most the calibration set (the reconstructor takes the smaller).
        try ActivationBufferLimit.check(images: configuration.hyperparameters.batchSize, of: graph, flag: "--batch-size",
                                        holding: "a batch's activations")
        var source = try DatasetSource(argument: configuration.data, skipBadImages: configuration.skipBadImages ?? false)
        source.cache = ImageTensorFileCache()
        source.progress = events.progressReporter(stage: "decoding training images")
        let calibration = try source.calibration(count: configuration.calibrationSize, config: loaded.config)
        Self.reportSkipped(calibration.skippedFiles, split: "training", to: events)
        guard calibration.count + calibration.skippedFiles.count == configuration.calibrationSize else {
            throw EngineError("\(source.directory): only \(calibration.count) training images, --calib-size asks for \(configuration.calibrationSize)")
        }
        source.progress = events.progressReporter(stage: "decoding evaluation images")
        // Held when small, else decoded a batch at a time (EvaluationSet): 10 000 224×224 test images would hold 6 GB.
        let test = try source.evaluationSet(config: loaded.config, limit: configuration.evaluationImages)
        Self.reportSkipped(test.skippedFiles, split: "evaluation", to: events)
        let dataDigest = calibration.images.data.withUnsafeBytes { SHA256.hex(of: $0) }
        // A resumed run keeps the λ it had (the user may have steered it).
        if resumption == nil && configuration.automaticRoundWeight {
            let depthwise = graph.nodes.contains { if case .convolution(let p) = $0.operation { p.isDepthwise } else { false } }
            configuration.hyperparameters.roundWeight = depthwise ? 0.1 : 0.01
        }
        let restored = try resumption.map { try Self.restore($0, dataDigest: dataDigest, units: units.count,
                                                              configuration: configuration, into: events) }

        events.setState(.calibrating)
        let startUnit = resumption?.checkpoint.unitsDone ?? 0
        self.configuration = configuration
        self.graph = graph
        self.modelConfig = loaded.config
        self.units = units
        self.session = QuantizationSession(graph: graph, calibration: calibration.images,
                                           configuration: Self.quantizationConfiguration(configuration, cachePrecision: cachePrecision),
                                           model: resumption?.checkpoint.model,
                                           resumeAtBlock: Self.blockIndex(ofUnit: startUnit, graph: graph, units: units))
        self.evaluator = Evaluator(graph: graph, images: test)
        self.modelDigest = modelFile.sha256
        self.dataDigest = dataDigest
        self.startUnit = startUnit
        self.lockedLayers = restored?.lockedLayers ?? []
        self.unitResults = restored?.unitResults ?? []
        self.fpMetrics = restored?.fpMetrics
        self.calibratedDuring = Self.inferredCalibrations(session: session, units: units, before: startUnit)
        if resumption == nil {
            emit(.sessionStarted(sessionInfo()))
            try checkEventLog()  // a log that cannot take its first lines stops the run before the evaluation
            if configuration.evaluationImages > 0 {
                setState(.evaluating)
                let t0 = now
                fpMetrics = try evaluator.evaluateFP()
                recordEvaluationRate(seconds: now - t0)
                emit(.evaluation(fpMetrics!))
            }
        }
    }

    /// `--skip-bad-images`: the skipped files are counted once, naming the first.
    private static func reportSkipped(_ skippedFiles: [String], split: String, to events: SessionEvents) {
        guard let first = skippedFiles.first else { return }
        events.emit(.message(Message(level: .warning, text: "skipped \(skippedFiles.count) unreadable \(split) image(s), first \(first)")))
    }

    /// Per-layer bits must name layers of this model: a misspelt name would
    /// otherwise leave that layer at the default bits without a word.
    private static func checkLayerBitsNameLayers(_ configuration: RunConfiguration, graph: Graph) throws {
        let layers = graph.units(for: .layer).flatMap(\.layers)
        let known = Set(layers)
        if let unknown = configuration.layerBits.keys.sorted().first(where: { !known.contains($0) }) {
            let listed = layers.prefix(6).joined(separator: ", ") + (layers.count > 6 ? ", …" : "")
            throw EngineError("per-layer bits name '\(unknown)', which is not a conv or linear layer of \(configuration.modelPath) (its layers: \(listed))")
        }
    }

    private static func quantizationConfiguration(_ configuration: RunConfiguration,
                                                  cachePrecision: ActivationCache.Precision) -> QuantizationConfiguration {
        var c = QuantizationConfiguration(weightBits: configuration.wbits, activationBits: configuration.abits, cachePrecision: cachePrecision)
        for (layer, bits) in configuration.layerBits {
            c.layerWeightBits[layer] = bits.wbits
            c.layerActivationBits[layer] = bits.abits
        }
        return c
    }

    /// `--cache-precision` resolved for this run: `auto` from the calibration
    /// set's size and the graph's largest activation.
    static func cachePrecision(_ configuration: RunConfiguration, graph: Graph) -> ActivationCache.Precision {
        (configuration.cachePrecision ?? .auto).resolved(images: configuration.calibrationSize, elementsPerImage: graph.largestSampleElements)
    }

    /// The block (stream position) at which unit `k` starts; past the end when all are done.
    static func blockIndex(ofUnit k: Int, graph: Graph, units: [ReconstructionUnit]) -> Int {
        let blocks = graph.blockUnits()
        guard k < units.count, let first = units[k].nodeIndices.first else { return blocks.count }
        return blocks.firstIndex { $0.nodeIndices.contains(first) } ?? 0
    }

    func sessionInfo() -> SessionInfo {
        SessionInfo(settings: RunSettings(configuration), calibrationSize: configuration.calibrationSize,
                    hyperparameters: configuration.hyperparameters,
                    units: units.enumerated().map { UnitInfo(index: $0.offset, unit: $0.element, graph: graph) },
                    layers: LayerInfo.all(graph: graph, units: units, model: session.model, locked: lockedLayers),
                    inputShape: modelConfig.inputShape)
    }
}

struct EngineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

