import Network
import Tensor

/// Which layers and tensors an analysis measures, and in which block each sits.
struct AnalysisPlan {
    struct Activation {
        var tensor: String
        var quantizer: LearnedStepActivationQuantizer
        /// The block of the layers reading it (the tensor is that block's input or made inside it).
        var block: Int
    }

    struct Layer {
        var name: String
        /// Its output tensor.
        var output: String
        var block: Int
        /// The active quantizer on its input, if any.
        var activation: Activation?
    }

    /// Reported layers, in graph order.
    let layers: [Layer]
    /// Distinct quantized input tensors of the reported layers.
    let activations: [Activation]
    /// The model as analysed: the reported layers' weights and every active activation quantizer.
    let whole: QuantizedParts

    init(graph: Graph, model: QuantizedModel, blocks: [ReconstructionUnit], settings: AnalysisSettings) {
        var whole = QuantizedParts(model: model, graph: graph)
        if let only = settings.layers { whole.weights = whole.weights.filter { only.contains($0.key) } }
        var blockOfNode = [Int: Int]()
        for (b, block) in blocks.enumerated() { for i in block.nodeIndices { blockOfNode[i] = b } }
        var layers: [Layer] = [], activations: [Activation] = []
        for quantization in model.layers where settings.layers?.contains(quantization.layer) ?? true {
            guard let index = graph.nodeIndex(named: quantization.layer), let b = blockOfNode[index] else { continue }
            var activation: Activation?
            if let a = model.inputActivation(ofLayer: quantization.layer), a.isActive {
                activation = Activation(tensor: a.tensor, quantizer: a.quantizer!, block: b)
                if !activations.contains(where: { $0.tensor == a.tensor }) { activations.append(activation!) }
            }
            layers.append(Layer(name: quantization.layer, output: graph.nodes[index].output, block: b, activation: activation))
        }
        self.layers = layers
        self.activations = activations
        self.whole = whole
    }
}
