import Foundation
import Synchronization

/// Plays a recorded event log back as if a session were running, at an
/// adjustable speed, without loading a model. Virtual time advances with the
/// wall clock times `speed`; each drain hands out the records whose time has come.
/// Idle stretches are shortened to `maximumGap` recorded seconds, so a run that
/// sat paused overnight (or a hand-made log with a timestamp of 1e9) does not
/// keep the replay waiting. A followed recording (`RecordingFollower`) grows
/// while it plays; seeks move the position anywhere in what is known.
public final class ReplaySession: SessionHandle {
    private struct Playback {
        var records: [EventRecord]
        /// When each record plays, in playback seconds: its recorded time with every gap capped.
        var playbackTimes: [Double]
        var next = 0
        var virtualTime = 0.0
        var lastWall: Double
        var speed: Double
        var paused = false
        /// nil: a complete recording; otherwise what the follower last saw.
        var follow: FollowState?
        var notices: [Message] = []
    }

    private let clock: @Sendable () -> Double
    private let maximumGap: Double
    private let playback: Mutex<Playback>
    /// Where `B` bookmarks are saved (nil: not saved); written off the UI thread.
    public let bookmarkPath: String?
    /// Bookmarks read at start (positions), already validated.
    public let initialBookmarks: [Int]
    private let bookmarkWriter = DispatchQueue(label: "brecq.replay.bookmarks")

    /// - Parameter clock: seconds from an arbitrary origin; injectable for tests.
    /// - Parameter maximumGap: the longest wait between two records, in recorded seconds.
    public init(records: [EventRecord], speed: Double = 1, maximumGap: Double = ReplaySession.defaultMaximumGap,
                following: Bool = false, bookmarkPath: String? = nil,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        let sorted = records.sorted { $0.time < $1.time }
        var times: [Double] = []
        Self.appendTimes(of: sorted[...], after: nil, to: &times, maximumGap: maximumGap)
        self.clock = clock
        self.maximumGap = maximumGap
        self.bookmarkPath = bookmarkPath
        var notices: [Message] = []
        var bookmarks: [Int] = []
        if let bookmarkPath {
            do { bookmarks = try ReplayBookmarks.load(path: bookmarkPath) } catch {
                notices.append(Message(level: .warning, text: "bookmarks not read: \(error)"))
            }
        }
        self.initialBookmarks = bookmarks
        self.playback = Mutex(Playback(records: sorted, playbackTimes: times, lastWall: clock(), speed: Self.clampedSpeed(speed),
                                       follow: following ? .following(idleSeconds: 0) : nil, notices: notices))
    }

    private static func appendTimes(of records: ArraySlice<EventRecord>, after previous: Double?, to times: inout [Double], maximumGap: Double) {
        times.reserveCapacity(times.count + records.count)
        var previous = previous
        for record in records {
            // Times are finite and ordered once decoded; `max(0, …)` keeps a hand-built list from going backwards.
            let gap = previous.map { max(0, min(record.time - $0, maximumGap)) } ?? max(0, min(record.time, maximumGap))
            times.append((times.last ?? 0) + gap)
            previous = record.time
        }
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
            while p.next < p.records.count, p.playbackTimes[p.next] <= p.virtualTime { p.next += 1 }
            return Array(p.records[start..<p.next])
        }
    }

    /// A replay cannot be steered; commands are ignored.
    public func send(_ command: EngineCommand) {}

    public var records: [EventRecord] { playback.withLock { $0.records } }
    public var speed: Double { playback.withLock { $0.speed } }
    public var isPaused: Bool { playback.withLock { $0.paused } }
    /// Every record played and, when following, the recording has ended (or the follower gave up).
    public var isFinished: Bool {
        playback.withLock { p in
            guard p.next >= p.records.count else { return false }
            if case .following = p.follow { return false }
            return true
        }
    }
    /// Position in the recording, in playback seconds (idle gaps shortened).
    public var position: Double { playback.withLock { $0.virtualTime } }
    /// Length of the playback at ×1, in seconds (idle gaps shortened).
    public var duration: Double { playback.withLock { $0.playbackTimes.last ?? 0 } }
    /// Records handed out so far.
    public var playedCount: Int { playback.withLock { $0.next } }

    /// How much is known of the recording, and whether it may still grow.
    public var progress: ReplayProgress {
        playback.withLock { p in
            ReplayProgress(eventCount: p.records.count, endTime: p.records.last?.time ?? 0,
                           duration: p.playbackTimes.last ?? 0, follow: p.follow)
        }
    }

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
            if p.next < p.records.count { p.virtualTime = max(p.virtualTime, p.playbackTimes[p.next]) }
        }
    }

    /// Moves the position and hands back what the dashboard must reduce to
    /// show it: from the start when going back, the records in between when
    /// going forwards. Playback goes on (or stays paused) from there.
    public func seek(_ seek: ReplaySeek) -> ReplayJump {
        let now = clock()
        return playback.withLock { p in
            advance(&p, to: now)
            let old = p.next
            let target = ReplayTimeline.target(of: seek, from: old, records: p.records, playbackTimes: p.playbackTimes)
            p.next = target
            p.virtualTime = target == 0 ? 0 : p.playbackTimes[target - 1]
            if target < old { return ReplayJump(position: target, fromStart: true, records: p.records[0..<target]) }
            return ReplayJump(position: target, fromStart: false, records: p.records[old..<target])
        }
    }

    /// Appends records read from a followed file (in time order after the known ones).
    public func append(_ new: [EventRecord]) {
        guard !new.isEmpty else { return }
        playback.withLock { p in
            Self.appendTimes(of: new[...], after: p.records.last?.time, to: &p.playbackTimes, maximumGap: maximumGap)
            p.records.append(contentsOf: new)
        }
    }

    /// The follower's latest word on the file.
    public func setFollowState(_ state: FollowState) {
        playback.withLock { $0.follow = state }
    }

    /// Something to tell the viewer (a follower's notice, a bookmark file that could not be written).
    public func post(_ message: Message) {
        playback.withLock { $0.notices.append(message) }
    }

    /// Notices since the previous call, oldest first.
    public func drainNotices() -> [Message] {
        playback.withLock { p in
            defer { p.notices.removeAll() }
            return p.notices
        }
    }

    /// Saves bookmarks beside the recording on a background queue (an fsync
    /// must not stall a frame); a failure comes back as a notice.
    public func saveBookmarks(_ positions: [Int]) {
        guard let path = bookmarkPath else { return }
        bookmarkWriter.async { [self] in
            do { try ReplayBookmarks.save(positions, path: path) } catch {
                post(Message(level: .error, text: "bookmarks not saved: \(error)"))
            }
        }
    }

    /// Waits for queued bookmark writes (tests, and the CLI before it exits).
    public func flushBookmarks() { bookmarkWriter.sync {} }

    private func advance(_ p: inout Playback, to now: Double) {
        if !p.paused { p.virtualTime += (now - p.lastWall) * p.speed }
        p.lastWall = now
        // A followed file that has caught up waits at its last record, so the
        // next appended one plays after its own recorded gap, not at once in a burst.
        if case .following = p.follow, p.next >= p.records.count {
            p.virtualTime = min(p.virtualTime, p.playbackTimes.last ?? 0)
        }
    }
}

/// What a follower knows of a growing recording.
public enum FollowState: Sendable, Equatable {
    /// The file may grow; `idleSeconds` since it last did (or since following began).
    case following(idleSeconds: Int)
    /// The `finished` event arrived: nothing more will come.
    case ended
    /// Following stopped (file unreadable, too large); the reason was posted as a notice.
    case stopped
}

/// The size of a recording as known now, for the position in the header.
public struct ReplayProgress: Sendable, Equatable {
    public var eventCount: Int
    /// Recorded time of the last known record.
    public var endTime: Double
    /// Playback seconds at ×1 of what is known (gaps capped).
    public var duration: Double
    public var follow: FollowState?
    public init(eventCount: Int, endTime: Double, duration: Double, follow: FollowState?) {
        self.eventCount = eventCount; self.endTime = endTime; self.duration = duration; self.follow = follow
    }
}
