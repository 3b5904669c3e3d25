extension Graph {
    /// Weights plus biases of a node (zero for parameter-free operations).
    public func parameterCount(ofNode index: Int) -> Int {
        switch nodes[index].operation {
        case .convolution(let p): return p.weight.count + p.bias.count
        case .linear(let p): return p.weight.count + p.bias.count
        default: return 0
        }
    }

    /// Multiply-accumulates of a node for one sample (zero for parameter-free operations).
    public func macs(ofNode index: Int) -> Int {
        let node = nodes[index]
        switch node.operation {
        case .convolution(let p):
            let out = sampleShapes[node.output] ?? []
            return out.reduce(1, *) * p.weight.shape[1] * p.kernelHeight * p.kernelWidth
        case .linear(let p):
            return p.weight.count
        default:
            return 0
        }
    }
}
