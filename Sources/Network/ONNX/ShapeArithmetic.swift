import Tensor

/// Integer tensors computed from shapes at import time: what
/// `x.view(x.size(0), -1)` exports under a dynamic batch axis
/// (Shape → Gather → Unsqueeze → Concat → Reshape). The batch size is not
/// known at import, so it stays a symbol; every other entry folds to a number.
struct ShapeArithmetic {
    enum Element: Equatable, CustomStringConvertible {
        case batch
        case value(Int)

        var description: String {
            switch self {
            case .batch: "N"
            case .value(let v): "\(v)"
            }
        }
    }

    /// A 0-d (`isScalar`) or 1-d integer tensor.
    struct Value: Equatable {
        var elements: [Element]
        var isScalar = false
    }

    /// The operators this folds, when their data input is a shape value (`Shape` always).
    static let operators: Set<String> = ["Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Identity", "Slice"]

    /// Longest shape value kept. Shapes have a handful of axes; a chain of
    /// Concats each joining a value with itself would otherwise double it per
    /// node (2^60 elements after 60 nodes).
    static let maximumLength = 64

    private(set) var values: [String: Value] = [:]

    /// Folds `node` when it computes on shapes; false when it is not shape arithmetic.
    mutating func fold(_ node: Onnx_NodeProto, name: String, opset: Int64, inputs: [String],
                       shapes: [String: [Int]], constants: [String: Tensor]) throws(ONNXImportError) -> Bool {
        guard Self.operators.contains(node.opType), let output = node.output.first else { return false }
        if node.opType == "Shape" {
            guard let x = inputs.first, let sample = shapes[x] else { return false }
            let all: [Element] = [.batch] + sample.map { .value($0) }
            let (start, end) = Self.range(try node.int("start", default: 0, node: name),
                                          try node.int("end", default: all.count, node: name), count: all.count)
            values[output] = try limited(Value(elements: Array(all[start..<max(start, end)])), node: node, name: name)
            return true
        }
        // A Concat may start with a constant; every other operator computes on its first input.
        let applies = node.opType == "Concat" ? inputs.contains { values[$0] != nil } : inputs.first.map { values[$0] != nil } ?? false
        guard applies else { return false }
        let data = values[inputs[0]] ?? Value(elements: [])
        func fail(_ why: String) -> ONNXImportError {
            .unsupportedAttribute(opType: node.opType, node: name, attribute: "shape arithmetic", value: why)
        }
        func integers(_ position: Int) throws(ONNXImportError) -> (values: [Int], isScalar: Bool)? {
            guard position < inputs.count, !inputs[position].isEmpty else { return nil }
            guard let t = constants[inputs[position]] else { throw fail("input \(position) is not a constant") }
            let numbers = try ONNXImportError.checking { () throws(UntrustedSizeError) in
                try t.integers("node '\(name)' (\(node.opType)) input \(position) ('\(inputs[position])')")
            }
            return (numbers, t.rank == 0)
        }
        func axes() throws(ONNXImportError) -> [Int]? { opset < 13 ? try node.ints("axes", node: name) : try integers(1)?.values }
        switch node.opType {
        case "Cast", "Identity":
            values[output] = data
        case "Gather":
            guard try node.int("axis", default: 0, node: name) == 0, !data.isScalar, let indices = try integers(1) else { throw fail("gathers along axis 0 of a 1-d shape only") }
            var picked = [Element]()
            for i in indices.values {
                let k = i < 0 ? i + data.elements.count : i
                guard data.elements.indices.contains(k) else { throw fail("index \(i) outside \(data.elements)") }
                picked.append(data.elements[k])
            }
            values[output] = Value(elements: picked, isScalar: indices.isScalar)
        case "Unsqueeze":
            guard data.isScalar, try axes() == [0] else { throw fail("only a scalar to a 1-d shape") }
            values[output] = Value(elements: data.elements)
        case "Squeeze":
            guard !data.isScalar, data.elements.count == 1, [nil, [0]].contains(try axes()) else { throw fail("only a 1-element shape to a scalar") }
            values[output] = Value(elements: data.elements, isScalar: true)
        case "Slice":
            guard !data.isScalar, let starts = try integers(1)?.values, let ends = try integers(2)?.values,
                  starts.count == 1, ends.count == 1, [nil, [0]].contains(try integers(3)?.values),
                  [nil, [1]].contains(try integers(4)?.values) else { throw fail("only a step-1 slice of a 1-d shape") }
            let (start, end) = Self.range(starts[0], ends[0], count: data.elements.count)
            values[output] = Value(elements: Array(data.elements[start..<max(start, end)]))
        default:  // Concat of shape values and integer constants
            var joined = [Element]()
            for position in inputs.indices {
                if let v = values[inputs[position]] {
                    guard !v.isScalar else { throw fail("Concat of a scalar") }
                    joined += v.elements
                } else if let numbers = try integers(position)?.values {
                    joined += numbers.map { .value($0) }
                }
                guard joined.count <= Self.maximumLength else { throw fail("a shape of more than \(Self.maximumLength) axes") }
            }
            values[output] = Value(elements: joined)
        }
        if let value = values[output] { values[output] = try limited(value, node: node, name: name) }
        return true
    }

    /// `value` when it has at most `maximumLength` elements.
    private func limited(_ value: Value, node: Onnx_NodeProto, name: String) throws(ONNXImportError) -> Value {
        guard value.elements.count <= Self.maximumLength else {
            throw .unsupportedAttribute(opType: node.opType, node: name, attribute: "shape arithmetic",
                                        value: "a shape of \(value.elements.count) axes (at most \(Self.maximumLength))")
        }
        return value
    }

    /// ONNX's clamped [start, end) of an axis of length `count` (negative values count from the end).
    private static func range(_ start: Int, _ end: Int, count: Int) -> (Int, Int) {
        func clamp(_ i: Int) -> Int { min(max(i < 0 ? i + count : i, 0), count) }
        return (clamp(start), clamp(end))
    }
}
