/// Top-1 / top-5 accuracy of a model on a labelled set, in percent.
public struct EvaluationResult: Sendable, Codable, Equatable {
    public var count: Int
    public var correctTop1: Int
    public var correctTop5: Int

    public init(count: Int = 0, correctTop1: Int = 0, correctTop5: Int = 0) {
        self.count = count
        self.correctTop1 = correctTop1
        self.correctTop5 = correctTop5
    }

    public var top1: Double { count == 0 ? 0 : 100 * Double(correctTop1) / Double(count) }
    public var top5: Double { count == 0 ? 0 : 100 * Double(correctTop5) / Double(count) }

    /// Adds one batch of logits `[N, classes]` against their labels.
    public mutating func accumulate(logits: [Float], classes: Int, labels: [Int]) {
        for (row, label) in labels.enumerated() {
            // A label the model has no score for is a miss, not an index out of range.
            guard (0..<classes).contains(label), (row + 1) * classes <= logits.count else { continue }
            let scores = logits[(row * classes)..<((row + 1) * classes)]
            let target = scores[scores.startIndex + label]
            // The label's rank is the number of classes scoring strictly higher.
            let higher = scores.reduce(0) { $0 + ($1 > target ? 1 : 0) }
            if higher == 0 { correctTop1 += 1 }
            if higher < 5 { correctTop5 += 1 }
        }
        count += labels.count
    }
}
