extension Tensor {
    /// Visits every element `i` of a row-major tensor of `shape` together with
    /// the element `j` of an operand of `operandShape` that NumPy broadcasting
    /// pairs with it (the operand's missing leading axes and its size-1 axes repeat).
    static func forEachBroadcastPair(shape: [Int], operandShape: [Int], _ body: (_ i: Int, _ j: Int) -> Void) {
        let rank = shape.count
        precondition(operandShape.count <= rank, "operand \(operandShape) has more axes than \(shape)")
        let padded = Array(repeating: 1, count: rank - operandShape.count) + operandShape
        // Row-major strides of the operand, zero along broadcast axes.
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            precondition(padded[axis] == 1 || padded[axis] == shape[axis], "\(operandShape) does not broadcast to \(shape)")
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<shape.reduce(1, *) {
            body(i, offset)
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
    }

    /// `x + other` into `output`, `other` broadcasting to `x`.
    public static func broadcastAdd(_ x: Tensor, _ other: Tensor, into output: inout Tensor) {
        if other.shape == x.shape { return add(x, other, into: &output) }
        copy(x, into: &output, shape: x.shape)
        other.data.withUnsafeBufferPointer { b in
            output.data.withUnsafeMutableBufferPointer { o in
                forEachBroadcastPair(shape: x.shape, operandShape: other.shape) { i, j in o[i] += b[j] }
            }
        }
    }

    /// `x · other` element-wise into `output`, `other` broadcasting to `x`.
    public static func broadcastMultiply(_ x: Tensor, _ other: Tensor, into output: inout Tensor) {
        output.resize(to: x.shape)
        x.data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                output.data.withUnsafeMutableBufferPointer { o in
                    if other.shape == x.shape {
                        for i in a.indices { o[i] = a[i] * b[i] }
                    } else {
                        forEachBroadcastPair(shape: x.shape, operandShape: other.shape) { i, j in o[i] = a[i] * b[j] }
                    }
                }
            }
        }
    }

    /// `Σ a·b` over the elements that broadcast from each element of a tensor
    /// of `shape`: the gradient of a broadcast operand of a product (a = the
    /// output gradient, b = the other factor).
    public static func sumOfProducts(_ a: Tensor, _ b: Tensor, reducedTo shape: [Int], into output: inout Tensor) {
        precondition(a.shape == b.shape, "sumOfProducts: \(a.shape) vs \(b.shape)")
        output.resize(to: shape)
        a.data.withUnsafeBufferPointer { p in
            b.data.withUnsafeBufferPointer { q in
                output.data.withUnsafeMutableBufferPointer { o in
                    if shape == a.shape {
                        for i in p.indices { o[i] = p[i] * q[i] }
                    } else {
                        for j in o.indices { o[j] = 0 }
                        forEachBroadcastPair(shape: a.shape, operandShape: shape) { i, j in o[j] += p[i] * q[i] }
                    }
                }
            }
        }
    }
}
