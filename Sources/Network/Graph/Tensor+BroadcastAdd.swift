import Tensor

extension Tensor {
    /// `x + other` into `output`, where `other` broadcasts to `x` under NumPy
    /// rules (a bias-like constant that the importer could not fold).
    static func broadcastAdd(_ x: Tensor, _ other: Tensor, into output: inout Tensor) {
        let rank = x.rank
        let otherShape = Array(repeating: 1, count: rank - other.rank) + other.shape
        // Row-major strides of `other`, zero along broadcast axes.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = otherShape[axis] == 1 ? 0 : step
            step *= otherShape[axis]
        }
        copy(x, into: &output, shape: x.shape)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        other.data.withUnsafeBufferPointer { b in
            output.data.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count {
                    o[i] += b[offset]
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < x.shape[axis] { break }
                        offset -= strides[axis] * index[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }
}
