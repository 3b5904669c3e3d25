import Foundation
import Tensor
import Network
import Quantization

/// A finished run's quantized model written as QDQ ONNX plus encodings JSON:
/// the one export step of `brecq export`, `brecq quantize --export` and the
/// dashboard's `o` key (an `EngineCommand.export`, answered by `exportFinished`).
public enum ModelExport {
    /// One line naming the flag and file that failed.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Writes both files (or neither); returns a one-line report. `encodings`
    /// nil: beside `output`, as NAME.encodings.json. Errors name the flag and file.
    public static func write(graph: Graph, model: QuantizedModel, output: String, encodings: String?) throws(Failure) -> String {
        let encodingsPath = encodings ?? QDQExporter.encodingsPath(forModel: output)
        do {
            try QDQExporter(graph: graph, model: model).write(modelPath: output, encodingsPath: encodingsPath)
        } catch let error as AtomicFile.WriteError {
            let flag = error.path == output ? "--output" : (encodings == nil ? "--output (encodings beside it)" : "--encodings")
            throw Failure("\(flag) \(error)")
        } catch {
            throw Failure("export to \(output): \(error)")
        }
        let activations = model.activations.filter(\.isQuantized).count
        return "wrote \(output) (\(model.layers.count) quantized layers, \(activations) activation quantizers) and \(encodingsPath)"
    }

    /// The dashboard's export: the finished run in `checkpoint` (with the model
    /// at `modelPath`, the run's own, checked against the checkpoint's digest)
    /// written to `output`, whose directory is created first (the default
    /// exports directory may not exist yet).
    public static func export(checkpoint: String, modelPath: String, output: String) throws(Failure) -> String {
        let loaded: QuantizedCheckpoint
        do { loaded = try QuantizedCheckpoint.load(directory: checkpoint, modelPath: modelPath) } catch {
            throw Failure(ErrorText.oneLine(error))
        }
        do {
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(ErrorText.oneLine(error))
        }
        return try write(graph: loaded.graph, model: loaded.model, output: output, encodings: nil)
    }
}
