import Foundation

/// Softmax and log-softmax along the last axis (class logits per row).
///
/// Subtracting the row maximum keeps `exp` finite for large logits; the log
/// form is computed as `x − max − log Σ exp(x − max)` rather than
/// `log(softmax)` so that tiny probabilities do not underflow to −∞.
public enum Softmax {
    public static func forward(logits: Tensor, output: inout Tensor) {
        forEachRow(logits, into: &output) { row, out, cols, m in
            var sum: Float = 0
            for j in 0..<cols { let e = expf(row[j] - m); out[j] = e; sum += e }
            let inv = 1 / sum
            for j in 0..<cols { out[j] *= inv }
        }
    }

    public static func forward(logits: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); forward(logits: logits, output: &output); return output
    }

    public static func logForward(logits: Tensor, output: inout Tensor) {
        forEachRow(logits, into: &output) { row, out, cols, m in
            var sum: Float = 0
            for j in 0..<cols { sum += expf(row[j] - m) }
            let shift = m + logf(sum)
            for j in 0..<cols { out[j] = row[j] - shift }
        }
    }

    public static func logForward(logits: Tensor) -> Tensor {
        var output = Tensor(zeros: [0]); logForward(logits: logits, output: &output); return output
    }

    /// Gradient w.r.t. the logits given the softmax output `y` and `dL/dy`:
    /// `dx = y ⊙ (dy − Σ dy·y)` per row.
    public static func backward(output y: Tensor, gradOutput: Tensor, gradLogits: inout Tensor) {
        forEachRow(y, gradOutput, into: &gradLogits, kind: "softmax") { yb, dy, dx, cols in
            var dot: Float = 0
            for j in 0..<cols { dot += dy[j] * yb[j] }
            for j in 0..<cols { dx[j] = yb[j] * (dy[j] - dot) }
        }
    }

    /// Gradient w.r.t. the logits given the log-softmax output `z` and `dL/dz`:
    /// `dx = dz − softmax · Σ dz` per row.
    public static func logBackward(output z: Tensor, gradOutput: Tensor, gradLogits: inout Tensor) {
        forEachRow(z, gradOutput, into: &gradLogits, kind: "log-softmax") { zb, dz, dx, cols in
            var sum: Float = 0
            for j in 0..<cols { sum += dz[j] }
            for j in 0..<cols { dx[j] = dz[j] - expf(zb[j]) * sum }
        }
    }

    /// The forward scaffold: `output` resized to the logits' shape, then `body`
    /// per row with the row, its output row, the row length and the row's maximum.
    @inline(__always)
    private static func forEachRow(_ logits: Tensor, into output: inout Tensor,
                                   _ body: (_ row: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ cols: Int, _ max: Float) -> Void) {
        let cols = logits.shape.last ?? 1, rows = logits.count / Swift.max(cols, 1)
        output.resize(to: logits.shape)
        logits.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * cols, out = y.baseAddress! + r * cols
                    var m = -Float.infinity
                    for j in 0..<cols { m = Swift.max(m, row[j]) }
                    body(row, out, cols, m)
                }
            }
        }
    }

    /// The backward scaffold: `gradLogits` resized to the output's shape, then
    /// `body` per row with the forward output's row, its gradient and the logits' gradient row.
    @inline(__always)
    private static func forEachRow(_ output: Tensor, _ gradOutput: Tensor, into gradLogits: inout Tensor, kind: String,
                                   _ body: (_ output: UnsafePointer<Float>, _ gradOutput: UnsafePointer<Float>,
                                            _ gradLogits: UnsafeMutablePointer<Float>, _ cols: Int) -> Void) {
        precondition(output.shape == gradOutput.shape, "\(kind) backward: \(output.shape) vs \(gradOutput.shape)")
        let cols = output.shape.last ?? 1, rows = output.count / Swift.max(cols, 1)
        gradLogits.resize(to: output.shape)
        output.data.withUnsafeBufferPointer { yb in
            gradOutput.data.withUnsafeBufferPointer { dy in
                gradLogits.data.withUnsafeMutableBufferPointer { dx in
                    for r in 0..<rows { body(yb.baseAddress! + r * cols, dy.baseAddress! + r * cols, dx.baseAddress! + r * cols, cols) }
                }
            }
        }
    }
}
