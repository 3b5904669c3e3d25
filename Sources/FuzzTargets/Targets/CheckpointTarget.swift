import Engine
import Foundation
import Quantization

/// A checkpoint directory → `QuantizedCheckpoint.load(directory:graph:)`
/// against the fixed graph → the export built in memory and every layer's
/// weights dequantized: what `brecq export` and `--resume` do with it.
///
/// The input is `checkpoint.json`, optionally followed by a line
/// `--- events.jsonl ---` and the recording.
enum CheckpointTarget {
    static let separator = Data("\n--- events.jsonl ---\n".utf8)

    static func run(_ input: Data) throws {
        let directory = try FuzzEnvironment.emptyDirectory("checkpoint")
        var checkpoint = input, events: Data?
        if let cut = input.range(of: separator) {
            checkpoint = input[..<cut.lowerBound]
            events = input[cut.upperBound...]
        }
        try checkpoint.write(to: directory.appendingPathComponent("checkpoint.json"))
        try events?.write(to: directory.appendingPathComponent("events.jsonl"))
        let loaded = try QuantizedCheckpoint.load(directory: directory.path, graph: FixedGraph.graph)
        for layer in loaded.model.layers {
            guard let node = loaded.graph.node(named: layer.layer) else { continue }
            if case .convolution(let p) = node.operation { _ = layer.dequantized(shape: p.weight.shape) }
            if case .linear(let p) = node.operation { _ = layer.dequantized(shape: p.weight.shape) }
        }
        _ = try QDQExporter(graph: loaded.graph, model: loaded.model).build(modelFileName: "fuzz.onnx")
    }
}
