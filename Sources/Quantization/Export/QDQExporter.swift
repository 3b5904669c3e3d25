import Foundation
import Network
import Tensor

/// Writes a quantized model as ONNX in QDQ form plus its encodings JSON.
///
/// Layout (opset 14, the first with HardSwish; QDQ is unchanged since 13):
/// - each conv/linear weight: an int8 initializer (the integer levels, see
///   `WeightEncoding`), per-channel float scale and int8 zero point →
///   DequantizeLinear(axis 0) → Conv / Gemm(transB) with the folded float bias;
/// - each active activation quantizer on its tensor: [Clip →] QuantizeLinear →
///   DequantizeLinear (see `ActivationEncoding`), read by every consumer;
/// - everything else (activations, Add, pools, Flatten, Reshape) as in the graph.
/// The dequantized weights equal the engine's bit for bit, and the activation
/// pairs compute the engine's fake quantization exactly; what remains is the
/// float summation order inside Conv/Gemm (docs/export.md).
public struct QDQExporter: Sendable {
    public static let opset = 14
    /// IR version 7 covers opsets 13 and 14 (ONNX 1.8–1.9).
    public static let irVersion = 7

    public let graph: Graph
    public let model: QuantizedModel

    public init(graph: Graph, model: QuantizedModel) {
        self.graph = graph
        self.model = model
    }

    /// Checks that the model can be exported and builds both files in memory.
    /// `modelFileName` is recorded in the encodings.
    public func build(modelFileName: String) throws(ExportError) -> (onnx: Data, encodings: QuantizationEncodings) {
        let (weights, activations) = try encodings()
        var writer = ONNXModelWriter(graphName: "brecq_qdq")
        writer.addInput(.init(name: graph.input, dimensions: [nil] + graph.inputSampleShape))
        /// The name consumers read for a tensor (its dequantized copy once quantized).
        var readName: [String: String] = [:]
        func read(_ tensor: String) -> String { readName[tensor] ?? tensor }

        for node in graph.nodes {
            let inputs = node.inputs.map(read)
            switch node.operation {
            case .convolution(let p):
                let w = emitWeight(node.name, shape: p.weight.shape, encoding: weights[node.name]!, into: &writer)
                let b = node.name + ".bias"
                writer.addInitializer(name: b, dimensions: [p.outChannels], floats: p.bias.data)
                writer.addNode("Conv", name: node.name, inputs: [inputs[0], w, b], outputs: [node.output], attributes: [
                    ("kernel_shape", .ints([p.kernelHeight, p.kernelWidth])),
                    ("strides", .ints([p.strideHeight, p.strideWidth])),
                    ("pads", .ints([p.padding.top, p.padding.left, p.padding.bottom, p.padding.right])),
                    ("dilations", .ints([1, 1])),
                    ("group", .int(p.groups)),
                ])
            case .linear(let p):
                let w = emitWeight(node.name, shape: p.weight.shape, encoding: weights[node.name]!, into: &writer)
                let b = node.name + ".bias"
                writer.addInitializer(name: b, dimensions: [p.outFeatures], floats: p.bias.data)
                writer.addNode("Gemm", name: node.name, inputs: [inputs[0], w, b], outputs: [node.output],
                               attributes: [("transB", .int(1))])
            case .relu:
                writer.addNode("Relu", name: node.name, inputs: inputs, outputs: [node.output])
            case let .clip(lo, hi):
                var operands = [inputs[0], "", ""]
                if lo.isFinite { operands[1] = node.name + ".min"; writer.addInitializer(name: operands[1], dimensions: [], floats: [lo]) }
                if hi.isFinite { operands[2] = node.name + ".max"; writer.addInitializer(name: operands[2], dimensions: [], floats: [hi]) }
                while operands.last == "" { operands.removeLast() }
                writer.addNode("Clip", name: node.name, inputs: operands, outputs: [node.output])
            case .smooth(let f):
                let attributes: [(String, ONNXModelWriter.Attribute)] = switch f {
                case .leakyRelu(let alpha): [("alpha", .float(alpha))]
                case let .hardSigmoid(alpha, beta): [("alpha", .float(alpha)), ("beta", .float(beta))]
                case .hardSwish, .sigmoid, .tanh: []
                }
                writer.addNode(f.onnxName, name: node.name, inputs: inputs, outputs: [node.output], attributes: attributes)
            case .add, .mul:
                var operands = inputs
                if let constant = graph.constants[node.inputs[1]] {
                    operands[1] = node.name + ".constant"
                    writer.addInitializer(name: operands[1], dimensions: constant.shape, floats: constant.data)
                }
                writer.addNode(node.operation.kindName, name: node.name, inputs: operands, outputs: [node.output])
            case .concat(let axis):
                writer.addNode("Concat", name: node.name, inputs: inputs, outputs: [node.output], attributes: [("axis", .int(axis))])
            case .maxPool(let p):
                writer.addNode("MaxPool", name: node.name, inputs: inputs, outputs: [node.output],
                               attributes: Self.window(p))
            case .averagePool(let p):
                writer.addNode("AveragePool", name: node.name, inputs: inputs, outputs: [node.output],
                               attributes: Self.window(p) + [("count_include_pad", .int(p.countIncludePad ? 1 : 0))])
            case .globalAveragePool:
                writer.addNode("GlobalAveragePool", name: node.name, inputs: inputs, outputs: [node.output])
            case .flatten:
                writer.addNode("Flatten", name: node.name, inputs: inputs, outputs: [node.output], attributes: [("axis", .int(1))])
            case .reshape(let sample):
                let shape = node.name + ".shape"
                // 0 copies the batch dimension of the input.
                writer.addInitializer(name: shape, dimensions: [sample.count + 1], int64: [0] + sample.map(Int64.init))
                writer.addNode("Reshape", name: node.name, inputs: [inputs[0], shape], outputs: [node.output])
            }
            if let encoding = activations[node.output] {
                readName[node.output] = emitActivation(node.output, encoding: encoding, into: &writer)
            }
        }
        if let probabilities = graph.removedOutputSoftmax {
            writer.addNode("Softmax", name: probabilities + ".softmax", inputs: [read(graph.output)], outputs: [probabilities],
                           attributes: [("axis", .int(-1))])
            writer.addOutput(.init(name: probabilities, dimensions: [nil] + graph.outputSampleShape))
        } else {
            for output in graph.outputs {
                writer.addOutput(.init(name: read(output), dimensions: [nil] + (graph.sampleShape(of: output) ?? [])))
            }
        }
        let data: Data
        do {
            data = try writer.serializedData(opset: Self.opset, irVersion: Self.irVersion, producerName: "brecq",
                                             producerVersion: "1", docString: "BRECQ post-training quantization, QDQ form")
        } catch {
            throw .mismatch("protobuf serialisation failed: \(error)")
        }
        return (data, try document(modelFileName: modelFileName, weights: weights, activations: activations))
    }

    /// Writes the model and the encodings, each atomically. Everything is
    /// checked and encoded before the first byte is written, and when the
    /// second file cannot be written the first is removed again, so a failed
    /// export leaves neither a partial file nor half of the pair.
    public func write(modelPath: String, encodingsPath: String) throws {
        let (onnx, document) = try build(modelFileName: URL(fileURLWithPath: modelPath).lastPathComponent)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(document) + Data("\n".utf8)
        try AtomicFile.write(onnx, to: modelPath)
        do {
            try AtomicFile.write(json, to: encodingsPath)
        } catch {
            unlink(modelPath)
            throw error
        }
    }

    /// The default encodings path for a model path: `model.onnx` → `model.encodings.json`.
    public static func encodingsPath(forModel path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.pathExtension.lowercased() == "onnx" ? url.deletingPathExtension() : url
        return base.path + ".encodings.json"
    }

    // MARK: Checks and encodings

    private func encodings() throws(ExportError) -> (weights: [String: WeightEncoding], activations: [String: ActivationEncoding]) {
        var weights: [String: WeightEncoding] = [:]
        for node in graph.nodes where node.operation.isParametric {
            guard let layer = model.layer(named: node.name) else {
                throw .mismatch("layer \(node.name) of the graph has no quantization in the model")
            }
            let count = QuantizedModel.weight(of: node).count
            guard layer.levels.count == count else {
                throw .mismatch("layer \(node.name) has \(layer.levels.count) levels for \(count) weights")
            }
            weights[node.name] = try WeightEncoding(layer)
        }
        for layer in model.layers where graph.node(named: layer.layer) == nil {
            throw .mismatch("the model quantizes layer \(layer.layer), which the graph does not have")
        }
        var activations: [String: ActivationEncoding] = [:]
        for a in model.activations where a.isQuantized {
            guard graph.producerIndex(of: a.tensor) != nil else {
                throw .mismatch("activation quantizer on tensor '\(a.tensor)', which no node of the graph computes")
            }
            activations[a.tensor] = try ActivationEncoding(a)
        }
        return (weights, activations)
    }

    private func document(modelFileName: String, weights: [String: WeightEncoding],
                          activations: [String: ActivationEncoding]) throws(ExportError) -> QuantizationEncodings {
        let layers = model.layers.map { l in
            let e = weights[l.layer]!
            return QuantizationEncodings.Layer(name: l.layer, bits: l.bits, rounding: l.rounding, scales: l.grid.scales,
                                               zeroPoints: l.grid.zeroPoints, onnxWeight: l.layer + ".weight",
                                               onnxStorage: e.storage, onnxZeroPoints: e.zeroPoints, onnxOffsets: e.offsets)
        }
        let quantized = model.activations.filter(\.isQuantized).map { a in
            let e = activations[a.tensor]!
            return QuantizationEncodings.Activation(tensor: a.tensor, role: a.role, bits: a.bits, step: a.quantizer!.step,
                                                    zeroPoint: a.quantizer!.zeroPoint, readers: a.readers, onnxForm: e.form,
                                                    onnxType: e.elementType, onnxZeroPoint: e.zeroPoint,
                                                    onnxClip: e.clip.map { [$0.lowerBound, $0.upperBound] })
        }
        var bits: [String: LayerBits] = [:]
        for l in model.layers {
            let abits = model.inputActivationBits(ofLayer: l.layer)
            do { bits[l.layer] = try LayerBits(wbits: l.bits, abits: abits) } catch {
                throw .unrepresentableBits(what: "layer \(l.layer)", bits: error.field == "wbits" ? l.bits : abits)
            }
        }
        return QuantizationEncodings(model: modelFileName, opset: Self.opset, layers: layers, activations: quantized,
                                     bitConfiguration: .init(layers: bits))
    }

    // MARK: Emission

    /// Adds the integer weight, its scale and zero point and the DequantizeLinear; returns the float weight's name.
    private func emitWeight(_ layer: String, shape: [Int], encoding e: WeightEncoding,
                            into writer: inout ONNXModelWriter) -> String {
        let name = layer + ".weight"
        let channels = e.scales.count
        switch e.storage {
        case .int8:
            writer.addInitializer(name: name + "_quantized", dimensions: shape, int8: e.values.map { Int8($0) })
            writer.addInitializer(name: name + "_zero_point", dimensions: [channels], int8: e.zeroPoints.map { Int8($0) })
        case .int32:
            writer.addInitializer(name: name + "_quantized", dimensions: shape, int32: e.values)
            writer.addInitializer(name: name + "_zero_point", dimensions: [channels], int32: e.zeroPoints)
        }
        writer.addInitializer(name: name + "_scale", dimensions: [channels], floats: e.scales)
        writer.addNode("DequantizeLinear", name: name + "_dequantize",
                       inputs: [name + "_quantized", name + "_scale", name + "_zero_point"], outputs: [name],
                       attributes: [("axis", .int(0))])
        return name
    }

    /// Adds the quantizer's operators after `tensor`; returns the name of the dequantized result.
    private func emitActivation(_ tensor: String, encoding e: ActivationEncoding,
                                into writer: inout ONNXModelWriter) -> String {
        var current = tensor
        if let clip = e.clip {
            writer.addInitializer(name: tensor + "_clip_min", dimensions: [], floats: [clip.lowerBound])
            writer.addInitializer(name: tensor + "_clip_max", dimensions: [], floats: [clip.upperBound])
            writer.addNode("Clip", name: tensor + "_clip", inputs: [current, tensor + "_clip_min", tensor + "_clip_max"],
                           outputs: [tensor + "_clipped"])
            current = tensor + "_clipped"
        }
        writer.addInitializer(name: tensor + "_scale", dimensions: [], floats: [e.scale])
        switch e.form {
        case .qdq:
            let zp = tensor + "_zero_point"
            if e.elementType == "uint8" {
                writer.addInitializer(name: zp, dimensions: [], uint8: [UInt8(e.zeroPoint)])
            } else {
                writer.addInitializer(name: zp, dimensions: [], int8: [Int8(e.zeroPoint)])
            }
            writer.addNode("QuantizeLinear", name: tensor + "_quantize", inputs: [current, tensor + "_scale", zp],
                           outputs: [tensor + "_quantized"])
            writer.addNode("DequantizeLinear", name: tensor + "_dequantize", inputs: [tensor + "_quantized", tensor + "_scale", zp],
                           outputs: [tensor + "_dequantized"])
        case .float:
            writer.addNode("Div", name: tensor + "_divide", inputs: [current, tensor + "_scale"], outputs: [tensor + "_scaled"])
            writer.addNode("Round", name: tensor + "_round", inputs: [tensor + "_scaled"], outputs: [tensor + "_rounded"])
            writer.addNode("Mul", name: tensor + "_multiply", inputs: [tensor + "_rounded", tensor + "_scale"],
                           outputs: [tensor + "_dequantized"])
        }
        return tensor + "_dequantized"
    }

    private static func window(_ p: PoolParameters) -> [(String, ONNXModelWriter.Attribute)] {
        [("kernel_shape", .ints([p.kernelHeight, p.kernelWidth])),
         ("strides", .ints([p.strideHeight, p.strideWidth])),
         ("pads", .ints([p.padding.top, p.padding.left, p.padding.bottom, p.padding.right])),
         ("ceil_mode", .int(p.ceilMode ? 1 : 0))]
    }
}
