import Tensor

extension Operation {
    /// Output sample shape (no batch axis) from the operands' sample shapes.
    /// `constant` is the broadcast operand of `.add` / `.mul` when it is not computed.
    func outputSampleShape(operands: [[Int]], constant: Tensor?, node: String) throws(GraphError) -> [Int] {
        func fail(_ detail: String) -> GraphError { .shapeMismatch(node: node, detail: detail) }
        guard let x = operands.first else { throw fail("no input") }
        switch self {
        case .convolution(let p):
            guard x.count == 3 else { throw fail("Conv needs a [C, H, W] sample, got \(x)") }
            guard x[0] == p.inChannels else {
                throw fail("Conv weight \(p.weight.shape) with \(p.groups) group(s) expects \(p.inChannels) input channels, got \(x[0]) (input \(x))")
            }
            guard p.outChannels % p.groups == 0 else { throw fail("\(p.outChannels) output channels not divisible by \(p.groups) groups") }
            let h = (x[1] + p.padding.top + p.padding.bottom - p.kernelHeight) / p.strideHeight + 1
            let w = (x[2] + p.padding.left + p.padding.right - p.kernelWidth) / p.strideWidth + 1
            guard h > 0, w > 0, x[1] + p.padding.top + p.padding.bottom >= p.kernelHeight,
                  x[2] + p.padding.left + p.padding.right >= p.kernelWidth else {
                throw fail("kernel \(p.kernelHeight)×\(p.kernelWidth) larger than padded input \(x)")
            }
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
                out[a] += o[a]
            }
            return out
        case .maxPool(let p), .averagePool(let p):
            guard x.count == 3 else { throw fail("\(kindName) needs a [C, H, W] sample, got \(x)") }
            let h = Self.pooledExtent(x[1], kernel: p.kernelHeight, stride: p.strideHeight,
                                      padBegin: p.padding.top, padEnd: p.padding.bottom, ceil: p.ceilMode)
            let w = Self.pooledExtent(x[2], kernel: p.kernelWidth, stride: p.strideWidth,
                                      padBegin: p.padding.left, padEnd: p.padding.right, ceil: p.ceilMode)
            guard h > 0, w > 0 else { throw fail("pool window \(p.kernelHeight)×\(p.kernelWidth) larger than padded input \(x)") }
            return [x[0], h, w]
        case .globalAveragePool:
            guard x.count >= 2 else { throw fail("GlobalAveragePool needs [C, spatial…], got \(x)") }
            return [x[0]] + Array(repeating: 1, count: x.count - 1)
        case .flatten:
            return [x.reduce(1, *)]
        case .reshape(let target):
            guard target.reduce(1, *) == x.reduce(1, *), target.allSatisfy({ $0 > 0 }) else {
                throw fail("cannot reshape \(x) to \(target)")
            }
            return target
        }
    }

    /// NumPy broadcasting of `small` to `large`, aligned at the last axis.
    private func broadcasts(_ small: [Int], to large: [Int]) -> Bool {
        small.count <= large.count && zip(small.reversed(), large.reversed()).allSatisfy { $0 == 1 || $0 == $1 }
    }

    /// Output length of a pooling window sliding along one axis. With ceil
    /// mode the last window must still start inside the input or its leading
    /// pad (the rule PyTorch and ONNX Runtime share).
    static func pooledExtent(_ size: Int, kernel: Int, stride: Int, padBegin: Int, padEnd: Int, ceil: Bool) -> Int {
        let span = size + padBegin + padEnd - kernel
        guard span >= 0 else { return 0 }
        var count = (ceil ? (span + stride - 1) / stride : span / stride) + 1
        if ceil && (count - 1) * stride >= size + padBegin { count -= 1 }
        return count
    }
}
