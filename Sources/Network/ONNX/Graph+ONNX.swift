import Foundation
import SwiftProtobuf
import Tensor

extension Graph {
    /// Operators the importer understands (default ONNX domain). Shape, Gather,
    /// Unsqueeze, Squeeze, Slice and Cast only as shape arithmetic on constants
    /// and input shapes (`ShapeArithmetic`), folded away at import; Softmax only
    /// as the model's output (`Graph.removedOutputSoftmax`).
    public static let supportedONNXOperators = [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "Conv", "Div", "Dropout",
        "Flatten", "Gather", "Gemm", "GlobalAveragePool", "HardSigmoid", "HardSwish", "Identity", "LeakyRelu",
        "MatMul", "MaxPool", "Mul", "Pad", "Relu", "Reshape", "Shape", "Sigmoid", "Slice", "Softmax", "Squeeze", "Sub", "Tanh",
        "Unsqueeze",
    ]
    /// Default-domain opsets whose semantics for the operators above the importer implements.
    public static let supportedONNXOpsets: ClosedRange<Int64> = 1...21

    /// Reads an ONNX file into a graph with BatchNorm folded and shapes inferred.
    public static func importONNX(path: String, options: ONNXImportOptions = .init()) throws(ONNXImportError) -> Graph {
        let data: Data
        // The file is read whole: refuse one larger than a single allocation may be.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
            try ONNXImportError.checking { () throws(UntrustedSizeError) in
                try AllocationLimit.check(size.intValue, elementSize: 1, "\(path) (\(size.intValue) bytes)")
            }
        }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        return try importONNX(data: data, source: path, options: options)
    }

    /// Parses ONNX protobuf bytes; `source` names them in error messages.
    public static func importONNX(data: Data, source: String = "<memory>",
                                  options: ONNXImportOptions = .init()) throws(ONNXImportError) -> Graph {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch BinaryDecodingError.truncated {
            throw .truncated(path: source)
        } catch {
            throw .notONNX(path: source, reason: "not a protobuf ModelProto: \(error)")
        }
        guard model.irVersion > 0, model.hasGraph, !model.graph.node.isEmpty else {
            throw .notONNX(path: source, reason: "no ir_version or no graph nodes")
        }
        let opsets = model.opsetImport.filter { $0.domain.isEmpty || $0.domain == "ai.onnx" }
        guard let opset = opsets.map(\.version).max() else {
            throw .invalidModel("\(source) imports no default-domain opset (truncated file?)")
        }
        guard supportedONNXOpsets.contains(opset) else { throw .unsupportedOpset(version: opset, supported: supportedONNXOpsets) }
        var importer = try ONNXGraphImporter(graph: model.graph, opset: opset, options: options)
        return try importer.run()
    }
}
