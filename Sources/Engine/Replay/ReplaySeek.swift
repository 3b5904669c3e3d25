/// Where a lecture replay jumps to. Positions count records played: position
/// k means records 0..<k have been shown (0: nothing yet, `count`: the end).
public enum ReplaySeek: Sendable, Equatable {
    /// The next (`forward`) or previous unit's start; back from inside a unit first goes to its own start.
    case unit(forward: Bool)
    /// The first start of unit `number` (1-based, as the units panel shows it).
    case unitNumber(Int)
    /// By a fraction of the run's playback time (±0.1 for `<` `>`).
    case fraction(Double)
    /// Up to and including the next logged iteration (stepping while paused).
    case step
    /// Back to the beginning.
    case start
    /// An exact position (bookmarks).
    case position(Int)
}

/// Records played up to a new position, for the dashboard to reduce.
/// `fromStart`: the records start at the first one and the dashboard rebuilds
/// its state from scratch (a seek backwards); otherwise they follow on from
/// the old position (a seek forwards needs no rebuild).
public struct ReplayJump: Sendable, Equatable {
    public var position: Int
    public var fromStart: Bool
    public var records: ArraySlice<EventRecord>
    public init(position: Int, fromStart: Bool, records: ArraySlice<EventRecord>) {
        self.position = position; self.fromStart = fromStart; self.records = records
    }
}

/// Target positions of seeks, over a recording's records and their playback
/// times. Pure, so the edges (no further unit, past the end) are tested directly.
public enum ReplayTimeline {
    /// The new position for `seek` from `position`, within 0...records.count.
    public static func target(of seek: ReplaySeek, from position: Int, records: [EventRecord], playbackTimes: [Double]) -> Int {
        let count = records.count
        let position = min(max(0, position), count)
        switch seek {
        case .start:
            return 0
        case .position(let p):
            return min(max(0, p), count)
        case .step:
            // Everything up to and including the next iteration record; at the end, stay.
            var k = position
            while k < count {
                if case .iteration = records[k].event { return k + 1 }
                k += 1
            }
            return count
        case .unitNumber(let number):
            guard let start = unitStarts(records).first(where: { $0.unit == number - 1 }) else { return position }
            return start.index + 1
        case .unit(let forward):
            let starts = unitStarts(records).map { $0.index + 1 }
            if forward { return starts.first { $0 > position } ?? position }
            return starts.last { $0 < position } ?? 0
        case .fraction(let delta):
            guard count > 0, let total = playbackTimes.last else { return position }
            let now = position == 0 ? 0 : playbackTimes[position - 1]
            let goal = now + delta * total
            if delta >= 0 {
                // At least one record forwards, so a run of identical times cannot hold the seek in place.
                let k = playbackTimes.firstIndex { $0 > goal } ?? count
                return min(count, max(k, position + 1))
            }
            // Records at or before the goal time; strictly back by one at least.
            let k = playbackTimes.firstIndex { $0 > goal } ?? count
            return max(0, min(k, position - 1))
        }
    }

    /// The record index where each unit starts: a `unit_started` for another
    /// unit than the one before (a unit's later phases are not new starts), or
    /// the `unit_finished` of a unit that never started (the engine skips the
    /// stem at 8-bit round-to-nearest without starting it).
    public static func unitStarts(_ records: [EventRecord]) -> [(unit: Int, index: Int)] {
        var starts: [(unit: Int, index: Int)] = []
        var current: Int?
        for (index, record) in records.enumerated() {
            let unit: Int
            switch record.event {
            case .unitStarted(let started): unit = started.unit
            case .unitFinished(let finished): unit = finished.unit
            default: continue
            }
            if unit != current { starts.append((unit, index)) }
            current = unit
        }
        return starts
    }
}
