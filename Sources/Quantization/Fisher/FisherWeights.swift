import Network
import Tensor

/// BRECQ's diagonal Fisher weights for a unit's output: `g = |∂L/∂z| + 1`,
/// `L = KL(softmax(FP logits) ‖ softmax(quantized logits))`.
///
/// z is the unit's output in the model quantized up to and including the unit
/// (its weights rounded to nearest, as the reference's `quantize_model_till`
/// with AdaRound not yet trained); everything after the unit is FP. The
/// gradient is taken by a backward pass through the rest of the network — no
/// labels. As in the reference (`F.kl_div(..., reduction='batchmean')` over
/// batches of 32), each example's gradient carries a factor 1/32; the +1 is
/// the reference's damping. One value per calibration example and output
/// element, computed once per unit, stored as the session's caches are.
enum FisherWeights {
    /// The reference computes the KL as a mean over batches of this size.
    static let referenceBatchSize = 32

    static func compute(session: QuantizationSession, unitRange: Range<Int>, inputName: String, inputs: ActivationCache,
                        withActivations: Bool) -> ActivationCache {
        let graph = session.graph
        let unitExecutor = session.makeExecutor(nodes: unitRange, input: inputName, quantized: true)
        if !withActivations { for i in unitRange { unitExecutor.setActivationQuantizer(nil, ofNode: i) } }
        let n = inputs.rows
        let restRange = unitRange.upperBound..<graph.nodes.count
        let rest = restRange.isEmpty ? nil
            : GraphExecutor(graph: graph, nodes: restRange, retainsIntermediates: true)
        var weights: ActivationCache? = nil
        let classes = session.fpLogits.shape[1]
        let scale = 1 / Float(referenceBatchSize)
        var random = Random.unused
        var start = 0
        while start < n {
            let end = min(n, start + referenceBatchSize)
            let b = end - start
            var logitGradient = [Float](repeating: 0, count: b * classes)
            // The unit's outputs a batch at a time: all N of them would be another N-image buffer.
            unitExecutor.setInput(batch: b) { inputs.copyRows(start..<end, into: $0) }
            unitExecutor.forward(random: &random)
            let outputs = unitExecutor.output
            var logits: Tensor
            if let rest {
                rest.setInput(batch: b) { dst in outputs.data.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }
                rest.forward(random: &random)
                logits = rest.output
            } else {
                logits = outputs
            }
            let target = QuantizationSession.rows(of: session.fpLogits, start..<end)
            // d KL(p‖q) / d q-logits = softmax(q) − p, per example.
            let q = Softmax.forward(logits: logits), pFP = Softmax.forward(logits: target)
            for i in 0..<b * classes { logitGradient[i] = (q.data[i] - pFP.data[i]) * scale }
            let gradient: [Float]
            if let rest {
                gradient = rest.backward(outputGradient: { g in
                    logitGradient.withUnsafeBufferPointer { g.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                }, computeInputGradient: true)!.data
            } else {
                gradient = logitGradient
            }
            if weights == nil {
                weights = ActivationCache(rows: n, rowShape: Array(outputs.shape.dropFirst()), precision: session.configuration.cachePrecision)
            }
            gradient.map { abs($0) + 1 }.withUnsafeBufferPointer { weights!.store(rowsFrom: start, $0) }
            start = end
        }
        return weights!
    }
}
