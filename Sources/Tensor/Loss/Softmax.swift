import Foundation

/// Softmax and log-softmax along the last axis (class logits per row).
///
/// Subtracting the row maximum keeps `exp` finite for large logits; the log
/// form is computed as `x − max − log Σ exp(x − max)` rather than
/// `log(softmax)` so that tiny probabilities do not underflow to −∞.
public enum Softmax {
    public static func forward(logits: Tensor, output: inout Tensor) {
        let cols = logits.shape.last ?? 1, rows = logits.count / Swift.max(cols, 1)
        output.resize(to: logits.shape)
        logits.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * cols, out = y.baseAddress! + r * cols
                    var m = -Float.infinity
                    for j in 0..<cols { m = Swift.max(m, row[j]) }
                    var sum: Float = 0
                    for j in 0..<cols { let e = expf(row[j] - m); out[j] = e; sum += e }
                    let inv = 1 / sum
                    for j in 0..<cols { out[j] *= inv }
                }
            }
        }
    }

    public static func forward(logits: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); forward(logits: logits, output: &output); return output
    }

    public static func logForward(logits: Tensor, output: inout Tensor) {
        let cols = logits.shape.last ?? 1, rows = logits.count / Swift.max(cols, 1)
        output.resize(to: logits.shape)
        logits.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * cols, out = y.baseAddress! + r * cols
                    var m = -Float.infinity
                    for j in 0..<cols { m = Swift.max(m, row[j]) }
                    var sum: Float = 0
                    for j in 0..<cols { sum += expf(row[j] - m) }
                    let shift = m + logf(sum)
                    for j in 0..<cols { out[j] = row[j] - shift }
                }
            }
        }
    }

    public static func logForward(logits: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); logForward(logits: logits, output: &output); return output
    }

    /// Gradient w.r.t. the logits given the softmax output `y` and `dL/dy`:
    /// `dx = y ⊙ (dy − Σ dy·y)` per row.
    public static func backward(output y: Tensor, gradOutput: Tensor, gradLogits: inout Tensor) {
        precondition(y.shape == gradOutput.shape, "softmax backward: \(y.shape) vs \(gradOutput.shape)")
        let cols = y.shape.last ?? 1, rows = y.count / Swift.max(cols, 1)
        gradLogits.resize(to: y.shape)
        y.data.withUnsafeBufferPointer { yb in
            gradOutput.data.withUnsafeBufferPointer { dy in
                gradLogits.data.withUnsafeMutableBufferPointer { dx in
                    for r in 0..<rows {
                        var dot: Float = 0
                        for j in 0..<cols { dot += dy[r * cols + j] * yb[r * cols + j] }
                        for j in 0..<cols { dx[r * cols + j] = yb[r * cols + j] * (dy[r * cols + j] - dot) }
                    }
                }
            }
        }
    }

    /// Gradient w.r.t. the logits given the log-softmax output `z` and `dL/dz`:
    /// `dx = dz − softmax · Σ dz` per row.
    public static func logBackward(output z: Tensor, gradOutput: Tensor, gradLogits: inout Tensor) {
        precondition(z.shape == gradOutput.shape, "log-softmax backward: \(z.shape) vs \(gradOutput.shape)")
        let cols = z.shape.last ?? 1, rows = z.count / Swift.max(cols, 1)
        gradLogits.resize(to: z.shape)
        z.data.withUnsafeBufferPointer { zb in
            gradOutput.data.withUnsafeBufferPointer { dz in
                gradLogits.data.withUnsafeMutableBufferPointer { dx in
                    for r in 0..<rows {
                        var sum: Float = 0
                        for j in 0..<cols { sum += dz[r * cols + j] }
                        for j in 0..<cols { dx[r * cols + j] = dz[r * cols + j] - expf(zb[r * cols + j]) * sum }
                    }
                }
            }
        }
    }
}
