import Foundation
import Network
import Synchronization

/// The engine thread's outlet: every event goes to the session's history (what
/// a checkpoint records), the runner's buffer (what observers drain) and the
/// event log. It exists before the session has loaded anything, so that
/// loading can report, and failing to load can say why.
final class SessionEvents {
    let runner: SessionRunner
    let started = ProcessInfo.processInfo.systemUptime
    /// Wall time carried over from the runs this one resumes.
    var elapsedBefore = 0.0
    var history: [EventRecord] = []
    var log: EventLogWriter?
    /// Set when a line could not be written to the event log; the run stops at the next check.
    var eventLogFailure: String?
    var state: RunState = .starting

    init(runner: SessionRunner) { self.runner = runner }

    var now: Double { elapsedBefore + ProcessInfo.processInfo.systemUptime - started }

    func emit(_ event: EngineEvent) {
        let record = EventRecord(time: now, event: event)
        history.append(record)
        runner.publish(record)
        do { try log?.write(record) } catch let failure as EventLogWriter.WriteFailure {
            // A recording with a hole is worse than none: the run stops, saying why.
            log = nil
            eventLogFailure = failure.description
        } catch {
            log = nil
            emit(.message(Message(level: .warning, text: "event log stopped: \(error)")))
        }
    }

    /// Throws once the event log could not be written, ending the run with that message.
    func checkEventLog() throws {
        if let eventLogFailure { throw EngineError(eventLogFailure) }
    }

    /// Says that slow work without a count begins (`StageProgress`, 0/1); it
    /// lasts until the next stage or the event it leads to. Published, not recorded.
    func stage(_ stage: String, unit: Int? = nil) {
        runner.publish(EventRecord(time: now, event: .progress(StageProgress(stage: stage, done: 0, total: 1, unit: unit))))
    }

    /// The image loader's progress callback for `stage`: `progress` events, at most
    /// ten a second and always the last. It runs on the loader's worker threads,
    /// so it reads only constants taken here; `runner.publish` takes its own locks.
    func progressReporter(stage: String) -> ImageFolderLoader.Progress {
        let runner = runner, started = started, before = elapsedBefore
        let throttle = ProgressThrottle()
        return { done, total in
            let uptime = ProcessInfo.processInfo.systemUptime
            guard throttle.isDue(at: uptime, last: done >= total) else { return }
            runner.publish(EventRecord(time: before + uptime - started,
                                       event: .progress(StageProgress(stage: stage, done: done, total: total))))
        }
    }

    func setState(_ new: RunState) {
        guard new != state else { return }
        state = new
        emit(.stateChanged(new))
    }
}

/// At most one report per tenth of a second, from any thread, and always the last.
private final class ProgressThrottle: Sendable {
    private let lastReport = Mutex<Double>(-.infinity)

    func isDue(at time: Double, last: Bool) -> Bool {
        lastReport.withLock { previous in
            guard last || time - previous >= 0.1 else { return false }
            previous = time
            return true
        }
    }
}
