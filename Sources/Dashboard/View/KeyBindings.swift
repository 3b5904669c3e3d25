/// Every key with what it does: the help overlay and the hint bar are drawn from this one list.
struct KeyBinding: Equatable {
    var keys: String
    var action: String
    /// Short form for the one-line hint bar; nil keeps the key out of it.
    var hint: String?

    /// The key a click on the hint presses: the first of `keys` ("space", "x", "[ / ]" → "[").
    var clickKey: Key? {
        guard let first = keys.split(separator: " ").first else { return nil }
        if first == "space" { return .character(" ") }
        return first.count == 1 ? .character(first.first!) : nil
    }
}

enum KeyBindings {
    /// Engine keys; the hint bar shows only those that would act in the current state.
    static func live(_ s: DashboardState) -> [KeyBinding] {
        // Once a stop is sent the engine only finishes what it is in (at 224×224, preparing
        // a unit can take minutes) and writes its checkpoint: steering keys would not act.
        let stopping = s.quitPending && s.isActive
        let active = s.isActive && !stopping
        let spaceHint: String? = s.runState == .paused ? "resume" : active ? "pause" : nil
        let pendingUnits = s.units.contains { $0.status == .pending }
        let searchCanStart = active && s.runState != .searching && pendingUnits
        let bitsShown = s.focus == .bits || (s.size.width >= DashboardLayout.wideMinimum.width && s.size.height >= DashboardLayout.wideMinimum.height)
        return [
            KeyBinding(keys: "space", action: "pause / resume the session", hint: spaceHint),
            KeyBinding(keys: "i", action: "type iterations: current unit and the rest", hint: active ? "iters" : nil),
            KeyBinding(keys: "+ / -", action: "step iterations up / down (current and rest)", hint: nil),
            // Layer keys act on the bits table's selection, so they are hinted where it is seen.
            KeyBinding(keys: "x", action: "lock / unlock the selected layer's bits", hint: active && bitsShown ? "lock" : nil),
            KeyBinding(keys: "b", action: "bits 2/4/8 and lock (asks if a unit must run again)",
                       hint: active && bitsShown ? "bits" : nil),
            KeyBinding(keys: "e", action: "edit hyperparameters (λ, lr, β, warm-up…)", hint: active ? "params" : nil),
            KeyBinding(keys: "r / n", action: "restart / skip the unit; r re-runs a finished one", hint: nil),
            KeyBinding(keys: "v", action: "evaluate the model, quantized as far as it is",
                       hint: active && s.runState != .evaluating ? "eval" : nil),
            KeyBinding(keys: "m", action: "mixed-precision search over units not yet started",
                       hint: searchCanStart ? "search" : nil),
            KeyBinding(keys: "o", action: "export the finished model (QDQ ONNX + encodings)", hint: s.runState == .done ? "export" : nil),
        ] + navigation + [
            KeyBinding(keys: "q", action: "quit (asks first while the engine runs; again while it stops: leave now)",
                       hint: stopping ? "leave now" : "quit"),
        ]
    }

    /// A recording plays without an engine: speed, pause and the lecture keys act.
    static func replay(_ s: DashboardState) -> [KeyBinding] {
        guard case .replay(let r) = s.mode else { return [] }
        let ladder = ReplayStatus.speeds.map { NumberFormat.compact($0) }
        let atStart = r.position == 0
        let atEnd = r.position >= r.eventCount
        return [
            KeyBinding(keys: "space", action: "pause / play the recording", hint: r.paused ? "play" : "pause"),
            KeyBinding(keys: "+ / -", action: "play faster / slower: ×\(ladder.first!) … ×\(ladder.last!), doubling", hint: "speed"),
            KeyBinding(keys: "[ / ]", action: "previous / next unit ([ inside a unit: its start)", hint: s.units.isEmpty ? nil : "unit"),
            KeyBinding(keys: "< / >", action: "back / forward by a tenth of the run", hint: "seek"),
            KeyBinding(keys: "g", action: "go to a unit by number", hint: nil),
            KeyBinding(keys: ".", action: "step to the next logged iteration (pauses first)", hint: r.paused && !atEnd ? "step" : nil),
            KeyBinding(keys: "0 / R", action: "restart from the beginning", hint: atStart ? nil : "restart"),
            KeyBinding(keys: "B", action: "toggle a bookmark here (saved as FILE.bookmarks)", hint: "mark"),
            KeyBinding(keys: "'", action: "jump to the next bookmark", hint: r.bookmarks.isEmpty ? nil : "next mark"),
            KeyBinding(keys: "i e x b r n v m o", action: "engine keys: unavailable, a replay computes nothing", hint: nil),
        ] + navigation + [
            KeyBinding(keys: "q", action: "leave the replay (the recording is not changed)", hint: "quit"),
        ]
    }

    static let navigation: [KeyBinding] = [
        KeyBinding(keys: "Tab / h l ← →", action: "move focus between panels", hint: nil),
        KeyBinding(keys: "j k ↑ ↓ PgUp PgDn", action: "select a unit / layer, scroll the log", hint: nil),
        KeyBinding(keys: "1-6", action: "focus units, loss, bits, search, log, analysis", hint: nil),
        KeyBinding(keys: "a", action: "analysis page: per-layer error, worst first", hint: nil),
        KeyBinding(keys: "y", action: "loss axis: linear / logarithmic", hint: "log-y"),
        KeyBinding(keys: "T", action: "next colour theme", hint: nil),
        KeyBinding(keys: "t", action: "explain the focused panel", hint: "teach"),
        KeyBinding(keys: "w", action: "walk-through: a guided tour of the panels", hint: nil),
        KeyBinding(keys: "d", action: "diagram of the selected unit: layers, skip path, bits", hint: nil),
        KeyBinding(keys: "?", action: "this help", hint: "help"),
    ]

    static func forState(_ s: DashboardState) -> [KeyBinding] {
        switch s.mode {
        case .live: live(s)
        case .replay: replay(s)
        case .attached(let a) where a.control: live(s).filter { $0.keys != "q" && $0.keys != "o" } + [detach]
        case .attached: viewOnly
        }
    }

    /// Another process's run, watched: the view keys act, engine keys only say they do not.
    static let viewOnly: [KeyBinding] = [
        KeyBinding(keys: "space i e x b r n v m", action: "engine keys: unavailable, this dashboard only watches (--control steers)", hint: nil),
    ] + navigation + [detach]

    static let detach = KeyBinding(keys: "q", action: "detach (the run goes on)", hint: "detach")
}
