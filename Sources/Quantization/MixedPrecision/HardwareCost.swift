import Network

/// The cost of a bit configuration under one `HardwareMeasure`: a fixed part
/// (layers not searched, at their bits; biases) plus one term per searchable
/// layer and candidate bit width. All three measures are sums over layers, so
/// this table is exact, and the search never touches the graph.
public struct HardwareCost: Sendable, Codable, Equatable {
    public var measure: HardwareMeasure
    public var candidateBits: [Int]
    /// Cost of everything that does not depend on the searched bits.
    public var fixed: Double
    /// `perLayer[i][a]`: searchable layer i at `candidateBits[a]`.
    public var perLayer: [[Double]]

    public init(measure: HardwareMeasure, candidateBits: [Int], fixed: Double, perLayer: [[Double]]) {
        self.measure = measure
        self.candidateBits = candidateBits
        self.fixed = fixed
        self.perLayer = perLayer
    }

    public struct MissingEntries: Error, CustomStringConvertible {
        public var entries: [String]
        public var description: String {
            let shown = entries.prefix(5).joined(separator: ", ")
            return "the latency table lacks \(entries.count) entr\(entries.count == 1 ? "y" : "ies") (layer@bits): \(shown)\(entries.count > 5 ? ", …" : "")"
        }
    }

    /// Size in bits: weights × weight bits; biases count as 32-bit.
    public static func size(graph: Graph, space: SearchSpace, candidateBits: [Int]) -> HardwareCost {
        var fixed = 0.0
        for node in graph.nodes where node.operation.isParametric {
            let (weights, biases) = counts(node)
            fixed += Double(biases * 32)
            if let b = space.fixedLayers[node.name] { fixed += Double(weights * b) }
        }
        let perLayer = space.layers.map { name in
            let weights = counts(graph.node(named: name)!).weights
            return candidateBits.map { Double(weights * $0) }
        }
        return HardwareCost(measure: .size, candidateBits: candidateBits, fixed: fixed, perLayer: perLayer)
    }

    /// BOPs per image: MACs × weight bits × the bits of the layer's input
    /// (32 where the input is not quantized: the image, or an A32 run).
    public static func bops(graph: Graph, space: SearchSpace, candidateBits: [Int],
                            inputActivationBits: (String) -> Int) -> HardwareCost {
        var fixed = 0.0
        for (index, node) in graph.nodes.enumerated() {
            if let b = space.fixedLayers[node.name] {
                fixed += Double(graph.macs(ofNode: index) * b * inputActivationBits(node.name))
            }
        }
        let perLayer = space.layers.map { name in
            let macs = graph.macs(ofNode: graph.nodeIndex(named: name)!)
            let a = inputActivationBits(name)
            return candidateBits.map { Double(macs * $0 * a) }
        }
        return HardwareCost(measure: .bops, candidateBits: candidateBits, fixed: fixed, perLayer: perLayer)
    }

    /// BOPs with each layer's input bits as a run with `configuration` places them.
    public static func bops(graph: Graph, space: SearchSpace, candidateBits: [Int],
                            configuration: QuantizationConfiguration) -> HardwareCost {
        let model = QuantizedModel.initial(graph: graph, configuration: configuration)
        return bops(graph: graph, space: space, candidateBits: candidateBits) { model.inputActivationBits(ofLayer: $0) }
    }

    /// Latency from a lookup table; throws when an entry the search needs is missing.
    public static func latency(table: LatencyTable, space: SearchSpace, candidateBits: [Int]) throws(MissingEntries) -> HardwareCost {
        var missing: [String] = []
        var fixed = 0.0
        for (name, b) in space.fixedLayers.sorted(by: { $0.key < $1.key }) {
            if let t = table.latency(layer: name, bits: b) { fixed += t } else { missing.append("\(name)@\(b)") }
        }
        let perLayer = space.layers.map { name in
            candidateBits.map { b -> Double in
                if let t = table.latency(layer: name, bits: b) { return t }
                missing.append("\(name)@\(b)")
                return 0
            }
        }
        if !missing.isEmpty { throw MissingEntries(entries: missing) }
        return HardwareCost(measure: .latency, candidateBits: candidateBits, fixed: fixed, perLayer: perLayer)
    }

    /// Cost of a configuration given as indices into `candidateBits`.
    public func cost(bitIndices: [Int]) -> Double {
        var total = fixed
        for i in bitIndices.indices { total += perLayer[i][bitIndices[i]] }
        return total
    }

    /// Cost with every searchable layer at `bits` (must be a candidate).
    public func uniformCost(bits: Int) -> Double? {
        guard let a = candidateBits.firstIndex(of: bits) else { return nil }
        return cost(bitIndices: [Int](repeating: a, count: perLayer.count))
    }

    private static func counts(_ node: Node) -> (weights: Int, biases: Int) {
        switch node.operation {
        case .convolution(let p): return (p.weight.count, p.bias.count)
        case .linear(let p): return (p.weight.count, p.bias.count)
        default: return (0, 0)
        }
    }
}
