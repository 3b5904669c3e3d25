import Foundation

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

    func setState(_ new: RunState) {
        guard new != state else { return }
        state = new
        emit(.stateChanged(new))
    }
}
