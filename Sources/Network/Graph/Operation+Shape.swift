import Tensor

extension Operation {
    /// Output sample shape (no batch axis) from the operands' sample shapes.
    /// `constant` is the broadcast operand of `.add` / `.mul` when it is not computed.
    ///
    /// Every number here may come from a hostile file, so the arithmetic is
    /// checked, and the result (and a convolution's per-sample im2col columns)
    /// must fit `AllocationLimit` for one sample: the graph is refused before
    /// anything is allocated rather than when a batch is run.
    func outputSampleShape(operands: [[Int]], constant: Tensor?, node: String) throws(GraphError) -> [Int] {
        let shape = try uncheckedOutputSampleShape(operands: operands, constant: constant, node: node)
        guard shape.allSatisfy({ $0 > 0 }) else {
            throw .shapeMismatch(node: node, detail: "\(kindName) output \(shape) has an empty axis")
        }
        do {
            let elements = try CheckedSize.product(shape, "node '\(node)' (\(kindName)) output \(shape)")
            try AllocationLimit.check(elements, "node '\(node)' (\(kindName)) output \(shape) for one sample")
            if case .convolution(let p) = self {
                // im2col: (inChannels / groups) · kh · kw rows per output pixel of one sample.
                let patch = try CheckedSize.product([p.weight.shape[1], p.kernelHeight, p.kernelWidth], "node '\(node)' Conv patch")
                let columns = try CheckedSize.multiply(patch, shape[1] * shape[2], "node '\(node)' Conv im2col columns")
                try AllocationLimit.check(columns, "node '\(node)' (Conv) im2col columns for one sample")
            }
        } catch {
            throw .untrustedSize(error)
        }
        return shape
    }

    private func uncheckedOutputSampleShape(operands: [[Int]], constant: Tensor?, node: String) throws(GraphError) -> [Int] {
        func fail(_ detail: String) -> GraphError { .shapeMismatch(node: node, detail: detail) }
        func checked<T>(_ body: () throws(UntrustedSizeError) -> T) throws(GraphError) -> T {
            do { return try body() } catch { throw .untrustedSize(error) }
        }
        guard let x = operands.first else { throw fail("no input") }
        switch self {
        case .convolution(let p):
            guard x.count == 3 else { throw fail("Conv needs a [C, H, W] sample, got \(x)") }
            guard p.groups > 0, p.strideHeight > 0, p.strideWidth > 0, p.kernelHeight > 0, p.kernelWidth > 0,
                  [p.padding.top, p.padding.left, p.padding.bottom, p.padding.right].allSatisfy({ $0 >= 0 }) else {
                throw fail("Conv group \(p.groups), strides \(p.strideHeight)×\(p.strideWidth), kernel \(p.kernelHeight)×\(p.kernelWidth) and pads \(p.padding) must be positive")
            }
            // `inChannels` multiplies; a group count of 2^62 must not overflow it.
            let inChannels = try checked { () throws(UntrustedSizeError) in
                try CheckedSize.multiply(p.weight.shape[1], p.groups, "node '\(node)' Conv input channels (weight \(p.weight.shape) × group \(p.groups))")
            }
            guard x[0] == inChannels else {
                throw fail("Conv weight \(p.weight.shape) with \(p.groups) group(s) expects \(inChannels) input channels, got \(x[0]) (input \(x))")
            }
            guard p.outChannels % p.groups == 0 else { throw fail("\(p.outChannels) output channels not divisible by \(p.groups) groups") }
            let h = try checked { () throws(UntrustedSizeError) in
                try Self.slidingExtent(x[1], kernel: p.kernelHeight, stride: p.strideHeight, padBegin: p.padding.top,
                                       padEnd: p.padding.bottom, ceil: false, "node '\(node)' Conv height")
            }
            let w = try checked { () throws(UntrustedSizeError) in
                try Self.slidingExtent(x[2], kernel: p.kernelWidth, stride: p.strideWidth, padBegin: p.padding.left,
                                       padEnd: p.padding.right, ceil: false, "node '\(node)' Conv width")
            }
            guard h > 0, w > 0 else { throw fail("kernel \(p.kernelHeight)×\(p.kernelWidth) larger than padded input \(x)") }
            return [p.outChannels, h, w]
        case .linear(let p):
            guard x == [p.inFeatures] else {
                throw fail("Linear weight \(p.weight.shape) expects [\(p.inFeatures)] features per sample, got \(x)")
            }
            return [p.outFeatures]
        case .relu, .clip, .smooth:
            return x
        case .add, .mul:
            if operands.count == 2 {
                // A residual Add joins equal shapes; a Mul gate ([C, 1, 1]) broadcasts over the other.
                let fits = self == .add ? operands[1] == x : broadcasts(operands[1], to: x)
                guard fits else { throw fail("\(kindName) of \(x) and \(operands[1])") }
                return x
            }
            guard let c = constant else { throw fail("\(kindName) needs two operands") }
            // The constant broadcasts against [N] + x and may not enlarge it.
            guard broadcasts(c.shape, to: [1] + x) else { throw fail("\(kindName) constant \(c.shape) does not broadcast to [N] + \(x)") }
            return x
        case .concat(let axis):
            let a = axis - 1  // the sample's axis
            guard a >= 0, a < x.count else { throw fail("Concat axis \(axis) outside [N] + \(x)") }
            var out = x
            for o in operands.dropFirst() {
                guard o.count == x.count, o.indices.allSatisfy({ $0 == a || o[$0] == x[$0] }) else {
                    throw fail("Concat of \(x) and \(o) along axis \(axis)")
                }
                out[a] = try checked { () throws(UntrustedSizeError) in
                    try CheckedSize.add(out[a], o[a], "node '\(node)' Concat axis \(axis)")
                }
            }
            return out
        case .maxPool(let p), .averagePool(let p):
            guard x.count == 3 else { throw fail("\(kindName) needs a [C, H, W] sample, got \(x)") }
            let pads = [p.padding.top, p.padding.left, p.padding.bottom, p.padding.right]
            guard p.kernelHeight > 0, p.kernelWidth > 0, p.strideHeight > 0, p.strideWidth > 0, pads.allSatisfy({ $0 >= 0 }) else {
                throw fail("\(kindName) kernel \(p.kernelHeight)×\(p.kernelWidth), strides \(p.strideHeight)×\(p.strideWidth) and pads \(pads) must be positive")
            }
            // ONNX requires each pad to be smaller than the window: a window wholly in
            // the padding has no input to take the maximum or average of.
            guard p.padding.top < p.kernelHeight, p.padding.bottom < p.kernelHeight,
                  p.padding.left < p.kernelWidth, p.padding.right < p.kernelWidth else {
                throw fail("\(kindName) pads \(pads) must be smaller than the kernel \(p.kernelHeight)×\(p.kernelWidth)")
            }
            let h = try checked { () throws(UntrustedSizeError) in
                try Self.slidingExtent(x[1], kernel: p.kernelHeight, stride: p.strideHeight, padBegin: p.padding.top,
                                       padEnd: p.padding.bottom, ceil: p.ceilMode, "node '\(node)' \(kindName) height")
            }
            let w = try checked { () throws(UntrustedSizeError) in
                try Self.slidingExtent(x[2], kernel: p.kernelWidth, stride: p.strideWidth, padBegin: p.padding.left,
                                       padEnd: p.padding.right, ceil: p.ceilMode, "node '\(node)' \(kindName) width")
            }
            guard h > 0, w > 0 else { throw fail("pool window \(p.kernelHeight)×\(p.kernelWidth) larger than padded input \(x)") }
            return [x[0], h, w]
        case .globalAveragePool:
            guard x.count >= 2 else { throw fail("GlobalAveragePool needs [C, spatial…], got \(x)") }
            return [x[0]] + Array(repeating: 1, count: x.count - 1)
        case .flatten:
            return [try checked { () throws(UntrustedSizeError) in try CheckedSize.product(x, "node '\(node)' Flatten of \(x)") }]
        case .reshape(let target):
            let sizes = try checked { () throws(UntrustedSizeError) in
                (try CheckedSize.product(target, "node '\(node)' Reshape target \(target)"),
                 try CheckedSize.product(x, "node '\(node)' Reshape input \(x)"))
            }
            guard sizes.0 == sizes.1, target.allSatisfy({ $0 > 0 }) else {
                throw fail("cannot reshape \(x) to \(target)")
            }
            return target
        }
    }

    /// NumPy broadcasting of `small` to `large`, aligned at the last axis.
    private func broadcasts(_ small: [Int], to large: [Int]) -> Bool {
        small.count <= large.count && zip(small.reversed(), large.reversed()).allSatisfy { $0 == 1 || $0 == $1 }
    }

    /// Output length of a window sliding along one axis (0 when the kernel is
    /// larger than the padded input). With ceil mode the last window must still
    /// start inside the input or its leading pad (the rule PyTorch and ONNX
    /// Runtime share). Sizes, pads and strides come from files, so the sums are checked.
    static func slidingExtent(_ size: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int, ceil: Bool,
                              _ what: @autoclosure () -> String) throws(UntrustedSizeError) -> Int {
        let padded = try CheckedSize.add(try CheckedSize.add(size, padBegin, what()), padEnd, what())
        let span = padded - kernel
        guard span >= 0 else { return 0 }
        // A stride longer than the padded input gives one window, as a stride equal
        // to it does; refused, because the kernels' index arithmetic (row · stride)
        // must not overflow for the strides a file can name (INT64_MAX).
        guard stride <= padded else {
            throw UntrustedSizeError(what: what(), reason: "stride \(stride) is longer than the padded input (\(padded))")
        }
        func roundedUp(_ a: Int) -> Int { a / stride + (a % stride == 0 ? 0 : 1) }
        var count = (ceil ? roundedUp(span) : span / stride) + 1
        // (count − 1) · stride ≥ size + padBegin, without the multiplication.
        if ceil && count - 1 >= roundedUp(size + padBegin) { count -= 1 }
        return count
    }
}
