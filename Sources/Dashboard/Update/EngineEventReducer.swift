import Engine
import Quantization

extension DashboardReducer {
    /// Search generations kept for the chart; a longer search keeps its newest ones.
    static let maxGenerations = 1000

    static func apply(_ record: EventRecord, to s: inout DashboardState) -> [Effect] {
        s.sessionTime = max(s.sessionTime, record.time)
        s.lastEventArrival = s.now
        let t = record.time
        var effects: [Effect] = []
        // A stage lasts until the next one or the event it leads to (a unit starting or
        // finishing, a new state, the end); a progress event is never logged (it is not news).
        switch record.event {
        case .progress, .message, .rounding, .checkpointWritten, .analysis, .estimate, .bitsChanged, .iterationsChanged,
             .hyperparametersChanged, .searchSensitivity, .searchStarted, .searchGeneration, .evaluation, .exportFinished: break
        case .sessionStarted, .stateChanged, .unitStarted, .iteration, .unitFinished, .rewound, .finished: s.progress = nil
        }

        switch record.event {
        case .sessionStarted(let info):
            s.session = info
            s.units = info.units.map(UnitProgress.init)
            s.layers = info.layers
            s.hyperparameters = info.hyperparameters
            s.defaultIterations = info.iterations
            s.selectedUnit = min(s.selectedUnit, max(0, s.units.count - 1))
            s.selectedLayer = min(s.selectedLayer, max(0, s.layers.count - 1))
            s.appendLog(t, "session: \(info.model), \(info.units.count) units, \(info.layers.count) layers, W\(info.wbits)A\(info.abits)")

        case .stateChanged(let state):
            // A search that ends without starting its generations failed (the error is
            // in the log): its measurement is dropped and the last search shows again.
            if s.runState == .searching, state != .searching, let sensitivity = s.sensitivity, sensitivity.isNewer(than: s.search) {
                s.sensitivity = nil
            }
            // Pauses are timed on the session clock so that the header can say how long.
            if state == .paused, s.pausedSince == nil { s.pausedSince = t }
            if state != .paused, let since = s.pausedSince {
                s.pausedBefore += max(0, t - since)
                s.pausedSince = nil
            }
            s.runState = state
            s.appendLog(t, "state: \(state.rawValue)", level: state == .error ? .error : .info)
            if s.quitPending, !s.isActive { effects.append(.quit(.userQuit(stoppedSession: true))) }

        case .unitStarted(let u):
            s.currentUnit = u.unit
            s.currentPhase = u.phase
            s.currentIteration = 0
            s.currentIterations = u.iterations
            if s.units.indices.contains(u.unit) {
                s.units[u.unit].status = .running
                s.units[u.unit].phase = u.phase
                s.units[u.unit].iterations = u.iterations
                s.units[u.unit].warmupIterations = u.warmupIterations
                // The weights (or joint) phase comes first: starting it again is a restart,
                // and every curve of the old attempt no longer describes the unit. The
                // activations phase follows the weights phase, whose curve stays on the chart.
                if u.phase != .activations {
                    s.units[u.unit].curves = [:]
                    s.units[u.unit].traces = [:]
                    s.units[u.unit].rounding = nil
                }
                s.units[u.unit].curves[u.phase] = LossSeries()
                s.units[u.unit].traces[u.phase] = PhaseTrace(
                    iterations: u.iterations, warmupIterations: u.warmupIterations, nearestLoss: u.nearestLoss,
                    hardLoss: u.startLoss, hardLossIteration: u.startLoss == nil ? nil : 0)
            }
            if s.followRunning { s.selectedUnit = u.unit }
            s.appendLog(t, "unit \(u.unit + 1) \(u.name) started: \(u.phase.rawValue), \(u.iterations) it")

        case .iteration(let it):
            s.currentUnit = it.unit
            s.currentPhase = it.phase
            s.currentIteration = it.iteration
            s.currentIterations = it.iterations
            s.iterationsPerSecond = it.iterationsPerSecond
            s.currentBeta = it.beta
            if s.units.indices.contains(it.unit) {
                if s.units[it.unit].status == .pending { s.units[it.unit].status = .running }
                s.units[it.unit].phase = it.phase
                s.units[it.unit].iterations = it.iterations
                s.units[it.unit].curves[it.phase, default: LossSeries()].append(
                    LossPoint(iteration: it.iteration, reconstruction: it.reconstructionLoss, regularizer: it.regularizerLoss))
                var trace = s.units[it.unit].traces[it.phase] ?? PhaseTrace(iterations: it.iterations, warmupIterations: 0)
                trace.iterations = it.iterations
                if let hard = it.hardLoss {
                    trace.hardLoss = hard
                    trace.hardLossIteration = it.iteration
                }
                s.units[it.unit].traces[it.phase] = trace
            }

        case .rounding(let r):
            if s.units.indices.contains(r.unit) { s.units[r.unit].rounding = r }

        case .unitFinished(let f):
            if s.units.indices.contains(f.unit) {
                s.units[f.unit].status = f.status
                s.units[f.unit].lossBefore = f.lossBefore
                s.units[f.unit].lossAfter = f.lossAfter
                s.units[f.unit].snrBefore = f.snrBefore
                s.units[f.unit].snrAfter = f.snrAfter
                s.units[f.unit].seconds = f.seconds
            }
            if s.currentUnit == f.unit { s.currentUnit = nil; s.currentIteration = 0; s.currentIterations = 0 }
            // A pending count for the finished unit no longer applies; the default still may.
            if s.pendingIterations?.unit == f.unit { s.pendingIterations?.unit = nil; s.pendingIterations?.current = nil }
            let snr = f.snrAfter.map { " · SNR \(f.snrBefore.map(NumberFormat.decibels).map { "\($0) → " } ?? "")\(NumberFormat.decibels($0)) dB" } ?? ""
            s.appendLog(t, "unit \(f.unit + 1) \(f.name) \(f.status.rawValue): \(NumberFormat.loss(f.lossBefore)) → \(NumberFormat.loss(f.lossAfter))\(snr) in \(NumberFormat.duration(f.seconds))")

        case .bitsChanged(let b):
            if let i = s.layers.firstIndex(where: { $0.name == b.layer }) {
                s.layers[i].wbits = b.wbits
                s.layers[i].abits = b.abits
                s.layers[i].locked = b.locked
            }
            s.appendLog(t, "bits: \(b.layer) W\(b.wbits)A\(NumberFormat.abits(b.abits))\(b.locked ? " locked" : "")")

        case .rewound(let r):
            rewind(to: r, &s)
            s.appendLog(t, "rewound to unit \(r.unit + 1) \(r.name): \(r.reason)", level: .warning)

        case .iterationsChanged(let c):
            s.defaultIterations = c.defaultIterations
            if let unit = c.unit, let current = c.currentIterations {
                if s.currentUnit == unit { s.currentIterations = current }
                if s.units.indices.contains(unit) {
                    s.units[unit].iterations = current
                    s.units[unit].traces[s.units[unit].phase]?.iterations = current
                }
            }
            // The engine confirmed the newest request: later steps start from its values again.
            if let pending = s.pendingIterations, pending.defaultIterations == c.defaultIterations,
               pending.current == nil || (pending.unit == c.unit && pending.current == c.currentIterations) {
                s.pendingIterations = nil
            }
            let current = c.currentIterations.map { "current \($0), " } ?? ""
            s.appendLog(t, "iterations: \(current)default \(c.defaultIterations)")

        case .hyperparametersChanged(let h):
            s.hyperparameters = h
            s.appendLog(t, "hyperparameters: λ=\(NumberFormat.compact(h.roundWeight)) lr=\(NumberFormat.compact(h.learningRate)) β=\(NumberFormat.compact(h.betaStart))→\(NumberFormat.compact(h.betaEnd)) \(h.loss.rawValue)")

        case .searchSensitivity(let p):
            let previous = s.sensitivity?.progress
            s.sensitivity = SensitivityStatus(progress: p, time: t)
            if p.cached == true {
                s.appendLog(t, "sensitivity: from the cache (\(p.total) error evaluations)")
            } else if p.done == 0 {
                s.appendLog(t, "sensitivity: measuring \(p.total) error evaluations")
            } else if p.done >= p.total {
                s.appendLog(t, "sensitivity: done in \(NumberFormat.duration(p.seconds))")
            } else if !p.unit.isEmpty, p.unit != previous?.unit {
                s.appendLog(t, "sensitivity: \(p.unit) (\(p.done)/\(p.total))")
            }

        case .searchStarted(let started):
            s.search = SearchProgress(started: started)
            s.search?.startTime = t
            s.appendLog(t, "search: \(started.generations) generations × \(started.population), \(started.measure) budget \(NumberFormat.compact(started.budget))")

        case .searchGeneration(let g):
            if s.search == nil {
                // Generations without a start event (a replay cut short) still chart.
                s.search = SearchProgress(started: SearchStarted(
                    generations: g.generations, population: g.population, measure: "cost", budget: g.budget, uniform4Cost: .nan))
            }
            s.search?.generations.append(g)
            if let count = s.search?.generations.count, count > maxGenerations {
                s.search?.dropOldest(count - maxGenerations)
            }

        case .evaluation(let e):
            switch e.model {
            case .fp: s.fpTop1 = e.top1
            case .quantized: s.quantizedTop1 = e.top1; s.quantizedSubject = e.model
            }
            let kl = e.kl.map { " KL \(NumberFormat.compact($0))" } ?? ""
            s.appendLog(t, "eval \(e.model.label): top-1 \(NumberFormat.percent(e.top1)) top-5 \(NumberFormat.percent(e.top5))\(kl) on \(e.images)")

        case .checkpointWritten(let c):
            s.lastCheckpoint = c
            s.appendLog(t, "checkpoint: \(c.path) (\(c.unitsDone) units)")

        case .analysis(let a):
            s.analysis = a
            if let worst = a.report.worstFirst.first {
                s.appendLog(t, "analysis (\(a.unitsDone)/\(a.unitCount) units): worst \(worst.layer) "
                            + "\(NumberFormat.compact(worst.accumulated.noiseToSignalDecibels)) dB")
            }

        case .progress(let p):
            s.progress = p

        case .estimate(let estimate):
            // The first estimate is the one the user waits for; refinements only move the ETA.
            if s.estimate == nil { s.appendLog(t, estimate.summary(duration: NumberFormat.duration)) }
            s.estimate = estimate

        case .message(let m):
            s.appendLog(t, m.text, level: m.level)
            if m.level == .error {
                s.engineError = m.text
                s.notify(m.text, isError: true)
            }

        case .finished(let summary):
            s.summary = summary
            if let fp = summary.fpTop1 { s.fpTop1 = fp }
            if let q = summary.quantTop1, q != s.quantizedTop1 { s.quantizedTop1 = q; s.quantizedSubject = .quantized(nil) }
            s.appendLog(t, "finished in \(NumberFormat.duration(summary.wallSeconds))"
                           + (summary.peakRssBytes.map { ", peak memory " + PeakResidentMemory.text(bytes: $0) } ?? ""))
            if s.quitPending { effects.append(.quit(.userQuit(stoppedSession: true))) }

        case .exportFinished(let e):
            let text = "export: " + e.text
            s.appendLog(t, text, level: e.succeeded ? .info : .error)
            s.notify(text, isError: !e.succeeded)
        }
        return effects
    }
}

extension DashboardReducer {
    /// Units `r.unit…` run again: they are pending with nothing drawn, and
    /// what described the model past them (analysis rows of their layers, a
    /// partial evaluation, the estimate) goes; the engine sends a new estimate.
    static func rewind(to r: Rewound, _ s: inout DashboardState) {
        let first = max(0, r.unit)
        for k in s.units.indices where k >= first { s.units[k] = UnitProgress(info: s.units[k].info) }
        s.currentUnit = nil
        s.currentIteration = 0
        s.currentIterations = 0
        s.currentBeta = nil
        if let unit = s.pendingIterations?.unit, unit >= first { s.pendingIterations?.unit = nil; s.pendingIterations?.current = nil }
        s.estimate = nil
        if case .quantized(let count?) = s.quantizedSubject, count.done > first { s.quantizedTop1 = nil; s.quantizedSubject = nil }
        if var analysis = s.analysis {
            // A layer's accumulated error depends on the layers before it, its isolated error on itself:
            // the rows of the units kept still describe the model.
            let kept = Set(s.layers.filter { $0.unit < first }.map(\.name))
            analysis.report.layers.removeAll { !kept.contains($0.layer) }
            analysis.unitsDone = min(analysis.unitsDone, first)
            s.analysis = analysis.report.layers.isEmpty ? nil : analysis
            s.analysisSelection = min(s.analysisSelection, max(0, (s.analysis?.report.layers.count ?? 1) - 1))
        }
        if s.followRunning { s.selectedUnit = min(first, max(0, s.units.count - 1)) }
    }
}

extension DashboardState {
    mutating func appendLog(_ time: Double?, _ text: String, level: Message.Level = .info) {
        log.append(LogEntry(time: time, level: level, text: text))
    }
}
