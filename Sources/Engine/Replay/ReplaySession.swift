import Foundation
import Synchronization

/// Plays a recorded event log back as if a session were running, at an
/// adjustable speed, without loading a model. Virtual time advances with the
/// wall clock times `speed`; each drain hands out the records whose time has come.
public final class ReplaySession: SessionHandle {
    private struct Playback {
        var next = 0
        var virtualTime = 0.0
        var lastWall: Double
        var speed: Double
        var paused = false
    }

    public let records: [EventRecord]
    private let clock: @Sendable () -> Double
    private let playback: Mutex<Playback>

    /// - Parameter clock: seconds from an arbitrary origin; injectable for tests.
    public init(records: [EventRecord], speed: Double = 1,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.records = records.sorted { $0.time < $1.time }
        self.clock = clock
        self.playback = Mutex(Playback(lastWall: clock(), speed: max(speed, 0)))
    }

    public convenience init(contentsOf url: URL, speed: Double = 1) throws {
        self.init(records: try EventLog.read(contentsOf: url), speed: speed)
    }

    public func drainEvents() -> [EventRecord] {
        let now = clock()
        return playback.withLock { p in
            advance(&p, to: now)
            let start = p.next
            while p.next < records.count, records[p.next].time <= p.virtualTime { p.next += 1 }
            return Array(records[start..<p.next])
        }
    }

    /// A replay cannot be steered; commands are ignored.
    public func send(_ command: EngineCommand) {}

    public var speed: Double { playback.withLock { $0.speed } }
    public var isPaused: Bool { playback.withLock { $0.paused } }
    public var isFinished: Bool { playback.withLock { $0.next >= records.count } }
    /// Position in the recording, in recorded seconds.
    public var position: Double { playback.withLock { $0.virtualTime } }
    public var duration: Double { records.last?.time ?? 0 }

    public func setSpeed(_ speed: Double) {
        let now = clock()
        playback.withLock { p in
            advance(&p, to: now)
            p.speed = min(max(speed, 0.01), 10_000)
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
            if p.next < records.count { p.virtualTime = max(p.virtualTime, records[p.next].time) }
        }
    }

    private func advance(_ p: inout Playback, to now: Double) {
        if !p.paused { p.virtualTime += (now - p.lastWall) * p.speed }
        p.lastWall = now
    }
}
