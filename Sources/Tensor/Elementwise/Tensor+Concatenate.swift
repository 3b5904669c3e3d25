extension Tensor {
    /// Joins `parts` along `axis` (equal extents on every other axis).
    public static func concatenate(_ parts: [Tensor], axis: Int, into output: inout Tensor) {
        var shape = parts[0].shape
        shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        output.resize(to: shape)
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let row = shape[axis] * inner
        var start = 0
        output.data.withUnsafeMutableBufferPointer { o in
            for part in parts {
                precondition(part.rank == shape.count && part.shape.indices.allSatisfy { $0 == axis || part.shape[$0] == shape[$0] },
                             "concatenate: \(part.shape) does not fit \(shape) along axis \(axis)")
                let width = part.shape[axis] * inner
                part.data.withUnsafeBufferPointer { p in
                    for r in 0..<outer {
                        (o.baseAddress! + r * row + start).update(from: p.baseAddress! + r * width, count: width)
                    }
                }
                start += width
            }
        }
    }

    /// The `length` entries of `source` from `offset` along `axis`: one part of
    /// a concatenation, and so the gradient of that part.
    public static func slice(_ source: Tensor, axis: Int, offset: Int, length: Int, into output: inout Tensor) {
        var shape = source.shape
        precondition(offset >= 0 && offset + length <= shape[axis], "slice \(offset)..<\(offset + length) of \(shape) along \(axis)")
        shape[axis] = length
        output.resize(to: shape)
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let row = source.shape[axis] * inner, width = length * inner
        source.data.withUnsafeBufferPointer { s in
            output.data.withUnsafeMutableBufferPointer { o in
                for r in 0..<outer {
                    (o.baseAddress! + r * width).update(from: s.baseAddress! + r * row + offset * inner, count: width)
                }
            }
        }
    }
}
