import Engine

extension DashboardReducer {
    /// Bit widths the `b` key cycles a layer through.
    static let bitCycle = [2, 4, 8]

    static func handle(_ key: Key, in s: inout DashboardState) -> [Effect] {
        if let overlay = s.overlay { return handle(key, in: overlay, state: &s) }
        switch key {
        case .tab: s.focus = s.focus.next
        case .backTab: s.focus = s.focus.previous
        case .left, .character("h"): s.focus = s.focus.previous
        case .right, .character("l"): s.focus = s.focus.next
        case .character(let c) where ("1"..."5").contains(c):
            s.focus = Panel(rawValue: Int(String(c))! - 1)!
        case .up, .character("k"): moveSelection(by: -1, in: &s)
        case .down, .character("j"): moveSelection(by: 1, in: &s)
        case .pageUp: moveSelection(by: -10, in: &s)
        case .pageDown: moveSelection(by: 10, in: &s)
        case .home: moveSelection(by: Int.min / 2, in: &s)
        case .end: moveSelection(by: Int.max / 2, in: &s)
        case .character("?"), .function(1): s.overlay = .help
        case .character("t"): s.overlay = .teaching(s.focus)
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
            return s.mode.isReplay ? replayKey(key, &s) : liveKey(key, &s)
        }
        return []
    }

    private static func quit(_ s: inout DashboardState) -> [Effect] {
        if s.mode.isReplay || !s.isActive { return [.quit(.userQuit(stoppedSession: false))] }
        // A second q while waiting for the engine leaves without the confirmation.
        if s.quitPending { return [.quit(.userQuit(stoppedSession: true))] }
        s.overlay = .quitConfirm
        return []
    }

    /// Speed controls replace engine commands in a replay.
    private static func replayKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        guard case .replay(var replay) = s.mode else { return [] }
        switch key {
        case .character(" "):
            replay.paused.toggle()
            s.mode = .replay(replay)
            s.notify(replay.paused ? "replay paused" : "replay playing")
            return [.replay(.setPaused(replay.paused))]
        case .character("+"), .character("="), .character(">"), .character("-"), .character("_"), .character("<"):
            let faster = [Character("+"), "=", ">"].contains(key.character)
            let ladder = ReplayStatus.speeds
            let index = ladder.lastIndex(where: { $0 <= replay.speed }) ?? 0
            let nextIndex = faster ? min(ladder.count - 1, index + 1) : max(0, index - 1)
            replay.speed = ladder[nextIndex]
            s.mode = .replay(replay)
            s.notify("replay speed ×\(NumberFormat.compact(replay.speed))")
            return [.replay(.setSpeed(replay.speed))]
        case .character(let c) where "iexbrnvm".contains(c):
            s.notify("replay: engine commands are not available", isError: true)
            return []
        default:
            return []
        }
    }

    private static func liveKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        switch key {
        case .character(" "):
            if s.runState == .paused { s.notify("resume requested"); return [.send(.resume)] }
            guard s.isActive else { s.notify("the session is not running", isError: true); return [] }
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
            s.notify("lock \(layer.name) at W\(layer.wbits) requested")
            return [.send(.lock(layer: layer.name, wbits: layer.wbits, abits: layer.abits))]
        case .character("b"):
            guard let layer = s.selectedLayerInfo else { s.notify("no layer selected", isError: true); return [] }
            let bits = bitCycle.first(where: { $0 > layer.wbits }) ?? bitCycle[0]
            s.notify("lock \(layer.name) at W\(bits) requested")
            return [.send(.lock(layer: layer.name, wbits: bits, abits: layer.abits))]
        case .character("r"):
            guard s.currentUnit != nil else { s.notify("no unit is running", isError: true); return [] }
            s.notify("restart of the current unit requested")
            return [.send(.restartUnit)]
        case .character("n"):
            guard s.currentUnit != nil else { s.notify("no unit is running", isError: true); return [] }
            s.notify("skip of the current unit requested")
            return [.send(.skipUnit)]
        case .character("v"):
            s.notify("evaluation on \(s.evaluationImages) images requested")
            return [.send(.evaluate(images: s.evaluationImages))]
        case .character("m"):
            s.notify("mixed-precision search requested")
            return [.send(.startSearch)]
        case .character("o"):
            guard s.runState == .done, let checkpoint = s.lastCheckpoint?.path else {
                s.notify("export: the run is not finished yet; the quantized model can be exported once it is done", isError: true)
                return []
            }
            let name = checkpoint.split(separator: "/").last.map(String.init) ?? "quantized"
            s.overlay = .export(ExportForm(path: name + ".onnx"))
        default:
            break
        }
        return []
    }

    /// `+`/`-` step the running unit and the default by about a tenth, on a 1-2-5 ladder.
    private static func stepIterations(up: Bool, _ s: inout DashboardState) -> [Effect] {
        let base = s.currentUnit != nil ? s.currentIterations : s.defaultIterations
        guard base > 0 else { s.notify("iterations are not known yet", isError: true); return [] }
        let step = niceStep(base)
        let sign = up ? 1 : -1
        let current: Int? = s.currentUnit != nil
            ? max(s.currentIteration + 1, s.currentIterations + sign * step) : nil
        let remaining = max(1, s.defaultIterations + sign * step)
        s.notify("iterations: \(current.map { "current \($0), " } ?? "")default \(remaining) requested")
        return [.send(.setIterations(current: current, default: remaining))]
    }

    /// The largest 1, 2 or 5 × 10^k not above a tenth of `n` (at least 1).
    static func niceStep(_ n: Int) -> Int {
        let tenth = max(1, n / 10)
        var magnitude = 1
        while magnitude * 10 <= tenth { magnitude *= 10 }
        for factor in [5, 2, 1] where factor * magnitude <= tenth { return factor * magnitude }
        return magnitude
    }

    private static func moveSelection(by delta: Int, in s: inout DashboardState) {
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
        }
    }
}

extension Key {
    var character: Character? { if case .character(let c) = self { c } else { nil } }
}
