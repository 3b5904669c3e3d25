import Tensor

extension Tensor {
    /// `[K, M] → [M, K]` (ONNX stores MatMul weights input-major).
    func transposed2D() -> Tensor {
        let (rows, cols) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: count)
        for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = data[r * cols + c] } }
        return Tensor(shape: [cols, rows], data: out)
    }

    /// Values of a scalar, `[n]` or `[1, n]` constant as a length-n vector.
    func broadcastVector(length n: Int) -> [Float]? {
        if count == 1 { return Array(repeating: data[0], count: n) }
        guard count == n, shape.last == n else { return nil }
        return data
    }

    /// Values of a constant that varies only along the channel axis of
    /// `[N, C, H, W]` (`[C, 1, 1]`, `[1, C, 1, 1]` or a scalar), one per channel.
    func perChannelVector(channels: Int) -> [Float]? {
        if count == 1 { return Array(repeating: data[0], count: channels) }
        guard count == channels, rank >= 3, rank <= 4, shape[rank - 3] == channels else { return nil }
        return data
    }
}
