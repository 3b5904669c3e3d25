import Tensor

/// String-keyed entry points: run the whole graph, a unit or any node range on
/// tensors given by name, checking everything that comes from outside (shapes
/// of the fed tensors, the batch's allocation, replacement weights) and
/// throwing a `GraphError` naming the node instead of trapping.
extension GraphExecutor {
    /// Runs the whole graph on `input` (`[N] + graph.inputSampleShape`) and returns its first output.
    public func logits(for input: Tensor) throws(GraphError) -> Tensor {
        let result = try run(feeding: [graph.input: input], returning: [graph.output])
        guard let logits = result[graph.output] else { throw .unknownTensor(graph.output) }
        return logits
    }

    /// Runs a contiguous unit from its input tensor to its output tensor.
    public func run(_ unit: ReconstructionUnit, input: Tensor, weights: [String: LayerWeights] = [:]) throws(GraphError) -> Tensor {
        guard let range = unit.nodeRange else {
            throw .shapeMismatch(node: unit.name, detail: "the unit's nodes \(unit.nodeIndices) are not contiguous")
        }
        let result = try run(nodes: range, feeding: [unit.input: input], returning: [unit.output], weights: weights)
        guard let output = result[unit.output] else { throw .unknownTensor(unit.output) }
        return output
    }

    /// Runs the nodes `range` (default: all the executor's nodes).
    ///
    /// - Parameters:
    ///   - inputs: every tensor the nodes read that they do not compute themselves (extra ones are ignored).
    ///   - outputs: names to return: any fed or computed tensor (kept even when intermediates are recycled).
    ///   - weights: layer name → weights used for this call instead of the executor's.
    public func run(nodes range: Range<Int>? = nil, feeding inputs: [String: Tensor], returning outputs: [String],
                    weights: [String: LayerWeights] = [:]) throws(GraphError) -> [String: Tensor] {
        let range = range ?? nodes
        guard range.isEmpty || (nodes.contains(range.lowerBound) && range.upperBound <= nodes.upperBound) else {
            throw .shapeMismatch(node: graph.nodes.indices.contains(range.lowerBound) ? graph.nodes[range.lowerBound].name : "\(range)",
                                 detail: "nodes \(range) are outside the executor's nodes \(nodes)")
        }
        let read = try check(range, feeding: inputs)
        var replaced: [(node: Int, weight: Tensor, bias: [Float]?)] = []
        defer { for r in replaced { setWeight(r.weight, bias: r.bias, ofNode: r.node) } }
        for i in range {
            let node = graph.nodes[i]
            guard let override = weights[node.name] else { continue }
            try Self.checkOverride(override, node: node)
            replaced.append((i, weight(ofNode: i)!, bias(ofNode: i)))
            setWeight(override.weight, bias: override.bias?.data, ofNode: i)
        }
        let produced = Set(graph.nodes[range].map(\.output))
        // Only what these nodes compute or what was fed: never a value an earlier call left behind.
        for name in outputs where !produced.contains(name) && inputs[name] == nil { throw .unknownTensor(name) }
        for name in read { setInput(inputs[name]!, named: name) }
        let kept = retain(outputs.filter(produced.contains))
        defer { release(kept) }
        var random = Xoshiro256StarStar(seed: 0)   // draws only under QDrop, which inference does not set
        forward(nodes: range, random: &random)
        var result = [String: Tensor]()
        for name in outputs {
            guard produced.contains(name) else { result[name] = inputs[name]; continue }
            guard let value = value(of: name) else { throw .unknownTensor(name) }
            result[name] = value
        }
        return result
    }

    /// Checks, node by node before any work, that every tensor the nodes read is fed
    /// with `[N] + sample shape` (N ≥ 1), computed or a constant, and that each
    /// output fits `AllocationLimit` for the batch. Returns the fed tensors the nodes read.
    private func check(_ range: Range<Int>, feeding inputs: [String: Tensor]) throws(GraphError) -> Set<String> {
        var produced = Set<String>(), read = Set<String>()
        var batch: Int?
        for i in range {
            let node = graph.nodes[i]
            for name in node.inputs where !produced.contains(name) {
                if let x = inputs[name] {
                    let expected = graph.sampleShapes[name] ?? []
                    guard x.rank >= 1, x.shape[0] > 0, Array(x.shape.dropFirst()) == expected else {
                        throw .shapeMismatch(node: node.name, detail: "input '\(name)' is \(x.shape), expected [N] + \(expected) with N ≥ 1")
                    }
                    // The batch of the first tensor fed (a broadcast operand may have another leading size).
                    batch = batch ?? x.shape[0]
                    read.insert(name)
                } else if graph.constants[name] == nil {
                    throw .missingTensor(node: node.name, tensor: name)
                }
            }
            produced.insert(node.output)
            // Graph.init checked one sample's product against the limit.
            let sample = (graph.sampleShapes[node.output] ?? []).reduce(1, *)
            do {
                let what = "node '\(node.name)' output for a batch of \(batch ?? 0)"
                try AllocationLimit.check(try CheckedSize.multiply(batch ?? 0, sample, what), what)
            } catch {
                throw .untrustedSize(error)
            }
        }
        return read
    }

    /// Refuses weights for a layer without weights or of another shape than the layer's.
    private static func checkOverride(_ override: LayerWeights, node: Node) throws(GraphError) {
        let weight: Tensor
        switch node.operation {
        case .convolution(let p): weight = p.weight
        case .linear(let p): weight = p.weight
        default: throw .shapeMismatch(node: node.name, detail: "weights given for a layer without weights")
        }
        guard override.weight.shape == weight.shape, override.bias.map({ $0.count == weight.shape[0] }) ?? true else {
            throw .shapeMismatch(node: node.name, detail: "override weight \(override.weight.shape) for layer weight \(weight.shape)")
        }
    }
}
