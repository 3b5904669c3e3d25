import Engine
import Foundation
import Quantization

/// A checkpoint directory → `QuantizedCheckpoint.load(directory:graph:)`
/// against the fixed graph → the export built in memory and every layer's
/// weights dequantized: what `brecq export` and `--resume` do with it.
///
/// The input is `checkpoint.json`, optionally followed by a line
/// `--- events.jsonl ---` and the recording. The harness writes the digest
/// file (`checkpoint.sha256`) and `eventsSHA256` to match, as a writer would.
enum CheckpointTarget {
    static let separator = Data("\n--- events.jsonl ---\n".utf8)

    static func run(_ input: Data) throws {
        let directory = try FuzzEnvironment.emptyDirectory("checkpoint")
        var checkpoint = input, events: Data?
        if let cut = input.range(of: separator) {
            checkpoint = input[..<cut.lowerBound]
            events = input[cut.upperBound...]
        }
        let body = withIntegrityFields(checkpoint, events: events ?? Data())
        try body.write(to: directory.appendingPathComponent("checkpoint.json"))
        try events?.write(to: directory.appendingPathComponent("events.jsonl"))
        // The digest file the checkpoint writer commits last: made to match, so mutations reach the validation.
        try Data("\(Digest.sha256Hex(body))  checkpoint.json\n".utf8).write(to: directory.appendingPathComponent("checkpoint.sha256"))
        let loaded = try QuantizedCheckpoint.load(directory: directory.path, graph: FixedGraph.graph)
        for layer in loaded.model.layers {
            guard let node = loaded.graph.node(named: layer.layer) else { continue }
            if case .convolution(let p) = node.operation { _ = layer.dequantized(shape: p.weight.shape) }
            if case .linear(let p) = node.operation { _ = layer.dequantized(shape: p.weight.shape) }
        }
        _ = try QDQExporter(graph: loaded.graph, model: loaded.model).build(modelFileName: "fuzz.onnx")
    }

    /// `checkpoint` with `eventsSHA256` set to the digest of `events` when it has that field
    /// (as a digest file, it is integrity, not validation; `eventsBytes` and `eventCount` are left to the fuzzer).
    static func withIntegrityFields(_ checkpoint: Data, events: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: checkpoint)) as? [String: Any], object["eventsSHA256"] is String,
              let bytes = object["eventsBytes"] as? Int, bytes >= 0, bytes <= events.count else { return checkpoint }
        object["eventsSHA256"] = Digest.sha256Hex(events.prefix(bytes))
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? checkpoint
    }
}
