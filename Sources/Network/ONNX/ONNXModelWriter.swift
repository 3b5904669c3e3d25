import Foundation
import SwiftProtobuf

/// Builds an ONNX model node by node and serialises it.
///
/// The generated protobuf types stay internal to Network; this is the small
/// public surface other targets (the quantized-model export) write through.
/// Initializers are stored as little-endian `raw_data`, the compact form
/// every ONNX reader accepts.
public struct ONNXModelWriter: Sendable {
    /// ONNX `TensorProto.DataType` codes of the element types written here.
    public enum ElementType: Int32, Sendable {
        case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7
    }

    public enum Attribute: Sendable, Equatable {
        case int(Int)
        case ints([Int])
        case float(Float)
    }

    /// One graph input or output; a nil dimension is symbolic (the batch axis).
    public struct Value: Sendable {
        public var name: String
        public var elementType: ElementType
        public var dimensions: [Int?]
        public init(name: String, elementType: ElementType = .float, dimensions: [Int?]) {
            self.name = name
            self.elementType = elementType
            self.dimensions = dimensions
        }
    }

    private var graph = Onnx_GraphProto()

    public init(graphName: String) {
        graph.name = graphName
    }

    public mutating func addInput(_ value: Value) { graph.input.append(Self.valueInfo(value)) }

    public mutating func addOutput(_ value: Value) { graph.output.append(Self.valueInfo(value)) }

    public mutating func addInitializer(name: String, dimensions: [Int], floats: [Float]) {
        precondition(dimensions.reduce(1, *) == floats.count, "\(name): \(dimensions) for \(floats.count) values")
        var raw = Data(capacity: floats.count * 4)
        for f in floats { withUnsafeBytes(of: f.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        appendInitializer(name: name, dimensions: dimensions, type: .float, raw: raw)
    }

    public mutating func addInitializer(name: String, dimensions: [Int], int8 values: [Int8]) {
        precondition(dimensions.reduce(1, *) == values.count, "\(name): \(dimensions) for \(values.count) values")
        appendInitializer(name: name, dimensions: dimensions, type: .int8, raw: Data(values.map { UInt8(bitPattern: $0) }))
    }

    public mutating func addInitializer(name: String, dimensions: [Int], uint8 values: [UInt8]) {
        precondition(dimensions.reduce(1, *) == values.count, "\(name): \(dimensions) for \(values.count) values")
        appendInitializer(name: name, dimensions: dimensions, type: .uint8, raw: Data(values))
    }

    public mutating func addInitializer(name: String, dimensions: [Int], int32 values: [Int32]) {
        precondition(dimensions.reduce(1, *) == values.count, "\(name): \(dimensions) for \(values.count) values")
        var raw = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.littleEndian) { raw.append(contentsOf: $0) } }
        appendInitializer(name: name, dimensions: dimensions, type: .int32, raw: raw)
    }

    public mutating func addInitializer(name: String, dimensions: [Int], int64 values: [Int64]) {
        precondition(dimensions.reduce(1, *) == values.count, "\(name): \(dimensions) for \(values.count) values")
        var raw = Data(capacity: values.count * 8)
        for v in values { withUnsafeBytes(of: v.littleEndian) { raw.append(contentsOf: $0) } }
        appendInitializer(name: name, dimensions: dimensions, type: .int64, raw: raw)
    }

    /// A node of the default ONNX domain. An empty input name is an omitted optional input.
    public mutating func addNode(_ opType: String, name: String, inputs: [String], outputs: [String],
                                 attributes: [(String, Attribute)] = []) {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.name = name
        node.input = inputs
        node.output = outputs
        node.attribute = attributes.map { key, value in
            var a = Onnx_AttributeProto()
            a.name = key
            switch value {
            case .int(let i): a.type = .int; a.i = Int64(i)
            case .ints(let list): a.type = .ints; a.ints = list.map(Int64.init)
            case .float(let f): a.type = .float; a.f = f
            }
            return a
        }
        graph.node.append(node)
    }

    /// The model's protobuf bytes. `irVersion` must be one that allows `opset`
    /// (IR 7 for opsets 13–14).
    public func serializedData(opset: Int, irVersion: Int, producerName: String, producerVersion: String,
                               docString: String = "") throws -> Data {
        var model = Onnx_ModelProto()
        model.irVersion = Int64(irVersion)
        var set = Onnx_OperatorSetIdProto()
        set.domain = ""
        set.version = Int64(opset)
        model.opsetImport = [set]
        model.producerName = producerName
        model.producerVersion = producerVersion
        if !docString.isEmpty { model.docString = docString }
        model.graph = graph
        return try model.serializedData()
    }

    private mutating func appendInitializer(name: String, dimensions: [Int], type: ElementType, raw: Data) {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dimensions.map(Int64.init)
        t.dataType = type.rawValue
        t.rawData = raw
        graph.initializer.append(t)
    }

    private static func valueInfo(_ value: Value) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = value.dimensions.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = value.elementType.rawValue
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = value.name
        info.type = type
        return info
    }
}
