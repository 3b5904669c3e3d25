/// Finds blocks from topology alone (never from names):
///
/// 1. Cut the node list at every position where a single tensor is live.
///    Without branches the graph is a chain, so such segments are single
///    nodes; a segment holding a two-operand Add is a residual block, typed by
///    the convolutions on its main path and its shortcut; other segments with
///    several layers (branches joined by Mul or Concat) are `.branched` blocks.
/// 2. Among the remaining single layers, expand 1×1 → depthwise → project 1×1
///    runs, or depthwise → project 1×1 without expansion (only activations in
///    between, and a squeeze-excitation gate before the projection) are
///    inverted residuals without skip.
/// 3. The first remaining layer is the stem, the last one the head; other
///    lone layers are `.layer` units.
/// 4. Parameter-free nodes join a neighbour: activations the unit before
///    them (a block ends after its ReLU), pooling/reshaping the unit after
///    them (the head owns its GlobalAveragePool and Flatten) — except spatial
///    pooling right after the stem, which the stem owns (ResNet's 3×3/2 max
///    pool): the first block's input is then the pooled tensor, as in the
///    reference, and its cached inputs are a quarter of the unpooled ones.
struct BlockFinder {
    let graph: Graph

    /// A run of nodes between two single-tensor cuts, or a grouping of them.
    private struct Segment {
        var nodes: [Int]
        var input: String
        var output: String
        var kind: UnitKind?  // nil: parameter-free
        var layers: [Int]
    }

    func units() -> [ReconstructionUnit] {
        var segments = cutSegments()
        segments = groupInvertedResidualsWithoutSkip(segments)
        markStemAndHead(&segments)
        return attachParameterFree(segments).map(unit(from:)).numbered()
    }

    private func cutSegments() -> [Segment] {
        let cuts = graph.singleTensorCuts()
        var segments = [Segment]()
        for (start, end) in zip(cuts, cuts.dropFirst()) where start.position < end.position {
            let indices = Array(start.position..<end.position)
            let layers = indices.filter { graph.nodes[$0].operation.isParametric }
            let hasResidualAdd = indices.contains { index in
                if case .add = graph.nodes[index].operation { return graph.nodes[index].inputs.allSatisfy { graph.sampleShapes[$0] != nil } }
                return false
            }
            let kind: UnitKind? = hasResidualAdd ? residualKind(nodes: indices, input: start.tensor)
                : layers.isEmpty ? nil : layers.count == 1 ? .layer : .branched
            segments.append(Segment(nodes: indices, input: start.tensor, output: end.tensor, kind: kind, layers: layers))
        }
        return segments
    }

    /// Conv/linear layers from `tensor` back to `start` along first inputs;
    /// nil when the path meets another Add (a nested residual) first.
    private func layersOnPath(from tensor: String, to start: String) -> [ConvolutionParameters?]? {
        var reversedPath = [ConvolutionParameters?]()
        var current = tensor
        var below = graph.nodes.count  // producers strictly decrease, so the walk ends
        while current != start {
            guard let index = graph.producerIndex(of: current), index < below, let first = graph.nodes[index].inputs.first else { return nil }
            let node = graph.nodes[index]
            switch node.operation {
            case .add: return nil
            case .convolution(let p): reversedPath.append(p)
            case .linear: reversedPath.append(nil)
            default: break
            }
            current = first
            below = index
        }
        return reversedPath.reversed()
    }

    private func residualKind(nodes indices: [Int], input: String) -> UnitKind {
        let adds = indices.filter { if case .add = graph.nodes[$0].operation { return true } else { return false } }
        guard adds.count == 1 else { return .residual }
        let add = graph.nodes[adds[0]]
        guard let a = layersOnPath(from: add.inputs[0], to: input),
              let b = layersOnPath(from: add.inputs[1], to: input) else { return .residual }
        let (main, shortcut) = a.count >= b.count ? (a, b) : (b, a)
        guard shortcut.count <= 1, main.allSatisfy({ $0 != nil }) else { return .residual }
        let convs = main.compactMap { $0 }
        switch convs.count {
        case 2 where !convs[0].isDepthwise && !convs[0].isPointwise && convs[1].groups == 1 && !convs[1].isPointwise:
            return .basic
        case 2 where convs[0].isDepthwise && convs[1].isPointwise:
            return .invertedResidual
        case 3 where convs[0].isPointwise && convs[1].isDepthwise && convs[2].isPointwise:
            return .invertedResidual
        case 3 where convs[0].isPointwise && convs[1].groups == 1 && !convs[1].isPointwise && convs[2].isPointwise:
            return .bottleneck
        default:
            return .residual
        }
    }

    private func convolution(_ segment: Segment) -> ConvolutionParameters? {
        guard segment.kind == .layer, segment.layers.count == 1,
              case .convolution(let p) = graph.nodes[segment.layers[0]].operation else { return nil }
        return p
    }

    /// Expand 1×1 – depthwise – project 1×1 chains with only activations between.
    private func groupInvertedResidualsWithoutSkip(_ segments: [Segment]) -> [Segment] {
        var result = [Segment]()
        var i = 0
        while i < segments.count {
            if let group = invertedResidual(startingAt: i, in: segments) {
                let members = segments[group]
                result.append(Segment(nodes: members.flatMap(\.nodes), input: segments[i].input,
                                      output: members[members.endIndex - 1].output, kind: .invertedResidual,
                                      layers: members.flatMap(\.layers)))
                i = group.upperBound
            } else {
                result.append(segments[i])
                i += 1
            }
        }
        return result
    }

    /// Expand 1×1 – depthwise – project 1×1, or depthwise – project 1×1 when the
    /// block has no expansion (the first block of torchvision's MobileNetV2 and
    /// MobileNetV3-small); a squeeze-excitation gate may sit before the projection.
    private func invertedResidual(startingAt start: Int, in segments: [Segment]) -> Range<Int>? {
        guard let first = convolution(segments[start]) else { return nil }
        let expected = first.isDepthwise ? 2 : 3
        var convs = [ConvolutionParameters]()
        var index = start
        while index < segments.count && convs.count < expected {
            let segment = segments[index]
            if let conv = convolution(segment) {
                convs.append(conv)
            } else if convs.count == expected - 1 && convs[convs.count - 1].isDepthwise && isSqueezeExcitation(segment) {
                // MobileNetV3 gates the depthwise output before the projection.
            } else if segment.kind != nil || convs.isEmpty || !segment.nodes.allSatisfy({ graph.nodes[$0].operation.isActivation }) {
                return nil
            }
            index += 1
        }
        guard convs.count == expected, convs[expected - 2].isDepthwise, convs[expected - 1].isPointwise,
              expected == 2 || convs[0].isPointwise else { return nil }
        for (a, b) in zip(convs, convs.dropFirst()) where a.outChannels != b.inChannels { return nil }
        return start..<index
    }

    /// A branch that scales its input by a computed gate of the same or a
    /// broadcast shape (GlobalAveragePool – convs – activation – Mul).
    private func isSqueezeExcitation(_ segment: Segment) -> Bool {
        guard segment.kind == .branched, graph.sampleShapes[segment.input] == graph.sampleShapes[segment.output] else { return false }
        return segment.nodes.contains { index in
            let node = graph.nodes[index]
            return node.operation == .mul && node.inputs.allSatisfy { graph.sampleShapes[$0] != nil }
        }
    }

    private func markStemAndHead(_ segments: inout [Segment]) {
        let parametric = segments.indices.filter { segments[$0].kind != nil }
        guard let first = parametric.first, let last = parametric.last else { return }
        if segments[first].kind == .layer { segments[first].kind = .stem }
        if last != first, segments[last].kind == .layer { segments[last].kind = .head }
    }

    private func attachParameterFree(_ segments: [Segment]) -> [Segment] {
        var units = [Segment]()
        var pending = [Segment]()  // parameter-free segments waiting for the next unit
        for segment in segments {
            if segment.kind == nil {
                let isActivation = segment.nodes.allSatisfy { graph.nodes[$0].operation.isActivation }
                let followsStem = units.last?.kind == .stem && segment.nodes.allSatisfy { isSpatialPoolingOrActivation($0) }
                if (isActivation || followsStem) && pending.isEmpty && !units.isEmpty {
                    units[units.count - 1].nodes += segment.nodes
                    units[units.count - 1].output = segment.output
                } else {
                    pending.append(segment)
                }
                continue
            }
            var unit = segment
            if let first = pending.first {
                unit.nodes = pending.flatMap(\.nodes) + unit.nodes
                unit.input = first.input
                pending.removeAll()
            }
            units.append(unit)
        }
        if !pending.isEmpty, !units.isEmpty {
            units[units.count - 1].nodes += pending.flatMap(\.nodes)
            units[units.count - 1].output = pending[pending.count - 1].output
        }
        return units
    }

    private func isSpatialPoolingOrActivation(_ index: Int) -> Bool {
        switch graph.nodes[index].operation {
        case .maxPool, .averagePool: return true
        case let operation: return operation.isActivation
        }
    }

    private func unit(from s: Segment) -> ReconstructionUnit {
        return ReconstructionUnit(name: "", kind: s.kind ?? .layer, nodeIndices: s.nodes, layers: s.layers.map { graph.nodes[$0].name },
                    input: s.input, output: s.output, outputShape: graph.sampleShapes[s.output] ?? [],
                    parameters: s.layers.reduce(0) { $0 + graph.parameterCount(ofNode: $1) },
                    macs: s.layers.reduce(0) { $0 + graph.macs(ofNode: $1) })
    }
}

extension [ReconstructionUnit] {
    /// Names units: "stem", "head", blocks "block1"…, lone layers by their layer's name.
    fileprivate func numbered() -> [ReconstructionUnit] {
        var block = 0
        return map { unit in
            var unit = unit
            switch unit.kind {
            case .stem: unit.name = "stem"
            case .head: unit.name = "head"
            case .layer: unit.name = unit.layers.first ?? "layer"
            default:
                block += 1
                unit.name = "block\(block)"
            }
            return unit
        }
    }
}
