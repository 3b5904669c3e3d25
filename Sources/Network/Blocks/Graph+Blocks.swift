extension Graph {
    /// Positions between nodes where exactly one computed tensor is live
    /// (written before, read after): a block can start or end only there.
    /// Position p lies before node p; 0 and `nodes.count` are always cuts
    /// for a one-input, one-output graph. Returns (position, live tensor).
    func singleTensorCuts() -> [(position: Int, tensor: String)] {
        var lastUse = [String: Int](minimumCapacity: nodes.count + inputs.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs where sampleShapes[input] != nil { lastUse[input] = index }
        }
        for output in outputs { lastUse[output] = nodes.count }
        var definedAt = [String: Int](minimumCapacity: nodes.count + inputs.count)
        for input in inputs { definedAt[input] = -1 }
        for (index, node) in nodes.enumerated() { definedAt[node.output] = index }
        // A sweep instead of testing every tensor at every position (quadratic in
        // the node count): tensor t is live at positions definedAt(t)+1 … lastUse(t).
        // Per position, count the live tensors and sum their ids; where exactly
        // one is live, the sum is its id.
        var tensors = [String]()
        tensors.reserveCapacity(lastUse.count)
        var liveCount = [Int](repeating: 0, count: nodes.count + 2)
        var idSum = [Int](repeating: 0, count: nodes.count + 2)
        for (tensor, last) in lastUse {
            guard let defined = definedAt[tensor], defined + 1 <= last else { continue }
            let id = tensors.count
            tensors.append(tensor)
            liveCount[defined + 1] += 1
            liveCount[last + 1] -= 1
            idSum[defined + 1] += id
            idSum[last + 1] -= id
        }
        var cuts = [(position: Int, tensor: String)]()
        var live = 0
        var sum = 0
        for position in 0...nodes.count {
            live += liveCount[position]
            sum += idSum[position]
            if live == 1 { cuts.append((position, tensors[sum])) }
        }
        return cuts
    }

    /// Units at block granularity: stem, blocks, lone layers and head, in
    /// order, together covering every node exactly once.
    public func blockUnits() -> [ReconstructionUnit] {
        BlockFinder(graph: self).units()
    }

    /// Units for a reconstruction granularity. Layer units cover only the
    /// layers and their activations; the others cover every node.
    public func units(for granularity: Granularity) -> [ReconstructionUnit] {
        let blocks = blockUnits()
        switch granularity {
        case .block: return blocks
        case .layer: return layerUnits(blocks: blocks)
        case .stage: return mergeBody(of: blocks, kind: .stage) { body in Self.stages(of: body) }
        case .net: return mergeBody(of: blocks, kind: .net) { body in [body] }
        }
    }

    /// The block units grouped into stages: runs of consecutive non-stem,
    /// non-head units whose outputs share one spatial resolution.
    public func stages() -> [[ReconstructionUnit]] {
        Self.stages(of: blockUnits().filter { $0.kind != .stem && $0.kind != .head })
    }

    private static func stages(of body: [ReconstructionUnit]) -> [[ReconstructionUnit]] {
        var stages = [[ReconstructionUnit]]()
        for unit in body {
            if let last = stages.last?.last, last.outputShape.dropFirst() == unit.outputShape.dropFirst() {
                stages[stages.count - 1].append(unit)
            } else {
                stages.append([unit])
            }
        }
        return stages
    }

    /// Stem and head stay; the units between them are merged group by group.
    private func mergeBody(of blocks: [ReconstructionUnit], kind: UnitKind, grouping: ([ReconstructionUnit]) -> [[ReconstructionUnit]]) -> [ReconstructionUnit] {
        let body = blocks.filter { $0.kind != .stem && $0.kind != .head }
        var merged = blocks.filter { $0.kind == .stem }
        for (index, group) in grouping(body).enumerated() where !group.isEmpty {
            merged.append(merge(group, name: kind == .net ? "net" : "stage\(index + 1)", kind: kind))
        }
        merged += blocks.filter { $0.kind == .head }
        return merged
    }

    func merge(_ group: [ReconstructionUnit], name: String, kind: UnitKind) -> ReconstructionUnit {
        let indices = group.flatMap(\.nodeIndices)
        return ReconstructionUnit(name: name, kind: kind, nodeIndices: indices, layers: group.flatMap(\.layers),
                    input: group[0].input, output: group[group.count - 1].output,
                    outputShape: group[group.count - 1].outputShape,
                    parameters: group.reduce(0) { $0 + $1.parameters }, macs: group.reduce(0) { $0 + $1.macs })
    }

    /// One unit per conv/linear node, extended by the activation that alone
    /// reads its output (the layer's ReLU/ReLU6 is reconstructed with it).
    private func layerUnits(blocks: [ReconstructionUnit]) -> [ReconstructionUnit] {
        let stemLayer = blocks.first { $0.kind == .stem }?.layers.first
        let headLayer = blocks.last { $0.kind == .head }?.layers.last
        var units = [ReconstructionUnit]()
        for (index, node) in nodes.enumerated() where node.operation.isParametric {
            var indices = [index]
            var output = node.output
            let readers = consumerIndices(of: output)
            if readers.count == 1, nodes[readers[0]].operation.isActivation, !outputs.contains(output) {
                indices.append(readers[0])
                output = nodes[readers[0]].output
            }
            let kind: UnitKind = node.name == stemLayer ? .stem : node.name == headLayer ? .head : .layer
            units.append(ReconstructionUnit(name: node.name, kind: kind, nodeIndices: indices, layers: [node.name], input: node.inputs[0],
                              output: output, outputShape: sampleShapes[output] ?? [],
                              parameters: parameterCount(ofNode: index), macs: macs(ofNode: index)))
        }
        return units
    }
}
