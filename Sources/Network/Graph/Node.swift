/// One operation of the graph: reads named tensors, writes exactly one.
public struct Node: Sendable, Equatable {
    /// Unique within the graph; the ONNX node name when it had one.
    public var name: String
    public var operation: Operation
    /// Names of the tensors read, in operand order. For `.add` the second
    /// may name a constant of the graph rather than a computed tensor.
    public var inputs: [String]
    public var output: String

    public init(name: String, operation: Operation, inputs: [String], output: String) {
        self.name = name
        self.operation = operation
        self.inputs = inputs
        self.output = output
    }
}
