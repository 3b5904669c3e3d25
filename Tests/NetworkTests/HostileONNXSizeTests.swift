import Foundation
import XCTest
@testable import Network
import Tensor

/// Sizes read from an ONNX file are hostile: every one is checked (overflow,
/// negative, NaN, over `AllocationLimit`) and refused with a message naming
/// the node, tensor or attribute, before anything is allocated.
final class HostileONNXSizeTests: XCTestCase {
    typealias M = HostileModel

    private let weight = M.floats("w", dims: [1, 1, 1, 1], [1])

    private func conv(_ name: String = "c", _ attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        M.node("Conv", name, ["x", "w"], "y", attributes)
    }

    func testInitializerDimensionsThatOverflowOrAreNegative() {
        let huge = M.floats("w", dims: [1 << 40, 1 << 40, 1, 1], [])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv()], initializers: [huge], outputs: ["y"]),
                        mentioning: ["initializer 'w'", "1099511627776"])
        // [-1, -1, 1, 1] multiplies to 1, which matches one value: the sign must be caught per dimension.
        let negative = M.floats("w", dims: [-1, -1, 1, 1], [1])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv()], initializers: [negative], outputs: ["y"]),
                        mentioning: ["initializer 'w'", "negative"])
    }

    func testAnInitializerOverTheAllocationLimitIsRefusedBeforeDecoding() {
        let elements = Int64(AllocationLimit.elements(ofSize: 4)) + 1
        let big = M.floats("w", dims: [elements, 1, 1, 1], [])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv()], initializers: [big], outputs: ["y"]),
                        mentioning: ["initializer 'w'", "more than the limit", "BRECQ_MAX_TENSOR_BYTES"])
    }

    func testAnInputDeclaringAbsurdDimensions() {
        M.assertRefused(M.model(sample: [1, 1 << 40, 1 << 40], nodes: [conv()], initializers: [weight], outputs: ["y"]),
                        mentioning: ["input 'x'", "exceed"])
    }

    /// Reshape targets are float-decoded constants: 1e30, NaN and INT64_MAX
    /// must not trap in `Int(_:)`, and 2^40 · 2^40 must not overflow.
    func testReshapeTargetsThatAreNotSizes() {
        func reshape(_ target: Onnx_TensorProto) -> Onnx_ModelProto {
            M.model(sample: [4], nodes: [M.node("Reshape", "r", ["x", "shape"], "y")], initializers: [target], outputs: ["y"])
        }
        M.assertRefused(reshape(M.floats("shape", dims: [2], [1, 1e30])), mentioning: ["node 'r' (Reshape) shape", "not an integer"])
        M.assertRefused(reshape(M.floats("shape", dims: [2], [1, .nan])), mentioning: ["node 'r' (Reshape) shape", "not a finite number"])
        M.assertRefused(reshape(M.int64s("shape", dims: [2], [1, .max])), mentioning: ["node 'r' (Reshape) shape", "not an integer"])
        M.assertRefused(reshape(M.int64s("shape", dims: [3], [1, 1 << 40, 1 << 40])), mentioning: ["node 'r' (Reshape) shape", "exceed"])
    }

    func testANaNGatherIndexInShapeArithmetic() {
        let nodes = [M.node("Shape", "s", ["x"], "shape"), M.node("Gather", "g", ["shape", "index"], "picked")]
        let model = M.model(sample: [4], nodes: nodes + [M.node("Relu", "r", ["x"], "y")],
                            initializers: [M.floats("index", dims: [1], [.nan])], outputs: ["y"])
        M.assertRefused(model, mentioning: ["node 'g' (Gather) input 1", "not a finite number"])
    }

    /// Concat of a shape value with itself doubles it per node: 2^70 elements
    /// after 70 nodes unless the length is capped.
    func testShapeArithmeticThatDoublesPerNode() {
        var nodes = [M.node("Shape", "s", ["x"], "v0")]
        for k in 1...70 { nodes.append(M.node("Concat", "double\(k)", ["v\(k - 1)", "v\(k - 1)"], "v\(k)", [M.int("axis", 0)])) }
        nodes.append(M.node("Relu", "r", ["x"], "y"))
        M.assertRefused(M.model(sample: [4], nodes: nodes, outputs: ["y"]), mentioning: ["'double6'", "more than 64 axes"])
    }

    func testConvolutionAttributesOf2To62() {
        let huge = Int64(1) << 62
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv("pads", [M.ints("pads", [huge, huge, huge, huge])])],
                                initializers: [weight], outputs: ["y"]),
                        mentioning: ["node 'pads' Conv height", "larger than the limit"])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv("group", [M.int("group", huge)])], initializers: [weight], outputs: ["y"]),
                        mentioning: ["'group'", "group=\(huge)"])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv("dilated", [M.ints("dilations", [huge, huge])])],
                                initializers: [weight], outputs: ["y"]),
                        mentioning: ["'dilated'", "dilations"])
        // A stride longer than the padded input would give one window, but the
        // kernels' index arithmetic (row · stride) overflowed on it (found by the
        // 100 000-case campaign): refused, naming the node, also with same-padding.
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv("strided", [M.ints("strides", [huge, huge])])],
                                initializers: [weight], outputs: ["y"]),
                        mentioning: ["node 'strided' Conv height", "stride \(huge) is longer than the padded input"])
        let same = conv("same", [M.string("auto_pad", "SAME_UPPER"), M.ints("strides", [.max, .max])])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [same], initializers: [weight], outputs: ["y"]),
                        mentioning: ["node 'same' Conv height", "is longer than the padded input"])
        // A stride as long as the padded input is still one output pixel.
        let graph = try? Graph.importONNX(data: try! M.model(sample: [1, 4, 4], nodes: [conv("edge", [M.ints("strides", [4, 4])])],
                                                              initializers: [weight], outputs: ["y"]).serializedData())
        XCTAssertEqual(graph?.outputSampleShape, [1, 1, 1])
    }

    func testPoolingAttributesOf2To62() {
        let huge = Int64(1) << 62
        let pool = M.node("MaxPool", "p", ["x"], "y", [M.ints("kernel_shape", [huge, huge]), M.ints("pads", [huge - 1, huge - 1, huge - 1, huge - 1])])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [pool], outputs: ["y"]), mentioning: ["node 'p' MaxPool height", "larger than the limit"])
        let negative = M.node("AveragePool", "a", ["x"], "y", [M.ints("kernel_shape", [-2, 2])])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [negative], outputs: ["y"]), mentioning: ["'a'", "kernel_shape", "[-2, 2]"])
    }

    /// A 500-byte model whose Conv pads of 20 000 would make one sample's
    /// output 400 GB: refused at import, naming the node.
    func testPaddingThatWouldAllocateHundredsOfGigabytes() throws {
        let w = M.floats("w", dims: [64, 1, 1, 1], [Float](repeating: 1, count: 64))
        let model = M.model(sample: [1, 8, 8], nodes: [conv("bomb", [M.ints("pads", [20000, 20000, 20000, 20000])])],
                            initializers: [w], outputs: ["y"])
        XCTAssertLessThan(try model.serializedData().count, 1000)
        M.assertRefused(model, mentioning: ["node 'bomb' (Conv) output [64, 40008, 40008]", "more than the limit"])
    }

    /// A small kernel can still ask for a huge im2col matrix: the columns of
    /// one sample are checked too.
    func testConvolutionColumnsOverTheLimit() {
        let side = Int64(Double(AllocationLimit.elements(ofSize: 4) / 2).squareRoot())
        let w = M.floats("w", dims: [1, 1, 31, 31], [Float](repeating: 0, count: 961))
        let model = M.model(sample: [1, side, side], nodes: [conv("wide")], initializers: [w], outputs: ["y"])
        M.assertRefused(model, mentioning: ["node 'wide' (Conv) im2col columns", "more than the limit"])
    }

    /// The MAC count of a node uses checked arithmetic; a graph built in code
    /// (not imported) gets the same checks as an imported one.
    func testGroupsOf2To62InAGraphBuiltInCode() {
        let conv = ConvolutionParameters(weight: Tensor(shape: [1, 4, 1, 1], data: [1, 1, 1, 1]), bias: Tensor(zeros: [1]), groups: 1 << 62)
        assertThrows(try Graph(inputs: [("x", [4, 2, 2])], outputs: ["y"], nodes: [Node(name: "g", operation: .convolution(conv), inputs: ["x"], output: "y")]),
                     mentioning: ["node 'g' Conv input channels", "4611686018427387904"])
    }

    /// MACs multiply output size, input channels and kernel area: checked,
    /// and the graph's total held under `Graph.macLimit`.
    func testMultiplyAccumulatesThatOverflow() {
        let conv = ConvolutionParameters(weight: Tensor(shape: [1, 1, 1, 1], data: [1]), bias: Tensor(zeros: [1]))
        let node = Node(name: "c", operation: .convolution(conv), inputs: ["x"], output: "y")
        assertThrows(try Graph.multiplyAccumulates(nodes: [node], shapes: ["y": [1 << 40, 1 << 40, 1 << 40]]),
                     mentioning: ["node 'c' (Conv) multiply-accumulates", "exceed"])
        assertThrows(try Graph.multiplyAccumulates(nodes: [node, node, node], shapes: ["y": [1 << 26, 1 << 26, 1]]),
                     mentioning: ["multiply-accumulates of the whole graph up to node 'c'", "larger than the limit \(Graph.macLimit)"])
        XCTAssertEqual(try Graph.multiplyAccumulates(nodes: [node], shapes: ["y": [1, 4, 4]]), [16])
    }

    /// A batch whose activations pass the limit is refused by the executor
    /// before it allocates the output, and by `checkBatch` before any work.
    func testABatchTooLargeForTheLimitIsRefusedBeforeAllocating() throws {
        let perSample = AllocationLimit.elements(ofSize: 4) / 64
        let pad = (Int(Double(perSample).squareRoot()) - 1) / 2
        let conv = ConvolutionParameters(weight: Tensor(shape: [1, 1, 1, 1], data: [1]), bias: Tensor(zeros: [1]),
                                         padding: Padding2D(top: pad, left: pad, bottom: pad, right: pad))
        let graph = try Graph(inputs: [("x", [1, 1, 1])], outputs: ["y"],
                              nodes: [Node(name: "padded", operation: .convolution(conv), inputs: ["x"], output: "y")])
        XCTAssertNoThrow(try graph.checkBatch(1))
        assertThrows(try graph.checkBatch(1000), mentioning: ["a batch of 1000 samples", "more than the limit"])
        let executor = GraphExecutor(graph: graph)
        assertThrows(try executor.logits(for: Tensor(zeros: [1000, 1, 1, 1])),
                     mentioning: ["node 'padded' output for a batch of 1000", "more than the limit"])
    }
}
