import ArgumentParser
import Dashboard
import Engine
import Foundation

/// `brecq tour`: the replay dashboard on the bundled recording with the guided tour open.
struct Tour: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A guided tour of the dashboard on a bundled recording (the ResNet example, BRECQ at W2A4).",
        discussion: """
            Each step focuses a panel and explains it: → n Enter next, ← p back, Esc leaves the tour \
            (the replay stays open), q quits. w starts the tour again, in any dashboard. \
            The recording is Examples/tour/run.jsonl (scripts/make_tour_recording.sh makes it).
            """)

    static let recordingPath = "Examples/tour/run.jsonl"

    @OptionGroup var dashboard: DashboardFlags

    func run() throws {
        guard let file = ExampleModel.packageFile(Self.recordingPath) else {
            throw CommandFailure("the tour's recording \(Self.recordingPath) was found neither here nor beside the brecq executable's package")
        }
        guard isatty(STDOUT_FILENO) != 0 else {
            throw CommandFailure("brecq tour needs a terminal; `brecq replay --headless \(file)` prints the recording's progress")
        }
        // No bookmark file: the recording is the package's, B marks only for this session.
        let replay = ReplaySession(records: Replay.dashboardRecords(file), speed: 1)
        var options = try dashboard.options()
        options.startsTour = true
        let reason = try DashboardFlags.run(session: replay, options: options, replayControl: replay)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }
}
