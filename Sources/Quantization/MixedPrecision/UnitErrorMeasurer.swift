import Network
import Tensor

/// One unit's output error on cached inputs with chosen layers' weights
/// replaced: the inner loop of `SensitivityAnalysis`.
///
/// The executor starts from the session's view of the unit (activation
/// quantizers active, edge layers at their fixed bits), with every searchable
/// layer put back to FP; `error(replacing:)` swaps in rounded weights for the
/// named layers, runs all inputs and restores FP.
final class UnitErrorMeasurer {
    private let executor: GraphExecutor
    private let inputs: Tensor
    private let targets: Tensor
    private let fisher: OutputFisher?
    /// Graph node index and FP weights of each searchable layer, in `layers` order.
    private let slots: [(node: Int, fp: Tensor)]
    private let batch = 64

    init(session: QuantizationSession, range: Range<Int>, input: String, inputs: Tensor, targets: Tensor,
         fisher: OutputFisher?, layers: [String]) {
        let executor = session.makeExecutor(nodes: range, input: input, quantized: true)
        var slots: [(Int, Tensor)] = []
        for name in layers {
            let index = session.graph.nodeIndex(named: name)!
            let fp = QuantizedModel.weight(of: session.graph.nodes[index])
            executor.setWeight(fp, ofNode: index)
            slots.append((index, fp))
        }
        self.executor = executor
        self.inputs = inputs
        self.targets = targets
        self.fisher = fisher
        self.slots = slots
    }

    /// With the output Fisher: the mean over examples of its estimate of the KL
    /// at the network's output, ½ Δzᵀ F Δz (nats). Without (`.mse`): the mean
    /// over examples and positions of Σ_channels (ŷ − y)². `replacing[m]` is
    /// the weights of the m-th searchable layer.
    func error(replacing: [Int: Tensor]) -> Double {
        for (m, w) in replacing { executor.setWeight(w, ofNode: slots[m].node) }
        defer { for m in replacing.keys { executor.setWeight(slots[m].fp, ofNode: slots[m].node) } }
        let n = inputs.shape[0]
        let per = inputs.count / n
        let outPer = targets.count / n
        let channels = targets.shape.count > 1 ? targets.shape[1] : 1
        var random = Random.unused
        var deviation: [Float] = []
        var total: Double = 0
        var start = 0
        while start < n {
            let end = min(n, start + batch)
            executor.setInput(batch: end - start) { dst in
                inputs.data.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress! + start * per, count: (end - start) * per) }
            }
            executor.forward(random: &random)
            let output = executor.output
            targets.data.withUnsafeBufferPointer { t in
                let target = UnsafeBufferPointer(rebasing: t[start * outPer..<end * outPer])
                output.data.withUnsafeBufferPointer { y in
                    if let fisher {
                        deviation.removeAll(keepingCapacity: true)
                        for i in 0..<y.count { deviation.append(y[i] - target[i]) }
                        total += deviation.withUnsafeBufferPointer { fisher.error(images: start, deviation: $0) }
                    } else {
                        total += ReconstructionLoss.evaluate(prediction: y, target: target, fisher: nil, p: 2,
                                                             channels: channels, gradient: nil) * Double(end - start)
                    }
                }
            }
            start = end
        }
        return total / Double(n)
    }
}
