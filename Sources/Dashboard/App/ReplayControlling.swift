import Engine

/// The controls of a recorded run. A replay source (a `SessionHandle`
/// that plays back `EventRecord`s) adopts this too; the dashboard then shows
/// replay keys instead of engine commands.
public protocol ReplayControlling: Sendable {
    /// Playback speed as a multiple of the recorded pace (1 = as recorded).
    func setSpeed(_ speed: Double)
    func setPaused(_ paused: Bool)
    /// Recorded seconds from the start to the last record, for the play time left; nil: unknown.
    var recordingDuration: Double? { get }
    /// Moves the playback position; the answer holds the records to reduce.
    func seek(_ seek: ReplaySeek) -> ReplayJump
    /// How much of the recording is known (it grows when followed).
    var progress: ReplayProgress { get }
    /// Notices from background work (the follower, bookmark writes), oldest first.
    func drainNotices() -> [Message]
    /// Bookmarks saved with the recording, read at start.
    var initialBookmarks: [Int] { get }
    /// Saves bookmarks beside the recording, off the UI thread.
    func saveBookmarks(_ positions: [Int])
}

extension ReplayControlling {
    /// Performs a command; a seek answers with the message that shows its result.
    func perform(_ command: ReplayCommand) -> Msg? {
        switch command {
        case .setSpeed(let speed): setSpeed(speed); return nil
        case .setPaused(let paused): setPaused(paused); return nil
        case .seek(let target): return .replayJumped(seek(target))
        case .saveBookmarks(let positions): saveBookmarks(positions); return nil
        }
    }
}
