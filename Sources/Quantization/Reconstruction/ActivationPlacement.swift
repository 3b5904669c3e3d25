import Network

/// Where activation quantizers go, decided from the graph and its structural units.
///
/// - the output of every unit except the last (head), after its add and ReLU;
///   the stem's at 8 bits;
/// - inside a unit, every tensor a conv/linear reads that the unit computes
///   itself (the activation after an inner conv). The last conv of a block and
///   a shortcut conv feed the add, not a layer, so they get none;
/// - the tensor the classifier (the last linear layer) reads: 8 bits, wherever
///   it is — after the pooling and flatten, so the classifier's input really is
///   8-bit (the reference code sets 8 bits on a disabled quantizer there);
/// - never the image input nor the logits.
/// Placement uses the finest units (layers and blocks), so it does not change
/// with the reconstruction granularity.
public enum ActivationPlacement {
    /// `units` are the graph's block-granularity units (`Graph.blockUnits()`).
    public static func place(graph: Graph, units: [ReconstructionUnit], activationBits: Int,
                             stemBits: Int = 8, classifierBits: Int = 8) -> [ActivationQuantization] {
        var roles: [String: ActivationQuantization.Role] = [:]
        for (k, unit) in units.enumerated() {
            let output = unit.output
            if k < units.count - 1 && !graph.outputs.contains(output) {
                roles[output] = unit.kind == .stem ? .stemOutput : .unitOutput
            }
            let input = unit.input
            for i in unit.nodeIndices where graph.nodes[i].operation.isParametric {
                let read = graph.nodes[i].inputs[0]
                if read != input && !graph.inputs.contains(read) && roles[read] == nil { roles[read] = .inner }
            }
        }
        if let classifier = graph.nodes.lastIndex(where: { if case .linear = $0.operation { return true } else { return false } }) {
            let read = graph.nodes[classifier].inputs[0]
            if !graph.inputs.contains(read) { roles[read] = .classifierInput }
        }
        var result: [ActivationQuantization] = []
        for node in graph.nodes {
            guard let role = roles[node.output] else { continue }
            let readers = graph.consumerIndices(of: node.output)
                .filter { graph.nodes[$0].operation.isParametric }
                .map { graph.nodes[$0].name }
            let bits: Int
            if activationBits >= 32 { bits = 32 }
            else if role == .stemOutput { bits = stemBits }
            else if role == .classifierInput { bits = classifierBits }
            else { bits = activationBits }
            result.append(ActivationQuantization(tensor: node.output, role: role, readers: readers, bits: bits, quantizer: nil))
        }
        return result
    }
}
