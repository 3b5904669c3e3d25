import Engine

/// Controls of a replay; sent to a `ReplayControlling` instead of engine commands.
public enum ReplayCommand: Sendable, Equatable {
    case setSpeed(Double)
    case setPaused(Bool)
    /// Move the position; the controller answers with `Msg.replayJumped`.
    case seek(ReplaySeek)
    /// Persist the bookmarks (positions) beside the recording.
    case saveBookmarks([Int])
}
