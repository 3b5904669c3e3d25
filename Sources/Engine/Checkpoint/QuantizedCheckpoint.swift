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

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The `version` a checkpoint.json of this brecq has (for tools that make test checkpoints).
    public static let formatVersion = Checkpoint.currentVersion

    /// Loads `directory/checkpoint.json` and the model file it was made from.
    /// Refuses a run that has not finished every unit ("model not yet quantized")
    /// and a model file that changed since the run.
    public static func load(directory: String) throws -> QuantizedCheckpoint {
        let (checkpoint, _) = try CheckpointStore(directory: directory).load()
        let modelPath = checkpoint.configuration.modelPath
        let graph: Graph
        do { graph = try LoadedModel.importGraph(path: modelPath) } catch {
            // A relative --model is stored as given, relative to where the run started.
            throw Failure(description: "\(directory): the run's model cannot be read (\(error))"
                          + (modelPath.hasPrefix("/") ? "" : "; run export from the directory the run started in"))
        }
        guard try Fingerprint.ofFile(modelPath) == checkpoint.modelFingerprint else {
            throw Failure(description: "\(directory): \(modelPath) changed since this checkpoint was written")
        }
        return try finished(checkpoint, graph: graph, directory: directory)
    }

    /// Loads `directory/checkpoint.json` for a graph the caller already has,
    /// without reading the model file the checkpoint names (the fuzzing
    /// harness's entry point).
    public static func load(directory: String, graph: Graph) throws -> QuantizedCheckpoint {
        let (checkpoint, _) = try CheckpointStore(directory: directory).load()
        return try finished(checkpoint, graph: graph, directory: directory)
    }

    private static func finished(_ checkpoint: Checkpoint, graph: Graph, directory: String) throws -> QuantizedCheckpoint {
        let units = graph.units(for: checkpoint.configuration.granularity).count
        guard checkpoint.unitsDone >= units else {
            throw Failure(description: "\(directory): model not yet quantized (\(checkpoint.unitsDone) of \(units) units done); "
                          + "finish the run with `brecq quantize … --resume \(directory)`")
        }
        return QuantizedCheckpoint(configuration: checkpoint.configuration, graph: graph, model: checkpoint.model)
    }
}
