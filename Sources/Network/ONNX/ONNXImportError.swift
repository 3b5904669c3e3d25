import Tensor

/// Why an ONNX file could not become a `Graph`. Each case describes itself in
/// one line that names the file, node or tensor at fault, so the CLI can print
/// it as is and exit with a non-zero status.
public enum ONNXImportError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notONNX(path: String, reason: String)
    case truncated(path: String)
    case unsupportedOpset(version: Int64, supported: ClosedRange<Int64>)
    case unsupportedOperator(opType: String, node: String, supported: [String])
    case unsupportedAttribute(opType: String, node: String, attribute: String, value: String)
    case unsupportedDataType(tensor: String, dataType: Int32)
    case externalData(tensor: String)
    case missingInitializer(node: String, tensor: String)
    case missingInput(node: String, tensor: String)
    case shapeMismatch(node: String, detail: String)
    case invalidModel(String)
    /// An attribute holding another type than the operator defines (a string `alpha`).
    case wrongAttributeType(opType: String, node: String, attribute: String, expected: String, found: String)
    /// A size, count or index read from the model that is negative, not an
    /// integer, overflowing or over `AllocationLimit`; its `what` names the node or tensor.
    case untrustedSize(UntrustedSizeError)

    /// One line with control characters escaped: names and paths come from the file, and the
    /// terminal must not execute them.
    public var description: String { TerminalText.sanitized(unescapedDescription) }

    private var unescapedDescription: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .notONNX(path, reason):
            return "\(path) is not an ONNX model (\(reason))"
        case let .truncated(path):
            return "\(path) is truncated: the ONNX protobuf ends in the middle of a message"
        case let .unsupportedOpset(version, supported):
            return "ONNX opset \(version) is not supported (supported: \(supported.lowerBound)–\(supported.upperBound))"
        case let .unsupportedOperator(opType, node, supported):
            return "unsupported operator \(opType) at node '\(node)'; supported: \(supported.joined(separator: ", "))"
        case let .unsupportedAttribute(opType, node, attribute, value):
            return "unsupported \(opType) attribute \(attribute)=\(value) at node '\(node)'"
        case let .unsupportedDataType(tensor, dataType):
            return "tensor '\(tensor)' has unsupported ONNX data type \(dataType) (supported: float, double, int32, int64)"
        case let .externalData(tensor):
            return "tensor '\(tensor)' keeps its data in an external file; re-save the model with all tensors inside (onnx.save(model, path, save_as_external_data=False))"
        case let .missingInitializer(node, tensor):
            return "node '\(node)' needs constant '\(tensor)' but the model has no initializer or Constant of that name"
        case let .missingInput(node, tensor):
            return "node '\(node)' reads '\(tensor)', which no earlier node produces and which is not a graph input"
        case let .shapeMismatch(node, detail):
            return "shape mismatch at node '\(node)': \(detail)"
        case let .invalidModel(detail):
            return "invalid ONNX model: \(detail)"
        case let .wrongAttributeType(opType, node, attribute, expected, found):
            return "\(opType) attribute \(attribute) at node '\(node)' is \(found), expected \(expected)"
        case let .untrustedSize(error):
            return "invalid ONNX model: \(error)"
        }
    }
}

extension ONNXImportError {
    /// Runs size arithmetic on numbers from the model, reporting a refused size
    /// as `.untrustedSize` (the error already names the node or tensor).
    static func checking<T>(_ body: () throws(UntrustedSizeError) -> T) throws(ONNXImportError) -> T {
        do { return try body() } catch { throw .untrustedSize(error) }
    }
}
