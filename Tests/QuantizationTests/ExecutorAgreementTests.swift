import Network
import Tensor
import XCTest
@testable import Quantization

/// The engine runs its own executor (with quantizers and backward passes);
/// `brecq eval` runs Network's. Their FP logits must agree, or the engine's FP
/// top-1 would not be the one `brecq eval` (checked against ONNX Runtime) reports.
final class ExecutorAgreementTests: XCTestCase {
    func testSegmentExecutorMatchesGraphExecutorOnTheFixtures() throws {
        for name in ["tiny_resnet.onnx", "tiny_mobilenet.onnx", "tiny_ops.onnx", "tiny_activations.onnx", "tiny_branches.onnx"] {
            let graph = try ExportSupport.fixture(name)
            let images = ExportSupport.images(9, for: graph, seed: 3)
            var reference = GraphExecutor(graph: graph)
            let expected = try reference.logits(for: images)
            let segment = SegmentExecutor(graph: graph, nodes: 0..<graph.nodes.count, input: graph.input, retainsIntermediates: false)
            let actual = QuantizationSession.run(segment, on: images, chunk: 4)
            XCTAssertEqual(actual.shape, expected.shape, name)
            let worst = zip(actual.data, expected.data).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-5, name)
        }
    }

    /// A constant that broadcasts along rows only (shape [1, W]): the engine's
    /// executor once supported only scalar, per-channel and per-sample constants.
    func testConstantAddBroadcastsUnderNumPyRules() throws {
        let column = Tensor(shape: [1, 3], data: [10, 20, 30])
        let graph = try Graph(inputs: [("x", [2, 2, 3])], outputs: ["y"],
                              nodes: [Node(name: "add", operation: .add, inputs: ["x", "c"], output: "y")],
                              constants: ["c": column])
        let x = Tensor(shape: [1, 2, 2, 3], data: (0..<12).map(Float.init))
        let expected = (0..<12).map { Float($0) + column.data[$0 % 3] }
        var reference = GraphExecutor(graph: graph)
        XCTAssertEqual(try reference.logits(for: x).data, expected)
        let segment = SegmentExecutor(graph: graph, nodes: 0..<1, input: "x")
        segment.setInput(x)
        var random = Xoshiro256StarStar(seed: 0)
        segment.forward(random: &random)
        XCTAssertEqual(segment.output.data, expected)
    }
}
