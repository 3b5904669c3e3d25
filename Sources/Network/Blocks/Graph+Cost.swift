import Tensor

extension Graph {
    /// Total multiply-accumulates per sample a graph may have. Far above any real
    /// network (ResNet-50 needs 4·10⁹), low enough that sums over units and
    /// products with bit widths (the hardware cost model) cannot overflow and
    /// stay exact as Double.
    public static let macLimit = 1 << 53

    /// Weights plus biases of a node (zero for parameter-free operations).
    public func parameterCount(ofNode index: Int) -> Int {
        switch nodes[index].operation {
        case .convolution(let p): return p.weight.count + p.bias.count
        case .linear(let p): return p.weight.count + p.bias.count
        default: return 0
        }
    }

    /// Multiply-accumulates of a node for one sample (zero for parameter-free operations).
    public func macs(ofNode index: Int) -> Int { macsByNode[index] }

    /// Per-node MACs with checked arithmetic: kernel sizes, group counts and
    /// spatial sizes come from the file, and their product overflows easily.
    /// The total must stay under `macLimit`.
    static func multiplyAccumulates(nodes: [Node], shapes: [String: [Int]]) throws(UntrustedSizeError) -> [Int] {
        var total = 0
        var result = [Int]()
        result.reserveCapacity(nodes.count)
        for node in nodes {
            let macs: Int
            switch node.operation {
            case .convolution(let p):
                let what = "node '\(node.name)' (Conv) multiply-accumulates"
                let out = try CheckedSize.product(shapes[node.output] ?? [], what)
                let perOutput = try CheckedSize.product([p.weight.shape[1], p.kernelHeight, p.kernelWidth], what)
                macs = try CheckedSize.multiply(out, perOutput, what, limit: macLimit)
            case .linear(let p):
                macs = p.weight.count
            default:
                macs = 0
            }
            total = try CheckedSize.add(total, macs, "multiply-accumulates of the whole graph up to node '\(node.name)'", limit: macLimit)
            result.append(macs)
        }
        return result
    }

    /// Refuses a batch of `batchSize` samples whose largest tensor would exceed
    /// `AllocationLimit`, before the executor allocates it.
    public func checkBatch(_ batchSize: Int) throws(GraphError) {
        do {
            let elements = try CheckedSize.multiply(max(batchSize, 0), largestSampleElements,
                                                    "a batch of \(batchSize) samples (largest tensor \(largestSampleElements) elements per sample)")
            try AllocationLimit.check(elements, "a batch of \(batchSize) samples (largest tensor \(largestSampleElements) elements per sample)")
        } catch {
            throw .untrustedSize(error)
        }
    }
}
