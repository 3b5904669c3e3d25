import Network
import Tensor

extension QuantizedModel {
    /// Round-to-nearest on the L_p-searched per-channel grids, activation
    /// quantizers placed but not yet calibrated.
    public static func initial(graph: Graph, configuration: QuantizationConfiguration) -> QuantizedModel {
        let blocks = graph.blockUnits()
        let parametric = graph.nodes.indices.filter { graph.nodes[$0].operation.isParametric }
        let stemLayers = Set(blocks.filter { $0.kind == .stem }.flatMap(\.layers))
        let firstLayer = parametric.first.map { graph.nodes[$0].name }
        let classifier = graph.nodes.last { if case .linear = $0.operation { return true } else { return false } }?.name
        var layers: [LayerQuantization] = []
        for i in parametric {
            let node = graph.nodes[i]
            let isEdge = stemLayers.contains(node.name) || node.name == firstLayer || node.name == classifier
            let bits = configuration.layerWeightBits[node.name] ?? (isEdge ? configuration.firstLastBits : configuration.weightBits)
            layers.append(roundToNearest(layer: node.name, weight: Self.weight(of: node), bits: bits))
        }
        var activations = ActivationPlacement.place(graph: graph, units: blocks, activationBits: configuration.activationBits,
                                                    stemBits: configuration.firstLastBits, classifierBits: configuration.firstLastBits)
        for (layer, bits) in configuration.layerActivationBits {
            if let k = activations.firstIndex(where: { $0.readers.contains(layer) }) { activations[k].bits = bits }
        }
        return QuantizedModel(layers: layers, activations: activations)
    }

    /// A layer on its L_p grid with round-to-nearest levels.
    public static func roundToNearest(layer: String, weight: Tensor, bits: Int) -> LayerQuantization {
        let grid = LpRangeSearch().fit(weight.data, channels: weight.shape[0], bits: bits)
        return LayerQuantization(layer: layer, grid: grid, levels: grid.levels(weight.data), rounding: .nearest)
    }

    static func weight(of node: Node) -> Tensor {
        switch node.operation {
        case .convolution(let p): return p.weight
        case .linear(let p): return p.weight
        default: preconditionFailure("\(node.name) has no weights")
        }
    }
}
