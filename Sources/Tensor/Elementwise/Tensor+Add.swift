extension Tensor {
    /// `output = a + b` for equal shapes (residual connections). The backward
    /// pass of an add is the identity for both operands, so there is none here.
    public static func add(_ a: Tensor, _ b: Tensor, into output: inout Tensor) {
        precondition(a.shape == b.shape, "add: shapes differ, \(a.shape) vs \(b.shape)")
        output.resize(to: a.shape)
        a.data.withUnsafeBufferPointer { x in
            b.data.withUnsafeBufferPointer { y in
                output.data.withUnsafeMutableBufferPointer { z in
                    for i in 0..<x.count { z[i] = x[i] + y[i] }
                }
            }
        }
    }

    /// `self += other`, avoiding a third buffer.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(shape == other.shape, "add: shapes differ, \(shape) vs \(other.shape)")
        other.data.withUnsafeBufferPointer { y in
            data.withUnsafeMutableBufferPointer { z in
                for i in 0..<y.count { z[i] += alpha * y[i] }
            }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        var out = Tensor(zeros: [0]); add(a, b, into: &out); return out
    }
}
