import Engine

extension DashboardReducer {
    /// Bit widths the `b` key cycles a layer through.
    static let bitCycle = [2, 4, 8]

    static func handle(_ key: Key, in s: inout DashboardState) -> [Effect] {
        // Behind the "terminal too small" screen nothing the user could see acts: only q, which it offers.
        if !s.size.fitsMinimum { return key == .character("q") ? quitFromTooSmall(&s) : [] }
        if let overlay = s.overlay { return handle(key, in: overlay, state: &s) }
        switch key {
        case .tab: s.focus = s.focus.next
        case .backTab: s.focus = s.focus.previous
        case .left, .character("h"): s.focus = s.focus.previous
        case .right, .character("l"): s.focus = s.focus.next
        case .character(let c) where ("1"..."6").contains(c):
            s.focus = Panel(rawValue: Int(String(c))! - 1)!
        case .up, .character("k"): moveSelection(by: -1, in: &s)
        case .down, .character("j"): moveSelection(by: 1, in: &s)
        case .pageUp: moveSelection(by: -10, in: &s)
        case .pageDown: moveSelection(by: 10, in: &s)
        case .home: moveSelection(by: Int.min / 2, in: &s)
        case .end: moveSelection(by: Int.max / 2, in: &s)
        case .character("a"): s.focus = .analysis
        // A view-only viewer's b/r fall through to the line saying who steers.
        case .character(let c) where (c == "b" || c == "r") && s.focus == .analysis && !s.mode.isReplay && !s.mode.isViewOnly:
            return analysisKey(key, &s)
        case .character("?"), .function(1): s.overlay = .help; s.overlayScroll = 0
        case .character("t"): s.overlay = .teaching(s.focus); s.overlayScroll = 0
        case .character("w"): return startTour(&s)
        case .character("d"):
            guard s.units.indices.contains(s.selectedUnit) else { s.notify("no unit selected", isError: true); return [] }
            s.overlay = .blockDiagram(s.selectedUnit)
        case .character("y"):
            s.logScale.toggle()
            s.notify(s.logScale ? "loss axis: logarithmic" : "loss axis: linear")
        case .character("T"):
            guard !s.themeNames.isEmpty else { s.notify("no themes found", isError: true); return [] }
            return [.loadTheme(index: (s.themeIndex + 1) % s.themeNames.count)]
        case .character("q"):
            return quit(&s)
        case .escape:
            s.notice = nil
        default:
            return s.mode.isReplay ? replayKey(key, &s) : s.mode.isViewOnly ? viewOnlyKey(key, &s) : liveKey(key, &s)
        }
        return []
    }

    private static func quit(_ s: inout DashboardState) -> [Effect] {
        // Leaving a replay or an attached dashboard never stops anything.
        if s.mode != .live || !s.isActive { return [.quit(.userQuit(stoppedSession: false))] }
        // A second q while waiting for the engine leaves without the confirmation.
        if s.quitPending { return [.quit(.userQuit(stoppedSession: true))] }
        s.overlay = .quitConfirm
        return []
    }

    /// The too-small screen cannot show the quit confirmation, so its `q`
    /// does what a confirmed quit does: stop the engine (it writes its
    /// checkpoint, so the run can be resumed) and leave once it has.
    private static func quitFromTooSmall(_ s: inout DashboardState) -> [Effect] {
        s.overlay = nil
        // Leaving a replay or an attached dashboard never stops anything.
        if s.mode != .live || !s.isActive { return [.quit(.userQuit(stoppedSession: false))] }
        if s.quitPending { return [.quit(.userQuit(stoppedSession: true))] }
        s.quitPending = true
        s.notify("stopping: waiting for the engine to write its checkpoint (q again to leave now)")
        return [.send(.stop)]
    }

    /// Speed and lecture controls replace engine commands in a replay.
    private static func replayKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        guard case .replay(var replay) = s.mode else { return [] }
        if let effects = lectureKey(key, replay, &s) { return effects }
        switch key {
        case .character(" "):
            replay.paused.toggle()
            s.mode = .replay(replay)
            s.notify(replay.paused ? "replay paused" : "replay playing")
            return [.replay(.setPaused(replay.paused))]
        // `<` `>` seek (by a tenth of the run); speed has `+` `-` and their unshifted `=` `_`.
        case .character("+"), .character("="), .character("-"), .character("_"):
            let faster = [Character("+"), "="].contains(key.character)
            replay.speed = ReplayStatus.step(from: replay.speed, faster: faster)
            s.mode = .replay(replay)
            let left = replay.playTimeLeft(at: s.sessionTime).map { ", \(NumberFormat.duration($0)) to the end" } ?? ""
            s.notify("replay speed ×\(NumberFormat.compact(replay.speed))\(left)")
            return [.replay(.setSpeed(replay.speed))]
        case .character(let c) where "iexbrnvm".contains(c):
            s.notify("replay: engine commands are not available", isError: true)
            return []
        default:
            return []
        }
    }

    /// An attached dashboard without control watches only; engine keys say so.
    private static func viewOnlyKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        if case .character(let c) = key, " iexbrnvmo+-=_".contains(c) {
            s.notify("view only: `brecq attach --control` (the run's owner) steers", isError: true)
        }
        return []
    }

    private static func liveKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        switch key {
        case .character(" "):
            if s.runState == .paused { s.notify("resume requested"); return [.send(.resume)] }
            guard s.isActive else { s.notify("the session is not running (\(s.runState.rawValue)); nothing to pause", isError: true); return [] }
            s.notify("pause requested")
            return [.send(.pause)]
        case .character("+"), .character("="):
            return stepIterations(up: true, &s)
        case .character("-"), .character("_"):
            return stepIterations(up: false, &s)
        case .character("i"):
            s.overlay = .iterations(IterationsForm(
                current: s.currentUnit != nil ? s.currentIterations : nil, remaining: s.defaultIterations))
        case .character("e"):
            s.overlay = .hyperparameters(HyperparameterForm(s.hyperparameters))
        case .character("x"):
            guard let layer = s.selectedLayerInfo else { s.notify("no layer selected", isError: true); return [] }
            if layer.locked {
                s.notify("unlock \(layer.name) requested")
                return [.send(.unlock(layer: layer.name))]
            }
            if let why = bitsFixedReason(layer, s) { s.notify(why, isError: true); return [] }
            // Same bits: the engine only marks the layer locked; the running unit carries on.
            s.notify("lock \(layer.name) at W\(layer.wbits) requested")
            return [.send(.lock(layer: layer.name, wbits: layer.wbits, abits: layer.abits))]
        case .character("b"):
            guard let layer = s.selectedLayerInfo else { s.notify("no layer selected", isError: true); return [] }
            if let why = bitsFixedReason(layer, s) { s.notify(why, isError: true); return [] }
            let bits = bitCycle.first(where: { $0 > layer.wbits }) ?? bitCycle[0]
            return requestLock(layer, wbits: bits, abits: layer.abits, &s)
        case .character("r"):
            // On the bits table, `r` on a layer of a finished unit re-runs that unit (and what follows).
            if s.focus == .bits, let layer = s.selectedLayerInfo, isFinished(unit: layer.unit, s) {
                return askRewind(to: layer.unit, lock: nil, &s)
            }
            guard s.currentUnit != nil else { s.notify("no unit is running", isError: true); return [] }
            s.notify("restart of the current unit requested")
            return [.send(.restartUnit)]
        case .character("n"):
            guard s.currentUnit != nil else { s.notify("no unit is running", isError: true); return [] }
            s.notify("skip of the current unit requested")
            return [.send(.skipUnit)]
        case .character("v"):
            // Once the engine thread has ended nothing reads commands (SessionWorker.run returns after
            // `finish`), so a request would be silently dropped: say why instead.
            guard s.isActive else {
                let last = s.quantizedTop1.map { "; last result Q \(NumberFormat.percent($0))" } ?? ""
                s.notify("eval: the run has \(endedPhrase(s)), its engine has exited\(last)", isError: true)
                s.appendLog(nil, "eval: the engine has exited and takes no more commands; `brecq eval` evaluates the checkpoint", level: .warning)
                return []
            }
            s.notify("evaluation on \(s.evaluationImages) images requested")
            return [.send(.evaluate(images: s.evaluationImages))]
        case .character("m"):
            guard s.isActive else {
                s.notify("search: the run has \(endedPhrase(s)); every unit's bits are fixed", isError: true)
                s.appendLog(nil, "search: it picks bits for units not yet reconstructed; press m while the run is early, or use `brecq search`", level: .warning)
                return []
            }
            guard s.runState != .searching else { s.notify("search: a search is already running", isError: true); return [] }
            s.notify("mixed-precision search requested")
            return [.send(.startSearch)]
        case .character("o"):
            guard s.runState == .done, let checkpoint = s.lastCheckpoint?.path else {
                s.notify("export: the run is not finished yet; the quantized model can be exported once it is done", isError: true)
                return []
            }
            s.overlay = .export(ExportForm(path: defaultExportPath(checkpoint: checkpoint, exportDirectory: s.exportDirectory)))
        default:
            break
        }
        return []
    }

    /// `+`/`-` step the running unit and the default by about a tenth, on a 1-2-5 ladder.
    /// Each press starts from what the previous press asked for (not yet confirmed
    /// by the engine), so three quick presses make three steps.
    private static func stepIterations(up: Bool, _ s: inout DashboardState) -> [Effect] {
        let pending = s.pendingIterations
        let pendingCurrent = pending.flatMap { $0.unit == s.currentUnit ? $0.current : nil }
        let currentBase = pendingCurrent ?? s.currentIterations
        let defaultBase = pending?.defaultIterations ?? s.defaultIterations
        let base = s.currentUnit != nil ? currentBase : defaultBase
        guard base > 0 else { s.notify("iterations are not known yet", isError: true); return [] }
        let step = niceStep(base)
        let sign = up ? 1 : -1
        let current: Int? = s.currentUnit != nil
            ? max(s.currentIteration + 1, currentBase + sign * step) : nil
        let remaining = max(1, defaultBase + sign * step)
        s.pendingIterations = PendingIterations(unit: s.currentUnit, current: current, defaultIterations: remaining)
        s.notify("iterations: \(current.map { "current \($0), " } ?? "")default \(remaining) requested")
        return [.send(.setIterations(current: current, default: remaining))]
    }

    /// Why a layer's bits can no longer change, or nil when they can. A layer
    /// of a finished unit can while the run is live: the run goes back to its unit.
    static func bitsFixedReason(_ layer: LayerInfo, _ s: DashboardState) -> String? {
        guard isFinished(unit: layer.unit, s), !s.isActive else { return nil }
        return "\(layer.name) is in unit \(layer.unit + 1) (\(s.units[layer.unit].info.name)), already reconstructed, and the run has "
            + "\(endedPhrase(s)): its bits are fixed; a new run with --bits-config sets them from the start"
    }

    static func isFinished(unit: Int, _ s: DashboardState) -> Bool {
        guard s.units.indices.contains(unit) else { return false }
        return s.units[unit].status == .done || s.units[unit].status == .skipped
    }

    /// Sends a lock at new bits, or asks first when it would restart the running
    /// unit or re-run finished ones.
    static func requestLock(_ layer: LayerInfo, wbits: Int, abits: Int, _ s: inout DashboardState) -> [Effect] {
        let changes = wbits != layer.wbits || abits != layer.abits
        if layer.locked && !changes { s.notify("\(layer.name) is already locked at W\(wbits)"); return [] }
        if changes, let running = s.currentUnit, running == layer.unit, s.units.indices.contains(running) {
            s.overlay = .confirmLock(LockRequest(layer: layer.name, wbits: wbits, abits: abits, unit: running,
                                                 unitName: s.units[running].info.name, iterationsDone: s.currentIteration))
            return []
        }
        if changes, isFinished(unit: layer.unit, s) {
            return askRewind(to: layer.unit, lock: RewindRequest.Lock(layer: layer.name, wbits: wbits, abits: abits), &s)
        }
        s.notify("lock \(layer.name) at W\(wbits) requested")
        return [.send(.lock(layer: layer.name, wbits: wbits, abits: abits))]
    }

    /// Opens the confirmation for going back to finished unit `unit`: it and
    /// every unit up to the running (or last finished) one run again.
    static func askRewind(to unit: Int, lock: RewindRequest.Lock?, _ s: inout DashboardState) -> [Effect] {
        guard s.units.indices.contains(unit) else { s.notify("there is no unit \(unit + 1)", isError: true); return [] }
        guard s.isActive else {
            s.notify("re-run: the run has \(endedPhrase(s)); a finished run's units cannot run again (start a new run)", isError: true)
            return []
        }
        let last = s.currentUnit ?? s.units.lastIndex { $0.status == .done || $0.status == .skipped } ?? unit
        var seconds: Double? = 0
        for k in unit...max(unit, last) {
            if k == s.currentUnit {
                // The running unit's iterations so far (its earlier phase is not counted: a lower bound).
                if s.iterationsPerSecond > 0 { seconds? += Double(s.currentIteration) / s.iterationsPerSecond }
            } else if let t = s.units[k].seconds { seconds? += t } else { seconds = nil }
        }
        s.overlay = .confirmRewind(RewindRequest(unit: unit, unitName: s.units[unit].info.name, lastUnit: max(unit, last),
                                                 seconds: seconds, lock: lock))
        return []
    }

    /// "finished", "stopped" or "stopped on an error", for refusals after the run.
    static func endedPhrase(_ s: DashboardState) -> String {
        switch s.runState {
        case .done: "finished"
        case .error: "stopped on an error"
        default: "stopped"
        }
    }

    /// Where `o` proposes to write: the exports directory when the app knows one,
    /// otherwise beside the checkpoint directory, named after it.
    static func defaultExportPath(checkpoint: String, exportDirectory: String?) -> String {
        var trimmed = Substring(checkpoint)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let name = parts.last.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "quantized"
        let directory = exportDirectory ?? parts.dropLast().joined(separator: "/")
        if directory.isEmpty { return trimmed.hasPrefix("/") ? "/\(name).onnx" : "\(name).onnx" }
        return (directory.hasSuffix("/") ? directory : directory + "/") + name + ".onnx"
    }

    /// The largest 1, 2 or 5 × 10^k not above a tenth of `n` (at least 1).
    static func niceStep(_ n: Int) -> Int {
        let tenth = max(1, n / 10)
        var magnitude = 1
        while magnitude * 10 <= tenth { magnitude *= 10 }
        for factor in [5, 2, 1] where factor * magnitude <= tenth { return factor * magnitude }
        return magnitude
    }

    static func moveSelection(by delta: Int, in s: inout DashboardState) {
        func clamp(_ v: Int, _ count: Int) -> Int { max(0, min(count - 1, v)) }
        switch s.focus {
        case .units, .loss:
            guard !s.units.isEmpty else { return }
            s.selectedUnit = clamp(s.selectedUnit &+ delta, s.units.count)
            // Back on the running unit means "follow it again".
            s.followRunning = s.selectedUnit == s.currentUnit
        case .bits:
            guard !s.layers.isEmpty else { return }
            s.selectedLayer = clamp(s.selectedLayer &+ delta, s.layers.count)
        case .log:
            // Up scrolls back in time.
            s.logScroll = max(0, min(max(0, s.log.count - 1), s.logScroll &- delta))
        case .search:
            break
        case .analysis:
            guard let count = s.analysis?.report.layers.count, count > 0 else { return }
            s.analysisSelection = clamp(s.analysisSelection &+ delta, count)
        }
    }
}

extension Key {
    var character: Character? { if case .character(let c) = self { c } else { nil } }
}
