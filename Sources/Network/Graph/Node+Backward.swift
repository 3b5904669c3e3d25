import Tensor

extension Node {
    /// Back-propagates ∂L/∂output through this node: the backward rule of every
    /// operation, beside `forward` (Node+Forward.swift). The executor only walks
    /// the nodes in reverse, owns the buffers and adds up contributions; an
    /// operator is added by giving it a case here and in `forward`.
    ///
    /// - Parameters:
    ///   - operands: the node's forward inputs in order (as given to `forward`).
    ///   - outputGradient: ∂L/∂output, the shape of the forward output.
    ///   - weight: the weight the forward pass used; nil is the layer's own.
    ///   - needsGradient: whether operand `k` wants ∂L/∂operand (false for constants and frozen inputs).
    ///   - weightGradient: receives ∂L/∂W (overwritten, resized) for a convolution or linear layer; nil skips it.
    ///   - workspace: convolution scratch, kept by the caller across calls.
    ///   - accumulate: called once per operand contribution with `k` and a function that writes
    ///     ∂L/∂operand_k into the tensor it is given (resizing it); the caller adds contributions up.
    public func backward(_ operands: [Tensor], outputGradient gy: Tensor, weight: Tensor? = nil,
                         needsGradient: (_ operand: Int) -> Bool, weightGradient: UnsafeMutablePointer<Tensor>?,
                         workspace: inout Conv2DWorkspace,
                         accumulate: (_ operand: Int, _ write: (inout Tensor) -> Void) -> Void) {
        let x = operands[0]
        switch operation {
        case .convolution(let p):
            let w = weight ?? p.weight, parameters = p.conv2D
            if needsGradient(0) {
                accumulate(0) { dx in
                    withUnsafeMutablePointer(to: &dx) { dxp in
                        Conv2D.backward(input: x, weight: w, gradOutput: gy, parameters: parameters,
                                        gradInput: dxp, gradWeight: weightGradient, workspace: &workspace)
                    }
                }
            } else if let weightGradient {
                Conv2D.backwardWeight(input: x, weight: w, gradOutput: gy, parameters: parameters,
                                      gradWeight: &weightGradient.pointee, workspace: &workspace)
            }
        case .linear(let p):
            let w = weight ?? p.weight
            let x2 = x.rank == 2 ? x : x.reshaped([x.shape[0], x.count / x.shape[0]])
            if needsGradient(0) {
                accumulate(0) { dx in
                    withUnsafeMutablePointer(to: &dx) { dxp in
                        Linear.backward(input: x2, weight: w, gradOutput: gy, gradInput: dxp, gradWeight: weightGradient)
                    }
                    dx.reshape(x.shape)
                }
            } else if let weightGradient {
                Linear.backward(input: x2, weight: w, gradOutput: gy, gradWeight: weightGradient)
            }
        case .relu:
            if needsGradient(0) { accumulate(0) { Clip.backward(input: x, gradOutput: gy, min: 0, max: .infinity, gradInput: &$0) } }
        case let .clip(lo, hi):
            if needsGradient(0) { accumulate(0) { Clip.backward(input: x, gradOutput: gy, min: lo, max: hi, gradInput: &$0) } }
        case .smooth(let f):
            if needsGradient(0) { accumulate(0) { f.backward(input: x, gradOutput: gy, gradInput: &$0) } }
        case .add:
            // Both operands have the output's shape (a broadcast operand is a constant, which wants no gradient).
            for k in operands.indices where needsGradient(k) {
                accumulate(k) { Tensor.copy(gy, into: &$0, shape: gy.shape) }
            }
        case .mul:
            let y = operands[1]
            if needsGradient(0) { accumulate(0) { Tensor.broadcastMultiply(gy, y, into: &$0) } }
            if needsGradient(1) { accumulate(1) { Tensor.sumOfProducts(gy, x, reducedTo: y.shape, into: &$0) } }
        case .concat(let axis):
            var offset = 0
            for k in operands.indices {
                let length = operands[k].shape[axis]
                if needsGradient(k) {
                    accumulate(k) { Tensor.slice(gy, axis: axis, offset: offset, length: length, into: &$0) }
                }
                offset += length
            }
        case .maxPool(let p):
            if needsGradient(0) { accumulate(0) { MaxPool2D.backward(input: x, gradOutput: gy, parameters: p.pool2D, gradInput: &$0) } }
        case .averagePool(let p):
            if needsGradient(0) {
                accumulate(0) { AveragePool2D.backward(inputShape: x.shape, gradOutput: gy, parameters: p.pool2D, gradInput: &$0) }
            }
        case .globalAveragePool:
            if needsGradient(0) { accumulate(0) { GlobalAveragePool.backward(inputShape: x.shape, gradOutput: gy, gradInput: &$0) } }
        case .flatten, .reshape:
            if needsGradient(0) { accumulate(0) { Tensor.copy(gy, into: &$0, shape: x.shape) } }
        }
    }
}
