import Network
import Tensor

/// What is quantized in one forward pass of the analysis: layers whose
/// weights are replaced by their dequantized values, and tensors whose
/// activation quantizer is on. Everything not named stays FP.
struct QuantizedParts {
    var weights: [String: Tensor] = [:]
    var activations: [String: LearnedStepActivationQuantizer] = [:]

    static let none = QuantizedParts()

    /// The whole model as it stands: committed weights, every active activation quantizer.
    init(model: QuantizedModel, graph: Graph) {
        for layer in model.layers {
            guard let node = graph.node(named: layer.layer) else { continue }
            weights[layer.layer] = layer.dequantized(shape: QuantizedModel.weight(of: node).shape)
        }
        for a in model.activations where a.isActive { activations[a.tensor] = a.quantizer! }
    }

    init(weights: [String: Tensor] = [:], activations: [String: LearnedStepActivationQuantizer] = [:]) {
        self.weights = weights
        self.activations = activations
    }
}

/// The analysis's only use of the segment executor: a block's inner tensors
/// and the network's logits from a block's input, with chosen parts quantized.
///
/// Kept in one small file on purpose: the executor's API is being reshaped,
/// and everything else in Analysis speaks in blocks, tensors and `QuantizedParts`.
final class LayerOutputTap {
    let graph: Graph
    /// Block units: contiguous, each reading the previous one's output.
    let blocks: [ReconstructionUnit]

    init(graph: Graph) {
        self.graph = graph
        self.blocks = graph.blockUnits()
    }

    /// Value of `tensor`, produced inside block `block`, for the batch `input`
    /// of that block. An activation quantizer on `tensor` itself is not
    /// applied (the value it sees); those on earlier tensors in the block are.
    func value(of tensor: String, inBlock block: Int, input: Tensor, parts: QuantizedParts) -> Tensor {
        run(block, through: graph.producerIndex(of: tensor)!, input: input, parts: parts, quantizesLast: false)
    }

    /// Block `block`'s output (with its output quantizer, if `parts` has one).
    func output(ofBlock block: Int, input: Tensor, parts: QuantizedParts) -> Tensor {
        run(block, through: blocks[block].nodeRange!.upperBound - 1, input: input, parts: parts, quantizesLast: true)
    }

    /// The logits from block `block`'s input through the end of the network.
    func logits(fromBlock block: Int, input: Tensor, parts: QuantizedParts) -> Tensor {
        run(block, through: graph.nodes.count - 1, input: input, parts: parts, quantizesLast: true)
    }

    /// Nodes from block `block`'s first through node `last`.
    private func run(_ block: Int, through last: Int, input: Tensor, parts: QuantizedParts, quantizesLast: Bool) -> Tensor {
        let range = blocks[block].nodeRange!.lowerBound..<(last + 1)
        // A fresh executor per pass: cached ones would each hold batch-sized buffers.
        let executor = GraphExecutor(graph: graph, nodes: range, retainsIntermediates: false)
        for i in range {
            let node = graph.nodes[i]
            if let w = parts.weights[node.name] { executor.setWeight(w, ofNode: i) }
            let quantizer = (quantizesLast || i + 1 < range.upperBound) ? parts.activations[node.output] : nil
            executor.setActivationQuantizer(quantizer.map { ActivationQuantizerSlot($0) }, ofNode: i)
        }
        executor.setInput(input)
        var random = Random.unused   // inference: no QDrop
        executor.forward(random: &random)
        return executor.output
    }
}
