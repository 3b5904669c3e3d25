/// A dense float32 tensor in row-major (NCHW for images) order.
///
/// Value semantics through the backing array's copy-on-write; hot loops work on
/// `withUnsafeMutableBufferPointer` and reuse caller-owned tensors.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) elements")
        self.shape = shape
        self.data = data
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// Changes the shape in place; the element count must stay the same.
    public mutating func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == data.count, "cannot reshape \(shape) to \(newShape)")
        shape = newShape
    }

    /// Resizes to `newShape`, reusing the allocation when it is large enough.
    /// Contents are unspecified afterwards; used for scratch and output buffers.
    public mutating func resize(to newShape: [Int]) {
        let n = newShape.reduce(1, *)
        if data.count != n {
            if data.count > n { data.removeLast(data.count - n) } else { data.append(contentsOf: repeatElement(0, count: n - data.count)) }
        }
        shape = newShape
    }
}
