import Foundation
import Network
import Quantization

/// A finished session's result as its checkpoint directory holds it: what
/// `brecq export` reads. The worker writes the checkpoint once more after the
/// last unit and the final calibration, so a finished run's checkpoint is the
/// complete quantized model.
public struct QuantizedCheckpoint: Sendable {
    public var configuration: RunConfiguration
    public var graph: Graph
    public var model: QuantizedModel
    /// Units reconstructed, of `unitCount` (equal unless loaded `allowingPartial`).
    public var unitsDone = 0
    public var unitCount = 0

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The `version` a checkpoint.json of this brecq has (for tools that make test checkpoints).
    public static let formatVersion = Checkpoint.currentVersion

    /// Loads `directory/checkpoint.json` with the model at `modelPath` — the
    /// user's, never the path the checkpoint names — whose digest must be the
    /// one checkpointed. Refuses a run that has not finished every unit
    /// ("model not yet quantized") and a checkpoint that is not a state of that model.
    /// `allowingPartial` takes an unfinished run too (`brecq analyze`): its
    /// later units are still at round-to-nearest, and some activation
    /// quantizers may not be calibrated yet.
    public static func load(directory: String, modelPath: String, allowingPartial: Bool = false) throws -> QuantizedCheckpoint {
        let checkpoint = try CheckpointStore(directory: directory).loadCheckpoint()
        let modelFile = try ModelFile.read(path: modelPath)
        try modelFile.check(against: checkpoint, directory: directory)
        let graph: Graph
        do { graph = try LoadedModel.importGraph(path: modelPath, modelData: modelFile.bytes) } catch {
            throw Failure(description: "\(modelPath): \(error)")
        }
        return try finished(checkpoint, graph: graph, directory: directory, modelPath: modelPath, allowingPartial: allowingPartial)
    }

    /// Loads `directory/checkpoint.json` for a graph the caller already has,
    /// without reading any model file (the fuzzing harness's entry point); the
    /// checkpoint is validated against that graph as on every load.
    public static func load(directory: String, graph: Graph) throws -> QuantizedCheckpoint {
        let store = CheckpointStore(directory: directory)
        let checkpoint = try store.loadCheckpoint()
        _ = try store.coveredEvents(of: checkpoint)
        return try finished(checkpoint, graph: graph, directory: directory, modelPath: nil)
    }

    private static func finished(_ checkpoint: Checkpoint, graph: Graph, directory: String, modelPath: String?,
                                 allowingPartial: Bool = false) throws -> QuantizedCheckpoint {
        let units = graph.units(for: checkpoint.configuration.granularity)
        try checkpoint.validate(graph: graph, units: units)
        guard allowingPartial || checkpoint.unitsDone >= units.count else {
            let model = modelPath.map { "--model \(ShellQuoted($0)) " } ?? ""
            throw Failure(description: "\(directory): model not yet quantized (\(checkpoint.unitsDone) of \(units.count) units done); "
                          + "finish the run with `brecq quantize \(model)--resume \(ShellQuoted(directory))`")
        }
        return QuantizedCheckpoint(configuration: checkpoint.configuration, graph: graph, model: checkpoint.model,
                                   unitsDone: min(checkpoint.unitsDone, units.count), unitCount: units.count)
    }
}
