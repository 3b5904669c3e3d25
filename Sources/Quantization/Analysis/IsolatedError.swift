import Foundation
import Tensor

/// The network output's change when one layer alone is quantized (everything
/// else FP), on the evaluation images.
public struct IsolatedError: Sendable, Codable, Equatable {
    /// Mean over images of KL(softmax(FP logits) ‖ softmax(quantized logits)), nats.
    public var kl: Double
    /// Fraction of images whose top-1 class differs from the FP network's (0…1).
    public var top1Changed: Double

    public init(kl: Double, top1Changed: Double) {
        self.kl = kl; self.top1Changed = top1Changed
    }
}

/// The three isolated measurements of a layer.
public struct IsolatedErrors: Sendable, Codable, Equatable {
    /// Only the layer's weights quantized.
    public var weights: IsolatedError
    /// Only the quantizer on the layer's input quantized; nil when the input
    /// is not quantized (the image, or A32). The quantizer belongs to the
    /// tensor, so every layer reading it shares this figure.
    public var activations: IsolatedError?
    /// Both.
    public var both: IsolatedError

    public init(weights: IsolatedError, activations: IsolatedError?, both: IsolatedError) {
        self.weights = weights; self.activations = activations; self.both = both
    }
}

/// Running sums over batches for an `IsolatedError` (or the whole model's output change).
struct OutputDivergenceSums {
    private var kl = 0.0
    private var changed = 0
    private var correct = 0
    private(set) var images = 0

    mutating func add(fp: Tensor, quantized: Tensor, labels: ArraySlice<Int>? = nil) {
        let rows = fp.shape[0]
        kl += Double(KLDivergence.forward(targetLogits: fp, logits: quantized)) * Double(rows)
        let a = Self.argmax(fp), b = Self.argmax(quantized)
        changed += zip(a, b).filter { $0 != $1 }.count
        if let labels { correct += zip(b, labels).filter { $0 == $1 }.count }
        images += rows
    }

    var result: IsolatedError {
        // A KL is never negative; a batch whose outputs barely differ can sum to −1e-8 in Float, which
        // the event reader rightly refuses (a resumed run read its own log back and stopped).
        IsolatedError(kl: images > 0 ? max(0, kl / Double(images)) : 0, top1Changed: images > 0 ? Double(changed) / Double(images) : 0)
    }

    /// Top-1 accuracy (0…1) of the quantized logits against the labels given to `add`.
    var accuracy: Double { images > 0 ? Double(correct) / Double(images) : 0 }

    /// Index of the first largest logit per row.
    static func argmax(_ logits: Tensor) -> [Int] {
        let rows = logits.shape[0], classes = logits.count / max(rows, 1)
        return (0..<rows).map { r in
            var best = 0
            for c in 1..<max(classes, 1) where logits.data[r * classes + c] > logits.data[r * classes + best] { best = c }
            return best
        }
    }
}
