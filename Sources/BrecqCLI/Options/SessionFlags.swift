import ArgumentParser
import Engine
import Foundation

/// Where a session keeps its checkpoint and recording; shared by `quantize` and `tui`.
struct SessionFlags: ParsableArguments {
    @Option(help: "Write every event as JSON Lines (a recording `brecq replay` plays back).")
    var events: String?

    @Option(help: "Checkpoint directory, written after every unit (default: under ~/.cache/brecq/checkpoints).")
    var checkpoint: String?

    @Option(help: "Continue the run checkpointed in this directory: its settings come from the checkpoint, the model and data from --model and --data (which must be the run's).")
    var resume: String?

    func validate() throws {
        if let events { try OutputTarget.check(events, flag: "--events", .appendedFile) }
        if let checkpoint { try OutputTarget.check(checkpoint, flag: "--checkpoint", .directory) }
        if let resume, !FileManager.default.fileExists(atPath: resume + "/checkpoint.json") {
            throw ValidationError("--resume \(resume): no checkpoint.json there")
        }
    }

    /// The checkpoint's settings when resuming (its digest checked), else nil.
    func savedSettings() throws -> RunConfiguration? {
        guard let resume else { return nil }
        do { return try SavedRunSettings.load(checkpointDirectory: resume) } catch { throw ValidationError("--resume \(error)") }
    }

    /// The default checkpoint directory, checked once the configuration (which names it) is known.
    func checkDefaultCheckpoint(for configuration: RunConfiguration) throws {
        guard resume == nil, checkpoint == nil else { return }
        let directory = Self.defaultCheckpoint(for: configuration)
        if let problem = OutputTarget.problem(directory, .directory) {
            throw ValidationError("checkpoint directory \(directory): \(problem) (--checkpoint DIR chooses another)")
        }
    }

    func makeRunner(_ configuration: RunConfiguration, server: EventServer? = nil, startMessages: [Message] = []) -> SessionRunner {
        var options = SessionRunner.Options(checkpointDirectory: checkpointDirectory(for: configuration), resume: resume != nil, eventLogPath: events)
        if let server { options.observer = { @Sendable record in server.publish(record) } }
        options.startMessages = startMessages
        return SessionRunner(configuration: configuration, options: options)
    }

    func checkpointDirectory(for configuration: RunConfiguration) -> String {
        resume ?? checkpoint ?? Self.defaultCheckpoint(for: configuration)
    }

    static func defaultCheckpoint(for c: RunConfiguration) -> String {
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return "\(home)/brecq/checkpoints/\(c.checkpointName)"
    }
}
