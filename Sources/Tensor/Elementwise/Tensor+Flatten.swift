extension Tensor {
    /// `[d0, d1, …] → [d0·…·d(axis-1), d(axis)·…]` (ONNX `Flatten`, default axis 1).
    /// Free in NCHW: only the shape changes; the gradient is the inverse reshape.
    public func flattened(axis: Int = 1) -> Tensor {
        precondition(axis >= 0 && axis <= rank, "flatten axis \(axis) out of range for rank \(rank)")
        let outer = shape[..<axis].reduce(1, *)
        return reshaped([outer, count / Swift.max(outer, 1)])
    }
}
