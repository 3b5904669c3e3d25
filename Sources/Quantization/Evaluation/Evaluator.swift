import Foundation
import Network
import Tensor

/// Runs the FP or a quantized model over the first N test images. FP logits
/// are computed once and kept, so repeated evaluations during a run only pay
/// for the quantized forward pass. Images are read from `images` one batch at
/// a time (decoded per batch for a large image folder), so what stays in
/// memory between evaluations is the labels and the FP logits, not the images.
public final class Evaluator {
    public let graph: Graph
    public let images: EvaluationSet
    public let batchSize: Int
    private var fpLogits: Tensor?

    public init(graph: Graph, images: EvaluationSet, batchSize: Int = 100) {
        self.graph = graph
        self.images = images
        self.batchSize = max(batchSize, 1)
    }

    /// Images already in memory.
    public convenience init(graph: Graph, images: Tensor, labels: [Int], batchSize: Int = 100) {
        self.init(graph: graph, images: EvaluationSet(LabeledImages(images: images, labels: labels)), batchSize: batchSize)
    }

    public var labels: [Int] { images.labels }

    /// The FP model's metrics on the first `count` images (all when nil).
    public func evaluateFP(images count: Int? = nil) throws(DatasetError) -> EvaluationResult {
        let n = min(count ?? labels.count, labels.count)
        let logits = QuantizationSession.rows(of: try fp(), 0..<n)
        return EvaluationResult(model: .fp, hits: Self.hits(logits: logits, labels: Array(labels[0..<n])))
    }

    /// A quantized model's metrics (committed weights, active activation quantizers);
    /// `subject` says how far its reconstruction had come.
    public func evaluate(_ model: QuantizedModel, as subject: EvaluationSubject = .quantized(nil),
                         images count: Int? = nil) throws(DatasetError) -> EvaluationResult {
        let n = min(count ?? labels.count, labels.count)
        let executor = GraphExecutor(graph: graph)
        model.install(in: executor)
        let logits = try run(executor, rows: n)
        // KL is never negative; float32 rounding of two near-equal log-softmaxes can make it -1e-9,
        // which would print as "KL -0.00000".
        let kl = max(0, Double(KLDivergence.forward(targetLogits: QuantizationSession.rows(of: try fp(), 0..<n), logits: logits)))
        return EvaluationResult(model: subject, hits: Self.hits(logits: logits, labels: Array(labels[0..<n])), kl: kl)
    }

    private func fp() throws(DatasetError) -> Tensor {
        if let fpLogits { return fpLogits }
        let logits = try run(GraphExecutor(graph: graph), rows: labels.count)
        fpLogits = logits
        return logits
    }

    /// The logits of the first `n` images, `[n, classes]`, reading one batch of
    /// images at a time; batches start at multiples of `batchSize`, as one
    /// chunked pass over held images would run them.
    private func run(_ executor: GraphExecutor, rows n: Int) throws(DatasetError) -> Tensor {
        var result: Tensor?
        var start = 0
        while start < n {
            let rows = start..<min(n, start + batchSize)
            let out = QuantizationSession.run(executor, on: try images.images(rows), chunk: batchSize)
            if result == nil { result = Tensor(zeros: [n] + Array(out.shape.dropFirst())) }
            out.data.withUnsafeBufferPointer { src in
                result!.data.withUnsafeMutableBufferPointer { dst in
                    (dst.baseAddress! + rows.lowerBound * src.count / rows.count).update(from: src.baseAddress!, count: src.count)
                }
            }
            start = rows.upperBound
        }
        return result ?? Tensor(zeros: [0, 0])
    }

    private static func hits(logits: Tensor, labels: [Int]) -> EvaluationResult.Hits {
        var hits = EvaluationResult.Hits()
        hits.count(logits: logits.data, classes: logits.shape[1], labels: labels)
        return hits
    }
}
