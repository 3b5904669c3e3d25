import Engine

/// Everything that can change the dashboard's state.
public enum Msg: Sendable, Equatable {
    case engine(EventRecord)
    case key(Key)
    case resize(TerminalSize)
    case mouse(MouseInput)
    /// Monotonic seconds; drives the elapsed clock and fades notices.
    case tick(now: Double)
    /// Something the UI itself has to report, e.g. a theme file that failed to load.
    case uiMessage(Message)
    /// The theme at this index of `themeNames` was loaded (off the loop); the reducer has it applied.
    case themeLoaded(index: Int, theme: Theme)
    /// A replay moved to a new position; its records are to be reduced (from scratch when `fromStart`).
    case replayJumped(ReplayJump)
    /// How much of the replayed recording is known, and whether it is still growing.
    case replayProgress(ReplayProgress)
}
