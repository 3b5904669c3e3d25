import Engine

/// What the reducer asks the outside world to do; the app loop performs it.
public enum Effect: Sendable, Equatable {
    case send(EngineCommand)
    case replay(ReplayCommand)
    /// Load and apply the theme named at this index of `themeNames`.
    case loadTheme(index: Int)
    /// Write the quantized model of the finished run checkpointed in `checkpoint` to `output`.
    case export(checkpoint: String, output: String)
    case quit(ExitReason)
}

/// Why the dashboard returned.
public enum ExitReason: Sendable, Equatable {
    /// The user quit; `stoppedSession` when a stop was sent to a session still working.
    case userQuit(stoppedSession: Bool)
    /// SIGINT, SIGTERM or SIGHUP; a stop was sent so the engine can write its checkpoint.
    case signal(Int32)
}
