import Foundation
import Network
import Tensor

/// Runs the FP or a quantized model over the first N test images. FP logits
/// are computed once and kept, so repeated evaluations during a run only pay
/// for the quantized forward pass.
public final class Evaluator {
    public let graph: Graph
    public let images: Tensor
    public let labels: [Int]
    public let batchSize: Int
    private var fpLogits: Tensor?

    public init(graph: Graph, images: Tensor, labels: [Int], batchSize: Int = 100) {
        precondition(images.shape[0] == labels.count, "\(images.shape[0]) images, \(labels.count) labels")
        self.graph = graph
        self.images = images
        self.labels = labels
        self.batchSize = batchSize
    }

    /// The FP model's metrics on the first `count` images (all when nil).
    public func evaluateFP(images count: Int? = nil) -> EvaluationResult {
        let n = min(count ?? labels.count, labels.count)
        let logits = QuantizationSession.rows(of: fp(), 0..<n)
        return EvaluationResult(model: .fp, hits: Self.hits(logits: logits, labels: Array(labels[0..<n])))
    }

    /// A quantized model's metrics (committed weights, active activation quantizers);
    /// `subject` says how far its reconstruction had come.
    public func evaluate(_ model: QuantizedModel, as subject: EvaluationSubject = .quantized(nil), images count: Int? = nil) -> EvaluationResult {
        let n = min(count ?? labels.count, labels.count)
        let executor = GraphExecutor(graph: graph)
        model.install(in: executor)
        let logits = QuantizationSession.run(executor, on: QuantizationSession.rows(of: images, 0..<n), chunk: batchSize)
        // KL is never negative; float32 rounding of two near-equal log-softmaxes can make it -1e-9,
        // which would print as "KL -0.00000".
        let kl = max(0, Double(KLDivergence.forward(targetLogits: QuantizationSession.rows(of: fp(), 0..<n), logits: logits)))
        return EvaluationResult(model: subject, hits: Self.hits(logits: logits, labels: Array(labels[0..<n])), kl: kl)
    }

    private func fp() -> Tensor {
        if let fpLogits { return fpLogits }
        let executor = GraphExecutor(graph: graph)
        let logits = QuantizationSession.run(executor, on: images, chunk: batchSize)
        fpLogits = logits
        return logits
    }

    private static func hits(logits: Tensor, labels: [Int]) -> EvaluationResult.Hits {
        var hits = EvaluationResult.Hits()
        hits.count(logits: logits.data, classes: logits.shape[1], labels: labels)
        return hits
    }
}
