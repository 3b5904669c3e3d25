import TestFixtures
import XCTest
@testable import Network
import Tensor

/// The executor against ONNX Runtime (BatchNorm unfolded there) on the fixtures.
final class ExecutorParityTests: XCTestCase {
    private func assertParity(_ fixture: String, batch: Int = 4, file: StaticString = #filePath, line: UInt = #line) throws {
        let graph = try loadFixture(fixture)
        let input = randomTensor([batch] + graph.inputSampleShape, seed: 11)
        let executor = GraphExecutor(graph: graph)
        let ours = try executor.logits(for: input)
        let reference = try onnxRuntimeOutput(model: fixturePath(fixture), input: input)
        XCTAssertEqual(ours.shape, reference.shape, file: file, line: line)
        XCTAssertLessThanOrEqual(maxAbsDifference(ours, reference), 1e-4, fixture, file: file, line: line)
    }

    func testTinyResNetMatchesOnnxRuntime() throws { try assertParity("tiny_resnet.onnx") }
    func testTinyMobileNetMatchesOnnxRuntime() throws { try assertParity("tiny_mobilenet.onnx") }
    /// AveragePool with padding, constant Reshape, MatMul + Add bias, Clip(-0.5, 2), BatchNorm1d after MatMul.
    func testTinyOpsMatchesOnnxRuntime() throws { try assertParity("tiny_ops.onnx", batch: 3) }
    /// LeakyRelu, HardSwish, Tanh after a residual add, HardSigmoid, Sigmoid.
    func testTinyActivationsMatchesOnnxRuntime() throws {
        try assertParity("tiny_activations.onnx")
        XCTAssertEqual(Set(try loadFixture("tiny_activations.onnx").nodes.map(\.operation.kindName)),
                       ["Conv", "LeakyRelu", "HardSwish", "Add", "Tanh", "HardSigmoid", "Sigmoid", "GlobalAveragePool", "Flatten", "Linear"])
    }

    /// Squeeze-excitation (a broadcast Mul whose gate is the left operand), a Fire module's Concat, a constant Mul.
    func testTinyBranchesMatchesOnnxRuntime() throws { try assertParity("tiny_branches.onnx") }

    /// `x.view(x.size(0), -1)` exported with a dynamic batch (Shape, Gather, Unsqueeze, Concat).
    func testTinyViewMatchesOnnxRuntime() throws { try assertParity("tiny_view.onnx", batch: 3) }

    /// Sub and Div by constants (input normalisation, a per-channel Sub after a Conv, scalar Div and Sub),
    /// imported as Add and Mul by the negated and reciprocal constants; the Sub after the Conv folds into its bias.
    func testTinyNormaliseMatchesOnnxRuntime() throws {
        try assertParity("tiny_normalise.onnx", batch: 3)
        XCTAssertEqual(try loadFixture("tiny_normalise.onnx").nodes.map(\.operation.kindName),
                       ["Add", "Mul", "Conv", "Relu", "Mul", "Add", "GlobalAveragePool", "Flatten", "Linear"])
    }

    /// Zero Pads (asymmetric before a stride-2 Conv, wider on W before another) fold into the Convs' padding.
    func testTinyPadMatchesOnnxRuntime() throws {
        try assertParity("tiny_pad.onnx", batch: 3)
        let graph = try loadFixture("tiny_pad.onnx")
        XCTAssertEqual(graph.nodes.map(\.operation.kindName), ["Conv", "Relu", "Conv", "Relu", "GlobalAveragePool", "Flatten", "Linear"])
        guard case .convolution(let first) = graph.nodes[0].operation, case .convolution(let second) = graph.nodes[2].operation else {
            return XCTFail("Convs expected")
        }
        XCTAssertEqual(first.padding, Padding2D(top: 0, left: 0, bottom: 1, right: 1))
        XCTAssertEqual(second.padding, Padding2D(top: 1, left: 2, bottom: 1, right: 2))
    }

    func testTinyOpsFoldsMatMulBiasAndBatchNorm1d() throws {
        let graph = try loadFixture("tiny_ops.onnx")
        XCTAssertEqual(graph.nodes.map(\.operation.kindName), ["Conv", "Clip", "AveragePool", "Reshape", "Linear", "Relu", "Linear"])
    }
}
