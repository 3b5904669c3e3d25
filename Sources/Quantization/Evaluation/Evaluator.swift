import Foundation
import Network
import Tensor

/// Top-1 / top-5 accuracy and mean KL(FP softmax ‖ quantized softmax) on test images.
public struct EvaluationMetrics: Sendable, Codable, Equatable {
    public var images: Int
    /// Percent.
    public var top1: Double
    /// Percent.
    public var top5: Double
    /// Mean over images of KL(FP ‖ quantized), nats; nil for the FP model itself.
    public var meanKL: Double?
}

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
    public func evaluateFP(images count: Int? = nil) -> EvaluationMetrics {
        let n = min(count ?? labels.count, labels.count)
        let logits = QuantizationSession.rows(of: fp(), 0..<n)
        var m = Self.accuracy(logits: logits, labels: Array(labels[0..<n]))
        m.meanKL = nil
        return m
    }

    /// A quantized model's metrics (committed weights, active activation quantizers).
    public func evaluate(_ model: QuantizedModel, images count: Int? = nil) -> EvaluationMetrics {
        let n = min(count ?? labels.count, labels.count)
        let executor = GraphExecutor(graph: graph)
        model.install(in: executor)
        let logits = QuantizationSession.run(executor, on: QuantizationSession.rows(of: images, 0..<n), chunk: batchSize)
        var m = Self.accuracy(logits: logits, labels: Array(labels[0..<n]))
        m.meanKL = Double(KLDivergence.forward(targetLogits: QuantizationSession.rows(of: fp(), 0..<n), logits: logits))
        return m
    }

    private func fp() -> Tensor {
        if let fpLogits { return fpLogits }
        let executor = GraphExecutor(graph: graph)
        let logits = QuantizationSession.run(executor, on: images, chunk: batchSize)
        fpLogits = logits
        return logits
    }

    static func accuracy(logits: Tensor, labels: [Int]) -> EvaluationMetrics {
        let n = labels.count, classes = logits.shape[1]
        var top1 = 0, top5 = 0
        for r in 0..<n {
            let row = Array(logits.data[r * classes..<(r + 1) * classes])
            let target = row[labels[r]]
            // Rank = how many classes score strictly higher than the label.
            let rank = row.reduce(0) { $0 + ($1 > target ? 1 : 0) }
            if rank == 0 { top1 += 1 }
            if rank < 5 { top5 += 1 }
        }
        return EvaluationMetrics(images: n, top1: 100 * Double(top1) / Double(n), top5: 100 * Double(top5) / Double(n), meanKL: nil)
    }
}
