import Tensor

extension Tensor {
    /// `self + other` where `other` broadcasts to `self` under NumPy rules
    /// (a bias-like constant that the importer could not fold).
    func broadcastAdding(_ other: Tensor) -> Tensor {
        let rank = shape.count
        let otherShape = Array(repeating: 1, count: rank - other.rank) + other.shape
        // Row-major strides of `other`, zero along broadcast axes.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = otherShape[axis] == 1 ? 0 : step
            step *= otherShape[axis]
        }
        var result = data
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<result.count {
            result[i] += other.data[offset]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(shape: shape, data: result)
    }
}
