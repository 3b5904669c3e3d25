import ArgumentParser
import Dashboard
import Engine
import Foundation
import Tensor

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play back a recorded event log (from --events) in the dashboard, without a model.",
        discussion: """
            Unreadable lines are skipped and counted; idle stretches longer than 2 s are shortened to 2 s. \
            With --follow the file is read like `tail -F`: what it holds plays, then what is appended \
            (a replaced or truncated file is read again from the same record count), until the `finished` event. \
            Bookmarks set with B are saved beside the recording as FILE.bookmarks.
            """)

    @Argument(help: "A JSON Lines event log.")
    var file: String

    @Option(parsing: .unconditional, help: "Playback speed as a multiple of the recorded pace (0.01–10000).")
    var speed: Double = 1

    @Flag(help: "Print the progress lines instead of opening the dashboard.")
    var headless = false

    @Flag(help: "Keep following the file as it grows (a run writing it elsewhere), until its finished event.")
    var follow = false

    @OptionGroup var dashboard: DashboardFlags

    func validate() throws {
        try FlagRange.check(speed, "--speed", FlagLimits.replaySpeed)
    }

    func run() throws {
        if follow { try runFollowing(); return }
        if headless || isatty(STDOUT_FILENO) == 0 {
            let recording: Recording
            do { recording = try Recording.load(path: file) } catch { throw CommandFailure(error.description) }
            try playHeadless(recording)
            return
        }
        let replay = ReplaySession(records: Self.dashboardRecords(file), speed: speed, bookmarkPath: ReplayBookmarks.path(forRecording: file))
        defer { replay.flushBookmarks() }
        let reason = try DashboardFlags.run(session: replay, options: dashboard.options(replaySpeed: speed), replayControl: replay)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }

    /// The recording's records for the dashboard, with its notices (skipped lines, the end) as log messages.
    /// The dashboard opens even on an empty or unreadable recording and says so there.
    static func dashboardRecords(_ file: String) -> [EventRecord] {
        switch Result(catching: { try Recording.load(path: file) }) {
        case .success(let recording):
            var withNotices = recording.records
            if let notice = recording.skippedNotice {
                withNotices.insert(EventRecord(time: recording.records[0].time, event: .message(Message(level: .warning, text: notice))), at: 0)
            }
            withNotices.append(EventRecord(time: recording.records[recording.records.count - 1].time,
                                           event: .message(Message(level: .info, text: recording.endNotice))))
            return withNotices
        case .failure(let error):
            return [EventRecord(time: 0, event: .message(Message(level: .error, text: "\(error)")))]
        }
    }

    private func playHeadless(_ recording: Recording) throws {
        let say = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if let notice = recording.skippedNotice { say("warning: \(notice)") }
        let replay = ReplaySession(recording: recording, speed: speed)
        let seconds = replay.duration / speed
        if seconds > 60 {
            say("replaying \(recording.records.count) events takes about \(ProgressReporter.duration(seconds)) at ×\(FlagRange.show(speed)) (--speed changes it)")
        }
        let reporter = ProgressReporter()
        while !replay.isFinished {
            Thread.sleep(forTimeInterval: 0.05)
            for record in replay.drainEvents() { reporter.report(record) }
        }
        say(recording.endNotice)
    }

    /// `--follow`: the follower thread feeds the session; the dashboard or the
    /// progress lines play it as it grows.
    private func runFollowing() throws {
        // The file must exist at the start (a typo should not wait forever); it may be replaced later.
        var info = stat()
        guard stat(file, &info) == 0 else { throw CommandFailure("\(TerminalText.sanitized(file)): no such file") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CommandFailure("\(TerminalText.sanitized(file)): is not a regular file; expected an event log (JSON Lines)")
        }
        let replay = ReplaySession(records: [], speed: speed, following: true,
                                   bookmarkPath: ReplayBookmarks.path(forRecording: file))
        let follower = RecordingFollower(path: file, session: replay)
        if follower.pollOnce() { follower.start() }
        defer { follower.stop(); replay.flushBookmarks() }
        if headless || isatty(STDOUT_FILENO) == 0 {
            followHeadless(replay)
            return
        }
        let reason = try DashboardFlags.run(session: replay, options: dashboard.options(replaySpeed: speed), replayControl: replay)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }

    private func followHeadless(_ replay: ReplaySession) {
        let say = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let reporter = ProgressReporter()
        var saidIdle = -1
        while true {
            Thread.sleep(forTimeInterval: 0.05)
            for record in replay.drainEvents() { reporter.report(record) }
            for notice in replay.drainNotices() { say("\(notice.level == .info ? "" : "\(notice.level.rawValue): ")\(notice.text)") }
            guard replay.isFinished else {
                // Said once when the writer goes quiet, then every half minute, never pretended away.
                if case .following(let idle) = replay.progress.follow, replay.playedCount >= replay.progress.eventCount,
                   idle >= ReplayStatus.followIdleNotice, saidIdle < 0 || idle - saidIdle >= 30 {
                    saidIdle = idle
                    say("waiting for more (last event \(String(format: "%02d:%02d", idle / 60, idle % 60)) ago)")
                } else if case .following(let idle) = replay.progress.follow, idle < ReplayStatus.followIdleNotice {
                    saidIdle = -1
                }
                continue
            }
            break
        }
        let progress = replay.progress
        switch progress.follow {
        case .ended: say("end of recording \(TerminalText.sanitized(file)) (finished event, \(progress.eventCount) events)")
        default: say("stopped following \(TerminalText.sanitized(file)) (\(progress.eventCount) events)")
        }
    }
}
