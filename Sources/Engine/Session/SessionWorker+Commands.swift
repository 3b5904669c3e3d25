import Foundation
import Network
import Quantization

extension SessionWorker {
    /// Applies every waiting command; while paused, waits here for more.
    /// Returns what the unit loop must do (restart, skip, stop), if anything.
    func applyCommands() -> UnitControl? {
        // The event log failed: stop at once (run() reports the failure, not a user stop).
        if eventLogFailure != nil { return .stop }
        var control: UnitControl?
        var paused = state == .paused
        repeat {
            for command in runner.mailbox.take() {
                switch command {
                case .pause: paused = true
                case .resume: paused = false
                case .stop: return .stop
                default:
                    if let c = apply(command) { control = Self.stronger(control, c) }
                }
            }
            if paused {
                setState(.paused)
                if control != nil { break }
                runner.mailbox.waitForCommand(seconds: 0.25)
            }
        } while paused
        // A restart or skip sent while paused is carried out; the pause holds until resumed.
        if !paused { setState(.running) }
        return control
    }

    /// Of two requests between the same iterations, the one that discards more:
    /// a rewind (the earliest unit), then a skip, then a restart.
    static func stronger(_ a: UnitControl?, _ b: UnitControl) -> UnitControl {
        switch (a, b) {
        case (nil, _): return b
        case let (.rewind(x, _)?, .rewind(y, _)): return y < x ? b : a!
        case (.rewind?, _): return a!
        case (_, .rewind): return b
        case (_, .skip): return b
        default: return a!
        }
    }

    func reject(_ text: String) {
        emit(.message(Message(level: .error, text: text)))
    }

    /// One command other than pause/resume/stop.
    private func apply(_ command: EngineCommand) -> UnitControl? {
        switch command {
        case let .setIterations(current, defaultIterations):
            let range = RunConfiguration.iterationRange
            if let n = current, !range.contains(n) { reject("iterations must be in \(range.lowerBound)…\(range.upperBound) (got \(n))"); return nil }
            if let n = defaultIterations, !range.contains(n) {
                reject("default iterations must be in \(range.lowerBound)…\(range.upperBound) (got \(n))"); return nil
            }
            if let n = defaultIterations { configuration.iterations = n }
            if let n = current, let r = reconstructor { r.iterations = n }
            emit(.iterationsChanged(IterationsChange(unit: reconstructor == nil ? nil : unitIndex,
                                                     currentIterations: reconstructor?.iterations,
                                                     defaultIterations: configuration.iterations)))
        case let .lock(layer, wbits, abits):
            return lock(layer: layer, wbits: wbits, abits: abits)
        case .unlock(let layer):
            guard session.model.layer(named: layer) != nil else { reject("unknown layer '\(layer)'"); return nil }
            lockedLayers.remove(layer)
            emitBits(of: layer)
        case let .setHyperparameters(h, restartCurrent):
            if let e = h.validationError() { reject(e); return nil }
            configuration.hyperparameters = h
            emit(.hyperparametersChanged(h))
            if restartCurrent && reconstructor != nil { return .restart }
        case .restartUnit:
            if reconstructor == nil { reject("no unit is being reconstructed"); return nil }
            return .restart
        case .rewind(let k):
            return rewindRequest(unit: k)
        case .skipUnit:
            if reconstructor == nil { reject("no unit is being reconstructed"); return nil }
            return .skip
        case .evaluate(let images):
            guard images >= 1 else { reject("evaluation needs at least one image (got \(images))"); return nil }
            let previous = state
            setState(.evaluating)
            do {
                emit(.evaluation(try evaluator.evaluate(session.model, as: .quantized(.init(done: unitResults.count, total: units.count)),
                                                        images: images)))
            } catch {
                // A test file deleted or damaged during the run (images decoded per batch) fails this evaluation only.
                reject("evaluation failed: \(error)")
            }
            setState(previous)
        case .startSearch:
            runSearch()
        case .pause, .resume, .stop:
            break
        case .export:
            // The runner answers exports on their own thread; none reaches the mailbox.
            break
        }
        return nil
    }

    /// `rewind(unit:)`: the running unit restarts; a finished one is re-run with everything after it.
    private func rewindRequest(unit k: Int) -> UnitControl? {
        guard units.indices.contains(k) else { reject("there is no unit \(k + 1) (the run has \(units.count))"); return nil }
        if reconstructor != nil && k == unitIndex { return .restart }
        let lastRun = reconstructor != nil ? unitIndex : unitResults.count - 1
        guard k <= lastRun else { reject("unit \(k + 1) (\(units[k].name)) has not run yet; there is nothing to re-run"); return nil }
        return .rewind(unit: k, reason: "re-run requested")
    }

    /// Sets and locks a layer's bits. A layer of the running unit restarts it
    /// so the new bits take effect; a layer of a finished unit rewinds the run
    /// to that unit (it and every later unit run again). New activation bits
    /// on a tensor calibrated in a finished unit rewind to that unit.
    private func lock(layer: String, wbits: Int, abits: Int) -> UnitControl? {
        guard session.model.layer(named: layer) != nil else { reject("unknown layer '\(layer)'"); return nil }
        let bits: LayerBits
        do { bits = try LayerBits(wbits: wbits, abits: abits) } catch {
            reject("\(error.field == "wbits" ? "weight" : "activation") bits \(error.problem)")
            return nil
        }
        guard let owner = units.firstIndex(where: { $0.layers.contains(layer) }) else { reject("layer '\(layer)' is in no unit"); return nil }
        let running = reconstructor != nil && owner == unitIndex
        let finished = !running && owner < unitResults.count
        let currentActivationBits = session.model.inputActivationBits(ofLayer: layer)
        let currentWeightBits = session.model.layer(named: layer)?.bits
        let bitsChange = wbits != currentWeightBits || abits != currentActivationBits
        // The unit to go back to, when the new bits change what a finished unit (or the running unit's input) learnt.
        var rewindTo: Int? = finished && bitsChange ? owner : nil
        if abits != currentActivationBits {
            guard let a = session.model.inputActivation(ofLayer: layer) else {
                reject("the input of \(layer) is not quantized (the image input, or activations at 32 bits)")
                return nil
            }
            if let calibrated = calibratingUnit(of: a.tensor) { rewindTo = min(rewindTo ?? calibrated, calibrated) }
        }
        if lockedLayers.contains(layer) && !bitsChange {
            emitBits(of: layer)
            return nil
        }
        do {
            // Unchanged bits leave the layer (and a running unit's rounding state) alone.
            if wbits != currentWeightBits { try session.setWeightBits(layer: layer, bits: wbits) }
            if abits != currentActivationBits { try session.setActivationBits(layer: layer, bits: abits) }
        } catch {
            reject("\(error)")
            return nil
        }
        configuration.layerBits[layer] = bits
        lockedLayers.insert(layer)
        emitBits(of: layer)
        if let k = rewindTo {
            return .rewind(unit: k, reason: "lock \(layer) at W\(wbits)A\(abits == 32 ? "32" : String(abits))")
        }
        // Locking at the bits the layer already has changes nothing the unit
        // has learnt, so the running unit keeps its iterations.
        return running && bitsChange ? .restart : nil
    }

    /// The unit that calibrated the quantizer on `tensor` when the quantized
    /// streams already carry it: a finished unit, or the running one when the
    /// tensor is made before the running unit (its inputs). Nil when a restart
    /// (or nothing) recalibrates it: not calibrated yet, or inside the running unit.
    private func calibratingUnit(of tensor: String) -> Int? {
        guard let k = session.model.activationIndex(tensor: tensor), calibratedDuring.indices.contains(k),
              let unit = calibratedDuring[k] else { return nil }
        if reconstructor != nil && unit == unitIndex,
           let producer = graph.producerIndex(of: tensor), units[unitIndex].nodeIndices.contains(producer) { return nil }
        return unit
    }

    func emitBits(of layer: String) {
        emit(.bitsChanged(BitsChange(layer: layer, wbits: session.model.layer(named: layer)?.bits ?? 32,
                                     abits: session.model.inputActivationBits(ofLayer: layer),
                                     locked: lockedLayers.contains(layer))))
    }
}
