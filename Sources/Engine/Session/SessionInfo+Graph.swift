import Network
import Quantization

extension UnitInfo {
    init(index: Int, unit: ReconstructionUnit, graph: Graph) {
        self.init(index: index, name: unit.name, kind: unit.kind.rawValue, layers: unit.layers,
                  outputShape: unit.outputShape, params: unit.parameters, macs: unit.macs, nodes: graph.structure(of: unit))
    }
}

extension LayerInfo {
    /// Every conv/linear layer of the graph with the unit that reconstructs it and its current bits.
    static func all(graph: Graph, units: [ReconstructionUnit], model: QuantizedModel,
                    locked: Set<String>) -> [LayerInfo] {
        var unitOfLayer: [String: Int] = [:]
        for (k, unit) in units.enumerated() { for layer in unit.layers { unitOfLayer[layer] = k } }
        return graph.nodes.indices.compactMap { i -> LayerInfo? in
            let node = graph.nodes[i]
            let kind: String
            switch node.operation {
            case .convolution(let p): kind = p.isDepthwise ? "depthwise" : "conv"
            case .linear: kind = "linear"
            default: return nil
            }
            return LayerInfo(name: node.name, unit: unitOfLayer[node.name] ?? -1, kind: kind,
                             params: graph.parameterCount(ofNode: i), macs: graph.macs(ofNode: i),
                             wbits: model.layer(named: node.name)?.bits ?? 32,
                             abits: model.inputActivationBits(ofLayer: node.name), locked: locked.contains(node.name))
        }
    }
}
