extension Tensor {
    /// Copies `source`'s elements into `destination` under `shape` (same element
    /// count), reusing `destination`'s allocation.
    public static func copy(_ source: Tensor, into destination: inout Tensor, shape: [Int]) {
        precondition(shape.reduce(1, *) == source.count, "cannot copy \(source.shape) as \(shape)")
        destination.resize(to: shape)
        source.data.withUnsafeBufferPointer { s in
            destination.data.withUnsafeMutableBufferPointer { d in d.baseAddress!.update(from: s.baseAddress!, count: s.count) }
        }
    }
}
