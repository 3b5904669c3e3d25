import Network
import Tensor

/// Forward and backward over a contiguous range of graph nodes, with
/// replaceable weights and activation quantizers on chosen node outputs.
///
/// It is the differentiable counterpart of the network's forward pass: every
/// operation is the Tensor target's kernel (conv, linear, clip, pools, add),
/// and the backward pass chains their gradients in reverse node order. All
/// buffers live in the executor and are reused from one call to the next, so a
/// reconstruction iteration allocates nothing large after the first.
///
/// `retainsIntermediates == false` (inference: caching unit inputs,
/// evaluation) recycles a tensor's buffer as soon as its last reader has run,
/// so a whole network needs only a few live activations per batch.
final class SegmentExecutor {
    /// An activation quantizer applied to one node's output.
    struct ActivationSlot {
        var quantizer: LearnedStepActivationQuantizer
        /// QDrop: probability that an element keeps its FP value (0 = always quantized).
        var dropProbability: Float = 0
        /// Gradient with respect to Δ is accumulated when true.
        var learnsStep: Bool = false
    }

    let graph: Graph
    let range: Range<Int>
    let inputName: String
    let inputSampleShape: [Int]
    let retainsIntermediates: Bool

    /// Per local node: operand slots (0 = segment input, j+1 = output of local node j, −1 = graph constant).
    private let operandSlots: [[Int]]
    /// Last local node reading each slot (for buffer recycling); −1 if none.
    private let lastReader: [Int]
    private let convParameters: [Conv2DParameters?]
    private let poolParameters: [Pool2DParameters?]

    /// Weights used by parametric nodes; start as the graph's FP weights.
    var weights: [Tensor?]
    var biases: [[Float]?]
    /// Weight gradients are computed for local nodes marked here.
    var trainsWeights: [Bool]
    /// ∂L/∂W per local node (valid after `backward` where `trainsWeights`).
    private(set) var weightGradients: [Tensor]
    /// Activation quantizer per local node output.
    var activations: [ActivationSlot?]
    /// ∂L/∂Δ per local node, accumulated by `backward`.
    private(set) var stepGradients: [Float]

    private var values: [Tensor]
    private var preQuantization: [Tensor]
    private var keepMasks: [[UInt8]]
    private var gradients: [Tensor]
    private var gradientReady: [Bool]
    private var workspaces: [Conv2DWorkspace]
    private var scratch = Tensor(zeros: [0])
    private var spare: [Tensor] = []
    /// The operand list handed to `Node.forward`, kept so that the per-node
    /// call in the iteration loop does not allocate a new array.
    private var operandList: [Tensor] = []

    init(graph: Graph, nodes range: Range<Int>, input: String, retainsIntermediates: Bool = true) {
        self.graph = graph
        self.range = range
        self.inputName = input
        self.inputSampleShape = graph.sampleShape(of: input) ?? []
        self.retainsIntermediates = retainsIntermediates
        let n = range.count
        var slotOf: [String: Int] = [input: 0]
        var operands: [[Int]] = []
        var last = [Int](repeating: -1, count: n + 1)
        var conv: [Conv2DParameters?] = [], pool: [Pool2DParameters?] = []
        var weights: [Tensor?] = [], biases: [[Float]?] = []
        for (j, i) in range.enumerated() {
            let node = graph.nodes[i]
            operands.append(node.inputs.map { name in
                if let s = slotOf[name] { last[s] = j; return s }
                precondition(graph.constants[name] != nil, "node \(node.name) reads \(name), which is outside segment \(range)")
                return -1
            })
            slotOf[node.output] = j + 1
            switch node.operation {
            case .convolution(let p):
                conv.append(p.conv2D); weights.append(p.weight); biases.append(p.bias.data)
            case .linear(let p):
                conv.append(nil); weights.append(p.weight); biases.append(p.bias.data)
            default:
                conv.append(nil); weights.append(nil); biases.append(nil)
            }
            switch node.operation {
            case .maxPool(let p), .averagePool(let p): pool.append(p.pool2D)
            default: pool.append(nil)
            }
        }
        self.operandSlots = operands
        self.lastReader = last
        self.convParameters = conv
        self.poolParameters = pool
        self.weights = weights
        self.biases = biases
        self.trainsWeights = [Bool](repeating: false, count: n)
        self.weightGradients = [Tensor](repeating: Tensor(zeros: [0]), count: n)
        self.activations = [ActivationSlot?](repeating: nil, count: n)
        self.stepGradients = [Float](repeating: 0, count: n)
        self.values = [Tensor](repeating: Tensor(zeros: [0]), count: n + 1)
        self.preQuantization = [Tensor](repeating: Tensor(zeros: [0]), count: n)
        self.keepMasks = [[UInt8]](repeating: [], count: n)
        self.gradients = [Tensor](repeating: Tensor(zeros: [0]), count: n + 1)
        self.gradientReady = [Bool](repeating: false, count: n + 1)
        self.workspaces = [Conv2DWorkspace](repeating: Conv2DWorkspace(), count: n)
    }

    var nodeCount: Int { range.count }
    /// Local index of the graph node `index`.
    func local(_ index: Int) -> Int { index - range.lowerBound }
    func localIndex(ofTensor name: String) -> Int? {
        range.firstIndex { graph.nodes[$0].output == name }.map { $0 - range.lowerBound }
    }

    /// The segment's output after `forward`.
    var output: Tensor { values[nodeCount] }

    /// Fills the input batch in place (the buffer is reused across calls).
    func setInput(batch: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        var x = take(&values[0])
        x.resize(to: [batch] + inputSampleShape)
        x.data.withUnsafeMutableBufferPointer { fill($0) }
        values[0] = x
    }

    func setInput(_ tensor: Tensor) {
        precondition(Array(tensor.shape.dropFirst()) == inputSampleShape, "segment input \(tensor.shape) vs sample \(inputSampleShape)")
        values[0] = tensor
    }

    @inline(__always)
    private func take(_ t: inout Tensor) -> Tensor {
        var out = Tensor(zeros: [0])
        swap(&out, &t)
        return out
    }

    private func freshBuffer() -> Tensor { spare.popLast() ?? Tensor(zeros: [0]) }

    /// Runs the segment on the input set by `setInput`. `random` draws QDrop masks.
    func forward(random: inout Xoshiro256StarStar) {
        for j in 0..<nodeCount {
            let node = graph.nodes[range.lowerBound + j]
            let slots = operandSlots[j]
            var out = retainsIntermediates ? take(&values[j + 1]) : freshBuffer()
            for k in slots.indices { operandList.append(operand(k, of: j)) }
            node.forward(operandList, weight: weights[j], bias: biases[j], into: &out, workspace: &workspaces[j])
            // Drop the references at once: a value still shared here would be copied when next taken and written.
            operandList.removeAll(keepingCapacity: true)
            if let slot = activations[j] {
                applyQuantizer(slot, local: j, values: &out, random: &random)
            }
            values[j + 1] = out
            if !retainsIntermediates {
                for s in Set(slots) where s > 0 && lastReader[s] == j { spare.append(take(&values[s])) }
            }
        }
    }

    /// Input `k` of node `j`: a value of the segment or a graph constant.
    private func operand(_ k: Int, of j: Int) -> Tensor {
        let s = operandSlots[j][k]
        return s >= 0 ? values[s] : graph.constants[graph.nodes[range.lowerBound + j].inputs[k]]!
    }

    private func applyQuantizer(_ slot: ActivationSlot, local j: Int, values out: inout Tensor, random: inout Xoshiro256StarStar) {
        let q = slot.quantizer
        if retainsIntermediates {
            // Keep the unquantized values: the quantizer's backward needs them.
            Tensor.copy(out, into: &preQuantization[j], shape: out.shape)
        }
        if slot.dropProbability > 0 {
            if keepMasks[j].count != out.count { keepMasks[j] = [UInt8](repeating: 1, count: out.count) }
            let p = slot.dropProbability
            for i in 0..<out.count { keepMasks[j][i] = random.uniform() < p ? 0 : 1 }
            keepMasks[j].withUnsafeBufferPointer { k in
                out.data.withUnsafeMutableBufferPointer { q.forward(UnsafeBufferPointer($0), keep: k, into: $0) }
            }
        } else {
            out.data.withUnsafeMutableBufferPointer { q.forward(UnsafeBufferPointer($0), into: $0) }
        }
    }

    /// Back-propagates `outputGradient` (∂L/∂output, same shape as `output`),
    /// filling `weightGradients` for trained layers and `stepGradients` for
    /// learned activation steps. With `inputGradient`, ∂L/∂input is returned too.
    @discardableResult
    func backward(outputGradient fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                  computeInputGradient: Bool = false) -> Tensor? {
        precondition(retainsIntermediates, "backward needs the retained forward values")
        let n = nodeCount
        for s in 0...n { gradientReady[s] = false }
        var top = take(&gradients[n])
        top.resize(to: values[n].shape)
        top.data.withUnsafeMutableBufferPointer { fill($0) }
        gradients[n] = top
        gradientReady[n] = true
        for j in 0..<n { stepGradients[j] = 0 }

        for j in stride(from: n - 1, through: 0, by: -1) {
            guard gradientReady[j + 1] else { continue }
            var gy = take(&gradients[j + 1])
            if let slot = activations[j] {
                let q = slot.quantizer
                let dStep: Float = preQuantization[j].data.withUnsafeBufferPointer { x in
                    gy.data.withUnsafeMutableBufferPointer { g in
                        if slot.dropProbability > 0 {
                            return keepMasks[j].withUnsafeBufferPointer { k in
                                q.backward(input: x, keep: k, outputGradient: UnsafeBufferPointer(g), inputGradient: g)
                            }
                        }
                        return q.backward(input: x, outputGradient: UnsafeBufferPointer(g), inputGradient: g)
                    }
                }
                if slot.learnsStep { stepGradients[j] = dStep }
            }
            let node = graph.nodes[range.lowerBound + j]
            let slots = operandSlots[j]
            let s0 = slots[0]
            let wantsInput = s0 > 0 || computeInputGradient
            let x = values[s0]
            switch node.operation {
            case .convolution:
                var dw = trainsWeights[j] ? take(&weightGradients[j]) : Tensor(zeros: [0])
                if wantsInput {
                    accumulate(into: s0) { dx in
                        withUnsafeMutablePointer(to: &dw) { dwp in
                            withUnsafeMutablePointer(to: &dx) { dxp in
                                Conv2D.backward(input: x, weight: weights[j]!, gradOutput: gy, parameters: convParameters[j]!,
                                                gradInput: dxp, gradWeight: trainsWeights[j] ? dwp : nil,
                                                workspace: &workspaces[j])
                            }
                        }
                    }
                } else if trainsWeights[j] {
                    Conv2D.backwardWeight(input: x, weight: weights[j]!, gradOutput: gy, parameters: convParameters[j]!,
                                          gradWeight: &dw, workspace: &workspaces[j])
                }
                if trainsWeights[j] { weightGradients[j] = dw }
            case .linear:
                let x2 = x.rank == 2 ? x : x.reshaped([x.shape[0], x.count / x.shape[0]])
                var dw = trainsWeights[j] ? take(&weightGradients[j]) : Tensor(zeros: [0])
                if wantsInput {
                    accumulate(into: s0) { dx in
                        withUnsafeMutablePointer(to: &dw) { dwp in
                            withUnsafeMutablePointer(to: &dx) { dxp in
                                Linear.backward(input: x2, weight: weights[j]!, gradOutput: gy, gradInput: dxp,
                                                gradWeight: trainsWeights[j] ? dwp : nil)
                            }
                        }
                        dx.reshape(x.shape)
                    }
                } else if trainsWeights[j] {
                    withUnsafeMutablePointer(to: &dw) { dwp in
                        Linear.backward(input: x2, weight: weights[j]!, gradOutput: gy, gradWeight: dwp)
                    }
                }
                if trainsWeights[j] { weightGradients[j] = dw }
            case .relu:
                if wantsInput { accumulate(into: s0) { Clip.backward(input: x, gradOutput: gy, min: 0, max: .infinity, gradInput: &$0) } }
            case let .clip(lo, hi):
                if wantsInput { accumulate(into: s0) { Clip.backward(input: x, gradOutput: gy, min: lo, max: hi, gradInput: &$0) } }
            case .smooth(let f):
                if wantsInput { accumulate(into: s0) { f.backward(input: x, gradOutput: gy, gradInput: &$0) } }
            case .add:
                for s in slots where s >= 0 && (s > 0 || computeInputGradient) {
                    accumulate(into: s) { Tensor.copy(gy, into: &$0, shape: gy.shape) }
                }
            case .mul:
                let y = operand(1, of: j)
                if wantsInput { accumulate(into: s0) { Tensor.broadcastMultiply(gy, y, into: &$0) } }
                let s1 = slots[1]
                if s1 >= 0 && (s1 > 0 || computeInputGradient) {
                    accumulate(into: s1) { Tensor.sumOfProducts(gy, x, reducedTo: y.shape, into: &$0) }
                }
            case .concat(let axis):
                var offset = 0
                for s in slots {
                    let length = values[s].shape[axis]
                    if s > 0 || computeInputGradient {
                        accumulate(into: s) { Tensor.slice(gy, axis: axis, offset: offset, length: length, into: &$0) }
                    }
                    offset += length
                }
            case .maxPool:
                if wantsInput { accumulate(into: s0) { MaxPool2D.backward(input: x, gradOutput: gy, parameters: poolParameters[j]!, gradInput: &$0) } }
            case .averagePool:
                if wantsInput { accumulate(into: s0) { AveragePool2D.backward(inputShape: x.shape, gradOutput: gy, parameters: poolParameters[j]!, gradInput: &$0) } }
            case .globalAveragePool:
                if wantsInput { accumulate(into: s0) { GlobalAveragePool.backward(inputShape: x.shape, gradOutput: gy, gradInput: &$0) } }
            case .flatten, .reshape:
                if wantsInput { accumulate(into: s0) { Tensor.copy(gy, into: &$0, shape: x.shape) } }
            }
            gradients[j + 1] = gy
        }
        return computeInputGradient && gradientReady[0] ? gradients[0] : nil
    }

    /// Writes a gradient contribution into slot `s`, adding when it already has one.
    private func accumulate(into s: Int, _ compute: (inout Tensor) -> Void) {
        if !gradientReady[s] {
            var g = take(&gradients[s])
            compute(&g)
            gradients[s] = g
            gradientReady[s] = true
        } else {
            var t = take(&scratch)
            compute(&t)
            gradients[s].add(t)
            scratch = t
        }
    }
}
