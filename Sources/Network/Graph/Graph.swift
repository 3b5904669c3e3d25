import Tensor

/// A feed-forward network as an ordered list of nodes (topological order),
/// the constants some nodes read, and the shape of every computed tensor.
///
/// Shapes are per sample: the batch axis is symbolic and left out, so a
/// 28×28 grey image has sample shape `[1, 28, 28]` and runs as `[N, 1, 28, 28]`.
public struct Graph: Sendable {
    /// Names of the runtime inputs (one for the bundled models).
    public let inputs: [String]
    /// Names of the tensors the model returns (the logits for a classifier).
    public let outputs: [String]
    public let nodes: [Node]
    /// Non-batched tensors read by nodes (a broadcast operand of `.add`).
    public let constants: [String: Tensor]
    /// Sample shape of every input and computed tensor.
    public let sampleShapes: [String: [Int]]
    /// The model ended in a Softmax over the classes, whose output had this
    /// name: removed at import, because the KL divergence, Fisher weights and
    /// reconstruction work on logits (top-1 is unchanged), and put back on export.
    public let removedOutputSoftmax: String?

    private let producerByTensor: [String: Int]
    private let consumersByTensor: [String: [Int]]
    private let indexByName: [String: Int]
    /// Multiply-accumulates per sample of each node, computed with checked arithmetic at init.
    let macsByNode: [Int]
    /// Elements of the largest input or computed tensor of one sample: a batch
    /// of N needs N times this for one tensor.
    public let largestSampleElements: Int
    /// The tensor `largestSampleElements` counts (the first of equals), for messages.
    public let largestSampleTensor: String

    /// Checks that every node reads something available and infers all shapes.
    public init(inputs: [(name: String, sampleShape: [Int])], outputs: [String], nodes: [Node],
                constants: [String: Tensor] = [:], removedOutputSoftmax: String? = nil) throws(GraphError) {
        guard !inputs.isEmpty else { throw .incomplete("the graph has no input") }
        guard !outputs.isEmpty else { throw .incomplete("the graph has no output") }
        var shapes = [String: [Int]]()
        var largest = 0, largestTensor = ""
        for input in inputs {
            guard input.sampleShape.allSatisfy({ $0 > 0 }) else {
                throw .invalidInput(tensor: input.name, detail: "sample shape \(input.sampleShape) has an empty or negative axis")
            }
            do {
                let elements = try CheckedSize.product(input.sampleShape, "input '\(input.name)' sample shape \(input.sampleShape)")
                try AllocationLimit.check(elements, "input '\(input.name)' sample shape \(input.sampleShape) for one sample")
                if elements > largest { (largest, largestTensor) = (elements, input.name) }
            } catch {
                throw .untrustedSize(error)
            }
            shapes[input.name] = input.sampleShape
        }
        var producers = [String: Int](minimumCapacity: nodes.count)
        var consumers = [String: [Int]](minimumCapacity: nodes.count + inputs.count)
        var names = [String: Int](minimumCapacity: nodes.count)
        shapes.reserveCapacity(nodes.count + inputs.count)
        for (index, node) in nodes.enumerated() {
            if let tensor = node.operation.nonFiniteParameter { throw .nonFiniteParameters(node: node.name, tensor: tensor) }
            guard node.operation.acceptsInputCount(node.inputs.count) else {
                throw .shapeMismatch(node: node.name, detail: "\(node.operation.kindName) cannot read \(node.inputs.count) input(s)")
            }
            var operandShapes = [[Int]]()
            for (position, tensor) in node.inputs.enumerated() {
                if let shape = shapes[tensor] {
                    operandShapes.append(shape)
                    consumers[tensor, default: []].append(index)
                } else if position == 1, node.operation.acceptsConstantOperand, constants[tensor] != nil {
                    continue
                } else {
                    throw .missingTensor(node: node.name, tensor: tensor)
                }
            }
            let constantOperand = node.inputs.count > 1 ? constants[node.inputs[1]] : nil
            // Single assignment (as ONNX requires): a node rewriting a tensor would
            // make producer walks cycle and readers see the wrong value.
            guard shapes[node.output] == nil else { throw .duplicateTensor(node: node.name, tensor: node.output) }
            let shape = try node.operation.outputSampleShape(operands: operandShapes, constant: constantOperand, node: node.name)
            // outputSampleShape checked that the product fits the allocation limit.
            let elements = shape.reduce(1, *)
            if elements > largest { (largest, largestTensor) = (elements, node.output) }
            shapes[node.output] = shape
            producers[node.output] = index
            names[node.name] = index
        }
        for output in outputs where shapes[output] == nil { throw .unknownTensor(output) }
        let macs: [Int]
        do { macs = try Self.multiplyAccumulates(nodes: nodes, shapes: shapes) } catch { throw .untrustedSize(error) }
        self.inputs = inputs.map(\.name)
        self.outputs = outputs
        self.nodes = nodes
        self.constants = constants
        self.removedOutputSoftmax = removedOutputSoftmax
        self.sampleShapes = shapes
        self.producerByTensor = producers
        self.consumersByTensor = consumers
        self.indexByName = names
        self.macsByNode = macs
        self.largestSampleElements = largest
        self.largestSampleTensor = largestTensor
    }

    /// The first input and output; `init` refuses a graph without either.
    public var input: String { inputs[0] }
    public var output: String { outputs[0] }
    public var inputSampleShape: [Int] { sampleShapes[input] ?? [] }
    public var outputSampleShape: [Int] { sampleShapes[output] ?? [] }

    /// Sample shape (batch axis left out) of a computed tensor or input.
    public func sampleShape(of tensor: String) -> [Int]? { sampleShapes[tensor] }

    /// Index of the node that writes `tensor`; nil for inputs and constants.
    public func producerIndex(of tensor: String) -> Int? { producerByTensor[tensor] }

    /// Indices of the nodes that read `tensor`, in order.
    public func consumerIndices(of tensor: String) -> [Int] { consumersByTensor[tensor] ?? [] }

    public func nodeIndex(named name: String) -> Int? { indexByName[name] }

    public func node(named name: String) -> Node? { indexByName[name].map { nodes[$0] } }

    /// The same graph with node operations replaced (e.g. re-folded weights);
    /// tensor names and order stay, shapes are re-inferred.
    public func replacingNodes(_ newNodes: [Node]) throws(GraphError) -> Graph {
        try Graph(inputs: inputs.map { ($0, sampleShapes[$0] ?? []) }, outputs: outputs, nodes: newNodes,
                  constants: constants, removedOutputSoftmax: removedOutputSoftmax)
    }
}
