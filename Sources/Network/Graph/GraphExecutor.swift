import Tensor

/// Runs a contiguous range of graph nodes forward and backward: the one
/// executor of the FP model (`brecq eval`), the quantized model (evaluation in
/// a session) and reconstruction (with gradients).
///
/// The executor only walks the nodes and owns the buffers: each operation's
/// forward rule is `Node.forward`, its backward rule `Node.backward`. Per node
/// it holds replaceable weights, an optional activation quantizer
/// (`ActivationQuantizerSlot`) and whether to compute the weight gradient.
///
/// All buffers live in the executor and are reused from one call to the next,
/// so a reconstruction iteration allocates nothing large after the first.
/// `retainsIntermediates == false` (inference: caching unit inputs,
/// evaluation) recycles a tensor's buffer as soon as its last reader has run,
/// so a whole network needs only a few live activations per batch; tensors
/// named with `retain(_:)` are kept all the same and read with `value(of:)`.
///
/// Node indices in the API are the graph's (`graph.nodes`), not local ones.
/// The string-keyed entry points (`logits(for:)`, `run(feeding:returning:)`,
/// `run(_:input:)`, `evaluate`) are in GraphExecutor+Run.swift.
public final class GraphExecutor {
    public let graph: Graph
    /// The nodes this executor runs (graph indices).
    public let nodes: Range<Int>
    /// Tensors the nodes read that they do not compute and that are not graph
    /// constants, in the order first read: what `setInput` fills.
    public let inputs: [String]
    public let retainsIntermediates: Bool

    /// Value slots: `inputs` first, then the output of local node j at `inputs.count + j`.
    private let slotByTensor: [String: Int]
    /// Per local node: operand slots (−1 = graph constant).
    private let operandSlots: [[Int]]
    /// Last local node reading each slot (for buffer recycling); −1 if none.
    private let lastReader: [Int]
    /// Slots never recycled (named by `retain`).
    private var retained: [Bool]

    /// Weights used by parametric nodes; start as the graph's FP weights.
    private var weights: [Tensor?]
    private var biases: [[Float]?]
    private var trainsWeights: [Bool]
    private var weightGradients: [Tensor]
    private var activations: [ActivationQuantizerSlot?]
    private var stepGradients: [Float]

    private var values: [Tensor]
    private var preQuantization: [Tensor]
    private var keepMasks: [[UInt8]]
    private var gradients: [Tensor]
    private var gradientReady: [Bool]
    private var workspaces: [Conv2DWorkspace]
    private var scratch = Tensor(zeros: [0])
    private var spare: [Tensor] = []
    /// The operand list handed to `Node.forward`/`backward`, kept so that the
    /// per-node call in the iteration loop does not allocate a new array.
    private var operandList: [Tensor] = []

    /// An executor over `nodes` (default: the whole graph), which must be in graph order
    /// and read nothing computed before it but through `inputs`.
    public init(graph: Graph, nodes range: Range<Int>? = nil, retainsIntermediates: Bool = false) {
        let range = range ?? graph.nodes.indices
        precondition(range.lowerBound >= 0 && range.upperBound <= graph.nodes.count, "nodes \(range) outside the graph")
        self.graph = graph
        self.nodes = range
        self.retainsIntermediates = retainsIntermediates
        var inputs: [String] = []
        var produced = Set<String>()
        for i in range {
            for name in graph.nodes[i].inputs where !produced.contains(name) && graph.constants[name] == nil && !inputs.contains(name) {
                inputs.append(name)
            }
            produced.insert(graph.nodes[i].output)
        }
        self.inputs = inputs
        let k = inputs.count, n = range.count
        var slotOf = [String: Int](minimumCapacity: k + n)
        for (s, name) in inputs.enumerated() { slotOf[name] = s }
        var operands: [[Int]] = []
        var last = [Int](repeating: -1, count: k + n)
        var weights: [Tensor?] = [], biases: [[Float]?] = []
        for (j, i) in range.enumerated() {
            let node = graph.nodes[i]
            operands.append(node.inputs.map { name in
                guard let s = slotOf[name] else { return -1 }
                last[s] = j
                return s
            })
            slotOf[node.output] = k + j
            switch node.operation {
            case .convolution(let p): weights.append(p.weight); biases.append(p.bias.data)
            case .linear(let p): weights.append(p.weight); biases.append(p.bias.data)
            default: weights.append(nil); biases.append(nil)
            }
        }
        self.slotByTensor = slotOf
        self.operandSlots = operands
        self.lastReader = last
        self.retained = [Bool](repeating: false, count: k + n)
        self.weights = weights
        self.biases = biases
        self.trainsWeights = [Bool](repeating: false, count: n)
        self.weightGradients = [Tensor](repeating: Tensor(zeros: [0]), count: n)
        self.activations = [ActivationQuantizerSlot?](repeating: nil, count: n)
        self.stepGradients = [Float](repeating: 0, count: n)
        self.values = [Tensor](repeating: Tensor(zeros: [0]), count: k + n)
        self.preQuantization = [Tensor](repeating: Tensor(zeros: [0]), count: n)
        self.keepMasks = [[UInt8]](repeating: [], count: n)
        self.gradients = [Tensor](repeating: Tensor(zeros: [0]), count: k + n)
        self.gradientReady = [Bool](repeating: false, count: k + n)
        self.workspaces = [Conv2DWorkspace](repeating: Conv2DWorkspace(), count: n)
    }

    // MARK: Per-node state

    private func local(_ node: Int) -> Int {
        precondition(nodes.contains(node), "node \(node) is outside the executor's nodes \(nodes)")
        return node - nodes.lowerBound
    }

    /// The weight node `node` runs with (nil for a node without weights).
    public func weight(ofNode node: Int) -> Tensor? { weights[local(node)] }

    /// Replaces node `node`'s weight (same shape as the layer's); `bias` nil keeps the current bias.
    public func setWeight(_ weight: Tensor, bias: [Float]? = nil, ofNode node: Int) {
        let j = local(node)
        precondition(weights[j]?.shape == weight.shape, "weight \(weight.shape) for node \(graph.nodes[node].name)")
        weights[j] = weight
        if let bias { biases[j] = bias }
    }

    /// The bias node `node` runs with (nil for a node without weights).
    public func bias(ofNode node: Int) -> [Float]? { biases[local(node)] }

    /// Edits node `node`'s weight in place (no copy of the buffer).
    public func updateWeight(ofNode node: Int, _ body: (inout Tensor) -> Void) {
        let j = local(node)
        precondition(weights[j] != nil, "node \(graph.nodes[node].name) has no weight")
        body(&weights[j]!)
    }

    /// Whether `backward` computes ∂L/∂W of node `node`.
    public func setTrainsWeight(_ trains: Bool, ofNode node: Int) {
        let j = local(node)
        precondition(!trains || weights[j] != nil, "node \(graph.nodes[node].name) has no weight")
        trainsWeights[j] = trains
    }

    /// ∂L/∂W of node `node` after `backward` (empty unless `setTrainsWeight(true, …)`).
    public func weightGradient(ofNode node: Int) -> Tensor { weightGradients[local(node)] }

    /// The activation quantizer on node `node`'s output.
    public func activationQuantizer(ofNode node: Int) -> ActivationQuantizerSlot? { activations[local(node)] }

    public func setActivationQuantizer(_ slot: ActivationQuantizerSlot?, ofNode node: Int) {
        activations[local(node)] = slot
    }

    /// ∂L/∂step of node `node`'s activation quantizer after `backward` (0 unless it `learnsStep`).
    public func stepGradient(ofNode node: Int) -> Float { stepGradients[local(node)] }

    // MARK: Values

    /// Keeps these node outputs after their last reader has run (when
    /// intermediates are not retained anyway), so that `value(of:)` can read
    /// them after `forward`. Returns the names that were not kept before
    /// (for a later `release`); names the executor does not hold are ignored.
    @discardableResult
    public func retain<Names: Sequence<String>>(_ tensors: Names) -> [String] {
        var added: [String] = []
        for name in tensors {
            if let s = slotByTensor[name], !retained[s] { retained[s] = true; added.append(name) }
        }
        return added
    }

    /// Stops keeping these tensors: their buffers are recycled again from the next `forward`.
    public func release<Names: Sequence<String>>(_ tensors: Names) {
        for name in tensors { if let s = slotByTensor[name] { retained[s] = false } }
    }

    /// A tensor's current value after `forward`: an input, or a node output
    /// that is still held (always with `retainsIntermediates`, else when named
    /// with `retain` or not yet recycled). Nil for a tensor not in this
    /// executor or not held. With an activation quantizer on the node, the
    /// quantized value.
    public func value(of tensor: String) -> Tensor? {
        guard let s = slotByTensor[tensor], !values[s].shape.isEmpty, values[s].shape[0] > 0 else { return nil }
        return values[s]
    }

    /// Whether the executor has a slot for `tensor` (an input or an output of its nodes).
    public func holds(_ tensor: String) -> Bool { slotByTensor[tensor] != nil }

    /// The last node's output after `forward`.
    public var output: Tensor { values[values.count - 1] }

    /// Fills the sole input's batch in place (the buffer is reused across calls).
    public func setInput(batch: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        precondition(inputs.count == 1, "setInput(batch:) needs an executor with one input, not \(inputs)")
        var x = take(&values[0])
        x.resize(to: [batch] + (graph.sampleShape(of: inputs[0]) ?? []))
        x.data.withUnsafeMutableBufferPointer { fill($0) }
        values[0] = x
    }

    /// Sets an input (default: the first), or a node output that a later `forward(nodes:)` reads.
    public func setInput(_ tensor: Tensor, named name: String? = nil) {
        let name = name ?? inputs[0]
        guard let s = slotByTensor[name] else { preconditionFailure("the executor has no tensor '\(name)'") }
        precondition(Array(tensor.shape.dropFirst()) == (graph.sampleShape(of: name) ?? []),
                     "input \(name) \(tensor.shape) vs sample \(graph.sampleShape(of: name) ?? [])")
        values[s] = tensor
    }

    @inline(__always)
    private func take(_ t: inout Tensor) -> Tensor {
        var out = Tensor(zeros: [0])
        swap(&out, &t)
        return out
    }

    private func freshBuffer() -> Tensor { spare.popLast() ?? Tensor(zeros: [0]) }

    // MARK: Forward

    /// Runs `range` (default: all the executor's nodes) on the inputs set
    /// before; a sub-range reads the outputs of earlier nodes as the last
    /// forward (or `setInput(_:named:)`) left them. `random` draws QDrop masks.
    public func forward(nodes range: Range<Int>? = nil, random: inout Xoshiro256StarStar) {
        let range = range ?? nodes
        precondition(range.isEmpty || (nodes.contains(range.lowerBound) && range.upperBound <= nodes.upperBound),
                     "nodes \(range) outside the executor's \(nodes)")
        let k = inputs.count
        for i in range {
            let j = i - nodes.lowerBound
            let node = graph.nodes[i]
            let slots = operandSlots[j]
            var out = retainsIntermediates ? take(&values[k + j]) : freshBuffer()
            collectOperands(of: j)
            node.forward(operandList, weight: weights[j], bias: biases[j], into: &out, workspace: &workspaces[j])
            // Drop the references at once: a value still shared here would be copied when next taken and written.
            operandList.removeAll(keepingCapacity: true)
            if let quantization = activations[j] {
                quantize(quantization, local: j, values: &out, random: &random)
            }
            values[k + j] = out
            if !retainsIntermediates {
                for s in Set(slots) where s >= k && lastReader[s] == j && !retained[s] { spare.append(take(&values[s])) }
            }
        }
    }

    /// Fills `operandList` with node `j`'s inputs: values of the executor or graph constants.
    private func collectOperands(of j: Int) {
        let node = graph.nodes[nodes.lowerBound + j]
        for (position, s) in operandSlots[j].enumerated() {
            operandList.append(s >= 0 ? values[s] : graph.constants[node.inputs[position]]!)
        }
    }

    private func quantize(_ quantization: ActivationQuantizerSlot, local j: Int, values out: inout Tensor,
                          random: inout Xoshiro256StarStar) {
        let quantizer = quantization.quantizer
        if retainsIntermediates {
            // Keep the unquantized values: the quantizer's backward needs them.
            Tensor.copy(out, into: &preQuantization[j], shape: out.shape)
        }
        if quantization.dropProbability > 0 {
            if keepMasks[j].count != out.count { keepMasks[j] = [UInt8](repeating: 1, count: out.count) }
            let p = quantization.dropProbability
            for i in 0..<out.count { keepMasks[j][i] = random.uniform() < p ? 0 : 1 }
            keepMasks[j].withUnsafeBufferPointer { keep in
                out.data.withUnsafeMutableBufferPointer { quantizer.quantize($0, keep: keep) }
            }
        } else {
            out.data.withUnsafeMutableBufferPointer { quantizer.quantize($0, keep: nil) }
        }
    }

    // MARK: Backward

    /// Back-propagates ∂L/∂output (written by `fill` into a buffer of the last
    /// node's output shape) through all the executor's nodes after `forward`,
    /// filling the weight gradients of trained nodes and the step gradients of
    /// learned activation steps. With `computeInputGradient`, returns ∂L/∂input
    /// of the first input (nil if no gradient reaches it).
    @discardableResult
    public func backward(outputGradient fill: (UnsafeMutableBufferPointer<Float>) -> Void,
                         computeInputGradient: Bool = false) -> Tensor? {
        precondition(retainsIntermediates, "backward needs the retained forward values")
        let k = inputs.count, n = nodes.count
        for s in gradientReady.indices { gradientReady[s] = false }
        let top = k + n - 1
        var seed = take(&gradients[top])
        seed.resize(to: values[top].shape)
        seed.data.withUnsafeMutableBufferPointer { fill($0) }
        gradients[top] = seed
        gradientReady[top] = true
        for j in 0..<n { stepGradients[j] = 0 }

        for j in stride(from: n - 1, through: 0, by: -1) {
            guard gradientReady[k + j] else { continue }
            var gy = take(&gradients[k + j])
            if let quantization = activations[j] {
                let dStep = backwardQuantizer(quantization, local: j, gradient: &gy)
                if quantization.learnsStep { stepGradients[j] = dStep }
            }
            let slots = operandSlots[j]
            var dw = trainsWeights[j] ? take(&weightGradients[j]) : Tensor(zeros: [0])
            collectOperands(of: j)
            withUnsafeMutablePointer(to: &dw) { dwp in
                graph.nodes[nodes.lowerBound + j].backward(
                    operandList, outputGradient: gy, weight: weights[j],
                    needsGradient: { slots[$0] >= k || (slots[$0] >= 0 && computeInputGradient) },
                    weightGradient: trainsWeights[j] ? dwp : nil, workspace: &workspaces[j],
                    accumulate: { position, write in accumulate(into: slots[position], write) })
            }
            operandList.removeAll(keepingCapacity: true)
            if trainsWeights[j] { weightGradients[j] = dw }
            gradients[k + j] = gy
        }
        return computeInputGradient && gradientReady[0] ? gradients[0] : nil
    }

    /// ∂L/∂tensor after `backward` for an input (with `computeInputGradient`) or a node
    /// output the gradient reached (taken before its activation quantizer, when it has one).
    /// Nil when no gradient reached it.
    public func gradient(of tensor: String) -> Tensor? {
        guard let s = slotByTensor[tensor], gradientReady[s] else { return nil }
        return gradients[s]
    }

    private func backwardQuantizer(_ quantization: ActivationQuantizerSlot, local j: Int, gradient gy: inout Tensor) -> Float {
        let quantizer = quantization.quantizer
        return preQuantization[j].data.withUnsafeBufferPointer { x in
            gy.data.withUnsafeMutableBufferPointer { g in
                if quantization.dropProbability > 0 {
                    return keepMasks[j].withUnsafeBufferPointer { keep in quantizer.backward(input: x, keep: keep, gradient: g) }
                }
                return quantizer.backward(input: x, keep: nil, gradient: g)
            }
        }
    }

    /// Writes a gradient contribution into slot `s`, adding when it already has one.
    private func accumulate(into s: Int, _ write: (inout Tensor) -> Void) {
        if !gradientReady[s] {
            var g = take(&gradients[s])
            write(&g)
            gradients[s] = g
            gradientReady[s] = true
        } else {
            var t = take(&scratch)
            write(&t)
            gradients[s].add(t)
            scratch = t
        }
    }
}
