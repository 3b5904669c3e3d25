import Engine

/// The mixed-precision search as far as its events have told us.
public struct SearchProgress: Sendable, Equatable {
    public var started: SearchStarted
    public var generations: [GenerationStats] = []

    public init(started: SearchStarted) { self.started = started }

    public var latest: GenerationStats? { generations.last }
}
