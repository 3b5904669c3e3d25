import Foundation
import Network
import Quantization
import Tensor

/// Continuing a checkpointed run. Nothing of the checkpoint is used before it
/// is checked: its digest and version on load, its settings against the
/// runner's, the model file by SHA-256 before parsing, its content against the
/// graph before the data loads, the calibration images by SHA-256 and the
/// recording by its digest before the recording and state are restored. Paths always come from the runner's
/// configuration (the user's flags), never from the checkpoint.
extension SessionWorker {
    struct Resumption {
        var checkpoint: Checkpoint
        var directory: String
    }

    /// What a checkpoint restores of the run's state besides the model.
    struct RestoredState {
        var lockedLayers: Set<String>
        var unitResults: [UnitFinished]
        var fpMetrics: EvaluationResult?
    }

    /// The checkpoint to continue, or nil for a fresh run; adopts its settings with the user's paths.
    static func loadResumption(runner: SessionRunner, configuration: inout RunConfiguration) throws -> Resumption? {
        guard runner.options.resume else { return nil }
        guard let directory = runner.options.checkpointDirectory else { throw EngineError("--resume needs a checkpoint directory") }
        let checkpoint = try CheckpointStore(directory: directory).loadCheckpoint()
        if let e = checkpoint.configuration.validationError() {
            throw EngineError("\(directory)/\(CheckpointStore.checkpointName): configuration: \(e)")
        }
        do { configuration = try configuration.resuming(checkpoint.configuration) } catch {
            throw EngineError("\(directory): \(error)")
        }
        return Resumption(checkpoint: checkpoint, directory: directory)
    }

    /// With the data loaded: the same calibration images, then the recording (into `events`) and the run's state.
    static func restore(_ resumption: Resumption, dataDigest: String, units: Int, configuration: RunConfiguration,
                        into events: SessionEvents) throws -> RestoredState {
        let checkpoint = resumption.checkpoint
        guard checkpoint.dataSHA256 == dataDigest else {
            throw EngineError("\(resumption.directory): the checkpoint was made with other calibration data "
                              + "(\(TerminalText.sanitized(checkpoint.configuration.data))) than --data \(configuration.data) "
                              + "--calib-size \(configuration.calibrationSize)")
        }
        let recorded = try CheckpointStore(directory: resumption.directory).coveredEvents(of: checkpoint)
        events.history = recorded
        for record in recorded { events.runner.publish(record) }
        events.elapsedBefore = checkpoint.elapsed
        events.emit(.message(Message(level: .info, text: "resumed from \(resumption.directory) after \(checkpoint.unitsDone) of \(units) units")))
        return RestoredState(lockedLayers: Set(checkpoint.lockedLayers), unitResults: checkpoint.unitResults, fpMetrics: checkpoint.fpMetrics)
    }
}
