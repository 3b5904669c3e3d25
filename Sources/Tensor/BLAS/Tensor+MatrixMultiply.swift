extension Tensor {
    /// `c = alpha · op(a) · op(b) + beta · c` for rank-2 tensors, through BLAS.
    ///
    /// `c` is resized to `[m, n]`; with `beta != 0` it must already have that
    /// shape (its contents are accumulated into).
    public static func matrixMultiply(_ a: Tensor, transposeA: Bool = false,
                                      _ b: Tensor, transposeB: Bool = false,
                                      into c: inout Tensor, alpha: Float = 1, beta: Float = 0) {
        precondition(a.rank == 2 && b.rank == 2, "matrixMultiply needs rank-2 tensors, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb, "inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        if beta != 0 { precondition(c.shape == [m, n], "accumulating into \(c.shape), expected \([m, n])") }
        c.resize(to: [m, n])
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transA: transposeA ? .transpose : .none, transB: transposeB ? .transpose : .none,
                               m: m, n: n, k: k, alpha: alpha,
                               a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                               beta: beta, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// Allocating `op(a) · op(b)`.
    public static func matrixMultiply(_ a: Tensor, transposeA: Bool = false,
                                      _ b: Tensor, transposeB: Bool = false) -> Tensor {
        var c = Tensor(zeros: [0])
        matrixMultiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }
}
