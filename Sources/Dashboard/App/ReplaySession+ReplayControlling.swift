import Engine

/// A recording plays in the dashboard with speed keys in place of engine commands.
extension ReplaySession: ReplayControlling {
    public var recordingDuration: Double? { duration }
}
