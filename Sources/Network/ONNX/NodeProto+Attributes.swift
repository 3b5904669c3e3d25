import Foundation

/// Typed attribute reading. An attribute of the wrong type is an error naming
/// the node and attribute, never its zero value: a Gemm `alpha` given as a
/// string would otherwise read as 0 and silently change the result.
extension Onnx_NodeProto {
    /// The attribute `attributeName` when present, after checking it holds `expected`.
    /// `node` is the IR node name used in messages.
    func attribute(_ attributeName: String, of expected: Onnx_AttributeProto.AttributeType,
                   node: String) throws(ONNXImportError) -> Onnx_AttributeProto? {
        guard let found = attribute.first(where: { $0.name == attributeName }) else { return nil }
        let actual = found.type == .undefined ? found.inferredType : found.type
        guard actual == expected || actual == .undefined else {
            throw .wrongAttributeType(opType: opType, node: node, attribute: attributeName,
                                      expected: expected.onnxName, found: actual.onnxName)
        }
        return found
    }

    func int(_ name: String, default value: Int, node: String) throws(ONNXImportError) -> Int {
        try attribute(name, of: .int, node: node).map { Int($0.i) } ?? value
    }

    func float(_ name: String, default value: Float, node: String) throws(ONNXImportError) -> Float {
        try attribute(name, of: .float, node: node)?.f ?? value
    }

    func ints(_ name: String, node: String) throws(ONNXImportError) -> [Int]? {
        try attribute(name, of: .ints, node: node).map { $0.ints.map { Int($0) } }
    }

    func string(_ name: String, node: String) throws(ONNXImportError) -> String? {
        try attribute(name, of: .string, node: node).map { String(decoding: $0.s, as: UTF8.self) }
    }

    func tensor(_ name: String, node: String) throws(ONNXImportError) -> Onnx_TensorProto? {
        try attribute(name, of: .tensor, node: node)?.t
    }

    func floats(_ name: String, node: String) throws(ONNXImportError) -> [Float]? {
        try attribute(name, of: .floats, node: node)?.floats
    }
}

extension Onnx_AttributeProto {
    /// The type an attribute written without `type` (very old exporters) holds,
    /// from the field that is set; `.undefined` when every field is empty or zero.
    var inferredType: AttributeType {
        if !s.isEmpty { return .string }
        if hasT { return .tensor }
        if hasG { return .graph }
        if !floats.isEmpty { return .floats }
        if !ints.isEmpty { return .ints }
        if !strings.isEmpty { return .strings }
        if !tensors.isEmpty { return .tensors }
        if !graphs.isEmpty { return .graphs }
        if f != 0 { return .float }
        if i != 0 { return .int }
        return .undefined
    }
}

extension Onnx_AttributeProto.AttributeType {
    /// ONNX's spelling (`INT`, `FLOATS`, …), as in the specification.
    var onnxName: String {
        switch self {
        case .undefined: "UNDEFINED"
        case .float: "FLOAT"
        case .int: "INT"
        case .string: "STRING"
        case .tensor: "TENSOR"
        case .graph: "GRAPH"
        case .sparseTensor: "SPARSE_TENSOR"
        case .typeProto: "TYPE_PROTO"
        case .floats: "FLOATS"
        case .ints: "INTS"
        case .strings: "STRINGS"
        case .tensors: "TENSORS"
        case .graphs: "GRAPHS"
        case .sparseTensors: "SPARSE_TENSORS"
        case .typeProtos: "TYPE_PROTOS"
        }
    }
}
