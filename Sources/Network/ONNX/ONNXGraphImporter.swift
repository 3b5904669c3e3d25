import Tensor

/// Walks an ONNX graph's nodes in order and builds the IR: weights become
/// layer parameters, BatchNorm and bias Adds fold into the layer before them,
/// Identity/Dropout disappear, and every new tensor gets its sample shape.
struct ONNXGraphImporter {
    private let graph: Onnx_GraphProto
    private let opset: Int64
    private let options: ONNXImportOptions

    /// Initializers, Constant outputs and bound inputs, by name.
    private var constants: [String: Tensor] = [:]
    /// Output of a removed node (Identity, Dropout, folded BN source) → the IR tensor it equals.
    private var aliases: [String: String] = [:]
    /// Sample shapes of runtime tensors (batch axis left out).
    private var shapes: [String: [Int]] = [:]
    private var inputs: [(name: String, sampleShape: [Int])] = []
    private var nodes: [Node] = []
    private var producer: [String: Int] = [:]
    private var usedNames: Set<String> = []
    /// Next suffix to try per base name, so thousands of nodes with one name stay linear.
    private var nextSuffix: [String: Int] = [:]
    /// Names of the runtime inputs, for constant-time membership tests.
    private var inputNames: Set<String> = []
    private var shapeArithmetic = ShapeArithmetic()
    private var removedOutputSoftmax: String?
    /// Zero `Pad` outputs waiting for the Convs that read them to take the padding over (`importPad`).
    private var pendingPads: [String: (input: String, padding: Padding2D, node: String)] = [:]
    /// Weights and biases of the layers imported so far. Layers that share one
    /// initializer each get their own (transposed, scaled or folded) copy, so
    /// a small file can still ask for many copies of a large weight.
    private var weightElements = 0
    /// How many ONNX nodes (and graph outputs) read each tensor: folding a
    /// BatchNorm or bias into a layer is only exact when nothing else reads
    /// the layer's unfolded output.
    private let readers: [String: Int]

    init(graph: Onnx_GraphProto, opset: Int64, options: ONNXImportOptions) throws(ONNXImportError) {
        self.graph = graph
        self.opset = opset
        self.options = options
        var readers = [String: Int](minimumCapacity: graph.node.count)
        for node in graph.node { for input in node.input where !input.isEmpty { readers[input, default: 0] += 1 } }
        for output in graph.output { readers[output.name, default: 0] += 1 }
        self.readers = readers
        shapes.reserveCapacity(graph.node.count)
        producer.reserveCapacity(graph.node.count)
        usedNames.reserveCapacity(graph.node.count)
        for initializer in graph.initializer { constants[initializer.name] = try initializer.decodedTensor() }
        for (name, value) in options.boundInputs { constants[name] = value }
        guard !graph.output.isEmpty else { throw .invalidModel("the graph declares no outputs") }
    }

    mutating func run() throws(ONNXImportError) -> Graph {
        try declareInputs()
        for (index, node) in graph.node.enumerated() {
            let name = uniqueName(node.name.isEmpty ? "\(node.opType)_\(index)" : node.name)
            try importNode(node, name: name)
        }
        let outputs = graph.output.map { resolve($0.name) }
        for output in outputs where shapes[output] == nil {
            throw .invalidModel("graph output '\(output)' is not computed from the inputs")
        }
        let used = Set(nodes.flatMap(\.inputs))
        do {
            return try Graph(inputs: inputs, outputs: outputs, nodes: nodes,
                             constants: constants.filter { used.contains($0.key) }, removedOutputSoftmax: removedOutputSoftmax)
        } catch {
            throw Self.importError(error)
        }
    }

    // MARK: inputs

    private mutating func declareInputs() throws(ONNXImportError) {
        for input in graph.input where constants[input.name] == nil {
            let dims = input.type.tensorType.shape.dim
            var declared: [Int]? = dims.dropFirst().allSatisfy { $0.dimValue > 0 } && !dims.isEmpty
                ? try ONNXImportError.checking { () throws(UntrustedSizeError) in
                    try dims.dropFirst().map { d throws(UntrustedSizeError) in
                        try CheckedSize.count(d.dimValue, "input '\(input.name)' dimension \(d.dimValue)")
                    }
                } : nil
            if inputs.isEmpty, let wanted = options.inputSampleShape {
                if let declared, declared != wanted {
                    throw .shapeMismatch(node: input.name,
                                         detail: "the model declares input sample shape \(declared) but the config says \(wanted)")
                }
                declared = wanted
            }
            guard let sampleShape = declared else {
                throw .shapeMismatch(node: input.name,
                                     detail: "input has unknown non-batch dimensions; give input_shape in config.json")
            }
            try ONNXImportError.checking { () throws(UntrustedSizeError) in
                let elements = try CheckedSize.product(sampleShape, "input '\(input.name)' sample shape \(sampleShape)")
                try AllocationLimit.check(elements, "input '\(input.name)' sample shape \(sampleShape) for one sample")
            }
            inputs.append((input.name, sampleShape))
            inputNames.insert(input.name)
            shapes[input.name] = sampleShape
        }
        if inputs.isEmpty { throw .invalidModel("the graph has no runtime input") }
    }

    // MARK: helpers

    private mutating func uniqueName(_ base: String) -> String {
        var name = base
        var suffix = nextSuffix[base] ?? 1
        while usedNames.contains(name) { suffix += 1; name = "\(base)_\(suffix)" }
        nextSuffix[base] = suffix
        usedNames.insert(name)
        return name
    }

    private func resolve(_ tensor: String) -> String { aliases[tensor] ?? tensor }

    /// The runtime tensor read at `position`, with its sample shape.
    private func activation(_ node: Onnx_NodeProto, _ position: Int, name: String) throws(ONNXImportError) -> (String, [Int]) {
        guard position < node.input.count, !node.input[position].isEmpty else {
            throw .invalidModel("node '\(name)' (\(node.opType)) lacks input \(position)")
        }
        let tensor = resolve(node.input[position])
        guard let shape = shapes[tensor] else {
            if let pad = pendingPads[tensor] {
                throw .unsupportedAttribute(opType: "Pad", node: pad.node, attribute: "reader",
                                            value: "'\(name)' (\(node.opType)); a zero Pad is supported only when Convs alone read it (folded into their padding)")
            }
            if constants[tensor] != nil {
                throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "input \(position)",
                                            value: "a constant (only run-time tensors are supported here)")
            }
            throw .missingInput(node: name, tensor: tensor)
        }
        return (tensor, shape)
    }

    /// The constant read at `position` (nil when the optional input is absent).
    private func constant(_ node: Onnx_NodeProto, _ position: Int, name: String) throws(ONNXImportError) -> Tensor? {
        guard position < node.input.count, !node.input[position].isEmpty else { return nil }
        let tensor = resolve(node.input[position])
        if let value = constants[tensor] { return value }
        if shapes[tensor] != nil {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "input \(position) ('\(tensor)')",
                                        value: "computed at run time (only constant weights are supported)")
        }
        throw .missingInitializer(node: name, tensor: tensor)
    }

    private func requiredConstant(_ node: Onnx_NodeProto, _ position: Int, name: String) throws(ONNXImportError) -> Tensor {
        guard let value = try constant(node, position, name: name) else {
            throw .missingInitializer(node: name, tensor: position < node.input.count ? node.input[position] : "input \(position)")
        }
        return value
    }

    private mutating func append(_ operation: Operation, name: String, inputs: [String], output: String) throws(ONNXImportError) {
        let parameters: Int
        switch operation {
        case .convolution(let p): parameters = p.weight.count + p.bias.count
        case .linear(let p): parameters = p.weight.count + p.bias.count
        default: parameters = 0
        }
        weightElements = try ONNXImportError.checking { () throws(UntrustedSizeError) in
            let total = try CheckedSize.add(weightElements, parameters, "weights of the layers up to node '\(name)'")
            try AllocationLimit.check(total, "weights of the layers up to node '\(name)' together")
            return total
        }
        let operands = inputs.compactMap { shapes[$0] }
        let constantOperand = inputs.count > 1 ? constants[inputs[1]] : nil
        do {
            // Checks the activation (and a convolution's im2col columns) of one
            // sample against AllocationLimit, naming this node, before any allocation.
            shapes[output] = try operation.outputSampleShape(operands: operands, constant: constantOperand, node: name)
        } catch {
            throw Self.importError(error)
        }
        producer[output] = nodes.count
        nodes.append(Node(name: name, operation: operation, inputs: inputs, output: output))
    }

    /// A shape-inference error as an import error naming the same node.
    private static func importError(_ error: GraphError) -> ONNXImportError {
        switch error {
        case let .shapeMismatch(node, detail): return .shapeMismatch(node: node, detail: detail)
        case let .missingTensor(node, tensor): return .missingInput(node: node, tensor: tensor)
        case let .untrustedSize(size): return .untrustedSize(size)
        default: return .invalidModel(error.description)
        }
    }

    /// Extra outputs (Dropout's mask, MaxPool's indices) cannot be honoured.
    private func rejectExtraOutputs(_ node: Onnx_NodeProto, name: String) throws(ONNXImportError) {
        for output in node.output.dropFirst() where !output.isEmpty && (readers[output] ?? 0) > 0 {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "output '\(output)'",
                                        value: "used (only the first output is supported)")
        }
    }

    /// The node producing `tensor` when it is a layer whose output nothing else
    /// reads, so a following per-channel affine map can be folded into it.
    private func foldableLayer(producing tensor: String) -> Int? {
        guard let index = producer[tensor], nodes[index].operation.isParametric, (readers[tensor] ?? 0) == 1,
              !inputNames.contains(tensor) else { return nil }
        return index
    }

    /// Renames layer `index`'s output to `output` after folding the node that wrote `output`.
    private mutating func redirect(layer index: Int, to output: String, operation: Operation) {
        let old = nodes[index].output
        nodes[index].operation = operation
        nodes[index].output = output
        shapes[output] = shapes[old]
        shapes[old] = nil
        producer[old] = nil
        producer[output] = index
        aliases[old] = output
    }

    // MARK: operators

    private mutating func importNode(_ node: Onnx_NodeProto, name: String) throws(ONNXImportError) {
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw .unsupportedOperator(opType: "\(node.domain).\(node.opType)", node: name, supported: Graph.supportedONNXOperators)
        }
        guard let output = node.output.first, !output.isEmpty else {
            throw .invalidModel("node '\(name)' (\(node.opType)) has no output")
        }
        if node.opType == "BatchNormalization", try node.int("training_mode", default: 0, node: name) != 0 {
            throw .unsupportedAttribute(opType: "BatchNormalization", node: name, attribute: "training_mode", value: "1 (inference only)")
        }
        try rejectExtraOutputs(node, name: name)
        if try shapeArithmetic.fold(node, name: name, opset: opset, inputs: node.input.map(resolve), shapes: shapes, constants: constants) {
            return
        }
        // The constant the first input names, if any (a `where` on a multi-pattern
        // case guards only its last pattern, so each case tests this itself).
        let constantInput = node.input.first.flatMap { constants[resolve($0)] }
        switch node.opType {
        case "Constant":
            constants[output] = try constantValue(node, name: name)
        case "Cast" where constantInput != nil:
            // Exporters cast constant clip bounds; only casts to integer types change values.
            guard let value = constantInput else { break }
            let toInteger = [2, 3, 4, 5, 6, 7, 12, 13].contains(try node.int("to", default: 1, node: name))
            constants[output] = toInteger ? Tensor(shape: value.shape, data: value.data.map { $0.rounded(.towardZero) }) : value
        case "Unsqueeze" where constantInput != nil, "Squeeze" where constantInput != nil:
            // Exporters unsqueeze integer constants to concatenate them into a shape.
            guard let value = constantInput else { break }
            constants[output] = Tensor(shape: try reshapedConstantShape(node, value.shape, name: name), data: value.data)
        case "Identity" where constantInput != nil:
            // Exporters route shared initializers through Identity.
            constants[output] = constantInput
        case "Identity", "Dropout":
            let (x, _) = try activation(node, 0, name: name)
            aliases[output] = x
        case "Relu":
            let (x, _) = try activation(node, 0, name: name)
            try append(.relu, name: name, inputs: [x], output: output)
        case "LeakyRelu", "HardSigmoid", "HardSwish", "Sigmoid", "Tanh":
            let (x, _) = try activation(node, 0, name: name)
            let f: SmoothActivation = switch node.opType {
            case "LeakyRelu": .leakyRelu(alpha: try node.float("alpha", default: 0.01, node: name))
            case "HardSigmoid": .hardSigmoid(alpha: try node.float("alpha", default: 0.2, node: name),
                                             beta: try node.float("beta", default: 0.5, node: name))
            case "HardSwish": .hardSwish
            case "Sigmoid": .sigmoid
            default: .tanh
            }
            try append(.smooth(f), name: name, inputs: [x], output: output)
        case "Clip":
            try importClip(node, name: name, output: output)
        case "Conv":
            try importConv(node, name: name, output: output)
        case "Gemm", "MatMul":
            try importLinear(node, name: name, output: output)
        case "BatchNormalization":
            try importBatchNorm(node, name: name, output: output)
        case "Add":
            try importAdd(node, name: name, output: output)
        case "Softmax":
            try removeOutputSoftmax(node, name: name, output: output)
        case "Mul":
            try importMul(node, name: name, output: output)
        case "Concat":
            try importConcat(node, name: name, output: output)
        case "MaxPool", "AveragePool":
            try importPool(node, name: name, output: output)
        case "GlobalAveragePool":
            let (x, shape) = try activation(node, 0, name: name)
            guard shape.count == 3 else {
                throw .shapeMismatch(node: name, detail: "GlobalAveragePool supports [N, C, H, W] inputs, got sample \(shape)")
            }
            try append(.globalAveragePool, name: name, inputs: [x], output: output)
        case "Flatten":
            let (x, shape) = try activation(node, 0, name: name)
            let axis = try node.int("axis", default: 1, node: name)
            guard axis == 1 || axis == -shape.count else {
                throw .unsupportedAttribute(opType: "Flatten", node: name, attribute: "axis", value: "\(axis) (only 1, which keeps the batch axis)")
            }
            try append(.flatten, name: name, inputs: [x], output: output)
        case "Reshape":
            try importReshape(node, name: name, output: output)
        case "Sub", "Div":
            try importSubtractOrDivide(node, name: name, output: output)
        case "Pad":
            try importPad(node, name: name, output: output)
        case let op where ShapeArithmetic.operators.contains(op):
            throw .unsupportedAttribute(opType: op, node: name, attribute: "input",
                                        value: "a run-time tensor (\(op) is supported only as shape arithmetic on Shape outputs and integer constants)")
        default:
            throw .unsupportedOperator(opType: node.opType, node: name, supported: Graph.supportedONNXOperators)
        }
    }

    /// The shape of a constant after Unsqueeze (axes inserted) or Squeeze
    /// (axes, or every size-1 axis, removed); axes from the attribute before opset 13.
    private func reshapedConstantShape(_ node: Onnx_NodeProto, _ shape: [Int], name: String) throws(ONNXImportError) -> [Int] {
        let given: [Int]? = opset < 13 ? try node.ints("axes", node: name) : try constant(node, 1, name: name).map { t throws(ONNXImportError) in
            try ONNXImportError.checking { () throws(UntrustedSizeError) in try t.integers("node '\(name)' (\(node.opType)) axes") }
        }
        if node.opType == "Squeeze" {
            let rank = shape.count
            let axes = Set((given ?? shape.indices.filter { shape[$0] == 1 }).map { $0 < 0 ? $0 + rank : $0 })
            guard axes.allSatisfy({ shape.indices.contains($0) && shape[$0] == 1 }) else {
                throw .shapeMismatch(node: name, detail: "Squeeze axes \(given ?? []) of constant \(shape)")
            }
            return shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        }
        guard let given else { throw .missingInitializer(node: name, tensor: "axes") }
        let rank = shape.count + given.count
        let axes = Set(given.map { $0 < 0 ? $0 + rank : $0 })
        guard axes.count == given.count, axes.allSatisfy({ (0..<rank).contains($0) }) else {
            throw .shapeMismatch(node: name, detail: "Unsqueeze axes \(given) of constant \(shape)")
        }
        // Exactly `shape.count` positions are not in `axes`; they take the old dimensions in order.
        var result = [Int]()
        var rest = shape[...]
        for axis in 0..<rank {
            if axes.contains(axis) { result.append(1) } else if let d = rest.popFirst() { result.append(d) }
        }
        return result
    }

    private func constantValue(_ node: Onnx_NodeProto, name: String) throws(ONNXImportError) -> Tensor {
        if let t = try node.tensor("value", node: name) { return try t.decodedTensor(label: "node '\(name)' (Constant) value") }
        if let f = try node.attribute("value_float", of: .float, node: name) { return Tensor(shape: [], data: [f.f]) }
        if let f = try node.floats("value_floats", node: name) { return Tensor(shape: [f.count], data: f) }
        if let i = try node.attribute("value_int", of: .int, node: name) { return Tensor(shape: [], data: [Float(i.i)]) }
        if let i = try node.ints("value_ints", node: name) { return Tensor(shape: [i.count], data: i.map { Float($0) }) }
        let kinds = node.attribute.map(\.name).joined(separator: ", ")
        throw .unsupportedAttribute(opType: "Constant", node: name, attribute: kinds.isEmpty ? "value" : kinds, value: "(not a numeric tensor)")
    }

    private mutating func importClip(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, _) = try activation(node, 0, name: name)
        var lower = -Float.infinity
        var upper = Float.infinity
        if opset < 11 {
            lower = try node.float("min", default: lower, node: name)
            upper = try node.float("max", default: upper, node: name)
        } else {
            for (position, assign) in [(1, 0), (2, 1)] {
                guard let bound = try constant(node, position, name: name) else { continue }
                guard bound.count == 1 else {
                    throw .shapeMismatch(node: name, detail: "Clip bound must be a scalar, got shape \(bound.shape)")
                }
                if assign == 0 { lower = bound.data[0] } else { upper = bound.data[0] }
            }
        }
        try append(.clip(min: lower, max: upper), name: name, inputs: [x], output: output)
    }

    /// Explicit pads from `pads` or `auto_pad`, ONNX order [top, left, bottom, right].
    private func padding(_ node: Onnx_NodeProto, name: String, input: [Int], kernel: [Int], strides: [Int]) throws(ONNXImportError) -> Padding2D {
        let autoPad = try node.string("auto_pad", node: name) ?? "NOTSET"
        switch autoPad {
        case "NOTSET", "":
            let pads = try node.ints("pads", node: name) ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else {
                throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "pads", value: "\(pads)")
            }
            return Padding2D(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
        case "VALID":
            return .zero
        case "SAME_UPPER", "SAME_LOWER":
            // Output = ceil(input / stride); the odd pixel of padding goes after (UPPER) or before (LOWER).
            var begin = [0, 0], end = [0, 0]
            for axis in 0..<2 {
                let (size, stride) = (input[axis + 1], strides[axis])
                let total = try ONNXImportError.checking { () throws(UntrustedSizeError) in
                    let what = "node '\(name)' (\(node.opType)) \(autoPad) padding of axis \(axis + 2)"
                    let out = size / stride + (size % stride == 0 ? 0 : 1)
                    let covered = try CheckedSize.add(try CheckedSize.multiply(out - 1, stride, what), kernel[axis], what)
                    return max(covered - size, 0)
                }
                let small = total / 2
                (begin[axis], end[axis]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small)
            }
            return Padding2D(top: begin[0], left: begin[1], bottom: end[0], right: end[1])
        default:
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "auto_pad", value: autoPad)
        }
    }

    private func strides(_ node: Onnx_NodeProto, name: String) throws(ONNXImportError) -> [Int] {
        let strides = try node.ints("strides", node: name) ?? [1, 1]
        guard strides.count == 2, strides.allSatisfy({ $0 > 0 }) else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "strides", value: "\(strides) (2-D only)")
        }
        return strides
    }

    private func requireUnitDilations(_ node: Onnx_NodeProto, name: String) throws(ONNXImportError) {
        if let dilations = try node.ints("dilations", node: name), dilations.contains(where: { $0 != 1 }) {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "dilations", value: "\(dilations) (only 1)")
        }
    }

    private mutating func importConv(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        // A zero Pad before the Conv becomes part of the Conv's own padding.
        let folded = node.input.first.flatMap { pendingPads[resolve($0)] }
        let (x, shape): (String, [Int])
        if let folded, let inner = shapes[folded.input] {
            let p = folded.padding
            (x, shape) = (folded.input, [inner[0], inner[1] + p.top + p.bottom, inner[2] + p.left + p.right])
        } else {
            (x, shape) = try activation(node, 0, name: name)
        }
        let weight = try requiredConstant(node, 1, name: name)
        guard weight.rank == 4, shape.count == 3 else {
            throw .unsupportedAttribute(opType: "Conv", node: name, attribute: "kernel rank",
                                        value: "weight \(weight.shape) on sample \(shape) (2-D convolution only)")
        }
        if let kernel = try node.ints("kernel_shape", node: name), kernel != Array(weight.shape[2...]) {
            throw .shapeMismatch(node: name, detail: "kernel_shape \(kernel) but weight \(weight.shape)")
        }
        guard weight.shape.allSatisfy({ $0 > 0 }) else {
            throw .shapeMismatch(node: name, detail: "Conv weight \(weight.shape) has an empty axis")
        }
        try requireUnitDilations(node, name: name)
        let groups = try node.int("group", default: 1, node: name)
        let bias = try constant(node, 2, name: name) ?? Tensor(zeros: [weight.shape[0]])
        guard bias.count == weight.shape[0] else {
            throw .shapeMismatch(node: name, detail: "bias \(bias.shape) for \(weight.shape[0]) output channels")
        }
        let strides = try strides(node, name: name)
        var pads = try padding(node, name: name, input: shape, kernel: Array(weight.shape[2...]), strides: strides)
        if let extra = folded?.padding {
            pads = Padding2D(top: pads.top + extra.top, left: pads.left + extra.left, bottom: pads.bottom + extra.bottom, right: pads.right + extra.right)
        }
        guard groups > 0, weight.shape[0] % groups == 0 else {
            throw .shapeMismatch(node: name, detail: "\(weight.shape[0]) output channels not divisible by group=\(groups)")
        }
        let conv = ConvolutionParameters(weight: weight, bias: bias.reshaped([weight.shape[0]]),
                                         strideHeight: strides[0], strideWidth: strides[1], padding: pads, groups: groups)
        try append(.convolution(conv), name: name, inputs: [x], output: output)
    }

    /// Gemm (`alpha·A·op(B) + beta·C`) and MatMul with a constant right operand.
    private mutating func importLinear(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        var b = try requiredConstant(node, 1, name: name)
        guard b.rank == 2, shape.count == 1 else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "rank",
                                        value: "input sample \(shape), weight \(b.shape) (only [N, K] × [K, M])")
        }
        let isGemm = node.opType == "Gemm"
        if isGemm, try node.int("transA", default: 0, node: name) != 0 {
            throw .unsupportedAttribute(opType: "Gemm", node: name, attribute: "transA", value: "1 (the batch must stay the first axis)")
        }
        let transB = isGemm ? try node.int("transB", default: 0, node: name) != 0 : false
        let alpha = isGemm ? try node.float("alpha", default: 1, node: name) : 1
        let beta = isGemm ? try node.float("beta", default: 1, node: name) : 1
        if !transB { b = b.transposed2D() }
        let (outFeatures, inFeatures) = (b.shape[0], b.shape[1])
        guard inFeatures == shape[0] else {
            throw .shapeMismatch(node: name, detail: "\(node.opType) weight has \(inFeatures) input features, input sample has \(shape[0])")
        }
        var bias = Tensor(zeros: [outFeatures])
        if isGemm, let c = try constant(node, 2, name: name) {
            guard let broadcast = c.broadcastVector(length: outFeatures) else {
                throw .shapeMismatch(node: name, detail: "Gemm bias C \(c.shape) is not a scalar or a [\(outFeatures)] row (per-sample bias unsupported)")
            }
            bias = Tensor(shape: [outFeatures], data: broadcast.map { $0 * beta })
        }
        let weight = Tensor(shape: b.shape, data: b.data.map { $0 * alpha })
        try append(.linear(LinearParameters(weight: weight, bias: bias)), name: name, inputs: [x], output: output)
    }

    private mutating func importBatchNorm(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        var parameters = [[Float]]()
        for position in 1...4 { parameters.append(try requiredConstant(node, position, name: name).data) }
        let channels = shape.first ?? 0
        guard parameters.allSatisfy({ $0.count == channels }) else {
            throw .shapeMismatch(node: name, detail: "BatchNormalization parameters \(parameters.map(\.count)) for \(channels) channels")
        }
        let bn = BatchNormalization(gamma: parameters[0], beta: parameters[1], mean: parameters[2], variance: parameters[3],
                                    epsilon: try node.float("epsilon", default: 1e-5, node: name))
        if let index = foldableLayer(producing: x) {
            switch nodes[index].operation {
            case .convolution(let conv): redirect(layer: index, to: output, operation: .convolution(bn.folded(into: conv)))
            case .linear(let linear): redirect(layer: index, to: output, operation: .linear(bn.folded(into: linear)))
            default: break
            }
            return
        }
        guard shape.count == 3 else {
            throw .unsupportedAttribute(opType: "BatchNormalization", node: name, attribute: "input",
                                        value: "sample \(shape) not after a Conv/Gemm (standalone BatchNorm needs [N, C, H, W])")
        }
        try append(.convolution(bn.asDepthwiseConvolution()), name: name, inputs: [x], output: output)
    }

    private mutating func importAdd(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        guard node.input.count == 2 else { throw .invalidModel("Add node '\(name)' needs two inputs") }
        var operands = node.input.map(resolve)
        if shapes[operands[0]] == nil, shapes[operands[1]] != nil { operands.swapAt(0, 1) }
        let (a, second) = (operands[0], operands[1])
        guard shapes[a] != nil else {
            if constants[a] != nil { throw .unsupportedAttribute(opType: "Add", node: name, attribute: "inputs", value: "both constant") }
            throw .missingInput(node: name, tensor: a)
        }
        if shapes[second] != nil {
            try append(.add, name: name, inputs: [a, second], output: output)
            return
        }
        guard let c = constants[second] else { throw .missingInput(node: name, tensor: second) }
        // A bias Add after a layer (MatMul + Add, Conv + per-channel Add) folds into the layer's bias.
        if let index = foldableLayer(producing: a) {
            switch nodes[index].operation {
            case .linear(var linear):
                if let row = c.broadcastVector(length: linear.outFeatures), c.rank <= 2 {
                    linear.bias = Tensor(shape: linear.bias.shape, data: zip(linear.bias.data, row).map { $0 + $1 })
                    redirect(layer: index, to: output, operation: .linear(linear))
                    return
                }
            case .convolution(var conv):
                if let channel = c.perChannelVector(channels: conv.outChannels) {
                    conv.bias = Tensor(shape: conv.bias.shape, data: zip(conv.bias.data, channel).map { $0 + $1 })
                    redirect(layer: index, to: output, operation: .convolution(conv))
                    return
                }
            default: break
            }
        }
        try append(.add, name: name, inputs: [a, second], output: output)
    }

    /// A Softmax over the class scores that only the graph output reads.
    private mutating func removeOutputSoftmax(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        let axis = try node.int("axis", default: opset < 13 ? 1 : -1, node: name)
        guard shape.count == 1, [1, -1].contains(axis), graph.output.count == 1, graph.output[0].name == output, readers[output] == 1,
              removedOutputSoftmax == nil else {
            throw .unsupportedAttribute(opType: "Softmax", node: name, attribute: "position",
                                        value: "only a final Softmax over [N, classes] that is the model's single output")
        }
        aliases[output] = x
        removedOutputSoftmax = output
    }

    /// A constant-mode Pad with zeros, non-negative and on H and W only (what
    /// TensorFlow- and Paddle-style exports put before a Conv for asymmetric
    /// "same" padding). It is not a node: the Convs that read it add its pads
    /// to their own (`importConv`), so forward, backward and export are the
    /// Conv's; any other reader is refused by name (`activation`).
    private mutating func importPad(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        let mode = try node.string("mode", node: name) ?? "constant"
        guard mode == "constant" else { throw .unsupportedAttribute(opType: "Pad", node: name, attribute: "mode", value: "\(mode) (only constant)") }
        let pads: [Int]
        let value: Float
        if opset < 11 {
            pads = try node.ints("pads", node: name) ?? []
            value = try node.float("value", default: 0, node: name)
        } else {
            guard let p = try constant(node, 1, name: name) else { throw .invalidModel("Pad node '\(name)' has no pads input") }
            pads = try ONNXImportError.checking { () throws(UntrustedSizeError) in try p.integers("Pad node '\(name)' pads") }
            value = try constant(node, 2, name: name).flatMap(\.data.first) ?? 0
            if try constant(node, 3, name: name) != nil {
                throw .unsupportedAttribute(opType: "Pad", node: name, attribute: "axes", value: "given (only pads over all four axes)")
            }
        }
        guard shape.count == 3, pads.count == 8, pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0, pads.allSatisfy({ (0...4096).contains($0) }) else {
            throw .unsupportedAttribute(opType: "Pad", node: name, attribute: "pads",
                                        value: "\(pads) (only non-negative pads of at most 4096 on H and W of [N, C, H, W])")
        }
        guard value == 0 else { throw .unsupportedAttribute(opType: "Pad", node: name, attribute: "constant_value", value: "\(value) (only 0)") }
        pendingPads[output] = (x, Padding2D(top: pads[2], left: pads[3], bottom: pads[6], right: pads[7]), name)
    }

    /// `x − c` and `x / c` by a constant `c` (input normalisation in torchvision
    /// and PaddleOCR exports) become `x + (−c)` and `x · (1/c)`: the Add and Mul
    /// by a constant that the executor, the engine's backward pass and the QDQ
    /// exporter already handle, and a `− c` after a layer folds into its bias as
    /// a bias Add does. Integer shape arithmetic never gets here (`ShapeArithmetic`
    /// folds it first); a run-time subtrahend or divisor, or a zero divisor, is refused.
    private mutating func importSubtractOrDivide(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let op = node.opType
        guard node.input.count == 2 else { throw .invalidModel("\(op) node '\(name)' needs two inputs") }
        let (x, c) = (resolve(node.input[0]), resolve(node.input[1]))
        // Constant by constant (shape computations in exports): folded, for a scalar or same-shaped second operand.
        if let a = constants[x], let b = constants[c], b.data.count == 1 || b.shape == a.shape {
            let values = a.data.indices.map { i in
                let (p, q) = (a.data[i], b.data[b.data.count == 1 ? 0 : i])
                return op == "Sub" ? p - q : p / q
            }
            constants[output] = Tensor(shape: a.shape, data: values)
            return
        }
        guard shapes[x] != nil else {
            if constants[x] == nil { throw .missingInput(node: name, tensor: x) }
            throw .unsupportedAttribute(opType: op, node: name, attribute: "inputs",
                                        value: "a constant first operand (only a computed tensor \(op == "Sub" ? "minus" : "divided by") a constant)")
        }
        guard let constant = constants[c] else {
            if shapes[c] == nil { throw .missingInput(node: name, tensor: c) }
            throw .unsupportedAttribute(opType: op, node: name, attribute: "inputs",
                                        value: "a run-time \(op == "Sub" ? "subtrahend" : "divisor") (only constants)")
        }
        let isDivision = op == "Div"
        if isDivision, let bad = constant.data.first(where: { $0 == 0 || !$0.isFinite }) {
            throw .unsupportedAttribute(opType: op, node: name, attribute: "divisor", value: "contains \(bad)")
        }
        var operand = name + (isDivision ? "/reciprocal" : "/negated")
        while constants[operand] != nil || shapes[operand] != nil { operand += "_" }
        constants[operand] = Tensor(shape: constant.shape, data: constant.data.map { isDivision ? 1 / $0 : -$0 })
        var lowered = node
        lowered.opType = isDivision ? "Mul" : "Add"
        lowered.input = [x, operand]
        if isDivision {
            try importMul(lowered, name: name, output: output)
        } else {
            try importAdd(lowered, name: name, output: output)
        }
    }

    /// The full-size operand first (Mul commutes): a squeeze-excitation gate
    /// or a constant then broadcasts over it.
    private mutating func importMul(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        guard node.input.count == 2 else { throw .invalidModel("Mul node '\(name)' needs two inputs") }
        var operands = node.input.map(resolve)
        for k in 0..<2 where shapes[operands[k]] == nil && constants[operands[k]] == nil {
            throw .missingInput(node: name, tensor: operands[k])
        }
        guard operands.contains(where: { shapes[$0] != nil }) else {
            throw .unsupportedAttribute(opType: "Mul", node: name, attribute: "inputs", value: "both constant")
        }
        let sizes = operands.map { shapes[$0].map { $0.reduce(1, *) } ?? -1 }
        if sizes[1] > sizes[0] { operands.swapAt(0, 1) }
        try append(.mul, name: name, inputs: operands, output: output)
    }

    private mutating func importConcat(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        var inputs = [String]()
        var rank = 0
        for position in node.input.indices {
            let (x, shape) = try activation(node, position, name: name)
            inputs.append(x)
            rank = shape.count + 1
        }
        guard !inputs.isEmpty else { throw .invalidModel("Concat node '\(name)' has no inputs") }
        guard let given = try node.attribute("axis", of: .int, node: name).map({ Int($0.i) }) else {
            throw .invalidModel("Concat node '\(name)' has no axis")
        }
        let axis = given < 0 ? given + rank : given
        guard axis >= 1, axis < rank else {
            throw .unsupportedAttribute(opType: "Concat", node: name, attribute: "axis", value: "\(given) (the batch axis 0 must stay whole)")
        }
        try append(.concat(axis: axis), name: name, inputs: inputs, output: output)
    }

    private mutating func importPool(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        let kernelShape = try node.ints("kernel_shape", node: name)
        guard let kernel = kernelShape, kernel.count == 2, shape.count == 3 else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "kernel_shape",
                                        value: "\(kernelShape ?? []) on sample \(shape) (2-D pooling only)")
        }
        guard kernel.allSatisfy({ $0 > 0 }) else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "kernel_shape", value: "\(kernel) (must be positive)")
        }
        try requireUnitDilations(node, name: name)
        let strides = try strides(node, name: name)
        let pads = try padding(node, name: name, input: shape, kernel: kernel, strides: strides)
        // ONNX requires pad < kernel: a window lying wholly in the padding has no input
        // (MaxPool would return -inf, AveragePool divide by zero).
        guard pads.top < kernel[0], pads.bottom < kernel[0], pads.left < kernel[1], pads.right < kernel[1] else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "pads",
                                        value: "[\(pads.top), \(pads.left), \(pads.bottom), \(pads.right)] (each must be smaller than the kernel \(kernel))")
        }
        let pool = PoolParameters(kernelHeight: kernel[0], kernelWidth: kernel[1], strideHeight: strides[0],
                                  strideWidth: strides[1], padding: pads,
                                  ceilMode: try node.int("ceil_mode", default: 0, node: name) != 0,
                                  countIncludePad: try node.int("count_include_pad", default: 0, node: name) != 0)
        try append(node.opType == "MaxPool" ? .maxPool(pool) : .averagePool(pool), name: name, inputs: [x], output: output)
    }

    /// Reshape with a constant target that keeps the batch axis first.
    private mutating func importReshape(_ node: Onnx_NodeProto, name: String, output: String) throws(ONNXImportError) {
        let (x, shape) = try activation(node, 0, name: name)
        let allowZero = try node.int("allowzero", default: 0, node: name) != 0
        let target: [Int]
        if node.input.count > 1, let computed = shapeArithmetic.values[resolve(node.input[1])] {
            // The symbolic batch size may only stand first, where 0 ("copy the input's axis") keeps it.
            guard !allowZero, !computed.elements.dropFirst().contains(.batch) else {
                throw .unsupportedAttribute(opType: "Reshape", node: name, attribute: "shape", value: "\(computed.elements) (the batch size must stay first)")
            }
            target = computed.elements.map { if case .value(let v) = $0 { v } else { 0 } }
        } else {
            let constant = try requiredConstant(node, 1, name: name)
            target = try ONNXImportError.checking { () throws(UntrustedSizeError) in try constant.integers("node '\(name)' (Reshape) shape") }
        }
        let full = [-1] + shape // the batch size is not known at import
        guard let first = target.first, first == 0 && !allowZero || first == -1 || first > 0 && target.count > 1 else {
            throw .unsupportedAttribute(opType: "Reshape", node: name, attribute: "shape", value: "\(target) (must keep the batch axis)")
        }
        var sample = [Int]()
        for (axis, dim) in target.enumerated().dropFirst() {
            if dim == 0 && !allowZero {
                guard axis < full.count else { throw .shapeMismatch(node: name, detail: "Reshape copies axis \(axis) of sample \(shape)") }
                sample.append(full[axis])
            } else {
                sample.append(dim)
            }
        }
        let inferred = sample.filter { $0 == -1 }.count
        if first == -1 && inferred > 0 || inferred > 1 || sample.contains(where: { $0 < -1 || $0 == 0 }) {
            throw .unsupportedAttribute(opType: "Reshape", node: name, attribute: "shape", value: "\(target)")
        }
        // The input's sample shape was checked when it was computed; the target's
        // entries come from the file and their product may overflow.
        let count = shape.reduce(1, *)
        let known = try ONNXImportError.checking { () throws(UntrustedSizeError) in
            try CheckedSize.product(sample.filter { $0 != -1 }, "node '\(name)' (Reshape) shape \(target)")
        }
        if inferred == 1 {
            guard count % known == 0 else { throw .shapeMismatch(node: name, detail: "cannot reshape sample \(shape) to \(target)") }
            sample = sample.map { $0 == -1 ? count / known : $0 }
        }
        // A fixed first entry must be the batch size: only valid if the per-sample counts agree.
        guard known == count || inferred == 1 else {
            throw .shapeMismatch(node: name, detail: "cannot reshape sample \(shape) to \(target) keeping the batch axis")
        }
        try append(.reshape(sampleShape: sample), name: name, inputs: [x], output: output)
    }
}
