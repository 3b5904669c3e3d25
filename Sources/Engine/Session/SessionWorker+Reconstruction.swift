import Foundation
import Network
import Quantization
import Tensor

extension SessionWorker {
    /// Runs units `start...` in order; returns `.stop` when the user stopped the run.
    func reconstruct(from start: Int) throws -> UnitControl? {
        setState(.running)
        var k = start
        unitLoop: while k < units.count {
            unitIndex = k
            let unit = units[k]
            unitCycleStarts(k)
            let t0 = now
            // At 224×224 a unit's inputs over the calibration set take a while before its first iteration.
            events.stage("preparing", unit: k)
            var phases = session.phases(for: unit, hyperparameters: configuration.hyperparameters)
            // What the unit's `before` is measured with (its activation quantizers included), also where
            // nothing is reconstructed: an RTN run's losses are then the same figures a BRECQ run starts from.
            var measuredPhases = phases
            // The reference keeps the stem at 8-bit round-to-nearest; `rtn` reconstructs nothing.
            let reconstructs = unit.kind != .stem && configuration.method != .rtn
            if !reconstructs { phases = [phases[0]] }
            var before: Double?
            var after = 0.0
            // Signal-to-noise of the unit's output (dB) in the same measure as before and after.
            var snrBefore: Double?
            var snrAfter: Double?
            var status = UnitStatus.done
            var p = 0
            while p < phases.count {
                let phase = phases[p]
                let iterations = phase == .activations ? configuration.activationIterations : configuration.iterations
                if phase == .activations && iterations == 0 { break }
                let r = try session.makeReconstructor(unit: unit, phase: phase, hyperparameters: configuration.hyperparameters,
                                                      iterations: iterations, random: random(unit: k, phase: p))
                if before == nil { (before, snrBefore) = try quantizedLossBefore(unit, phases: measuredPhases, first: r) }
                noteCalibrations(during: k)
                if !reconstructs {
                    after = skip(r, before: before)
                    snrAfter = r.phase == .weights ? snrBefore : r.signalToNoiseAfter
                    status = .skipped
                    break
                }
                reconstructor = r
                // The plain-rounding reference in this phase's measure: the weights (or
                // joint) phase starts from round-to-nearest; the activations phase is
                // measured like the unit's `before`, which is its rounding reference.
                let nearest = phase == .activations ? before : r.lossBefore
                emit(.unitStarted(UnitStarted(unit: k, name: unit.name, phase: phase, iterations: r.iterations,
                                              warmupIterations: r.warmupIterations, startLoss: r.lossBefore,
                                              nearestLoss: nearest)))
                emitRounding(r, beta: nil)
                let control = try iterate(r)
                reconstructor = nil
                switch control {
                case nil:
                    after = r.finish()
                    snrAfter = r.signalToNoiseAfter
                    p += 1
                case .skip:
                    after = skip(r, before: before)
                    snrAfter = r.phase == .weights ? snrBefore : r.signalToNoiseAfter
                    status = .skipped
                    p = phases.count
                case .restart:
                    try resetToNearest(unit)
                    phases = session.phases(for: unit, hyperparameters: configuration.hyperparameters)
                    measuredPhases = phases
                    before = nil
                    snrBefore = nil
                    p = 0
                    emit(.message(Message(level: .info, text: "restarting \(unit.name)")))
                case let .rewind(target, reason):
                    try rewind(to: target, reason: reason)
                    k = target
                    continue unitLoop
                case .stop:
                    return .stop
                }
            }
            noteCalibrations(during: k)
            let result = UnitFinished(unit: k, name: unit.name, status: status, lossBefore: before ?? 0, lossAfter: after,
                                      seconds: now - t0, snrBefore: snrBefore, snrAfter: snrAfter)
            unitResults.append(result)
            emit(.unitFinished(result))
            refineEstimate(unitsDone: k + 1)
            // The last unit's figures come with the final model, in `finish`.
            if k + 1 < units.count { analyse(unitsDone: k + 1) }
            try writeCheckpoint(unitsDone: k + 1)
            k += 1
            // A stop that arrived between units is honoured before the next one starts, a rewind carried out.
            switch applyCommands() {
            case .stop: return .stop
            case let .rewind(target, reason)?:
                try rewind(to: target, reason: reason)
                k = target
            default: break
            }
        }
        return nil
    }

    /// The unit's loss with round-to-nearest weights *and* its activation
    /// quantizers, comparable with the loss after the last phase. The weights
    /// phase measures with activations off, so the activations phase's view of
    /// the still-unoptimised unit is asked for instead (nothing is committed).
    /// Returns the loss and the output's signal-to-noise ratio (dB) measured with it.
    func quantizedLossBefore(_ unit: ReconstructionUnit, phases: [UnitPhase], first: UnitReconstructor) throws
        -> (loss: Double, signalToNoise: Double?) {
        guard first.phase == .weights, phases.contains(.activations) else { return (first.lossBefore, first.signalToNoiseBefore) }
        let probe = try session.makeReconstructor(unit: unit, phase: .activations, hyperparameters: configuration.hyperparameters,
                                                  iterations: 1, random: random(unit: unitIndex, phase: 3))
        return (probe.lossBefore, probe.signalToNoiseBefore)
    }

    /// Commits round-to-nearest weights. Their loss, activations included, is
    /// what was measured before the unit started; a skip in a later phase
    /// keeps the weights already learned and reports that phase's own loss.
    func skip(_ r: UnitReconstructor, before: Double?) -> Double {
        let loss = r.skip()
        return r.phase == .weights ? before ?? loss : loss
    }

    /// Steps until the phase is complete or a command interrupts it.
    /// Every `statsInterval` iterations an iteration event; at a steady interval
    /// and at the end it also carries the hard-rounded loss over the calibration set.
    func iterate(_ r: UnitReconstructor) throws -> UnitControl? {
        var windowStart = now
        var windowIteration = r.iteration
        let interval = configuration.statsInterval
        var pacing = HardLossPacing(statsInterval: interval, iterations: r.iterations, startIteration: r.iteration)
        // Iteration time of the whole phase, for the run's estimate.
        let phaseStart = now
        let phaseStartIteration = r.iteration
        var commandSeconds = 0.0
        while !r.isComplete {
            // Time spent in commands (a pause, an evaluation) is not iteration time:
            // counted, it would show a falsely low it/s after a resume.
            let commandsStart = now
            if let control = applyCommands() { return control }
            windowStart += now - commandsStart
            commandSeconds += now - commandsStart
            if r.isComplete { break }
            let stepStart = now
            let s = r.step()
            pacing.recordStep(seconds: now - stepStart)
            if s.iteration % interval == 0 || r.isComplete {
                var hard: Double?
                if r.isComplete || pacing.isDue(iteration: s.iteration) {
                    let t0 = now
                    hard = r.hardLoss()
                    pacing.recordEvaluation(seconds: now - t0, iteration: s.iteration)
                }
                let t = now
                let rate = t > windowStart ? Double(s.iteration - windowIteration) / (t - windowStart) : 0
                windowStart = t
                windowIteration = s.iteration
                emit(.iteration(IterationStats(unit: unitIndex, phase: s.phase, iteration: s.iteration, iterations: s.iterations,
                                               reconstructionLoss: s.reconstructionLoss, regularizerLoss: s.regularizerLoss,
                                               beta: s.beta, iterationsPerSecond: rate, hardLoss: hard)))
            }
            if roundingDue(r, iteration: s.iteration) { emitRounding(r, beta: s.beta > 0 ? s.beta : nil) }
            phaseProgress(r, iterations: s.iteration - phaseStartIteration, seconds: now - phaseStart - commandSeconds)
        }
        phaseCompleted(r, iterations: r.iteration - phaseStartIteration, seconds: now - phaseStart - commandSeconds)
        return nil
    }

    /// Each unit and phase draws from its own stream derived from the seed, so
    /// a resumed or restarted unit sees the same batches as a fresh run.
    func random(unit: Int, phase: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: configuration.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(unit * 4 + phase + 1))
    }

    /// Puts a unit's layers back on fresh round-to-nearest grids (a restart).
    func resetToNearest(_ unit: ReconstructionUnit) throws {
        for layer in unit.layers {
            guard let bits = session.model.layer(named: layer)?.bits else { continue }
            try session.setWeightBits(layer: layer, bits: bits)
        }
    }

    func writeCheckpoint(unitsDone: Int) throws {
        guard let dir = runner.options.checkpointDirectory else { return }
        events.stage("writing the checkpoint")
        // The recording's fields are filled in by the store from the events it writes.
        let checkpoint = Checkpoint(configuration: configuration, modelSHA256: modelDigest, dataSHA256: dataDigest,
                                    unitsDone: unitsDone, model: session.model, lockedLayers: lockedLayers.sorted(),
                                    unitResults: unitResults, fpMetrics: fpMetrics, elapsed: now,
                                    eventCount: history.count, eventsBytes: 0, eventsSHA256: "")
        try CheckpointStore(directory: dir).save(checkpoint, events: history)
        emit(.checkpointWritten(CheckpointWritten(path: dir, unitsDone: unitsDone)))
    }

    /// Calibrates what is left, evaluates the quantized model and builds the summary.
    func finish() throws -> RunSummaryFile {
        session.finishRemaining()
        // The final model (leftover quantizers calibrated) is what `brecq export` reads.
        try writeCheckpoint(unitsDone: units.count)
        var quant: EvaluationResult?
        if configuration.evaluationImages > 0 {
            setState(.evaluating)
            do {
                quant = try evaluator.evaluate(session.model, as: .quantized(.init(done: units.count, total: units.count)))
                emit(.evaluation(quant!))
            } catch {
                // A test file deleted or damaged during a long run costs the final figures, not the
                // reconstructed model: the checkpoint is written and the summary follows without them.
                emit(.message(Message(level: .warning, text: "final evaluation failed: \(error)")))
            }
        }
        let summary = RunSummaryFile(settings: RunSettings(configuration), results: .init(
            loss: configuration.hyperparameters.loss, qdrop: configuration.hyperparameters.qdrop,
            roundWeight: configuration.hyperparameters.roundWeight, calibSize: configuration.calibrationSize,
            fpTop1: fpMetrics?.top1, fpTop5: fpMetrics?.top5, quantTop1: quant?.top1, quantTop5: quant?.top5, kl: quant?.kl,
            evaluationImages: configuration.evaluationImages,
            units: unitResults.map { .init(name: $0.name, status: $0.status, lossBefore: $0.lossBefore, lossAfter: $0.lossAfter, seconds: $0.seconds) },
            bits: try Dictionary(uniqueKeysWithValues: session.model.layers.map {
                ($0.layer, try LayerBits(wbits: $0.bits, abits: session.model.inputActivationBits(ofLayer: $0.layer)))
            }),
            wallSeconds: now, analysis: analyse(unitsDone: units.count),
            activationCache: session.configuration.cachePrecision, peakRssBytes: PeakResidentMemory.bytes()))
        return summary
    }
}

/// When to measure the hard-rounded loss during a phase. A measurement is a
/// pass over the whole calibration set, worth many optimisation steps, so the
/// gap between measurements keeps their cost near a tenth of the training time
/// (and at most a tenth of the phase apart while that is affordable), always
/// on a multiple of the stats interval so it rides on an iteration event.
struct HardLossPacing {
    let statsInterval: Int
    /// Cost of measurements relative to training time.
    static let overhead = 0.1
    private(set) var gap: Int
    private var last: Int
    private var stepSeconds = 0.0
    private var steps = 0

    init(statsInterval: Int, iterations: Int, startIteration: Int) {
        self.statsInterval = max(1, statsInterval)
        gap = Self.roundUp(max(1, iterations / 10), to: self.statsInterval)
        last = startIteration
    }

    mutating func recordStep(seconds: Double) { stepSeconds += seconds; steps += 1 }

    func isDue(iteration: Int) -> Bool { iteration - last >= gap }

    mutating func recordEvaluation(seconds: Double, iteration: Int) {
        last = iteration
        guard steps > 0, stepSeconds > 0 else { return }
        let perStep = stepSeconds / Double(steps)
        let affordable = Int((seconds / Self.overhead / perStep).rounded(.up))
        gap = max(gap, Self.roundUp(max(1, affordable), to: statsInterval))
    }

    static func roundUp(_ n: Int, to multiple: Int) -> Int { (n + multiple - 1) / multiple * multiple }
}
