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
        try importONNX(data: try readONNXFile(path: path), source: path, options: options)
    }

    /// The bytes of a model file the user named: a regular file (a directory,
    /// FIFO or device is refused with one line), at most `AllocationLimit` bytes.
    public static func readONNXFile(path: String) throws(ONNXImportError) -> Data {
        do { return try RegularFile.read(path, what: "an ONNX model (.onnx)", symbolicLinks: .followed) } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
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
