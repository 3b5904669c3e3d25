/// The speed controls of a recorded run. A replay source (a `SessionHandle`
/// that plays back `EventRecord`s) adopts this too; the dashboard then shows
/// replay keys instead of engine commands.
public protocol ReplayControlling: Sendable {
    /// Playback speed as a multiple of the recorded pace (1 = as recorded).
    func setSpeed(_ speed: Double)
    func setPaused(_ paused: Bool)
    /// Recorded seconds from the start to the last record, for the play time left; nil: unknown.
    var recordingDuration: Double? { get }
}

extension ReplayControlling {
    func perform(_ command: ReplayCommand) {
        switch command {
        case .setSpeed(let speed): setSpeed(speed)
        case .setPaused(let paused): setPaused(paused)
        }
    }
}
