/// One operation of a reconstruction unit with the operands it reads: what a
/// block diagram draws. Taken from the graph's edges, never from names, so a
/// skip path (with or without its own downsample convolution) is where the
/// graph has it. Recorded in the session's event (`UnitInfo.nodes`).
public struct UnitNode: Sendable, Codable, Equatable {
    /// The node's name in the graph (for conv/linear, the layer's name).
    public var name: String
    /// Short operation text: "conv 3x3", "conv 1x1 /2", "dwconv 3x3", "linear",
    /// "relu", "add", "gap"… (ASCII, so it reads in any charset).
    public var op: String
    /// Per operand, where it comes from: -1 for the unit's input, otherwise
    /// the index of an earlier node of the unit. Constant operands are left out.
    public var inputs: [Int]
    /// Whether the node has weights (conv or linear): a layer with bits.
    public var isLayer: Bool

    public init(name: String, op: String, inputs: [Int], isLayer: Bool) {
        self.name = name; self.op = op; self.inputs = inputs; self.isLayer = isLayer
    }
}

extension Graph {
    /// The unit's nodes in execution order with the operands each reads.
    public func structure(of unit: ReconstructionUnit) -> [UnitNode] {
        var localIndex: [String: Int] = [:]
        var result: [UnitNode] = []
        for i in unit.nodeIndices {
            let node = nodes[i]
            let inputs = node.inputs.compactMap { tensor -> Int? in
                if let local = localIndex[tensor] { return local }
                return tensor == unit.input ? -1 : nil
            }
            localIndex[node.output] = result.count
            result.append(UnitNode(name: node.name, op: Self.shortName(node.operation), inputs: inputs,
                                   isLayer: node.operation.isParametric))
        }
        return result
    }

    static func shortName(_ operation: Operation) -> String {
        switch operation {
        case .convolution(let p):
            let stride = p.strideHeight > 1 || p.strideWidth > 1
                ? " /\(p.strideHeight == p.strideWidth ? "\(p.strideHeight)" : "\(p.strideHeight)x\(p.strideWidth)")" : ""
            return "\(p.isDepthwise ? "dwconv" : "conv") \(p.kernelHeight)x\(p.kernelWidth)\(stride)"
        case .linear: return "linear"
        case .relu: return "relu"
        case let .clip(lo, hi): return lo == 0 && hi == 6 ? "relu6" : "clip"
        case .smooth(let f): return f.onnxName.lowercased()
        case .add: return "add"
        case .mul: return "mul"
        case .concat: return "concat"
        case .maxPool: return "maxpool"
        case .averagePool: return "avgpool"
        case .globalAveragePool: return "gap"
        case .flatten: return "flatten"
        case .reshape: return "reshape"
        }
    }
}
