import Foundation
import Network
import Quantization

/// A session's state after its last finished unit: enough to continue and end
/// with exactly the result of an uninterrupted run with the same seed (each
/// unit's random stream is derived from the seed and the unit's index, so no
/// generator state is carried across units).
///
/// Nothing in it is trusted: `CheckpointStore.load` checks its digest and
/// `validate(against:)` every length and range against the graph it claims, and
/// the paths in `configuration` are shown in messages but never opened.
struct Checkpoint: Codable, Equatable {
    /// 3: SHA-256 digests of the model, the data, the recording and the checkpoint itself.
    static let currentVersion = 3

    var version = Checkpoint.currentVersion
    var configuration: RunConfiguration
    /// SHA-256 of the model file the run was made from.
    var modelSHA256: String
    /// SHA-256 of the calibration images as the run saw them (after normalisation).
    var dataSHA256: String
    /// Units finished (reconstructed or skipped), in plan order.
    var unitsDone: Int
    var model: QuantizedModel
    /// Layers whose bits the user locked.
    var lockedLayers: [String]
    var unitResults: [UnitFinished]
    var fpMetrics: EvaluationResult?
    /// Seconds spent before the checkpoint, so wall time adds up over resumes.
    var elapsed: Double
    /// Events of the recording this checkpoint covers: the first `eventCount`
    /// lines, `eventsBytes` bytes with digest `eventsSHA256`, of `events.jsonl`.
    /// The recording is written first, so after a kill it may hold more; those are dropped.
    var eventCount: Int
    var eventsBytes: Int
    var eventsSHA256: String
}
