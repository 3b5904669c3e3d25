import Foundation

/// Structure-aware edits of ONNX model bytes, for the fuzzing harness
/// (Sources/FuzzTargets). Hostile models are small edits of real ones — a
/// dimension of 2^40, pads of 20000, a node reading a tensor nobody makes —
/// which byte flips rarely produce with the protobuf still intact. The edit
/// decodes with the generated types, which stay internal to this module (the
/// rest of the package sees only the graph IR), which is why it lives here.
public enum ONNXStructuralMutation {
    /// Values that break size arithmetic: zero, negative, 2^31, 2^32−1, 2^40, 2^62, extremes.
    static let hostileIntegers: [Int64] = [0, -1, 1, 2, 3, 7, 20_000, 1 << 31, (1 << 32) - 1, 1 << 40, 1 << 62, .max, .min]
    static let hostileFloats: [Float] = [0, -1, 1e30, -1e30, .nan, .infinity, -.infinity, 1e-30, 2]

    /// One random edit of `data`; `random(n)` returns a number in `0..<n`.
    /// Nil when the bytes are not a ModelProto (the caller then mutates bytes).
    public static func mutate(_ data: Data, random: (Int) -> Int) -> Data? {
        guard var model = try? Onnx_ModelProto(serializedBytes: data), model.hasGraph else { return nil }
        withoutActuallyEscaping(random) { Edit(random: $0).apply(to: &model.graph) }
        return try? model.serializedData()
    }

    private struct Edit {
        let random: (Int) -> Int

        func integer() -> Int64 { ONNXStructuralMutation.hostileIntegers[random(ONNXStructuralMutation.hostileIntegers.count)] }
        func float() -> Float { ONNXStructuralMutation.hostileFloats[random(ONNXStructuralMutation.hostileFloats.count)] }

        func apply(to graph: inout Onnx_GraphProto) {
            switch random(9) {
            case 0: editInitializerDims(&graph)
            case 1: editInitializerValues(&graph)
            case 2, 3: editAttribute(&graph)
            case 4: editNodeInputs(&graph)
            case 5: editGraphInputShape(&graph)
            case 6: editNodeList(&graph)
            case 7: graph.output.removeAll()
            default: editOperator(&graph)
            }
        }

        func editInitializerDims(_ graph: inout Onnx_GraphProto) {
            guard !graph.initializer.isEmpty else { return }
            let k = random(graph.initializer.count)
            if graph.initializer[k].dims.isEmpty || random(4) == 0 {
                graph.initializer[k].dims.append(integer())
            } else {
                graph.initializer[k].dims[random(graph.initializer[k].dims.count)] = integer()
            }
        }

        /// Shape constants (Reshape targets, Gather indices) become NaN, 1e30, INT64_MAX…
        func editInitializerValues(_ graph: inout Onnx_GraphProto) {
            guard !graph.initializer.isEmpty else { return }
            let k = random(graph.initializer.count)
            var t = graph.initializer[k]
            if !t.int64Data.isEmpty {
                t.int64Data[random(t.int64Data.count)] = integer()
            } else if !t.floatData.isEmpty {
                t.floatData[random(t.floatData.count)] = float()
            } else if t.rawData.count >= 8, t.dataType == 7 {  // int64
                var raw = [UInt8](t.rawData)
                let at = 8 * random(raw.count / 8)
                withUnsafeBytes(of: integer().littleEndian) { for i in 0..<8 { raw[at + i] = $0[i] } }
                t.rawData = Data(raw)
            } else if t.rawData.count >= 4 {
                var raw = [UInt8](t.rawData)
                let at = 4 * random(raw.count / 4)
                withUnsafeBytes(of: float().bitPattern.littleEndian) { for i in 0..<4 { raw[at + i] = $0[i] } }
                t.rawData = Data(raw)
            } else {
                t.rawData = Data(count: random(64))
            }
            graph.initializer[k] = t
        }

        /// Pads, kernel sizes, strides, axes, alpha/beta: hostile values, or the wrong attribute type.
        func editAttribute(_ graph: inout Onnx_GraphProto) {
            let candidates = graph.node.indices.filter { !graph.node[$0].attribute.isEmpty }
            guard !candidates.isEmpty else { return }
            let n = candidates[random(candidates.count)]
            let a = random(graph.node[n].attribute.count)
            var attribute = graph.node[n].attribute[a]
            switch random(5) {
            case 0 where !attribute.ints.isEmpty:
                attribute.ints[random(attribute.ints.count)] = integer()
            case 1:
                attribute.ints = (0..<random(6)).map { _ in integer() }
                attribute.type = .ints
            case 2:
                attribute.i = integer()
                attribute.type = .int
            case 3:
                attribute.f = float()
                attribute.type = .float
            default:
                // Gemm's alpha as a string, and the like.
                attribute.s = Data("\(integer())".utf8)
                attribute.type = .string
            }
            graph.node[n].attribute[a] = attribute
        }

        func editNodeInputs(_ graph: inout Onnx_GraphProto) {
            guard !graph.node.isEmpty else { return }
            let n = random(graph.node.count)
            let names = graph.node.flatMap(\.output) + graph.initializer.map(\.name) + graph.input.map(\.name) + ["", "missing"]
            let name = names[random(names.count)]
            if graph.node[n].input.isEmpty || random(3) == 0 {
                graph.node[n].input.append(name)
            } else if random(2) == 0 {
                graph.node[n].input[random(graph.node[n].input.count)] = name
            } else {
                graph.node[n].input.remove(at: random(graph.node[n].input.count))
            }
        }

        func editGraphInputShape(_ graph: inout Onnx_GraphProto) {
            guard !graph.input.isEmpty else { return }
            let k = random(graph.input.count)
            var dims = graph.input[k].type.tensorType.shape.dim
            if dims.isEmpty || random(4) == 0 {
                var d = Onnx_TensorShapeProto.Dimension()
                d.dimValue = integer()
                dims.append(d)
            } else if random(3) == 0 {
                dims[random(dims.count)].dimParam = "N"
            } else {
                dims[random(dims.count)].dimValue = integer()
            }
            graph.input[k].type.tensorType.shape.dim = dims
        }

        /// Drop, duplicate or reorder nodes: dangling readers, cycles of names, shadowed outputs.
        func editNodeList(_ graph: inout Onnx_GraphProto) {
            guard !graph.node.isEmpty else { return }
            let n = random(graph.node.count)
            switch random(3) {
            case 0: graph.node.remove(at: n)
            case 1: graph.node.insert(graph.node[n], at: random(graph.node.count + 1))
            default: graph.node.swapAt(n, random(graph.node.count))
            }
        }

        func editOperator(_ graph: inout Onnx_GraphProto) {
            guard !graph.node.isEmpty else { return }
            let operators = ["Conv", "MaxPool", "AveragePool", "Reshape", "Gather", "Unsqueeze", "Squeeze", "Gemm", "MatMul",
                             "Concat", "Slice", "Shape", "Flatten", "Add", "Mul", "BatchNormalization", "Identity"]
            graph.node[random(graph.node.count)].opType = operators[random(operators.count)]
        }
    }
}
