import Tensor

extension ActivationCache {
    /// Rows `rows` as fp32 into `buffer`, resized (reallocated only when its size changes) to fit them.
    func gatherRows(_ rows: [Int], into buffer: inout [Float]) {
        let count = rows.count * elementsPerRow
        if buffer.count != count { buffer = [Float](repeating: 0, count: count) }
        buffer.withUnsafeMutableBufferPointer { gatherRows(rows, into: $0) }
    }
}
