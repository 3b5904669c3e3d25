import Tensor

extension GraphExecutor {
    /// Classifies `data` in batches and counts top-1/top-5 hits.
    /// `progress` is called after each batch with (done, total).
    public mutating func evaluate(_ data: LabeledImages, batchSize: Int = 256, weights: [String: LayerWeights] = [:],
                                  activationHook: ActivationHook? = nil,
                                  progress: ((Int, Int) -> Void)? = nil) throws(GraphError) -> EvaluationResult {
        var result = EvaluationResult()
        var start = 0
        while start < data.count {
            let range = start..<min(start + max(batchSize, 1), data.count)
            try graph.checkBatch(range.count)
            let outputs = try run(feeding: [graph.input: data.images(range)], returning: [graph.output],
                                  weights: weights, activationHook: activationHook)
            guard let logits = outputs[graph.output], logits.rank == 2 else {
                throw .shapeMismatch(node: graph.output, detail: "a classifier must output [N, classes], got \(outputs[graph.output]?.shape ?? [])")
            }
            result.accumulate(logits: logits.data, classes: logits.shape[1], labels: Array(data.labels[range]))
            start = range.upperBound
            progress?(start, data.count)
        }
        return result
    }
}
