/// Every key with what it does: the help overlay and the hint bar are drawn from this one list.
struct KeyBinding {
    var keys: String
    var action: String
    /// Short form for the one-line hint bar; nil keeps the key out of it.
    var hint: String?
}

enum KeyBindings {
    static func live(_ s: DashboardState) -> [KeyBinding] {
        [
            KeyBinding(keys: "space", action: "pause / resume the session", hint: s.runState == .paused ? "resume" : "pause"),
            KeyBinding(keys: "i", action: "type iterations: current unit and the rest", hint: "iters"),
            KeyBinding(keys: "+ / -", action: "step iterations up / down (current and rest)", hint: nil),
            KeyBinding(keys: "x", action: "lock / unlock the selected layer's bits", hint: "lock"),
            KeyBinding(keys: "b", action: "cycle the selected layer's bits 2/4/8 (locks)", hint: "bits"),
            KeyBinding(keys: "e", action: "edit hyperparameters (λ, lr, β, warm-up…)", hint: "params"),
            KeyBinding(keys: "r / n", action: "restart / skip the current unit", hint: nil),
            KeyBinding(keys: "v", action: "evaluate the quantized model", hint: "eval"),
            KeyBinding(keys: "m", action: "start the mixed-precision search", hint: "search"),
            KeyBinding(keys: "o", action: "export the finished model (QDQ ONNX + encodings)", hint: s.runState == .done ? "export" : nil),
        ] + common
    }

    static let replay: [KeyBinding] = [
        KeyBinding(keys: "space", action: "pause / play the replay", hint: "play"),
        KeyBinding(keys: "+ / -", action: "replay faster / slower", hint: "speed"),
    ] + common

    static let common: [KeyBinding] = [
        KeyBinding(keys: "Tab / h l ← →", action: "move focus between panels", hint: nil),
        KeyBinding(keys: "j k ↑ ↓ PgUp PgDn", action: "select a unit / layer, scroll the log", hint: nil),
        KeyBinding(keys: "1-5", action: "focus units, loss, bits, search, log", hint: nil),
        KeyBinding(keys: "y", action: "loss axis: linear / logarithmic", hint: "log-y"),
        KeyBinding(keys: "T", action: "next colour theme", hint: nil),
        KeyBinding(keys: "t", action: "explain the focused panel", hint: "teach"),
        KeyBinding(keys: "?", action: "this help", hint: "help"),
        KeyBinding(keys: "q", action: "quit (asks first while the engine runs)", hint: "quit"),
    ]

    static func forState(_ s: DashboardState) -> [KeyBinding] { s.mode.isReplay ? replay : live(s) }
}
