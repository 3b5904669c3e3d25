/// Speed controls of a replay; sent to a `ReplayControlling` instead of engine commands.
public enum ReplayCommand: Sendable, Equatable {
    case setSpeed(Double)
    case setPaused(Bool)
}
