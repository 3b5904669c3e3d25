/// The only way a front end (dashboard, progress bar) talks to a session:
/// it drains recorded events and sends commands. Both calls return at once,
/// so a slow terminal never slows the engine.
public protocol SessionHandle: Sendable {
    /// Events since the previous call, oldest first; iteration stats are coalesced.
    func drainEvents() -> [EventRecord]
    func send(_ command: EngineCommand)
}
