import Synchronization

/// Events waiting for a front end. Producers never block on a consumer: unit-level
/// events are always kept, while pending iteration stats are thinned (every other
/// one dropped) whenever they exceed `iterationCapacity`, so a stalled terminal
/// costs bounded memory and the loss curve keeps its shape at a lower resolution.
public final class EventBuffer: Sendable {
    private struct Pending {
        var records: [EventRecord] = []
        var iterationCount = 0
    }

    /// The time of the newest record appended, drained or not (0 before any).
    private let latest = Mutex(0.0)

    private let pending = Mutex(Pending())
    public let iterationCapacity: Int

    public init(iterationCapacity: Int = 2048) {
        precondition(iterationCapacity >= 2)
        self.iterationCapacity = iterationCapacity
    }

    public func append(_ record: EventRecord) {
        latest.withLock { $0 = max($0, record.time) }
        pending.withLock { p in
            p.records.append(record)
            guard Self.isThinnable(record) else { return }
            p.iterationCount += 1
            if p.iterationCount > iterationCapacity { Self.thinIterations(&p) }
        }
    }

    /// Everything pending, oldest first.
    public func drain() -> [EventRecord] {
        pending.withLock { p in
            defer { p = Pending() }
            return p.records
        }
    }

    public var count: Int { pending.withLock { $0.records.count } }

    /// Session time of the newest event: the time of an answer made off the engine thread.
    public var latestTime: Double { latest.withLock { $0 } }

    /// Iteration events may be dropped, except the few that carry a hard-rounded
    /// loss: each is the only measurement for a stretch of the run.
    private static func isThinnable(_ record: EventRecord) -> Bool {
        guard case .iteration(let stats) = record.event else { return false }
        return stats.hardLoss == nil
    }

    /// Keeps every other iteration event, always including the newest one.
    private static func thinIterations(_ p: inout Pending) {
        var fromEnd = p.iterationCount
        var kept = 0
        p.records.removeAll { record in
            guard isThinnable(record) else { return false }
            fromEnd -= 1
            let drop = fromEnd % 2 == 1
            if !drop { kept += 1 }
            return drop
        }
        p.iterationCount = kept
    }
}
