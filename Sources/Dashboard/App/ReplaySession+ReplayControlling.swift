import Engine

/// A recording plays in the dashboard with speed and lecture keys in place of engine commands.
extension ReplaySession: ReplayControlling {
    public var recordingDuration: Double? { duration }
}
