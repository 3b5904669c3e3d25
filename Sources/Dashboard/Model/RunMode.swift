import Engine

/// Live sessions take engine commands; replays only take speed controls.
public enum RunMode: Sendable, Equatable {
    case live
    case replay(ReplayStatus)
    /// `brecq attach`: another process's live run, watched (and steered with control).
    case attached(AttachStatus)

    public var isReplay: Bool { if case .replay = self { true } else { false } }
    public var isAttached: Bool { if case .attached = self { true } else { false } }
    /// Attached without control: engine keys only say that they do nothing here.
    public var isViewOnly: Bool { if case .attached(let a) = self { !a.control } else { false } }
}

/// How an attached dashboard watches its run.
public struct AttachStatus: Sendable, Equatable {
    /// Keys steer the run (the server granted control); otherwise the view is read-only.
    public var control: Bool
    public init(control: Bool) { self.control = control }
}

public struct ReplayStatus: Sendable, Equatable {
    public var speed: Double
    public var paused: Bool
    /// Recorded seconds of the whole recording (nil: unknown), for the play time left.
    public var duration: Double?
    /// Records played so far (the reducer counts them); seeks move it.
    public var position = 0
    /// Records known in the recording (grows while following).
    public var eventCount = 0
    /// Recorded time of the last known record.
    public var endTime = 0.0
    /// nil: a complete recording; otherwise what the follower says.
    public var follow: FollowState?
    /// Positions the teacher marked with `B`, sorted.
    public var bookmarks: [Int] = []
    /// The end of a followed recording has been logged (once, when playback reached it).
    public var endAnnounced = false
    public init(speed: Double = 1, paused: Bool = false, duration: Double? = nil) {
        self.speed = speed; self.paused = paused; self.duration = duration
    }

    /// Seconds without growth after which a followed file is said to be waiting, not live.
    public static let followIdleNotice = 5

    /// Speeds a replay may run at; `+` and `-` move along this one ladder, both ways.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// The next speed on the ladder above (`faster`) or below the current one.
    /// A speed between rungs (from `--speed 20`) goes to the neighbouring rung
    /// (32 up, 16 down), never skipping one; at either end it stays.
    public static func step(from speed: Double, faster: Bool) -> Double {
        if faster { return speeds.first { $0 > speed } ?? max(speed, speeds.last!) }
        return speeds.last { $0 < speed } ?? min(speed, speeds.first!)
    }

    /// Wall seconds until the recording ends at this speed, from recorded time `position`.
    public func playTimeLeft(at position: Double) -> Double? {
        guard let duration, speed > 0 else { return nil }
        return max(0, duration - position) / speed
    }
}
