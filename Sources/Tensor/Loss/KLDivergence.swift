import Foundation

/// `KL(p ‖ q)` between row-wise softmax distributions, averaged over rows.
///
/// `p` comes from the full-precision model's logits (the target) and `q` from
/// the quantized model's; the gradient is taken w.r.t. the `q` logits, where it
/// has the simple form `(softmax(q) − p) / rows` — no need to chain through
/// log-softmax by hand.
public enum KLDivergence {
    /// Returns the mean KL and writes `d KL / d qLogits` into `gradQLogits` (resized).
    @discardableResult
    public static func forwardBackward(targetLogits pLogits: Tensor, logits qLogits: Tensor,
                                       gradQLogits: inout Tensor) -> Float {
        precondition(pLogits.shape == qLogits.shape, "KL: shapes differ, \(pLogits.shape) vs \(qLogits.shape)")
        let cols = qLogits.shape.last ?? 1, rows = qLogits.count / Swift.max(cols, 1)
        let logP = Softmax.logForward(logits: pLogits)
        var logQ = Tensor(zeros: [0])
        Softmax.logForward(logits: qLogits, output: &logQ)
        gradQLogits.resize(to: qLogits.shape)
        var total: Double = 0
        let invRows = 1 / Float(rows)
        logP.data.withUnsafeBufferPointer { lp in
            logQ.data.withUnsafeBufferPointer { lq in
                gradQLogits.data.withUnsafeMutableBufferPointer { g in
                    for i in 0..<rows * cols {
                        let p = expf(lp[i])
                        if p > 0 { total += Double(p) * Double(lp[i] - lq[i]) }
                        g[i] = (expf(lq[i]) - p) * invRows
                    }
                }
            }
        }
        return Float(total / Double(rows))
    }

    /// The mean KL only.
    public static func forward(targetLogits: Tensor, logits: Tensor) -> Float {
        var scratch = Tensor(zeros: [0])
        return forwardBackward(targetLogits: targetLogits, logits: logits, gradQLogits: &scratch)
    }
}
