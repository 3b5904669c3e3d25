import Foundation
import XCTest
@testable import Network
import Tensor

/// Small ONNX models built in memory from the protobuf types, for inputs that
/// no exporter would write: absurd dimensions, attributes of the wrong type,
/// graphs without outputs.
enum HostileModel {
    static func floats(_ name: String, dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        Onnx_TensorProto.with {
            $0.name = name
            $0.dims = dims
            $0.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            $0.floatData = values
        }
    }

    static func int64s(_ name: String, dims: [Int64], _ values: [Int64]) -> Onnx_TensorProto {
        Onnx_TensorProto.with {
            $0.name = name
            $0.dims = dims
            $0.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            $0.int64Data = values
        }
    }

    static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .int; $0.i = value }
    }

    static func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .ints; $0.ints = values }
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .float; $0.f = value }
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .string; $0.s = Data(value.utf8) }
    }

    static func node(_ opType: String, _ name: String, _ inputs: [String], _ output: String,
                     _ attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        Onnx_NodeProto.with {
            $0.opType = opType
            $0.name = name
            $0.input = inputs
            $0.output = [output]
            $0.attribute = attributes
        }
    }

    /// A model reading `x` of shape `[N] + sample` and returning `outputs`.
    static func model(sample: [Int64], nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [],
                      outputs: [String], opset: Int64 = 13) -> Onnx_ModelProto {
        Onnx_ModelProto.with { model in
            model.irVersion = 8
            model.opsetImport = [Onnx_OperatorSetIdProto.with { $0.version = opset }]
            model.graph = Onnx_GraphProto.with { graph in
                graph.name = "hostile"
                graph.node = nodes
                graph.initializer = initializers
                graph.input = [valueInfo("x", dims: [1] + sample)]
                graph.output = outputs.map { valueInfo($0, dims: []) }
            }
        }
    }

    static func valueInfo(_ name: String, dims: [Int64]) -> Onnx_ValueInfoProto {
        Onnx_ValueInfoProto.with { info in
            info.name = name
            info.type = Onnx_TypeProto.with { type in
                type.tensorType = Onnx_TypeProto.Tensor.with { tensor in
                    tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
                    tensor.shape = Onnx_TensorShapeProto.with { shape in
                        shape.dim = dims.map { d in Onnx_TensorShapeProto.Dimension.with { $0.dimValue = d } }
                    }
                }
            }
        }
    }

    /// The error importing `model` from bytes throws; fails the test when it imports.
    static func importError(_ model: Onnx_ModelProto, file: StaticString = #filePath, line: UInt = #line) -> ONNXImportError? {
        do {
            _ = try Graph.importONNX(data: try model.serializedData(), source: "hostile.onnx")
            XCTFail("the hostile model imported", file: file, line: line)
            return nil
        } catch let error as ONNXImportError {
            return error
        } catch {
            XCTFail("not an ONNXImportError: \(error)", file: file, line: line)
            return nil
        }
    }

    /// Asserts that importing `model` fails with a one-line message containing every fragment.
    static func assertRefused(_ model: Onnx_ModelProto, mentioning fragments: [String],
                              file: StaticString = #filePath, line: UInt = #line) {
        guard let error = importError(model, file: file, line: line) else { return }
        let message = error.description
        XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "'\(fragment)' missing from: \(message)", file: file, line: line)
        }
    }
}

/// Asserts that `body` throws an error whose one-line description contains every fragment.
func assertThrows<T>(_ body: @autoclosure () throws -> T, mentioning fragments: [String],
                     file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        let message = "\(error)"
        XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "'\(fragment)' missing from: \(message)", file: file, line: line)
        }
    }
}
