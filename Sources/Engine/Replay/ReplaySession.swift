import Foundation
import Synchronization

/// Plays a recorded event log back as if a session were running, at an
/// adjustable speed, without loading a model. Virtual time advances with the
/// wall clock times `speed`; each drain hands out the records whose time has come.
/// Idle stretches are shortened to `maximumGap` recorded seconds, so a run that
/// sat paused overnight (or a hand-made log with a timestamp of 1e9) does not
/// keep the replay waiting.
public final class ReplaySession: SessionHandle {
    private struct Playback {
        var next = 0
        var virtualTime = 0.0
        var lastWall: Double
        var speed: Double
        var paused = false
    }

    public let records: [EventRecord]
    /// When each record plays, in playback seconds: its recorded time with every gap capped.
    private let playbackTimes: [Double]
    private let clock: @Sendable () -> Double
    private let playback: Mutex<Playback>

    /// - Parameter clock: seconds from an arbitrary origin; injectable for tests.
    /// - Parameter maximumGap: the longest wait between two records, in recorded seconds.
    public init(records: [EventRecord], speed: Double = 1, maximumGap: Double = ReplaySession.defaultMaximumGap,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.records = records.sorted { $0.time < $1.time }
        var times: [Double] = []
        times.reserveCapacity(self.records.count)
        var previous: Double?
        for record in self.records {
            // Times are finite and ordered once decoded; `max(0, …)` keeps a hand-built list from going backwards.
            let gap = previous.map { max(0, min(record.time - $0, maximumGap)) } ?? max(0, min(record.time, maximumGap))
            times.append((times.last ?? 0) + gap)
            previous = record.time
        }
        self.playbackTimes = times
        self.clock = clock
        self.playback = Mutex(Playback(lastWall: clock(), speed: Self.clampedSpeed(speed)))
    }

    /// Two seconds of real time per gap at ×1.
    public static let defaultMaximumGap = 2.0
    /// The speeds playback accepts; outside them a replay would take days or skip everything at once.
    public static let speeds: ClosedRange<Double> = 0.01...10_000

    static func clampedSpeed(_ speed: Double) -> Double {
        speed.isNaN ? 1 : min(max(speed, speeds.lowerBound), speeds.upperBound)
    }

    /// A recording with its unreadable lines skipped (see `Recording`).
    public convenience init(recording: Recording, speed: Double = 1) {
        self.init(records: recording.records, speed: speed)
    }

    public convenience init(contentsOf url: URL, speed: Double = 1) throws {
        self.init(recording: try Recording.load(path: url.path), speed: speed)
    }

    public func drainEvents() -> [EventRecord] {
        let now = clock()
        return playback.withLock { p in
            advance(&p, to: now)
            let start = p.next
            while p.next < records.count, playbackTimes[p.next] <= p.virtualTime { p.next += 1 }
            return Array(records[start..<p.next])
        }
    }

    /// A replay cannot be steered; commands are ignored.
    public func send(_ command: EngineCommand) {}

    public var speed: Double { playback.withLock { $0.speed } }
    public var isPaused: Bool { playback.withLock { $0.paused } }
    public var isFinished: Bool { playback.withLock { $0.next >= records.count } }
    /// Position in the recording, in playback seconds (idle gaps shortened).
    public var position: Double { playback.withLock { $0.virtualTime } }
    /// Length of the playback at ×1, in seconds (idle gaps shortened).
    public var duration: Double { playbackTimes.last ?? 0 }

    public func setSpeed(_ speed: Double) {
        let now = clock()
        playback.withLock { p in
            advance(&p, to: now)
            p.speed = Self.clampedSpeed(speed)
        }
    }

    public func setPaused(_ paused: Bool) {
        let now = clock()
        playback.withLock { p in
            advance(&p, to: now)
            p.paused = paused
        }
    }

    /// Jumps over the wait before the next record (useful when a run idled).
    public func skipToNextRecord() {
        let now = clock()
        playback.withLock { p in
            advance(&p, to: now)
            if p.next < records.count { p.virtualTime = max(p.virtualTime, playbackTimes[p.next]) }
        }
    }

    private func advance(_ p: inout Playback, to now: Double) {
        if !p.paused { p.virtualTime += (now - p.lastWall) * p.speed }
        p.lastWall = now
    }
}
