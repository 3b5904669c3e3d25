import Dispatch
import Engine
import Foundation
import Synchronization

/// A finished session whose exports answer only when the test says (or after a
/// generous safety timeout, noted so the test can fail instead of hanging).
final class SlowExportSession: SessionHandle {
    private let pending: Mutex<[EventRecord]>
    private let received = Mutex<[EngineCommand]>([])
    private let answers = Mutex<[EventRecord]>([])
    private let gate = DispatchSemaphore(value: 0)
    private let timedOut = Mutex(false)
    private let failure: String?

    init(events: [EventRecord], failure: String? = nil) {
        pending = Mutex(events)
        self.failure = failure
    }

    func drainEvents() -> [EventRecord] { pending.withLock { p in defer { p.removeAll() }; return p } }

    func send(_ command: EngineCommand) {
        received.withLock { $0.append(command) }
        guard case let .export(_, output) = command else { return }
        let failure = failure
        Thread.detachNewThread { [self] in
            if gate.wait(timeout: .now() + 10) == .timedOut { timedOut.withLock { $0 = true } }
            let answer = ExportFinished(output: output, succeeded: failure == nil, text: failure ?? "wrote \(output) (fake)")
            let record = EventRecord(time: 100, event: .exportFinished(answer))
            answers.withLock { $0.append(record) }
            pending.withLock { $0.append(record) }
        }
    }

    /// Lets every export, running or to come, finish.
    func finishExports() { for _ in 0..<8 { gate.signal() } }

    var commands: [EngineCommand] { received.withLock { $0 } }
    var gateTimedOut: Bool { timedOut.withLock { $0 } }
    var answered: [EventRecord] { answers.withLock { $0 } }
}
