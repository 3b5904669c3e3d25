import Network

/// Which layers the mixed-precision search chooses bits for, and how they
/// group into blocks (the cross terms of the sensitivity live inside blocks).
///
/// The stem, the first conv/linear layer and the classifier are not searched:
/// they stay at `firstLastBits` (8), as in every BRECQ run — the reference
/// document notes that keeping them at 8 bits matters a lot. Everything else
/// (block convs, shortcut convs, lone layers such as MobileNetV2's last 1×1
/// conv) is searchable.
public struct SearchSpace: Sendable, Codable, Equatable {
    /// Searchable conv/linear layers, in graph order.
    public var layers: [String]
    /// Index into `units` of the unit holding each searchable layer.
    public var unitOfLayer: [Int]
    /// Names of the block-granularity units that hold searchable layers, in graph order.
    public var units: [String]
    /// Layers not searched, with the weight bits they keep.
    public var fixedLayers: [String: Int]

    public init(layers: [String], unitOfLayer: [Int], units: [String], fixedLayers: [String: Int]) {
        precondition(layers.count == unitOfLayer.count, "one unit index per layer")
        self.layers = layers
        self.unitOfLayer = unitOfLayer
        self.units = units
        self.fixedLayers = fixedLayers
    }

    /// The search space of `graph`: the same edge rule as `QuantizedModel.initial`.
    public init(graph: Graph, firstLastBits: Int = 8) {
        let blocks = graph.blockUnits()
        let parametric = graph.nodes.filter { $0.operation.isParametric }.map(\.name)
        let stemLayers = Set(blocks.filter { $0.kind == .stem }.flatMap(\.layers))
        let classifier = graph.nodes.last { if case .linear = $0.operation { return true } else { return false } }?.name
        var edge = stemLayers
        if let first = parametric.first { edge.insert(first) }
        if let classifier { edge.insert(classifier) }
        var layers: [String] = [], unitOfLayer: [Int] = [], units: [String] = []
        for block in blocks {
            let searchable = block.layers.filter { !edge.contains($0) }
            guard !searchable.isEmpty else { continue }
            units.append(block.name)
            for layer in searchable {
                layers.append(layer)
                unitOfLayer.append(units.count - 1)
            }
        }
        var fixed: [String: Int] = [:]
        for name in parametric where edge.contains(name) { fixed[name] = firstLastBits }
        self.init(layers: layers, unitOfLayer: unitOfLayer, units: units, fixedLayers: fixed)
    }

    public var count: Int { layers.count }

    public func index(of layer: String) -> Int? { layers.firstIndex(of: layer) }

    /// Searchable layer indices grouped by unit, in order.
    public var layersByUnit: [[Int]] {
        var groups = [[Int]](repeating: [], count: units.count)
        for (i, u) in unitOfLayer.enumerated() { groups[u].append(i) }
        return groups
    }
}
