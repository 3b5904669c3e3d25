/// Top-1 / top-5 accuracy of one model on a labelled set, and how far its
/// predictions are from the FP model's: what `brecq eval` prints, what a
/// session's evaluation emits (the event log's `evaluation` line), what a
/// checkpoint keeps of the FP model and what a summary reports.
///
/// The percentages are stored, not the hit counts: recordings hold only the
/// percentages, and they must replay unchanged.
public struct EvaluationResult: Sendable, Codable, Equatable {
    public var model: EvaluationSubject
    public var images: Int
    /// Percent.
    public var top1: Double
    /// Percent.
    public var top5: Double
    /// Mean over images of KL(FP softmax ‖ this model's softmax), nats; nil for the FP model itself.
    public var kl: Double?

    public init(model: EvaluationSubject, images: Int, top1: Double, top5: Double, kl: Double? = nil) {
        self.model = model; self.images = images; self.top1 = top1; self.top5 = top5; self.kl = kl
    }

    /// The percentages of counted hits (0 for an empty set).
    public init(model: EvaluationSubject, hits: Hits, kl: Double? = nil) {
        self.init(model: model, images: hits.images, top1: hits.top1Percent, top5: hits.top5Percent, kl: kl)
    }
}

extension EvaluationResult {
    /// Top-1 and top-5 hits counted batch by batch: the one place a label's rank is computed.
    public struct Hits: Sendable, Equatable {
        public var images: Int
        public var top1: Int
        public var top5: Int

        public init(images: Int = 0, top1: Int = 0, top5: Int = 0) {
            self.images = images; self.top1 = top1; self.top5 = top5
        }

        public var top1Percent: Double { images == 0 ? 0 : 100 * Double(top1) / Double(images) }
        public var top5Percent: Double { images == 0 ? 0 : 100 * Double(top5) / Double(images) }

        /// Adds one batch of logits `[N, classes]` (row-major) against their labels.
        public mutating func count(logits: [Float], classes: Int, labels: [Int]) {
            for (row, label) in labels.enumerated() {
                // A label the model has no score for is a miss, not an index out of range.
                guard (0..<classes).contains(label), (row + 1) * classes <= logits.count else { continue }
                let scores = logits[(row * classes)..<((row + 1) * classes)]
                let target = scores[scores.startIndex + label]
                // The label's rank is the number of classes scoring strictly higher.
                let higher = scores.reduce(0) { $0 + ($1 > target ? 1 : 0) }
                if higher == 0 { top1 += 1 }
                if higher < 5 { top5 += 1 }
            }
            images += labels.count
        }
    }
}
