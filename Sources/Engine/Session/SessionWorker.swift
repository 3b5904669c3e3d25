import Foundation
import Network
import Quantization
import Tensor

/// The engine thread's side of a session: loads the model and data, runs the
/// plan unit by unit, applies commands between iterations, emits events and
/// writes checkpoints. Lives on that one thread only.
final class SessionWorker {
    let runner: SessionRunner
    var configuration: RunConfiguration
    let started = ProcessInfo.processInfo.systemUptime
    /// Wall time carried over from the runs this one resumes.
    var elapsedBefore = 0.0
    var history: [EventRecord] = []
    var log: EventLogWriter?
    /// Set when a line could not be written to the event log; the run stops at the next check.
    var eventLogFailure: String?
    var state: RunState = .starting

    // Set up by `prepare()`.
    var graph: Graph!
    var modelConfig: ModelConfig!
    var units: [ReconstructionUnit] = []
    var session: QuantizationSession!
    var evaluator: Evaluator!
    /// SHA-256 of the model file and of the calibration images, recorded in checkpoints.
    var modelDigest = ""
    var dataDigest = ""
    var lockedLayers: Set<String> = []
    var unitResults: [UnitFinished] = []
    var fpMetrics: EvaluationResult?
    var lastQuantMetrics: EvaluationResult?

    // The unit being reconstructed.
    var unitIndex = 0
    var reconstructor: UnitReconstructor?
    var pendingControl: UnitControl?

    /// What the command handler asks the unit loop to do next.
    enum UnitControl { case restart, skip, stop }

    init(runner: SessionRunner) {
        self.runner = runner
        self.configuration = runner.configuration
    }

    var now: Double { elapsedBefore + ProcessInfo.processInfo.systemUptime - started }

    func emit(_ event: EngineEvent) {
        let record = EventRecord(time: now, event: event)
        history.append(record)
        runner.publish(record)
        do { try log?.write(record) } catch let failure as EventLogWriter.WriteFailure {
            // A recording with a hole is worse than none: the run stops, saying why.
            log = nil
            eventLogFailure = failure.description
        } catch {
            log = nil
            emit(.message(Message(level: .warning, text: "event log stopped: \(error)")))
        }
    }

    /// Throws once the event log could not be written, ending the run with that message.
    func checkEventLog() throws {
        if let eventLogFailure { throw EngineError(eventLogFailure) }
    }

    func setState(_ new: RunState) {
        guard new != state else { return }
        state = new
        emit(.stateChanged(new))
    }

    func run() -> SessionRunner.Outcome {
        do {
            if let path = runner.options.eventLogPath {
                log = try EventLogWriter(path: path, append: runner.options.resume)
            }
            let startUnit = try prepare()
            for message in runner.options.startMessages { emit(.message(message)) }
            try checkEventLog()
            if try reconstruct(from: startUnit) == .stop {
                try checkEventLog()
                setState(.stopped)
                return .stopped(checkpoint: runner.options.checkpointDirectory)
            }
            let summary = try finish()
            setState(.done)
            emit(.finished(RunSummary(fpTop1: summary.fpTop1, quantTop1: summary.quantTop1, wallSeconds: summary.wallSeconds)))
            try checkEventLog()
            return .finished(summary)
        } catch {
            let text = ErrorText.oneLine(error)
            emit(.message(Message(level: .error, text: text)))
            setState(.error)
            return .failed(text)
        }
    }

    // MARK: Setup

    /// `--skip-bad-images`: the skipped files are counted once, naming the first.
    private func reportSkipped(_ images: LabeledImages, split: String) {
        guard let first = images.skippedFiles.first else { return }
        emit(.message(Message(level: .warning, text: "skipped \(images.skippedFiles.count) unreadable \(split) image(s), first \(first)")))
    }

    /// Loads everything, restores a checkpoint if asked; returns the first unit to run.
    /// A resumed run is checked step by step as its parts load (see `SessionWorker+Resume`).
    func prepare() throws -> Int {
        setState(.starting)
        // Refused before any work: a checkpoint directory that is a link or someone else's.
        if let directory = runner.options.checkpointDirectory { try CheckpointStore(directory: directory).prepareDirectory() }
        let resumption = try loadResumption()
        if let e = configuration.validationError() { throw EngineError(e) }
        let modelFile = try ModelFile.read(path: configuration.modelPath)
        modelDigest = modelFile.sha256
        // The user's model file must be the one the checkpoint was made from, before it is parsed.
        if let resumption { try modelFile.check(against: resumption.checkpoint, directory: resumption.directory) }
        let loaded = try LoadedModel.load(path: modelFile.path, modelData: modelFile.bytes)
        graph = loaded.graph
        modelConfig = loaded.config
        if let assumption = loaded.assumption { emit(.message(Message(level: .warning, text: assumption))) }
        try checkLayerBitsNameLayers()
        units = graph.units(for: configuration.granularity)
        if let resumption { try resumption.checkpoint.validate(graph: graph, units: units) }
        try ActivationBufferLimit.check(images: configuration.calibrationSize, of: graph, flag: "--calib-size",
                                        holding: "the calibration set's activations")
        // A batch steered larger later is still at most the calibration set (the reconstructor takes the smaller).
        try ActivationBufferLimit.check(images: configuration.hyperparameters.batchSize, of: graph, flag: "--batch-size",
                                        holding: "a batch's activations")
        var source = try DatasetSource(argument: configuration.data, skipBadImages: configuration.skipBadImages ?? false)
        source.cache = ImageTensorFileCache()
        let calibration = try source.calibration(count: configuration.calibrationSize, config: modelConfig)
        reportSkipped(calibration, split: "training")
        guard calibration.count + calibration.skippedFiles.count == configuration.calibrationSize else {
            throw EngineError("\(source.directory): only \(calibration.count) training images, --calib-size asks for \(configuration.calibrationSize)")
        }
        let test = try source.load(.test, config: modelConfig, limit: configuration.evaluationImages)
        reportSkipped(test, split: "evaluation")
        evaluator = Evaluator(graph: graph, images: test.images, labels: test.labels)
        dataDigest = calibration.images.data.withUnsafeBytes { SHA256.hex(of: $0) }
        // A resumed run keeps the λ it had (the user may have steered it).
        if resumption == nil && configuration.automaticRoundWeight {
            let depthwise = graph.nodes.contains { if case .convolution(let p) = $0.operation { p.isDepthwise } else { false } }
            configuration.hyperparameters.roundWeight = depthwise ? 0.1 : 0.01
        }
        if let resumption { try restore(resumption) }

        setState(.calibrating)
        let startUnit = resumption?.checkpoint.unitsDone ?? 0
        session = QuantizationSession(graph: graph, calibration: calibration.images,
                                      configuration: quantizationConfiguration(), model: resumption?.checkpoint.model,
                                      resumeAtBlock: blockIndex(ofUnit: startUnit))
        if resumption == nil {
            emit(.sessionStarted(sessionInfo()))
            try checkEventLog()  // a log that cannot take its first lines stops the run before the evaluation
            if configuration.evaluationImages > 0 {
                setState(.evaluating)
                fpMetrics = EvaluationResult(evaluator.evaluateFP(), model: .fp)
                emit(.evaluation(fpMetrics!))
            }
        }
        return startUnit
    }

    /// Per-layer bits must name layers of this model: a misspelt name would
    /// otherwise leave that layer at the default bits without a word.
    func checkLayerBitsNameLayers() throws {
        let layers = graph.units(for: .layer).flatMap(\.layers)
        let known = Set(layers)
        if let unknown = configuration.layerBits.keys.sorted().first(where: { !known.contains($0) }) {
            let listed = layers.prefix(6).joined(separator: ", ") + (layers.count > 6 ? ", …" : "")
            throw EngineError("per-layer bits name '\(unknown)', which is not a conv or linear layer of \(configuration.modelPath) (its layers: \(listed))")
        }
    }

    func quantizationConfiguration() -> QuantizationConfiguration {
        var c = QuantizationConfiguration(weightBits: configuration.wbits, activationBits: configuration.abits)
        for (layer, bits) in configuration.layerBits {
            c.layerWeightBits[layer] = bits.wbits
            c.layerActivationBits[layer] = bits.abits
        }
        return c
    }

    /// The block (stream position) at which unit `k` starts; past the end when all are done.
    func blockIndex(ofUnit k: Int) -> Int {
        let blocks = graph.blockUnits()
        guard k < units.count, let first = units[k].nodeIndices.first else { return blocks.count }
        return blocks.firstIndex { $0.nodeIndices.contains(first) } ?? 0
    }

    func sessionInfo() -> SessionInfo {
        SessionInfo(model: configuration.modelPath, data: configuration.data, method: configuration.method.rawValue,
                    wbits: configuration.wbits, abits: configuration.abits, granularity: configuration.granularity.rawValue,
                    iterations: configuration.iterations, activationIterations: configuration.activationIterations,
                    calibrationSize: configuration.calibrationSize, seed: configuration.seed,
                    hyperparameters: configuration.hyperparameters,
                    units: units.enumerated().map { UnitInfo(index: $0.offset, unit: $0.element) },
                    layers: LayerInfo.all(graph: graph, units: units, model: session.model, locked: lockedLayers))
    }
}

struct EngineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension EvaluationResult {
    init(_ m: EvaluationMetrics, model: EvaluationSubject) {
        self.init(model: model, images: m.images, top1: m.top1, top5: m.top5, kl: m.meanKL)
    }
}
