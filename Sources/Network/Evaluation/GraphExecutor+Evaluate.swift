import Tensor

extension GraphExecutor {
    /// Classifies `data` in batches and counts top-1/top-5 hits, reading one
    /// batch of images at a time (decoded per batch for a large image folder).
    /// Throws a `GraphError` for a model that is no classifier, a
    /// `DatasetError` for an image file that cannot be decoded.
    /// `progress` is called after each batch with (done, total).
    public func evaluate(_ data: EvaluationSet, batchSize: Int = 256, weights: [String: LayerWeights] = [:],
                         progress: ((Int, Int) -> Void)? = nil) throws -> EvaluationResult.Hits {
        var hits = EvaluationResult.Hits()
        var start = 0
        while start < data.count {
            let range = start..<min(start + max(batchSize, 1), data.count)
            try graph.checkBatch(range.count)
            let outputs = try run(feeding: [graph.input: try data.images(range)], returning: [graph.output], weights: weights)
            guard let logits = outputs[graph.output], logits.rank == 2 else {
                throw GraphError.shapeMismatch(node: graph.output,
                                               detail: "a classifier must output [N, classes], got \(outputs[graph.output]?.shape ?? [])")
            }
            let classes = logits.shape[1]
            if let label = data.labels[range].first(where: { !(0..<classes).contains($0) }) {
                throw GraphError.shapeMismatch(node: graph.output, detail: "label \(label) has no score among the model's \(classes) classes")
            }
            hits.count(logits: logits.data, classes: logits.shape[1], labels: Array(data.labels[range]))
            start = range.upperBound
            progress?(start, data.count)
        }
        return hits
    }
}
