import Tensor

/// Called with a tensor's name right after a node produced it; returns the
/// value the rest of the pass sees (e.g. fake-quantized activations).
public typealias ActivationHook = (_ tensor: String, _ value: Tensor) -> Tensor

/// Runs a graph, or any part of it, on real batches.
///
/// The executor is what both the FP model and the quantized model run
/// through: give it the tensors a node range reads, name the tensors you
/// want back (outputs or any intermediate), and optionally replace layer
/// weights and intercept activations. Intermediate tensors are released as
/// soon as the last node reading them has run.
///
/// It owns scratch buffers (im2col workspace), so keep one per thread and
/// reuse it across batches.
public struct GraphExecutor {
    public let graph: Graph
    private var convolutionWorkspace = Conv2DWorkspace()

    public init(graph: Graph) {
        self.graph = graph
    }

    /// Runs the whole graph on `input` (`[N] + graph.inputSampleShape`) and returns its first output.
    public mutating func logits(for input: Tensor) throws(GraphError) -> Tensor {
        let result = try run(feeding: [graph.input: input], returning: [graph.output])
        guard let logits = result[graph.output] else { throw .unknownTensor(graph.output) }
        return logits
    }

    /// Runs the nodes at `nodeIndices` (in the order given, which must be an
    /// order the graph allows; default: all nodes).
    ///
    /// - Parameters:
    ///   - inputs: every tensor the nodes read that they do not compute themselves.
    ///   - outputs: names to return: any fed or computed tensor.
    ///   - weights: layer name → weights used instead of the layer's own.
    ///   - activationHook: sees (and may replace) each tensor the nodes produce.
    public mutating func run<Indices: Sequence<Int>>(
        nodes nodeIndices: Indices, feeding inputs: [String: Tensor], returning outputs: [String],
        weights: [String: LayerWeights] = [:], activationHook: ActivationHook? = nil
    ) throws(GraphError) -> [String: Tensor] {
        let order = Array(nodeIndices)
        let keep = Set(outputs)
        var lastRead = [String: Int]()
        for (step, index) in order.enumerated() { for input in graph.nodes[index].inputs { lastRead[input] = step } }
        var values = inputs
        for (step, index) in order.enumerated() {
            let node = graph.nodes[index]
            var value = try evaluate(node, values: values, weights: weights[node.name])
            if let activationHook { value = activationHook(node.output, value) }
            values[node.output] = value
            for input in node.inputs where lastRead[input] == step && !keep.contains(input) { values[input] = nil }
        }
        var result = [String: Tensor]()
        for name in outputs {
            guard let value = values[name] else { throw .unknownTensor(name) }
            result[name] = value
        }
        return result
    }

    /// All nodes, in graph order.
    public mutating func run(feeding inputs: [String: Tensor], returning outputs: [String],
                             weights: [String: LayerWeights] = [:],
                             activationHook: ActivationHook? = nil) throws(GraphError) -> [String: Tensor] {
        try run(nodes: graph.nodes.indices, feeding: inputs, returning: outputs, weights: weights,
                activationHook: activationHook)
    }

    /// Runs a unit from its input tensor to its output tensor.
    public mutating func run(_ unit: ReconstructionUnit, input: Tensor, weights: [String: LayerWeights] = [:],
                             activationHook: ActivationHook? = nil) throws(GraphError) -> Tensor {
        let result = try run(nodes: unit.nodeIndices, feeding: [unit.input: input], returning: [unit.output], weights: weights,
                             activationHook: activationHook)
        guard let output = result[unit.output] else { throw .unknownTensor(unit.output) }
        return output
    }

    private mutating func evaluate(_ node: Node, values: [String: Tensor],
                                   weights override: LayerWeights?) throws(GraphError) -> Tensor {
        func operand(_ position: Int) throws(GraphError) -> Tensor {
            let name = node.inputs[position]
            if let value = values[name] { return value }
            if let constant = graph.constants[name] { return constant }
            throw .missingTensor(node: node.name, tensor: name)
        }
        let x = try operand(0)
        let expected = graph.sampleShapes[node.inputs[0]] ?? []
        guard x.rank >= 1, x.shape[0] > 0, Array(x.shape.dropFirst()) == expected else {
            throw .shapeMismatch(node: node.name, detail: "input '\(node.inputs[0])' is \(x.shape), expected [N] + \(expected) with N ≥ 1")
        }
        var operands = [x]
        for position in node.inputs.indices.dropFirst() { operands.append(try operand(position)) }
        try checkOutputFits(node, batch: x.shape[0])
        var output = Tensor(zeros: [0])
        node.forward(operands, weight: try checkedWeight(override, node: node), bias: override?.bias?.data,
                     into: &output, workspace: &convolutionWorkspace)
        return output
    }

    /// Refuses to allocate `node`'s output for `batch` samples when it would pass
    /// `AllocationLimit` (a large batch of a large model): an error naming the
    /// node instead of an allocation of many gigabytes.
    private func checkOutputFits(_ node: Node, batch: Int) throws(GraphError) {
        // Graph.init checked one sample's product against the limit.
        let sample = (graph.sampleShapes[node.output] ?? []).reduce(1, *)
        do {
            let what = "node '\(node.name)' output for a batch of \(batch)"
            try AllocationLimit.check(try CheckedSize.multiply(batch, sample, what), what)
        } catch {
            throw .untrustedSize(error)
        }
    }

    /// The override's weight, after checking it fits the layer it replaces.
    private func checkedWeight(_ override: LayerWeights?, node: Node) throws(GraphError) -> Tensor? {
        guard let override else { return nil }
        let weight: Tensor
        switch node.operation {
        case .convolution(let p): weight = p.weight
        case .linear(let p): weight = p.weight
        default: throw .shapeMismatch(node: node.name, detail: "weights given for a layer without weights")
        }
        guard override.weight.shape == weight.shape, override.bias.map({ $0.count == weight.shape[0] }) ?? true else {
            throw .shapeMismatch(node: node.name, detail: "override weight \(override.weight.shape) for layer weight \(weight.shape)")
        }
        return override.weight
    }
}
