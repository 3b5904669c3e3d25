/// Live sessions take engine commands; replays only take speed controls.
public enum RunMode: Sendable, Equatable {
    case live
    case replay(ReplayStatus)

    public var isReplay: Bool { if case .replay = self { true } else { false } }
}

public struct ReplayStatus: Sendable, Equatable {
    public var speed: Double
    public var paused: Bool
    public init(speed: Double = 1, paused: Bool = false) { self.speed = speed; self.paused = paused }

    /// Speeds a replay may run at; stepping moves along this ladder.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
}
