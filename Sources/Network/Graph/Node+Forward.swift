import Tensor

extension Node {
    /// Computes this node's output into `output`, reusing its allocation.
    ///
    /// The one forward implementation of every operation: the FP executor and
    /// the quantization engine's differentiable executor both call it, so the
    /// model that is quantized is exactly the model that is evaluated.
    ///
    /// - Parameters:
    ///   - operands: the node's inputs in order (computed tensors or graph constants).
    ///   - weight, bias: replace the layer's own (quantized or learned weights); nil uses the layer's.
    ///   - workspace: convolution scratch, kept by the caller across calls.
    public func forward(_ operands: [Tensor], weight: Tensor? = nil, bias: [Float]? = nil,
                        into output: inout Tensor, workspace: inout Conv2DWorkspace) {
        let x = operands[0]
        switch operation {
        case .convolution(let p):
            Conv2D.forward(input: x, weight: weight ?? p.weight, bias: bias ?? p.bias.data, parameters: p.conv2D,
                           output: &output, workspace: &workspace)
        case .linear(let p):
            Linear.forward(input: x.rank == 2 ? x : x.reshaped([x.shape[0], x.count / x.shape[0]]),
                           weight: weight ?? p.weight, bias: bias ?? p.bias.data, output: &output)
        case .relu:
            Clip.forward(input: x, min: 0, max: .infinity, output: &output)
        case let .clip(lo, hi):
            Clip.forward(input: x, min: lo, max: hi, output: &output)
        case .smooth(let f):
            f.forward(input: x, output: &output)
        case .add:
            Tensor.broadcastAdd(x, operands[1], into: &output)
        case .mul:
            Tensor.broadcastMultiply(x, operands[1], into: &output)
        case .concat(let axis):
            Tensor.concatenate(operands, axis: axis, into: &output)
        case .maxPool(let p):
            MaxPool2D.forward(input: x, parameters: p.pool2D, output: &output)
        case .averagePool(let p):
            AveragePool2D.forward(input: x, parameters: p.pool2D, output: &output)
        case .globalAveragePool:
            GlobalAveragePool.forward(input: x, output: &output)
        case .flatten:
            Tensor.copy(x, into: &output, shape: [x.shape[0], x.count / max(x.shape[0], 1)])
        case .reshape(let sample):
            Tensor.copy(x, into: &output, shape: [x.shape[0]] + sample)
        }
    }
}
