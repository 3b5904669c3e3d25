import ArgumentParser
import Dashboard
import Engine
import Foundation

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play back a recorded event log (from --events) in the dashboard, without a model.",
        discussion: "Unreadable lines are skipped and counted; idle stretches longer than 2 s are shortened to 2 s.")

    @Argument(help: "A JSON Lines event log.")
    var file: String

    @Option(parsing: .unconditional, help: "Playback speed as a multiple of the recorded pace (0.01–10000).")
    var speed: Double = 1

    @Flag(help: "Print the progress lines instead of opening the dashboard.")
    var headless = false

    @OptionGroup var dashboard: DashboardFlags

    func validate() throws {
        try FlagRange.check(speed, "--speed", FlagLimits.replaySpeed)
    }

    func run() throws {
        if headless || isatty(STDOUT_FILENO) == 0 {
            let recording: Recording
            do { recording = try Recording.load(path: file) } catch { throw FailureMessage(text: error.description) }
            try playHeadless(recording)
            return
        }
        // The dashboard opens even on an empty or unreadable recording and says so there.
        let records: [EventRecord]
        switch Result(catching: { try Recording.load(path: file) }) {
        case .success(let recording):
            var withNotices = recording.records
            if let notice = recording.skippedNotice {
                withNotices.insert(EventRecord(time: recording.records[0].time, event: .message(Message(level: .warning, text: notice))), at: 0)
            }
            withNotices.append(EventRecord(time: recording.records[recording.records.count - 1].time,
                                           event: .message(Message(level: .info, text: recording.endNotice))))
            records = withNotices
        case .failure(let error):
            records = [EventRecord(time: 0, event: .message(Message(level: .error, text: "\(error)")))]
        }
        let replay = ReplaySession(records: records, speed: speed)
        let reason = try DashboardApp.run(session: replay, options: dashboard.options(replaySpeed: speed), replayControl: replay)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
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
}
