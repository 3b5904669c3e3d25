import Engine

/// What the reducer asks the outside world to do; the app loop performs it.
public enum Effect: Sendable, Equatable {
    case send(EngineCommand)
    case replay(ReplayCommand)
    /// Load the theme named at this index of `themeNames`, off the loop; it comes back as `Msg.themeLoaded`.
    case loadTheme(index: Int)
    /// Set up the terminal's colours for a loaded theme.
    case applyTheme(Theme)
    case quit(ExitReason)
}

/// Why the dashboard returned.
public enum ExitReason: Sendable, Equatable {
    /// The user quit; `stoppedSession` when a stop was sent to a session still working.
    case userQuit(stoppedSession: Bool)
    /// SIGINT, SIGTERM or SIGHUP; a stop was sent so the engine can write its checkpoint.
    case signal(Int32)
}
