import Foundation
import Quantization

/// A session's state after its last finished unit: enough to continue and end
/// with exactly the result of an uninterrupted run with the same seed (each
/// unit's random stream is derived from the seed and the unit's index, so no
/// generator state is carried across units).
struct Checkpoint: Codable, Equatable {
    static let currentVersion = 2

    var version = Checkpoint.currentVersion
    var configuration: RunConfiguration
    var modelFingerprint: String
    var dataFingerprint: String
    /// Units finished (reconstructed or skipped), in plan order.
    var unitsDone: Int
    var model: QuantizedModel
    /// Layers whose bits the user locked.
    var lockedLayers: [String]
    var unitResults: [UnitFinished]
    var fpMetrics: EvaluationResult?
    /// Seconds spent before the checkpoint, so wall time adds up over resumes.
    var elapsed: Double
    /// Events of the recording this checkpoint covers. The recording is written
    /// first, so after a kill between the two writes it may hold more; those are dropped.
    var eventCount: Int
}

/// One directory per session: `checkpoint.json` (the commit point) and
/// `events.jsonl` (the recording so far), each replaced atomically.
struct CheckpointStore {
    let directory: String
    var checkpointPath: String { directory + "/checkpoint.json" }
    var eventsPath: String { directory + "/events.jsonl" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func save(_ checkpoint: Checkpoint, events: [EventRecord]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lines = try events.map { try EventLog.line(for: $0) }.joined(separator: "\n")
        try AtomicFile.write(Data((lines + "\n").utf8), to: eventsPath)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(checkpoint), to: checkpointPath)
    }

    func load() throws -> (Checkpoint, [EventRecord]) {
        guard FileManager.default.fileExists(atPath: checkpointPath) else {
            throw Failure(description: "\(directory): no checkpoint here (expected checkpoint.json)")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: URL(fileURLWithPath: checkpointPath)))
        } catch {
            throw Failure(description: "\(checkpointPath): corrupt checkpoint (\(EventLogError.describe(error)))")
        }
        guard checkpoint.version == Checkpoint.currentVersion else {
            throw Failure(description: "\(checkpointPath): checkpoint version \(checkpoint.version), this brecq reads \(Checkpoint.currentVersion)")
        }
        removeStaleTemporaryFiles()
        let events = FileManager.default.fileExists(atPath: eventsPath) ? try EventLog.read(contentsOf: URL(fileURLWithPath: eventsPath)) : []
        guard events.count >= checkpoint.eventCount else {
            throw Failure(description: "\(eventsPath): \(events.count) events, but the checkpoint covers \(checkpoint.eventCount) (corrupt recording)")
        }
        return (checkpoint, Array(events.prefix(checkpoint.eventCount)))
    }

    /// Temporary files of a writer that was killed mid-write; the files they were to replace are intact.
    private func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".tmp") && (name.hasPrefix(".checkpoint.json.") || name.hasPrefix(".events.jsonl.")) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}
