import Foundation
import Synchronization

/// A quantization session on its own thread. Front ends drain its events and
/// send it commands; both return at once. Commands are applied between
/// iterations, so each takes effect within one iteration.
public final class SessionRunner: SessionHandle {
    public enum Outcome: Sendable, Equatable {
        case finished(RunSummaryFile)
        /// Stopped on request; the checkpoint (if any) lets `--resume` continue.
        case stopped(checkpoint: String?)
        case failed(String)
    }

    public struct Options: Sendable {
        /// Where to write a checkpoint after every unit (nil: none).
        public var checkpointDirectory: String?
        /// Continue from the checkpoint in `checkpointDirectory`.
        public var resume: Bool
        /// JSON Lines recording of every event (nil: none).
        public var eventLogPath: String?
        /// Called on the engine thread with every record as it is emitted (the event server); must return at once.
        public var observer: (@Sendable (EventRecord) -> Void)?
        /// Said at the start of the run, as its first messages (where the run is served).
        public var startMessages: [Message] = []
        public init(checkpointDirectory: String? = nil, resume: Bool = false, eventLogPath: String? = nil) {
            self.checkpointDirectory = checkpointDirectory
            self.resume = resume
            self.eventLogPath = eventLogPath
        }
    }

    let configuration: RunConfiguration
    let options: Options
    let buffer = EventBuffer()
    let mailbox = Mailbox()
    private let outcome = Mutex<Outcome?>(nil)
    private let done = DispatchSemaphore(value: 0)
    /// Exports under way; `wait` waits for them, so quitting never cuts one short.
    private let exports = DispatchGroup()
    private let exporter: Exporter

    /// Writes a finished run (checkpoint directory, output path) and returns the report line.
    public typealias Exporter = @Sendable (_ checkpoint: String, _ output: String) throws -> String

    /// `exporter` nil: `ModelExport.export` with the run's own model.
    public init(configuration: RunConfiguration, options: Options = Options(), exporter: Exporter? = nil) {
        self.configuration = configuration
        self.options = options
        let modelPath = configuration.modelPath
        self.exporter = exporter ?? { checkpoint, output in
            try ModelExport.export(checkpoint: checkpoint, modelPath: modelPath, output: output)
        }
    }

    /// Starts the engine thread.
    public func start() {
        let thread = Thread { [self] in
            let result = SessionWorker.run(runner: self)
            outcome.withLock { $0 = result }
            done.signal()
        }
        thread.name = "brecq-engine"
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Blocks until the engine thread and every export end.
    public func wait() -> Outcome {
        done.wait()
        done.signal()
        exports.wait()
        return outcome.withLock { $0! }
    }

    /// Where the checkpoint goes; after a finished run it holds the complete quantized model.
    public var checkpointDirectory: String? { options.checkpointDirectory }

    public var isRunning: Bool { outcome.withLock { $0 == nil } }

    public func drainEvents() -> [EventRecord] { buffer.drain() }

    /// A record for the front ends: the local dashboard's buffer and the observer (the event server).
    func publish(_ record: EventRecord) {
        buffer.append(record)
        options.observer?(record)
    }

    public func send(_ command: EngineCommand) {
        if case let .export(checkpoint, output) = command {
            startExport(checkpoint: checkpoint, output: output)
        } else {
            mailbox.post(command)
        }
    }

    /// An export runs on its own thread: the run it reads is finished, so the
    /// engine thread may have ended, and a front end must not wait for the
    /// seconds it takes. The answer joins the events like any other.
    private func startExport(checkpoint: String, output: String) {
        exports.enter()
        let thread = Thread { [self] in
            let answer: ExportFinished
            do {
                answer = ExportFinished(output: output, succeeded: true, text: try exporter(checkpoint, output))
            } catch {
                answer = ExportFinished(output: output, succeeded: false, text: "\(error)")
            }
            publish(EventRecord(time: buffer.latestTime, event: .exportFinished(answer)))
            exports.leave()
        }
        thread.name = "brecq-export"
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// Commands waiting for the engine thread, with a wake-up for a paused engine.
final class Mailbox: Sendable {
    private let commands = Mutex<[EngineCommand]>([])
    private let signal = DispatchSemaphore(value: 0)

    func post(_ command: EngineCommand) {
        commands.withLock { $0.append(command) }
        signal.signal()
    }

    func take() -> [EngineCommand] {
        commands.withLock { c in
            defer { c.removeAll() }
            return c
        }
    }

    /// Sleeps until a command arrives or `seconds` pass.
    func waitForCommand(seconds: Double) {
        _ = signal.wait(timeout: .now() + seconds)
    }
}
