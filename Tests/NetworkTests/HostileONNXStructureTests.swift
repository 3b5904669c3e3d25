import Foundation
import XCTest
@testable import Network
import Tensor

/// The structure of an ONNX file is hostile too: missing outputs, operators
/// used where they are not supported, attributes of the wrong type, windows
/// wholly in the padding. Each is one error naming the node, never a trap.
final class HostileONNXStructureTests: XCTestCase {
    typealias M = HostileModel

    /// A `where` on `case "Unsqueeze", "Squeeze"` guarded only Squeeze, so an
    /// Unsqueeze of a run-time tensor force-unwrapped a missing constant.
    func testUnsqueezeOfARunTimeTensor() {
        let model = M.model(sample: [4], nodes: [M.node("Unsqueeze", "u", ["x", "axes"], "y")],
                            initializers: [M.int64s("axes", dims: [1], [1])], outputs: ["y"])
        M.assertRefused(model, mentioning: ["Unsqueeze", "'u'", "run-time tensor"])
    }

    func testAGraphWithoutOutputs() {
        M.assertRefused(M.model(sample: [4], nodes: [M.node("Relu", "r", ["x"], "y")], outputs: []),
                        mentioning: ["declares no outputs"])
        assertThrows(try Graph(inputs: [("x", [4])], outputs: [], nodes: [Node(name: "r", operation: .relu, inputs: ["x"], output: "y")]),
                     mentioning: ["the graph has no output"])
        assertThrows(try Graph(inputs: [], outputs: ["y"], nodes: []), mentioning: ["the graph has no input"])
    }

    /// ONNX requires pad < kernel; a window wholly in the padding has nothing
    /// to pool (MaxPool gives -inf, AveragePool divides by zero).
    func testPoolPadsNotSmallerThanTheKernel() {
        for op in ["MaxPool", "AveragePool"] {
            let pool = M.node(op, "pool", ["x"], "y", [M.ints("kernel_shape", [2, 2]), M.ints("pads", [2, 0, 0, 0])])
            M.assertRefused(M.model(sample: [1, 4, 4], nodes: [pool], outputs: ["y"]),
                            mentioning: [op, "'pool'", "pads=[2, 0, 0, 0]", "smaller than the kernel"])
        }
        // A graph built in code gets the same rule from shape inference.
        let pool = PoolParameters(kernelHeight: 2, kernelWidth: 2, padding: Padding2D(top: 0, left: 3, bottom: 0, right: 0))
        assertThrows(try Graph(inputs: [("x", [1, 4, 4])], outputs: ["y"], nodes: [Node(name: "p", operation: .maxPool(pool), inputs: ["x"], output: "y")]),
                     mentioning: ["node 'p'", "smaller than the kernel"])
    }

    /// NaN or infinite weights reached the quantizer, whose integer levels trapped
    /// on them (found by the mutation driver). Refused at import, naming the node.
    func testNonFiniteWeights() {
        for bad in [Float.nan, .infinity, -.infinity] {
            let conv = M.node("Conv", "c", ["x", "w"], "y")
            M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv], initializers: [M.floats("w", dims: [1, 1, 1, 1], [bad])], outputs: ["y"]),
                            mentioning: ["node 'c'", "weight holds NaN or infinity"])
        }
        let gemm = M.node("Gemm", "fc", ["x", "w", "b"], "y")
        M.assertRefused(M.model(sample: [2], nodes: [gemm], initializers: [M.floats("w", dims: [2, 2], [1, 0, 0, 1]), M.floats("b", dims: [2], [0, .nan])],
                                outputs: ["y"]),
                        mentioning: ["node 'fc'", "bias holds NaN or infinity"])
    }

    /// An attribute of another type than the operator defines used to read as
    /// 0: a string `alpha` silently zeroed a Gemm.
    func testAttributesOfTheWrongType() {
        let gemm = M.node("Gemm", "fc", ["x", "w"], "y", [M.string("alpha", "2.0")])
        M.assertRefused(M.model(sample: [2], nodes: [gemm], initializers: [M.floats("w", dims: [2, 2], [1, 0, 0, 1])], outputs: ["y"]),
                        mentioning: ["Gemm attribute alpha at node 'fc' is STRING, expected FLOAT"])
        let conv = M.node("Conv", "c", ["x", "w"], "y", [M.float("group", 1)])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [conv], initializers: [M.floats("w", dims: [1, 1, 1, 1], [1])], outputs: ["y"]),
                        mentioning: ["Conv attribute group at node 'c' is FLOAT, expected INT"])
        let pads = M.node("Conv", "p", ["x", "w"], "y", [M.int("pads", 1)])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [pads], initializers: [M.floats("w", dims: [1, 1, 1, 1], [1])], outputs: ["y"]),
                        mentioning: ["attribute pads at node 'p' is INT, expected INTS"])
        // An attribute written without its type (old exporters) is typed by the field that is set.
        var untyped = M.string("alpha", "2.0")
        untyped.type = .undefined
        let old = M.node("Gemm", "old", ["x", "w"], "y", [untyped])
        M.assertRefused(M.model(sample: [2], nodes: [old], initializers: [M.floats("w", dims: [2, 2], [1, 0, 0, 1])], outputs: ["y"]),
                        mentioning: ["alpha at node 'old' is STRING, expected FLOAT"])
    }

    func testATypedFloatAttributeStillApplies() throws {
        let gemm = M.node("Gemm", "fc", ["x", "w"], "y", [M.float("alpha", 2)])
        let graph = try Graph.importONNX(data: M.model(sample: [2], nodes: [gemm], initializers: [M.floats("w", dims: [2, 2], [1, 0, 0, 1])],
                                                       outputs: ["y"]).serializedData())
        guard case .linear(let linear) = graph.nodes[0].operation else { return XCTFail("\(graph.nodes)") }
        XCTAssertEqual(linear.weight.data, [2, 0, 0, 2])
    }

    /// A node writing the tensor it reads made producer walks in block
    /// detection cycle forever; tensors are assigned once.
    func testANodeRewritingATensor() {
        let nodes = [M.node("Relu", "a", ["x"], "t"), M.node("Relu", "b", ["t"], "t")]
        M.assertRefused(M.model(sample: [4], nodes: nodes, outputs: ["t"]), mentioning: ["node 'b' writes 't'"])
    }

    /// Names from the file reach the terminal in error messages: an ESC or a
    /// newline in a node name must be shown escaped, on one line.
    func testControlCharactersInNamesAreEscaped() {
        let evil = "evil\u{1B}]0;owned\u{07}\nnext"
        guard let error = M.importError(M.model(sample: [4], nodes: [M.node("Relu", evil, [], "y")], outputs: ["y"])) else { return }
        let message = error.description
        XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 }, message)
        XCTAssertTrue(message.contains("evil\\e]0;owned\\u{7} next"), message)
    }

    /// A batch of zero samples used to divide by zero in Linear.
    func testAnEmptyBatchIsRefused() throws {
        let linear = LinearParameters(weight: Tensor(shape: [1, 2], data: [1, 1]), bias: Tensor(zeros: [1]))
        let graph = try Graph(inputs: [("x", [2])], outputs: ["y"], nodes: [Node(name: "fc", operation: .linear(linear), inputs: ["x"], output: "y")])
        let executor = GraphExecutor(graph: graph)
        assertThrows(try executor.logits(for: Tensor(zeros: [0, 2])), mentioning: ["node 'fc'", "N ≥ 1"])
    }

    /// Shape inference skipped a constant second operand while the executor
    /// reads operands by position: an Add of three inputs is refused.
    func testOperandCountsAreChecked() {
        assertThrows(try Graph(inputs: [("x", [2])], outputs: ["y"], nodes: [Node(name: "sum", operation: .add, inputs: ["x", "x", "x"], output: "y")]),
                     mentioning: ["node 'sum'", "Add cannot read 3 input(s)"])
        assertThrows(try Graph(inputs: [("x", [2])], outputs: ["y"], nodes: [Node(name: "r", operation: .relu, inputs: ["x", "x"], output: "y")]),
                     mentioning: ["node 'r'", "Relu cannot read 2 input(s)"])
    }

    func testMissingInputsAndOperandsAreErrorsNotTraps() {
        M.assertRefused(M.model(sample: [4], nodes: [M.node("Relu", "r", [], "y")], outputs: ["y"]), mentioning: ["'r'", "lacks input 0"])
        M.assertRefused(M.model(sample: [4], nodes: [M.node("Add", "add", ["x"], "y")], outputs: ["y"]), mentioning: ["'add'", "two inputs"])
        M.assertRefused(M.model(sample: [4], nodes: [M.node("Concat", "cat", ["x", "x"], "y")], outputs: ["y"]), mentioning: ["'cat'", "no axis"])
        M.assertRefused(M.model(sample: [1, 4, 4], nodes: [M.node("Conv", "c", ["x"], "y")], outputs: ["y"]), mentioning: ["'c'", "input 1"])
    }
}
