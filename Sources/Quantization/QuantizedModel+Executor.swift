import Network
import Tensor

extension QuantizedModel {
    /// Puts this model into `executor` over its nodes: the committed weights
    /// (dequantized) of every quantized layer and the active activation quantizers.
    public func install(in executor: GraphExecutor) {
        let graph = executor.graph
        for i in executor.nodes {
            let node = graph.nodes[i]
            if node.operation.isParametric, let layer = layer(named: node.name) {
                executor.setWeight(layer.dequantized(shape: QuantizedModel.weight(of: node).shape), ofNode: i)
            }
            if let a = activations.first(where: { $0.tensor == node.output }), a.isActive {
                executor.setActivationQuantizer(ActivationQuantizerSlot(a.quantizer!), ofNode: i)
            }
        }
    }
}
