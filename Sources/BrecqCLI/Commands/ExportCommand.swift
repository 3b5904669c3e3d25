import ArgumentParser
import Engine
import Foundation
import Network
import Quantization

/// `brecq export`: a finished session's quantized model as QDQ ONNX plus encodings JSON.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a finished run's quantized model as ONNX (QuantizeLinear/DequantizeLinear) and its encodings as JSON.",
        discussion: "Runs in ONNX Runtime; see docs/export.md for the layout and a five-line Python example.")

    @Option(help: "Checkpoint directory of a finished `brecq quantize` run.")
    var checkpoint: String

    @Option(help: "The run's ONNX model; it must be the file the checkpoint was made from (same SHA-256).")
    var model: String = ExampleModel.defaultPath

    @Option(help: "The ONNX model to write.")
    var output: String

    @Option(help: "The encodings JSON to write (default: beside --output, as NAME.encodings.json).")
    var encodings: String?

    /// Both targets are checked before the checkpoint is read.
    func validate() throws {
        try OutputTarget.check(output, flag: "--output", .replacedFile)
        if let encodings {
            try OutputTarget.check(encodings, flag: "--encodings", .replacedFile)
        } else {
            try OutputTarget.check(QDQExporter.encodingsPath(forModel: output), flag: "--output (encodings beside it)", .replacedFile)
        }
    }

    func run() throws {
        let loaded: QuantizedCheckpoint
        // The model comes from the flags: a checkpoint never chooses what brecq reads.
        do { loaded = try QuantizedCheckpoint.load(directory: checkpoint, modelPath: model) } catch { throw CommandFailure("--checkpoint \(error)") }
        Console.print(try ModelExport.write(graph: loaded.graph, model: loaded.model, output: output, encodings: encodings))
    }
}
