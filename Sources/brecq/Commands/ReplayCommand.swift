import ArgumentParser
import Dashboard
import Engine
import Foundation

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play back a recorded event log (from --events) in the dashboard, without a model.")

    @Argument(help: "A JSON Lines event log.")
    var file: String

    @Option(help: "Playback speed as a multiple of the recorded pace.")
    var speed: Double = 1

    @Flag(help: "Print the progress lines instead of opening the dashboard.")
    var headless = false

    @OptionGroup var dashboard: DashboardFlags

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be positive (got \(speed))") }
    }

    func run() throws {
        let records: [EventRecord]
        do { records = try EventLog.read(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw FailureMessage(text: "\(error)")
        }
        let replay = ReplaySession(records: records, speed: speed)
        if headless || isatty(STDOUT_FILENO) == 0 {
            let reporter = ProgressReporter()
            while !replay.isFinished {
                Thread.sleep(forTimeInterval: 0.05)
                for record in replay.drainEvents() { reporter.report(record) }
            }
            return
        }
        let reason = try DashboardApp.run(session: replay, options: dashboard.options(replaySpeed: speed), replayControl: replay)
        if case .signal(let s) = reason { throw ExitCode(128 + s) }
    }
}
